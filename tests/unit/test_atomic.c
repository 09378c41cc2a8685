/*
 * test_atomic.c - atomically written files: the target is untouched until
 * commit, no temporary is left after commit, abort or atomic_cleanup_all, gzip
 * output is complete and readable, the mode honours the umask, and a folder
 * that does not exist is a clear error.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "atomic.h"
#include "util.h"

#include "test_helpers.h"

/* A fresh empty folder per test. */
static char *fresh_dir(const char *name)
{
	char *d = tmp_path(name);
	assert_int_equal(mkdir(d, 0755), 0);
	return d;
}

static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;
	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_untouched_until_commit(void **state)
{
	(void)state;
	char err[256];
	char *dir = fresh_dir("commit");
	char *path = xasprintf("%s/out.jsonl", dir);
	write_file(path, "old\n");

	struct atomic_file *af = atomic_open(path, -1, err, sizeof(err));
	assert_non_null(af);
	assert_int_equal(atomic_write(af, "new\n", 4), 0);
	assert_int_equal(atomic_write(af, "more\n", 5), 0);
	char *text = slurp(path);
	assert_string_equal(text, "old\n");
	free(text);
	assert_int_equal(count_entries(dir), 2);   /* target + temporary */
	assert_int_equal(atomic_bytes(af), 9);

	assert_int_equal(atomic_commit(af, err, sizeof(err)), 0);
	text = slurp(path);
	assert_string_equal(text, "new\nmore\n");
	free(text);
	assert_int_equal(count_entries(dir), 1);
	free(path);
	free(dir);
}

static void test_abort_leaves_target(void **state)
{
	(void)state;
	char err[256];
	char *dir = fresh_dir("abort");
	char *path = xasprintf("%s/out.csv", dir);
	char *fresh = xasprintf("%s/never.csv", dir);
	write_file(path, "old\n");

	struct atomic_file *af = atomic_open(path, 0, err, sizeof(err));
	assert_non_null(af);
	assert_int_equal(atomic_write(af, "partial", 7), 0);
	atomic_abort(af);
	char *text = slurp(path);
	assert_string_equal(text, "old\n");
	free(text);
	assert_int_equal(count_entries(dir), 1);

	/* abort of a file that did not exist: nothing at all */
	af = atomic_open(fresh, 0, err, sizeof(err));
	assert_non_null(af);
	atomic_abort(af);
	assert_int_equal(access(fresh, F_OK), -1);
	assert_int_equal(count_entries(dir), 1);
	free(fresh);
	free(path);
	free(dir);
}

static void test_cleanup_all(void **state)
{
	(void)state;
	char err[256];
	char *dir = fresh_dir("cleanup");
	char *a = xasprintf("%s/a.jsonl", dir);
	char *b = xasprintf("%s/b.jsonl.gz", dir);
	struct atomic_file *fa = atomic_open(a, -1, err, sizeof(err));
	struct atomic_file *fb = atomic_open(b, -1, err, sizeof(err));
	assert_non_null(fa);
	assert_non_null(fb);
	assert_int_equal(count_entries(dir), 2);
	atomic_cleanup_all();   /* as a signal handler would */
	assert_int_equal(count_entries(dir), 0);
	atomic_abort(fa);
	atomic_abort(fb);
	assert_int_equal(count_entries(dir), 0);
	free(a);
	free(b);
	free(dir);
}

static void test_gzip_complete(void **state)
{
	(void)state;
	char err[256];
	char *dir = fresh_dir("gzip");
	char *path = xasprintf("%s/out.jsonl.gz", dir);
	struct strbuf want = STRBUF_INIT;
	strbuf_init(&want, 1 << 16);

	struct atomic_file *af = atomic_open(path, -1, err, sizeof(err));
	assert_non_null(af);
	for (int i = 0; i < 20000; i++) {
		char line[64];
		int n = snprintf(line, sizeof(line), "{\"integrationId\":\"id-%d\"}\n", i);
		strbuf_add(&want, line, (size_t)n);
		assert_int_equal(atomic_write(af, line, (size_t)n), 0);
	}
	assert_int_equal(atomic_commit(af, err, sizeof(err)), 0);

	unsigned char magic[2];
	FILE *raw = fopen(path, "rb");
	assert_non_null(raw);
	assert_int_equal(fread(magic, 1, 2, raw), 2);
	fclose(raw);
	assert_int_equal(magic[0], 0x1f);
	assert_int_equal(magic[1], 0x8b);

	char *got = slurp(path);   /* decompressed */
	assert_int_equal(strlen(got), want.len);
	assert_memory_equal(got, want.buf, want.len);
	free(got);
	strbuf_release(&want);
	assert_int_equal(count_entries(dir), 1);
	free(path);
	free(dir);
}

static void test_mode_honours_umask(void **state)
{
	(void)state;
	char err[256];
	char *dir = fresh_dir("mode");
	char *path = xasprintf("%s/out.csv", dir);
	mode_t old = umask(027);
	struct atomic_file *af = atomic_open(path, 0, err, sizeof(err));
	umask(old);
	assert_non_null(af);
	assert_int_equal(atomic_commit(af, err, sizeof(err)), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	free(path);
	free(dir);
}

static void test_missing_folder(void **state)
{
	(void)state;
	char err[256] = "";
	char *path = tmp_path("no/such/dir/out.csv");
	assert_null(atomic_open(path, 0, err, sizeof(err)));
	assert_non_null(strstr(err, path));
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_untouched_until_commit),
		cmocka_unit_test(test_abort_leaves_target),
		cmocka_unit_test(test_cleanup_all),
		cmocka_unit_test(test_gzip_complete),
		cmocka_unit_test(test_mode_honours_umask),
		cmocka_unit_test(test_missing_folder),
	};
	return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
