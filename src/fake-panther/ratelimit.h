/*
 * ratelimit.h - fake-panther's server-wide request rate limit (--rate-limit R,
 * --rate-burst B): one token bucket shared by every connection thread, as an
 * API gateway in front of the real service has. Each API request takes a
 * token; a request that finds none is answered 429 at once. The clock is
 * passed in (microseconds of a monotonic clock) so the unit tests can drive it.
 */
#ifndef FAKE_PANTHER_RATELIMIT_H
#define FAKE_PANTHER_RATELIMIT_H

#include <pthread.h>
#include <stdint.h>

struct ratelimit {
	pthread_mutex_t lock;
	double per_us;     /* tokens added per microsecond; 0 = no limit */
	double burst;      /* bucket capacity (>= 1) */
	double tokens;     /* 0..burst */
	int64_t last_us;   /* time of the last refill */
};

/* per_sec <= 0 means no limit. burst <= 0 picks the default: one second's
 * worth of tokens (per_sec), at least 1. The bucket starts full. */
void ratelimit_init(struct ratelimit *rl, double per_sec, double burst, int64_t now_us);
/* Takes a token at now_us: 1 if the request is allowed, 0 if it is over the
 * limit. Thread-safe. */
int ratelimit_take(struct ratelimit *rl, int64_t now_us);
/* Refills the bucket (POST /_fake/reset). Thread-safe. */
void ratelimit_reset(struct ratelimit *rl, int64_t now_us);
/* Seconds until the next token, rounded up (at least 1): a Retry-After value. */
int ratelimit_retry_after_s(struct ratelimit *rl, int64_t now_us);
void ratelimit_release(struct ratelimit *rl);
/* The server's clock for the above: CLOCK_MONOTONIC in microseconds. */
int64_t ratelimit_clock_us(void);

#endif
