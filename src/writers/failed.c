/*
 * failed.c - the failed-rows file (spec: "Failed-rows file").
 *
 * The rows that came out invalid or failed, in the input's own format, so the
 * user fixes them and runs the file again:
 *
 *   CSV    the input's header cells verbatim plus an "error" column (or, when
 *          the header already has one - a failed-rows file run again - that
 *          column), the input's delimiter, every raw record of the source with
 *          its cells verbatim except the formula guard: a cell that begins
 *          with '=', '+', '-', '@', TAB, CR or LF gets a leading '\'' (one that
 *          begins with '\'' is already in guarded form and is kept as is),
 *          which the CSV importer strips, so the row re-imports unchanged;
 *          the error goes on the source's first
 *          record (guarded, it is our text) and is empty on its continuation
 *          rows;
 *   JSONL  the original line's object with an "error" key added (jansson keeps
 *          the key order); a line that is not a JSON object, or has duplicate
 *          keys, becomes {"error": ..., "rawLine": "<the line>"}.
 *
 * The file looks like the input: a BOM when the input had one, and the input's
 * line ends (CRLF in, CRLF out), so Excel on Windows shows it as it showed the
 * original. Cells keep their own line ends (a quoted multi-line cell) verbatim.
 *
 * Nothing is created until the first failed row; the file is written through
 * atomic.c (temporary in the same folder, renamed into place on close).
 */
#include <errno.h>
#include <string.h>
#include <jansson.h>
#include "atomic.h"
#include "results.h"
#include "source.h"
#include "util.h"
#include "writers_util.h"

struct failed_writer {
	char *path;
	enum in_format fmt;
	char **header;          /* borrowed */
	size_t nheader;
	int delimiter;
	size_t error_col;       /* CSV: index of the error column */
	size_t ncols;           /* CSV: header cells written */
	struct atomic_file *af; /* NULL until the first row */
	size_t rows;
	int bom;                /* write a UTF-8 BOM first */
	const char *eol;        /* line end (static string) */
	char *open_error;       /* why the file could not be created (sticky) */
	int keep_existing;      /* commit never replaces a file */
	char **landed;          /* where it was committed */
	struct strbuf sb;
};

struct failed_writer *failed_new(const char *path, enum in_format fmt,
				 char **header, size_t nheader, int delimiter)
{
	struct failed_writer *w = xcalloc(1, sizeof(*w));

	w->path = xstrdup(path);
	w->fmt = fmt == FORMAT_JSONL ? FORMAT_JSONL : FORMAT_CSV;
	w->header = header;
	w->nheader = header ? nheader : 0;
	w->delimiter = delimiter ? delimiter : ',';
	w->error_col = w->nheader;
	for (size_t i = 0; i < w->nheader; i++) {
		if (header[i] && header_name_eq(header[i], "error")) {
			w->error_col = i;
			break;
		}
	}
	w->ncols = w->error_col == w->nheader ? w->nheader + 1 : w->nheader;
	w->eol = "\n";
	strbuf_init(&w->sb, 256);
	return w;
}

void failed_set_style(struct failed_writer *w, int bom, const char *eol)
{
	w->bom = bom;
	if (eol && (!strcmp(eol, "\r\n") || !strcmp(eol, "\r")))
		w->eol = !strcmp(eol, "\r") ? "\r" : "\r\n";
	else
		w->eol = "\n";
}

static int dump_to_strbuf(const char *buffer, size_t size, void *data)
{
	strbuf_add(data, buffer, size);
	return 0;
}

static void add_cell(struct failed_writer *w, const char *cell, int first, int guard)
{
	if (!cell)
		cell = "";
	csv_append_cell(&w->sb, cell, strlen(cell), w->delimiter, first, guard);
}

static void format_csv_header(struct failed_writer *w)
{
	for (size_t i = 0; i < w->nheader; i++)
		add_cell(w, w->header[i], i == 0, 0);
	if (w->error_col == w->nheader)
		add_cell(w, "error", w->nheader == 0, 0);
	strbuf_addstr(&w->sb, w->eol);
}

static void format_csv_record(struct failed_writer *w, const struct raw_record *rr,
			      const char *msg)
{
	size_t want = w->error_col == w->nheader ? rr->ncells + 1 : rr->ncells;
	size_t n = want > w->ncols ? want : w->ncols;
	size_t ci = 0;   /* index into rr->cells */

	for (size_t col = 0; col < n; col++) {
		if (col == w->error_col) {
			add_cell(w, msg, col == 0, 1);
			if (w->error_col < w->nheader)
				ci++;   /* the input's own error cell is replaced */
			continue;
		}
		const char *raw = ci < rr->ncells ? rr->cells[ci] : "";
		/* raw cells are in the input's (guarded) form: guard only an unguarded one */
		add_cell(w, raw, col == 0, raw && raw[0] != '\'');
		ci++;
	}
	strbuf_addstr(&w->sb, w->eol);
}

static void format_jsonl_record(struct failed_writer *w, const struct raw_record *rr,
				const char *msg)
{
	json_error_t je;
	json_t *o = rr->text ? json_loads(rr->text, JSON_REJECT_DUPLICATES, &je) : NULL;

	if (!json_is_object(o)) {
		json_decref(o);
		o = json_object();
		json_object_set_new(o, "error", json_string_lossy(msg));
		json_object_set_new(o, "rawLine", json_string_lossy(rr->text ? rr->text : ""));
	} else {
		/* replaces in place when the line already had an "error" key */
		json_object_set_new(o, "error", json_string_lossy(msg));
	}
	if (json_dump_callback(o, dump_to_strbuf, &w->sb, JSON_COMPACT | JSON_PRESERVE_ORDER))
		die("cannot serialise a failed row");
	json_decref(o);
	strbuf_addstr(&w->sb, w->eol);
}

void failed_keep_existing(struct failed_writer *w, char **landed)
{
	w->keep_existing = 1;
	w->landed = landed;
}

/* failed_write() with the error column's text given. */
static int failed_write_text(struct failed_writer *w, const struct source *s, const char *msg)
{
	char err[512];

	strbuf_reset(&w->sb);
	if (w->open_error)
		return -1;
	if (!w->af) {
		w->af = atomic_open(w->path, -1, err, sizeof(err));
		if (!w->af) {
			error("%s", err);
			w->open_error = xstrdup(err);
			return -1;
		}
		if (w->bom)
			strbuf_addstr(&w->sb, "\xEF\xBB\xBF");
		if (w->keep_existing)
			atomic_keep_existing(w->af, w->landed);
		if (w->fmt == FORMAT_CSV)
			format_csv_header(w);
	}
	for (size_t i = 0; i < s->nraw; i++) {
		const char *e = i == 0 ? msg : "";
		if (w->fmt == FORMAT_CSV)
			format_csv_record(w, &s->raw[i], e);
		else
			format_jsonl_record(w, &s->raw[i], e);
	}
	if (s->nraw == 0 && w->fmt == FORMAT_JSONL) {
		/* an ID-list row has no raw record: keep the error at least */
		struct raw_record none = { .line = s->line };
		format_jsonl_record(w, &none, msg);
	}
	w->rows++;
	return atomic_write(w->af, w->sb.buf, w->sb.len);
}

int failed_write(struct failed_writer *w, const struct source *s, const char *msg)
{
	if (msg)
		return failed_write_text(w, s, msg);
	char *own = diag_render_new(&s->diags, DIAG_ERROR);
	int rc = failed_write_text(w, s, own ? own : "");
	free(own);
	return rc;
}

int failed_close(struct failed_writer *w, char *err, size_t errlen)
{
	int ret = 0;

	if (!w)
		return 0;
	if (w->open_error) {
		snprintf(err, errlen, "%s", w->open_error);
		ret = -1;
	} else if (w->af) {
		ret = atomic_commit(w->af, err, errlen) ? -1 : 1;
		w->af = NULL;
	}
	free(w->open_error);
	strbuf_release(&w->sb);
	free(w->path);
	free(w);
	return ret;
}

char *failed_default_path(const char *results_path, enum in_format fmt)
{
	const char *ext = fmt == FORMAT_JSONL ? "jsonl" : "csv";
	size_t len;

	if (!results_path || !strcmp(results_path, "-")) {
		char stamp[32];
		utc_stamp(stamp, sizeof(stamp));
		return xasprintf("s3src-%s.failed.%s", stamp, ext);
	}
	len = strlen(results_path);
	if (has_suffix(results_path, ".csv"))
		len -= 4;
	else if (has_suffix(results_path, ".jsonl"))
		len -= 6;
	if (len >= 8 && !strncmp(results_path + len - 8, ".results", 8))
		len -= 8;
	return xasprintf("%.*s.failed.%s", (int)len, results_path, ext);
}
