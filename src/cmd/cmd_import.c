/*
 * cmd_import.c - `s3src import FILE`: create or modify one source per row;
 * and `s3src plan FILE` (cmd_plan.c), which is the same pipeline stopped
 * before every write, so that what plan says is what import does.
 *
 * Rows stream from the source reader (mapping and validation, no I/O) into the
 * engine and out to the run's writers: an invalid row, or one an earlier run
 * already did (--resume), is recorded at once and never sent. A create is one
 * POST. A modify is fetch, merge, compare (merge.h): a GET of the current
 * source, then, as a follow-up request of the same row (engine.h), the PUT of
 * the merged source, only when it differs from the server's (or --force), and
 * only once the fetched source is in the --backup file (backup_stream.h). The
 * GET is part of the row: its attempts and time count in the row's result.
 * In plan mode (struct import.plan) the same code runs up to each write and
 * records what it would have done instead: would-create, would-modify (with
 * its changes), unchanged, invalid.
 *
 * When the run is aborted (401/403, a signal, the results file not writable)
 * the rows not yet read are still read, checked and recorded (skipped, or
 * invalid), so the results file accounts for every row and is a valid
 * --resume input.
 *
 * Label matching (--match label, the default in --mode auto; import_match.h):
 * the server's listing is read once before anything is written; a create
 * whose label the server has becomes a modify of that source (so the same
 * sheet run twice writes nothing the second time), as does a row without
 * integrationId whose only errors are what that source would fill in (a
 * create's missing fields: match_by_label), and a create whose account
 * and bucket a listed source has is checked for a shared prefix first (that
 * source fetched, a follow-up GET per candidate): `conflict` in plan, `failed`
 * in import, nothing sent.
 *
 * A create whose reply was lost and whose retry got 409 is held (lost.c) and
 * looked up by label in the server's listing when the run is over: `created`
 * with its ID if found with the row's account and bucket, else `failed`.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "backup_stream.h"
#include "cmd.h"
#include "conn.h"
#include "input_opts.h"
#include "import_match.h"
#include "listing.h"
#include "lost.h"
#include "merge.h"
#include "messages.h"
#include "parse_options.h"
#include "results.h"
#include "run.h"
#include "engine.h"
#include "source.h"
#include "util.h"
#include "writers_util.h"

static const struct popt_usage import_usage = {
	"import",
	"usage: s3src import FILE [OPTIONS]\n"
	"\n"
	"Create or modify one Panther S3 log source per row of FILE (CSV or JSONL,\n"
	"plain or gzip; '-' reads stdin). Every row is checked offline first; invalid\n"
	"rows are never sent. A modify fetches the source, merges the row into it\n"
	"(empty cells keep the server's values, '#N/A' clears an optional field) and\n"
	"sends it only if something changed, after writing the fetched source to the\n"
	"backup. 's3src plan FILE' shows what this would do without writing anything.\n"
	"\n",
	"\n"
	"Exit codes: 0 all rows succeeded or were skipped as done, 1 some row invalid or\n"
	"failed, 2 usage or input error (nothing sent), 3 run aborted.\n",
};

static const struct popt_usage plan_usage = {
	"plan",
	"usage: s3src plan FILE [OPTIONS]\n"
	"\n"
	"What 's3src import FILE' would do, row by row, without any write: every row\n"
	"is read and checked, every modify's source fetched (GET), merged and compared.\n"
	"Outcomes: would-create, would-modify (with its changes), unchanged, invalid,\n"
	"conflict (a create whose bucket and prefix a source on the server ingests).\n"
	"Takes import's options (--backup is not written).\n"
	"\n",
	"\n"
	"Exit codes: 0 nothing invalid or in conflict, 1 some row invalid, in conflict\n"
	"or failed (e.g. its source could not be fetched), 2 usage or input error,\n"
	"3 run aborted.\n",
};

struct import {
	const char *command;  /* "import" or "plan" */
	int plan;             /* dry run: everything up to the writes */
	int force;            /* --force: PUT a modify that changes nothing */
	int show_diff;        /* stderr is a terminal and not -q: a diff per modify */
	struct source_reader *sr;
	struct resume_set *resume;
	char *resume_note;  /* the note of a --resume hit (owned) */
	struct import_match *match;    /* --match label: the listing, or NULL */
	struct strmap claimed;   /* ID -> (void *)line of the row that modifies it */
	struct backup_stream *backup;  /* import only */
	int backup_error;
	struct run run;
	int input_error;
	size_t read;      /* sources read from the input */
	size_t sent;
	struct lost_replies lost;  /* creates to look up by label after the run */
	struct sched *sched;       /* the engine while it runs (borrowed), else NULL */
	struct sched_stats stats;  /* its figures at the last tick (run.stats points here) */
};

/* What the engine holds for one in-flight row. */
struct job {
	struct source *src;   /* owned */
	char *body;           /* owned JSON text (POST or PUT) */
	int fetched;          /* a modify whose GET is done: the request is its PUT */
	int get_attempts;     /* the GET's, added to the row's */
	int64_t get_elapsed_ms;
	char *changes;        /* owned: the modify's changed fields */
	char *diff;           /* owned: the terminal's diff */
	char *warning;        /* owned: the row's warnings (rendered), plus the merge's
			       * once it is done, or NULL */
	char **probe;         /* a create: IDs of the sources on its bucket to check (owned) */
	size_t nprobe, iprobe;
	int probing;          /* the request is a GET of probe[iprobe] */
};

static void record_source(struct import *im, const struct source *s, enum outcome o,
			  const char *id, const char *err)
{
	char *warning = diag_render_new(&s->diags, DIAG_WARNING);
	struct result res = {
		.row = s->row, .line = s->line, .action = s->action, .outcome = o,
		.id = id ? id : s->id, .label = s->label,
		.error = err, .warning = warning, .fingerprint = s->fingerprint,
	};
	run_record(&im->run, s, &res);
	free(warning);
}

static void job_free(struct job *job)
{
	source_free(job->src);
	free(job->body);
	free(job->changes);
	free(job->diff);
	free(job->warning);
	for (size_t i = 0; i < job->nprobe; i++)
		free(job->probe[i]);
	free(job->probe);
	free(job);
}

/* On a terminal: the row's changes, one line each, above the progress line. */
static void print_diff(struct import *im, const struct source *s, const char *what,
		       const char *diff)
{
	if (!im->show_diff || !diff)
		return;
	progress_end(&im->run.progress);
	fprintf(stderr, "row %zu, %s '%s' (%s):\n", s->row, what, s->label ? s->label : "",
		s->id ? s->id : "");
	for (const char *p = diff; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		fprintf(stderr, "  %.*s\n", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
}

/* The row's warning and the merge's, joined (new string or NULL). */
static char *join_notes(const char *a, const char *b)
{
	if (a && b)
		return xasprintf("%s; %s", a, b);
	return a ? xstrdup(a) : b ? xstrdup(b) : NULL;
}

/* Label matching for a row invalid only for what the source with its label
 * gives (struct source.by_label): when the server has that label, the row
 * becomes a modify of that source, its errors dropped and its fingerprint
 * that of its patch (1). Otherwise 0, the row stays invalid, and a modify
 * row says that no source has its label. */
static int match_by_label(struct import *im, struct source *s)
{
	if (!s->by_label || !im->match)
		return 0;
	const char *id = import_match_label(im->match, s->label);
	if (!id) {
		if (s->action == ACTION_MODIFY) {   /* its one error: the missing ID */
			diag_list_drop(&s->diags, DIAG_ERROR);
			diag_error(&s->diags, "integrationId", M_ID_LABEL_UNKNOWN, s->label);
		}
		return 0;
	}
	diag_list_drop(&s->diags, DIAG_ERROR);
	source_fingerprint(s->action, NULL, s->patch, s->fingerprint);
	s->action = ACTION_MODIFY;
	s->id = xstrdup(id);
	return 1;
}

/* Records rows that need no request: invalid, or done by an earlier run.
 * Returns 1 if s was recorded (and freed), 0 if it must be sent. */
static int settle_locally(struct import *im, struct source *s)
{
	if (diag_count(&s->diags, DIAG_ERROR) && !match_by_label(im, s)) {
		char *error = diag_render_new(&s->diags, DIAG_ERROR);
		record_source(im, s, OUTCOME_INVALID, NULL, error);
		free(error);
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

/* Label matching for a create row: the server's source with its label makes
 * it a modify of that source; otherwise the sources on its account and bucket
 * become the job's conflict candidates. */
static void match_create(struct import *im, struct job *job)
{
	struct source *s = job->src;
	const char *id = import_match_label(im->match, s->label);
	if (id && s->patch) {
		s->action = ACTION_MODIFY;
		s->id = xstrdup(id);
		json_decref(s->body);
		s->body = NULL;
		return;
	}
	size_t n = 0;
	const char *const *ids = import_match_bucket(im->match,
		json_string_value(json_object_get(s->body, "awsAccountId")),
		json_string_value(json_object_get(s->body, "s3Bucket")), &n);
	if (!n)
		return;
	job->probe = xcalloc(n, sizeof(*job->probe));
	for (size_t i = 0; i < n; i++)
		job->probe[i] = xstrdup(ids[i]);
	job->nprobe = n;
	job->probing = 1;
}

/* A modify (by its ID, or by the label matching found) of a source an
 * earlier row of this run modifies already: both would fetch the same state
 * and the second PUT would undo the first. The earlier row wins; this one is
 * recorded invalid: 1 (the caller frees it). Else the source is claimed by
 * this row: 0.
 * The offline duplicate check (dupcheck.c) sees only IDs the input gives. */
static int claimed_by_another(struct import *im, struct source *s)
{
	if (s->action != ACTION_MODIFY || !s->id)
		return 0;
	int found = 0;
	size_t line = (size_t)(uintptr_t)strmap_get(&im->claimed, s->id, &found);
	if (!found) {
		strmap_put(&im->claimed, s->id, (void *)(uintptr_t)s->line);
		return 0;
	}
	char *error = xasprintf("integrationId: " M_ID_CLAIMED, s->id, s->label ? s->label : "",
				line);
	record_source(im, s, OUTCOME_INVALID, NULL, error);
	free(error);
	return 1;
}

static int import_next(void *ctx, struct request *req)
{
	struct import *im = ctx;
	char err[1024];

	for (;;) {
		if (im->run.write_error || im->backup_error)
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
		struct job *job = xcalloc(1, sizeof(*job));
		job->src = s;
		job->warning = diag_render_new(&s->diags, DIAG_WARNING);
		if (s->action == ACTION_CREATE && im->match)
			match_create(im, job);
		if (claimed_by_another(im, s)) {
			job_free(job);
			continue;
		}
		if (im->plan && s->action == ACTION_CREATE && !job->probing) {
			/* the write is all a create is: nothing to ask the server */
			record_source(im, s, OUTCOME_WOULD_CREATE, NULL, NULL);
			job_free(job);
			continue;
		}
		req->id = s->id;
		req->user = job;
		if (job->probing) {
			/* a source on the row's bucket: its prefixes first */
			req->action = ACTION_GET;
			req->id = job->probe[0];
			req->body = NULL;
			req->body_len = 0;
		} else if (s->action == ACTION_MODIFY) {
			/* fetch first: the PUT is a follow-up from import_done() */
			req->action = ACTION_GET;
			req->body = NULL;
			req->body_len = 0;
		} else {
			job->body = json_dumps(s->body, JSON_COMPACT);
			if (!job->body)
				die("cannot serialise the request body of row %zu", s->row);
			req->action = s->action;
			req->body = job->body;
			req->body_len = strlen(job->body);
			im->sent++;
		}
		return 1;
	}
}

/* Records the row of a job whose work ends at its GET (failed fetch,
 * invalid merge, unchanged, or any plan outcome) and frees the job. */
static int finish_at_get(struct import *im, struct job *job, const struct response *res,
			 enum outcome o, const char *errtext)
{
	struct source *s = job->src;
	struct result r = {
		.row = s->row, .line = s->line, .action = s->action, .outcome = o,
		.http_status = res->http_status, .id = s->id, .label = s->label,
		.attempts = res->attempts, .elapsed_ms = res->elapsed_ms,
		.error = errtext, .warning = job->warning,
		.fingerprint = s->fingerprint, .changes = job->changes,
	};
	int rc = run_record(&im->run, s, &r);
	job_free(job);
	return rc < 0 ? -1 : 0;
}

/* The GET of a conflict candidate of a create is done: a shared prefix is a
 * conflict; otherwise the next candidate, then the POST (1; plan: recorded,
 * 0; -1 stops the run). */
static int create_probed(struct import *im, struct request *req, const struct response *res)
{
	struct job *job = req->user;
	struct source *s = job->src;
	const char *cand = job->probe[job->iprobe];

	job->get_attempts += res->attempts;
	job->get_elapsed_ms += res->elapsed_ms;
	struct response sum = *res;
	sum.attempts = job->get_attempts;
	sum.elapsed_ms = job->get_elapsed_ms;
	const struct api_reply *rule = api_reply(ACTION_GET, res);
	if (rule->meaning == API_NOT_SENT)
		return finish_at_get(im, job, &sum, rule->outcome, rule->text);
	if (rule->meaning == API_DONE) {
		json_t *server = json_loadb(res->body, res->body_len, 0, NULL);  /* new reference */
		const char *prefix = server ? import_match_overlap(s->body, server) : NULL;
		if (prefix) {
			const char *other = json_string_value(json_object_get(server, "integrationLabel"));
			const char *bucket = json_string_value(json_object_get(s->body, "s3Bucket"));
			char *text = xasprintf("source '%s' already ingests s3://%s/%s; nothing was sent",
					       other ? other : cand, bucket ? bucket : "", prefix);
			int rc = finish_at_get(im, job, &sum, im->plan ? OUTCOME_CONFLICT : OUTCOME_FAILED,
					       text);
			free(text);
			json_decref(server);
			return rc;
		}
		json_decref(server);
	} else if (rule->meaning != API_ABSENT) {
		/* absent: deleted since the listing, no conflict with it */
		char *msg = response_error_text(res);
		char *text = xasprintf("could not check source '%s' on the same bucket for a shared "
				       "prefix (%s); nothing was sent", cand, msg);
		int rc = finish_at_get(im, job, &sum, OUTCOME_FAILED, text);
		free(text);
		free(msg);
		return rc;
	}
	if (++job->iprobe < job->nprobe) {
		req->action = ACTION_GET;
		req->id = job->probe[job->iprobe];
		return 1;
	}
	job->probing = 0;   /* checked: the create goes on */
	if (im->plan)
		return finish_at_get(im, job, &sum, OUTCOME_WOULD_CREATE, NULL);
	job->body = json_dumps(s->body, JSON_COMPACT);
	if (!job->body)
		die("cannot serialise the request body of row %zu", s->row);
	req->action = ACTION_CREATE;
	req->id = NULL;
	req->body = job->body;
	req->body_len = strlen(job->body);
	im->sent++;
	return 1;
}

/* The GET of a modify is done: merge, compare, back up, and turn the request
 * into the PUT (return 1), or record the row (0; -1 stops the run). */
static int modify_fetched(struct import *im, struct request *req, const struct response *res)
{
	struct job *job = req->user;
	struct source *s = job->src;

	const struct api_reply *rule = api_reply(ACTION_GET, res);
	if (rule->meaning == API_NOT_SENT)
		return finish_at_get(im, job, res, rule->outcome, rule->text);
	if (rule->meaning != API_DONE) {
		char *msg = response_error_text(res);
		char *text = rule->meaning == API_ABSENT ?
			xasprintf("integrationId: no S3 source has the ID '%s' (GET answered 404); "
				  "nothing was sent", s->id) :
			xasprintf("could not fetch the source to merge the row into (%s); nothing "
				  "was sent", msg);
		int rc = finish_at_get(im, job, res, OUTCOME_FAILED, text);
		free(text);
		free(msg);
		return rc;
	}
	json_t *server = json_loadb(res->body, res->body_len, 0, NULL);  /* new reference */
	if (!server) {
		char *text = xstrdup("the API's answer to the GET is not JSON; nothing was sent");
		int rc = finish_at_get(im, job, res, OUTCOME_FAILED, text);
		free(text);
		return rc;
	}
	/* a row that leaves the label out: the server's, for the results and the diff */
	const char *server_label = json_string_value(json_object_get(server, "integrationLabel"));
	if (!s->label && server_label)
		s->label = xstrdup(server_label);
	struct merge_result mr;
	merge_source(s->patch, server, &mr);
	json_decref(server);
	job->changes = mr.changes;
	job->diff = mr.diff;
	char *warning = job->warning;
	job->warning = join_notes(warning, mr.warning);
	free(warning);
	mr.changes = mr.diff = NULL;

	int rc;
	if (mr.status == MERGE_INVALID) {
		rc = finish_at_get(im, job, res, OUTCOME_INVALID, mr.error);
	} else if (mr.status == MERGE_UNCHANGED && !im->force) {
		rc = finish_at_get(im, job, res, OUTCOME_UNCHANGED, NULL);
	} else if (im->plan) {
		print_diff(im, s, "would modify", job->diff);
		rc = finish_at_get(im, job, res, OUTCOME_WOULD_MODIFY, NULL);
	} else {
		/* the state before, on disk before the PUT starts */
		char err[1024];
		if (backup_stream_add(im->backup, res->body, res->body_len, err, sizeof(err)) < 0) {
			error("%s; stopping (no PUT is sent without its backup)", err);
			im->backup_error = 1;
			char *text = xasprintf("not sent: %s", err);
			finish_at_get(im, job, res, OUTCOME_FAILED, text);
			free(text);
			merge_result_release(&mr);
			return -1;
		}
		job->body = json_dumps(mr.body, JSON_COMPACT | JSON_SORT_KEYS);
		if (!job->body)
			die("cannot serialise the request body of row %zu", s->row);
		job->fetched = 1;
		job->get_attempts = res->attempts;
		job->get_elapsed_ms = res->elapsed_ms;
		req->action = ACTION_MODIFY;
		req->id = s->id;
		req->body = job->body;
		req->body_len = strlen(job->body);
		im->sent++;
		rc = 1;
	}
	merge_result_release(&mr);
	return rc;
}

static int import_done(void *ctx, struct request *req, const struct response *res)
{
	struct import *im = ctx;
	struct job *job = req->user;
	struct source *s = job->src;
	enum outcome o = OUTCOME_FAILED;
	char *id = NULL, *errtext = NULL;

	if (job->probing)
		return create_probed(im, req, res);
	if (s->action == ACTION_MODIFY && !job->fetched)
		return modify_fetched(im, req, res);

	/* what the reply means is api.c's; the row's words for it too */
	const struct api_reply *rule = api_reply(s->action, res);
	if (rule->meaning == API_DONE && s->action == ACTION_CREATE) {
		id = response_json_string(res, "integrationId");
		if (id && *id)
			o = OUTCOME_CREATED;
		else
			errtext = api_created_without_id(res, s->label);
	} else if (rule->meaning == API_DONE) {
		o = rule->outcome;
	} else if (rule->meaning == API_LOST_CREATE) {
		errtext = api_write_error(rule, s->action, res, s->label);
		/* recorded after the run, once looked up by label (lost.c) */
		lost_add(&im->lost, s, res->http_status, job->get_attempts + res->attempts,
			 job->get_elapsed_ms + res->elapsed_ms, errtext);
		job->src = NULL;   /* held by lost.c now */
		job_free(job);
		return 0;
	} else {
		o = rule->outcome;
		errtext = api_write_error(rule, s->action, res, s->label);
	}

	if (o == OUTCOME_MODIFIED)
		print_diff(im, s, "modified", job->diff);
	struct result r = {
		.row = s->row, .line = s->line, .action = s->action, .outcome = o,
		.http_status = res->http_status, .id = id ? id : s->id, .label = s->label,
		.attempts = job->get_attempts + res->attempts,
		.elapsed_ms = job->get_elapsed_ms + res->elapsed_ms,
		.error = errtext, .warning = job->warning,
		.fingerprint = s->fingerprint, .changes = job->changes,
	};
	int rc = run_record(&im->run, s, &r);
	free(id);
	free(errtext);
	job_free(job);
	return rc < 0 ? -1 : 0;
}

static void import_tick(void *ctx)
{
	struct import *im = ctx;
	uint64_t done, total;
	if (im->sched)
		im->stats = sched_stats(im->sched);
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

/* The command line of import and plan. */
struct import_args {
	struct source_opts sopts;
	struct run_opts ropts;
	struct conn_opts conn;
	const char *path;         /* the input (borrowed from argv) */
	const char *backup_path;  /* --backup, or NULL */
	int match;                /* --match: -1 not given (label with --mode auto) */
};

/* --match: ctx is the int set to 1 for label, 0 for none. */
static int parse_match(const struct popt *opt, void *ctx, const char *arg)
{
	int *match = ctx;

	(void)opt;
	if (strcmp(arg, "label") && strcmp(arg, "none")) {
		error("--match '%s': use label or none", arg);
		return -1;
	}
	*match = !strcmp(arg, "label");
	return 0;
}

/* Parses argv into a and im->force: 0 to go on, else -1 with the exit code
 * in *rc (EXIT_OK after --help). One table for both commands; plan's help
 * says what each of import's options means for a dry run. */
static int import_parse(struct import *im, struct import_args *a, int argc, char **argv, int *rc)
{
	const int plan = im->plan;
	const struct popt options[] = {
		POPT_INCLUDE(input_popts, &a->sopts),
		POPT_CALLBACK(0, "resume", &a->ropts, "RESULTS", run_popt, RUN_OPT_RESUME, plan
			      ? "rows that succeeded in an earlier run's results file"
			      : "skip rows that succeeded in an earlier run's results file\n"
				"(repeatable: a row done in any of them is skipped)"),
		POPT_STRING(0, "backup", &a->backup_path, "PATH", plan
			    ? "accepted for import's command line; nothing is written"
			    : "the sources as they were before their PUT, .jsonl.gz or\n"
			      ".jsonl (default s3-sources-before-import-YYYYmmddTHHMMSSZ.jsonl.gz,\n"
			      "written only when some row modifies; never replaced);\n"
			      "'import PATH --mode modify' undoes the run"),
		POPT_FLAG(0, "force", &im->force, 1, plan
			  ? "a modify that changes nothing is would-modify"
			  : "send a modify even when it changes nothing"),
		POPT_CALLBACK(0, "match", &a->match, "label|none", parse_match, 0, plan
			      ? "as import's: label matching and conflicts from the\n"
				"server's listing (default with --mode auto)"
			      : "label: a row without integrationId whose label the server\n"
				"has modifies that source, and a create on a bucket and\n"
				"prefix the server already ingests is refused (reads the\n"
				"server's listing first; default with --mode auto);\n"
				"none: no listing, every such row is a create"),
		POPT_INCLUDE(run_popts, &a->ropts),
		POPT_INCLUDE(conn_popts, &a->conn),
		POPT_END(),
	};

	int first = popt_parse(options, plan ? &plan_usage : &import_usage, argc, argv);
	if (first < 0) {
		*rc = first == POPT_HELP_SHOWN ? EXIT_OK : EXIT_USAGE;
		return -1;
	}
	if (popt_one_file(im->command, argc, first) < 0) {
		*rc = EXIT_USAGE;
		return -1;
	}
	a->path = argv[first];
	return 0;
}

/* Everything that can make the run pointless is checked before a request,
 * and every path before a file is created: the connection, the paths, the
 * input and its header, the --resume files, the backup; then the run is
 * opened. 0, or -1 with a message printed (exit 2). */
static int import_open(struct import *im, struct import_args *a)
{
	char err[4096];
	struct path_use paths[] = {
		{ "the input", a->path, PATH_READ, OWN_NONE },
		{ "--backup", a->backup_path, PATH_KEPT, OWN_NONE },   /* never replaced */
	};

	if (conn_opts_finish(&a->conn) < 0 ||
	    run_check_paths(&a->ropts, paths, !im->plan && a->backup_path ? 2 : 1) < 0)
		return -1;
	if (a->match < 0)
		a->match = a->sopts.mode == MODE_AUTO;
	a->sopts.create_patch = a->match;   /* a matched create becomes a modify: its patch */
	im->sr = source_reader_open(a->path, &a->sopts, err, sizeof(err));
	if (!im->sr) {
		error("%s", err);
		return -1;
	}
	if (a->ropts.nresume) {
		/* repeated --resume: the union of the files */
		im->resume = resume_load_all(a->ropts.resume_paths, a->ropts.nresume, err, sizeof(err));
		if (!im->resume) {
			error("%s", err);
			return -1;
		}
		struct strbuf sb = STRBUF_INIT;
		strbuf_addstr(&sb, RESUME_SKIP_NOTE);
		for (size_t i = 0; i < a->ropts.nresume; i++)
			strbuf_addf(&sb, "%s'%s'", i ? ", " : "", a->ropts.resume_paths[i]);
		strbuf_addstr(&sb, " (--resume): not sent again");
		im->resume_note = strbuf_detach(&sb, NULL);
	}
	if (!im->plan) {
		/* checked now, created at the first modify that changes something */
		im->backup = backup_stream_new(a->backup_path, err, sizeof(err));
		if (!im->backup) {
			error("%s", err);
			return -1;
		}
	}
	struct reader *rd = source_reader_reader(im->sr);
	size_t nheader = 0;
	char **header = reader_header(rd, &nheader);
	if (run_open(&im->run, im->command, &a->ropts, reader_format(rd), header, nheader,
		     reader_delimiter(rd)) < 0)
		return -1;
	run_input_style(&im->run, reader_had_bom(rd), reader_eol(rd));
	im->run.resume_input = a->path;
	im->show_diff = !a->ropts.quiet && isatty(STDERR_FILENO);
	return 0;
}

/* --match label: the server's sources, read once, before anything is written
 * (the output files are checked first: a run that cannot record its rows
 * sends nothing, not even the listing). 0, or -1 with the exit code in *rc. */
static int import_read_listing(struct import *im, struct conn_opts *conn, int *rc)
{
	struct listing *l = NULL;
	char err[4096];

	sched_install_signals();   /* a signal during the listing stops the run too */
	enum listing_status ls = listing_fetch(conn, &l, NULL, err, sizeof(err));
	if (ls == LISTING_OK && sched_signals()) {
		listing_free(l);
		drain_rest(im, "not sent: the run was interrupted");
		*rc = run_finish(&im->run, 1);
		return -1;
	}
	if (ls != LISTING_OK) {
		/* a bad token is the run's end, as for any request (exit 3); a
		 * token that may not list, or no listing, is label matching's */
		int bad_token = ls == LISTING_REFUSED && strstr(err, "(HTTP 401");
		error("%s", err);
		if (!bad_token && ls != LISTING_ABORTED)
			fprintf(stderr, "%s needs the server's listing for label matching (--match "
				"label, the default with --mode auto); nothing was sent. To %s "
				"without it, use --match none\n", im->command, im->command);
		if (bad_token) {
			/* as a 401 on any request: every row recorded, not sent */
			drain_rest(im, "not sent: the run stopped after the API refused the "
				   "token (401/403)");
			*rc = run_finish(&im->run, 1);
		} else {
			/* nothing was sent nor recorded: the results file this run
			 * created goes, so the retry with --match none may take its name */
			im->run.opts.quiet = 1;
			im->run.discard_unused = 1;
			run_finish(&im->run, 1);
			*rc = ls == LISTING_ABORTED ? EXIT_ABORTED : EXIT_USAGE;
		}
		return -1;
	}
	im->match = import_match_new(l);
	return 0;
}

/* Runs the engine over the rows; after an abort the rows not sent are read
 * and recorded (note: the summary's line about them, the caller's buffer).
 * The engine's figures are kept in *final for the summary, and the lost
 * replies resolved. Returns 1 if the run was aborted, else 0. */
static int import_run(struct import *im, struct conn_opts *conn, struct sched_stats *final,
		      char *note, size_t notelen)
{
	static const struct sched_callbacks cb = { import_next, import_done, import_tick };
	struct sched *sch = sched_new(conn, &cb, im);
	im->sched = sch;
	im->stats = sched_stats(sch);
	im->run.stats = &im->stats;
	sched_install_signals();
	enum sched_status st = sched_run(sch);

	int aborted = 0;
	switch (st) {
	case SCHED_DONE:
		break;
	case SCHED_AUTH:
		aborted = 1;
		drain_rest(im, "not sent: the run stopped after the API refused the token (401/403)");
		break;
	case SCHED_SIGNAL:
		aborted = 1;
		drain_rest(im, "not sent: the run was interrupted");
		break;
	case SCHED_STOPPED:
	case SCHED_SETUP:
		aborted = 1;
		if (!im->input_error && !im->run.write_error && !im->backup_error)
			error("the run stopped");
		if (!im->run.write_error) {
			drain_rest(im, "not sent: the run stopped");
		} else {
			/* the rest is still read, so the summary accounts for every
			 * row (and an invalid one still reaches the failed-rows file) */
			const char *why = im->run.unrec.fd >= 0 ? "the results output was closed"
				: "the results file could not be written";
			char *text = xasprintf("not sent: %s", why);
			size_t n = drain_rest(im, text);
			free(text);
			if (n) {
				snprintf(note, notelen, "%zu row%s not sent: %s", n,
					 n == 1 ? "" : "s", why);
				im->run.extra_output = note;
			}
		}
		break;
	}
	/* keep the engine's figures for the summary */
	*final = sched_stats(sch);
	im->run.stats = final;
	im->sched = NULL;
	sched_free(sch);
	lost_resolve(&im->lost, conn, &im->run, st == SCHED_DONE && !im->run.write_error, final);
	return aborted;
}

/* Closes the input, adds the backup's line to the summary (backup_note, the
 * caller's buffer) and prints it: the exit code. */
static int import_finish(struct import *im, int aborted, char *backup_note, size_t len)
{
	char err[4096];

	if (source_reader_close(im->sr, err, sizeof(err)) < 0) {
		error("%s", err);
		im->input_error = 1;
	}
	im->sr = NULL;
	if (im->backup && backup_stream_count(im->backup)) {
		/* after the note above, if any: the summary prints one line each */
		size_t n = backup_stream_count(im->backup);
		const char *before = im->run.extra_output;
		snprintf(backup_note, len, "%s%sbackup: %s (%zu source%s as they were; "
			 "'s3src import %s --mode modify' undoes this run)", before ? before : "",
			 before ? "\n  " : "", backup_stream_path(im->backup), n, n == 1 ? "" : "s",
			 backup_stream_path(im->backup));
		im->run.extra_output = backup_note;
	}
	if (im->backup_error)
		aborted = 1;
	int rc = run_finish(&im->run, aborted);
	if (im->input_error && !im->sent && rc != EXIT_ABORTED)
		rc = EXIT_USAGE;  /* unreadable input and nothing sent */
	else if (im->input_error)
		rc = EXIT_ABORTED;
	return rc;
}

/* Frees what import_main set up, whichever step it stopped at; a backup that
 * cannot be closed turns a finished run's rc into EXIT_ABORTED. Returns rc. */
static int import_release(struct import *im, struct import_args *a, int rc)
{
	char err[4096];

	import_match_free(im->match);
	strmap_release(&im->claimed, 0);
	if (backup_stream_close(im->backup, err, sizeof(err)) < 0) {
		error("%s", err);
		if (rc == EXIT_OK || rc == EXIT_ROWS)
			rc = EXIT_ABORTED;
	}
	if (im->resume)
		resume_free(im->resume);
	free(im->resume_note);
	if (im->sr)
		source_reader_close(im->sr, err, sizeof(err));
	lost_release(&im->lost);
	source_opts_release(&a->sopts);
	conn_opts_release(&a->conn);
	return rc;
}

int import_main(int argc, char **argv, int plan)
{
	struct import im;
	struct import_args a;
	struct sched_stats final;
	char note[128], backup_note[1400];
	int rc;

	memset(&im, 0, sizeof(im));
	strmap_init(&im.claimed);
	im.plan = plan;
	im.command = plan ? "plan" : "import";
	lost_init(&im.lost);
	memset(&a, 0, sizeof(a));
	source_opts_init(&a.sopts);
	run_opts_init(&a.ropts);
	conn_opts_init(&a.conn);
	a.match = -1;
	if (import_parse(&im, &a, argc, argv, &rc) < 0)
		return import_release(&im, &a, rc);
	if (import_open(&im, &a) < 0)
		return import_release(&im, &a, EXIT_USAGE);
	if (a.match && import_read_listing(&im, &a.conn, &rc) < 0)
		return import_release(&im, &a, rc);
	int aborted = import_run(&im, &a.conn, &final, note, sizeof(note));
	rc = import_finish(&im, aborted, backup_note, sizeof(backup_note));
	return import_release(&im, &a, rc);
}

int cmd_import(int argc, char **argv)
{
	return import_main(argc, argv, 0);
}
