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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "conn.h"
#include "export_writer.h"
#include "fetch.h"
#include "ids.h"
#include "run.h"
#include "sched.h"
#include "util.h"

static const char usage_text[] =
"usage: s3src delete [ID...] [--ids FILE] [--backup PATH] [--yes] [OPTIONS]\n"
"\n"
"Fetch every source and write the backup, then delete the sources that were\n"
"backed up. A source whose fetch failed is not deleted.\n"
"\n"
"      --ids FILE            IDs, one per line ('#' comments), or a CSV/JSONL with an\n"
"                            integrationId column or key (a results file, an export)\n"
"      --backup PATH         the backup (default s3-sources-deleted-YYYYmmddTHHMMSSZ.jsonl.gz)\n"
"  -y, --yes                 do not ask (required when stdin is not a terminal)\n"
"\n"
RUN_HELP
"\n"
CONN_HELP
"\n"
"Exit codes: 0 every source deleted, 1 some failed, 2 usage error or not\n"
"confirmed (nothing sent), 3 run aborted.\n";

enum { OPT_IDS = 1300, OPT_BACKUP };

struct deleter {
	struct fetch *f;
	size_t next;
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

	if (res->kind == RESPONSE_HTTP && (res->http_status == 204 || res->http_status == 200)) {
		fetch_record(f, i, OUTCOME_DELETED, res->http_status, attempts, elapsed, NULL, NULL);
	} else if (res->kind == RESPONSE_HTTP && res->http_status == 404) {
		fetch_record(f, i, OUTCOME_DELETED, 404, attempts, elapsed, NULL,
			     "already absent when the DELETE arrived");
	} else if (res->kind == RESPONSE_NOT_STARTED) {
		fetch_record(f, i, OUTCOME_SKIPPED, 0, attempts, elapsed,
			     "not deleted: the run was aborted (the source is in the backup)", NULL);
	} else {
		char *text = response_error_text(res);
		fetch_record(f, i, OUTCOME_FAILED, res->http_status, attempts, elapsed, text, NULL);
		free(text);
	}
	it->state = FETCH_ABSENT; /* recorded */
	return f->run->write_error ? -1 : 0;
}

static void delete_tick(void *ctx)
{
	struct deleter *d = ctx;
	run_tick(d->f->run, 0, 0);
}

/* Asks on the terminal. 1: confirmed. */
static int confirm(size_t n)
{
	char line[64];
	fprintf(stderr, "Delete %zu source%s? [y/N] ", n, n == 1 ? "" : "s");
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return 0;
	return !strcasecmp(line, "y\n") || !strcasecmp(line, "yes\n");
}

int cmd_delete(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ids", required_argument, NULL, OPT_IDS },
		{ "backup", required_argument, NULL, OPT_BACKUP },
		{ "yes", no_argument, NULL, 'y' },
		RUN_LONGOPTS,
		CONN_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_opts ropts;
	struct conn_opts conn;
	struct id_list ids;
	struct run run;
	const char *ids_file = NULL, *out = NULL;
	char *out_default = NULL, err[1024];
	int opt, rc, yes = 0;

	run_opts_init(&ropts);
	conn_opts_init(&conn);
	id_list_init(&ids);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "hy" CONN_SHORTOPTS RUN_SHORTOPTS, longopts, NULL)) != -1) {
		int h = 1;
		if (opt == 'h') {
			fputs(usage_text, stdout);
			rc = EXIT_OK;
			goto out;
		} else if (opt == 'y') {
			yes = 1;
		} else if (opt == OPT_IDS) {
			ids_file = optarg;
		} else if (opt == OPT_BACKUP) {
			out = optarg;
		} else if (!(h = run_opts_handle(&ropts, opt, optarg))) {
			h = conn_opts_handle(&conn, opt, optarg);
		}
		if (h <= 0) {
			if (!h)
				fprintf(stderr, "run 's3src delete --help' for the options\n");
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (fetch_collect_ids(&ids, argc - optind, argv + optind, ids_file) < 0 ||
	    conn_opts_finish(&conn) < 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (!yes) {
		if (!isatty(STDIN_FILENO)) {
			error("delete needs --yes when stdin is not a terminal (nothing was sent)");
			rc = EXIT_USAGE;
			goto out;
		}
		if (!confirm(ids.n)) {
			fprintf(stderr, "nothing deleted\n");
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (!out) {
		char stamp[32];
		utc_stamp(stamp, sizeof(stamp));
		out = out_default = xasprintf("s3-sources-deleted-%s.jsonl.gz", stamp);
	}
	struct export_writer *backup = export_writer_open(out, err, sizeof(err));
	if (!backup) {
		error("%s", err);
		rc = EXIT_USAGE;
		goto out;
	}
	if (run_open(&run, "delete", &ropts, FORMAT_AUTO, NULL, 0, 0) < 0) {
		export_writer_abort(backup);
		rc = EXIT_USAGE;
		goto out;
	}
	run.total_hint = ids.n;
	if (ids.duplicates && !ropts.quiet)
		warning("%zu duplicate ID%s deleted once", ids.duplicates, ids.duplicates == 1 ? "" : "s");

	/* phase 1: fetch everything, commit the backup */
	struct fetch f;
	fetch_init(&f, &ids, backup, &run, ACTION_DELETE);
	sched_install_signals();
	enum sched_status st = fetch_run(&f, &conn);
	char note[1200];
	const char *why = NULL;
	size_t fetched = 0;
	for (size_t i = 0; i < ids.n; i++)
		fetched += f.items[i].state == FETCH_OK;

	if (st != SCHED_DONE) {
		export_writer_abort(backup);
		why = st == SCHED_AUTH ? "not deleted: the run stopped after the API refused the token"
			: st == SCHED_SIGNAL ? "not deleted: the run was interrupted before any DELETE"
			: "not deleted: the run stopped before any DELETE";
		snprintf(note, sizeof(note), "backup: not written (nothing was deleted)");
	} else if (export_writer_commit(backup, err, sizeof(err)) < 0) {
		error("%s", err);
		why = "not deleted: the backup could not be written";
		snprintf(note, sizeof(note), "backup: NOT written, nothing deleted: %s", err);
		st = SCHED_STOPPED;
	} else {
		snprintf(note, sizeof(note), "backup: %s (%zu source%s)", out, fetched, fetched == 1 ? "" : "s");
		/* phase 2: the DELETEs, only for what is in the backup */
		struct deleter d = { &f, 0 };
		static const struct sched_callbacks cb = { delete_next, delete_done, delete_tick };
		struct sched *s = sched_new(&conn, &cb, &d);
		struct sched_stats fetch_stats = f.stats;
		run.stats = sched_stats(s);
		st = sched_run(s);
		f.stats = *sched_stats(s);
		f.stats.requests += fetch_stats.requests;
		f.stats.retries += fetch_stats.retries;
		f.stats.lat_count += fetch_stats.lat_count;
		for (size_t b = 0; b < ARRAY_SIZE(f.stats.lat_buckets); b++)
			f.stats.lat_buckets[b] += fetch_stats.lat_buckets[b];
		run.stats = &f.stats;
		sched_free(s);
		why = st == SCHED_AUTH ? "not deleted: the run stopped after the API refused the token (the source is in the backup)"
			: st == SCHED_SIGNAL ? "not deleted: the run was interrupted (the source is in the backup)"
			: "not deleted: the run stopped (the source is in the backup)";
	}
	/* every ID not recorded yet: fetched but not deleted, or never fetched */
	for (size_t i = 0; i < ids.n; i++) {
		struct fetch_item *it = &f.items[i];
		if (it->state == FETCH_OK || it->state == FETCH_PENDING)
			fetch_record(&f, i, it->state == FETCH_OK && st == SCHED_STOPPED ? OUTCOME_FAILED
				     : OUTCOME_SKIPPED, 0, it->attempts, it->elapsed_ms, why, NULL);
	}
	run.extra_output = note;
	rc = run_finish(&run, st != SCHED_DONE);
	fetch_release(&f);
out:
	free(out_default);
	id_list_release(&ids);
	conn_opts_release(&conn);
	return rc;
}
