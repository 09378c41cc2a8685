/*
 * cmd_list.c - `s3src list [-o PATH] [--format table|csv|jsonl]`: every S3
 * source on the server, read through the GraphQL listing (listing.c), one
 * line per source: integrationId, integrationLabel, awsAccountId, s3Bucket.
 *
 * A table when the output is a terminal, CSV otherwise (the CSV and the JSONL
 * are valid `--ids` files: they have an integrationId column or key). With
 * -o PATH the file is written atomically (atomic.c), so a listing refreshed
 * by cron never leaves a partial file; the folder is checked writable before
 * the first request. The whole listing is in memory anyway (the index), so
 * the table's column widths are measured before the first line is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "atomic.h"
#include "cmd.h"
#include "conn.h"
#include "listing.h"
#include "outputs.h"
#include "parse_options.h"
#include "s3src.h"
#include "util.h"
#include "writers_util.h"

static const struct popt_usage usage = {
	"list",
	"usage: s3src list [-o PATH] [--format table|csv|jsonl] [OPTIONS]\n"
	"\n"
	"Every S3 source on the server (Panther's GraphQL listing; sources of other\n"
	"kinds are left out), one line each: integrationId, integrationLabel,\n"
	"awsAccountId, s3Bucket. The CSV and JSONL are valid --ids files.\n"
	"\n",
	"\n"
	"Exit codes: 0 listed, 1 the listing failed, 2 usage error (nothing sent),\n"
	"3 the API refused the token or its permission to list (401/403), interrupted,\n"
	"or the output could not be written.\n",
};

enum list_format { LF_AUTO = 0, LF_TABLE, LF_CSV, LF_JSONL };
static const char *const formats[] = { "table", "csv", "jsonl", NULL };   /* from LF_TABLE */

/* The format of an output file from its name (".gz" aside), or LF_AUTO. */
static enum list_format format_of_path(const char *path)
{
	size_t n = strlen(path);
	char *base = xstrndup(path, has_suffix(path, ".gz") ? n - 3 : n);
	enum list_format f = has_suffix(base, ".csv") ? LF_CSV : has_suffix(base, ".jsonl") ? LF_JSONL
		: has_suffix(base, ".txt") ? LF_TABLE : LF_AUTO;
	free(base);
	return f;
}

static const char *const columns[] = { "integrationId", "integrationLabel", "awsAccountId", "s3Bucket" };

static void cells_of(const struct listed_source *s, const char *cell[4])
{
	cell[0] = s->id;
	cell[1] = s->label;
	cell[2] = s->account;
	cell[3] = s->bucket;
}

/* Display width: UTF-8 code points (continuation bytes do not count). */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

/* A table cell: control characters shown as spaces, padded to w unless last. */
static void add_table_cell(struct strbuf *sb, const char *s, size_t w, int last)
{
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		strbuf_addch(sb, c < 0x20 || c == 0x7f ? ' ' : c);
	}
	if (!last) {
		for (size_t k = width(s); k < w + 2; k++)
			strbuf_addch(sb, ' ');
	}
}

static void format_table(struct strbuf *sb, const struct listing *l)
{
	size_t w[4];
	const char *cell[4];

	for (size_t c = 0; c < 4; c++)
		w[c] = strlen(columns[c]);
	for (size_t i = 0; i < listing_count(l); i++) {
		cells_of(listing_at(l, i), cell);
		for (size_t c = 0; c < 4; c++)
			if (width(cell[c]) > w[c])
				w[c] = width(cell[c]);
	}
	for (size_t c = 0; c < 4; c++)
		add_table_cell(sb, columns[c], w[c], c == 3);
	strbuf_addch(sb, '\n');
	for (size_t i = 0; i < listing_count(l); i++) {
		cells_of(listing_at(l, i), cell);
		for (size_t c = 0; c < 4; c++)
			add_table_cell(sb, cell[c], w[c], c == 3);
		strbuf_addch(sb, '\n');
	}
}

static void format_csv(struct strbuf *sb, const struct listing *l)
{
	const char *cell[4];

	for (size_t c = 0; c < 4; c++)
		csv_append_cell(sb, columns[c], strlen(columns[c]), ',', c == 0, 1);
	strbuf_addch(sb, '\n');
	for (size_t i = 0; i < listing_count(l); i++) {
		cells_of(listing_at(l, i), cell);
		for (size_t c = 0; c < 4; c++)
			csv_append_cell(sb, cell[c], strlen(cell[c]), ',', c == 0, 1);
		strbuf_addch(sb, '\n');
	}
}

static void format_jsonl(struct strbuf *sb, const struct listing *l)
{
	for (size_t i = 0; i < listing_count(l); i++) {
		const struct listed_source *s = listing_at(l, i);
		json_t *o = json_object(); /* new reference */
		json_object_set_new(o, columns[0], json_string_lossy(s->id));
		json_object_set_new(o, columns[1], json_string_lossy(s->label));
		json_object_set_new(o, columns[2], json_string_lossy(s->account));
		json_object_set_new(o, columns[3], json_string_lossy(s->bucket));
		char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (!line)
			die("out of memory");
		strbuf_addstr(sb, line);
		strbuf_addch(sb, '\n');
		free(line);
	}
}

/* Writes the listing in fmt to af (committed: af is taken and freed) or,
 * when af is NULL, to stdout. 0, or -1 with a message printed. */
static int write_listing(const struct listing *l, enum list_format fmt, struct atomic_file *af)
{
	struct strbuf sb = STRBUF_INIT;
	char err[1024];
	int rc = 0;

	strbuf_init(&sb, 4096);
	if (fmt == LF_TABLE)
		format_table(&sb, l);
	else if (fmt == LF_CSV)
		format_csv(&sb, l);
	else
		format_jsonl(&sb, l);
	if (af) {
		atomic_write(af, sb.buf, sb.len);
		if (atomic_commit(af, err, sizeof(err)) < 0) {
			error("%s", err);
			rc = -1;
		}
	} else if (fwrite(sb.buf, 1, sb.len, stdout) != sb.len || fflush(stdout)) {
		error("cannot write the listing to stdout: %m");
		rc = -1;
	}
	strbuf_release(&sb);
	return rc;
}

/* The one-line summary on stderr (not with -q). */
static void print_summary(const struct listing *l, const struct sched_stats *stats, int64_t ms,
			  const char *out_path)
{
	size_t n = listing_count(l), others = listing_others(l);

	fprintf(stderr, "list: %zu S3 source%s", n, n == 1 ? "" : "s");
	if (others)
		fprintf(stderr, " (%zu source%s of other kinds left out)", others,
			others == 1 ? "" : "s");
	fprintf(stderr, " in %.1f s, %zu page%s, %llu request%s (%llu retr%s)\n",
		ms / 1000.0, listing_pages(l), listing_pages(l) == 1 ? "" : "s",
		(unsigned long long)stats->requests, stats->requests == 1 ? "" : "s",
		(unsigned long long)stats->retries, stats->retries == 1 ? "y" : "ies");
	if (out_path)
		fprintf(stderr, "  output: %s\n", out_path);
}

/* --format left to s3src: from -o PATH's extension, else a table on a
 * terminal and CSV elsewhere. 0, or -1 (said) when PATH's name tells none. */
static int resolve_format(int *fmt, const char *out_path)
{
	if (*fmt == LF_AUTO && out_path) {
		*fmt = (int)format_of_path(out_path);
		if (*fmt == LF_AUTO) {
			error("cannot tell the format of '%s' from its name (.csv, .jsonl, .txt, "
			      "optionally .gz): use --format", out_path);
			return -1;
		}
	}
	if (*fmt == LF_AUTO)
		*fmt = isatty(STDOUT_FILENO) ? LF_TABLE : LF_CSV;
	return 0;
}

int cmd_list(int argc, char **argv)
{
	struct conn_opts conn;
	int fmt = LF_AUTO;   /* an enum list_format (POPT_CHOICE sets an int) */
	const char *out_path = NULL;
	struct atomic_file *af = NULL;
	struct listing *l = NULL;
	struct sched_stats stats;
	char err[1024];
	int quiet = 0, overwrite = 0, rc = EXIT_USAGE;
	const struct popt options[] = {
		POPT_STRING('o', "output", &out_path, "PATH",
			    "write there (atomically) instead of stdout; an\n"
			    "existing file is replaced only if it is a listing"),
		POPT_FLAG(0, "overwrite", &overwrite, 1, "replace an existing -o file that is not a listing"),
		POPT_CHOICE(0, "format", &fmt, "FORMAT", formats, LF_TABLE,
			      "table, csv or jsonl (default: a table on a terminal,\n"
			      "else from PATH's extension, else csv)"),
		POPT_FLAG('q', "quiet", &quiet, 1, "no summary on stderr"),
		POPT_INCLUDE(conn_popts, &conn),
		POPT_END(),
	};

	conn_opts_init(&conn);
	int first = popt_parse(options, &usage, argc, argv);
	if (first < 0) {
		rc = first == POPT_HELP_SHOWN ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (first < argc) {
		error("list takes no arguments, got '%s'", argv[first]);
		goto out;
	}
	if (out_path && !strcmp(out_path, "-"))
		out_path = NULL;
	if (resolve_format(&fmt, out_path) < 0 || conn_opts_finish(&conn) < 0)
		goto out;
	/* the output is checked before the first request: its folder, and an
	 * existing file is replaced only if it is a listing (outputs.h) */
	struct path_use pu = { "-o", out_path, PATH_REPLACED, OWN_LISTING };
	if (outputs_check(&pu, 1, overwrite) < 0)
		goto out;
	if (out_path && !(af = atomic_open(out_path, -1, err, sizeof(err)))) {
		error("%s", err);
		goto out;
	}

	sched_install_signals();
	int64_t start = now_ms();
	enum listing_status ls = listing_fetch(&conn, &l, &stats, err, sizeof(err));
	if (ls != LISTING_OK) {
		error("%s", err);
		rc = ls == LISTING_FAILED ? EXIT_ROWS : EXIT_ABORTED;
		goto out;
	}

	int werr = write_listing(l, fmt, af);
	af = NULL;
	if (werr < 0) {
		rc = EXIT_ABORTED;
		goto out;
	}
	if (!quiet)
		print_summary(l, &stats, now_ms() - start, out_path);
	rc = EXIT_OK;
out:
	atomic_abort(af);
	listing_free(l);
	conn_opts_release(&conn);
	return rc;
}
