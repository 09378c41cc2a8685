/*
 * test_export_writer.c - the export/backup writer: records added out of order
 * come out in index order, skipped indices leave no line, the file appears
 * only on commit, the JSONL keeps the API's key order, and the CSV import
 * layout has continuation rows, list joins that split back, JSON arrays where
 * a join would not, and neutralised cells.
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
#include "export_writer.h"
#include "util.h"

#include "test_helpers.h"

static json_t *make_source(int i)
{
	json_error_t je;
	char *text = xasprintf("{\"integrationId\":\"id-%d\",\"zfirst\":%d,\"awsAccountId\":\"0123\","
			       "\"s3PrefixLogTypes\":[{\"prefix\":\"p/\",\"logTypes\":[\"A\"]}]}", i, i);
	json_t *o = json_loads(text, 0, &je);
	free(text);
	assert_non_null(o);
	return o;
}

static void test_out_of_order(void **state)
{
	(void)state;
	static const char *const names[] = { "o.jsonl", "o.jsonl.gz" };
	for (size_t k = 0; k < ARRAY_SIZE(names); k++) {
		char err[256] = "";
		char *path = tmp_path(names[k]);
		struct export_writer *w = export_writer_open(path, err, sizeof(err));
		assert_non_null(w);
		/* arrival order; 2 and 5 failed */
		static const int order[] = { 3, 1, 4, 0, 2, 6, 5, 7 };
		for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
			if (order[i] == 2 || order[i] == 5) {
				assert_int_equal(export_writer_skip(w, (size_t)order[i]), 0);
				continue;
			}
			json_t *s = make_source(order[i]);
			assert_int_equal(export_writer_add(w, (size_t)order[i], s), 0);
			json_decref(s);   /* borrowed: the writer kept its own copy */
			if (order[i] == 4)
				assert_int_equal(export_writer_pending(w), 3);   /* 1, 3, 4 wait for 0 */
		}
		assert_int_equal(export_writer_pending(w), 0);
		assert_int_equal(export_writer_written(w), 6);
		/* an index given twice, or behind, is refused */
		json_t *s = make_source(1);
		assert_int_equal(export_writer_add(w, 1, s), -1);
		json_decref(s);
		assert_int_equal(access(path, F_OK), -1);
		assert_int_equal(export_writer_commit(w, err, sizeof(err)), 0);

		char *text = slurp(path);
		char *want = xstrdup("");
		static const int expect[] = { 0, 1, 3, 4, 6, 7 };
		for (size_t i = 0; i < ARRAY_SIZE(expect); i++) {
			char *line = xasprintf("%s{\"integrationId\":\"id-%d\",\"zfirst\":%d,"
					       "\"awsAccountId\":\"0123\",\"s3PrefixLogTypes\":"
					       "[{\"prefix\":\"p/\",\"logTypes\":[\"A\"]}]}\n",
					       want, expect[i], expect[i]);
			free(want);
			want = line;
		}
		assert_string_equal(text, want);
		free(want);
		free(text);
		free(path);
	}
}

static void test_gap_never_filled(void **state)
{
	(void)state;
	char err[256] = "";
	char *path = tmp_path("gap.jsonl");
	struct export_writer *w = export_writer_open(path, err, sizeof(err));
	json_t *s = make_source(2);
	assert_int_equal(export_writer_add(w, 2, s), 0);
	json_decref(s);
	assert_int_equal(export_writer_written(w), 0);
	assert_int_equal(export_writer_commit(w, err, sizeof(err)), 0);
	char *text = slurp(path);
	assert_non_null(strstr(text, "\"id-2\""));
	free(text);
	free(path);
}

/* The reorder ring: blocks of 40 arrive last-first, so each block's first
 * index fills a gap of 39 held records; the ring grows past 16 and wraps many
 * times, gaps at a block's end are skipped, and the file is in index order. */
static void test_reorder_ring(void **state)
{
	(void)state;
	char err[256] = "";
	char *path = tmp_path("ring.jsonl");
	struct export_writer *w = export_writer_open(path, err, sizeof(err));
	enum { N = 1000, B = 40 };
	assert_non_null(w);
	for (int b = 0; b < N; b += B) {
		for (int i = b + B - 1; i >= b; i--) {
			if (i % 7 == 3) {
				assert_int_equal(export_writer_skip(w, (size_t)i), 0);
				continue;
			}
			json_t *s = make_source(i);
			assert_int_equal(export_writer_add(w, (size_t)i, s), 0);
			json_decref(s);
		}
		assert_int_equal(export_writer_pending(w), 0);
		assert_int_equal(export_writer_next(w), (size_t)b + B);
	}
	assert_int_equal(export_writer_max_pending(w), B - 1);
	/* given twice while held: refused */
	json_t *s = make_source(N + 5);
	assert_int_equal(export_writer_add(w, N + 5, s), 0);
	assert_int_equal(export_writer_add(w, N + 5, s), -1);
	json_decref(s);
	assert_int_equal(export_writer_skip(w, N), 0);
	assert_int_equal(export_writer_commit(w, err, sizeof(err)), 0);

	char *text = slurp(path);
	char *p = text;
	for (int want = 0; want < N; want++) {
		if (want % 7 == 3)
			continue;
		char *expect = xasprintf("{\"integrationId\":\"id-%d\",", want);
		assert_memory_equal(p, expect, strlen(expect));
		free(expect);
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	assert_non_null(strstr(p, "\"id-1005\""));
	free(text);
	free(path);
}

static void test_abort_and_bad_extension(void **state)
{
	(void)state;
	char err[256] = "";
	char *path = tmp_path("ab.csv");
	struct export_writer *w = export_writer_open(path, err, sizeof(err));
	json_t *s = make_source(0);
	assert_int_equal(export_writer_add(w, 0, s), 0);
	json_decref(s);
	export_writer_abort(w);
	assert_int_equal(access(path, F_OK), -1);
	free(path);

	path = tmp_path("x.json");
	assert_null(export_writer_open(path, err, sizeof(err)));
	assert_non_null(strstr(err, "x.json"));
	free(path);
}

static void test_csv_layout(void **state)
{
	(void)state;
	static const char *const src_text[] = {
		"{\"integrationId\":\"id-1\",\"integrationLabel\":\"=evil()\",\"awsAccountId\":\"012345678901\","
		"\"s3Bucket\":\"bucket\",\"logProcessingRole\":\"arn:aws:iam::012345678901:role/r\","
		"\"logStreamType\":\"CloudWatchLogs\",\"managedBucketNotifications\":true,"
		"\"logStreamTypeOptions\":{\"retainEnvelopeFields\":false},"
		"\"s3PrefixLogTypes\":[{\"prefix\":\"a/\",\"logTypes\":[\"AWS.CloudTrail\",\"AWS.S3\"],"
		"\"excludedPrefixes\":[\"a/x/\"]},{\"prefix\":\"b/\",\"logTypes\":[\"Odd,Name\",\"Y\"]},"
		"{\"prefix\":\"-c/\",\"logTypes\":[\"Z\"],\"excludedPrefixes\":[]}]}",
		"{\"integrationId\":\"id-2\",\"s3Bucket\":\"b2\",\"s3PrefixLogTypes\":[{\"prefix\":\"\","
		"\"logTypes\":[\"A\"]},{\"prefix\":\"\",\"logTypes\":[]}]}",
	};
	char err[256] = "";
	char *path = tmp_path("layout.csv");
	struct export_writer *w = export_writer_open(path, err, sizeof(err));
	assert_non_null(w);
	for (size_t i = 0; i < ARRAY_SIZE(src_text); i++) {
		json_error_t je;
		json_t *s = json_loads(src_text[i], 0, &je);
		assert_non_null(s);
		assert_int_equal(export_writer_add(w, i, s), 0);
		json_decref(s);
	}
	assert_int_equal(export_writer_commit(w, err, sizeof(err)), 0);

	struct table t;
	read_csv(path, ',', &t);

	static const char *const header[] = { EXPORT_CSV_COLUMNS };
	static const char *const want[5][15] = {
		{ "id-1", "'=evil()", "012345678901", "bucket", "", "arn:aws:iam::012345678901:role/r",
		  "CloudWatchLogs", "true", "a/", "AWS.CloudTrail,AWS.S3", "a/x/", "", "false", "", "" },
		{ "", "", "", "", "", "", "", "", "b/", "[\"Odd,Name\",\"Y\"]", "", "", "", "", "" },
		{ "", "", "", "", "", "", "", "", "'-c/", "Z", "", "", "", "", "" },
		/* an empty further mapping: the whole array in s3PrefixLogTypes */
		{ "id-2", "", "", "b2", "", "", "", "", "", "", "", "", "", "",
		  "[{\"prefix\":\"\",\"logTypes\":[\"A\"]},{\"prefix\":\"\",\"logTypes\":[]}]" },
	};
	assert_int_equal(t.nrows, 5);
	for (size_t c = 0; c < 15; c++)
		assert_string_equal(t.cells[0][c], header[c]);
	for (size_t r = 1; r < 5; r++) {
		assert_int_equal(t.ncells[r], 15);
		for (size_t c = 0; c < 15; c++)
			assert_string_equal(t.cells[r][c], want[r - 1][c]);
	}
	table_release(&t);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_gap_never_filled),
		cmocka_unit_test(test_reorder_ring),
		cmocka_unit_test(test_abort_and_bad_extension),
		cmocka_unit_test(test_csv_layout),
	};
	return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
