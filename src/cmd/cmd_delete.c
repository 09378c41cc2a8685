/*
 * cmd_delete.c - `s3src delete [ID...] [--ids FILE] [--backup PATH] [--yes]`:
 * back each source up, then delete it.
 *
 * Two phases, so that no source is deleted before its backup is safely on
 * disk: first every ID is fetched (fetch.c) and the whole backup is committed
 * (temporary file, fsync, rename, folder fsync); only then are the DELETEs
 * sent, and only for the sources that were fetched. A fetch 404 is `deleted`
 * with the warning "already absent"; a failed fetch is `failed` and that
 * source is not deleted. If the backup cannot be written, nothing is deleted.
 * When nothing was fetched (every ID invalid, absent or failed, every label
 * unknown) no backup file is written at all, not even an empty one.
 *
 * `--label L` (repeatable) is resolved through the server's listing before
 * the confirmation (id_cmd.c): an unknown label is that row's `failed`. An ID
 * that is not a UUID is `invalid` and never sent: a label typed where an ID
 * goes must not come out as "deleted, already absent".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api.h"
#include "cmd.h"
#include "conn.h"
#include "export_writer.h"
#include "fetch.h"
#include "id_cmd.h"
#include "ids.h"
#include "run.h"
#include "engine.h"
#include "util.h"

static const struct id_cmd_kind delete_kind = {
	.name = "delete",
	.past = "deleted",
	.backup_option = "--backup",
	.default_prefix = "s3-sources-deleted",
	.backup_replaces = 0,
	.no_ids = "no IDs: give them as arguments, with --ids FILE, or name sources with --label L",
	.not_id_hint = "; to delete by label use --label",
	.usage = {
		"delete",
		"usage: s3src delete [ID...] [--ids FILE] [--label L]... [--backup PATH] [--yes] [OPTIONS]\n"
		"\n"
		"Fetch every source and write the backup, then delete the sources that were\n"
		"backed up. A source whose fetch failed is not deleted.\n"
		"\n",
		"\n"
		"Exit codes: 0 every source deleted, 1 some failed or invalid (or the listing\n"
		"for --label failed: nothing deleted), 2 usage error or not confirmed (nothing\n"
		"sent), 3 run aborted, or the API refused the token or the listing (401/403).\n",
	},
};

struct deleter {
	struct fetch *f;
	size_t next;
	struct sched *sched;        /* the DELETE phase's engine (borrowed) */
	struct sched_stats live;    /* its figures at the last tick, for the progress line */
};

static int delete_next(void *ctx, struct request *req)
{
	struct deleter *d = ctx;
	struct fetch *f = d->f;

	if (f->run->write_error)
		return -1;
	while (d->next < f->ids->n && f->items[d->next].state != FETCH_OK)
		d->next++;
	if (d->next >= f->ids->n)
		return 0;
	size_t i = d->next++;
	req->action = ACTION_DELETE;
	req->id = f->ids->v[i].id;
	req->body = NULL;
	req->body_len = 0;
	req->user = (void *)(uintptr_t)i;
	return 1;
}

static int delete_done(void *ctx, struct request *req, const struct response *res)
{
	struct deleter *d = ctx;
	struct fetch *f = d->f;
	size_t i = (size_t)(uintptr_t)req->user;
	struct fetch_item *it = &f->items[i];
	int attempts = it->attempts + res->attempts;
	int64_t elapsed = it->elapsed_ms + res->elapsed_ms;

	const struct api_reply *rule = api_reply(ACTION_DELETE, res);
	if (rule->meaning == API_DONE || rule->meaning == API_ABSENT) {
		/* absent: deleted all the same, with the rule's warning */
		fetch_record(f, i, rule->outcome, res->http_status, attempts, elapsed, NULL, rule->text);
	} else if (rule->meaning == API_NOT_SENT) {
		fetch_record(f, i, rule->outcome, 0, attempts, elapsed, rule->text, NULL);
	} else {
		char *text = response_error_text(res);
		fetch_record(f, i, rule->outcome, res->http_status, attempts, elapsed, text, NULL);
		free(text);
	}
	it->state = FETCH_ABSENT; /* recorded */
	return f->run->write_error ? -1 : 0;
}

static void delete_tick(void *ctx)
{
	struct deleter *d = ctx;
	d->live = sched_stats(d->sched);
	run_tick(d->f->run, 0, 0, 0);
}

/* Phase 2: the DELETEs, only for what is in the committed backup. The
 * engine's figures of both phases are added up for the summary. */
static enum sched_status delete_phase(struct fetch *f, const struct conn_opts *conn)
{
	static const struct sched_callbacks cb = { delete_next, delete_done, delete_tick };
	struct deleter d = { f, 0, NULL, { 0 } };
	struct sched *s = sched_new(conn, &cb, &d);

	d.sched = s;
	d.live = sched_stats(s);
	f->run->stats = &d.live;
	enum sched_status st = sched_run(s);
	d.live = sched_stats(s);
	sched_stats_add(&f->stats, &d.live);
	f->run->stats = &f->stats;
	sched_free(s);
	return st;
}

/* Asks on a terminal; --yes is required without one. 0: go on. early: before
 * the listing is read, only the check that needs no answer (each --label may
 * name a source to delete). */
static int confirm(struct id_cmd *c, int early)
{
	char line[64];
	size_t n = early ? c->nlabels : 0;

	for (size_t i = 0; i < c->ids.n; i++)
		n += !c->ids.v[i].error;   /* an invalid ID is never sent */

	if (c->yes || !n)
		return 0;   /* nothing to delete: nothing to ask (the rows say why) */
	if (!isatty(STDIN_FILENO)) {
		error("delete needs --yes when stdin is not a terminal (nothing was sent)");
		return -1;
	}
	if (early)
		return 0;
	fprintf(stderr, "Delete %zu source%s? [y/N] ", n, n == 1 ? "" : "s");
	fflush(stderr);
	if (fgets(line, sizeof(line), stdin) && (!strcasecmp(line, "y\n") || !strcasecmp(line, "yes\n")))
		return 0;
	fprintf(stderr, "nothing deleted\n");
	return -1;
}

int cmd_delete(int argc, char **argv)
{
	struct id_cmd c;
	char err[1024];
	int rc;
	const struct popt options[] = {
		ID_CMD_IDS_OPTION(&c),
		POPT_CALLBACK(0, "label", &c, "L", id_cmd_label_popt, 0,
			      "the S3 source labelled L (repeatable), found through the\n"
			      "server's GraphQL listing; an unknown label is that row's failure"),
		POPT_STRING(0, "backup", &c.backup_path, "PATH",
			    "the backup (default s3-sources-deleted-YYYYmmddTHHMMSSZ.jsonl.gz)"),
		POPT_FLAG('y', "yes", &c.yes, 1, "do not ask (required when stdin is not a terminal)"),
		POPT_REFUSED('o', "output", "PATH", "delete takes --backup PATH for its backup"),
		POPT_REFUSED(0, "all", NULL, "delete has no --all: name the sources (IDs, --ids FILE, --label L)"),
		POPT_INCLUDE(run_popts, &c.ropts),
		POPT_INCLUDE(conn_popts, &c.conn),
		POPT_END(),
	};

	if (id_cmd_open(&c, &delete_kind, options, argc, argv, confirm, &rc) < 0)
		goto out;

	/* phase 1: fetch everything, commit the backup */
	struct fetch f;
	fetch_init(&f, &c.ids, c.backup, &c.run, ACTION_DELETE);
	sched_install_signals();
	enum sched_status st = fetch_run(&f, &c.conn);
	char note[1200];
	const char *why = NULL;
	size_t fetched = 0;
	for (size_t i = 0; i < c.ids.n; i++)
		fetched += f.items[i].state == FETCH_OK;

	if (st != SCHED_DONE) {
		why = st == SCHED_AUTH ? "not deleted: the run stopped after the API refused the token"
			: st == SCHED_SIGNAL ? "not deleted: the run was interrupted before any DELETE"
			: "not deleted: the run stopped before any DELETE";
		snprintf(note, sizeof(note), "backup: not written (nothing was deleted)");
	} else if (!fetched) {
		/* nothing to back up (every ID invalid, absent or unknown): no empty
		 * backup file, no name taken, nothing to delete */
		snprintf(note, sizeof(note), "backup: not written (nothing to back up)");
	} else if (export_writer_commit(c.backup, err, sizeof(err)) < 0) {
		c.backup = NULL;
		error("%s", err);
		why = "not deleted: the backup could not be written";
		snprintf(note, sizeof(note), "backup: NOT written, nothing deleted: %s", err);
		st = SCHED_STOPPED;
	} else {
		c.backup = NULL;
		char order[128];
		fetch_order_note(&f, order, sizeof(order));
		snprintf(note, sizeof(note), "backup: %s (%zu source%s%s)",
			 c.backup_landed ? c.backup_landed : c.backup_path, fetched,
			 fetched == 1 ? "" : "s", order);
		st = delete_phase(&f, &c.conn);
		why = st == SCHED_AUTH ? "not deleted: the run stopped after the API refused the token (the source is in the backup)"
			: st == SCHED_SIGNAL ? "not deleted: the run was interrupted (the source is in the backup)"
			: "not deleted: the run stopped (the source is in the backup)";
	}
	/* every ID not recorded yet: fetched but not deleted, or never fetched */
	for (size_t i = 0; i < c.ids.n; i++) {
		struct fetch_item *it = &f.items[i];
		if (it->state == FETCH_OK || it->state == FETCH_PENDING)
			fetch_record(&f, i, it->state == FETCH_OK && st == SCHED_STOPPED ? OUTCOME_FAILED
				     : OUTCOME_SKIPPED, 0, it->attempts, it->elapsed_ms, why, NULL);
	}
	c.run.extra_output = note;
	rc = run_finish(&c.run, st != SCHED_DONE);
	fetch_release(&f);
out:
	id_cmd_release(&c);
	return rc;
}
