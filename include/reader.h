/*
 * reader.h - streaming readers for the input file: CSV (libcsv) and JSONL
 * (jansson), plain or gzip (zlib, detected by magic bytes), from a path or
 * stdin ("-"). A reader hands out one record at a time; memory does not grow
 * with the file.
 *
 * A record carries where it came from (record number and physical line) so
 * every message can name FILE:LINE. A problem confined to one record (a JSONL
 * line that is not JSON, a CSV row with more cells than the header, a NUL byte,
 * invalid UTF-8) is reported in record.error and the reader goes on; a problem
 * that makes the rest of the file unreadable (I/O error, corrupt or truncated
 * gzip, an unterminated quote) makes reader_next() return -1.
 */
#ifndef S3SRC_READER_H
#define S3SRC_READER_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

enum in_format {
	FORMAT_AUTO = 0,   /* from the extension (.csv .tsv .jsonl .ndjson, optionally .gz), else sniffed */
	FORMAT_CSV,
	FORMAT_JSONL,
};

struct reader_opts {
	enum in_format format;
	int delimiter;     /* 0 = detect from the header among ',' ';' '\t' */
};

struct record {
	size_t row;        /* 1-based record number, header excluded */
	size_t line;       /* physical line where the record starts (1-based) */
	const char *error; /* NULL, or why this record cannot be used (borrowed) */

	/* CSV: cells of this record, NUL-terminated (borrowed until the next call). */
	size_t ncells;
	char **cells;
	size_t *lens;

	/* JSONL: the parsed object (borrowed until the next call; NULL when error)
	 * and the raw line without its newline (borrowed). */
	json_t *obj;
	const char *text;
	size_t textlen;
};

struct reader;

/* Opens path ("-" for stdin). Returns NULL with a message in err naming the file. */
struct reader *reader_open(const char *path, const struct reader_opts *opts,
			   char *err, size_t errlen);
enum in_format reader_format(const struct reader *r);
/* CSV: the header cells (borrowed, valid until reader_free), NULL for JSONL.
 * The header is read by reader_open(); an empty file or a missing header is an
 * error there. */
char **reader_header(const struct reader *r, size_t *ncells);
int reader_delimiter(const struct reader *r);
/* The path as given, for messages ("-" is shown as "<stdin>"). */
const char *reader_name(const struct reader *r);
/* 1: *rec filled; 0: end of input; -1: fatal error, message in err naming FILE:LINE. */
int reader_next(struct reader *r, struct record *rec, char *err, size_t errlen);
/* Progress: bytes consumed of the underlying file and its size (0 when unknown,
 * e.g. stdin or a pipe). For gzip input both are compressed bytes. */
void reader_progress(const struct reader *r, uint64_t *done, uint64_t *total);
/* Closes; returns -1 with a message in err if closing revealed an error (gzip). */
int reader_close(struct reader *r, char *err, size_t errlen);

#endif
