/*
 * pace.h - the send rate of a throttled run: once the server answers 429, the
 * engine paces its attempts to the rate the server accepts, found by CUBIC,
 * as AWS SDKs' adaptive retry mode does (docs/scheduling.md, "Pacing").
 *
 * Until the first 429 it does nothing: only -j and --rate bound the sends. A
 * 429 cuts only when 429s are at least PACE_SHARE of the answers of the last
 * second, or of the last PACE_WINDOW answers when the last second had fewer
 * (so slow runs judge on enough answers too): a rate limit that is exceeded answers a growing
 * share of 429s, while a server that throttles a few requests here and there
 * (a busy moment, another client) is not asking for a lower rate, and a cut
 * on each of those would bring a fast run down to a crawl. On a cut the rate we were
 * sending at becomes w_max and the send rate drops to PACE_BETA x w_max; it then grows back along a cubic curve that flattens
 * near w_max (where the last 429 came) and probes beyond it if no 429 comes.
 * A 429 to an attempt started before the last cut is the old rate speaking
 * and cuts nothing (the epoch the attempt started in is passed back). Sends
 * are spaced by a one-token bucket (rate.c) at the current rate.
 *
 * Pure: no I/O, the clock is passed in (milliseconds, monotonic), so every
 * decision is unit-tested on a simulated clock (tests/unit/test_pace.c).
 */
#ifndef S3SRC_PACE_H
#define S3SRC_PACE_H

#include <stdint.h>

#include "rate.h"

#define PACE_BETA 0.7        /* multiplicative decrease on a 429 */
#define PACE_C 0.4           /* cubic scale, requests/s per s^3 */
#define PACE_MIN_RATE 0.5    /* requests/s: never paced slower */
#define PACE_SHARE 0.07     /* a cut needs 429s to be this share of... */
#define PACE_WINDOW 40       /* ...the last second's answers, or of the last 40 */
#define PACE_SLOT_MS 100     /* sends and answers are counted in slots... */
#define PACE_SLOTS 10        /* ...over the last second */

struct pace {
	int active;              /* 0 until the first 429 */
	double rate;             /* current send rate, requests/s (when active) */
	double w_max;            /* the rate at the last cut */
	double k_s;              /* seconds from a cut back to w_max */
	int64_t cut_ms;          /* time of the last cut */
	unsigned epoch;          /* bumped at every cut */
	unsigned cuts;
	struct rate bucket;      /* spaces the sends at `rate` */
	struct {
		uint32_t sent, answered, throttled;
	} slots[PACE_SLOTS];     /* per slot, a ring */
	uint64_t answers;        /* the last answers, newest in bit 0: 1 = 429 */
	int64_t slot;            /* number (time / PACE_SLOT_MS) of the newest slot */
};

void pace_init(struct pace *p, int64_t now);
/* Milliseconds until the next send may start (0: now). */
int64_t pace_wait_ms(struct pace *p, int64_t now);
/* An attempt starts now: takes its token. */
void pace_sent(struct pace *p, int64_t now);
/* An attempt that started in `epoch` (p->epoch at its start) was answered;
 * throttled: the answer was a 429. Returns 1 if the rate was cut. */
int pace_answer(struct pace *p, int64_t now, int throttled, unsigned epoch);
/* Sends in the last second (the slots up to now). */
unsigned pace_sent_last_second(struct pace *p, int64_t now);

#endif
