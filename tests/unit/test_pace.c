/*
 * test_pace.c - the CUBIC pacing controller on a simulated clock: nothing
 * happens before the first 429, a cut goes to PACE_BETA x the sends of the
 * last second, a 429 from before the cut cuts nothing, the curve is back at
 * w_max after K seconds and probes beyond it, the rate never drops below
 * PACE_MIN_RATE nor grows past twice what was really sent, and sends are
 * spaced 1/rate apart.
 *
 * A cut needs 429s to be 7% of the recent answers: 3% of 429s here and there
 * cut nothing.
 *
 * Then the whole loop against a simulated server: a token bucket of 50
 * requests/s with a burst of 50, 50 ms latency, 429 at once, the engine's
 * full-jitter retries, 1,000 rows at -j 8 and -j 32. The simulation is
 * deterministic (seeded jitter, millisecond steps), so its bounds are not
 * timings: the controller must lose at most 5% of its requests to 429 and
 * finish within 1.10 x the 20 s that 1,000 requests at 50/s take; and against a
server without a limit that answers 3% of the requests 429 at random, it must
not slow down (under 1 s for what takes 625 ms). Set
 * PACE_TRACE=1 to print sends and 429s per second.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pace.h"
#include "retry.h"

/* Sends n requests, one per ms from t, as fast as the pacing allows. */
static int64_t send_n(struct pace *p, int64_t t, int n)
{
	while (n > 0) {
		if (pace_wait_ms(p, t) == 0) {
			pace_sent(p, t);
			n--;
		}
		t++;
	}
	return t;
}

/* Three 429s at now in the current epoch: 3 of the last 40 answers (7.5%)
 * is enough for a cut when the last second had fewer than 40 answers. */
static int throttle(struct pace *p, int64_t now)
{
	int cut = 0;

	for (int i = 0; i < 3 && !cut; i++)
		cut = pace_answer(p, now, 1, p->epoch);
	return cut;
}

static void test_inactive_until_throttled(void **state)
{
	struct pace p;
	int64_t t = 5000;

	(void)state;
	pace_init(&p, t);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(pace_wait_ms(&p, t), 0);
		pace_sent(&p, t);
		assert_int_equal(pace_answer(&p, t, 0, p.epoch), 0);
	}
	assert_int_equal(p.active, 0);
	assert_int_equal(p.cuts, 0);
}

static void test_cut_and_epochs(void **state)
{
	struct pace p;
	unsigned old;
	int64_t t = 10000;

	(void)state;
	pace_init(&p, 0);
	/* 100 sends spread over the last second: one every 10 ms */
	for (int i = 0; i < 100; i++, t += 10)
		pace_sent(&p, t);
	t -= 10;
	assert_int_equal(pace_sent_last_second(&p, t), 100);
	old = p.epoch;
	/* two 429s of 40 answers: under 7%, no cut; the third makes one */
	assert_int_equal(pace_answer(&p, t, 1, old), 0);
	assert_int_equal(pace_answer(&p, t, 1, old), 0);
	assert_int_equal(p.active, 0);
	assert_int_equal(pace_answer(&p, t, 1, old), 1);
	assert_int_equal(p.active, 1);
	assert_true(fabs(p.w_max - 100) < 1e-9);
	assert_true(fabs(p.rate - 100 * PACE_BETA) < 1e-9);
	assert_true(fabs(p.k_s - cbrt(100 * (1 - PACE_BETA) / PACE_C)) < 1e-9);
	/* a 429 to an attempt started before the cut: nothing */
	assert_int_equal(pace_answer(&p, t + 5, 1, old), 0);
	assert_int_equal(p.cuts, 1);
	/* successes cut nothing either */
	assert_int_equal(pace_answer(&p, t + 5, 0, p.epoch), 0);
	/* 429s in the new epoch (fresh ones: the count restarts at a cut):
	 * w_max is the lower of the paced rate (70) and the sends of the last
	 * second (still 100) */
	assert_int_equal(throttle(&p, t + 5), 1);
	assert_true(fabs(p.w_max - 70) < 0.5);
	assert_true(fabs(p.rate - 70 * PACE_BETA) < 0.5);
	assert_int_equal(p.cuts, 2);
	assert_int_equal(p.epoch, old + 2);
}

/* With many answers in the last second the share is of those: 3% of 429s
 * here and there (a busy server) cuts nothing, 7% does. */
static void test_share_of_answers(void **state)
{
	struct pace p;
	int64_t t = 10000;
	int i;

	(void)state;
	pace_init(&p, 0);
	for (i = 0; i < 1000; i++)
		pace_sent(&p, t + i);
	/* 1,000 answers in a second, every 33rd a 429 */
	for (i = 0; i < 1000; i++)
		assert_int_equal(pace_answer(&p, t + 1000 + i / 2, i % 33 == 32, p.epoch), 0);
	assert_int_equal(p.active, 0);
	/* then 429s only: the cut comes when they reach 7% of the second's answers */
	for (i = 0; i < 100 && !p.active; i++)
		pace_answer(&p, t + 1500, 1, p.epoch);
	assert_true(i > 30 && i < 60);
	assert_int_equal(p.cuts, 1);
}

static void test_cubic_curve(void **state)
{
	struct pace p;
	int64_t t = 10000, cut_ms;
	double k;

	(void)state;
	pace_init(&p, 0);
	t = send_n(&p, t, 50) - 1;     /* 50 sends in 50 ms */
	assert_int_equal(throttle(&p, t), 1);
	cut_ms = t;
	k = p.k_s;
	assert_true(fabs(k - cbrt(50 * 0.3 / 0.4)) < 1e-9);
	/* keep sending at the paced rate; sample the curve */
	t = send_n(&p, t, 1);
	while (t < cut_ms + (int64_t)(k * 1000 / 2)) {
		t = send_n(&p, t, 1);
	}
	/* halfway to K: between the cut and w_max, concave */
	assert_true(p.rate > 50 * PACE_BETA && p.rate < 50);
	assert_true(fabs(p.rate - (PACE_C * pow((double)(t - cut_ms) / 1000 - k, 3) + 50)) < 1);
	while (t < cut_ms + (int64_t)(k * 1000))
		t = send_n(&p, t, 1);
	assert_true(fabs(p.rate - 50) < 1);   /* back at w_max after K */
	while (t < cut_ms + (int64_t)(k * 1000) + 3000)
		t = send_n(&p, t, 1);
	/* 3 s past K: probing above, 0.4 x 27 = 10.8 over (within the 2x cap) */
	assert_true(fabs(p.rate - 60.8) < 1.5);
}

static void test_spacing(void **state)
{
	struct pace p;
	int64_t t = 0, first, last;

	(void)state;
	pace_init(&p, t);
	/* 10 sends in the last second, then a 429: paced at 7/s */
	for (int i = 0; i < 10; i++, t += 100)
		pace_sent(&p, t);
	assert_int_equal(throttle(&p, t), 1);
	pace_sent(&p, t);              /* the bucket's one token */
	assert_true(pace_wait_ms(&p, t) > 100);
	first = t;
	last = send_n(&p, t + 1, 7);
	/* 7 more at about 7/s (the curve rises a little): about 1 s */
	assert_true(last - first > 850 && last - first < 1050);
}

static void test_floor_and_cap(void **state)
{
	struct pace p;
	int64_t t = 0;

	(void)state;
	pace_init(&p, t);
	pace_sent(&p, t);
	t += 2000;
	assert_int_equal(throttle(&p, t), 1);  /* nothing sent in the last second */
	assert_true(fabs(p.rate - PACE_MIN_RATE) < 1e-9);
	assert_true(fabs(p.w_max - PACE_MIN_RATE) < 1e-9);
	/* a minute later, nothing sent since: the curve says 0.4 x 58^3, the
	 * cap says max(w_max, 2 x 0) */
	pace_wait_ms(&p, t + 60000);
	assert_true(fabs(p.rate - PACE_MIN_RATE) < 1e-9);
	/* sends raise the cap: at most twice the sends of the last second */
	for (int i = 0; i < 20; i++)
		pace_sent(&p, t + 60000 + i);
	pace_wait_ms(&p, t + 60020);
	assert_true(fabs(p.rate - 40) < 1e-9);
}

/* --- the simulated server and engine --- */

#define SIM_ROWS 1000
#define SIM_RATE 50.0
#define SIM_BURST 50.0
#define SIM_LAT_MS 50
#define SIM_MAX_MS 120000

struct sim_att {
	int64_t due;            /* answer time, -1: waiting on a retry timer */
	int64_t retry_at;
	int throttled;
	unsigned epoch;
	int attempts;
};

struct sim_result {
	int64_t wall_ms;
	unsigned sent, throttled, created;
};

/* limit 0: no limit; throttle_pct: 429s at random, in percent */
static void simulate(unsigned j, double limit, int lat_ms, int throttle_pct, struct sim_result *res)
{
	struct sim_att att[64];   /* 2 x j slots, as the engine holds */
	unsigned nslots = 2 * j, used = 0, in_flight = 0, next_row = 0, i;
	uint64_t rnd = 12345;
	struct retry_random rr = { retry_xorshift, &rnd };
	double tokens = SIM_BURST;
	uint64_t srv_rnd = 99;
	unsigned per_s_sent[130] = { 0 }, per_s_429[130] = { 0 };
	struct pace p;
	int64_t t;

	memset(res, 0, sizeof(*res));
	memset(att, 0, sizeof(att));
	for (i = 0; i < nslots; i++)
		att[i].due = -2;     /* free */
	pace_init(&p, 0);
	for (t = 0; t < SIM_MAX_MS && res->created < SIM_ROWS; t++) {
		if (t > 0)
			tokens = fmin(SIM_BURST, tokens + limit / 1000.0);
		/* answers due now */
		for (i = 0; i < nslots; i++) {
			struct sim_att *a = &att[i];
			if (a->due != t)
				continue;
			in_flight--;
			pace_answer(&p, t, a->throttled, a->epoch);
			if (a->throttled) {
				a->due = -1;
				a->retry_at = t + retry_delay_ms(a->attempts - 1, RETRY_BASE_MS,
								 RETRY_CAP_MS, &rr);
			} else {
				a->due = -2;
				used--;
				res->created++;
			}
		}
		/* start what the limits allow: due retries first, then new rows */
		while (in_flight < j && pace_wait_ms(&p, t) == 0) {
			struct sim_att *a = NULL;
			for (i = 0; i < nslots && !a; i++)
				if (att[i].due == -1 && att[i].retry_at <= t)
					a = &att[i];
			if (!a && next_row < SIM_ROWS && used < nslots) {
				for (i = 0; i < nslots && !a; i++)
					if (att[i].due == -2)
						a = &att[i];
				a->attempts = 0;
				next_row++;
				used++;
			}
			if (!a)
				break;
			a->attempts++;
			a->epoch = p.epoch;
			pace_sent(&p, t);
			res->sent++;
			per_s_sent[t / 1000]++;
			in_flight++;
			if ((limit <= 0 || tokens >= 1) &&
			    (int)(retry_xorshift(&srv_rnd) % 100) >= throttle_pct) {
				if (limit > 0)
					tokens -= 1;
				a->throttled = 0;
				a->due = t + lat_ms;
			} else {
				a->throttled = 1;
				a->due = t + 1;
				res->throttled++;
				per_s_429[t / 1000]++;
			}
		}
	}
	res->wall_ms = t;
	if (getenv("PACE_TRACE")) {
		printf("-j %u: %u created in %lld ms, %u sent, %u 429, %u cuts\n", j,
		       res->created, (long long)t, res->sent, res->throttled, p.cuts);
		for (i = 0; i <= (unsigned)(t / 1000); i++)
			printf("  %3u s: sent %3u, 429 %3u\n", i, per_s_sent[i], per_s_429[i]);
	}
}

static void check_sim(unsigned j)
{
	struct sim_result r;

	simulate(j, SIM_RATE, SIM_LAT_MS, 0, &r);
	assert_int_equal(r.created, SIM_ROWS);
	if (r.throttled * 20 > r.sent)
		fail_msg("-j %u: %u of %u requests answered 429 (over 5%%)", j, r.throttled, r.sent);
	if (r.wall_ms > 22000)
		fail_msg("-j %u: %lld ms, over 1.10 x 20 s", j, (long long)r.wall_ms);
}

static void test_sim_j8(void **state)
{
	(void)state;
	check_sim(8);
}

static void test_sim_j32(void **state)
{
	(void)state;
	check_sim(32);
}

/* No limit, but 3% of the requests answered 429 at random (a busy server):
 * a few retries, no pacing worth the name. 1,000 rows at 20 ms and -j 32
 * take 625 ms unthrottled; a cut on every 429 took 40 s in a real run. */
static void test_sim_random_429s(void **state)
{
	struct sim_result r;

	(void)state;
	simulate(32, 0, 20, 3, &r);
	assert_int_equal(r.created, SIM_ROWS);
	assert_true(r.throttled > 10);
	if (r.wall_ms > 1000)
		fail_msg("3%% random 429s: %lld ms for what takes 625 ms", (long long)r.wall_ms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inactive_until_throttled),
		cmocka_unit_test(test_cut_and_epochs),
		cmocka_unit_test(test_share_of_answers),
		cmocka_unit_test(test_cubic_curve),
		cmocka_unit_test(test_spacing),
		cmocka_unit_test(test_floor_and_cap),
		cmocka_unit_test(test_sim_j8),
		cmocka_unit_test(test_sim_j32),
		cmocka_unit_test(test_sim_random_429s),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
