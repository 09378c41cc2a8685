/*
 * unrecorded.c - rows that changed something and are not in the results
 * file go to stderr (see unrecorded.h).
 *
 * Each line names the row, the action, the outcome, the integration ID and
 * the label, e.g.
 *   s3src: unrecorded: row 12: create: created '5f0c...' (label 'prod-logs')
 * so a user can rebuild the missing records from the terminal or a log.
 */
#include "unrecorded.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

struct unrec_entry {
	uint64_t end;            /* results bytes after this record */
	size_t row;
	enum action action;
	enum outcome outcome;
	char *id, *label;        /* owned */
};

/* 1 if the records written to st may never reach a reader without a write
 * error: a pipe or FIFO (stdout or a named one), a socket, a character device
 * (a terminal, a serial line) other than /dev/null. */
static int may_lose(const struct stat *st)
{
	struct stat null;

	if (S_ISFIFO(st->st_mode) || S_ISSOCK(st->st_mode))
		return 1;
	if (!S_ISCHR(st->st_mode))
		return 0;
	return !(stat("/dev/null", &null) == 0 && S_ISCHR(null.st_mode) &&
		 null.st_rdev == st->st_rdev);
}

void unrecorded_init(struct unrecorded *u, int results_fd)
{
	struct stat st;

	memset(u, 0, sizeof(*u));
	u->fd = -1;
	if (results_fd >= 0 && fstat(results_fd, &st) == 0 && may_lose(&st)) {
		u->fd = results_fd;
		int sz = -1;
#ifdef F_GETPIPE_SZ
		sz = fcntl(results_fd, F_GETPIPE_SZ);
#endif
		/* a socket's or a device's buffer is not a pipe's: keep a generous window */
		u->cap = sz > 0 && S_ISFIFO(st.st_mode) ? (uint64_t)sz : (uint64_t)1 << 20;
	}
}

static void entry_free(struct unrec_entry *e)
{
	free(e->id);
	free(e->label);
}

void unrecorded_release(struct unrecorded *u)
{
	for (size_t i = 0; i < u->n; i++)
		entry_free(&u->v[(u->head + i) % u->alloc]);
	free(u->v);
	memset(u, 0, sizeof(*u));
	u->fd = -1;
}

int unrecorded_matters(const struct result *res)
{
	return res->outcome == OUTCOME_CREATED || res->outcome == OUTCOME_MODIFIED ||
	       res->outcome == OUTCOME_DELETED;
}

static void print_row(size_t row, enum action a, enum outcome o, const char *id, const char *label)
{
	fprintf(stderr, "s3src: unrecorded: row %zu: %s: %s '%s' (label '%s')\n", row,
		action_name(a), outcome_name(o), id ? id : "", label ? label : "");
}

void unrecorded_lost(struct unrecorded *u, const struct result *res)
{
	if (!unrecorded_matters(res))
		return;
	print_row(res->row, res->action, res->outcome, res->id, res->label);
	u->printed++;
}

void unrecorded_written(struct unrecorded *u, const struct result *res, uint64_t end)
{
	if (u->fd < 0)
		return;
	/* forget what is more than two pipes' worth behind: a reader holds at
	 * most one read block (at most a pipe's worth) and the pipe another */
	while (u->n && u->v[u->head].end + 2 * u->cap < end) {
		entry_free(&u->v[u->head]);
		u->head = (u->head + 1) % u->alloc;
		u->n--;
	}
	if (!unrecorded_matters(res))
		return;
	if (u->n == u->alloc) {
		size_t na = u->alloc ? 2 * u->alloc : 64;
		struct unrec_entry *nv = xcalloc(na, sizeof(*nv));
		for (size_t i = 0; i < u->n; i++)
			nv[i] = u->v[(u->head + i) % u->alloc];
		free(u->v);
		u->v = nv;
		u->alloc = na;
		u->head = 0;
	}
	struct unrec_entry *e = &u->v[(u->head + u->n++) % u->alloc];
	e->end = end;
	e->row = res->row;
	e->action = res->action;
	e->outcome = res->outcome;
	e->id = xstrdup(res->id ? res->id : "");
	e->label = xstrdup(res->label ? res->label : "");
}

int unrecorded_check_pipe(struct unrecorded *u, int failed)
{
	if (u->fd < 0 || u->reported)
		return 0;
	if (!failed) {
		struct pollfd p = { .fd = u->fd, .events = POLLOUT };
		if (poll(&p, 1, 0) != 1 || !(p.revents & POLLERR))
			return 0;   /* the reader is still there: it gets the rest */
	}
	u->reported = 1;
	/* A reader that left early may have thrown away what it read (head reads a
	 * block and prints 3 lines): all the kept rows are repeated. */
	if (!u->n)
		return 1;
	warning("the results pipe's reader has gone: %zu row%s that changed something may not "
		"have been read, repeated here; any later one is printed as it finishes",
		u->n, u->n == 1 ? "" : "s");
	for (size_t i = 0; i < u->n; i++) {
		struct unrec_entry *e = &u->v[(u->head + i) % u->alloc];
		print_row(e->row, e->action, e->outcome, e->id, e->label);
		u->printed++;
	}
	return 1;
}
