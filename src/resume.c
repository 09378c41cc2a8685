/*
 * resume.c - --resume RESULTS (spec: "Resume"): reads an earlier results file
 * and keeps, for every row that succeeded, fingerprint -> integrationId, so
 * the run can skip rows already done.
 *
 * Succeeded means outcome created, modified, exported or deleted, or skipped
 * with an error beginning with RESUME_SKIP_NOTE ("already done in 'X' ...": a
 * row resumed by an earlier run, so a chain of resumed runs keeps working; a
 * row skipped because the run was interrupted does not count); "valid" (validate) is not a
 * success here: nothing was sent. A later record with the same fingerprint
 * does not replace the first.
 *
 * The file is read by extension (.csv or .jsonl, optionally .gz, read through
 * zlib, which passes plain files through): CSV through libcsv fed line by line
 * (so an error can name the line where the record starts), JSONL through
 * jansson. Cells guarded against formula injection ("'-x") are unguarded.
 * Memory: one hash-table entry per succeeded row (fingerprint and ID).
 */
#include <errno.h>
#include <string.h>
#include <csv.h>
#include <jansson.h>
#include <zlib.h>
#include "results.h"
#include "util.h"
#include "writers_util.h"

struct resume_set {
	struct strmap map;   /* fingerprint -> integrationId (owned char *) */
};

struct row_ctx {
	const char *path;
	struct resume_set *rs;
	struct csv_cells cells;
	size_t line;          /* where the current record starts */
	size_t nrec;          /* records seen, header included */
	long col_outcome, col_fp, col_id, col_error;
	char *err;
	size_t errlen;
	int failed;
};

/* Records one row; -1 with ctx->err filled when the row is malformed. */
static int take_row(struct resume_set *rs, const char *path, size_t line,
		    const char *outcome, const char *fp, const char *id, const char *errcell,
		    char *err, size_t errlen)
{
	enum outcome o;

	if (!outcome) {
		snprintf(err, errlen, "%s:%zu: missing 'outcome'", path, line);
		return -1;
	}
	if (outcome_parse(outcome, &o)) {
		snprintf(err, errlen, "%s:%zu: outcome: unknown value '%s'", path, line, outcome);
		return -1;
	}
	if (!fp || !*fp)
		return 0;   /* nothing to match against (e.g. an invalid row) */
	if (o == OUTCOME_SKIPPED) {
		if (!errcell || strncmp(errcell, RESUME_SKIP_NOTE, strlen(RESUME_SKIP_NOTE)))
			return 0;
	} else if (!outcome_is_success(o) || o == OUTCOME_VALID) {
		return 0;   /* not done; a valid row sent nothing */
	}
	char *val = xstrdup(id ? id : "");
	if (!strmap_put(&rs->map, fp, val))
		free(val);
	return 0;
}

static void cb_cell(void *s, size_t len, void *data)
{
	struct row_ctx *c = data;
	csv_cells_add(&c->cells, s, len);
}

static const char *cell_at(struct row_ctx *c, long i)
{
	if (i < 0 || (size_t)i >= c->cells.n)
		return NULL;
	return csv_cell_unguard(c->cells.v[i]);
}

static void cb_row(int term, void *data)
{
	struct row_ctx *c = data;
	(void)term;

	if (!c->failed) {
		if (c->nrec == 0) {
			for (size_t i = 0; i < c->cells.n; i++) {
				const char *h = c->cells.v[i];
				if (header_name_eq(h, "outcome"))
					c->col_outcome = (long)i;
				else if (header_name_eq(h, "fingerprint"))
					c->col_fp = (long)i;
				else if (header_name_eq(h, "integrationId"))
					c->col_id = (long)i;
				else if (header_name_eq(h, "error"))
					c->col_error = (long)i;
			}
			if (c->col_outcome < 0 || c->col_fp < 0) {
				snprintf(c->err, c->errlen, "%s:%zu: not a results file (no '%s' column)",
					 c->path, c->line, c->col_outcome < 0 ? "outcome" : "fingerprint");
				c->failed = 1;
			}
		} else if ((size_t)c->col_outcome >= c->cells.n || (size_t)c->col_fp >= c->cells.n) {
			snprintf(c->err, c->errlen, "%s:%zu: %zu cells, expected at least %ld",
				 c->path, c->line, c->cells.n,
				 (c->col_outcome > c->col_fp ? c->col_outcome : c->col_fp) + 1);
			c->failed = 1;
		} else if (take_row(c->rs, c->path, c->line, cell_at(c, c->col_outcome),
				    cell_at(c, c->col_fp), cell_at(c, c->col_id),
				    cell_at(c, c->col_error), c->err, c->errlen)) {
			c->failed = 1;
		}
	}
	c->nrec++;
	csv_cells_clear(&c->cells);
	c->line = 0;
}

static int load_csv(struct resume_set *rs, const char *path, gzFile gz, char *err, size_t errlen)
{
	struct csv_parser p;
	struct strbuf sb = STRBUF_INIT;
	struct row_ctx c = {
		.path = path, .rs = rs, .col_outcome = -1, .col_fp = -1, .col_id = -1,
		.col_error = -1, .err = err, .errlen = errlen,
	};
	size_t lineno = 0;
	int rc, ret = 0;

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
		if (csv_parse(&p, sb.buf, sb.len, cb_cell, cb_row, &c) != sb.len) {
			snprintf(err, errlen, "%s:%zu: %s", path, c.line ? c.line : lineno,
				 csv_strerror(csv_error(&p)));
			c.failed = 1;
		}
	}
	if (rc < 0 && !c.failed) {
		char msg[256];
		snprintf(msg, sizeof(msg), "%s", err);
		snprintf(err, errlen, "%s:%zu: %s", path, lineno + 1, msg);
		c.failed = 1;
	}
	if (!c.failed && csv_fini(&p, cb_cell, cb_row, &c)) {
		snprintf(err, errlen, "%s:%zu: %s", path, c.line ? c.line : lineno,
			 csv_strerror(csv_error(&p)));
		c.failed = 1;
	}
	if (!c.failed && c.nrec == 0) {
		snprintf(err, errlen, "%s: empty results file (no header)", path);
		c.failed = 1;
	}
	if (c.failed)
		ret = -1;
	csv_cells_release(&c.cells);
	csv_free(&p);
	strbuf_release(&sb);
	return ret;
}

static const char *get_str(json_t *o, const char *key, int *bad)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

static int load_jsonl(struct resume_set *rs, const char *path, gzFile gz, char *err, size_t errlen)
{
	struct strbuf sb = STRBUF_INIT;
	size_t lineno = 0;
	int rc, ret = 0;

	strbuf_init(&sb, 256);
	while ((rc = gz_getline(gz, &sb, err, errlen)) > 0) {
		json_error_t je;
		json_t *o;
		int bad = 0;

		lineno++;
		if (strspn(sb.buf, " \t\r\n") == sb.len)
			continue;
		o = json_loadb(sb.buf, sb.len, 0, &je);
		if (!json_is_object(o)) {
			snprintf(err, errlen, "%s:%zu: %s", path, lineno,
				 o ? "not a JSON object" : je.text);
			json_decref(o);
			ret = -1;
			break;
		}
		const char *outcome = get_str(o, "outcome", &bad);
		const char *fp = get_str(o, "fingerprint", &bad);
		const char *id = get_str(o, "integrationId", &bad);
		const char *e = get_str(o, "error", &bad);
		if (bad) {
			snprintf(err, errlen, "%s:%zu: outcome, fingerprint, integrationId and error must be strings",
				 path, lineno);
			ret = -1;
		} else {
			ret = take_row(rs, path, lineno, outcome, fp, id, e, err, errlen);
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

/* Adds the succeeded rows of path to rs. 0, or -1 with err. */
static int load_into(struct resume_set *rs, const char *path, char *err, size_t errlen)
{
	gzFile gz;
	int jsonl, ret;
	size_t len = strlen(path);

	if (len > 3 && has_suffix(path, ".gz"))
		len -= 3;
	char *base = xstrndup(path, len);
	if (has_suffix(base, ".jsonl") || has_suffix(base, ".ndjson")) {
		jsonl = 1;
	} else if (has_suffix(base, ".csv")) {
		jsonl = 0;
	} else {
		snprintf(err, errlen, "resume file '%s': unsupported extension (use .csv or .jsonl)", path);
		free(base);
		return -1;
	}
	free(base);
	gz = gzopen(path, "rb");
	if (!gz) {
		snprintf(err, errlen, "cannot open resume file '%s': %s", path,
			 errno ? strerror(errno) : "out of memory");
		return -1;
	}
	ret = jsonl ? load_jsonl(rs, path, gz, err, errlen) : load_csv(rs, path, gz, err, errlen);
	gzclose(gz);
	return ret ? -1 : 0;
}

struct resume_set *resume_load_all(const char *const *paths, size_t n, char *err, size_t errlen)
{
	struct resume_set *rs = xcalloc(1, sizeof(*rs));

	strmap_init(&rs->map);
	for (size_t i = 0; i < n; i++) {
		if (load_into(rs, paths[i], err, errlen) < 0) {
			resume_free(rs);
			return NULL;
		}
	}
	return rs;
}

struct resume_set *resume_load(const char *path, char *err, size_t errlen)
{
	return resume_load_all(&path, 1, err, errlen);
}

const char *resume_lookup(const struct resume_set *rs, const char *fingerprint)
{
	if (!rs || !fingerprint)
		return NULL;
	return strmap_get(&rs->map, fingerprint, NULL);
}

size_t resume_count(const struct resume_set *rs)
{
	return rs ? rs->map.n : 0;
}

void resume_free(struct resume_set *rs)
{
	if (!rs)
		return;
	strmap_release(&rs->map, 1);
	free(rs);
}
