/*
 * test_resume.c - --resume: results written by results.c (CSV and JSONL) load
 * back with only the succeeded rows (and rows resumed earlier) kept, guarded
 * cells unguarded, and a malformed or unreadable file is an error naming the
 * file and the line; a UTF-16 one is refused as a UTF-16 sheet is (report's
 * reader too).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "results.h"
#include "results_reader.h"
#include "util.h"

#include "test_helpers.h"

static const struct {
	enum outcome o;
	const char *id, *fp, *error;
	int kept;
} rows[] = {
	{ OUTCOME_CREATED, "id-1", "fp1", NULL, 1 },
	{ OUTCOME_MODIFIED, "id-2", "fp2", NULL, 1 },
	{ OUTCOME_EXPORTED, "id-3", "fp3", NULL, 1 },
	{ OUTCOME_DELETED, "-id4", "fp4", NULL, 1 },          /* guarded in CSV */
	{ OUTCOME_FAILED, NULL, "fp5", "server said \"no\"", 0 },
	{ OUTCOME_INVALID, NULL, "fp6", "s3Bucket: missing", 0 },
	{ OUTCOME_VALID, NULL, "fp7", NULL, 0 },
	{ OUTCOME_SKIPPED, "id-8", "fp8", "already done in 'a.results.csv' (--resume): not sent again", 1 },
	{ OUTCOME_SKIPPED, NULL, "fp9", "not sent: the run was interrupted", 0 },
	{ OUTCOME_SKIPPED, "id-12", "fp12", "", 0 },
	{ OUTCOME_CREATED, "id-10", "", NULL, 0 },             /* no fingerprint */
	{ OUTCOME_CREATED, "id-11", "fp1", NULL, 0 },          /* first one wins */
};

/* results_row_fn: a record read (none should be, in the tests using it). */
static int count_row(void *ctx, const struct results_row *r, char *err, size_t errlen)
{
	(void)ctx;
	(void)r;
	(void)err;
	(void)errlen;
	return 0;
}

static void write_results(const char *path)
{
	char err[256];
	struct results_writer *w = results_open(path, err, sizeof(err));
	assert_non_null(w);
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		struct result r = {
			.row = i + 1, .line = i + 2, .action = ACTION_CREATE, .outcome = rows[i].o,
			.http_status = 200, .id = rows[i].id, .label = "l,a\"b\nel", .attempts = 1,
			.error = rows[i].error, .fingerprint = rows[i].fp,
		};
		assert_int_equal(results_write(w, &r), 0);
	}
	assert_int_equal(results_close(w, err, sizeof(err)), 0);
}

static void check_set(const struct resume_set *rs)
{
	size_t kept = 0;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		if (!*rows[i].fp)
			continue;
		const char *id = resume_lookup(rs, rows[i].fp);
		if (rows[i].kept) {
			assert_non_null(id);
			assert_string_equal(id, rows[i].id);
			kept++;
		} else if (strcmp(rows[i].fp, "fp1")) {
			assert_null(id);
		}
	}
	assert_string_equal(resume_lookup(rs, "fp1"), "id-1");
	assert_null(resume_lookup(rs, "nope"));
	assert_int_equal(resume_count(rs), kept);
}

static void test_load_written(void **state)
{
	(void)state;
	static const char *const names[] = { "r.csv", "r.jsonl" };
	for (size_t k = 0; k < ARRAY_SIZE(names); k++) {
		char err[256] = "";
		char *path = tmp_path(names[k]);
		write_results(path);
		struct resume_set *rs = resume_load(path, err, sizeof(err));
		if (!rs)
			fail_msg("%s", err);
		check_set(rs);
		resume_free(rs);
		free(path);
	}
}

static void test_load_gzip(void **state)
{
	(void)state;
	char err[256] = "";
	char *plain = tmp_path("g.csv");
	char *gzp = tmp_path("g.csv.gz");
	write_results(plain);
	char *text = slurp(plain);
	write_file(gzp, text);   /* the same results, gzip-compressed */
	free(text);
	struct resume_set *rs = resume_load(gzp, err, sizeof(err));
	if (!rs)
		fail_msg("%s", err);
	check_set(rs);
	resume_free(rs);
	free(plain);
	free(gzp);
}

static void test_malformed(void **state)
{
	(void)state;
	static const struct { const char *name, *text, *want; } cases[] = {
		{ "m1.jsonl", "{\"outcome\":\"created\",\"fingerprint\":\"a\"}\n\n{oops\n", ":3:" },
		{ "m2.jsonl", "{\"outcome\":\"created\",\"fingerprint\":\"a\"}\n[1]\n", ":2: not a JSON object" },
		{ "m3.jsonl", "{\"outcome\":\"bogus\",\"fingerprint\":\"a\"}\n", ":1: outcome: unknown value 'bogus'" },
		{ "m4.jsonl", "{\"outcome\":\"created\",\"fingerprint\":7}\n", ":1:" },
		{ "m5.csv", "row,outcome,fingerprint\n1,created,a\n2,\"created\nx\",b\n", ":3: outcome: unknown value" },
		{ "m6.csv", "row,outcome,fingerprint\n1,created,a\n2,created\n", ":3: 2 cells" },
		{ "m7.csv", "a,b,c\n1,2,3\n", ":1: not a results file" },
		{ "m8.csv", "row,outcome,fingerprint\n1,created,\"unterminated\n", ":2:" },
		{ "m9.csv", "", "empty results file" },
		{ "m10.txt", "", "unsupported extension" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char err[256] = "";
		char *path = tmp_path(cases[i].name);
		write_file(path, cases[i].text);
		struct resume_set *rs = resume_load(path, err, sizeof(err));
		if (rs)
			fail_msg("%s: loaded", cases[i].name);
		if (!strstr(err, path) || !strstr(err, cases[i].want))
			fail_msg("%s: got '%s', want '%s'", cases[i].name, err, cases[i].want);
		free(path);
	}
	char err[256] = "";
	char *missing = tmp_path("missing.csv");
	assert_null(resume_load(missing, err, sizeof(err)));
	assert_non_null(strstr(err, missing));
	free(missing);
}

/* A gzip results file cut short, CSV or JSONL: the load fails, and the error
 * names the file and the line where reading stopped (not a silent, shorter
 * skip set). */
static void test_truncated_gzip(void **state)
{
	(void)state;
	static const char *const names[] = { "cut.csv.gz", "cut.jsonl.gz" };

	for (size_t k = 0; k < ARRAY_SIZE(names); k++) {
		struct strbuf sb = STRBUF_INIT;
		char err[512] = "";
		int jsonl = strstr(names[k], ".jsonl") != NULL;

		if (!jsonl)
			strbuf_addstr(&sb, "row,line,action,outcome,httpStatus,integrationId,"
					   "integrationLabel,attempts,elapsedMs,error,warning,fingerprint\n");
		for (int i = 0; i < 5000; i++) {
			unsigned mix = (unsigned)i * 2654435761u;
			if (jsonl)
				strbuf_addf(&sb, "{\"row\":%d,\"line\":%d,\"action\":\"create\","
					    "\"outcome\":\"created\",\"integrationId\":\"id-%d\","
					    "\"fingerprint\":\"fp-%d-%x\"}\n", i + 1, i + 2, i, i, mix);
			else
				strbuf_addf(&sb, "%d,%d,create,created,201,id-%d,label-%d,1,20,,,fp-%d-%x\n",
					    i + 1, i + 2, i, i, i, mix);
		}
		char *whole = tmp_path(names[k]);
		write_file(whole, sb.buf);
		/* keep the first half of the compressed bytes */
		FILE *f = fopen(whole, "rb");
		assert_non_null(f);
		assert_int_equal(fseek(f, 0, SEEK_END), 0);
		long size = ftell(f);
		assert_true(size > 1000);
		fclose(f);
		assert_int_equal(truncate(whole, size / 2), 0);

		struct resume_set *rs = resume_load(whole, err, sizeof(err));
		if (rs)
			fail_msg("%s: a truncated resume file loaded (%zu rows)", names[k], resume_count(rs));
		char *at = strstr(err, ".gz:");
		if (!at || strncmp(err, whole, strlen(whole)) || atoi(at + 4) < 2)
			fail_msg("%s: the error does not name the file and line: %s", names[k], err);
		free(whole);
		strbuf_release(&sb);
	}
}

/* A UTF-16 results file (saved again from a spreadsheet) is refused with the
 * message a UTF-16 import sheet gets, by --resume and by report alike. */
static void test_utf16_refused(void **state)
{
	(void)state;
	static const char *const names[] = { "r16.csv", "r16.jsonl" };

	for (size_t k = 0; k < ARRAY_SIZE(names); k++) {
		char *path = tmp_path(names[k]);
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		const char *text = k ? "{\"outcome\":\"created\",\"fingerprint\":\"a\"}\n"
				     : "row,outcome,fingerprint\n1,created,a\n";
		fputs("\xFF\xFE", f);
		for (const char *p = text; *p; p++) {
			fputc(*p, f);
			fputc(0, f);
		}
		fclose(f);

		char err[512] = "";
		assert_null(resume_load(path, err, sizeof(err)));
		if (!strstr(err, path) || !strstr(err, "is UTF-16 (little-endian) text; save it as UTF-8"))
			fail_msg("%s (--resume): got '%s'", names[k], err);
		err[0] = '\0';
		assert_int_equal(results_read(path, count_row, NULL, err, sizeof(err)), -1);
		if (!strstr(err, path) || !strstr(err, "is UTF-16 (little-endian) text; save it as UTF-8"))
			fail_msg("%s (report): got '%s'", names[k], err);
		free(path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_written),
		cmocka_unit_test(test_load_gzip),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_truncated_gzip),
		cmocka_unit_test(test_utf16_refused),
	};
	return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
