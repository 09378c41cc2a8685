/*
 * rate.h - a token bucket for --rate R (requests per second, fractional
 * allowed). Every attempt, retries included, takes one token. The bucket holds
 * at most one token, so there is no burst: 100 requests at --rate 20 take
 * about 5 s. The clock is injected (every call takes `now` in ms) so that the
 * tests run on a simulated clock.
 */
#ifndef S3SRC_RATE_H
#define S3SRC_RATE_H

#include <stdint.h>

struct rate {
	double per_ms;     /* tokens added per ms; 0 = no limit */
	double tokens;     /* 0..1 */
	int64_t last_ms;   /* time of the last refill */
};

/* per_sec <= 0 means no limit. The bucket starts full (one token). */
void rate_init(struct rate *r, double per_sec, int64_t now);
/* Changes the rate from now on (tokens accrued so far are kept); per_sec <= 0
 * means no limit. The pacing of throttled runs (pace.c) moves it. */
void rate_set(struct rate *r, double per_sec, int64_t now);
/* Takes a token if one is available at now: returns 1, else 0. */
int rate_take(struct rate *r, int64_t now);
/* Milliseconds until a token is available (0 if one is now). */
int64_t rate_wait_ms(struct rate *r, int64_t now);

#endif
