/*
 * export_writer.h - the backup written by export (-o PATH) and delete
 * (--backup PATH): the fetched sources, in the order the IDs were given,
 * written atomically (atomic.h: PATH is never partial).
 *
 * Format by the extension of PATH: ".jsonl.gz" or ".jsonl" (one source per
 * line, exactly the fields the API returned, in the order received, compact),
 * ".csv" (or ".csv.gz"): the import layout, so the file re-imports (see
 * docs/results-format.md).
 *
 * Fetches complete in any order: the caller numbers each ID (0-based, the
 * order given) and hands over each record with its index, or marks the index
 * missing when the fetch failed. Records that arrive ahead of a gap are kept
 * serialised in memory until the gap fills. The writer holds whatever it is
 * given: the caller bounds it by not asking for more while
 * export_writer_pending() is high (fetch.c stops pulling IDs at 4 x -j held
 * records, so memory is bounded by the concurrency, not by the list).
 */
#ifndef S3SRC_EXPORT_WRITER_H
#define S3SRC_EXPORT_WRITER_H

#include <stddef.h>
#include <jansson.h>

/* The CSV columns, in order. */
#define EXPORT_CSV_COLUMNS "integrationId", "integrationLabel", "awsAccountId", "s3Bucket", \
	"kmsKey", "logProcessingRole", "logStreamType", "managedBucketNotifications", \
	"prefix", "logTypes", "excludedPrefixes", "jsonArrayEnvelopeField", \
	"retainEnvelopeFields", "xmlRootElement", "s3PrefixLogTypes"

struct export_writer;

/* The format path's extension names: 1 CSV, 0 JSONL, -1 with a message in err
 * (unsupported extension). Checks only the name: no file is touched. */
int export_writer_check_path(const char *path, char *err, size_t errlen);
/* Opens the temporary file for path. NULL with a message in err (unsupported
 * extension, folder not writable). */
struct export_writer *export_writer_open(const char *path, char *err, size_t errlen);
/* The record for index (borrowed: serialised at once, the caller keeps its
 * reference). -1 if index was already given or is behind, or on a write error. */
int export_writer_add(struct export_writer *w, size_t index, const json_t *source);
/* Nothing will come for index (its fetch failed); the order goes on after it. */
int export_writer_skip(struct export_writer *w, size_t index);
/* Records written so far, and records held waiting for a gap to fill. */
size_t export_writer_written(const struct export_writer *w);
size_t export_writer_pending(const struct export_writer *w);
/* The most records (and skips) ever held at once: the reorder depth. */
size_t export_writer_max_pending(const struct export_writer *w);
/* The next index to be written: every index below it is written or skipped. */
size_t export_writer_next(const struct export_writer *w);
const char *export_writer_path(const struct export_writer *w);
/* Writes what is still held (a gap that never filled is treated as missing),
 * then finishes, syncs and renames into place. -1 with err. Frees w. */
/* The commit never replaces a file (a delete backup, a default name): see
 * atomic_keep_existing(); landed receives the name written (new string). */
void export_writer_keep_existing(struct export_writer *w, char **landed);
int export_writer_commit(struct export_writer *w, char *err, size_t errlen);
/* Drops everything, unlinks the temporary. Frees w. NULL is fine. */
void export_writer_abort(struct export_writer *w);

/* Appends the CSV rows (import layout, guarded cells, '\n' line ends) of one
 * source to sb; exposed for tests and for writing CSV elsewhere. */
struct strbuf;
void export_csv_rows(struct strbuf *sb, const json_t *source);
void export_csv_header(struct strbuf *sb);

#endif
