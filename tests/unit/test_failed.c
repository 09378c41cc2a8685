/*
 * test_failed.c - the failed-rows file: CSV round trip through libcsv with
 * quotes, newlines and delimiters (cells verbatim but formula-guarded, error guarded, input's
 * delimiter), continuation rows, an existing error column reused, JSONL key
 * order kept with "error" added, unparseable lines kept in rawLine, nothing
 * created when no row failed, and the default path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include "results.h"
#include "source.h"
#include "util.h"

#include "test_helpers.h"

/* A source made of CSV records: cells[r] is a NULL-terminated list. */
static struct source *csv_source(size_t line, const char *const *const *cells, size_t nrec)
{
	struct source *s = xcalloc(1, sizeof(*s));
	s->row = line - 1;
	s->line = line;
	s->nraw = nrec;
	s->raw = xcalloc(nrec, sizeof(*s->raw));
	for (size_t r = 0; r < nrec; r++) {
		size_t n = 0;
		while (cells[r][n])
			n++;
		s->raw[r].line = line + r;
		s->raw[r].ncells = n;
		s->raw[r].cells = xcalloc(n ? n : 1, sizeof(char *));
		for (size_t c = 0; c < n; c++)
			s->raw[r].cells[c] = xstrdup(cells[r][c]);
	}
	return s;
}

static struct source *jsonl_source(size_t line, const char *text)
{
	struct source *s = xcalloc(1, sizeof(*s));
	s->row = line;
	s->line = line;
	s->nraw = 1;
	s->raw = xcalloc(1, sizeof(*s->raw));
	s->raw[0].line = line;
	s->raw[0].text = xstrdup(text);
	return s;
}

static void free_source(struct source *s)
{
	for (size_t r = 0; r < s->nraw; r++) {
		for (size_t c = 0; c < s->raw[r].ncells; c++)
			free(s->raw[r].cells[c]);
		free(s->raw[r].cells);
		free(s->raw[r].text);
	}
	free(s->raw);
	free(s);
}

static void test_csv_round_trip(void **state)
{
	(void)state;
	static const int delims[] = { ',', ';', '\t' };
	for (size_t d = 0; d < ARRAY_SIZE(delims); d++) {
		char *hdr[] = { "integrationLabel", "awsAccountId", "prefix", "logTypes" };
		static const char *const r1[] = { "a \"quoted\" label", "=cmd|' /C calc'!A0",
						  "multi\nline", "AWS.CloudTrail,AWS.S3;X\tY", NULL };
		static const char *const r2[] = { "", "", "second/", "Custom.X", NULL };
		static const char *const *recs[] = { r1, r2 };
		static const char *const r3[] = { " padded ", "-1", "'=kept", "", NULL };
		static const char *const *recs2[] = { r3 };
		char err[256];
		char *path = xasprintf("%s/f%zu.csv", tmpdir, d);

		struct failed_writer *w = failed_new(path, FORMAT_CSV, hdr, 4, delims[d]);
		assert_non_null(w);
		struct source *s1 = csv_source(2, recs, 2);
		struct source *s2 = csv_source(5, recs2, 1);
		assert_int_equal(failed_write(w, s1, "s3Bucket: missing; logTypes: \"bad\", really"), 0);
		assert_int_equal(access(path, F_OK), -1);   /* renamed into place on close */
		assert_int_equal(failed_write(w, s2, "=HYPERLINK(\"x\")"), 0);
		assert_int_equal(failed_close(w, err, sizeof(err)), 1);

		struct table t;
		read_csv(path, delims[d], &t);
		assert_int_equal(t.nrows, 4);
		for (size_t r = 0; r < 4; r++)
			assert_int_equal(t.ncells[r], 5);
		for (size_t c = 0; c < 4; c++) {
			assert_string_equal(t.cells[0][c], hdr[c]);
			/* verbatim but for the formula guard on an unguarded cell */
			assert_string_equal(t.cells[1][c], c == 1 ? "'=cmd|' /C calc'!A0" : r1[c]);
			assert_string_equal(t.cells[2][c], r2[c]);
			assert_string_equal(t.cells[3][c], c == 1 ? "'-1" : r3[c]);
		}
		assert_string_equal(t.cells[0][4], "error");
		assert_string_equal(t.cells[1][4], "s3Bucket: missing; logTypes: \"bad\", really");
		assert_string_equal(t.cells[2][4], "");    /* continuation row */
		assert_string_equal(t.cells[3][4], "'=HYPERLINK(\"x\")");
		table_release(&t);
		free_source(s1);
		free_source(s2);
		free(path);
	}
}

static void test_csv_existing_error_column_and_extra_cells(void **state)
{
	(void)state;
	char *hdr[] = { "integrationLabel", "Error", "s3Bucket" };
	static const char *const r1[] = { "lbl", "old error", "bucket", NULL };
	static const char *const *recs[] = { r1 };
	char *hdr2[] = { "a", "b" };
	static const char *const r2[] = { "1", "2", "3", NULL };   /* more cells than header */
	static const char *const *recs2[] = { r2 };
	char err[256];
	char *path = tmp_path("reuse.csv");
	char *path2 = tmp_path("extra.csv");

	struct failed_writer *w = failed_new(path, FORMAT_CSV, hdr, 3, ',');
	struct source *s = csv_source(2, recs, 1);
	assert_int_equal(failed_write(w, s, "new error"), 0);
	assert_int_equal(failed_close(w, err, sizeof(err)), 1);
	struct table t;
	read_csv(path, ',', &t);
	assert_int_equal(t.nrows, 2);
	assert_int_equal(t.ncells[0], 3);
	assert_int_equal(t.ncells[1], 3);
	assert_string_equal(t.cells[1][0], "lbl");
	assert_string_equal(t.cells[1][1], "new error");
	assert_string_equal(t.cells[1][2], "bucket");
	table_release(&t);
	free_source(s);

	w = failed_new(path2, FORMAT_CSV, hdr2, 2, ',');
	s = csv_source(2, recs2, 1);
	assert_int_equal(failed_write(w, s, "too many cells"), 0);
	assert_int_equal(failed_close(w, err, sizeof(err)), 1);
	read_csv(path2, ',', &t);
	assert_int_equal(t.ncells[1], 4);
	assert_string_equal(t.cells[1][0], "1");
	assert_string_equal(t.cells[1][1], "2");
	assert_string_equal(t.cells[1][2], "too many cells");
	assert_string_equal(t.cells[1][3], "3");
	table_release(&t);
	free_source(s);
	free(path);
	free(path2);
}

/* The input's BOM and CRLF line ends come back; a cell's own line end stays. */
static void test_bom_and_crlf(void **state)
{
	(void)state;
	char *hdr[] = { "label", "prefix" };
	static const char *const r1[] = { "Zo\xc3\xab", "elb/\nalb/", NULL };
	static const char *const *recs[] = { r1 };
	char err[256];
	char *path = tmp_path("crlf.csv");
	struct failed_writer *w = failed_new(path, FORMAT_CSV, hdr, 2, ',');
	failed_set_style(w, 1, "\r\n");
	struct source *s = csv_source(2, recs, 1);
	assert_int_equal(failed_write(w, s, "bad"), 0);
	assert_int_equal(failed_close(w, err, sizeof(err)), 1);
	char *text = slurp(path);
	assert_string_equal(text, "\xEF\xBB\xBFlabel,prefix,error\r\nZo\xc3\xab,\"elb/\nalb/\",bad\r\n");
	free(text);
	free_source(s);

	char *path2 = tmp_path("crlf.jsonl");
	w = failed_new(path2, FORMAT_JSONL, NULL, 0, 0);
	failed_set_style(w, 0, "\r\n");
	s = jsonl_source(1, "{\"a\":1}");
	assert_int_equal(failed_write(w, s, "bad"), 0);
	assert_int_equal(failed_close(w, err, sizeof(err)), 1);
	text = slurp(path2);
	assert_string_equal(text, "{\"a\":1,\"error\":\"bad\"}\r\n");
	free(text);
	free_source(s);
	free(path);
	free(path2);
}

static void test_jsonl_key_order(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"{\"s3Bucket\":\"b\",\"awsAccountId\":\"123456789012\",\"integrationLabel\":\"caf\xc3\xa9\",\"logTypes\":[\"A\"]}",
		"{\"zeta\":1,\"error\":\"old\",\"alpha\":true}",
		"not json at all",
		"{\"dup\":1,\"dup\":2}",
	};
	static const char *const want_keys[][6] = {
		{ "s3Bucket", "awsAccountId", "integrationLabel", "logTypes", "error", NULL },
		{ "zeta", "error", "alpha", NULL },
		{ "error", "rawLine", NULL },
		{ "error", "rawLine", NULL },
	};
	char err[256];
	char *path = tmp_path("f.jsonl");
	struct failed_writer *w = failed_new(path, FORMAT_JSONL, NULL, 0, 0);
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		struct source *s = jsonl_source(i + 1, lines[i]);
		char *msg = xasprintf("problem %zu \"quoted\"", i);
		assert_int_equal(failed_write(w, s, msg), 0);
		free(msg);
		free_source(s);
	}
	assert_int_equal(failed_close(w, err, sizeof(err)), 1);

	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[1024];
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		assert_non_null(fgets(line, sizeof(line), f));
		json_error_t je;
		json_t *o = json_loads(line, JSON_REJECT_DUPLICATES, &je);
		assert_non_null(o);
		const char *key;
		json_t *v;
		size_t k = 0;
		json_object_foreach(o, key, v) {
			assert_non_null(want_keys[i][k]);
			assert_string_equal(key, want_keys[i][k]);
			k++;
		}
		assert_null(want_keys[i][k]);
		char *msg = xasprintf("problem %zu \"quoted\"", i);
		assert_string_equal(json_string_value(json_object_get(o, "error")), msg);
		free(msg);
		if (i >= 2)
			assert_string_equal(json_string_value(json_object_get(o, "rawLine")), lines[i]);
		if (i == 0)
			assert_string_equal(json_string_value(json_object_get(o, "integrationLabel")), "caf\xc3\xa9");
		json_decref(o);
	}
	assert_null(fgets(line, sizeof(line), f));
	fclose(f);
	free(path);
}

static void test_nothing_when_no_failure(void **state)
{
	(void)state;
	char err[256];
	char *hdr[] = { "a" };
	char *path = tmp_path("none.csv");
	struct failed_writer *w = failed_new(path, FORMAT_CSV, hdr, 1, ',');
	assert_non_null(w);
	assert_int_equal(failed_close(w, err, sizeof(err)), 0);
	assert_int_equal(access(path, F_OK), -1);
	free(path);
}

static void test_unwritable_folder(void **state)
{
	(void)state;
	char err[256] = "";
	char *hdr[] = { "a" };
	static const char *const r1[] = { "x", NULL };
	static const char *const *recs[] = { r1 };
	char *path = tmp_path("no/such/dir/f.csv");
	struct failed_writer *w = failed_new(path, FORMAT_CSV, hdr, 1, ',');
	struct source *s = csv_source(2, recs, 1);
	assert_int_equal(failed_write(w, s, "e"), -1);
	assert_int_equal(failed_write(w, s, "e"), -1);
	assert_int_equal(failed_close(w, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	free_source(s);
	free(path);
}

static void test_default_path(void **state)
{
	(void)state;
	static const struct { const char *in; enum in_format f; const char *out; } cases[] = {
		{ "x.results.csv", FORMAT_CSV, "x.failed.csv" },
		{ "x.results.csv", FORMAT_JSONL, "x.failed.jsonl" },
		{ "dir/s3src-import-20260101T000000Z.results.jsonl", FORMAT_CSV,
		  "dir/s3src-import-20260101T000000Z.failed.csv" },
		{ "out.jsonl", FORMAT_JSONL, "out.failed.jsonl" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *p = failed_default_path(cases[i].in, cases[i].f);
		assert_string_equal(p, cases[i].out);
		free(p);
	}
	char *p = failed_default_path("-", FORMAT_CSV);
	assert_true(strncmp(p, "s3src-", 6) == 0);
	assert_non_null(strstr(p, ".failed.csv"));
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_round_trip),
		cmocka_unit_test(test_csv_existing_error_column_and_extra_cells),
		cmocka_unit_test(test_bom_and_crlf),
		cmocka_unit_test(test_jsonl_key_order),
		cmocka_unit_test(test_nothing_when_no_failure),
		cmocka_unit_test(test_unwritable_folder),
		cmocka_unit_test(test_default_path),
	};
	return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
