/*
 * cmd_report.c - `s3src report RESULTS...` (spec: "report"): one view of one or
 * more runs' results files, e.g. a first import, its re-runs of the failed
 * rows and a resume. Nothing is sent.
 *
 * The files are read in the order given; later records supersede earlier ones.
 * A row is matched across runs by its label when it is a create, by its
 * integrationId otherwise (and a create that got an ID is also found by that
 * ID), so a re-run of the failed-rows file, whose line numbers differ,
 * supersedes the first run's record of the same source. A record with both a
 * label and an ID also supersedes an earlier record of that label without an
 * ID: a create that failed without one (reply lost, abandoned in flight),
 * which the re-run found by its label and recorded as a modify. A later `skipped`
 * record never hides an earlier success (nothing was done in that run).
 *
 * Printed: the latest outcome of each source (counts), the failures grouped by
 * cause (causes.c, as the import summary does), the rows still failing, and
 * with --ids-out every ID that any run created or modified (a valid --ids
 * file: one ID per line, '#' comments).
 *
 * Memory: one entry per distinct source or row in the files (its label, ID,
 * latest outcome and error), and one per ID created: the report's whole point
 * is the view over every row, so it is not bounded by a concurrency.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "atomic.h"
#include "causes.h"
#include "cmd.h"
#include "outputs.h"
#include "parse_options.h"
#include "results.h"
#include "results_reader.h"
#include "s3src.h"
#include "util.h"
#include "writers_util.h"

#define REPORT_USAGE \
	"usage: s3src report RESULTS... [--format table|csv|jsonl] [-o PATH] [--ids-out PATH]\n"

static const struct popt_usage usage = {
	"report",
	REPORT_USAGE
	"\n"
	"One view of one or more runs' results files (.csv or .jsonl, optionally .gz),\n"
	"read in the order given: a first run, its re-runs of the failed rows, a resume.\n"
	"A row is matched across runs by its label (creates) or integrationId, so the\n"
	"latest run's outcome of each source wins. Nothing is sent.\n"
	"\n",
	"\n"
	"Exit codes: 0 no source is still failing, 1 some source is still invalid, failed\n"
	"or not sent, 2 usage error or unreadable results file.\n",
};

enum report_format { RF_TABLE, RF_CSV, RF_JSONL };
static const char *const formats[] = { "table", "csv", "jsonl", NULL };   /* from RF_TABLE */

struct entry {
	char *label, *id, *action, *outcome, *error, *warning;
	int http, attempts;
	const char *path;   /* the results file of the latest record (borrowed from argv) */
	size_t line;        /* its input line */
	size_t runs;        /* records seen for this source */
	int failed_create;  /* a create of it failed with no ID: it may have made the source */
};

struct report {
	struct strmap keys;      /* "label:L" / "id:I" / "row:N" -> struct entry * (borrowed) */
	struct entry **v;        /* first-seen order (owned) */
	size_t n, alloc;
	struct strmap idset;     /* IDs created or modified */
	char **ids;              /* in the order first created (borrowed from idset keys) */
	size_t nids, aids;
	size_t records;
};

/* outcome_is_success() on the outcome's name; "unchanged" (modify's compare
 * found nothing to send: spec, "Outputs") is a success too. */
static int is_success(const char *o)
{
	enum outcome e;

	if (o && !strcmp(o, "unchanged"))
		return 1;
	return !outcome_parse(o, &e) && outcome_is_success(e);
}

static int resumed(const char *outcome, const char *error)
{
	return outcome && !strcmp(outcome, "skipped") && error &&
	       !strncmp(error, RESUME_SKIP_NOTE, strlen(RESUME_SKIP_NOTE));
}

/* A plan's forecast (would-create, would-modify): nothing was tried. */
static int forecast(const char *o)
{
	return o && (!strcmp(o, "would-create") || !strcmp(o, "would-modify"));
}

/* Still failing: the latest record is not a success, a resumed skip nor a
 * plan's forecast. */
static int still_failing(const struct entry *e)
{
	return !is_success(e->outcome) && !resumed(e->outcome, e->error) && !forecast(e->outcome);
}

/* A small non-negative number cell ("" or junk: 0), clamped to INT_MAX. */
static int num(const char *s)
{
	if (!s)
		return 0;
	errno = 0;
	long v = strtol(s, NULL, 10);
	return v < 0 ? 0 : v > INT_MAX || errno ? INT_MAX : (int)v;
}

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = dup_or_null(s);
}

static void id_add(struct report *rp, const char *id)
{
	if (!id || !*id || !strmap_put(&rp->idset, id, NULL))
		return;   /* none, or already listed */
	if (rp->nids == rp->aids) {
		rp->aids = rp->aids ? 2 * rp->aids : 64;
		rp->ids = xrealloc(rp->ids, rp->aids * sizeof(*rp->ids));
	}
	rp->ids[rp->nids++] = xstrdup(id);
}

static struct entry *entry_new(struct report *rp)
{
	struct entry *e = xcalloc(1, sizeof(*e));
	if (rp->n == rp->alloc) {
		rp->alloc = rp->alloc ? 2 * rp->alloc : 64;
		rp->v = xrealloc(rp->v, rp->alloc * sizeof(*rp->v));
	}
	rp->v[rp->n++] = e;
	return e;
}

static void entry_free(struct entry *e)
{
	free(e->label);
	free(e->id);
	free(e->action);
	free(e->outcome);
	free(e->error);
	free(e->warning);
	free(e);
}

/* Removes e (an entry without an ID, so only its "label:L" key names it, and
 * the caller points that key elsewhere) from the list and frees it. */
static void entry_drop(struct report *rp, struct entry *e)
{
	for (size_t i = 0; i < rp->n; i++) {
		if (rp->v[i] != e)
			continue;
		memmove(rp->v + i, rp->v + i + 1, (rp->n - i - 1) * sizeof(*rp->v));
		rp->n--;
		break;
	}
	entry_free(e);
}

/* A record with a label and an ID also supersedes an earlier entry of that
 * label without an ID: a create that failed with no ID (its reply was lost,
 * had no ID, or it was abandoned in flight), found by its label in a re-run
 * that recorded a modify with the ID. byid is the entry the record's key or
 * ID found (or NULL); when both exist they are one source and the label's
 * entry is merged into byid. Returns the record's entry (NULL: a new one). */
static struct entry *by_label(struct report *rp, struct entry *byid, const char *label)
{
	char *lkey = xasprintf("label:%s", label);
	struct entry *e = strmap_get(&rp->keys, lkey, NULL);

	if (e && e->id)
		e = NULL;   /* it has an ID: another source of that label */
	if (e && byid && e != byid) {
		byid->runs += e->runs;
		byid->failed_create |= e->failed_create;
		entry_drop(rp, e);
	}
	if (e)
		strmap_put(&rp->keys, lkey, byid ? byid : e);
	free(lkey);
	return byid ? byid : e;
}

static int take(void *ctx, const struct results_row *r, char *err, size_t errlen)
{
	struct report *rp = ctx;
	const char *label = r->label && *r->label ? r->label : NULL;
	const char *id = r->id && *r->id ? r->id : NULL;
	int create = r->action && !strcmp(r->action, "create");
	char *key;

	(void)err;
	(void)errlen;
	rp->records++;
	if (create && label)
		key = xasprintf("label:%s", label);
	else if (id)
		key = xasprintf("id:%s", id);
	else if (label)
		key = xasprintf("label:%s", label);
	else   /* nothing to match it by: a row of its own */
		key = xasprintf("row:%zu", rp->records);

	struct entry *e = strmap_get(&rp->keys, key, NULL);
	if (!e && id) {   /* e.g. a source created in one run, modified in the next */
		char *alias = xasprintf("id:%s", id);
		e = strmap_get(&rp->keys, alias, NULL);
		free(alias);
	}
	if (label && id)
		e = by_label(rp, e, label);
	if (!e) {
		e = entry_new(rp);
		strmap_put(&rp->keys, key, e);
	}
	free(key);
	if (id) {   /* found by its ID in later runs too */
		char *alias = xasprintf("id:%s", id);
		strmap_put(&rp->keys, alias, e);
		free(alias);
	}

	e->runs++;
	if ((!strcmp(r->outcome, "created") || !strcmp(r->outcome, "modified") ||
	     resumed(r->outcome, r->error)) && id)
		id_add(rp, id);
	/* a failed create's source found unchanged later (whatever failed in
	 * between): that create made it */
	if (create && !id && !strcmp(r->outcome, "failed"))
		e->failed_create = 1;
	if (e->failed_create && id && !strcmp(r->outcome, "unchanged"))
		id_add(rp, id);
	/* a later skip (nothing done) never hides an earlier success */
	if (!strcmp(r->outcome, "skipped") && e->outcome && !still_failing(e)) {
		if (!e->id && id)
			e->id = xstrdup(id);
		return 0;
	}
	if (label)
		set_str(&e->label, label);
	if (id)
		set_str(&e->id, id);
	set_str(&e->action, r->action);
	set_str(&e->outcome, r->outcome);
	set_str(&e->error, r->error);
	set_str(&e->warning, r->warning);
	e->http = num(r->http_status);
	e->attempts = num(r->attempts);
	e->path = r->path;
	e->line = r->line ? strtoul(r->line, NULL, 10) : 0;
	return 0;
}

static void report_release(struct report *rp)
{
	for (size_t i = 0; i < rp->n; i++)
		entry_free(rp->v[i]);
	free(rp->v);
	for (size_t i = 0; i < rp->nids; i++)
		free(rp->ids[i]);
	free(rp->ids);
	strmap_release(&rp->keys, 0);
	strmap_release(&rp->idset, 0);
}

/* A name for the row in listings: its label, else its ID, else where it was. */
static const char *entry_ref(const struct entry *e, char *buf, size_t len)
{
	if (e->label)
		return e->label;
	if (e->id)
		return e->id;
	if (e->line)
		snprintf(buf, len, "%s line %zu", e->path, e->line);
	else
		snprintf(buf, len, "%s", e->path);
	return buf;
}

static const char *str(const char *s)
{
	return s ? s : "";
}

static void format_table(const struct report *rp, size_t nfiles, const char *ids_out,
			 struct strbuf *out)
{
	static const char *const order[] = {
		"created", "modified", "unchanged", "exported", "deleted", "valid", "skipped",
		"invalid", "failed", "would-create", "would-modify", "conflict",
	};
	struct causes c;
	size_t failing = 0;
	char buf[512];
	char *text = NULL;
	size_t textlen = 0;
	FILE *mem = open_memstream(&text, &textlen);
	if (!mem)
		die("out of memory");

	causes_init(&c);
	for (size_t i = 0; i < rp->n; i++) {
		const struct entry *e = rp->v[i];
		failing += still_failing(e);
		causes_add(&c, e->outcome, e->http, e->attempts, e->error, entry_ref(e, buf, sizeof(buf)));
	}
	fprintf(mem, "report: %zu results file%s, %zu record%s, %zu source%s\n", nfiles,
		nfiles == 1 ? "" : "s", rp->records, rp->records == 1 ? "" : "s", rp->n,
		rp->n == 1 ? "" : "s");
	fprintf(mem, "latest outcome:");
	int any = 0;
	for (size_t k = 0; k < ARRAY_SIZE(order); k++) {
		size_t n = 0;
		for (size_t i = 0; i < rp->n; i++)
			n += rp->v[i]->outcome && !strcmp(rp->v[i]->outcome, order[k]);
		if (n)
			fprintf(mem, "%s %zu %s", any++ ? "," : "", n, order[k]);
	}
	size_t other = 0;   /* outcomes this version does not know (a newer writer's) */
	for (size_t i = 0; i < rp->n; i++) {
		size_t k;
		for (k = 0; k < ARRAY_SIZE(order); k++)
			if (rp->v[i]->outcome && !strcmp(rp->v[i]->outcome, order[k]))
				break;
		other += k == ARRAY_SIZE(order);
	}
	if (other)
		fprintf(mem, "%s %zu other", any++ ? "," : "", other);
	fprintf(mem, "%s\n", any ? "" : " none");
	if (causes_total(&c)) {
		fprintf(mem, "failures by cause:\n");
		causes_print(&c, mem, "  ", NULL);
	}
	if (failing) {
		fprintf(mem, "still failing: %zu\n", failing);
		for (size_t i = 0; i < rp->n; i++) {
			const struct entry *e = rp->v[i];
			if (!still_failing(e))
				continue;
			fprintf(mem, "  %s  %s %s  (%s, ", entry_ref(e, buf, sizeof(buf)),
				str(e->action), str(e->outcome), e->path);
			if (e->line)
				fprintf(mem, "input line %zu)", e->line);
			else
				fprintf(mem, "given on the command line)");
			if (e->error)
				fprintf(mem, ": %s", e->error);
			fputc('\n', mem);
		}
	} else {
		fprintf(mem, "still failing: none\n");
	}
	fprintf(mem, "IDs created or modified: %zu", rp->nids);
	if (ids_out)
		fprintf(mem, ", written to %s", ids_out);
	fputc('\n', mem);
	if (fclose(mem))
		die("out of memory");
	strbuf_add(out, text, textlen);
	free(text);
	causes_release(&c);
}

static const char *const record_cols[] = {
	"integrationLabel", "integrationId", "action", "outcome", "httpStatus", "cause",
	"error", "warning", "results", "line", "runs",
};

static void format_records(const struct report *rp, enum report_format f, struct strbuf *out)
{
	if (f == RF_CSV) {
		for (size_t k = 0; k < ARRAY_SIZE(record_cols); k++)
			csv_append_cell(out, record_cols[k], strlen(record_cols[k]), ',', k == 0, 1);
		strbuf_addch(out, '\n');
	}
	for (size_t i = 0; i < rp->n; i++) {
		const struct entry *e = rp->v[i];
		char http[16] = "", line[32], runs[32];
		if (e->http)
			snprintf(http, sizeof(http), "%d", e->http);
		snprintf(line, sizeof(line), "%zu", e->line);
		snprintf(runs, sizeof(runs), "%zu", e->runs);
		const char *cause = cause_name(cause_of(e->outcome, e->http, e->attempts, e->error));
		const char *v[] = {
			str(e->label), str(e->id), str(e->action), str(e->outcome), http, cause,
			str(e->error), str(e->warning), e->path, line, runs,
		};
		if (f == RF_CSV) {
			for (size_t k = 0; k < ARRAY_SIZE(v); k++)
				csv_append_cell(out, v[k], strlen(v[k]), ',', k == 0, 1);
			strbuf_addch(out, '\n');
			continue;
		}
		json_t *o = json_object();   /* new reference */
		for (size_t k = 0; k < ARRAY_SIZE(v); k++) {
			if (k == 4 || k == 9 || k == 10) {   /* numbers, as in the results file */
				if (*v[k])
					json_object_set_new(o, record_cols[k], json_integer(strtoll(v[k], NULL, 10)));
				else
					json_object_set_new(o, record_cols[k], json_null());
			} else if (*v[k]) {
				json_object_set_new(o, record_cols[k], json_string_lossy(v[k]));
			} else {
				json_object_set_new(o, record_cols[k], json_null());
			}
		}
		char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (!s)
			die("cannot serialise a report record");
		strbuf_addstr(out, s);
		strbuf_addch(out, '\n');
		free(s);
		json_decref(o);
	}
}

/* Writes text to path atomically, or to stdout when path is NULL. */
static int write_out(const char *path, const struct strbuf *text)
{
	char err[512];
	if (!path) {
		if (text->len && (fwrite(text->buf, 1, text->len, stdout) != text->len || fflush(stdout))) {
			error("cannot write the report to standard output: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	struct atomic_file *af = atomic_open(path, -1, err, sizeof(err));
	if (!af) {
		error("%s", err);
		return -1;
	}
	if (atomic_write(af, text->buf ? text->buf : "", text->len) < 0 ||
	    atomic_commit(af, err, sizeof(err)) < 0) {
		error("cannot write '%s': %s", path, err);
		return -1;
	}
	return 0;
}

/* No output may be a file read or the other output, and both must be
 * writable: checked before anything is written (outputs.h). 0, or -1 with a
 * message printed. */
static int check_paths(int nfiles, char **files, const char *out_path, const char *ids_out,
		       int overwrite)
{
	struct path_use *paths = xcalloc((size_t)nfiles + 2, sizeof(*paths));
	size_t np = 0;
	for (int i = 0; i < nfiles; i++)
		paths[np++] = (struct path_use){ "a results file", files[i], PATH_READ, OWN_NONE };
	paths[np++] = (struct path_use){ "-o", out_path, PATH_REPLACED, OWN_REPORT };
	paths[np++] = (struct path_use){ "--ids-out", ids_out, PATH_REPLACED, OWN_IDS };
	int bad = outputs_check(paths, np, overwrite);
	free(paths);
	return bad;
}

/* --ids-out: every ID created or modified, under a comment naming the files. */
static int write_ids(const struct report *rp, const char *ids_out, int nfiles, char **files)
{
	struct strbuf ids = STRBUF_INIT;
	strbuf_init(&ids, 4096);
	strbuf_addstr(&ids, "# IDs created or modified, from s3src report over:");
	for (int i = 0; i < nfiles; i++)
		strbuf_addf(&ids, " %s", files[i]);
	strbuf_addch(&ids, '\n');
	for (size_t i = 0; i < rp->nids; i++) {
		strbuf_addstr(&ids, rp->ids[i]);
		strbuf_addch(&ids, '\n');
	}
	int rc = write_out(ids_out, &ids);
	strbuf_release(&ids);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	const char *out_path = NULL, *ids_out = NULL;
	int format = -1, overwrite = 0;
	const struct popt options[] = {
		POPT_GROUP("Options:"),
		POPT_CHOICE(0, "format", &format, "table|csv|jsonl", formats, RF_TABLE,
			      "table: counts, failures by cause, the rows still\n"
			      "failing (default); csv, jsonl: one record per source\n"
			      "with its latest outcome (default from -o's extension)"),
		POPT_STRING('o', "output", &out_path, "PATH",
			    "write the report to PATH (replaced atomically)\n"
			    "instead of standard output"),
		POPT_STRING(0, "ids-out", &ids_out, "PATH",
			    "write every ID any run created or modified, one per\n"
			    "line (a valid --ids file for export and delete)"),
		POPT_FLAG(0, "overwrite", &overwrite, 1,
			  "replace an existing -o or --ids-out file that is not\n"
			  "an earlier report's (by default only those are)"),
		POPT_END(),
	};

	int first = popt_parse(options, &usage, argc, argv);
	if (first < 0)
		return first == POPT_HELP_SHOWN ? EXIT_OK : EXIT_USAGE;
	if (out_path && !strcmp(out_path, "-"))
		out_path = NULL;
	if (first >= argc) {
		error("report needs at least one results file");
		fputs(REPORT_USAGE, stderr);
		return EXIT_USAGE;
	}
	if (format < 0)
		format = out_path && has_suffix(out_path, ".csv") ? RF_CSV :
			 out_path && has_suffix(out_path, ".jsonl") ? RF_JSONL : RF_TABLE;
	if (check_paths(argc - first, argv + first, out_path, ids_out, overwrite) < 0)
		return EXIT_USAGE;

	struct report rp;
	memset(&rp, 0, sizeof(rp));
	strmap_init(&rp.keys);
	strmap_init(&rp.idset);
	char err[1024];
	int rc = EXIT_OK;
	for (int i = first; i < argc; i++) {
		if (results_read(argv[i], take, &rp, err, sizeof(err)) < 0) {
			error("%s", err);
			rc = EXIT_USAGE;
			goto out;
		}
	}

	struct strbuf text = STRBUF_INIT;
	strbuf_init(&text, 4096);
	if (format == RF_TABLE)
		format_table(&rp, (size_t)(argc - first), ids_out, &text);
	else
		format_records(&rp, (enum report_format)format, &text);
	if (ids_out && write_ids(&rp, ids_out, argc - first, argv + first) < 0)
		rc = EXIT_USAGE;
	if (rc == EXIT_OK && write_out(out_path, &text) < 0)
		rc = EXIT_USAGE;
	strbuf_release(&text);
	if (rc == EXIT_OK)
		for (size_t i = 0; i < rp.n; i++)
			if (still_failing(rp.v[i]))
				rc = EXIT_ROWS;
out:
	report_release(&rp);
	return rc;
}
