/*
 * test_outputs.c - the one check of every path (outputs.c) and the outputs
 * that never replace a file: two paths naming one file (the same string, a
 * symbolic link, a hard link, "..", a file not there yet) are refused, reading
 * one file twice is not; an existing non-empty results path needs overwrite;
 * a backup must not exist; an output in a missing folder is refused; "-2"
 * names keep the extensions; O_EXCL creation steps past taken names; an
 * atomic file kept-existing lands beside an existing target, untouched.
 */
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
#include "outputs.h"
#include "util.h"

#include "test_helpers.h"

static int check2own(const char *a, enum path_kind ka, const char *b, enum path_kind kb,
		     enum own_kind own, int overwrite)
{
	struct path_use v[] = { { "first", a, ka, OWN_NONE }, { "second", b, kb, own } };
	return outputs_check(v, 2, overwrite);
}

static int check2(const char *a, enum path_kind ka, const char *b, enum path_kind kb, int overwrite)
{
	return check2own(a, ka, b, kb, OWN_NONE, overwrite);
}

static void test_same_file(void **state)
{
	(void)state;
	char *in = tmp_path("in.csv");
	char *sym = tmp_path("sym.csv");
	char *hard = tmp_path("hard.csv");
	char *dots = xasprintf("%s/./sub/../in.csv", tmpdir);
	char *sub = tmp_path("sub");
	char *fresh = tmp_path("fresh.csv");
	char *fresh2 = xasprintf("%s/sub/../fresh.csv", tmpdir);
	char *other = tmp_path("other.csv");

	write_file(in, "a,b\n1,2\n");
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(symlink(in, sym), 0);
	assert_int_equal(link(in, hard), 0);

	assert_int_equal(check2(in, PATH_READ, in, PATH_RESULTS, 1), -1);
	assert_int_equal(check2(in, PATH_READ, sym, PATH_RESULTS, 1), -1);
	assert_int_equal(check2(in, PATH_READ, hard, PATH_RESULTS, 1), -1);
	assert_int_equal(check2(in, PATH_READ, dots, PATH_RESULTS, 1), -1);
	assert_int_equal(check2(fresh, PATH_RESULTS, fresh2, PATH_RESULTS, 0), -1);
	assert_int_equal(check2(fresh, PATH_RESULTS, fresh, PATH_KEPT, 0), -1);
	assert_int_equal(check2(in, PATH_READ, sym, PATH_READ, 0), 0);     /* read twice: fine */
	assert_int_equal(check2(in, PATH_READ, other, PATH_RESULTS, 0), 0);
	assert_int_equal(check2(in, PATH_READ, NULL, PATH_RESULTS, 0), 0);  /* unused option */
	assert_int_equal(check2(in, PATH_READ, in, PATH_DEFAULT, 0), 0);    /* a default never replaces */
	assert_int_equal(check2("-", PATH_RESULTS, "-", PATH_RESULTS, 0), -1);
	free(in), free(sym), free(hard), free(dots), free(sub), free(fresh), free(fresh2), free(other);
}

static void test_existing_and_writable(void **state)
{
	(void)state;
	char *old = tmp_path("old.results.csv");
	char *empty = tmp_path("empty.csv");
	char *missing = tmp_path("no/such/r.csv");
	char *in = tmp_path("in2.csv");

	write_file(old, "row\n");
	write_file(empty, "");
	write_file(in, "x\n");
	assert_int_equal(check2(in, PATH_READ, old, PATH_RESULTS, 0), -1);
	assert_int_equal(check2(in, PATH_READ, old, PATH_RESULTS, 1), 0);
	assert_int_equal(check2(in, PATH_READ, empty, PATH_RESULTS, 0), 0);
	assert_int_equal(check2(in, PATH_READ, old, PATH_KEPT, 1), -1);     /* never replaced */
	/* export -o, list -o, report -o: only their own kind of file is replaced */
	assert_int_equal(check2own(in, PATH_READ, old, PATH_REPLACED, OWN_BACKUP, 0), -1);
	assert_int_equal(check2own(in, PATH_READ, old, PATH_REPLACED, OWN_BACKUP, 1), 0);
	assert_int_equal(check2own(in, PATH_READ, empty, PATH_REPLACED, OWN_BACKUP, 0), 0);
	char *bk = tmp_path("b.jsonl"), *res = tmp_path("r.jsonl"), *lst = tmp_path("l.csv");
	write_file(bk, "{\"integrationId\":\"i\",\"s3Bucket\":\"b\"}\n");
	write_file(res, "{\"integrationId\":\"i\",\"s3Bucket\":\"b\",\"outcome\":\"created\"}\n");
	write_file(lst, "\xEF\xBB\xBFintegrationId,integrationLabel,awsAccountId,s3Bucket\r\n");
	assert_int_equal(check2own(in, PATH_READ, bk, PATH_REPLACED, OWN_BACKUP, 0), 0);
	assert_int_equal(check2own(in, PATH_READ, res, PATH_REPLACED, OWN_BACKUP, 0), -1);
	assert_int_equal(check2own(in, PATH_READ, lst, PATH_REPLACED, OWN_LISTING, 0), 0);
	assert_int_equal(check2own(in, PATH_READ, lst, PATH_REPLACED, OWN_BACKUP, 0), -1);
	assert_int_equal(check2own(in, PATH_READ, bk, PATH_REPLACED, OWN_REPORT, 0), -1);
	free(bk), free(res), free(lst);
	assert_int_equal(check2(in, PATH_READ, missing, PATH_RESULTS, 0), -1);
	assert_int_equal(check2(in, PATH_READ, missing, PATH_DEFAULT, 0), -1);
	assert_int_equal(check2(in, PATH_READ, tmpdir, PATH_RESULTS, 1), -1); /* a folder */
	free(old), free(empty), free(missing), free(in);
}

static void test_suffix(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } cases[] = {
		{ "s3src-import-20260101T000000Z.results.csv", "s3src-import-20260101T000000Z-2.results.csv" },
		{ "x.failed.jsonl", "x-2.failed.jsonl" },
		{ "dir.v1/s3-sources-deleted-Z.jsonl.gz", "dir.v1/s3-sources-deleted-Z-2.jsonl.gz" },
		{ "backup.csv.gz", "backup-2.csv.gz" },
		{ "noext", "noext-2" },
		{ ".csv", ".csv-2" },
		{ "my.data.csv", "my.data-2.csv" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = path_with_suffix(cases[i].in, 2);
		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

static void test_create_exclusive(void **state)
{
	(void)state;
	char err[256];
	char *want = tmp_path("r.results.csv");
	char *second = tmp_path("r-2.results.csv");

	write_file(want, "run 1\n");
	char *got = create_exclusive(want, err, sizeof(err));
	assert_non_null(got);
	assert_string_equal(got, second);
	char *again = create_exclusive(want, err, sizeof(err));
	assert_non_null(again);
	assert_non_null(strstr(again, "r-3.results.csv"));
	char *kept = slurp(want);
	assert_string_equal(kept, "run 1\n");
	free(kept), free(got), free(again), free(want), free(second);
}

static void test_atomic_keep_existing(void **state)
{
	(void)state;
	char err[256];
	char *target = tmp_path("b.jsonl");
	char *landed = NULL;

	write_file(target, "first backup\n");
	struct atomic_file *af = atomic_open(target, 0, err, sizeof(err));
	assert_non_null(af);
	atomic_keep_existing(af, &landed);
	assert_int_equal(atomic_write(af, "second\n", 7), 0);
	assert_int_equal(atomic_commit(af, err, sizeof(err)), 0);
	assert_non_null(landed);
	assert_non_null(strstr(landed, "b-2.jsonl"));
	char *a = slurp(target), *b = slurp(landed);
	assert_string_equal(a, "first backup\n");
	assert_string_equal(b, "second\n");
	free(a), free(b), free(landed), free(target);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_file),
		cmocka_unit_test(test_existing_and_writable),
		cmocka_unit_test(test_suffix),
		cmocka_unit_test(test_create_exclusive),
		cmocka_unit_test(test_atomic_keep_existing),
	};
	return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
