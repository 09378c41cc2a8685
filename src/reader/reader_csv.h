/*
 * reader_csv.h - the CSV back end of the reader (reader_csv.c): its state and
 * entry points, for reader.c only. It knows the input (input.c) and struct
 * record (reader.h), not the reader that drives it, so the reader area has no
 * include cycle: reader.c -> reader_csv.h, reader_jsonl.h -> reader.h.
 */
#ifndef S3SRC_READER_CSV_H
#define S3SRC_READER_CSV_H

#include "reader.h"
#include "util.h"

#include <csv.h>

struct csv_reader {
	struct input *in;          /* borrowed from the reader */
	int delim;                 /* the delimiter in use (0 until detected) */
	int allow_empty;           /* reader_want.allow_empty */
	size_t row;                /* records handed out so far */
	char recerr[512];          /* storage behind record.error */

	struct csv_parser csv;
	int csv_ready;
	char **header;             /* owned: header[i] point into header_store */
	char *header_store;
	size_t nheader;
	size_t header_line;        /* physical line of the header, 0 if none */
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
};

/* Sets r up on in (borrowed) with a delimiter (0: detect). */
void csv_reader_init(struct csv_reader *r, struct input *in, int delim, int allow_empty);
/* Reads the header. 0, or -1 with err naming FILE:LINE. */
int csv_reader_start(struct csv_reader *r, char *err, size_t errlen);
/* As reader_next(). */
int csv_reader_next(struct csv_reader *r, struct record *rec, char *err, size_t errlen);
/* Frees what r holds (not r, not the input). */
void csv_reader_release(struct csv_reader *r);
/* Splits line (len bytes, delimiter r->delim or detected into it) as CSV, not
 * strictly, and returns accept(cells) (0 when the line holds no cell). */
int csv_reader_sniff(struct csv_reader *r, const char *line, size_t len,
		     reader_header_fn accept, void *ctx);

#endif
