/*
 * cmd_import.c - `s3src import FILE`: create or modify one source per row.
 *
 * Rows stream from the source reader (mapping and validation, no I/O) into the
 * engine and out to the run's writers: an invalid row, or one an earlier run
 * already did (--resume), is recorded at once and never sent; every other row
 * becomes one request. When the run is aborted (401/403, a signal, the results
 * file not writable) the rows not yet read are still read, checked and
 * recorded (skipped, or invalid), so the results file accounts for every row
 * and is a valid --resume input.
 *
 * A create whose reply was lost and whose retry got 409 is held (lost.c) and
 * looked up by label in the server's listing when the run is over: `created`
 * with its ID if found with the row's account and bucket, else `failed`.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "conn.h"
#include "input_opts.h"
#include "lost.h"
#include "results.h"
#include "run.h"
#include "sched.h"
#include "source.h"
#include "util.h"

static const char usage_text[] =
"usage: s3src import FILE [OPTIONS]\n"
"\n"
"Create or modify one Panther S3 log source per row of FILE (CSV or JSONL,\n"
"plain or gzip; '-' reads stdin). Every row is checked offline first; invalid\n"
"rows are never sent.\n"
"\n"
INPUT_HELP
"      --resume RESULTS      skip rows that succeeded in an earlier run's results file\n"
"                            (repeatable: a row done in any of them is skipped)\n"
"\n"
RUN_HELP
"\n"
CONN_HELP
"\n"
"Exit codes: 0 all rows succeeded or were skipped as done, 1 some row invalid or\n"
"failed, 2 usage or input error (nothing sent), 3 run aborted.\n";

struct import {
	struct source_reader *sr;
	struct resume_set *resume;
	char *resume_note;  /* the note of a --resume hit (owned) */
	struct run run;
	int input_error;
	size_t read;      /* sources read from the input */
	size_t sent;
	struct lost_replies lost;  /* creates to look up by label after the run */
};

/* What the engine holds for one in-flight row. */
struct job {
	struct source *src;   /* owned */
	char *body;           /* owned JSON text */
};

static void record_source(struct import *im, const struct source *s, enum outcome o,
			  const char *id, const char *err)
{
	struct result res = {
		.row = s->row, .line = s->line, .action = s->action, .outcome = o,
		.id = id ? id : s->id, .label = s->label,
		.error = err, .warning = s->warning, .fingerprint = s->fingerprint,
	};
	run_record(&im->run, s, &res);
}

/* Records rows that need no request: invalid, or done by an earlier run.
 * Returns 1 if s was recorded (and freed), 0 if it must be sent. */
static int settle_locally(struct import *im, struct source *s)
{
	if (s->error) {
		record_source(im, s, OUTCOME_INVALID, NULL, s->error);
		source_free(s);
		return 1;
	}
	const char *prev = im->resume ? resume_lookup(im->resume, s->fingerprint) : NULL;
	if (prev) {
		record_source(im, s, OUTCOME_SKIPPED, *prev ? prev : NULL, im->resume_note);
		source_free(s);
		return 1;
	}
	return 0;
}

static int import_next(void *ctx, struct request *req)
{
	struct import *im = ctx;
	char err[1024];

	for (;;) {
		if (im->run.write_error)
			return -1;
		struct source *s;
		int rc = source_next(im->sr, &s, err, sizeof(err));
		if (rc == 0)
			return 0;
		if (rc < 0) {
			error("%s", err);
			im->input_error = 1;
			return -1;
		}
		im->read++;
		if (settle_locally(im, s))
			continue;
		struct job *job = xmalloc(sizeof(*job));
		job->src = s;
		job->body = json_dumps(s->body, JSON_COMPACT);
		if (!job->body)
			die("cannot serialise the request body of row %zu", s->row);
		req->action = s->action;
		req->id = s->id;
		req->body = job->body;
		req->body_len = strlen(job->body);
		req->user = job;
		im->sent++;
		return 1;
	}
}

static int import_done(void *ctx, struct request *req, const struct response *res)
{
	struct import *im = ctx;
	struct job *job = req->user;
	struct source *s = job->src;
	enum outcome o = OUTCOME_FAILED;
	char *id = NULL, *errtext = NULL;

	if (res->kind == RESPONSE_HTTP && s->action == ACTION_CREATE && res->http_status >= 200 &&
	    res->http_status < 300) {
		/* any 2xx with an ID created the source (201 is the contract's; a 200 or
		 * 202 from a proxy must not lose the ID) */
		id = response_json_string(res, "integrationId");
		if (id && *id)
			o = OUTCOME_CREATED;
		else
			errtext = xasprintf("the API answered %d without an integrationId: source '%s' "
					    "was probably created; look it up in Panther before re-running this row",
					    res->http_status, s->label ? s->label : "");
	} else if (res->kind == RESPONSE_HTTP && s->action == ACTION_MODIFY && res->http_status == 200) {
		o = OUTCOME_MODIFIED;
	} else if (res->kind == RESPONSE_HTTP && s->action == ACTION_CREATE &&
		   res->http_status == 409 && res->create_reply_lost) {
		char *msg = response_error_text(res);
		errtext = xasprintf("source '%s' probably was created by an earlier attempt whose reply "
				    "was lost (the retry got %s); check it in Panther, do not re-run this row "
				    "blindly", s->label ? s->label : "", msg);
		free(msg);
		/* recorded after the run, once looked up by label (lost.c) */
		lost_add(&im->lost, s, res->http_status, res->attempts, res->elapsed_ms, errtext);
		free(job->body);
		free(job);
		return 0;
	} else if (res->kind == RESPONSE_TRANSPORT && res->http_status >= 200 && res->http_status < 300) {
		/* a success status whose body could not be read (e.g. over the cap):
		 * the write was applied, the row must not look like a plain failure */
		errtext = xasprintf("the API answered %d but its reply could not be read (%s): source '%s' "
				    "was probably %s; look it up in Panther before re-running this row",
				    res->http_status, res->error ? res->error : "no body",
				    s->label ? s->label : "",
				    s->action == ACTION_CREATE ? "created" : "modified");
	} else if (res->kind == RESPONSE_NOT_STARTED) {
		o = OUTCOME_SKIPPED;
		errtext = xstrdup("not sent: the run was aborted before this row");
	} else if (s->action == ACTION_CREATE && res->kind == RESPONSE_ABORTED) {
		errtext = xasprintf("abandoned in flight when the run was aborted: source '%s' may have "
				    "been created; check it in Panther before re-running this row",
				    s->label ? s->label : "");
	} else if (s->action == ACTION_CREATE && res->create_reply_lost) {
		/* the last error is not the whole story: an earlier attempt may have landed */
		char *msg = response_error_text(res);
		errtext = xasprintf("%s; source '%s' may have been created by an attempt whose reply "
				    "was lost: check it in Panther before re-running this row",
				    msg, s->label ? s->label : "");
		free(msg);
	} else {
		errtext = response_error_text(res);
	}

	struct result r = {
		.row = s->row, .line = s->line, .action = s->action, .outcome = o,
		.http_status = res->http_status, .id = id ? id : s->id, .label = s->label,
		.attempts = res->attempts, .elapsed_ms = res->elapsed_ms,
		.error = errtext, .warning = s->warning, .fingerprint = s->fingerprint,
	};
	int rc = run_record(&im->run, s, &r);
	free(id);
	free(errtext);
	free(job->body);
	source_free(s);
	free(job);
	return rc < 0 ? -1 : 0;
}

static void import_tick(void *ctx)
{
	struct import *im = ctx;
	uint64_t done, total;
	reader_progress(source_reader_reader(im->sr), &done, &total);
	run_tick(&im->run, im->read, done, total);
}

/* After an abort: read, check and record every row not yet read. */
static size_t drain_rest(struct import *im, const char *why)
{
	char err[1024];
	struct source *s;
	size_t n = 0;
	int rc;

	while (!im->input_error && (rc = source_next(im->sr, &s, err, sizeof(err))) != 0) {
		if (rc < 0) {
			error("%s", err);
			im->input_error = 1;
			break;
		}
		if (!settle_locally(im, s)) {
			record_source(im, s, OUTCOME_SKIPPED, NULL, why);
			source_free(s);
			n++;
		}
	}
	return n;
}

int cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		INPUT_LONGOPTS,
		RUN_LONGOPTS,
		{ "resume", required_argument, NULL, RUN_OPT_RESUME },
		CONN_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct source_opts sopts;
	struct run_opts ropts;
	struct conn_opts conn;
	struct import im;
	char err[4096];
	int opt, rc;

	memset(&im, 0, sizeof(im));
	lost_init(&im.lost);
	source_opts_init(&sopts);
	run_opts_init(&ropts);
	conn_opts_init(&conn);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h" CONN_SHORTOPTS RUN_SHORTOPTS, longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage_text, stdout);
			rc = EXIT_OK;
			goto out_opts;
		}
		int h = input_opts_handle(&sopts, opt, optarg);
		if (!h)
			h = run_opts_handle(&ropts, opt, optarg);
		if (!h)
			h = conn_opts_handle(&conn, opt, optarg);
		if (h <= 0) {
			if (!h)
				fprintf(stderr, "run 's3src import --help' for the options\n");
			rc = EXIT_USAGE;
			goto out_opts;
		}
	}
	if (argc - optind != 1) {
		error(argc - optind ? "import takes one FILE, got %d" : "import needs a FILE (or '-' for stdin)",
		      argc - optind);
		fputs("usage: s3src import FILE [OPTIONS]\n", stderr);
		rc = EXIT_USAGE;
		goto out_opts;
	}
	const char *path = argv[optind];

	/* Everything that can make the run pointless is checked before a request,
	 * and every path before a file is created. */
	if (conn_opts_finish(&conn) < 0 ||
	    run_check_paths(&ropts, &(struct path_use){ "the input", path, PATH_READ, OWN_NONE }, 1) < 0) {
		rc = EXIT_USAGE;
		goto out_opts;
	}
	im.sr = source_reader_open(path, &sopts, err, sizeof(err));
	if (!im.sr) {
		error("%s", err);
		rc = EXIT_USAGE;
		goto out_opts;
	}
	if (ropts.nresume) {
		/* repeated --resume: the union of the files */
		im.resume = resume_load_all(ropts.resume_paths, ropts.nresume, err, sizeof(err));
		if (!im.resume) {
			error("%s", err);
			rc = EXIT_USAGE;
			goto out_reader;
		}
		struct strbuf sb = STRBUF_INIT;
		strbuf_addstr(&sb, RESUME_SKIP_NOTE);
		for (size_t i = 0; i < ropts.nresume; i++)
			strbuf_addf(&sb, "%s'%s'", i ? ", " : "", ropts.resume_paths[i]);
		strbuf_addstr(&sb, " (--resume): not sent again");
		im.resume_note = strbuf_detach(&sb, NULL);
	}
	struct reader *rd = source_reader_reader(im.sr);
	size_t nheader = 0;
	char **header = reader_header(rd, &nheader);
	if (run_open(&im.run, "import", &ropts, reader_format(rd), header, nheader,
		     reader_delimiter(rd)) < 0) {
		rc = EXIT_USAGE;
		goto out_resume;
	}
	run_input_style(&im.run, reader_had_bom(rd), reader_eol(rd));
	im.run.resume_input = path;

	static const struct sched_callbacks cb = { import_next, import_done, import_tick };
	struct sched *sch = sched_new(&conn, &cb, &im);
	im.run.stats = sched_stats(sch);
	sched_install_signals();
	enum sched_status st = sched_run(sch);

	int aborted = 0;
	char note[128];
	switch (st) {
	case SCHED_DONE:
		break;
	case SCHED_AUTH:
		aborted = 1;
		drain_rest(&im, "not sent: the run stopped after the API refused the token (401/403)");
		break;
	case SCHED_SIGNAL:
		aborted = 1;
		drain_rest(&im, "not sent: the run was interrupted");
		break;
	case SCHED_STOPPED:
	case SCHED_SETUP:
		aborted = 1;
		if (!im.input_error && !im.run.write_error)
			error("the run stopped");
		if (!im.run.write_error) {
			drain_rest(&im, "not sent: the run stopped");
		} else {
			/* the rest is still read, so the summary accounts for every
			 * row (and an invalid one still reaches the failed-rows file) */
			const char *why = im.run.unrec.fd >= 0 ? "the results output was closed"
				: "the results file could not be written";
			char *text = xasprintf("not sent: %s", why);
			size_t n = drain_rest(&im, text);
			free(text);
			if (n) {
				snprintf(note, sizeof(note), "%zu row%s not sent: %s", n,
					 n == 1 ? "" : "s", why);
				im.run.extra_output = note;
			}
		}
		break;
	}
	im.run.stats = NULL;
	/* keep the engine's figures for the summary */
	struct sched_stats final = *sched_stats(sch);
	im.run.stats = &final;
	sched_free(sch);
	lost_resolve(&im.lost, &conn, &im.run, st == SCHED_DONE && !im.run.write_error, &final);

	if (source_reader_close(im.sr, err, sizeof(err)) < 0) {
		error("%s", err);
		im.input_error = 1;
	}
	im.sr = NULL;
	rc = run_finish(&im.run, aborted);
	if (im.input_error && !im.sent && rc != EXIT_ABORTED)
		rc = EXIT_USAGE;  /* unreadable input and nothing sent */
	else if (im.input_error)
		rc = EXIT_ABORTED;
out_resume:
	if (im.resume)
		resume_free(im.resume);
	free(im.resume_note);
out_reader:
	if (im.sr)
		source_reader_close(im.sr, err, sizeof(err));
out_opts:
	lost_release(&im.lost);
	source_opts_release(&sopts);
	conn_opts_release(&conn);
	return rc;
}
