/*
 * progress.h - the one-line progress display on stderr: rows done of total,
 * ok, failed, retrying, requests/s, ETA. Redrawn at most a few times a second,
 * cleared at the end so the summary starts on a clean line.
 */
#ifndef S3SRC_PROGRESS_H
#define S3SRC_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

struct progress {
	FILE *out;            /* NULL: disabled */
	int64_t last_ms;      /* last redraw */
	int64_t start_ms;
	int drawn;            /* a line is on screen */
};

struct progress_counts {
	uint64_t done, total; /* total 0: unknown */
	uint64_t ok, failed, retrying, requests;
};

void progress_init(struct progress *p, FILE *out);
/* Redraws if at least 250 ms passed since the last redraw (or force). */
void progress_update(struct progress *p, const struct progress_counts *c, int force);
/* Clears the line. */
void progress_end(struct progress *p);
/* Formats the line into buf (pure, for tests): "120/400 rows ...". */
void progress_format(char *buf, size_t len, const struct progress_counts *c, int64_t elapsed_ms);

#endif
