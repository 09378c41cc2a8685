/*
 * reader.c - the front of the reader: opens the input (input.c), chooses the
 * format and hands each reader_next() to the CSV (reader_csv.c) or JSONL
 * (reader_jsonl.c) back end, or reads plain lines itself (FORMAT_LINES).
 *
 * The format is, in order: the caller's FORMAT_CSV/FORMAT_JSONL; the file's
 * extension (.csv .tsv .jsonl .ndjson, each optionally followed by .gz, any
 * case; .tsv also means TAB unless a delimiter is given); else the first byte
 * that is not white space: '{' is JSONL, anything else CSV. Sniffing peeks
 * into the input buffer, so nothing is read twice, and works for stdin.
 * A caller with reader_want.accept_header (the --ids list) sniffs by content
 * only: '{' is JSONL, a first line it takes for its header CSV, anything else
 * plain lines (FORMAT_LINES, read here: one cell per line).
 *
 * Header-name matching lives here too, since every reader of a CSV header
 * (the import sheet, --ids, results files) compares names the same way.
 */
#include "reader.h"
#include "reader_csv.h"
#include "reader_jsonl.h"
#include "encoding.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

struct reader {
	struct input *in;
	enum in_format format;
	int failed;                /* reader_next returned -1: it keeps doing so */
	struct csv_reader csv;     /* FORMAT_CSV (and the sniffing) */
	struct jsonl_reader jsonl; /* FORMAT_JSONL */

	/* FORMAT_LINES: records so far, the one cell of the last record
	 * (borrowed from the input) and the storage behind record.error */
	size_t row;
	char *line_cell;
	size_t line_len;
	char recerr[512];
};

/* The characters a header name's comparison skips (spec "CSV": spaces, '_'
 * and '-'; a TAB counts, see docs/input-format.md). */
static int header_name_skips(unsigned char c)
{
	return c == ' ' || c == '_' || c == '-';
}

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

int header_name_eq(const char *a, const char *b)
{
	for (;;) {
		while (header_name_skips((unsigned char)*a))
			a++;
		while (header_name_skips((unsigned char)*b))
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
}

size_t header_name_normalize(const char *name, size_t len, char *out, size_t outlen)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 1 < outlen; i++)
		if (!header_name_skips((unsigned char)name[i]))
			out[n++] = (char)ascii_lower((unsigned char)name[i]);
	out[n] = '\0';
	return n;
}

enum in_format reader_format_from_name(const char *path, int *tsv)
{
	size_t len = strlen(path);

	*tsv = 0;
	if (has_suffix_n(path, len, ".gz"))
		len -= 3;
	if (has_suffix_n(path, len, ".csv"))
		return FORMAT_CSV;
	if (has_suffix_n(path, len, ".tsv")) {
		*tsv = 1;
		return FORMAT_CSV;
	}
	if (has_suffix_n(path, len, ".jsonl") || has_suffix_n(path, len, ".ndjson"))
		return FORMAT_JSONL;
	return FORMAT_AUTO;
}

/* The format by content for a caller with a header of its own (see
 * reader_want.accept_header). 0, or -1 with err. */
static int sniff_content(struct reader *r, const struct reader_want *want, char *err,
			 size_t errlen)
{
	const char *line;
	size_t len;
	int c = input_peek_nonblank(r->in, err, errlen);

	if (c == -2)
		return -1;
	if (c == '{') {
		r->format = FORMAT_JSONL;
		return 0;
	}
	int rc = input_peek_line(r->in, &line, &len, err, errlen);
	if (rc < 0)
		return -1;
	r->format = rc && csv_reader_sniff(&r->csv, line, len, want->accept_header, want->accept_ctx)
		    ? FORMAT_CSV : FORMAT_LINES;
	return 0;
}

/* FORMAT_LINES: the next non-blank line as a record of one cell. */
static int lines_next(struct reader *r, struct record *rec, char *err, size_t errlen)
{
	for (;;) {
		const char *line, *why;
		size_t len, eol;
		int rc = input_line(r->in, INPUT_EOL_LF, &line, &len, &eol, err, errlen);

		if (rc <= 0)
			return rc;
		if (strspn(line, " \t\r") == len)   /* line is NUL-terminated */
			continue;
		r->line_cell = (char *)line;   /* NUL-terminated by input_line */
		r->line_len = len;
		rec->row = ++r->row;
		rec->line = input_lineno(r->in);
		rec->ncells = rec->given = 1;
		rec->cells = &r->line_cell;
		rec->lens = &r->line_len;
		rec->text = line;
		rec->textlen = len;
		why = encoding_text_problem(line, len);
		if (why) {
			snprintf(r->recerr, sizeof(r->recerr), "%s", why);
			rec->error = r->recerr;
		}
		return 1;
	}
}

struct reader *reader_open(const char *path, const struct reader_opts *opts,
			   char *err, size_t errlen)
{
	return reader_open_for(path, opts, NULL, err, errlen);
}

struct reader *reader_open_for(const char *path, const struct reader_opts *opts,
			       const struct reader_want *want, char *err, size_t errlen)
{
	struct reader_want none_wanted = { NULL, NULL, 0 };
	struct reader_opts none = { FORMAT_AUTO, 0 };
	int tsv = 0;

	if (!opts)
		opts = &none;
	if (!want)
		want = &none_wanted;
	struct input *in = input_open(path, err, errlen);
	if (!in)
		return NULL;

	struct reader *r = xcalloc(1, sizeof(*r));
	r->in = in;
	r->jsonl.in = in;
	csv_reader_init(&r->csv, in, opts->delimiter, want->allow_empty);
	r->format = opts->format;
	if (input_probe_style(in, err, errlen) < 0)
		goto fail;
	if (r->format == FORMAT_AUTO && want->accept_header) {
		if (sniff_content(r, want, err, errlen) < 0)
			goto fail;
	}
	if (r->format == FORMAT_AUTO && strcmp(path, "-"))
		r->format = reader_format_from_name(path, &tsv);
	if (r->format == FORMAT_AUTO) {
		int c = input_peek_nonblank(in, err, errlen);
		if (c == -2)
			goto fail;
		r->format = c == '{' ? FORMAT_JSONL : FORMAT_CSV;
	}
	if (r->format == FORMAT_CSV) {
		if (!r->csv.delim && tsv)
			r->csv.delim = '\t';
		if (csv_reader_start(&r->csv, err, errlen) < 0)
			goto fail;
	}
	return r;

fail:
	reader_close(r, NULL, 0);
	return NULL;
}

enum in_format reader_format(const struct reader *r)
{
	return r->format;
}

char **reader_header(const struct reader *r, size_t *ncells)
{
	if (r->format != FORMAT_CSV) {
		*ncells = 0;
		return NULL;
	}
	*ncells = r->csv.nheader;
	return r->csv.header;
}

int reader_delimiter(const struct reader *r)
{
	return r->format == FORMAT_CSV ? r->csv.delim : 0;
}

size_t reader_header_line(const struct reader *r)
{
	return r->format == FORMAT_CSV ? r->csv.header_line : 0;
}

/* "'FILE': msg" from the input -> "FILE:LINE: msg"; other messages as they are. */
static void error_at_line(const struct reader *r, char *err, size_t errlen)
{
	const char *name = input_name(r->in);
	char *quoted = xasprintf("'%s': ", name);
	size_t ql = strlen(quoted);

	if (!strncmp(err, quoted, ql)) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", err + ql);
		snprintf(err, errlen, "%s:%zu: %s", name, input_lineno(r->in) + 1, msg);
	}
	free(quoted);
}

int reader_had_bom(const struct reader *r)
{
	return input_had_bom(r->in);
}

const char *reader_eol(const struct reader *r)
{
	const char *eol = input_eol(r->in);
	return eol ? eol : "\n";
}

const char *reader_name(const struct reader *r)
{
	return input_name(r->in);
}

int reader_next(struct reader *r, struct record *rec, char *err, size_t errlen)
{
	int ret;

	memset(rec, 0, sizeof(*rec));
	if (r->failed) {
		snprintf(err, errlen, "%s: input already failed", reader_name(r));
		return -1;
	}
	if (r->format == FORMAT_CSV)
		ret = csv_reader_next(&r->csv, rec, err, errlen);
	else if (r->format == FORMAT_LINES)
		ret = lines_next(r, rec, err, errlen);
	else
		ret = jsonl_reader_next(&r->jsonl, rec, err, errlen);
	if (ret < 0)
		r->failed = 1;
	return ret;
}

void reader_progress(const struct reader *r, uint64_t *done, uint64_t *total)
{
	input_progress(r->in, done, total);
}

int reader_close(struct reader *r, char *err, size_t errlen)
{
	char dummy[8];
	int ret;

	if (!r)
		return 0;
	if (!err) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	ret = input_close(r->in, err, errlen);
	csv_reader_release(&r->csv);
	jsonl_reader_release(&r->jsonl);
	free(r);
	return ret;
}

int reader_read_all(const char *path, const struct reader_opts *opts,
		    const struct reader_want *want, reader_record_fn fn, void *ctx,
		    char *err, size_t errlen)
{
	struct record rec;
	char cerr[512];
	int rc = 0;

	struct reader *r = reader_open_for(path, opts, want, err, errlen);
	if (!r)
		return -1;
	int ret = fn(ctx, r, NULL, err, errlen);
	while (!ret && (rc = reader_next(r, &rec, err, errlen)) > 0)
		ret = fn(ctx, r, &rec, err, errlen);
	if (!ret && rc < 0) {
		error_at_line(r, err, errlen);
		ret = -1;
	}
	if (reader_close(r, cerr, sizeof(cerr)) < 0 && !ret) {
		snprintf(err, errlen, "%s", cerr);
		ret = -1;
	}
	return ret ? -1 : 0;
}
