/*
 * results_reader.c - a results file read back record by record (see
 * results_reader.h) for report and --resume: the reader (reader.h) turns the
 * file into records, this file maps them to a results_row. CSV: columns by
 * header name, cells guarded against formula injection unguarded; JSONL:
 * numbers turned into their decimal text so both formats give the same
 * strings.
 */
#include "results_reader.h"

#include <stdio.h>
#include <string.h>
#include <jansson.h>

#include "reader.h"
#include "util.h"

static const char *const col_names[RESULTS__COUNT] = {
	"row", "line", "action", "outcome", "httpStatus", "integrationId", "integrationLabel",
	"attempts", "error", "warning", "fingerprint",
};

/* The state of one file's reading. */
struct results_file {
	const char *path;
	const struct results_want *want;
	enum in_format fmt;
	long col[RESULTS__COUNT];   /* CSV: each column's index, -1 when absent */
	results_row_fn fn;
	void *ctx;
};

static void row_fill(struct results_row *r, const char *const v[RESULTS__COUNT])
{
	r->row = v[RESULTS_ROW];
	r->line = v[RESULTS_LINE];
	r->action = v[RESULTS_ACTION];
	r->outcome = v[RESULTS_OUTCOME];
	r->http_status = v[RESULTS_HTTP];
	r->id = v[RESULTS_ID];
	r->label = v[RESULTS_LABEL];
	r->attempts = v[RESULTS_ATTEMPTS];
	r->error = v[RESULTS_ERROR];
	r->warning = v[RESULTS_WARNING];
	r->fingerprint = v[RESULTS_FINGERPRINT];
}

/* Finds the columns of a CSV header; -1 with err when one wanted is missing
 * (outcome always) or the file is empty. */
static int map_header(struct results_file *f, const struct reader *r, char *err,
		      size_t errlen)
{
	size_t n;
	char **header = reader_header(r, &n);

	if (n == 0) {
		snprintf(err, errlen, "%s: empty results file (no header)", f->path);
		return -1;
	}
	for (int k = 0; k < RESULTS__COUNT; k++)
		f->col[k] = -1;
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < RESULTS__COUNT; k++)
			if (f->col[k] < 0 && header_name_eq(header[i], col_names[k]))
				f->col[k] = (long)i;
	unsigned need = f->want->need | RESULTS_BIT(RESULTS_OUTCOME);
	for (int k = RESULTS_OUTCOME; k < RESULTS__COUNT; k++) {
		if ((need & RESULTS_BIT(k)) && f->col[k] < 0) {
			snprintf(err, errlen, "%s:%zu: not a results file (no '%s' column)", f->path,
				 reader_header_line(r), col_names[k]);
			return -1;
		}
	}
	return 0;
}

static int take_csv(struct results_file *f, const struct record *rec, char *err, size_t errlen)
{
	const char *v[RESULTS__COUNT];

	/* a row with more cells than the header, or odd bytes, is still read */
	if (rec->unparsable) {
		snprintf(err, errlen, "%s:%zu: %s", f->path, rec->line, rec->error);
		return -1;
	}
	for (int k = 0; k < RESULTS__COUNT; k++)
		v[k] = f->col[k] < 0 ? NULL : csv_cell_unguard(rec->cells[f->col[k]]);
	struct results_row row = { .path = f->path, .file_line = rec->line,
				   .ncells = rec->given, .col = f->col };
	row_fill(&row, v);
	return f->fn(f->ctx, &row, err, errlen);
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

static int take_jsonl(struct results_file *f, const struct record *rec, char *err, size_t errlen)
{
	const char *v[RESULTS__COUNT];
	char num[RESULTS__COUNT][32];
	struct results_row row = { .path = f->path, .file_line = rec->line };

	if (rec->error) {
		snprintf(err, errlen, "%s:%zu: %s", f->path, rec->line, rec->error);
		return -1;
	}
	for (int k = 0; k < RESULTS__COUNT; k++) {
		json_t *j = json_object_get(rec->obj, col_names[k]);   /* borrowed */
		if (json_text(j, &v[k], num[k], sizeof(num[k])) < 0) {
			snprintf(err, errlen, "%s:%zu: %s: expected a string or an integer",
				 f->path, rec->line, col_names[k]);
			return -1;
		}
		if (json_is_integer(j))
			row.numbers |= RESULTS_BIT(k);
	}
	if (!v[RESULTS_OUTCOME]) {
		snprintf(err, errlen, "%s:%zu: not a results record (no 'outcome')", f->path,
			 rec->line);
		return -1;
	}
	row_fill(&row, v);
	return f->fn(f->ctx, &row, err, errlen);
}

/* The format from the extension (.csv, .jsonl or .ndjson, optionally .gz);
 * -1 with err for any other. */
static int format_of(const char *path, const char *what, enum in_format *fmt, char *err,
		     size_t errlen)
{
	int tsv;

	*fmt = reader_format_from_name(path, &tsv);
	if (*fmt == FORMAT_AUTO || tsv) {
		snprintf(err, errlen, "%s '%s': unsupported extension (use .csv or .jsonl)", what,
			 path);
		return -1;
	}
	return 0;
}

/* reader_record_fn: the header once open, then each record. */
static int take_record(void *ctx, const struct reader *r, const struct record *rec,
		       char *err, size_t errlen)
{
	struct results_file *f = ctx;

	if (!rec)
		return f->fmt == FORMAT_CSV ? map_header(f, r, err, errlen) : 0;
	return f->fmt == FORMAT_CSV ? take_csv(f, rec, err, errlen)
				    : take_jsonl(f, rec, err, errlen);
}

int results_read_as(const char *path, const struct results_want *want, results_row_fn fn,
		    void *ctx, char *err, size_t errlen)
{
	static const struct results_want plain = { NULL, 0 };
	const struct reader_want rw = { NULL, NULL, 1 };
	struct results_file f = { .path = path, .want = want ? want : &plain, .fn = fn,
				  .ctx = ctx };
	const char *what = f.want->what ? f.want->what : "results file";
	struct reader_opts opts = { FORMAT_AUTO, ',' };

	if (format_of(path, what, &opts.format, err, errlen) < 0)
		return -1;
	f.fmt = opts.format;
	if (reader_read_all(path, &opts, &rw, take_record, &f, err, errlen) == 0)
		return 0;
	/* "cannot open 'F': ..." -> "cannot open results file 'F': ..." */
	if (!strncmp(err, "cannot open '", 13)) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", err + 12);
		snprintf(err, errlen, "cannot open %s %s", what, msg);
	}
	return -1;
}

int results_read(const char *path, results_row_fn fn, void *ctx, char *err, size_t errlen)
{
	return results_read_as(path, NULL, fn, ctx, err, errlen);
}
