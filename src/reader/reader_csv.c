/*
 * reader_csv.c - the CSV back end of the reader: libcsv in strict mode, fed
 * one physical line at a time so that every record knows the line it starts
 * on, even after quoted newlines and skipped blank lines.
 *
 * Rules (the product spec's "Input" section, made precise):
 *  - Quoting is RFC 4180 and strict (CSV_STRICT | CSV_STRICT_FINI). A quote
 *    inside an unquoted cell or text after a closing quote makes that record
 *    an error record (record.error says which cell and why; its one cell is
 *    the record's raw text, so the failed-rows file keeps it) and the reading
 *    goes on at the next line with a fresh parser; a quote still open at the
 *    end of the file makes the lines from the record's start to the end one
 *    such record. In the header either is fatal (-1, FILE:LINE).
 *  - Cells are kept verbatim: no trimming of spaces or tabs, quoted or not
 *    (spreadsheets export without padding; a space is data). libcsv's space
 *    function is replaced by one that says "never a space".
 *  - CR, LF and CRLF end lines (and records, outside quotes). A quoted cell
 *    keeps its line ends as they are in the file.
 *  - A line that is empty or only spaces/tabs outside a record is blank and is
 *    skipped, and so is a row whose cells are all empty (",,,," - what a
 *    spreadsheet exports for an empty row). Neither is a record.
 *  - The delimiter is the most frequent of ',' ';' TAB outside quotes on the
 *    header's first line (ties in that order; none found: ','), unless given.
 *  - Per record only: a row with more cells than the header, a NUL byte or
 *    invalid UTF-8 in a cell set record.error; the reader goes on. A row with
 *    fewer cells is padded with empty cells up to the header's count.
 *
 * Memory: the cells of one record live in one arena (a strbuf) with offset
 * and length arrays, all reused from record to record; the pointer array is
 * built once the record is complete because the arena may move while it grows.
 */
#include "reader_csv.h"
#include "encoding.h"
#include "messages.h"

#include <stdio.h>
#include <string.h>

static int never_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void add_cell(struct csv_reader *r, const void *s, size_t len)
{
	if (r->ncells == r->cellcap) {
		r->cellcap = r->cellcap ? 2 * r->cellcap : 32;
		r->offs = xrealloc(r->offs, r->cellcap * sizeof(*r->offs));
		r->lens = xrealloc(r->lens, r->cellcap * sizeof(*r->lens));
		r->cells = xrealloc(r->cells, r->cellcap * sizeof(*r->cells));
	}
	r->offs[r->ncells] = r->arena.len;
	r->lens[r->ncells] = len;
	if (len)
		strbuf_add(&r->arena, s, len);
	strbuf_addch(&r->arena, '\0');
	r->ncells++;
}

/* (Re)starts libcsv with our options; after a parse error its state is
 * unusable and it is started afresh. 0, or -1. */
static int parser_start(struct csv_reader *r)
{
	if (r->csv_ready)
		csv_free(&r->csv);
	r->csv_ready = 0;
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return -1;
	r->csv_ready = 1;
	csv_set_space_func(&r->csv, never_space);
	if (r->delim)
		csv_set_delim(&r->csv, (unsigned char)r->delim);
	return 0;
}

/* After a parse error: a fresh parser, no record in progress. Returns 2 (the
 * error record is ready: parse_err and rec_text) or -1. */
static int parse_error_record(struct csv_reader *r, char *err, size_t errlen)
{
	r->ncells = 0;
	r->rec_done = 0;
	r->in_record = 0;
	strbuf_reset(&r->arena);
	if (parser_start(r) < 0) {
		snprintf(err, errlen, "%s: cannot set up the CSV parser", input_name(r->in));
		return -1;
	}
	return 2;
}

/* libcsv's end-of-cell callback. */
static void on_cell(void *s, size_t len, void *data)
{
	struct csv_reader *r = data;

	add_cell(r, s, len);
	/* the next cell, if any, starts on this line */
	r->field_line = input_lineno(r->in);
}

/* libcsv's end-of-row callback. */
static void on_row(int c, void *data)
{
	struct csv_reader *r = data;

	(void)c;
	r->rec_done = 1;
	r->in_record = 0;
}

static int is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

static int detect_delimiter(const char *s, size_t len)
{
	static const char cand[] = { ',', ';', '\t' };
	size_t count[3] = { 0, 0, 0 };
	int quoted = 0, best = ',';
	size_t most = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted)
			for (int k = 0; k < 3; k++)
				count[k] += s[i] == cand[k];
	}
	for (int k = 0; k < 3; k++)
		if (count[k] > most) {
			most = count[k];
			best = cand[k];
		}
	return best;
}

static void on_sniff_cell(void *s, size_t len, void *data)
{
	add_cell(data, s, len);
}

int csv_reader_sniff(struct csv_reader *r, const char *line, size_t len,
		     reader_header_fn accept, void *ctx)
{
	struct csv_parser p;
	int ok = 0;

	if (!r->delim)
		r->delim = detect_delimiter(line, len);
	if (csv_init(&p, CSV_APPEND_NULL) != 0)
		return 0;
	csv_set_delim(&p, (unsigned char)r->delim);
	r->ncells = 0;
	strbuf_reset(&r->arena);
	csv_parse(&p, line, len, on_sniff_cell, NULL, r);
	csv_fini(&p, on_sniff_cell, NULL, r);
	csv_free(&p);
	for (size_t i = 0; i < r->ncells; i++)
		r->cells[i] = r->arena.buf + r->offs[i];
	if (r->ncells)
		ok = accept(r->cells, r->ncells, ctx);
	r->ncells = 0;
	strbuf_reset(&r->arena);
	return ok;
}

/* The name of cell i for messages: the header's, or its 1-based number. */
static void cell_name(const struct csv_reader *r, size_t i, char *out, size_t outlen)
{
	if (r->header && i < r->nheader)
		snprintf(out, outlen, "column '%s'", r->header[i]);
	else
		snprintf(out, outlen, "cell %zu", i + 1);
}

/*
 * Reads the next non-empty row into the arena (r->ncells cells). Returns 1,
 * 0 at end of input, 2 for a record that cannot be parsed (r->parse_err says
 * why, r->rec_text holds its lines), -1 with err naming FILE:LINE.
 */
static int read_row(struct csv_reader *r, char *err, size_t errlen)
{
	const char *name = input_name(r->in);

	r->ncells = 0;
	r->rec_done = 0;
	strbuf_reset(&r->arena);
	for (;;) {
		const char *line;
		size_t len, eol;
		int rc = input_line(r->in, INPUT_EOL_ANY, &line, &len, &eol, err, errlen);

		if (rc < 0)
			return -1;
		if (rc == 0) {
			if (csv_fini(&r->csv, on_cell, on_row, r) != 0) {
				snprintf(r->parse_err, sizeof(r->parse_err), M_UNTERMINATED_QUOTE,
					 r->field_line, input_lineno(r->in));
				return parse_error_record(r, err, errlen);
			}
			if (!r->rec_done)
				return 0;
		} else {
			if (!r->in_record) {
				if (is_blank(line, len))
					continue;
				if (!r->delim) {
					r->delim = detect_delimiter(line, len);
					csv_set_delim(&r->csv, (unsigned char)r->delim);
				}
				r->in_record = 1;
				r->rec_line = r->field_line = input_lineno(r->in);
				r->rec_bytes = 0;
				strbuf_reset(&r->rec_text);
			}
			r->rec_bytes += len + eol;
			strbuf_add(&r->rec_text, line, len + eol);
			if (r->rec_bytes > READER_MAX_RECORD) {
				snprintf(err, errlen,
					 "%s:%zu: record larger than %zu MiB (an unterminated quote?)",
					 name, r->rec_line, READER_MAX_RECORD >> 20);
				return -1;
			}
			/* libcsv grows its cell buffer by blk_size bytes: make that at
			 * least this line and the current size, so a long cell costs a
			 * few doublings instead of one realloc per 128 bytes. */
			size_t blk = csv_get_buffer_size(&r->csv);
			if (blk < len + eol + 1)
				blk = len + eol + 1;
			csv_set_blk_size(&r->csv, blk < 4096 ? 4096 : blk);
			if (csv_parse(&r->csv, line, len + eol, on_cell, on_row, r) != len + eol) {
				char cell[300];
				cell_name(r, r->ncells, cell, sizeof(cell));
				if (csv_error(&r->csv) != CSV_EPARSE) {
					snprintf(err, errlen, "%s:%zu: %s", name, input_lineno(r->in),
						 csv_strerror(csv_error(&r->csv)));
					return -1;
				}
				snprintf(r->parse_err, sizeof(r->parse_err), M_STRAY_QUOTE, cell,
					 input_lineno(r->in));
				return parse_error_record(r, err, errlen);
			}
			if (!r->rec_done)
				continue;
		}
		/* A complete row: skip it if every cell is empty. */
		size_t i;
		for (i = 0; i < r->ncells && r->lens[i] == 0; i++)
			;
		if (i < r->ncells)
			return 1;
		r->ncells = 0;
		r->rec_done = 0;
		strbuf_reset(&r->arena);
	}
}

void csv_reader_init(struct csv_reader *r, struct input *in, int delim, int allow_empty)
{
	r->in = in;
	r->delim = delim;
	r->allow_empty = allow_empty;
	strbuf_init(&r->arena, 4096);
	strbuf_init(&r->rec_text, 256);
}

int csv_reader_start(struct csv_reader *r, char *err, size_t errlen)
{
	const char *name = input_name(r->in);

	if (r->delim && (r->delim == '"' || r->delim == '\r' || r->delim == '\n' ||
			 r->delim <= 0 || r->delim > 127)) {
		snprintf(err, errlen, "invalid delimiter '%c'", r->delim);
		return -1;
	}
	if (parser_start(r) < 0) {
		snprintf(err, errlen, "%s: cannot set up the CSV parser", name);
		return -1;
	}

	int rc = read_row(r, err, errlen);
	if (rc < 0)
		return -1;
	if (rc == 2) {
		/* without a header nothing can be read */
		snprintf(err, errlen, "%s:%zu: header: %s", name, r->rec_line, r->parse_err);
		return -1;
	}
	if (rc == 0 && r->allow_empty) {
		r->header = xcalloc(1, sizeof(*r->header));
		return 0;
	}
	if (rc == 0) {
		snprintf(err, errlen, "%s: empty input, a header row is required", name);
		return -1;
	}
	for (size_t i = 0; i < r->ncells; i++) {
		const char *cell = r->arena.buf + r->offs[i];
		const char *why = memchr(cell, '\0', r->lens[i]) ? "NUL byte"
				  : !utf8_valid(cell, r->lens[i]) ? "invalid UTF-8" : NULL;
		if (why) {
			snprintf(err, errlen, "%s:%zu: header cell %zu: %s", name, r->rec_line,
				 i + 1, why);
			return -1;
		}
	}
	r->header_store = xmalloc(r->arena.len);
	memcpy(r->header_store, r->arena.buf, r->arena.len);
	r->nheader = r->ncells;
	r->header = xmalloc((r->nheader + 1) * sizeof(*r->header));
	for (size_t i = 0; i < r->nheader; i++)
		r->header[i] = r->header_store + r->offs[i];
	r->header[r->nheader] = NULL;
	r->header_line = r->rec_line;
	return 0;
}

/* Pads the row to the header's width and points rec at its cells (borrowed
 * from r until the next record). */
static void fill_record(struct csv_reader *r, struct record *rec)
{
	rec->given = r->ncells;
	while (r->ncells < r->nheader)
		add_cell(r, "", 0);
	for (size_t i = 0; i < r->ncells; i++)
		r->cells[i] = r->arena.buf + r->offs[i];
	rec->row = ++r->row;
	rec->line = r->rec_line;
	rec->ncells = r->ncells;
	rec->cells = r->cells;
	rec->lens = r->lens;
}

int csv_reader_next(struct csv_reader *r, struct record *rec, char *err, size_t errlen)
{
	int rc = read_row(r, err, errlen);
	if (rc <= 0)
		return rc;
	if (rc == 2) {
		/* the record's raw text as its one cell: the failed-rows file keeps it */
		size_t tl = r->rec_text.len;
		while (tl && (r->rec_text.buf[tl - 1] == '\n' || r->rec_text.buf[tl - 1] == '\r'))
			tl--;
		add_cell(r, r->rec_text.buf, tl);
		fill_record(r, rec);
		snprintf(r->recerr, sizeof(r->recerr), "%s", r->parse_err);
		rec->error = r->recerr;
		rec->unparsable = 1;
		return 1;
	}

	size_t n = r->ncells;
	fill_record(r, rec);
	if (n > r->nheader) {
		snprintf(r->recerr, sizeof(r->recerr), M_ROW_TOO_MANY_CELLS, n, r->nheader);
		rec->error = r->recerr;
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		const char *why = memchr(r->cells[i], '\0', r->lens[i]) ? "NUL byte"
				  : !utf8_valid(r->cells[i], r->lens[i]) ? "invalid UTF-8" : NULL;
		if (why) {
			char cell[300];
			cell_name(r, i, cell, sizeof(cell));
			snprintf(r->recerr, sizeof(r->recerr), "%s: %s", cell, why);
			rec->error = r->recerr;
			break;
		}
	}
	return 1;
}

void csv_reader_release(struct csv_reader *r)
{
	if (r->csv_ready)
		csv_free(&r->csv);
	r->csv_ready = 0;
	strbuf_release(&r->rec_text);
	strbuf_release(&r->arena);
	free(r->header);
	free(r->header_store);
	free(r->offs);
	free(r->lens);
	free(r->cells);
	r->header = NULL;
	r->header_store = NULL;
	r->offs = r->lens = NULL;
	r->cells = NULL;
}
