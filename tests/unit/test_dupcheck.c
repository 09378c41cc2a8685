/*
 * test_dupcheck.c - the cross-file duplicate table: many distinct keys through
 * several index rebuilds are never taken for duplicates, every repeat names the
 * line where its key was first seen, and labels and IDs are kept apart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "source_internal.h"

static void test_many_keys(void **state)
{
	(void)state;
	enum { N = 300000 };
	struct dupcheck *dc = dupcheck_new();
	char key[32];

	for (size_t i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "label-%zu", i);
		size_t prev = dupcheck_add(dc, DUP_LABEL, key, i + 2);
		if (prev)
			fail_msg("'%s' (line %zu) taken for a repeat of line %zu", key, i + 2, prev);
	}
	assert_int_equal(dupcheck_count(dc), N);
	for (size_t i = 0; i < N; i += 997) {
		snprintf(key, sizeof(key), "label-%zu", i);
		assert_int_equal(dupcheck_add(dc, DUP_LABEL, key, N + 10), i + 2);
		/* the same text as an ID is another key */
		assert_int_equal(dupcheck_add(dc, DUP_ID, key, 7), 0);
		assert_int_equal(dupcheck_add(dc, DUP_ID, key, 9), 7);
	}
	dupcheck_free(dc);
}

static void test_small(void **state)
{
	(void)state;
	struct dupcheck *dc = dupcheck_new();
	assert_int_equal(dupcheck_add(dc, DUP_LABEL, "prod-alb", 3), 0);
	assert_int_equal(dupcheck_add(dc, DUP_LABEL, "prod-albx", 4), 0);
	assert_int_equal(dupcheck_add(dc, DUP_LABEL, "prod-alb", 9), 3);
	assert_int_equal(dupcheck_add(dc, DUP_LABEL, "", 10), 0);
	assert_int_equal(dupcheck_add(dc, DUP_LABEL, "", 11), 10);
	assert_int_equal(dupcheck_count(dc), 3);
	dupcheck_free(dc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_many_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
