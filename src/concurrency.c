/*
 * concurrency.c - additive increase, multiplicative decrease of the in-flight
 * limit, as TCP does with its window: throttling answers (429) halve it, a run
 * of `limit` successes adds one. The scheduler asks aimd.limit before starting
 * an attempt; requests already in flight above a lowered limit just finish.
 */
#include "concurrency.h"

void aimd_init(struct aimd *a, unsigned max)
{
	a->max = max ? max : 1;
	a->limit = a->max;
	a->gained = 0;
	a->epoch = 0;
}

int aimd_throttled(struct aimd *a, unsigned epoch)
{
	if (epoch != a->epoch)
		return 0;
	a->limit /= 2;
	if (a->limit < 1)
		a->limit = 1;
	a->gained = 0;
	a->epoch++;
	return 1;
}

void aimd_success(struct aimd *a)
{
	if (a->limit >= a->max)
		return;
	if (++a->gained >= a->limit) {
		a->limit++;
		a->gained = 0;
	}
}
