/*
 * reader_impl.h - what reader.c shares with the two format back ends
 * (reader_csv.c, reader_jsonl.c): the reader's state and their entry points.
 * Private to the reader area; consumers use reader.h.
 */
#ifndef S3SRC_READER_IMPL_H
#define S3SRC_READER_IMPL_H

#include "reader.h"
#include "util.h"

#include <csv.h>

struct reader {
	struct input *in;
	enum in_format format;
	int delim;                 /* CSV: the delimiter in use */
	size_t row;                /* records handed out so far */
	int failed;                /* reader_next returned -1: it keeps doing so */
	char recerr[512];          /* storage behind record.error */

	/* CSV */
	struct csv_parser csv;
	int csv_ready;
	char **header;             /* owned: header[i] point into header_store */
	char *header_store;
	size_t nheader;
	size_t header_line;        /* physical line of the header, 0 if none */
	int allow_empty;           /* opts.allow_empty */
	struct strbuf arena;       /* this record's cells, each NUL-terminated */
	size_t *offs, *lens;       /* per cell: offset in arena and length */
	char **cells;
	size_t ncells, cellcap;
	int in_record, rec_done;
	size_t rec_line;           /* line the record in progress started on */
	size_t field_line;         /* line the cell in progress started on */
	size_t rec_bytes;
	struct strbuf rec_text;    /* the raw lines of the record in progress */
	char parse_err[512];       /* why the last record could not be parsed */

	/* JSONL */
	json_t *obj;               /* new reference of the last record, or NULL */

	/* FORMAT_LINES: the one cell of the last record (borrowed from input) */
	char *line_cell;
	size_t line_len;
};

int csv_reader_start(struct reader *r, char *err, size_t errlen);
int csv_reader_next(struct reader *r, struct record *rec, char *err, size_t errlen);
void csv_reader_release(struct reader *r);
/* Splits line (len bytes, delimiter r->delim or detected into it) as CSV, not
 * strictly, and returns accept(cells) (0 when the line holds no cell). */
int csv_reader_sniff(struct reader *r, const char *line, size_t len,
		     reader_header_fn accept, void *ctx);
int jsonl_reader_next(struct reader *r, struct record *rec, char *err, size_t errlen);

#include "encoding.h"   /* utf8_valid() */

#endif
