/*
 * writers_util.h - small pieces shared by the output side (results, failed
 * rows, resume, ID lists, export writer) and by nothing else: appending one
 * CSV cell to a buffer through libcsv's csv_write (quoting is libcsv's, the
 * formula-injection guard is ours), a growable string-keyed hash table, a
 * line reader on top of zlib's gzgets (plain or gzip input), header-name
 * matching in the input's way, and a UTF-8-safe jansson string constructor.
 *
 * Kept apart from util.c because only the writers area needs it and it links
 * libcsv and zlib.
 */
#ifndef S3SRC_WRITERS_UTIL_H
#define S3SRC_WRITERS_UTIL_H

#include <stddef.h>
#include <jansson.h>
#include <zlib.h>
#include "util.h"

/* Appends one CSV cell (len bytes of cell) to sb, preceded by delimiter unless
 * first is set. The cell is quoted by libcsv's csv_write when it holds the
 * delimiter, a quote, CR or LF, or begins or ends with a space or tab; with
 * guard set, a cell for which csv_cell_needs_guard() holds gets a leading '\''. */
void csv_append_cell(struct strbuf *sb, const char *cell, size_t len,
		     int delimiter, int first, int guard);


/* The cells of one CSV record as libcsv's field callback hands them over:
 * owned copies, NUL-terminated (the readers of results and ID files). */
struct csv_cells {
	char **v;
	size_t n, alloc;
};
/* Appends a copy of the len bytes at s (NULL: an empty cell). */
void csv_cells_add(struct csv_cells *c, const void *s, size_t len);
/* Frees the cells, keeps the vector for the next record. */
void csv_cells_clear(struct csv_cells *c);
void csv_cells_release(struct csv_cells *c);

/* Header names compare like the input's: case-insensitive, ignoring spaces,
 * '_' and '-'. Returns 1 when equal. */
int header_name_eq(const char *a, const char *b);

/* A string-keyed hash table with open addressing. Keys are copied (owned by the
 * map); values are owned by the caller unless strmap_free_values() is used. */
struct strmap {
	char **keys;
	void **vals;
	size_t n, cap;
};
void strmap_init(struct strmap *m);
/* Returns the value for key, or NULL; *found (if given) says whether key is in. */
void *strmap_get(const struct strmap *m, const char *key, int *found);
/* Inserts key -> val unless key is present. 1: inserted, 0: already present. */
int strmap_put(struct strmap *m, const char *key, void *val);
/* Frees keys (and with free_vals, each value with free()). */
void strmap_release(struct strmap *m, int free_vals);

/* Reads one line (with its newline, if any) from gz into sb (reset first).
 * 1: a line; 0: end of file; -1: read error (zlib message in err). */
int gz_getline(gzFile gz, struct strbuf *sb, char *err, size_t errlen);

/* Prefixes the message in err with "NAME:LINE: " (for a read error found by
 * gz_getline, which does not know the line). */
void err_at_line(char *err, size_t errlen, const char *name, size_t line);

/* json_string(s), or, when s is not valid UTF-8, a copy with every byte >= 0x80
 * replaced by '?' (so a report never fails on odd bytes). New reference. */
json_t *json_string_lossy(const char *s);

/* 1 if path ends with suffix (ASCII, case-insensitive). */
int has_suffix(const char *path, const char *suffix);

#endif
