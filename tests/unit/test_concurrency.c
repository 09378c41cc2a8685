/*
 * test_concurrency.c - the AIMD controller: a 429 halves the limit, never
 * below 1, once per window; successes climb back by one per `limit` of them,
 * never above -j.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "concurrency.h"

static void test_halving_and_floor(void **state)
{
	(void)state;
	struct aimd a;
	static const unsigned want[] = { 16, 8, 4, 2, 1, 1, 1 };
	size_t i;

	aimd_init(&a, 32);
	assert_int_equal(a.limit, 32);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(aimd_throttled(&a, a.epoch), 1);
		assert_int_equal(a.limit, want[i]);
	}
}

static void test_once_per_window(void **state)
{
	(void)state;
	struct aimd a;
	unsigned old;

	aimd_init(&a, 8);
	old = a.epoch;                  /* eight requests started in this epoch */
	assert_int_equal(aimd_throttled(&a, old), 1);
	assert_int_equal(a.limit, 4);
	/* the other seven 429s of that window do not halve again */
	assert_int_equal(aimd_throttled(&a, old), 0);
	assert_int_equal(a.limit, 4);
	/* a request started after the halving does */
	assert_int_equal(aimd_throttled(&a, a.epoch), 1);
	assert_int_equal(a.limit, 2);
}

static void test_slow_climb_and_ceiling(void **state)
{
	(void)state;
	struct aimd a;
	unsigned l, i, total = 0;

	aimd_init(&a, 8);
	aimd_throttled(&a, a.epoch);
	aimd_throttled(&a, a.epoch);
	aimd_throttled(&a, a.epoch);
	assert_int_equal(a.limit, 1);
	/* from l to l+1 takes l successes: 1+2+...+7 = 28 to get back to 8 */
	for (l = 1; l < 8; l++) {
		for (i = 0; i + 1 < l; i++) {
			aimd_success(&a);
			total++;
			assert_int_equal(a.limit, l);
		}
		aimd_success(&a);
		total++;
		assert_int_equal(a.limit, l + 1);
	}
	assert_int_equal(total, 28);
	for (i = 0; i < 100; i++)
		aimd_success(&a);
	assert_int_equal(a.limit, 8);
}

static void test_zero_max(void **state)
{
	(void)state;
	struct aimd a;

	aimd_init(&a, 0);
	assert_int_equal(a.limit, 1);
	aimd_throttled(&a, a.epoch);
	assert_int_equal(a.limit, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_halving_and_floor),
		cmocka_unit_test(test_once_per_window),
		cmocka_unit_test(test_slow_climb_and_ceiling),
		cmocka_unit_test(test_zero_max),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
