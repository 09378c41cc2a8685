/*
 * backup_stream.h - import's --backup: the state of every source a modify
 * is about to replace, on disk before its PUT starts (spec: "Modify is fetch,
 * merge, compare", step 5), so that `s3src import BACKUP --mode modify` undoes
 * a run.
 *
 * Streamed, not atomic: export's backup is written to a temporary file and
 * renamed at the end, which would hide every record until the run is over; a
 * run killed half way would then leave no backup of the sources it had
 * already changed. Here each record is written and made durable (fdatasync)
 * as it comes, and the file is complete and readable after every record:
 * ".jsonl.gz" writes each record as its own gzip member (a gzip file may hold
 * several, and gzip, zcat and s3src read them as one stream), ".jsonl" plain
 * lines. A run stopped at any point leaves a valid backup of exactly the
 * sources whose PUT may have started.
 *
 * Never overwritten: the file is created with O_EXCL. An explicit path that
 * exists is refused before anything is sent; the default name
 * (s3-sources-before-import-YYYYmmddTHHMMSSZ.jsonl.gz) takes a -2, -3, ...
 * suffix on a clash. Nothing is created until the first record, so a run that
 * modifies nothing leaves no empty backup behind.
 */
#ifndef S3SRC_BACKUP_STREAM_H
#define S3SRC_BACKUP_STREAM_H

#include <stddef.h>

struct backup_stream;

/* Checks path (NULL: the default name in the current folder, stem
 * "s3-sources-before-import"): a supported extension (.jsonl.gz, .jsonl), not
 * an existing file, a writable folder. Creates nothing. NULL with a message
 * in err (exit 2). */
struct backup_stream *backup_stream_new(const char *path, char *err, size_t errlen);
/* Writes one record (a JSON text of len bytes, no newline) and makes it
 * durable before returning; the first call creates the file. -1 with err. */
int backup_stream_add(struct backup_stream *b, const char *json, size_t len, char *err, size_t errlen);
/* The path (the final one once created; before that, the one asked for or
 * the default's first choice). Borrowed. */
const char *backup_stream_path(const struct backup_stream *b);
size_t backup_stream_count(const struct backup_stream *b);
/* Closes and frees (NULL is fine). -1 with err if closing failed. */
int backup_stream_close(struct backup_stream *b, char *err, size_t errlen);

#endif
