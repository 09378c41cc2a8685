/*
 * test_results.c - the results writer: CSV quoting through libcsv (read back
 * with libcsv's parser), the formula-injection guard for each leading
 * character, JSONL escaping (read back with jansson), the exact header, the
 * flush after every record and write errors on /dev/full.
 */
#include <errno.h>
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
#include "util.h"

#include "test_helpers.h"

static struct result sample(const char *error)
{
	struct result r = {
		.row = 7, .line = 9, .action = ACTION_CREATE, .outcome = OUTCOME_FAILED,
		.http_status = 400, .id = NULL, .label = "my label", .attempts = 2,
		.elapsed_ms = 1234, .error = error, .warning = NULL,
		.fingerprint = "abc123", .changes = "kmsKey (cleared)",
	};
	return r;
}

static void test_header_exact(void **state)
{
	(void)state;
	char err[256];
	char *path = tmp_path("h.csv");
	struct results_writer *w = results_open(path, err, sizeof(err));
	assert_non_null(w);
	assert_int_equal(results_close(w, err, sizeof(err)), 0);
	char *text = slurp(path);
	assert_string_equal(text, "row,line,action,outcome,httpStatus,integrationId,"
			    "integrationLabel,attempts,elapsedMs,error,warning,fingerprint,changes\n");
	free(text);
	free(path);
}

static void test_csv_quoting(void **state)
{
	(void)state;
	static const char *const cells[] = {
		"plain", "with,comma", "with \"quotes\"", "multi\nline", "crlf\r\nend",
		" leading space", "trailing space ", "semi;colon", "",
	};
	char err[256];
	char *path = tmp_path("q.csv");
	struct results_writer *w = results_open(path, err, sizeof(err));
	assert_non_null(w);
	for (size_t i = 0; i < ARRAY_SIZE(cells); i++) {
		struct result r = sample(cells[i]);
		r.label = cells[i];
		assert_int_equal(results_write(w, &r), 0);
	}
	assert_int_equal(results_close(w, err, sizeof(err)), 0);

	struct table t;
	read_csv(path, ',', &t);
	assert_int_equal(t.nrows, 1 + ARRAY_SIZE(cells));
	for (size_t i = 0; i < ARRAY_SIZE(cells); i++) {
		assert_int_equal(t.ncells[i + 1], 13);
		assert_string_equal(t.cells[i + 1][0], "7");
		assert_string_equal(t.cells[i + 1][2], "create");
		assert_string_equal(t.cells[i + 1][3], "failed");
		assert_string_equal(t.cells[i + 1][4], "400");
		assert_string_equal(t.cells[i + 1][5], "");
		assert_string_equal(t.cells[i + 1][6], cells[i]);
		assert_string_equal(t.cells[i + 1][9], cells[i]);
		assert_string_equal(t.cells[i + 1][11], "abc123");
		assert_string_equal(t.cells[i + 1][12], "kmsKey (cleared)");
	}
	table_release(&t);
	free(path);
}

static void test_formula_guard(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } cases[] = {
		{ "=1+1", "'=1+1" }, { "+1", "'+1" }, { "-1", "'-1" }, { "@SUM(A1)", "'@SUM(A1)" },
		{ "\tx", "'\tx" }, { "\rx", "'\rx" }, { "\nx", "'\nx" },
		{ "a=1", "a=1" }, { "'=x", "''=x" }, { "''-x", "'''-x" }, { "'x", "'x" }, { "'", "'" },
		{ "", "" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(csv_cell_needs_guard(cases[i].in),
				 strcmp(cases[i].in, cases[i].out) != 0);

	char err[256];
	char *path = tmp_path("f.csv");
	struct results_writer *w = results_open(path, err, sizeof(err));
	assert_non_null(w);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct result r = sample(cases[i].in);
		r.warning = cases[i].in;
		assert_int_equal(results_write(w, &r), 0);
	}
	assert_int_equal(results_close(w, err, sizeof(err)), 0);
	struct table t;
	read_csv(path, ',', &t);
	assert_int_equal(t.nrows, 1 + ARRAY_SIZE(cases));
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_string_equal(t.cells[i + 1][9], cases[i].out);
		assert_string_equal(t.cells[i + 1][10], cases[i].out);
	}
	table_release(&t);
	free(path);
}

static void test_jsonl_escaping(void **state)
{
	(void)state;
	static const char *const errors[] = {
		"say \"hi\"", "ctl\x01\x1f tab\t nl\n", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		"back\\slash", "=formula",
	};
	char err[256];
	char *path = tmp_path("e.jsonl");
	struct results_writer *w = results_open(path, err, sizeof(err));
	assert_non_null(w);
	for (size_t i = 0; i < ARRAY_SIZE(errors); i++) {
		struct result r = sample(errors[i]);
		if (i == 0)
			r.http_status = 0;
		assert_int_equal(results_write(w, &r), 0);
	}
	assert_int_equal(results_close(w, err, sizeof(err)), 0);

	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[1024];
	static const char *const keys[] = { RESULTS_COLUMNS };
	for (size_t i = 0; i < ARRAY_SIZE(errors); i++) {
		assert_non_null(fgets(line, sizeof(line), f));
		assert_non_null(strchr(line, '\n'));
		assert_null(strchr(line, '\n') + 1 == line + strlen(line) ? NULL : "extra newline");
		json_error_t je;
		json_t *o = json_loads(line, 0, &je);
		assert_non_null(o);
		assert_string_equal(json_string_value(json_object_get(o, "error")), errors[i]);
		/* every key, in the column order */
		size_t k = 0;
		const char *key;
		json_t *v;
		json_object_foreach(o, key, v) {
			assert_true(k < ARRAY_SIZE(keys));
			assert_string_equal(key, keys[k]);
			k++;
		}
		assert_int_equal(k, ARRAY_SIZE(keys));
		assert_int_equal(json_integer_value(json_object_get(o, "row")), 7);
		assert_int_equal(json_integer_value(json_object_get(o, "elapsedMs")), 1234);
		if (i == 0)
			assert_true(json_is_null(json_object_get(o, "httpStatus")));
		else
			assert_int_equal(json_integer_value(json_object_get(o, "httpStatus")), 400);
		assert_string_equal(json_string_value(json_object_get(o, "integrationId")), "");
		json_decref(o);
	}
	assert_null(fgets(line, sizeof(line), f));
	fclose(f);
	free(path);
}

static size_t count_lines(const char *path)
{
	char *text = slurp(path);
	size_t n = 0;
	for (char *p = text; *p; p++)
		n += *p == '\n';
	free(text);
	return n;
}

static void test_flush_per_record(void **state)
{
	(void)state;
	static const char *const names[] = { "fl.csv", "fl.jsonl" };
	for (size_t k = 0; k < ARRAY_SIZE(names); k++) {
		char err[256];
		char *path = tmp_path(names[k]);
		struct results_writer *w = results_open(path, err, sizeof(err));
		assert_non_null(w);
		size_t base = k == 0 ? 1 : 0;
		for (size_t i = 0; i < 3; i++) {
			struct result r = sample("x");
			assert_int_equal(results_write(w, &r), 0);
			/* read back before close: the record is already on disk */
			assert_int_equal(count_lines(path), base + i + 1);
		}
		assert_int_equal(results_close(w, err, sizeof(err)), 0);
		free(path);
	}
}

static void test_dev_full(void **state)
{
	(void)state;
	if (access("/dev/full", W_OK)) {
		skip();
		return;
	}
	char err[256] = "";
	char *csv = tmp_path("full.csv");
	char *jsonl = tmp_path("full.jsonl");
	assert_int_equal(symlink("/dev/full", csv), 0);
	assert_int_equal(symlink("/dev/full", jsonl), 0);

	/* CSV: the header is flushed at open, which fails */
	assert_null(results_open(csv, err, sizeof(err)));
	assert_non_null(strstr(err, "full.csv"));

	struct results_writer *w = results_open(jsonl, err, sizeof(err));
	assert_non_null(w);
	struct result r = sample("x");
	errno = 0;
	assert_int_equal(results_write(w, &r), -1);
	assert_int_equal(errno, ENOSPC);
	assert_int_equal(results_write(w, &r), -1);
	err[0] = '\0';
	assert_int_equal(results_close(w, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "full.jsonl"));
	free(csv);
	free(jsonl);
}

static void test_bad_extension(void **state)
{
	(void)state;
	char err[256] = "";
	char *path = tmp_path("r.txt");
	assert_null(results_open(path, err, sizeof(err)));
	assert_non_null(strstr(err, "r.txt"));
	assert_int_equal(access(path, F_OK), -1);
	free(path);
}

/* Every outcome's name parses back to it; success is exactly the five, and
 * an unknown or missing name is refused. */
static void test_outcome_names(void **state)
{
	(void)state;
	static const enum outcome all[] = {
		OUTCOME_CREATED, OUTCOME_MODIFIED, OUTCOME_EXPORTED, OUTCOME_DELETED,
		OUTCOME_INVALID, OUTCOME_FAILED, OUTCOME_SKIPPED, OUTCOME_VALID,
	};
	int successes = 0;
	for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
		enum outcome o = OUTCOME_NONE;
		assert_int_equal(outcome_parse(outcome_name(all[i]), &o), 0);
		assert_int_equal(o, all[i]);
		successes += outcome_is_success(all[i]);
	}
	assert_int_equal(successes, 5);
	assert_false(outcome_is_success(OUTCOME_FAILED));
	assert_false(outcome_is_success(OUTCOME_SKIPPED));
	assert_true(outcome_is_success(OUTCOME_VALID));
	enum outcome o = OUTCOME_CREATED;
	assert_int_equal(outcome_parse("Created", &o), -1);
	assert_int_equal(outcome_parse("", &o), -1);
	assert_int_equal(outcome_parse(NULL, &o), -1);
	assert_int_equal(o, OUTCOME_CREATED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_exact),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_formula_guard),
		cmocka_unit_test(test_jsonl_escaping),
		cmocka_unit_test(test_flush_per_record),
		cmocka_unit_test(test_dev_full),
		cmocka_unit_test(test_bad_extension),
		cmocka_unit_test(test_outcome_names),
	};
	return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
