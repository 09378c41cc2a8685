/*
 * fetch.h - the GET phase shared by export and delete: fetch every ID of a
 * list through the engine and hand each fetched source, in the order the IDs
 * were given, to a backup writer (export_writer.h: written atomically).
 *
 * Export records each ID's row in the results as soon as its fetch finishes.
 * Delete records at once only the IDs that are finished after the fetch (404:
 * already absent; a failed fetch: never deleted) and keeps the others' state
 * for its DELETE phase. The state is a few words per ID, like the ID list.
 */
#ifndef S3SRC_FETCH_H
#define S3SRC_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "export_writer.h"
#include "ids.h"
#include "run.h"
#include "sched.h"

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
	size_t pulled;
	int backup_error;
	struct sched_stats stats;     /* the engine's figures, kept after the run */
};

void fetch_init(struct fetch *f, const struct id_list *ids, struct export_writer *backup,
		struct run *run, enum action action);
void fetch_release(struct fetch *f);
/* Runs the GET phase. */
enum sched_status fetch_run(struct fetch *f, const struct conn_opts *conn);
/* Records one ID's row (label and fingerprint from its item). */
void fetch_record(struct fetch *f, size_t i, enum outcome o, int http_status, int attempts,
		  int64_t elapsed_ms, const char *error, const char *warning);

#endif
