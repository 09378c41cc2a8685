/*
 * results_reader.h - reading a results file back, record by record, for
 * `s3src report`: .csv or .jsonl, optionally .gz (read through zlib, which
 * passes plain files through), columns found by name so files written by
 * older or newer versions (a `changes` column, say) are read alike.
 *
 * One record at a time; nothing is kept between records.
 */
#ifndef S3SRC_RESULTS_READER_H
#define S3SRC_RESULTS_READER_H

#include <stddef.h>

/* One record. Every value is a string (numbers as written, "" when empty),
 * NULL when the file has no such column/key; borrowed for the callback. */
struct results_row {
	const char *path;       /* the results file, as given */
	size_t file_line;       /* where the record starts in it */
	const char *row, *line, *action, *outcome, *http_status, *id, *label;
	const char *attempts, *error, *warning, *fingerprint;
};

/* Called once per record; returns 0 to go on, -1 to stop (err set). */
typedef int (*results_row_fn)(void *ctx, const struct results_row *r, char *err, size_t errlen);

/* Reads path, calling fn for every record. 0, or -1 with err naming the file
 * (and line): unreadable, unsupported extension, not a results file (no
 * `outcome` column), a malformed record. */
int results_read(const char *path, results_row_fn fn, void *ctx, char *err, size_t errlen);

#endif
