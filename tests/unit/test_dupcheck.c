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

/* Lines are kept as one-byte steps with exact values for big ones: every
 * key's line comes back exactly, whatever the steps (0, 254, 255, 256, huge,
 * backwards) and wherever they fall against the 64-key checkpoints. */
static void test_lines_exact(void **state)
{
	(void)state;
	static const long steps[] = { 1, 0, 254, 255, 256, 70000, 3, 1, -5, 2, 253, 1000000 };
	enum { N = 9000 };
	static size_t lines[N];
	struct dupcheck *dc = dupcheck_new();
	char key[32];
	long line = 2;

	for (size_t i = 0; i < N; i++) {
		line += steps[(i * 7 + i / 64) % (sizeof(steps) / sizeof(steps[0]))];
		if (line < 1)
			line = 1;
		lines[i] = (size_t)line;
		snprintf(key, sizeof(key), "id-%zu", i);
		assert_int_equal(dupcheck_add(dc, DUP_ID, key, lines[i]), 0);
	}
	for (size_t i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "id-%zu", i);
		size_t got = dupcheck_add(dc, DUP_ID, key, 1);
		if (got != lines[i])
			fail_msg("key %zu: line %zu came back as %zu", i, lines[i], got);
	}
	dupcheck_free(dc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_lines_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
