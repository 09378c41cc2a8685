/*
 * test_helpers.h - what the writers' unit tests (test_results.c, test_failed.c,
 * test_resume.c, test_atomic.c, test_ids.c, test_export_writer.c) all need
 * around the code under test: a scratch folder made by the group set-up and
 * removed by the group tear-down, paths inside it, a whole file read back
 * (gzip or plain, through zlib), a file written from a string, and a CSV file
 * parsed back with libcsv into a small table.
 *
 * Include it after <cmocka.h> (the helpers fail the test with cmocka's
 * assertions). It needs util.h, zlib and libcsv, which every test linking
 * s3src_writers gets. Everything is static to the test that includes it:
 *
 *	return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
 */
#ifndef S3SRC_TEST_HELPERS_H
#define S3SRC_TEST_HELPERS_H

#include <csv.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util.h"

/* The scratch folder of the running test program, made by tmpdir_setup. */
static char tmpdir[64];

/* cmocka group set-up: makes a fresh, empty tmpdir. */
static inline int tmpdir_setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/s3src-unit.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static inline int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* cmocka group tear-down: removes tmpdir and all in it (links not followed). */
static inline int tmpdir_teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* tmpdir/name, as a new string the caller frees. */
static inline char *tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

/*
 * The whole of path as a new NUL-terminated string the caller frees: a gzip
 * file decompressed, any other file as it is (zlib reads those through).
 * Fails the test if the file cannot be read.
 */
static inline char *slurp(const char *path)
{
	gzFile gz = gzopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	int n;

	assert_non_null(gz);
	strbuf_init(&sb, 1024);
	while ((n = gzread(gz, buf, sizeof(buf))) > 0)
		strbuf_add(&sb, buf, (size_t)n);
	assert_int_equal(n, 0);
	assert_int_equal(gzclose(gz), Z_OK);
	return strbuf_detach(&sb, NULL);
}

/* Writes text to path (replacing it), gzip-compressed if path ends in ".gz". */
static inline void write_file(const char *path, const char *text)
{
	size_t len = strlen(path), n = strlen(text);
	int gzip = len >= 3 && !strcmp(path + len - 3, ".gz");
	gzFile gz = gzopen(path, gzip ? "wb" : "wbT");   /* T: plain, no gzip */

	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, text, (unsigned)n), (int)n);
	assert_int_equal(gzclose(gz), Z_OK);
}

/* write_file() to tmpdir/name; gives the path as a new string. */
static inline char *write_tmp(const char *name, const char *text)
{
	char *path = tmp_path(name);

	write_file(path, text);
	return path;
}

/* A CSV file read back: cells[r][c] of row r, new strings; table_release frees them. */
#define TABLE_MAX 16

struct table {
	char *cells[TABLE_MAX][TABLE_MAX];
	size_t ncells[TABLE_MAX];
	size_t nrows;
};

static inline void table_cell_cb(void *s, size_t len, void *data)
{
	struct table *t = data;

	assert_true(t->nrows < TABLE_MAX && t->ncells[t->nrows] < TABLE_MAX);
	t->cells[t->nrows][t->ncells[t->nrows]++] = xstrndup(s ? s : "", len);
}

static inline void table_row_cb(int c, void *data)
{
	(void)c;
	((struct table *)data)->nrows++;
}

/* Parses path (gzip or plain) with libcsv, strictly, delimiter delim, into t. */
static inline void read_csv(const char *path, int delim, struct table *t)
{
	struct csv_parser p;
	char *text = slurp(path);

	memset(t, 0, sizeof(*t));
	assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
	csv_set_delim(&p, (unsigned char)delim);
	assert_int_equal(csv_parse(&p, text, strlen(text), table_cell_cb, table_row_cb, t),
			 strlen(text));
	assert_int_equal(csv_fini(&p, table_cell_cb, table_row_cb, t), 0);
	csv_free(&p);
	free(text);
}

static inline void table_release(struct table *t)
{
	for (size_t r = 0; r < TABLE_MAX; r++)
		for (size_t c = 0; c < t->ncells[r]; c++)
			free(t->cells[r][c]);
}

#endif
