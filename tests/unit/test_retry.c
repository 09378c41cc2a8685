/*
 * test_retry.c - the retry policy: which outcomes are retried, the full-jitter
 * delay (bounds and shape, with an injected random source), the clamp of a
 * Retry-After (libcurl parses the header), and the "may have reached
 * the server" judgement for a lost create reply.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <string.h>

#include "retry.h"

static void test_classify(void **state)
{
	(void)state;
	static const struct {
		int cc, status;
		enum retry_class want;
	} cases[] = {
		{ CURLE_OK, 200, RETRY_FINAL },
		{ CURLE_OK, 201, RETRY_FINAL },
		{ CURLE_OK, 204, RETRY_FINAL },
		{ CURLE_OK, 400, RETRY_FINAL },
		{ CURLE_OK, 404, RETRY_FINAL },
		{ CURLE_OK, 409, RETRY_FINAL },
		{ CURLE_OK, 422, RETRY_FINAL },
		{ CURLE_OK, 501, RETRY_FINAL },
		{ CURLE_OK, 505, RETRY_FINAL },
		{ CURLE_OK, 401, RETRY_AUTH },
		{ CURLE_OK, 403, RETRY_AUTH },
		{ CURLE_OK, 408, RETRY_AGAIN },
		{ CURLE_OK, 429, RETRY_AGAIN },
		{ CURLE_OK, 500, RETRY_AGAIN },
		{ CURLE_OK, 502, RETRY_AGAIN },
		{ CURLE_OK, 503, RETRY_AGAIN },
		{ CURLE_OK, 504, RETRY_AGAIN },
		{ CURLE_COULDNT_CONNECT, 0, RETRY_AGAIN },
		{ CURLE_COULDNT_RESOLVE_HOST, 0, RETRY_AGAIN },
		{ CURLE_OPERATION_TIMEDOUT, 0, RETRY_AGAIN },
		{ CURLE_GOT_NOTHING, 0, RETRY_AGAIN },
		{ CURLE_RECV_ERROR, 0, RETRY_AGAIN },
		{ CURLE_SEND_ERROR, 0, RETRY_AGAIN },
		{ CURLE_PARTIAL_FILE, 200, RETRY_AGAIN },
		{ CURLE_SEND_FAIL_REWIND, 0, RETRY_AGAIN },
		{ CURLE_URL_MALFORMAT, 0, RETRY_FATAL },
		{ CURLE_UNSUPPORTED_PROTOCOL, 0, RETRY_FATAL },
		{ CURLE_PEER_FAILED_VERIFICATION, 0, RETRY_FATAL },
		{ CURLE_WRITE_ERROR, 200, RETRY_FATAL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum retry_class got = retry_classify(cases[i].cc, cases[i].status);
		if (got != cases[i].want)
			fail_msg("case %zu: curl %d http %d: got %d want %d", i,
				 cases[i].cc, cases[i].status, got, cases[i].want);
	}
	/* no 4xx other than 408/429 is ever retried */
	for (i = 400; i < 500; i++)
		if (i != 408 && i != 429)
			assert_int_not_equal(retry_classify(CURLE_OK, (int)i), RETRY_AGAIN);
}

static void test_may_have_reached(void **state)
{
	(void)state;
	assert_true(retry_may_have_reached(CURLE_OPERATION_TIMEDOUT, 0));
	assert_true(retry_may_have_reached(CURLE_OPERATION_TIMEDOUT, 1));
	assert_true(retry_may_have_reached(CURLE_GOT_NOTHING, 1));
	assert_true(retry_may_have_reached(CURLE_RECV_ERROR, 1));
	assert_false(retry_may_have_reached(CURLE_RECV_ERROR, 0));
	assert_false(retry_may_have_reached(CURLE_SEND_ERROR, 0));
	assert_false(retry_may_have_reached(CURLE_COULDNT_CONNECT, 0));
	assert_false(retry_may_have_reached(CURLE_COULDNT_CONNECT, 1));
	assert_false(retry_may_have_reached(CURLE_COULDNT_RESOLVE_HOST, 0));
	assert_true(retry_may_have_reached(CURLE_SEND_FAIL_REWIND, 0));
	/* gateway answers may follow an applied write; the others say not processed */
	assert_true(retry_status_may_have_applied(500));
	assert_true(retry_status_may_have_applied(502));
	assert_true(retry_status_may_have_applied(504));
	assert_false(retry_status_may_have_applied(503));
	assert_false(retry_status_may_have_applied(429));
	assert_false(retry_status_may_have_applied(409));
	assert_false(retry_status_may_have_applied(201));
}

/* A scripted random source: returns the values of a table in turn. */
struct script_rnd {
	const uint64_t *v;
	size_t n, i;
};

static uint64_t script_next(void *ctx)
{
	struct script_rnd *r = ctx;
	return r->v[r->i++ % r->n];
}

static void test_delay_bounds(void **state)
{
	(void)state;
	/* the ceiling is min(cap, base * 2^attempt): with the largest random value
	 * the delay is the ceiling itself */
	static const int64_t ceilings[] = { 250, 500, 1000, 2000, 4000, 8000, 16000, 20000, 20000, 20000 };
	uint64_t maxval = UINT64_MAX;
	size_t a;

	for (a = 0; a < sizeof(ceilings) / sizeof(ceilings[0]); a++) {
		/* value % (ceiling + 1) == ceiling for value = k*(ceiling+1) + ceiling */
		uint64_t top = (uint64_t)ceilings[a];
		struct script_rnd sr = { &top, 1, 0 };
		struct retry_random rnd = { script_next, &sr };
		uint64_t zero = 0;
		struct script_rnd sz = { &zero, 1, 0 };
		struct retry_random rz = { script_next, &sz };

		assert_int_equal(retry_delay_ms((int)a, 250, 20000, &rnd), ceilings[a]);
		assert_int_equal(retry_delay_ms((int)a, 250, 20000, &rz), 0);
	}
	{
		struct script_rnd sm = { &maxval, 1, 0 };
		struct retry_random rm = { script_next, &sm };
		int64_t d = retry_delay_ms(1000, 250, 20000, &rm);   /* no overflow */
		assert_true(d >= 0 && d <= 20000);
		d = retry_delay_ms(3, 250, 20000, &rm);
		assert_true(d >= 0 && d <= 2000);
	}
}

static void test_delay_full_jitter_shape(void **state)
{
	(void)state;
	/* with a good random source, delays spread over the whole [0, ceiling]:
	 * each quarter of the range gets a fair share, and the mean is about half */
	uint64_t seed = 12345;
	struct retry_random rnd = { retry_xorshift, &seed };
	unsigned quarters[4] = { 0 };
	double sum = 0;
	int i, n = 20000;

	for (i = 0; i < n; i++) {
		int64_t d = retry_delay_ms(3, 250, 20000, &rnd);   /* ceiling 2000 */
		assert_true(d >= 0 && d <= 2000);
		quarters[d * 4 / 2001]++;
		sum += (double)d;
	}
	for (i = 0; i < 4; i++)
		assert_true(quarters[i] > n / 4 * 0.9 && quarters[i] < n / 4 * 1.1);
	assert_true(sum / n > 900 && sum / n < 1100);
}

/* libcurl reads the header (CURLINFO_RETRY_AFTER: seconds, 0 for none or
 * unreadable, negative for a date already past); the engine waits that long,
 * at most 300 s, and its own delay when there is nothing to wait for. */
static void test_retry_after(void **state)
{
	(void)state;
	assert_int_equal(retry_after_ms(1), 1000);
	assert_int_equal(retry_after_ms(120), 120000);
	assert_int_equal(retry_after_ms(300), 300000);
	assert_int_equal(retry_after_ms(301), 300000);
	assert_int_equal(retry_after_ms(INT64_MAX), 300000);
	assert_int_equal(retry_after_ms(0), -1);
	assert_int_equal(retry_after_ms(-30), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_may_have_reached),
		cmocka_unit_test(test_delay_bounds),
		cmocka_unit_test(test_delay_full_jitter_shape),
		cmocka_unit_test(test_retry_after),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
