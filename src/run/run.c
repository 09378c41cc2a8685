/*
 * run.c - per-row bookkeeping shared by import, export and delete (see run.h):
 * every finished row goes to the results file (flushed at once), a failed or
 * invalid one also to the failed-rows file, and to the counts behind the
 * progress line, the summary and the exit code.
 */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source.h"
#include "util.h"

void run_opts_init(struct run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->progress = -1;
}

int run_opts_handle(struct run_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case RUN_OPT_RESULTS:
		o->results_path = arg;
		return 1;
	case RUN_OPT_FAILED:
		o->failed_path = arg;
		return 1;
	case RUN_OPT_RESUME:
		if (o->nresume == RUN_MAX_FILES) {
			error("at most %d --resume files", RUN_MAX_FILES);
			return -1;
		}
		o->resume_paths[o->nresume++] = arg;
		return 1;
	case RUN_OPT_OVERWRITE:
		o->overwrite = 1;
		return 1;
	case RUN_OPT_PROGRESS:
		o->progress = 1;
		return 1;
	case RUN_OPT_NO_PROGRESS:
		o->progress = 0;
		return 1;
	case RUN_OPT_QUIET:
		o->quiet = 1;
		return 1;
	}
	return 0;
}

int run_popt(const struct popt *opt, void *ctx, const char *arg)
{
	return run_opts_handle(ctx, (int)opt->defval, arg) < 0 ? -1 : 0;
}

const struct popt run_popts[] = {
	POPT_GROUP("Output:"),
	POPT_CALLBACK(0, "results", NULL, "PATH", run_popt, RUN_OPT_RESULTS,
		      "per-row results, .csv or .jsonl ('-' = JSONL on stdout)\n"
		      "(default s3src-COMMAND-YYYYmmddTHHMMSSZ.results.csv)"),
	POPT_CALLBACK(0, "failed", NULL, "PATH", run_popt, RUN_OPT_FAILED,
		      "failed rows (import: by default next to the results file;\n"
		      "export, delete: the failed IDs, an --ids file)"),
	POPT_CALLBACK(0, "overwrite", NULL, NULL, run_popt, RUN_OPT_OVERWRITE,
		      "replace an existing, non-empty --results or --failed file"),
	{ .type = POPT_T_CALLBACK, .long_name = "progress", .usage_name = "--progress, --no-progress",
	  .cb = run_popt, .defval = RUN_OPT_PROGRESS, .help = "force the progress line on or off" },
	POPT_CALLBACK(0, "no-progress", NULL, NULL, run_popt, RUN_OPT_NO_PROGRESS, NULL),
	POPT_CALLBACK('q', "quiet", NULL, NULL, run_popt, RUN_OPT_QUIET, "no progress line, no summary"),
	POPT_END(),
};

int run_check_paths(const struct run_opts *o, const struct path_use *extra, size_t nextra)
{
	struct path_use v[RUN_MAX_FILES * 2 + 8];
	size_t n = 0;

	for (size_t i = 0; i < nextra && n < ARRAY_SIZE(v) - 2 - RUN_MAX_FILES; i++)
		v[n++] = extra[i];
	for (size_t i = 0; i < o->nresume; i++)
		v[n++] = (struct path_use){ "--resume", o->resume_paths[i], PATH_READ, OWN_NONE };
	v[n++] = (struct path_use){ "--results", o->results_path, PATH_RESULTS, OWN_NONE };
	v[n++] = (struct path_use){ "--failed", o->failed_path, PATH_RESULTS, OWN_NONE };
	if (o->failed_path && !strcmp(o->failed_path, "-")) {
		error("--failed needs a file name ('-' is not one)");
		return -1;
	}
	return outputs_check(v, n, o->overwrite);
}

int run_open(struct run *r, const char *command, const struct run_opts *o,
	     enum in_format fmt, char **header, size_t nheader, int delimiter)
{
	char err[512];

	memset(r, 0, sizeof(*r));
	r->command = command;
	r->opts = *o;
	r->start_ms = now_ms();
	if (o->results_path) {
		struct stat st;
		r->results_path = xstrdup(o->results_path);
		if (strcmp(o->results_path, "-") && stat(o->results_path, &st) != 0)
			r->results_created = 1;
		else if (strcmp(o->results_path, "-") && S_ISREG(st.st_mode) && !st.st_size)
			r->results_was_empty = 1;
	} else {
		r->results_created = 1;
		/* a default name never replaces a file: two runs in the same second
		 * get "-2", "-3"... */
		char stamp[32];
		utc_stamp(stamp, sizeof(stamp));
		char *want = xasprintf("s3src-%s-%s.results.csv", command, stamp);
		r->results_path = create_exclusive(want, err, sizeof(err));
		free(want);
		if (!r->results_path) {
			error("%s", err);
			return -1;
		}
	}
	r->results = results_open(r->results_path, err, sizeof(err));
	if (!r->results) {
		error("%s", err);
		free(r->results_path);
		r->results_path = NULL;
		return -1;
	}
	unrecorded_init(&r->unrec, results_fd(r->results));
	if (fmt != FORMAT_AUTO) {
		r->failed_default = 1;
		if (o->failed_path)
			r->failed_path = xstrdup(o->failed_path);
		else if (!strcmp(r->results_path, "-"))
			r->failed_path = NULL;  /* no folder to put it next to: only when asked */
		else if (path_is_device(r->results_path, 0))
			/* /dev/null, a terminal: /dev is not the user's folder */
			r->failed_path = failed_default_path(NULL, fmt);
		else
			r->failed_path = failed_default_path(r->results_path, fmt);
		if (r->failed_path)
			r->failed = failed_new(r->failed_path, fmt, header, nheader, delimiter);
	} else if (o->failed_path) {
		/* export, delete: the failed IDs, a re-runnable --ids file */
		static char *ids_header[] = { "integrationId", NULL };
		r->failed_path = xstrdup(o->failed_path);
		r->failed = failed_new(r->failed_path, FORMAT_CSV, ids_header, 1, ',');
	}
	/* only an explicit --failed with --overwrite replaces a file */
	if (r->failed && !(o->failed_path && o->overwrite))
		failed_keep_existing(r->failed, &r->failed_landed);
	int show = o->quiet ? 0 : o->progress >= 0 ? o->progress : isatty(STDERR_FILENO);
	progress_init(&r->progress, show ? stderr : NULL);
	return 0;
}

void run_input_style(struct run *r, int bom, const char *eol)
{
	if (r->failed)
		failed_set_style(r->failed, bom, eol);
}

static void progress_counts(const struct run *r, struct progress_counts *c)
{
	memset(c, 0, sizeof(*c));
	c->done = r->rows;
	c->total = r->total_hint;
	c->ok = r->counts[OUTCOME_CREATED] + r->counts[OUTCOME_MODIFIED] +
		r->counts[OUTCOME_EXPORTED] + r->counts[OUTCOME_DELETED] +
		r->counts[OUTCOME_VALID] + r->counts[OUTCOME_SKIPPED] +
		r->counts[OUTCOME_UNCHANGED] + r->counts[OUTCOME_WOULD_CREATE] +
		r->counts[OUTCOME_WOULD_MODIFY];
	c->failed = r->counts[OUTCOME_FAILED] + r->counts[OUTCOME_INVALID] +
		r->counts[OUTCOME_CONFLICT];
	if (r->stats) {
		c->retrying = r->stats->retrying;
		c->requests = r->stats->requests;
	}
}

int run_record(struct run *r, const struct source *s, const struct result *res)
{
	if (res->outcome < OUTCOME__COUNT)
		r->counts[res->outcome]++;
	r->rows++;
	/* a row's reference in the summary: its input line; a row given on the
	 * command line (an ID argument, a --label) has none: its ID or label */
	char line[96];
	if (res->line || (!res->id && !res->label))
		snprintf(line, sizeof(line), "%zu", res->line);
	else
		snprintf(line, sizeof(line), "%s '%.64s'", res->id ? "ID" : "label",
			 res->id ? res->id : res->label);
	causes_add(&r->causes, outcome_name(res->outcome), res->http_status, res->attempts,
		   res->error, line);
	int wrote = 0;
	if (!r->write_error) {
		if (results_write(r->results, res) < 0) {
			r->write_error = 1;
			progress_end(&r->progress);
			error("cannot write results file '%s': %m; stopping (no new requests); "
			      "the rows that change something from now on are printed here",
			      !strcmp(r->results_path, "-") ? "<stdout>" : r->results_path);
			unrecorded_check_pipe(&r->unrec, 1);
		} else {
			wrote = 1;
			unrecorded_written(&r->unrec, res, results_written(r->results));
		}
	}
	if (!wrote)
		unrecorded_lost(&r->unrec, res);
	/* an ID row (export, delete) has no raw record: its ID is the one cell */
	struct raw_record id_raw = { .line = res->line, .ncells = 1,
				     .cells = (char *[]){ (char *)(res->id ? res->id : "") } };
	struct source id_src = { .row = res->row, .line = res->line, .nraw = 1, .raw = &id_raw };
	if (!s)
		s = &id_src;
	if ((res->outcome == OUTCOME_FAILED || res->outcome == OUTCOME_INVALID ||
	     res->outcome == OUTCOME_CONFLICT) && r->failed &&
	    s->nraw) {
		if (failed_write(r->failed, s, res->error ? res->error : "") < 0) {
			error("cannot write failed-rows file '%s': %m", r->failed_path);
			failed_close(r->failed, NULL, 0);
			r->failed = NULL;
		}
	}
	return r->write_error ? -1 : 0;
}

void run_tick(struct run *r, uint64_t rows_read, uint64_t bytes_done, uint64_t bytes_total)
{
	if (!r->progress.out)
		return;
	struct progress_counts c;
	progress_counts(r, &c);
	if (!c.total && bytes_total && bytes_done && rows_read)
		c.total = (uint64_t)((double)rows_read * bytes_total / bytes_done + 0.5);
	progress_update(&r->progress, &c, 0);
}

static void summary(struct run *r, int64_t elapsed)
{
	static const enum outcome order[] = {
		OUTCOME_WOULD_CREATE, OUTCOME_WOULD_MODIFY, OUTCOME_CREATED, OUTCOME_MODIFIED,
		OUTCOME_UNCHANGED, OUTCOME_EXPORTED, OUTCOME_DELETED, OUTCOME_VALID,
		OUTCOME_SKIPPED, OUTCOME_CONFLICT, OUTCOME_INVALID, OUTCOME_FAILED,
	};
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s: %zu row%s in %.1f s:", r->command, r->rows, r->rows == 1 ? "" : "s",
		    elapsed / 1000.0);
	int any = 0;
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		if (!r->counts[order[i]])
			continue;
		strbuf_addf(&sb, "%s %zu %s", any ? "," : "", r->counts[order[i]], outcome_name(order[i]));
		any = 1;
	}
	if (!any)
		strbuf_addstr(&sb, " nothing to do");
	fprintf(stderr, "%s\n", sb.buf);
	causes_print(&r->causes, stderr, "  ", "line");
	if (r->stats && r->stats->requests) {
		const struct sched_stats *st = r->stats;
		double secs = elapsed > 0 ? elapsed / 1000.0 : 0.001;
		fprintf(stderr,
			"  requests: %llu (%llu retr%s, %llu throttled), %.1f requests/s, latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms\n",
			(unsigned long long)st->requests, (unsigned long long)st->retries,
			st->retries == 1 ? "y" : "ies", (unsigned long long)st->throttled,
			st->requests / secs, sched_latency_quantile(st, 0.50), sched_latency_quantile(st, 0.95),
			sched_latency_quantile(st, 0.99));
		if (st->pace_cuts)
			fprintf(stderr, "  paced to the server's rate limit: %.1f requests/s at the end (%u cut%s)\n",
				st->pace_rate, st->pace_cuts, st->pace_cuts == 1 ? "" : "s");
	}
	if (r->extra_output)
		fprintf(stderr, "  %s\n", r->extra_output);
	fprintf(stderr, "  results: %s\n", !strcmp(r->results_path, "-") ? "<stdout>" : r->results_path);
	if (r->failed_written)
		fprintf(stderr, "  failed rows: %s\n", r->failed_landed ? r->failed_landed : r->failed_path);
	else if (r->failed_default && !r->failed_path &&
		 (r->counts[OUTCOME_FAILED] || r->counts[OUTCOME_INVALID]))
		fprintf(stderr, "  failed rows not written: --results is stdout; pass --failed PATH\n");
	strbuf_release(&sb);
}

int run_finish(struct run *r, int aborted)
{
	char err[512] = "";
	int64_t elapsed = now_ms() - r->start_ms;

	progress_end(&r->progress);
	if (r->results && !r->write_error &&
	    unrecorded_check_pipe(&r->unrec, 0)) {
		/* the reader left before the end: the results were not all delivered */
		error("the results pipe's reader left before the end of the run");
		r->write_error = 1;
	}
	if (r->failed) {
		int rc = failed_close(r->failed, err, sizeof(err));
		if (rc < 0)
			error("%s", err);
		r->failed_written = rc == 1;
		r->failed = NULL;
	}
	if (r->results && results_close(r->results, err, sizeof(err)) < 0) {
		if (!r->write_error)
			error("%s", err);
		r->write_error = 1;
	}
	r->results = NULL;
	if (r->discard_unused && !r->rows && !r->write_error &&
	    ((r->results_created && unlink(r->results_path) != 0) ||
	     (r->results_was_empty && truncate(r->results_path, 0) != 0)))
		warning("cannot remove the unused results file '%s': %s", r->results_path,
			strerror(errno));
	if (!r->opts.quiet)
		summary(r, elapsed);
	causes_release(&r->causes);

	int code = EXIT_OK;
	if (r->counts[OUTCOME_FAILED] || r->counts[OUTCOME_INVALID] || r->counts[OUTCOME_CONFLICT])
		code = EXIT_ROWS;
	if (aborted || r->write_error)
		code = EXIT_ABORTED;
	if (r->unrec.printed && !r->opts.quiet)
		fprintf(stderr, "  %zu row%s that changed something printed above as 'unrecorded' "
			"(not in the results file)\n", r->unrec.printed, r->unrec.printed == 1 ? "" : "s");
	if (aborted && !r->write_error && r->resume_input && !r->opts.quiet) {
		/* stopped by a signal or a refused token, every row recorded: the
		 * way on skips the rows already done (by their fingerprint). Not
		 * after a results write error: the unrecorded rows would be sent
		 * again. */
		if (strcmp(r->results_path, "-"))
			fprintf(stderr, "  to continue: s3src import '%s' --resume '%s' (with the same "
				"options; a --results PATH needs a new name)\n", r->resume_input,
				r->results_path);
		else
			fprintf(stderr, "  to continue: save the results from stdout to a file, then: "
				"s3src import '%s' --resume FILE (with the same options)\n",
				r->resume_input);
	}
	unrecorded_release(&r->unrec);
	free(r->results_path);
	free(r->failed_path);
	free(r->failed_landed);
	r->results_path = r->failed_path = r->failed_landed = NULL;
	return code;
}
