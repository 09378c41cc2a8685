/*
 * fetch.c - the GET phase of export and delete (see fetch.h).
 *
 * Back-pressure: the backup is written in the order the IDs were given, so
 * while the earliest unfinished ID is in flight (a hung request, a retry
 * waiting on its timer) every later fetch that finishes is held by the
 * writer. Once FETCH_HOLD_PER_J x -j records are held, fetch_next answers
 * SCHED_NEXT_LATER: the engine goes on with the requests it has (the one
 * holding the order up among them) and asks again after each finishes; as
 * soon as the gap fills and the held records are written, IDs flow again.
 * Memory is so bounded by the concurrency, not by the length of the list,
 * and one engine (its connections, its concurrency, its pacing) serves the
 * whole list. Such a wait is a pause of the summary's backup line.
 */
#include "fetch.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "source.h"
#include "util.h"

void fetch_init(struct fetch *f, const struct id_list *ids, struct export_writer *backup,
		struct run *run, enum action action)
{
	memset(f, 0, sizeof(*f));
	f->ids = ids;
	f->backup = backup;
	f->run = run;
	f->action = action;
	f->items = xcalloc(ids->n ? ids->n : 1, sizeof(*f->items));
	for (size_t i = 0; i < ids->n; i++)
		source_fingerprint(action, ids->v[i].id, NULL, f->items[i].fingerprint);
}

void fetch_release(struct fetch *f)
{
	if (!f->items)
		return;
	for (size_t i = 0; i < f->ids->n; i++)
		free(f->items[i].label);
	free(f->items);
	f->items = NULL;
}

void fetch_record(struct fetch *f, size_t i, enum outcome o, int http_status, int attempts,
		  int64_t elapsed_ms, const char *error, const char *warning)
{
	struct result r = {
		.row = i + 1, .line = f->ids->v[i].line, .action = f->action, .outcome = o,
		.http_status = http_status, .id = f->ids->v[i].id, .label = f->items[i].label,
		.attempts = attempts, .elapsed_ms = elapsed_ms, .error = error,
		.warning = warning, .fingerprint = f->items[i].fingerprint,
	};
	run_record(f->run, NULL, &r);
}

static int fetch_next(void *ctx, struct request *req)
{
	struct fetch *f = ctx;

	if (f->run->write_error || f->backup_error)
		return -1;
	for (;;) {
		if (f->next >= f->ids->n)
			return 0;
		if (export_writer_pending(f->backup) >= f->hold_max) {
			if (!f->waiting)
				f->pauses++;
			f->waiting = 1;   /* until a fetch finishes and the gap may fill */
			return SCHED_NEXT_LATER;
		}
		if (f->items[f->next].state == FETCH_PENDING)
			break;
		/* invalid IDs: recorded, never sent; the order goes on past them */
		export_writer_skip(f->backup, f->next++);
	}
	size_t i = f->next++;
	f->waiting = 0;
	req->action = ACTION_GET;
	req->id = f->ids->v[i].id;
	req->body = NULL;
	req->body_len = 0;
	req->user = (void *)(uintptr_t)i;
	return 1;
}

static int fetch_done(void *ctx, struct request *req, const struct response *res)
{
	struct fetch *f = ctx;
	size_t i = (size_t)(uintptr_t)req->user;
	struct fetch_item *it = &f->items[i];
	char err[512];

	it->http_status = res->http_status;
	it->attempts = res->attempts;
	it->elapsed_ms = res->elapsed_ms;
	const struct api_reply *rule = api_reply(ACTION_GET, res);
	if (rule->meaning == API_DONE) {
		json_error_t jerr;
		json_t *src = json_loadb(res->body, res->body_len, JSON_REJECT_DUPLICATES, &jerr); /* new */
		if (!json_is_object(src)) {
			json_decref(src);
			it->state = FETCH_FAILED;
			export_writer_skip(f->backup, i);
			fetch_record(f, i, OUTCOME_FAILED, res->http_status, res->attempts, res->elapsed_ms,
				     "HTTP 200 with a body that is not a JSON object: nothing backed up", NULL);
			return f->run->write_error ? -1 : 0;
		}
		const char *got = json_string_value(json_object_get(src, "integrationId"));
		if (got && strcmp(got, f->ids->v[i].id)) {
			/* another source's record must not pass for this one */
			snprintf(err, sizeof(err), "the API answered with source '%.80s' for ID '%.80s': "
				 "nothing backed up%s", got, f->ids->v[i].id,
				 f->action == ACTION_DELETE ? ", not deleted" : "");
			json_decref(src);
			it->state = FETCH_FAILED;
			export_writer_skip(f->backup, i);
			fetch_record(f, i, OUTCOME_FAILED, res->http_status, res->attempts, res->elapsed_ms,
				     err, NULL);
			return f->run->write_error ? -1 : 0;
		}
		const char *label = json_string_value(json_object_get(src, "integrationLabel"));
		if (label)
			it->label = xstrdup(label);
		if (export_writer_add(f->backup, i, src) < 0) {
			error("cannot write the backup '%s'", export_writer_path(f->backup));
			f->backup_error = 1;
		}
		json_decref(src);
		it->state = FETCH_OK;
		if (f->action == ACTION_GET)
			fetch_record(f, i, rule->outcome, res->http_status, res->attempts, res->elapsed_ms, NULL, NULL);
		return f->run->write_error || f->backup_error ? -1 : 0;
	}

	export_writer_skip(f->backup, i);
	if (rule->meaning == API_NOT_SENT) {
		it->state = FETCH_PENDING;
		return 0;  /* recorded by the command, with the reason of the abort */
	}
	char *text = response_error_text(res);
	if (rule->meaning == API_ABSENT) {
		it->state = FETCH_ABSENT;
		if (f->action == ACTION_DELETE)
			fetch_record(f, i, OUTCOME_DELETED, res->http_status, res->attempts,
				     res->elapsed_ms, NULL,
				     "already absent: the source was not found, nothing to delete");
		else
			fetch_record(f, i, rule->outcome, res->http_status, res->attempts,
				     res->elapsed_ms, text, NULL);
	} else {
		it->state = FETCH_FAILED;
		if (f->action == ACTION_DELETE) {
			snprintf(err, sizeof(err), "not deleted: the fetch for the backup failed: %s", text);
			fetch_record(f, i, OUTCOME_FAILED, res->http_status, res->attempts, res->elapsed_ms,
				     err, NULL);
		} else {
			fetch_record(f, i, OUTCOME_FAILED, res->http_status, res->attempts, res->elapsed_ms,
				     text, NULL);
		}
	}
	free(text);
	return f->run->write_error ? -1 : 0;
}

static void fetch_tick(void *ctx)
{
	struct fetch *f = ctx;

	f->stats = sched_stats(f->sched);   /* run->stats points at them */
	run_tick(f->run, 0, 0, 0);
}

enum sched_status fetch_run(struct fetch *f, const struct conn_opts *conn)
{
	static const struct sched_callbacks cb = { fetch_next, fetch_done, fetch_tick };

	/* an ID that cannot be sent is its row's invalid outcome, before any request */
	for (size_t i = 0; i < f->ids->n; i++) {
		if (f->ids->v[i].error && f->items[i].state == FETCH_PENDING) {
			f->items[i].state = FETCH_FAILED;   /* skipped in the backup by fetch_next */
			fetch_record(f, i, OUTCOME_INVALID, 0, 0, 0, f->ids->v[i].error, NULL);
		}
	}
	f->hold_max = FETCH_HOLD_PER_J * (size_t)(conn->concurrency > 0 ? conn->concurrency : 1);
	f->sched = sched_new(conn, &cb, f);
	f->stats = sched_stats(f->sched);
	f->run->stats = &f->stats;
	enum sched_status st = sched_run(f->sched);
	f->stats = sched_stats(f->sched);
	sched_free(f->sched);
	f->sched = NULL;
	f->max_held = export_writer_max_pending(f->backup);
	return st;
}

void fetch_order_note(const struct fetch *f, char *buf, size_t len)
{
	if (f->pauses)
		snprintf(buf, len, "; paused %u time%s for an earlier ID, at most %zu records held",
			 f->pauses, f->pauses == 1 ? "" : "s", f->max_held);
	else
		snprintf(buf, len, "%s", "");
}
