/*
 * concurrency.h - the AIMD controller of the number of requests in flight: a
 * 429 halves the limit (never below 1), successes raise it again by one per
 * `limit` successes, never above -j. Only one halving per "window": a 429 to a
 * request that was started before the last halving is the old load speaking
 * and is not counted again (the epoch a request started in is passed back).
 */
#ifndef S3SRC_CONCURRENCY_H
#define S3SRC_CONCURRENCY_H

struct aimd {
	unsigned max;      /* -j */
	unsigned limit;    /* current limit, 1..max */
	unsigned gained;   /* successes since the last change */
	unsigned epoch;    /* bumped on every halving */
};

void aimd_init(struct aimd *a, unsigned max);
/* A request started in `epoch` (a->epoch when it started) got a 429. Returns 1
 * if the limit was halved, 0 if this window was already halved. */
int aimd_throttled(struct aimd *a, unsigned epoch);
/* A request succeeded (2xx). */
void aimd_success(struct aimd *a);

#endif
