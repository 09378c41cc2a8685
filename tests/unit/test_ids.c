/*
 * test_ids.c - ID lists: arguments plus a plain list with comments and blank
 * lines, a CSV results file (written by results.c, so guarded cells too), a
 * semicolon CSV import sheet, a JSONL export file, gzip, duplicates dropped
 * keeping the first occurrence and its line, and bad JSONL naming the line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "ids.h"
#include "results.h"
#include "util.h"

#include "test_helpers.h"

struct want {
	const char *id;
	size_t line;
};

static void check(const struct id_list *l, const struct want *w, size_t n)
{
	assert_int_equal(l->n, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(l->v[i].id, w[i].id);
		assert_int_equal(l->v[i].line, w[i].line);
	}
}

static void test_plain_list(void **state)
{
	(void)state;
	char err[256] = "";
	char *path = write_tmp("ids.txt",
		"# nightly backup\n"
		"\n"
		"  id-b  \r\n"
		"id-a\n"
		"# id-c commented\n"
		"id-b\n"
		"id-d");
	struct id_list l;
	id_list_init(&l);
	assert_int_equal(id_list_add(&l, "id-a", 0), 1);    /* from the arguments */
	assert_int_equal(id_list_load(&l, path, err, sizeof(err)), 0);
	static const struct want w[] = { { "id-a", 0 }, { "id-b", 3 }, { "id-d", 7 } };
	check(&l, w, ARRAY_SIZE(w));
	assert_int_equal(l.duplicates, 2);
	id_list_release(&l);
	free(path);
}

static void test_csv_results_file(void **state)
{
	(void)state;
	char err[256] = "";
	char *path = tmp_path("r.results.csv");
	struct results_writer *rw = results_open(path, err, sizeof(err));
	assert_non_null(rw);
	static const char *const ids[] = { "id-1", NULL, "-weird", "id-1", "id-2" };
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		struct result r = { .row = i + 1, .line = i + 2, .action = ACTION_CREATE,
				    .outcome = ids[i] ? OUTCOME_CREATED : OUTCOME_FAILED,
				    .id = ids[i], .label = "multi\nline label", .error = "a,b" };
		assert_int_equal(results_write(rw, &r), 0);
	}
	assert_int_equal(results_close(rw, err, sizeof(err)), 0);

	struct id_list l;
	id_list_init(&l);
	assert_int_equal(id_list_load(&l, path, err, sizeof(err)), 0);
	/* each record spans 2 physical lines (the label) */
	static const struct want w[] = { { "id-1", 2 }, { "-weird", 6 }, { "id-2", 10 } };
	check(&l, w, ARRAY_SIZE(w));
	assert_int_equal(l.duplicates, 1);
	id_list_release(&l);
	free(path);

	path = write_tmp("sheet.csv", "AWS Account ID;integration_id;Label\n1;x-1;a\n2;;b\n3;x-2;c\n");
	id_list_init(&l);
	assert_int_equal(id_list_load(&l, path, err, sizeof(err)), 0);
	static const struct want w2[] = { { "x-1", 2 }, { "x-2", 4 } };
	check(&l, w2, ARRAY_SIZE(w2));
	id_list_release(&l);
	free(path);
}

static void test_jsonl_export_gzip(void **state)
{
	(void)state;
	char err[256] = "";
	char *path = write_tmp("backup.jsonl.gz",
		"{\"integrationId\":\"s-1\",\"s3Bucket\":\"b\"}\n"
		"\n"
		"{\"s3Bucket\":\"c\",\"integrationId\":\"s-2\"}\n"
		"{\"integrationId\":\"s-1\"}\n");

	struct id_list l;
	id_list_init(&l);
	assert_int_equal(id_list_load(&l, path, err, sizeof(err)), 0);
	static const struct want w[] = { { "s-1", 1 }, { "s-2", 3 } };
	check(&l, w, ARRAY_SIZE(w));
	assert_int_equal(l.duplicates, 1);
	id_list_release(&l);
	free(path);
}

static void test_bad_jsonl(void **state)
{
	(void)state;
	static const struct { const char *text, *want; } cases[] = {
		{ "{\"integrationId\":\"a\"}\n{\"s3Bucket\":\"b\"}\n", ":2: integrationId: missing" },
		{ "{\"integrationId\":\"a\"}\n{broken\n", ":2:" },
		{ "{\"integrationId\":5}\n", ":1: integrationId: must be" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char err[256] = "";
		char *name = xasprintf("bad%zu.jsonl", i);
		char *path = write_tmp(name, cases[i].text);
		struct id_list l;
		id_list_init(&l);
		assert_int_equal(id_list_load(&l, path, err, sizeof(err)), -1);
		if (!strstr(err, path) || !strstr(err, cases[i].want))
			fail_msg("got '%s', want '%s'", err, cases[i].want);
		id_list_release(&l);
		free(path);
		free(name);
	}
	char err[256] = "";
	struct id_list l;
	id_list_init(&l);
	assert_int_equal(id_list_load(&l, "/nonexistent/ids.txt", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/ids.txt"));
	id_list_release(&l);
}

static void test_many_duplicates(void **state)
{
	(void)state;
	struct id_list l;
	id_list_init(&l);
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 5000; i++) {
			char id[32];
			snprintf(id, sizeof(id), "id-%d", i);
			assert_int_equal(id_list_add(&l, id, (size_t)(round * 5000 + i + 1)), round == 0);
		}
	}
	assert_int_equal(l.n, 5000);
	assert_int_equal(l.duplicates, 5000);
	assert_string_equal(l.v[4999].id, "id-4999");
	assert_int_equal(l.v[4999].line, 5000);
	id_list_release(&l);
}

/* An --ids file (a gzip results CSV, a plain list) cut short: the load fails
 * and the error names the file and the line where reading stopped. */
static void test_truncated_gzip(void **state)
{
	(void)state;
	static const char *const names[] = { "ids-cut.csv.gz", "ids-cut.txt.gz" };

	for (size_t k = 0; k < ARRAY_SIZE(names); k++) {
		struct strbuf sb = STRBUF_INIT;
		struct id_list l;
		char err[512] = "";
		int csv = strstr(names[k], ".csv") != NULL;

		if (csv)
			strbuf_addstr(&sb, "row,line,outcome,integrationId\n");
		for (unsigned i = 0; i < 5000; i++) {
			if (csv)
				strbuf_addf(&sb, "%u,%u,created,id-%u-%x\n", i + 1, i + 2, i, i * 2654435761u);
			else
				strbuf_addf(&sb, "id-%u-%x\n", i, i * 2654435761u);
		}
		char *path = tmp_path(names[k]);
		write_file(path, sb.buf);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		assert_int_equal(fseek(f, 0, SEEK_END), 0);
		long size = ftell(f);
		fclose(f);
		assert_int_equal(truncate(path, size / 2), 0);

		id_list_init(&l);
		assert_int_equal(id_list_load(&l, path, err, sizeof(err)), -1);
		char *at = strstr(err, ".gz:");
		if (!at || strncmp(err, path, strlen(path)) || atoi(at + 4) < 2)
			fail_msg("%s: the error does not name the file and line: %s", names[k], err);
		id_list_release(&l);
		free(path);
		strbuf_release(&sb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_list),
		cmocka_unit_test(test_truncated_gzip),
		cmocka_unit_test(test_csv_results_file),
		cmocka_unit_test(test_jsonl_export_gzip),
		cmocka_unit_test(test_bad_jsonl),
		cmocka_unit_test(test_many_duplicates),
	};
	return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
