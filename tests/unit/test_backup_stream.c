/*
 * test_backup_stream.c - import's streamed backup: every record readable as
 * soon as backup_stream_add() returns (each a complete gzip member), nothing
 * created before the first record, an existing explicit path refused, the
 * default name never replacing a file (-2 suffix), the extensions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "backup_stream.h"
#include "test_helpers.h"

static void test_records_readable_at_once(void **state)
{
	(void)state;
	char err[512];
	char *path = tmp_path("b.jsonl.gz");
	struct backup_stream *b = backup_stream_new(path, err, sizeof(err));
	assert_non_null(b);
	assert_int_not_equal(access(path, F_OK), 0);   /* nothing yet */
	assert_int_equal(backup_stream_add(b, "{\"a\":1}", 7, err, sizeof(err)), 0);
	/* complete on disk before the writer is closed */
	char *text = slurp(path);
	assert_string_equal(text, "{\"a\":1}\n");
	free(text);
	assert_int_equal(backup_stream_add(b, "{\"b\":2}", 7, err, sizeof(err)), 0);
	text = slurp(path);
	assert_string_equal(text, "{\"a\":1}\n{\"b\":2}\n");
	free(text);
	assert_int_equal(backup_stream_count(b), 2);
	assert_string_equal(backup_stream_path(b), path);
	assert_int_equal(backup_stream_close(b, err, sizeof(err)), 0);
	text = slurp(path);
	assert_string_equal(text, "{\"a\":1}\n{\"b\":2}\n");
	free(text);

	/* an explicit path that exists is refused before anything is written */
	b = backup_stream_new(path, err, sizeof(err));
	assert_null(b);
	assert_non_null(strstr(err, "exists; a backup is never replaced"));
	free(path);
}

static void test_plain_and_bad_extension(void **state)
{
	(void)state;
	char err[512];
	char *path = tmp_path("p.jsonl");
	struct backup_stream *b = backup_stream_new(path, err, sizeof(err));
	assert_non_null(b);
	assert_int_equal(backup_stream_add(b, "{}", 2, err, sizeof(err)), 0);
	assert_int_equal(backup_stream_close(b, err, sizeof(err)), 0);
	char *text = slurp(path);
	assert_string_equal(text, "{}\n");
	free(text);
	free(path);

	path = tmp_path("p.csv");
	assert_null(backup_stream_new(path, err, sizeof(err)));
	assert_non_null(strstr(err, "unsupported extension"));
	free(path);
	assert_null(backup_stream_new("/nonexistent-folder/b.jsonl.gz", err, sizeof(err)));
	assert_non_null(strstr(err, "cannot write in folder '/nonexistent-folder'"));
}

static void test_default_name_never_replaces(void **state)
{
	(void)state;
	char err[512], cwd[4096];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(tmpdir), 0);
	struct backup_stream *b1 = backup_stream_new(NULL, err, sizeof(err));
	struct backup_stream *b2 = backup_stream_new(NULL, err, sizeof(err));
	assert_non_null(b1);
	assert_non_null(b2);
	/* same second: the same first choice */
	char *first = xstrdup(backup_stream_path(b1));
	assert_non_null(strstr(first, "s3-sources-before-import-"));
	assert_int_equal(backup_stream_add(b1, "{\"one\":1}", 9, err, sizeof(err)), 0);
	if (!strcmp(first, backup_stream_path(b2))) {
		assert_int_equal(backup_stream_add(b2, "{\"two\":2}", 9, err, sizeof(err)), 0);
		assert_non_null(strstr(backup_stream_path(b2), "-2.jsonl.gz"));
		char *text = slurp(first);
		assert_string_equal(text, "{\"one\":1}\n");
		free(text);
	}
	assert_int_equal(backup_stream_close(b1, err, sizeof(err)), 0);
	assert_int_equal(backup_stream_close(b2, err, sizeof(err)), 0);
	free(first);
	assert_int_equal(chdir(cwd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_readable_at_once),
		cmocka_unit_test(test_plain_and_bad_extension),
		cmocka_unit_test(test_default_name_never_replaces),
	};
	return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
