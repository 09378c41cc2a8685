/*
 * diag.h - what the checks found about one row, as data: a list of
 * diagnostics, each a field, a severity and a text ("integrationId",
 * warning, "'a; b' ignored: ..."). The checks (row_map.c, validate.c,
 * merge.c) add to a list and look a field up in it; only the writers (the
 * results file, the failed-rows file, validate's output) turn it into the
 * "field: text; field: text" line people read, with diag_render(). So a value
 * that itself holds "; " is still one diagnostic, and counting them is
 * counting records, not parsing text back.
 *
 * Ownership: a list owns its records and their strings. Start it with
 * DIAG_LIST_INIT or diag_list_init() (no allocation until the first record),
 * end it with diag_list_release().
 */
#ifndef S3SRC_DIAG_H
#define S3SRC_DIAG_H

#include <stddef.h>

#include "util.h"

enum diag_severity {
	DIAG_ERROR,      /* the row is invalid: it is not sent */
	DIAG_WARNING,    /* the row is sent; the results file says what was assumed */
};

struct diag {
	char *field;     /* "awsAccountId", "s3PrefixLogTypes[1].prefix", or NULL for a
			  * text that names no field (a record the reader could not
			  * read) (owned) */
	enum diag_severity severity;
	char *text;      /* what is wrong and how to fix it (owned) */
};

struct diag_list {
	struct diag *v;
	size_t n, alloc;
};
#define DIAG_LIST_INIT { NULL, 0, 0 }

void diag_list_init(struct diag_list *l);
/* Frees every record; l is left empty and may be used again. */
void diag_list_release(struct diag_list *l);
/* Drops the records from the n-th on (n <= l->n): what a scratch check added. */
void diag_list_truncate(struct diag_list *l, size_t n);
/* Drops the records of that severity, keeping the others in their order. */
void diag_list_drop(struct diag_list *l, enum diag_severity sev);
/* Moves every record of src to the end of dst; src is left empty. */
void diag_list_move(struct diag_list *dst, struct diag_list *src);

/* Adds a record; field (may be NULL) and text are copied as they are. */
void diag_add_text(struct diag_list *l, enum diag_severity sev, const char *field,
		   const char *text);
/* Adds a record of DIAG_ERROR / DIAG_WARNING; field (may be NULL) and the
 * formatted text (cut at 1023 bytes) are copied. */
void diag_error(struct diag_list *l, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warn(struct diag_list *l, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* How many records of that severity. */
size_t diag_count(const struct diag_list *l, enum diag_severity sev);
/* 1 if a record of that severity is about exactly that field. */
int diag_has(const struct diag_list *l, enum diag_severity sev, const char *field);

/* Appends the records of that severity to sb as "field: text", joined with
 * "; " (a record without a field is its text alone); sb's existing text, if
 * any, is followed by "; " first. */
void diag_render(const struct diag_list *l, enum diag_severity sev, struct strbuf *sb);
/* The same as a new string (caller frees), or NULL when there is none. */
char *diag_render_new(const struct diag_list *l, enum diag_severity sev);

#endif
