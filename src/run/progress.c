/*
 * progress.c - the progress line (see progress.h). Drawn with a carriage
 * return and an erase-to-end-of-line, only when the caller decided stderr is a
 * terminal (or --progress forced it).
 */
#include "progress.h"

#include <stdio.h>

#include "util.h"

void progress_init(struct progress *p, FILE *out)
{
	p->out = out;
	p->last_ms = 0;
	p->start_ms = now_ms();
	p->drawn = 0;
}

static void fmt_eta(char *buf, size_t len, int64_t ms)
{
	int64_t s = (ms + 999) / 1000;
	if (s >= 3600)
		snprintf(buf, len, "%lld:%02lld:%02lld", (long long)(s / 3600),
			 (long long)(s / 60 % 60), (long long)(s % 60));
	else
		snprintf(buf, len, "%lld:%02lld", (long long)(s / 60), (long long)(s % 60));
}

void progress_format(char *buf, size_t len, const struct progress_counts *c, int64_t elapsed_ms)
{
	double secs = elapsed_ms > 0 ? elapsed_ms / 1000.0 : 0.001;
	double rps = c->requests / secs;
	char eta[32] = "-";
	uint64_t total = c->total;

	if (total && total < c->done)
		total = c->done;
	if (total && c->done && c->done < total) {
		double per_row = (double)elapsed_ms / c->done;
		fmt_eta(eta, sizeof(eta), (int64_t)(per_row * (total - c->done)));
	} else if (total && c->done >= total) {
		snprintf(eta, sizeof(eta), "0:00");
	}
	if (total)
		snprintf(buf, len, "%llu/%llu rows  ok %llu  failed %llu  retrying %llu  %.1f req/s  ETA %s",
			 (unsigned long long)c->done, (unsigned long long)total,
			 (unsigned long long)c->ok, (unsigned long long)c->failed,
			 (unsigned long long)c->retrying, rps, eta);
	else
		snprintf(buf, len, "%llu rows  ok %llu  failed %llu  retrying %llu  %.1f req/s",
			 (unsigned long long)c->done, (unsigned long long)c->ok,
			 (unsigned long long)c->failed, (unsigned long long)c->retrying, rps);
}

void progress_update(struct progress *p, const struct progress_counts *c, int force)
{
	if (!p->out)
		return;
	int64_t now = now_ms();
	if (!force && p->drawn && now - p->last_ms < 250)
		return;
	char line[256];
	progress_format(line, sizeof(line), c, now - p->start_ms);
	fprintf(p->out, "\r%s\033[K", line);
	fflush(p->out);
	p->last_ms = now;
	p->drawn = 1;
}

void progress_end(struct progress *p)
{
	if (p->out && p->drawn) {
		fputs("\r\033[K", p->out);
		fflush(p->out);
	}
	p->drawn = 0;
}
