/*
 * results_reader.h - reading a results file back, record by record, for
 * `s3src report` and `--resume`: .csv or .jsonl, optionally .gz, read by the
 * reader (reader.h: gzip, encodings, line numbers), columns found by name so
 * files written by older or newer versions (a `changes` column, say) are read
 * alike.
 *
 * One record at a time; nothing is kept between records.
 */
#ifndef S3SRC_RESULTS_READER_H
#define S3SRC_RESULTS_READER_H

#include <stddef.h>

/* The columns read, in the order of struct results_row's values. */
enum results_col {
	RESULTS_ROW, RESULTS_LINE, RESULTS_ACTION, RESULTS_OUTCOME, RESULTS_HTTP, RESULTS_ID,
	RESULTS_LABEL, RESULTS_ATTEMPTS, RESULTS_ERROR, RESULTS_WARNING, RESULTS_FINGERPRINT,
	RESULTS__COUNT
};
#define RESULTS_BIT(c) (1u << (c))

/* One record. Every value is a string (numbers as written, "" when empty),
 * NULL when the file has no such column/key; borrowed for the callback. */
struct results_row {
	const char *path;       /* the results file, as given */
	size_t file_line;       /* where the record starts in it */
	const char *row, *line, *action, *outcome, *http_status, *id, *label;
	const char *attempts, *error, *warning, *fingerprint;
	/* For callers with rules of their own (--resume). CSV: the cells the
	 * record had (fewer than the header: the missing ones read "") and each
	 * column's index (-1: not in the header); JSONL: 0 and NULL, and in
	 * numbers the RESULTS_BIT of every value written as a JSON integer. */
	size_t ncells;
	const long *col;
	unsigned numbers;
};

/* Called once per record; returns 0 to go on, -1 to stop (err set). */
typedef int (*results_row_fn)(void *ctx, const struct results_row *r, char *err, size_t errlen);

/* What a caller asks of the file: what (NULL: "results file") names it in
 * messages; a CSV header must have the columns in need (RESULTS_BITs) besides
 * `outcome`. */
struct results_want {
	const char *what;
	unsigned need;
};

/* Reads path, calling fn for every record. 0, or -1 with err naming the file
 * (and line): unreadable, unsupported extension, not a results file (no
 * `outcome` column), a malformed record. */
int results_read(const char *path, results_row_fn fn, void *ctx, char *err, size_t errlen);
/* As results_read(), with want (may be NULL). */
int results_read_as(const char *path, const struct results_want *want, results_row_fn fn,
		    void *ctx, char *err, size_t errlen);

#endif
