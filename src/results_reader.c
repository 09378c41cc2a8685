/*
 * results_reader.c - a results file read back record by record (see
 * results_reader.h), the way resume.c reads one: CSV through libcsv fed line by
 * line (so a message names the line where a record starts), cells guarded
 * against formula injection unguarded; JSONL through jansson, numbers turned
 * into their decimal text so both formats give the same strings.
 */
#include "results_reader.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <csv.h>
#include <jansson.h>
#include <zlib.h>

#include "util.h"
#include "writers_util.h"

enum col { C_ROW, C_LINE, C_ACTION, C_OUTCOME, C_HTTP, C_ID, C_LABEL, C_ATTEMPTS,
	   C_ERROR, C_WARNING, C_FP, C__COUNT };

static const char *const col_names[C__COUNT] = {
	"row", "line", "action", "outcome", "httpStatus", "integrationId", "integrationLabel",
	"attempts", "error", "warning", "fingerprint",
};

static void row_fill(struct results_row *r, const char *const v[C__COUNT])
{
	r->row = v[C_ROW];
	r->line = v[C_LINE];
	r->action = v[C_ACTION];
	r->outcome = v[C_OUTCOME];
	r->http_status = v[C_HTTP];
	r->id = v[C_ID];
	r->label = v[C_LABEL];
	r->attempts = v[C_ATTEMPTS];
	r->error = v[C_ERROR];
	r->warning = v[C_WARNING];
	r->fingerprint = v[C_FP];
}

struct csv_ctx {
	const char *path;
	results_row_fn fn;
	void *ctx;
	struct csv_cells cells;
	long col[C__COUNT];
	size_t line, nrec;
	char *err;
	size_t errlen;
	int failed;
};

static void cb_cell(void *s, size_t len, void *data)
{
	struct csv_ctx *c = data;
	csv_cells_add(&c->cells, s, len);
}

static void cb_row(int term, void *data)
{
	struct csv_ctx *c = data;
	(void)term;
	if (c->failed)
		goto next;
	if (c->nrec == 0) {
		for (int k = 0; k < C__COUNT; k++)
			c->col[k] = -1;
		for (size_t i = 0; i < c->cells.n; i++)
			for (int k = 0; k < C__COUNT; k++)
				if (c->col[k] < 0 && header_name_eq(c->cells.v[i], col_names[k]))
					c->col[k] = (long)i;
		if (c->col[C_OUTCOME] < 0) {
			snprintf(c->err, c->errlen, "%s:%zu: not a results file (no 'outcome' column)",
				 c->path, c->line);
			c->failed = 1;
		}
		goto next;
	}
	const char *v[C__COUNT];
	for (int k = 0; k < C__COUNT; k++)
		v[k] = c->col[k] < 0 ? NULL : (size_t)c->col[k] < c->cells.n ?
		       csv_cell_unguard(c->cells.v[c->col[k]]) : "";
	struct results_row r = { .path = c->path, .file_line = c->line };
	row_fill(&r, v);
	if (c->fn(c->ctx, &r, c->err, c->errlen) < 0)
		c->failed = 1;
next:
	c->nrec++;
	csv_cells_clear(&c->cells);
	c->line = 0;
}

static int read_csv(const char *path, gzFile gz, results_row_fn fn, void *ctx, char *err,
		    size_t errlen)
{
	struct csv_parser p;
	struct strbuf sb = STRBUF_INIT;
	struct csv_ctx c = { .path = path, .fn = fn, .ctx = ctx, .err = err, .errlen = errlen };
	size_t lineno = 0;
	int rc;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL))
		die("cannot initialise libcsv");
	strbuf_init(&sb, 256);
	while (!c.failed && (rc = gz_getline(gz, &sb, err, errlen)) > 0) {
		lineno++;
		if (lineno == 1 && sb.len >= 3 && !memcmp(sb.buf, "\xEF\xBB\xBF", 3)) {
			memmove(sb.buf, sb.buf + 3, sb.len - 2);
			sb.len -= 3;
		}
		if (!c.line && strspn(sb.buf, "\r\n") != sb.len)
			c.line = lineno;
		if (csv_parse(&p, sb.buf, sb.len, cb_cell, cb_row, &c) != sb.len && !c.failed) {
			snprintf(err, errlen, "%s:%zu: %s", path, c.line ? c.line : lineno,
				 csv_strerror(csv_error(&p)));
			c.failed = 1;
		}
	}
	if (rc < 0 && !c.failed) {
		err_at_line(err, errlen, path, lineno + 1);
		c.failed = 1;
	}
	if (!c.failed && csv_fini(&p, cb_cell, cb_row, &c) && !c.failed) {
		snprintf(err, errlen, "%s:%zu: %s", path, c.line ? c.line : lineno,
			 csv_strerror(csv_error(&p)));
		c.failed = 1;
	}
	if (!c.failed && c.nrec == 0) {
		snprintf(err, errlen, "%s: empty results file (no header)", path);
		c.failed = 1;
	}
	csv_cells_release(&c.cells);
	csv_free(&p);
	strbuf_release(&sb);
	return c.failed ? -1 : 0;
}

/* A JSON value as text into buf: strings as they are, integers in decimal,
 * null as absent. -1 for any other type. */
static int json_text(const json_t *v, const char **out, char *buf, size_t buflen)
{
	if (!v || json_is_null(v)) {
		*out = NULL;
		return 0;
	}
	if (json_is_string(v)) {
		*out = json_string_value(v);
		return 0;
	}
	if (json_is_integer(v)) {
		snprintf(buf, buflen, "%lld", (long long)json_integer_value(v));
		*out = buf;
		return 0;
	}
	return -1;
}

static int read_jsonl(const char *path, gzFile gz, results_row_fn fn, void *ctx, char *err,
		      size_t errlen)
{
	struct strbuf sb = STRBUF_INIT;
	size_t lineno = 0;
	int rc, ret = 0;

	strbuf_init(&sb, 256);
	while ((rc = gz_getline(gz, &sb, err, errlen)) > 0) {
		json_error_t je;
		lineno++;
		if (strspn(sb.buf, " \t\r\n") == sb.len)
			continue;
		json_t *o = json_loadb(sb.buf, sb.len, 0, &je);   /* new reference */
		if (!json_is_object(o)) {
			snprintf(err, errlen, "%s:%zu: %s", path, lineno, o ? "not a JSON object" : je.text);
			json_decref(o);
			ret = -1;
			break;
		}
		const char *v[C__COUNT];
		char num[C__COUNT][32];
		for (int k = 0; k < C__COUNT && !ret; k++) {
			if (json_text(json_object_get(o, col_names[k]), &v[k], num[k], sizeof(num[k])) < 0) {
				snprintf(err, errlen, "%s:%zu: %s: expected a string or an integer",
					 path, lineno, col_names[k]);
				ret = -1;
			}
		}
		if (!ret && !v[C_OUTCOME]) {
			snprintf(err, errlen, "%s:%zu: not a results record (no 'outcome')", path, lineno);
			ret = -1;
		}
		if (!ret) {
			struct results_row r = { .path = path, .file_line = lineno };
			row_fill(&r, v);
			ret = fn(ctx, &r, err, errlen);
		}
		json_decref(o);
		if (ret)
			break;
	}
	if (rc < 0 && !ret) {
		err_at_line(err, errlen, path, lineno + 1);
		ret = -1;
	}
	strbuf_release(&sb);
	return ret;
}

int results_read(const char *path, results_row_fn fn, void *ctx, char *err, size_t errlen)
{
	size_t len = strlen(path);
	int jsonl;

	if (len > 3 && has_suffix(path, ".gz"))
		len -= 3;
	char *base = xstrndup(path, len);
	if (has_suffix(base, ".jsonl") || has_suffix(base, ".ndjson")) {
		jsonl = 1;
	} else if (has_suffix(base, ".csv")) {
		jsonl = 0;
	} else {
		snprintf(err, errlen, "results file '%s': unsupported extension (use .csv or .jsonl)", path);
		free(base);
		return -1;
	}
	free(base);
	errno = 0;
	gzFile gz = gzopen(path, "rb");
	if (!gz) {
		snprintf(err, errlen, "cannot open results file '%s': %s", path,
			 errno ? strerror(errno) : "out of memory");
		return -1;
	}
	int ret = jsonl ? read_jsonl(path, gz, fn, ctx, err, errlen)
			: read_csv(path, gz, fn, ctx, err, errlen);
	gzclose(gz);
	return ret;
}
