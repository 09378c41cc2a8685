/*
 * test_reader.c - unit tests for the streaming input readers (reader.h):
 * CSV dialect handling, line numbers, per-record and fatal errors, JSONL,
 * gzip (good, truncated, corrupt), stdin and format choice.
 *
 * Every input is written by the test into a fresh temporary folder (gzip with
 * zlib's gzopen), read back through reader_open/reader_next, and the records
 * are rendered to one string that is compared with the expected text, so a
 * wrong cell, line number or error message fails the case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "reader.h"
#include "util.h"

static char tmpdir[] = "/tmp/test_reader.XXXXXX";

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* Writes data into tmpdir/name (gzip-compressed if gz); returns a new path. */
static char *write_input(const char *name, const char *data, size_t len, int gz)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	if (gz) {
		gzFile f = gzopen(path, "wb");
		assert_non_null(f);
		if (len)
			assert_int_equal(gzwrite(f, data, (unsigned)len), (int)len);
		assert_int_equal(gzclose(f), Z_OK);
	} else {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(data, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
	}
	return path;
}

/* Appends "LINE:cell|cell[!error]\n" for a CSV record; NUL shows as \0. */
static void render_csv(struct strbuf *sb, const struct record *rec)
{
	strbuf_addf(sb, "%zu:", rec->line);
	for (size_t i = 0; i < rec->ncells; i++) {
		if (i)
			strbuf_addch(sb, '|');
		assert_int_equal(rec->cells[i][rec->lens[i]], '\0');
		for (size_t k = 0; k < rec->lens[i]; k++) {
			if (rec->cells[i][k])
				strbuf_addch(sb, rec->cells[i][k]);
			else
				strbuf_addstr(sb, "\\0");
		}
	}
	if (rec->error)
		strbuf_addf(sb, "!%s", rec->error);
	strbuf_addch(sb, '\n');
}

/* Appends "ROW@LINE [text] {compact json}|!error\n" for a JSONL record. */
static void render_jsonl(struct strbuf *sb, const struct record *rec)
{
	strbuf_addf(sb, "%zu@%zu [", rec->row, rec->line);
	strbuf_add(sb, rec->text, rec->textlen);
	strbuf_addstr(sb, "] ");
	if (rec->error) {
		assert_null(rec->obj);
		strbuf_addf(sb, "!%s", rec->error);
	} else {
		assert_non_null(rec->obj);
		char *s = json_dumps(rec->obj, JSON_COMPACT | JSON_SORT_KEYS);
		strbuf_addstr(sb, s);
		free(s);
	}
	strbuf_addch(sb, '\n');
}

/*
 * Reads path to the end. Returns the rendered records; *fatal gets the error
 * of reader_open or of the reader_next that returned -1 ("" if none).
 */
static char *read_all(const char *path, const struct reader_opts *opts, char *fatal,
		      size_t fatallen, struct strbuf *header, int *delim)
{
	struct strbuf sb = STRBUF_INIT;
	struct record rec;
	char err[512] = "";
	size_t rows = 0;
	int rc;

	strbuf_init(&sb, 64);
	fatal[0] = '\0';
	struct reader *r = reader_open(path, opts, fatal, fatallen);
	if (!r) {
		assert_true(fatal[0] != '\0');
		return strbuf_detach(&sb, NULL);
	}
	if (header && reader_format(r) == FORMAT_CSV) {
		size_t n;
		char **h = reader_header(r, &n);
		for (size_t i = 0; i < n; i++)
			strbuf_addf(header, "%s%s", i ? "|" : "", h[i]);
	}
	if (delim)
		*delim = reader_delimiter(r);
	while ((rc = reader_next(r, &rec, err, sizeof(err))) == 1) {
		assert_int_equal(rec.row, ++rows);
		if (reader_format(r) == FORMAT_CSV)
			render_csv(&sb, &rec);
		else
			render_jsonl(&sb, &rec);
	}
	if (rc < 0) {
		assert_true(err[0] != '\0');
		snprintf(fatal, fatallen, "%s", err);
	} else {
		assert_int_equal(rc, 0);
		/* end of input is sticky */
		assert_int_equal(reader_next(r, &rec, err, sizeof(err)), 0);
	}
	char cerr[512] = "";
	if (reader_close(r, cerr, sizeof(cerr)) < 0 && !fatal[0])
		snprintf(fatal, fatallen, "%s", cerr);
	return strbuf_detach(&sb, NULL);
}

struct csv_case {
	const char *name;       /* test name, also the file name */
	const char *data;
	size_t len;             /* 0: strlen(data) */
	int delim_opt;          /* --delimiter, 0 = detect */
	int delim;              /* expected delimiter in use */
	const char *header;     /* expected header cells joined by '|' */
	const char *records;    /* expected rendering */
	const char *fatal;      /* expected substring of the fatal error, or NULL */
};

static const struct csv_case csv_cases[] = {
	{ "bom.csv", "\xEF\xBB\xBF" "a,b\n1,2\n", 0, 0, ',', "a|b", "2:1|2\n", NULL },
	{ "comma.csv", "\"x;y;z\",b,c\n1,2,3\n", 0, 0, ',', "x;y;z|b|c", "2:1|2|3\n", NULL },
	{ "semicolon.csv", "a;b;c\n1;2,5;3\n", 0, 0, ';', "a|b|c", "2:1|2,5|3\n", NULL },
	{ "tab.csv", "a\tb\n\"x\ty\"\t2\n", 0, 0, '\t', "a|b", "2:x\ty|2\n", NULL },
	{ "override.csv", "a;b,c\n1;2,3\n", 0, ';', ';', "a|b,c", "2:1|2,3\n", NULL },
	{ "no-override.csv", "a;b,c\n1;2,3\n", 0, 0, ',', "a;b|c", "2:1;2|3\n", NULL },
	{ "ext.tsv", "a,b\tc\n1,2\t3\n", 0, 0, '\t', "a,b|c", "2:1,2|3\n", NULL },
	{ "crlf.csv", "a,b\r\n1,2\r\n3,4\r\n", 0, 0, ',', "a|b", "2:1|2\n3:3|4\n", NULL },
	{ "cr.csv", "a,b\r1,2\r3,4\r", 0, 0, ',', "a|b", "2:1|2\n3:3|4\n", NULL },
	{ "no-final-eol.csv", "a,b\n1,2", 0, 0, ',', "a|b", "2:1|2\n", NULL },
	{ "quoted-newline.csv", "a,b\n\"x\ny\n\nz\",2\n3,4\n", 0, 0, ',', "a|b",
	  "2:x\ny\n\nz|2\n6:3|4\n", NULL },
	{ "quoted-crlf.csv", "a,b\r\n\"x\r\ny\",2\r\n3,4\r\n", 0, 0, ',', "a|b",
	  "2:x\r\ny|2\n4:3|4\n", NULL },
	{ "quoted-delim.csv", "a,b\n\"1,5\",\"say \"\"hi\"\"\"\n", 0, 0, ',', "a|b",
	  "2:1,5|say \"hi\"\n", NULL },
	{ "verbatim.csv", "a,b\n 1 ,\" 2 \"\n", 0, 0, ',', "a|b", "2: 1 | 2 \n", NULL },
	/* a parse error is the record's error (its raw text its one cell), not fatal */
	{ "unterminated.csv", "a,b\n1,2\n3,\"abc\ndef\n", 0, 0, ',', "a|b",
	  "2:1|2\n3:3,\"abc\ndef|!unterminated quoted cell (opened on line 3, still open at the "
	  "end of the file on line 4): close the quote\n", NULL },
	{ "unterminated-noeol.csv", "a,b\n\"1", 0, 0, ',', "a|b",
	  "2:\"1|!unterminated quoted cell (opened on line 2, still open at the end of the file "
	  "on line 2): close the quote\n", NULL },
	{ "stray-quote.csv", "a,b\n1,2\n1,x\"y\n5,6\n", 0, 0, ',', "a|b",
	  "2:1|2\n3:1,x\"y|!column 'b': stray quote on line 3 (a '\"' inside an unquoted cell or "
	  "text after a closing quote): quote the whole cell and double its quotes\n4:5|6\n", NULL },
	{ "stray-quote-last.csv", "a,b\n1,2\n\"1\"x,2", 0, 0, ',', "a|b",
	  "2:1|2\n3:\"1\"x,2|!column 'a': stray quote on line 3 (a '\"' inside an unquoted cell or "
	  "text after a closing quote): quote the whole cell and double its quotes\n", NULL },
	{ "stray-quote-header.csv", "a,b\"c\n1,2\n", 0, 0, 0, "", "",
	  ":1: header: cell 2: stray quote" },
	{ "ragged.csv", "a,b\n1,2,3\n4,5\n", 0, 0, ',', "a|b",
	  "2:1|2|3!row has 3 cells, the header has 2\n3:4|5\n", NULL },
	{ "short.csv", "a,b,c\n1\n", 0, 0, ',', "a|b|c", "2:1||\n", NULL },
	{ "header-only.csv", "a,b\n", 0, 0, ',', "a|b", "", NULL },
	{ "header-only-noeol.csv", "a,b", 0, 0, ',', "a|b", "", NULL },
	{ "empty.csv", "", 0, 0, 0, "", "", "empty input, a header row is required" },
	{ "blank-only.csv", "\n \n\r\n", 0, 0, 0, "", "", "empty input, a header row is required" },
	{ "bad-header.csv", "a,\xff\n1,2\n", 0, 0, 0, "", "",
	  "bad-header.csv:1: header cell 2: invalid UTF-8" },
	{ "nul.csv", "a,b\n1,x\0y\n2,3\n", 14, 0, ',', "a|b",
	  "2:1|x\\0y!column 'b': NUL byte\n3:2|3\n", NULL },
	{ "utf8-bad.csv", "a,kmsKey\n1,\xff\xfe\n\xc3\xa9,\xe2\x82\xac\n", 0, 0, ',', "a|kmsKey",
	  "2:1|\xff\xfe!column 'kmsKey': invalid UTF-8\n3:\xc3\xa9|\xe2\x82\xac\n", NULL },
	{ "utf8-overlong.csv", "a\n\xc0\xaf\n", 0, 0, ',', "a",
	  "2:\xc0\xaf!column 'a': invalid UTF-8\n", NULL },
	{ "blank-lines.csv", "\n\na,b\n\n1,2\n   \n\t\n3,4\n,\n\"\",\n5,6", 0, 0, ',', "a|b",
	  "5:1|2\n8:3|4\n11:5|6\n", NULL },
};

static void test_csv_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(csv_cases); i++) {
		const struct csv_case *c = &csv_cases[i];
		struct reader_opts opts = { FORMAT_AUTO, c->delim_opt };
		struct strbuf header = STRBUF_INIT;
		char fatal[512];
		int delim = 0;

		strbuf_init(&header, 64);
		print_message("case %s\n", c->name);
		char *path = write_input(c->name, c->data, c->len ? c->len : strlen(c->data), 0);
		char *got = read_all(path, &opts, fatal, sizeof(fatal), &header, &delim);
		if (c->fatal) {
			if (!strstr(fatal, c->fatal))
				fail_msg("%s: fatal error '%s', want '%s'", c->name, fatal, c->fatal);
			/* the message names the file */
			assert_non_null(strstr(fatal, c->name));
		} else if (fatal[0]) {
			fail_msg("%s: unexpected error '%s'", c->name, fatal);
		}
		assert_string_equal(got, c->records);
		if (c->delim) {
			assert_string_equal(header.buf, c->header);
			assert_int_equal(delim, c->delim);
		}
		strbuf_release(&header);
		free(got);
		free(path);
	}
}

struct jsonl_case {
	const char *name;
	const char *data;
	const char *records;
};

static const struct jsonl_case jsonl_cases[] = {
	{ "good.jsonl", "{\"a\":1}\n\n   \n{\"b\": \"x\", \"c\": [1]}\r\n{}",
	  "1@1 [{\"a\":1}] {\"a\":1}\n"
	  "2@4 [{\"b\": \"x\", \"c\": [1]}] {\"b\":\"x\",\"c\":[1]}\n"
	  "3@5 [{}] {}\n" },
	{ "bom.jsonl", "\xEF\xBB\xBF{\"a\":1}\n", "1@1 [{\"a\":1}] {\"a\":1}\n" },
	{ "invalid.jsonl", "{\"a\":1 x}\n{\"b\":2}\n",
	  "1@1 [{\"a\":1 x}] !invalid JSON at column 8: '}' expected near 'x'\n"
	  "2@2 [{\"b\":2}] {\"b\":2}\n" },
	{ "not-object.jsonl", "[1,2]\n\"s\"\n3\nnull\n",
	  "1@1 [[1,2]] !not a JSON object but an array\n"
	  "2@2 [\"s\"] !not a JSON object but a string\n"
	  "3@3 [3] !not a JSON object but a number\n"
	  "4@4 [null] !not a JSON object but null\n" },
	{ "duplicate.jsonl", "{\"kmsKey\":\"a\",\"s3Bucket\":\"b\",\"kmsKey\":\"c\"}\n"
	  "{\"a\\\"b\":1, \"a\\\"b\" :2}\n",
	  "1@1 [{\"kmsKey\":\"a\",\"s3Bucket\":\"b\",\"kmsKey\":\"c\"}] !duplicate key 'kmsKey'\n"
	  "2@2 [{\"a\\\"b\":1, \"a\\\"b\" :2}] !duplicate key 'a\"b'\n" },
	{ "nested-duplicate.jsonl", "{\"o\":{\"k\":1,\"k\":2}}\n",
	  "1@1 [{\"o\":{\"k\":1,\"k\":2}}] !duplicate key 'k'\n" },
	{ "truncated-line.jsonl", "{\"a\":1}\n{\"a\":",
	  "1@1 [{\"a\":1}] {\"a\":1}\n"
	  "2@2 [{\"a\":] !invalid JSON at column 5: unexpected token near end of file\n" },
};

/* The BOM and the first line's end, for the failed-rows file. */
static void test_style(void **state)
{
	(void)state;
	static const struct { const char *name, *data; int bom; const char *eol; } t[] = {
		{ "style-crlf.csv", "\xEF\xBB\xBF" "a,b\r\n1,2\r\n", 1, "\r\n" },
		{ "style-lf.csv", "a,b\n1,2\n", 0, "\n" },
		{ "style-cr.csv", "a,b\r1,2\r", 0, "\r" },
		{ "style-one.csv", "a,b", 0, "\n" },
		{ "style-quoted.csv", "\"a\nx\",b\r\n1,2\r\n", 0, "\n" },  /* the first line end, as read */
		{ "style.jsonl", "\xEF\xBB\xBF{\"a\":1}\r\n{\"a\":2}\r\n", 1, "\r\n" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		char err[256];
		char *path = write_input(t[i].name, t[i].data, strlen(t[i].data), 0);
		struct reader *r = reader_open(path, NULL, err, sizeof(err));
		print_message("%s\n", t[i].name);
		assert_non_null(r);
		assert_int_equal(reader_had_bom(r), t[i].bom);
		assert_string_equal(reader_eol(r), t[i].eol);
		struct record rec;
		while (reader_next(r, &rec, err, sizeof(err)) > 0)
			;
		assert_string_equal(reader_eol(r), t[i].eol);
		reader_close(r, NULL, 0);
		free(path);
	}
}

static void test_jsonl_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(jsonl_cases); i++) {
		const struct jsonl_case *c = &jsonl_cases[i];
		char fatal[512];

		print_message("case %s\n", c->name);
		char *path = write_input(c->name, c->data, strlen(c->data), 0);
		char *got = read_all(path, NULL, fatal, sizeof(fatal), NULL, NULL);
		assert_string_equal(fatal, "");
		assert_string_equal(got, c->records);
		free(got);
		free(path);
	}
}

/* A 1 MiB cell (and a 3 MiB JSONL line) is read whole; line numbers go on. */
static void test_long_cells(void **state)
{
	(void)state;
	size_t big = 1 << 20;
	struct strbuf sb = STRBUF_INIT;
	struct record rec;
	char err[512];

	strbuf_init(&sb, big + 64);
	strbuf_addstr(&sb, "a,b\n1,\"");
	for (size_t i = 0; i < big; i++)
		strbuf_addch(&sb, i % 1000 == 999 ? '\n' : 'x');
	strbuf_addstr(&sb, "\"\n2,3\n");
	char *path = write_input("big.csv", sb.buf, sb.len, 0);
	struct reader *r = reader_open(path, NULL, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(reader_next(r, &rec, err, sizeof(err)), 1);
	assert_int_equal(rec.line, 2);
	assert_int_equal(rec.lens[1], big);
	assert_int_equal(strlen(rec.cells[1]), big);
	assert_int_equal(reader_next(r, &rec, err, sizeof(err)), 1);
	assert_int_equal(rec.line, 2 + big / 1000 + 1);
	assert_string_equal(rec.cells[0], "2");
	assert_int_equal(reader_next(r, &rec, err, sizeof(err)), 0);
	assert_int_equal(reader_close(r, err, sizeof(err)), 0);
	free(path);

	strbuf_reset(&sb);
	strbuf_addstr(&sb, "{\"k\":\"");
	for (size_t i = 0; i < 3 * big; i++)
		strbuf_addch(&sb, 'a' + i % 26);
	strbuf_addstr(&sb, "\"}\n{\"n\":2}\n");
	path = write_input("big.jsonl", sb.buf, sb.len, 0);
	r = reader_open(path, NULL, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(reader_next(r, &rec, err, sizeof(err)), 1);
	assert_null(rec.error);
	assert_int_equal(rec.textlen, 3 * big + 8);
	assert_int_equal(strlen(json_string_value(json_object_get(rec.obj, "k"))), 3 * big);
	assert_int_equal(reader_next(r, &rec, err, sizeof(err)), 1);
	assert_int_equal(rec.line, 2);
	assert_int_equal(json_integer_value(json_object_get(rec.obj, "n")), 2);
	assert_int_equal(reader_close(r, err, sizeof(err)), 0);
	free(path);
	strbuf_release(&sb);
}

/* gzip input, with or without an extension that says so. */
static void test_gzip(void **state)
{
	(void)state;
	static const struct {
		const char *name, *data, *records;
	} cases[] = {
		{ "g.csv.gz", "a;b\r\n1;\"x\ny\"\r\n\r\n3;4\r\n", "2:1|x\ny\n5:3|4\n" },
		{ "g.jsonl.gz", "{\"a\":1}\n\n{\"a\":2}\n", "1@1 [{\"a\":1}] {\"a\":1}\n2@3 [{\"a\":2}] {\"a\":2}\n" },
		{ "g-sniffed.gz", "\n{\"a\":1}\n", "1@2 [{\"a\":1}] {\"a\":1}\n" },
		{ "g-sniffed-csv.dat", "a,b\n1,2\n", "2:1|2\n" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char fatal[512];
		print_message("case %s\n", cases[i].name);
		char *path = write_input(cases[i].name, cases[i].data, strlen(cases[i].data), 1);
		char *got = read_all(path, NULL, fatal, sizeof(fatal), NULL, NULL);
		assert_string_equal(fatal, "");
		assert_string_equal(got, cases[i].records);
		free(got);
		free(path);
	}
}

/* Writes a gzip CSV of many rows and returns its bytes (caller frees). */
static char *gzip_rows(size_t rows, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_init(&sb, 64);
	strbuf_addstr(&sb, "id,label,bucket\n");
	for (size_t i = 0; i < rows; i++)
		strbuf_addf(&sb, "%zu,label-%zu,bucket-%zx\n", i, i * 7919 % 10007, i * 2654435761u);
	char *path = write_input("rows.csv.gz", sb.buf, sb.len, 1);
	strbuf_release(&sb);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct stat st;
	assert_int_equal(fstat(fileno(f), &st), 0);
	char *data = xmalloc((size_t)st.st_size);
	assert_int_equal(fread(data, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	unlink(path);
	free(path);
	*len = (size_t)st.st_size;
	return data;
}

/* A truncated or corrupted gzip stream is a fatal error that says so. */
static void test_gzip_damaged(void **state)
{
	(void)state;
	size_t len;
	char *gz = gzip_rows(20000, &len);
	assert_true(len > 1000);

	struct {
		const char *name;
		size_t len;
		int flip;       /* 1: corrupt bytes in the middle, 2: the CRC */
		const char *want;
	} cases[] = {
		{ "cut-half.csv.gz", len / 2, 0, "truncated gzip input (unexpected end of file)" },
		{ "cut-trailer.csv.gz", len - 4, 0, "truncated gzip input (unexpected end of file)" },
		{ "cut-header.csv.gz", 12, 0, "truncated gzip input (unexpected end of file)" },
		{ "flipped.csv.gz", len, 1, "corrupt gzip input (" },
		{ "bad-crc.csv.gz", len, 2, "corrupt gzip input (incorrect data check)" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char fatal[512];
		print_message("case %s\n", cases[i].name);
		char *data = xmalloc(len);
		memcpy(data, gz, len);
		if (cases[i].flip == 1)
			for (size_t k = len / 2; k < len / 2 + 16; k++)
				data[k] ^= 0x5a;
		if (cases[i].flip == 2)
			data[len - 8] ^= 1;
		char *path = write_input(cases[i].name, data, cases[i].len, 0);
		char *got = read_all(path, NULL, fatal, sizeof(fatal), NULL, NULL);
		if (!strstr(fatal, cases[i].want))
			fail_msg("%s: error '%s', want '%s'", cases[i].name, fatal, cases[i].want);
		assert_non_null(strstr(fatal, cases[i].name));
		free(got);
		free(path);
		free(data);
	}
	free(gz);
}

/* "-" reads stdin, shown as <stdin>, with the format sniffed; no total size. */
static void test_stdin(void **state)
{
	(void)state;
	static const struct {
		const char *name, *data, *records;
		int gz;
	} cases[] = {
		{ "stdin.csv", "a\tb\n1\t2\n", "2:1|2\n", 0 },
		{ "stdin.jsonl", "{\"a\":1}\n", "1@1 [{\"a\":1}] {\"a\":1}\n", 0 },
		{ "stdin.jsonl.gz", "\n\n{\"a\":1}\n", "1@3 [{\"a\":1}] {\"a\":1}\n", 1 },
	};
	int saved = dup(STDIN_FILENO);
	assert_true(saved >= 0);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char fatal[512];
		print_message("case %s\n", cases[i].name);
		char *path = write_input(cases[i].name, cases[i].data, strlen(cases[i].data),
					 cases[i].gz);
		int fd = open(path, O_RDONLY);
		assert_true(fd >= 0);
		/* a pipe gives no size: emulate by reading through one */
		int p[2];
		assert_int_equal(pipe(p), 0);
		char buf[256];
		ssize_t n = read(fd, buf, sizeof(buf));
		assert_true(n > 0);
		assert_int_equal(write(p[1], buf, (size_t)n), n);
		close(p[1]);
		close(fd);
		assert_true(dup2(p[0], STDIN_FILENO) >= 0);
		close(p[0]);

		char err[512];
		struct reader *r = reader_open("-", NULL, err, sizeof(err));
		assert_non_null(r);
		assert_string_equal(reader_name(r), "<stdin>");
		uint64_t done, total;
		reader_progress(r, &done, &total);
		assert_int_equal(total, 0);
		assert_int_equal(reader_close(r, err, sizeof(err)), 0);
		/* the reader closed its own descriptor, not stdin; read it for real now */
		assert_true(fcntl(STDIN_FILENO, F_GETFD) >= 0);

		fd = open(path, O_RDONLY);
		assert_true(dup2(fd, STDIN_FILENO) >= 0);
		close(fd);
		char *got = read_all("-", NULL, fatal, sizeof(fatal), NULL, NULL);
		assert_string_equal(fatal, "");
		assert_string_equal(got, cases[i].records);
		free(got);
		free(path);
	}
	assert_true(dup2(saved, STDIN_FILENO) >= 0);
	close(saved);
}

/* The format: override, then extension, then the first non-blank byte. */
static void test_format(void **state)
{
	(void)state;
	static const struct {
		const char *name, *data;
		enum in_format opt, want;
	} cases[] = {
		{ "f1.csv", "{a,b}\n", FORMAT_AUTO, FORMAT_CSV },
		{ "f2.JSONL", "a,b\n", FORMAT_AUTO, FORMAT_JSONL },
		{ "f3.ndjson", "a,b\n", FORMAT_AUTO, FORMAT_JSONL },
		{ "f4.TSV.GZ", "a\tb\n", FORMAT_AUTO, FORMAT_CSV },
		{ "f5.txt", " \r\n\t{\"a\":1}\n", FORMAT_AUTO, FORMAT_JSONL },
		{ "f6.txt", "a,b\n", FORMAT_AUTO, FORMAT_CSV },
		{ "f7", "\xEF\xBB\xBF{\"a\":1}\n", FORMAT_AUTO, FORMAT_JSONL },
		{ "f8.csv", "{\"a\":1}\n", FORMAT_JSONL, FORMAT_JSONL },
		{ "f9.jsonl", "a,b\n", FORMAT_CSV, FORMAT_CSV },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char err[512];
		struct reader_opts opts = { cases[i].opt, 0 };
		print_message("case %s\n", cases[i].name);
		char *path = write_input(cases[i].name, cases[i].data, strlen(cases[i].data),
					 strstr(cases[i].name, ".GZ") != NULL);
		struct reader *r = reader_open(path, &opts, err, sizeof(err));
		assert_non_null(r);
		assert_int_equal(reader_format(r), cases[i].want);
		size_t n;
		assert_true((reader_header(r, &n) != NULL) == (cases[i].want == FORMAT_CSV));
		assert_int_equal(reader_close(r, err, sizeof(err)), 0);
		free(path);
	}
}

/* Open errors name the file; progress reaches the file size; many rows. */
static void test_open_progress_many(void **state)
{
	(void)state;
	char err[512];
	struct record rec;

	char *missing = xasprintf("%s/missing.csv", tmpdir);
	assert_null(reader_open(missing, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "cannot open '"));
	assert_non_null(strstr(err, "missing.csv"));
	free(missing);
	assert_null(reader_open(tmpdir, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, tmpdir));

	size_t rows = 200000;
	struct strbuf sb = STRBUF_INIT;
	strbuf_init(&sb, rows * 64);
	strbuf_addstr(&sb, "action,integrationLabel,awsAccountId,s3Bucket,logTypes\n");
	for (size_t i = 0; i < rows; i++)
		strbuf_addf(&sb, "create,label-%zu,%012zu,bucket-%zu,\"AWS.CloudTrail,AWS.S3\"\n",
			    i, i, i);
	char *path = write_input("many.csv", sb.buf, sb.len, 0);
	struct reader *r = reader_open(path, NULL, err, sizeof(err));
	assert_non_null(r);
	size_t n = 0;
	int rc;
	while ((rc = reader_next(r, &rec, err, sizeof(err))) == 1) {
		n++;
		if (rec.error || rec.ncells != 5 || rec.line != n + 1)
			fail_msg("row %zu: line %zu, %zu cells, error %s", n, rec.line, rec.ncells,
				 rec.error ? rec.error : "none");
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, rows);
	uint64_t done, total;
	reader_progress(r, &done, &total);
	assert_int_equal(total, sb.len);
	assert_int_equal(done, total);
	assert_int_equal(reader_close(r, err, sizeof(err)), 0);
	free(path);
	strbuf_release(&sb);
}

/* The position reader_progress() reports is what the parser consumed, not
 * what was read ahead: half the records read is about half the file, plain or
 * gzip (the progress line estimates the row count from it). */
static void test_progress_midway(void **state)
{
	(void)state;
	char err[512];
	struct record rec;
	size_t rows = 20000;
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "integrationLabel,s3Bucket\n");
	for (size_t i = 0; i < rows; i++)
		strbuf_addf(&sb, "label-%06zu,bucket-%06zu-%zu\n", i, i, i * 7919 % 100000);
	for (int gz = 0; gz <= 1; gz++) {
		char *path = write_input(gz ? "mid.csv.gz" : "mid.csv", sb.buf, sb.len, gz);
		struct reader *r = reader_open(path, NULL, err, sizeof(err));
		assert_non_null(r);
		for (size_t n = 0; n < rows / 2; n++)
			assert_int_equal(reader_next(r, &rec, err, sizeof(err)), 1);
		uint64_t done, total;
		reader_progress(r, &done, &total);
		double share = (double)done / (double)total;
		if (share < 0.45 || share > 0.55)
			fail_msg("%s: half the records read, progress says %.3f of the file",
				 gz ? "gzip" : "plain", share);
		assert_int_equal(reader_close(r, err, sizeof(err)), 0);
		free(path);
	}
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_table),
		cmocka_unit_test(test_style),
		cmocka_unit_test(test_jsonl_table),
		cmocka_unit_test(test_long_cells),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_gzip_damaged),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_open_progress_many),
		cmocka_unit_test(test_progress_midway),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
