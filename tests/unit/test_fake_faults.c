/*
 * test_fake_faults.c - fake-panther's fault decisions: repeatable for a seed,
 * each kind near its rate, ghosts only on writes, jitter within its bounds,
 * and the rate checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "fake.h"

#define N 100000

static struct fault_config mix(void)
{
	struct fault_config c;

	memset(&c, 0, sizeof(c));
	c.hang = 0.05;
	c.reset = 0.10;
	c.throttle = 0.15;
	c.fail = 0.20;
	c.ghost = 0.25;
	c.bad_reply = 0.05;
	c.retry_after_s = 1;
	c.hang_max_ms = 1000;
	return c;
}

static void test_rates(void **state)
{
	struct fault_config c = mix();
	const double want[] = { [FAULT_NONE] = 0.20, [FAULT_HANG] = 0.05, [FAULT_RESET] = 0.10,
				[FAULT_THROTTLE] = 0.15, [FAULT_FAIL] = 0.20, [FAULT_GHOST] = 0.25,
				[FAULT_BAD_REPLY] = 0.05 };
	long seen[7] = { 0 }, codes[505] = { 0 };
	uint64_t i;
	size_t k;

	(void)state;
	for (i = 0; i < N; i++) {
		struct fault_decision d;
		faults_decide(&c, 42, i, 1, &d);
		seen[d.kind]++;
		assert_true(d.fail_status >= 500 && d.fail_status <= 504 && d.fail_status != 501);
		codes[d.fail_status]++;
	}
	for (k = 0; k < 7; k++) {
		double got = (double)seen[k] / N;
		if (got < want[k] - 0.01 || got > want[k] + 0.01)
			fail_msg("%s: %.4f, want %.2f", fault_name((enum fault)k), got, want[k]);
	}
	assert_true(codes[500] > N / 5 && codes[502] > N / 5 && codes[503] > N / 5 && codes[504] > N / 5);
}

static void test_repeatable(void **state)
{
	struct fault_config c = mix();
	uint64_t i;
	int differ = 0;

	(void)state;
	for (i = 0; i < 1000; i++) {
		struct fault_decision a, b, other;
		faults_decide(&c, 7, i, 1, &a);
		faults_decide(&c, 7, i, 1, &b);
		faults_decide(&c, 8, i, 1, &other);
		assert_int_equal(a.kind, b.kind);
		assert_int_equal(a.fail_status, b.fail_status);
		differ += a.kind != other.kind;
	}
	assert_true(differ > 300); /* another seed is another sequence */
}

static void test_ghost_only_on_writes(void **state)
{
	struct fault_config c;
	uint64_t i;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.ghost = 1;
	for (i = 0; i < 100; i++) {
		struct fault_decision w, r;
		faults_decide(&c, 1, i, 1, &w);
		faults_decide(&c, 1, i, 0, &r);
		assert_int_equal(w.kind, FAULT_GHOST);
		assert_int_equal(r.kind, FAULT_NONE);
	}
}

static void test_latency(void **state)
{
	struct fault_config c;
	int lo = 1000, hi = 0;
	uint64_t i;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.latency_ms = 20;
	c.latency_jitter_ms = 5;
	for (i = 0; i < 10000; i++) {
		struct fault_decision d;
		faults_decide(&c, 3, i, 0, &d);
		lo = d.delay_ms < lo ? d.delay_ms : lo;
		hi = d.delay_ms > hi ? d.delay_ms : hi;
	}
	assert_int_equal(lo, 15);
	assert_int_equal(hi, 25);

	c.latency_ms = 1;
	c.latency_jitter_ms = 10; /* never negative */
	for (i = 0; i < 1000; i++) {
		struct fault_decision d;
		faults_decide(&c, 3, i, 0, &d);
		assert_true(d.delay_ms >= 0 && d.delay_ms <= 11);
	}
	c.hang = 1; /* a hang has no latency: it never replies */
	{
		struct fault_decision d;
		faults_decide(&c, 3, 0, 0, &d);
		assert_int_equal(d.kind, FAULT_HANG);
		assert_int_equal(d.delay_ms, 0);
	}
}

static void test_check(void **state)
{
	struct fault_config c = mix();

	(void)state;
	assert_null(faults_check(&c));
	c.ghost = 0.5;
	assert_non_null(faults_check(&c));
	c = mix();
	c.fail = -0.1;
	assert_non_null(faults_check(&c));
	c = mix();
	c.hang_max_ms = 0;
	assert_non_null(faults_check(&c));
	assert_int_equal(bad_reply_parse("noid"), BAD_REPLY_NOID);
	assert_int_equal(bad_reply_parse("html"), BAD_REPLY_HTML);
	assert_int_equal(bad_reply_parse("HTML"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_repeatable),
		cmocka_unit_test(test_ghost_only_on_writes),
		cmocka_unit_test(test_latency),
		cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
