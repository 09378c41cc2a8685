/*
 * lost.h - creates whose reply was lost, found by their label (spec "Server
 * state": "a create whose reply was lost and whose retry got 409 is looked up
 * by label; if that source has the row's account and bucket, the row is
 * `created` with its ID and the warning "the reply was lost; found by its
 * label". Only otherwise `failed`.").
 *
 * import hands such a row over instead of recording it (lost_add); when the
 * engine's run is over, lost_resolve() reads the server's listing once
 * (listing.c) and records every held row: `created` with the listed source's
 * ID, or `failed` as before with the reason the lookup did not settle it. One
 * listing after the run, rather than one per row during it, because a lost
 * reply is rare and the listing costs one request per page: the rows held are
 * only those (memory: one source per lost reply).
 */
#ifndef S3SRC_LOST_H
#define S3SRC_LOST_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "run.h"
#include "engine.h"

struct source;

struct lost_row {
	struct source *src;      /* owned */
	int http_status;
	int attempts;
	int64_t elapsed_ms;
	char *error;             /* owned: the failure as import words it */
};

struct lost_replies {
	struct lost_row *v;
	size_t n, alloc;
};

void lost_init(struct lost_replies *lr);
/* Frees the rows still held (none after lost_resolve). */
void lost_release(struct lost_replies *lr);
/* Holds a create row whose reply was lost and whose retry got 409. Takes
 * ownership of src and of error. */
void lost_add(struct lost_replies *lr, struct source *src, int http_status, int attempts,
	      int64_t elapsed_ms, char *error);
/*
 * Records every held row in run. With look_up set (the run was not aborted),
 * the listing is read once first; its pages' figures are added to stats (may
 * be NULL). A row whose label the listing shows with the row's awsAccountId
 * and s3Bucket is `created` with that ID; any other is `failed` with its
 * error and why the lookup did not settle it. Returns the rows found.
 */
size_t lost_resolve(struct lost_replies *lr, const struct conn_opts *conn, struct run *run,
		    int look_up, struct sched_stats *stats);

#endif
