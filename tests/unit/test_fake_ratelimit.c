/*
 * test_fake_ratelimit.c - fake-panther's --rate-limit bucket on a driven
 * clock: the burst, the refill rate, throttled requests taking no token, the
 * default burst, Retry-After, reset, and exactly `burst` grants when several
 * threads race for a bucket at a frozen clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>

#include "ratelimit.h"

static int take_n(struct ratelimit *rl, int n, int64_t now)
{
	int ok = 0;

	while (n-- > 0)
		ok += ratelimit_take(rl, now);
	return ok;
}

static void test_burst_then_rate(void **state)
{
	struct ratelimit rl;
	int64_t t = 1000000, ok = 0, i;

	(void)state;
	ratelimit_init(&rl, 50, 10, t);
	assert_int_equal(take_n(&rl, 100, t), 10);      /* the burst, then nothing */
	/* 2 s of requests every ms: 50 a second get through, the rest are refused */
	for (i = 1; i <= 2000; i++)
		ok += ratelimit_take(&rl, t + i * 1000);
	assert_true(ok >= 99 && ok <= 101);
	ratelimit_release(&rl);
}

static void test_throttled_take_nothing(void **state)
{
	struct ratelimit rl;
	int64_t t = 0;

	(void)state;
	ratelimit_init(&rl, 10, 1, t);
	assert_int_equal(ratelimit_take(&rl, t), 1);
	assert_int_equal(take_n(&rl, 50, t + 50000), 0); /* half a token: refused */
	/* the refused ones took nothing: the token is there 100 ms after the first */
	assert_int_equal(ratelimit_take(&rl, t + 100000), 1);
	ratelimit_release(&rl);
}

static void test_default_burst_and_no_limit(void **state)
{
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, 50, 0, 0);
	assert_int_equal(take_n(&rl, 80, 0), 50);
	ratelimit_release(&rl);
	ratelimit_init(&rl, 0.5, 0, 0);                    /* burst at least 1 */
	assert_int_equal(take_n(&rl, 5, 0), 1);
	ratelimit_release(&rl);
	ratelimit_init(&rl, 0, 0, 0);                      /* no limit */
	assert_int_equal(take_n(&rl, 1000, 0), 1000);
	ratelimit_release(&rl);
}

static void test_retry_after_and_reset(void **state)
{
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, 0.25, 1, 0);                   /* a token every 4 s */
	assert_int_equal(ratelimit_take(&rl, 0), 1);
	assert_int_equal(ratelimit_retry_after_s(&rl, 0), 4);
	assert_int_equal(ratelimit_retry_after_s(&rl, 3500000), 1);
	assert_int_equal(ratelimit_take(&rl, 3500000), 0);
	ratelimit_reset(&rl, 3600000);
	assert_int_equal(ratelimit_take(&rl, 3600000), 1);
	ratelimit_release(&rl);
}

struct racer {
	struct ratelimit *rl;
	int granted;
};

static void *race(void *arg)
{
	struct racer *r = arg;

	r->granted = take_n(r->rl, 10000, 42);
	return NULL;
}

static void test_threads_share_one_bucket(void **state)
{
	struct ratelimit rl;
	pthread_t th[4];
	struct racer rc[4];
	int i, total = 0;

	(void)state;
	ratelimit_init(&rl, 1, 1000, 42);                  /* frozen clock: 1000 tokens */
	for (i = 0; i < 4; i++) {
		rc[i].rl = &rl;
		rc[i].granted = 0;
		assert_int_equal(pthread_create(&th[i], NULL, race, &rc[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		total += rc[i].granted;
	}
	assert_int_equal(total, 1000);
	ratelimit_release(&rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_rate),
		cmocka_unit_test(test_throttled_take_nothing),
		cmocka_unit_test(test_default_burst_and_no_limit),
		cmocka_unit_test(test_retry_after_and_reset),
		cmocka_unit_test(test_threads_share_one_bucket),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
