/*
 * ratelimit.c - the token bucket behind fake-panther's --rate-limit: R tokens
 * a second accrue continuously up to --rate-burst B; every API request takes
 * one, and one that finds the bucket empty gets 429. It is server-wide (all
 * connection threads share it, under a mutex), so a client cannot get around
 * it by opening more connections: what it limits is a rate, not a concurrency.
 * A throttled request takes no token, as in AWS API Gateway, so a client that
 * keeps hammering does not lower the accepted rate below R.
 */
#include "ratelimit.h"

#include <math.h>
#include <time.h>

void ratelimit_init(struct ratelimit *rl, double per_sec, double burst, int64_t now_us)
{
	pthread_mutex_init(&rl->lock, NULL);
	rl->per_us = per_sec > 0 ? per_sec / 1e6 : 0;
	if (burst <= 0)
		burst = per_sec;
	rl->burst = burst < 1 ? 1 : burst;
	rl->tokens = rl->burst;
	rl->last_us = now_us;
}

/* Called with the lock held. */
static void refill(struct ratelimit *rl, int64_t now_us)
{
	if (now_us > rl->last_us) {
		rl->tokens += (double)(now_us - rl->last_us) * rl->per_us;
		if (rl->tokens > rl->burst)
			rl->tokens = rl->burst;
		rl->last_us = now_us;
	}
}

int ratelimit_take(struct ratelimit *rl, int64_t now_us)
{
	int ok = 1;

	if (rl->per_us <= 0)
		return 1;
	pthread_mutex_lock(&rl->lock);
	refill(rl, now_us);
	if (rl->tokens >= 1 - 1e-9)
		rl->tokens -= 1;
	else
		ok = 0;
	pthread_mutex_unlock(&rl->lock);
	return ok;
}

void ratelimit_reset(struct ratelimit *rl, int64_t now_us)
{
	pthread_mutex_lock(&rl->lock);
	rl->tokens = rl->burst;
	rl->last_us = now_us;
	pthread_mutex_unlock(&rl->lock);
}

int ratelimit_retry_after_s(struct ratelimit *rl, int64_t now_us)
{
	double s = 1;

	if (rl->per_us <= 0)
		return 1;
	pthread_mutex_lock(&rl->lock);
	refill(rl, now_us);
	if (rl->tokens < 1)
		s = ceil((1 - rl->tokens) / rl->per_us / 1e6);
	pthread_mutex_unlock(&rl->lock);
	return s < 1 ? 1 : (int)s;
}

void ratelimit_release(struct ratelimit *rl)
{
	pthread_mutex_destroy(&rl->lock);
}

int64_t ratelimit_clock_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
