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
 *
 * CSV rules (see docs in src/reader/reader_csv.c): strict RFC 4180 quoting via libcsv;
 * cells are kept verbatim (no trimming of spaces, quoted or not); an optional
 * UTF-8 BOM is stripped; CR, LF and CRLF end lines; blank lines (empty or only
 * spaces/tabs) and rows whose cells are all empty (a spreadsheet's empty row)
 * are skipped and are not records. A record never exceeds READER_MAX_RECORD
 * bytes (a larger one is a fatal error, usually an unterminated quote).
 *
 * Every file s3src reads (the import sheet, --ids lists, results files for
 * report and --resume) becomes records here; the other readers are mappers
 * from these records to what they need. A file that is not a CSV with the
 * caller's header (see struct reader_want) can be read as plain lines
 * (FORMAT_LINES), one record per line.
 *
 * Below the readers is struct input, the byte/line source (path or stdin,
 * plain or gzip); only the reader uses it.
 */
#ifndef S3SRC_READER_H
#define S3SRC_READER_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

enum in_format {
	FORMAT_AUTO = 0,   /* from the extension (.csv .tsv .jsonl .ndjson, optionally .gz,
			    * any case; .tsv also means TAB unless a delimiter is given),
			    * else sniffed: first non-blank byte '{' = JSONL, else CSV */
	FORMAT_CSV,
	FORMAT_JSONL,
	FORMAT_LINES,      /* plain text: each non-blank line is a record of one
			    * cell, the line without its terminator (LF or CRLF);
			    * record.error names a NUL byte or invalid UTF-8.
			    * Only chosen by sniffing (reader_want). */
};

/* Decides whether the cells of a file's first non-blank line (split as CSV
 * with the detected delimiter, not strictly) are the header the caller
 * wants; 0 makes the file FORMAT_LINES. */
typedef int (*reader_header_fn)(char *const *cells, size_t ncells, void *ctx);

struct reader_opts {
	enum in_format format;
	int delimiter;     /* 0 = detect from the header among ',' ';' '\t' */
};

/* What the readers of other files (--ids, results files) ask beyond
 * reader_opts; see reader_open_for(). */
struct reader_want {
	/* with FORMAT_AUTO: the extension is not consulted; a first non-blank
	 * byte '{' is JSONL, a first line accept_header() takes is CSV,
	 * anything else FORMAT_LINES (the --ids list) */
	reader_header_fn accept_header;
	void *accept_ctx;
	int allow_empty;   /* CSV: an empty input opens with no header (0 cells)
			    * instead of failing, so the caller words the message */
};

struct record {
	size_t row;        /* 1-based record number, header excluded */
	size_t line;       /* physical line where the record starts (1-based) */
	const char *error; /* NULL, or why this record cannot be used (borrowed) */

	/* CSV: cells of this record, NUL-terminated (borrowed until the next call). */
	size_t ncells;
	char **cells;
	size_t *lens;
	size_t given;      /* CSV: cells the row had before padding to the header */
	int unparsable;    /* CSV: error is a quoting error; cells[0] is the raw text */

	/* JSONL: the parsed object (borrowed until the next call; NULL when error)
	 * and the raw line without its newline (borrowed). */
	json_t *obj;
	const char *text;
	size_t textlen;
};

struct reader;

/* Opens path ("-" for stdin); opts may be NULL (FORMAT_AUTO, delimiter
 * detected). For CSV the header is read here. Returns a new reader (free it
 * with reader_close) or NULL with a message in err naming the file. */
struct reader *reader_open(const char *path, const struct reader_opts *opts,
			   char *err, size_t errlen);
/* The format a path's extension names (see FORMAT_AUTO), FORMAT_AUTO when it
 * names none; *tsv set for .tsv. */
enum in_format reader_format_from_name(const char *path, int *tsv);
/* As reader_open(), with want (may be NULL) for the mappers of other files. */
struct reader *reader_open_for(const char *path, const struct reader_opts *opts,
			       const struct reader_want *want, char *err, size_t errlen);
enum in_format reader_format(const struct reader *r);
/* CSV: the header cells (borrowed, valid until reader_close), NULL for JSONL.
 * The header is read by reader_open(); an empty file or a missing header is an
 * error there. */
char **reader_header(const struct reader *r, size_t *ncells);
int reader_delimiter(const struct reader *r);
/* CSV: the physical line of the header (1-based; 0 when there is none). */
size_t reader_header_line(const struct reader *r);
/* Header names match as the spec says ("Input", "CSV"): case-insensitively,
 * ignoring spaces, '_' and '-' (a TAB is not ignored: docs/input-format.md).
 * header_name_eq: 1 when a and b name the same column. header_name_normalize:
 * the len bytes at name lowercased without those characters into out
 * (truncated to outlen - 1 bytes, NUL-terminated); returns its length. */
int header_name_eq(const char *a, const char *b);
size_t header_name_normalize(const char *name, size_t len, char *out, size_t outlen);
/* The path as given, for messages ("-" is shown as "<stdin>"). */
const char *reader_name(const struct reader *r);
/* 1: *rec filled; 0: end of input; -1: fatal error, message in err naming FILE:LINE. */
int reader_next(struct reader *r, struct record *rec, char *err, size_t errlen);
/* How the input was written, so a file written back for the user (the
 * failed rows) looks the same: 1 if it began with a UTF-8 BOM (stripped for
 * the parser); the first line's terminator ("\r\n", "\n" or "\r"; "\n"
 * when the input has a single line without one). Known once the reader is
 * open (borrowed static strings). */
int reader_had_bom(const struct reader *r);
const char *reader_eol(const struct reader *r);
/* Progress: bytes consumed of the underlying file and its size (0 when unknown,
 * e.g. stdin or a pipe). For gzip input both are compressed bytes, except from
 * a pipe, where done counts the uncompressed bytes read so far. */
void reader_progress(const struct reader *r, uint64_t *done, uint64_t *total);
/* Closes and frees r (NULL is a no-op); returns -1 with a message in err if
 * closing revealed an error (gzip). */
int reader_close(struct reader *r, char *err, size_t errlen);

/* Called by reader_read_all(): once with rec NULL when the reader is open (the
 * format and header known), then for every record (borrowed). 0 to go on, -1
 * to stop with err set. */
typedef int (*reader_record_fn)(void *ctx, const struct reader *r, const struct record *rec,
				char *err, size_t errlen);
/* The loop of the mappers (--ids, results files): opens path, hands every
 * record to fn and closes. An input error of the input ("'FILE': truncated
 * gzip input") is worded "FILE:LINE: ...", LINE being where the reading
 * stopped, since every message of those files names a line. 0, or -1 with err. */
int reader_read_all(const char *path, const struct reader_opts *opts,
		    const struct reader_want *want, reader_record_fn fn, void *ctx,
		    char *err, size_t errlen);

/* Largest CSV record (bytes of its lines) or JSONL line accepted. */
#define READER_MAX_RECORD ((size_t)64 << 20)

/*
 * struct input: bytes of a path or stdin ("-"), gunzipped when they start with
 * the gzip magic (zlib decides; plain files pass through), an optional UTF-8
 * BOM stripped. Every error message names the file; a truncated or corrupt
 * gzip stream is an error, never a silent short read.
 */
struct input;

enum input_eol {
	INPUT_EOL_LF,      /* lines end at LF; a CR before it is stripped; the line is NUL-terminated */
	INPUT_EOL_ANY,     /* lines end at CR, LF or CRLF; the terminator follows the line in memory */
};

/* Opens path ("-" = stdin, which stays open after input_close). NULL with err on failure. */
struct input *input_open(const char *path, char *err, size_t errlen);
/* The path as given ("-" is "<stdin>"). Borrowed. */
const char *input_name(const struct input *in);
/*
 * Next line: *line (borrowed until the next call) of *len bytes, without its
 * terminator; *eollen is the terminator's length (0 on a last line without one;
 * with INPUT_EOL_LF it includes a stripped CR). Returns 1, 0 at end of input,
 * -1 on error (err names the file; lines longer than READER_MAX_RECORD too).
 */
int input_line(struct input *in, enum input_eol mode, const char **line, size_t *len,
	       size_t *eollen, char *err, size_t errlen);
/* 1-based number of the line last returned by input_line (0 before the first). */
size_t input_lineno(const struct input *in);
/* The first byte that is not a space, TAB, CR or LF, without consuming it:
 * 0..255, -1 at end of input, -2 on error (err set). */
int input_peek_nonblank(struct input *in, char *err, size_t errlen);
/* The first line that is not blank (spaces, TABs), without its terminator and
 * without consuming it: *line (borrowed until the next input call) of *len
 * bytes. 1, 0 when the input holds no such line, -1 with err. */
int input_peek_line(struct input *in, const char **line, size_t *len, char *err, size_t errlen);
/* Looks ahead (without consuming) for the first line's terminator, reading
 * more as needed, so input_eol() knows it before the first line is read.
 * 0, or -1 with err. */
int input_probe_style(struct input *in, char *err, size_t errlen);
/* 1 if a UTF-8 BOM was stripped from the start. */
int input_had_bom(const struct input *in);
/* The first line's terminator as seen so far ("\r\n", "\n", "\r"), or NULL. */
const char *input_eol(const struct input *in);
void input_progress(const struct input *in, uint64_t *done, uint64_t *total);
/* Closes and frees in (NULL is a no-op); -1 with err if zlib reports an error. */
int input_close(struct input *in, char *err, size_t errlen);

#endif
