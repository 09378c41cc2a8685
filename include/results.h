/*
 * results.h - the per-row results file and the failed-rows file
 * (spec: "Results file", "Failed-rows file") and the --resume reader.
 *
 * The results file is written as each row finishes (completion order) and
 * flushed after every record, so an interrupted run still has every finished
 * row. Format by extension: .csv (libcsv quoting, formula injection
 * neutralised), .jsonl; "-" is JSONL on stdout.
 *
 * The failed-rows file repeats the failed rows in the input's own format, cells
 * verbatim, with an "error" column/key added; it is created on the first failed
 * row (written to a temporary file, renamed into place on close).
 *
 * Implemented in results.c, failed.c and resume.c; the user's description of
 * the formats is docs/results-format.md.
 */
#ifndef S3SRC_RESULTS_H
#define S3SRC_RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include "s3src.h"
#include "reader.h"
#include "util.h"

struct source;

/* The columns, in the contract's order. New columns go last, so older
 * results files (which the resume reader reads by column name) still resume. */
#define RESULTS_COLUMNS "row", "line", "action", "outcome", "httpStatus", \
	"integrationId", "integrationLabel", "attempts", "elapsedMs", "error", \
	"warning", "fingerprint", "changes"

struct result {
	size_t row;
	size_t line;
	enum action action;
	enum outcome outcome;
	int http_status;         /* 0: none */
	const char *id;          /* may be NULL */
	const char *label;       /* may be NULL */
	int attempts;
	int64_t elapsed_ms;
	const char *error;       /* may be NULL */
	const char *warning;     /* may be NULL */
	const char *fingerprint; /* may be NULL */
	const char *changes;     /* a modify's changed fields ("kmsKey (cleared); ..."), may be NULL */
};

struct results_writer;

/* Creates path (.csv, .jsonl, or "-" for JSONL on stdout; another extension is
 * an error, except for an existing character device or FIFO, written as CSV). NULL with a message in err. */
struct results_writer *results_open(const char *path, char *err, size_t errlen);
/* Writes and flushes one record. -1 on a write error (errno kept). */
int results_write(struct results_writer *w, const struct result *r);
/* The descriptor the records go to (stdout's for "-"); borrowed. */
int results_fd(const struct results_writer *w);
/* Bytes of complete records written so far (the header included). */
uint64_t results_written(const struct results_writer *w);
/* Flushes, closes. -1 on error (message in err). Frees w in any case. */
int results_close(struct results_writer *w, char *err, size_t errlen);

/* The formula-injection guard of every CSV cell written: csv_cell_needs_guard()
 * and csv_cell_unguard() in util.h. */

struct failed_writer;

/* Nothing is created until the first failed_write(). For CSV input, header and
 * delimiter are the input's (header borrowed until failed_close; delimiter 0
 * means ','). fmt FORMAT_JSONL writes JSONL, anything else CSV. A path ending
 * in ".gz" is compressed. See docs/results-format.md. */
struct failed_writer *failed_new(const char *path, enum in_format fmt,
				 char **header, size_t nheader, int delimiter);
/* The input's look, kept in the file: a UTF-8 BOM first when bom is set, and
 * eol ("\r\n", "\r"; anything else "\n") after every record. Call before
 * the first failed_write(). */
void failed_set_style(struct failed_writer *w, int bom, const char *eol);
/* Writes the source's raw records with error added (the first record carries
 * it; NULL: the source's errors, rendered by diag_render()). The first call
 * creates the temporary file (an error is printed if it cannot). -1 on a
 * write error, which failed_close() reports again with the path. Only struct
 * source fields are read (no source.c call). */
int failed_write(struct failed_writer *w, const struct source *s, const char *error);
/* The file is committed without replacing one (a default name, or a --failed
 * path without --overwrite): see atomic_keep_existing(); landed receives the
 * name written (new string). */
void failed_keep_existing(struct failed_writer *w, char **landed);
/* Renames the temporary file into place if anything was written. Returns 1 if
 * a file was written, 0 if none, -1 on error. Frees w. */
int failed_close(struct failed_writer *w, char *err, size_t errlen);
/* Default failed-rows path next to a results path: "x.results.csv" ->
 * "x.failed.csv" (extension of the input format: .csv or .jsonl). New string. */
char *failed_default_path(const char *results_path, enum in_format fmt);

/* --resume: the succeeded rows of an earlier results file (.csv or .jsonl,
 * optionally gzip). Kept: outcome created, modified, exported or deleted, and
 * skipped rows whose error begins with RESUME_SKIP_NOTE (rows resumed from a
 * run before that one: the note import writes, "already done in 'X' ...").
 * An unreadable or malformed file is an error naming file and line. */
#define RESUME_SKIP_NOTE "already done in "
struct resume_set;
struct resume_set *resume_load(const char *path, char *err, size_t errlen);
/* The union of several results files (repeated --resume): a row done in any
 * of them is done. */
struct resume_set *resume_load_all(const char *const *paths, size_t n, char *err, size_t errlen);
/* The integrationId recorded for that fingerprint ("" if none) if the row
 * succeeded earlier, else NULL. Borrowed. */
const char *resume_lookup(const struct resume_set *rs, const char *fingerprint);
size_t resume_count(const struct resume_set *rs);
void resume_free(struct resume_set *rs);

#endif
