/*
 * fetch.h - the GET phase shared by export and delete: fetch every ID of a
 * list through the engine and hand each fetched source, in the order the IDs
 * were given, to a backup writer (export_writer.h: written atomically).
 *
 * Export records each ID's row in the results as soon as its fetch finishes.
 * Delete records at once only the IDs that are finished after the fetch (404:
 * already absent; a failed fetch: never deleted) and keeps the others' state
 * for its DELETE phase. The state is a few words per ID, like the ID list.
 *
 * The backup writer holds the records that finish ahead of an earlier ID;
 * the fetch tells the engine "not now" (SCHED_NEXT_LATER) while it holds
 * FETCH_HOLD_PER_J x -j of them, so memory is bounded by the concurrency
 * (see fetch.c).
 */
#ifndef S3SRC_FETCH_H
#define S3SRC_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "export_writer.h"
#include "ids.h"
#include "run.h"
#include "engine.h"

enum fetch_state {
	FETCH_PENDING = 0,   /* not finished (not pulled, or the run was aborted) */
	FETCH_OK,            /* fetched and handed to the backup */
	FETCH_ABSENT,        /* 404 */
	FETCH_FAILED,        /* any other failure */
};

struct fetch_item {
	enum fetch_state state;
	int http_status;
	int attempts;
	int64_t elapsed_ms;
	char *label;          /* owned, from the fetched source */
	char fingerprint[65];
};

struct fetch {
	const struct id_list *ids;    /* borrowed */
	struct export_writer *backup; /* borrowed */
	struct run *run;              /* borrowed */
	enum action action;           /* what the results say: GET (export) or DELETE */
	struct fetch_item *items;     /* one per ID (owned) */
	size_t next;                  /* next ID to hand to the engine */
	size_t hold_max;              /* records the backup may hold: FETCH_HOLD_PER_J x -j */
	int waiting;                  /* fetch_next said LATER and handed out nothing since */
	unsigned pauses;              /* times it began to say LATER (an ID held up the order) */
	size_t max_held;              /* the backup's reorder depth: most records held at once */
	int backup_error;
	struct sched *sched;          /* the running engine, or NULL */
	struct sched_stats stats;     /* the engine's figures, kept after the run */
};

/* Records the backup may hold, per unit of -j, before the fetch waits. */
#define FETCH_HOLD_PER_J 4

void fetch_init(struct fetch *f, const struct id_list *ids, struct export_writer *backup,
		struct run *run, enum action action);
void fetch_release(struct fetch *f);
/* Runs the GET phase. */
enum sched_status fetch_run(struct fetch *f, const struct conn_opts *conn);
/* For the summary's backup line: "" when the order never held the fetch
 * back, else "; paused N times for an earlier ID, at most M records held". */
void fetch_order_note(const struct fetch *f, char *buf, size_t len);
/* Records one ID's row (label and fingerprint from its item). */
void fetch_record(struct fetch *f, size_t i, enum outcome o, int http_status, int attempts,
		  int64_t elapsed_ms, const char *error, const char *warning);

#endif
