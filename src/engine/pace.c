/*
 * pace.c - CUBIC pacing of the send rate after a 429 (see pace.h and
 * docs/scheduling.md). The limit a server enforces with 429 is a rate, so the
 * engine controls a rate: after a cut to PACE_BETA x w_max the rate follows
 *
 *     rate(t) = PACE_C x (t - K)^3 + w_max,   K = cbrt(w_max x (1 - PACE_BETA) / PACE_C)
 *
 * (t in seconds since the cut), which is back at w_max after K seconds, stays
 * near it a while, then probes upward faster and faster. Against a token
 * bucket server that is what wastes least: the time spent under the limit
 * fills the server's bucket, and the probe above it spends that before the
 * next 429. Above w_max the rate is capped at twice the sends of the last
 * second, so a run held back by -j (not by the pacing) cannot build up a rate
 * it never used, and w_max at a cut is the rate really sent at (the lower of
 * the paced rate and the sends of the last second), not a paper rate. A 429
 * cuts only when 429s are PACE_SHARE of the recent answers (pace.h): the
 * engine reports every HTTP answer, so the share is known.
 */
#include <math.h>
#include <string.h>

#include "pace.h"

void pace_init(struct pace *p, int64_t now)
{
	memset(p, 0, sizeof(*p));
	p->slot = now / PACE_SLOT_MS;
	rate_init(&p->bucket, 0, now);
}

/* Moves the ring to now's slot, clearing the slots skipped over. */
static void advance(struct pace *p, int64_t now)
{
	int64_t s = now / PACE_SLOT_MS, k;

	if (s <= p->slot)
		return;
	if (s - p->slot >= PACE_SLOTS)
		memset(p->slots, 0, sizeof(p->slots));
	else
		for (k = p->slot + 1; k <= s; k++)
			memset(&p->slots[k % PACE_SLOTS], 0, sizeof(p->slots[0]));
	p->slot = s;
}

unsigned pace_sent_last_second(struct pace *p, int64_t now)
{
	unsigned sum = 0, i;

	advance(p, now);
	for (i = 0; i < PACE_SLOTS; i++)
		sum += p->slots[i].sent;
	return sum;
}

/* The rate the cubic curve gives at now, capped and floored. */
static double cubic_rate(struct pace *p, int64_t now)
{
	double t = (double)(now - p->cut_ms) / 1000.0 - p->k_s;
	double r = PACE_C * t * t * t + p->w_max;
	double cap = 2.0 * pace_sent_last_second(p, now);

	if (cap < p->w_max)
		cap = p->w_max;   /* a quiet spell never pulls it below w_max */
	if (r > cap)
		r = cap;
	return r < PACE_MIN_RATE ? PACE_MIN_RATE : r;
}

static void update(struct pace *p, int64_t now)
{
	double r = cubic_rate(p, now);

	if (r != p->rate) {
		p->rate = r;
		rate_set(&p->bucket, r, now);
	}
}

int64_t pace_wait_ms(struct pace *p, int64_t now)
{
	if (!p->active)
		return 0;
	update(p, now);
	return rate_wait_ms(&p->bucket, now);
}

void pace_sent(struct pace *p, int64_t now)
{
	advance(p, now);
	p->slots[p->slot % PACE_SLOTS].sent++;
	if (p->active)
		rate_take(&p->bucket, now);
}

static void cut(struct pace *p, int64_t now)
{
	double w = pace_sent_last_second(p, now);

	if (p->active) {
		update(p, now);
		if (p->rate < w)
			w = p->rate;
	}
	if (w < PACE_MIN_RATE)
		w = PACE_MIN_RATE;
	p->w_max = w;
	p->k_s = cbrt(w * (1 - PACE_BETA) / PACE_C);
	p->cut_ms = now;
	p->rate = w * PACE_BETA;
	if (p->rate < PACE_MIN_RATE)
		p->rate = PACE_MIN_RATE;
	if (!p->active)
		rate_init(&p->bucket, p->rate, now);
	else
		rate_set(&p->bucket, p->rate, now);
	p->active = 1;
	p->epoch++;
	p->cuts++;
	p->answers = 0;   /* the next cut needs fresh 429s */
	for (unsigned i = 0; i < PACE_SLOTS; i++)
		p->slots[i].throttled = 0;
}

int pace_answer(struct pace *p, int64_t now, int throttled, unsigned epoch)
{
	unsigned answered = 0, refused = 0, i;

	advance(p, now);
	p->slots[p->slot % PACE_SLOTS].answered++;
	p->answers = p->answers << 1 | (throttled ? 1 : 0);
	if (!throttled)
		return 0;
	p->slots[p->slot % PACE_SLOTS].throttled++;
	if (epoch != p->epoch)
		return 0;
	for (i = 0; i < PACE_SLOTS; i++) {
		answered += p->slots[i].answered;
		refused += p->slots[i].throttled;
	}
	if (answered < PACE_WINDOW) {
		answered = PACE_WINDOW;
		refused = (unsigned)__builtin_popcountll(p->answers & ((1ULL << PACE_WINDOW) - 1));
	}
	if (refused < PACE_SHARE * answered)
		return 0;
	cut(p, now);
	return 1;
}
