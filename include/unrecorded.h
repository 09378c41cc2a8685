/*
 * unrecorded.h - the last line of defence of the results file: when a row
 * that created, modified or deleted a source cannot be written to it (the
 * disk is full, the file was removed, the pipe's reader went away), the row is
 * printed on stderr instead, so its integration ID is never lost (spec:
 * "Output safety").
 *
 * A results pipe ("--results - | head -3", or a named FIFO given as
 * --results) needs more: records written into the pipe but never read by its
 * reader are lost without a write error. The same holds for a socket and a
 * character device other than /dev/null. So while the results go to one of
 * those, the change records of the last two pipes'
 * worth of bytes are kept (bounded by the pipe's capacity, 64 KiB by
 * default): a reader that leaves early holds at most one read block, the pipe
 * at most its capacity. When the reader has gone (a write fails, or at the
 * end of the run the pipe reports no reader) they are printed too.
 */
#ifndef S3SRC_UNRECORDED_H
#define S3SRC_UNRECORDED_H

#include <stddef.h>
#include <stdint.h>

#include "results.h"

struct unrec_entry;

struct unrecorded {
	int fd;                    /* the results pipe, -1 when the results are a file */
	uint64_t cap;              /* the pipe's capacity in bytes */
	struct unrec_entry *v;     /* ring of recent change records (owned) */
	size_t head, n, alloc;
	size_t printed;            /* rows printed on stderr */
	int reported;              /* the pipe's recent rows were printed */
};

/* results_fd: the descriptor the results go to (results_fd()), or -1; kept
 * only when it is a pipe, FIFO, socket or character device but /dev/null. */
void unrecorded_init(struct unrecorded *u, int results_fd);
void unrecorded_release(struct unrecorded *u);
/* 1 if the outcome changed something on the server (created, modified, deleted). */
int unrecorded_matters(const struct result *res);
/* A record reached the results file; end is results_written() after it. */
void unrecorded_written(struct unrecorded *u, const struct result *res, uint64_t end);
/* A record could not be written: printed on stderr if it matters. */
void unrecorded_lost(struct unrecorded *u, const struct result *res);
/* The results pipe failed (failed 1), or the run is over: if the pipe's
 * reader is gone, prints the kept records it may not have read (once) and
 * returns 1; else 0. */
int unrecorded_check_pipe(struct unrecorded *u, int failed);

#endif
