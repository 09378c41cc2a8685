/*
 * rate.c - the token bucket behind --rate. Tokens accrue continuously at R per
 * second up to a capacity of one, so requests are spaced 1/R apart and never
 * bunch up after an idle spell. Time is passed in by the caller (milliseconds
 * of a monotonic clock), which keeps this file free of I/O.
 */
#include <math.h>

#include "rate.h"

/* Floating-point slack: after waiting the computed ms a token must be there. */
#define RATE_EPS 1e-9

void rate_init(struct rate *r, double per_sec, int64_t now)
{
	r->per_ms = per_sec > 0 ? per_sec / 1000.0 : 0;
	r->tokens = 1;
	r->last_ms = now;
}

static void refill(struct rate *r, int64_t now)
{
	if (now > r->last_ms) {
		r->tokens += (double)(now - r->last_ms) * r->per_ms;
		if (r->tokens > 1)
			r->tokens = 1;
		r->last_ms = now;
	}
}

void rate_set(struct rate *r, double per_sec, int64_t now)
{
	if (r->per_ms > 0)
		refill(r, now);
	else
		r->last_ms = now;
	r->per_ms = per_sec > 0 ? per_sec / 1000.0 : 0;
}

int rate_take(struct rate *r, int64_t now)
{
	if (r->per_ms <= 0)
		return 1;
	refill(r, now);
	if (r->tokens < 1 - RATE_EPS)
		return 0;
	r->tokens -= 1;
	if (r->tokens < 0)
		r->tokens = 0;
	return 1;
}

int64_t rate_wait_ms(struct rate *r, int64_t now)
{
	double ms;

	if (r->per_ms <= 0)
		return 0;
	refill(r, now);
	if (r->tokens >= 1 - RATE_EPS)
		return 0;
	ms = ceil((1 - r->tokens) / r->per_ms - RATE_EPS);
	return ms < 1 ? 1 : (int64_t)ms;
}
