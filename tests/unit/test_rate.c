/*
 * test_rate.c - the --rate token bucket on a simulated clock: 100 requests at
 * 20/s span about 5 s, fractional rates space requests as 1/R, an idle spell
 * does not let a burst through, and rate 0 never waits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rate.h"

/* Takes n tokens as soon as each is available; returns the time of the last. */
static int64_t run(struct rate *r, int64_t now, int n, int64_t *gaps_min)
{
	int64_t last = -1;
	int got = 0;

	*gaps_min = INT64_MAX;
	while (got < n) {
		int64_t w = rate_wait_ms(r, now);
		if (w > 0) {
			assert_int_equal(rate_take(r, now), 0);
			now += w;
			continue;
		}
		assert_int_equal(rate_take(r, now), 1);
		if (last >= 0 && now - last < *gaps_min)
			*gaps_min = now - last;
		last = now;
		got++;
	}
	return last;
}

static void test_twenty_per_second(void **state)
{
	(void)state;
	struct rate r;
	int64_t gap, last;

	rate_init(&r, 20, 1000);
	last = run(&r, 1000, 100, &gap);
	/* the first at once, then one every 50 ms: 99 gaps */
	assert_in_range(last - 1000, 4900, 5000);
	assert_int_equal(gap, 50);
}

static void test_fractional(void **state)
{
	(void)state;
	struct rate r;
	int64_t gap, last;

	rate_init(&r, 0.5, 0);          /* one every 2 s */
	last = run(&r, 0, 4, &gap);
	assert_in_range(last, 5990, 6010);
	assert_in_range(gap, 1999, 2001);

	rate_init(&r, 2.5, 0);          /* one every 400 ms */
	last = run(&r, 0, 11, &gap);
	assert_in_range(last, 3990, 4010);
	assert_in_range(gap, 399, 401);
}

static void test_no_burst(void **state)
{
	(void)state;
	struct rate r;

	rate_init(&r, 10, 0);
	assert_int_equal(rate_take(&r, 0), 1);
	assert_int_equal(rate_take(&r, 0), 0);
	/* idle for a minute: still only one token */
	assert_int_equal(rate_take(&r, 60000), 1);
	assert_int_equal(rate_take(&r, 60000), 0);
	assert_int_equal(rate_wait_ms(&r, 60000), 100);
	assert_int_equal(rate_take(&r, 60099), 0);
	assert_int_equal(rate_take(&r, 60100), 1);
}

static void test_unlimited(void **state)
{
	(void)state;
	struct rate r;
	int i;

	rate_init(&r, 0, 0);
	for (i = 0; i < 1000; i++) {
		assert_int_equal(rate_wait_ms(&r, 0), 0);
		assert_int_equal(rate_take(&r, 0), 1);
	}
}

/* rate_set keeps what accrued at the old rate and spaces from then at the new */
static void test_set_rate(void **state)
{
	(void)state;
	struct rate r;

	rate_init(&r, 10, 0);                   /* one every 100 ms */
	assert_int_equal(rate_take(&r, 0), 1);
	rate_set(&r, 2, 50);                    /* half a token accrued, then 2/s */
	assert_int_equal(rate_wait_ms(&r, 50), 250);
	assert_int_equal(rate_take(&r, 299), 0);
	assert_int_equal(rate_take(&r, 300), 1);
	rate_set(&r, 0, 300);                   /* no limit */
	assert_int_equal(rate_wait_ms(&r, 300), 0);
	assert_int_equal(rate_take(&r, 300), 1);
	rate_set(&r, 1000, 1000);               /* from no limit: starts empty at 1000 */
	assert_int_equal(rate_take(&r, 1001), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twenty_per_second),
		cmocka_unit_test(test_fractional),
		cmocka_unit_test(test_no_burst),
		cmocka_unit_test(test_set_rate),
		cmocka_unit_test(test_unlimited),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
