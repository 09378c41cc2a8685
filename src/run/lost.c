/*
 * lost.c - creates whose reply was lost, found by their label after the run
 * (see lost.h).
 */
#include "lost.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "results.h"
#include "source.h"
#include "util.h"

#define FOUND_WARNING "the reply was lost; found by its label"

void lost_init(struct lost_replies *lr)
{
	memset(lr, 0, sizeof(*lr));
}

void lost_release(struct lost_replies *lr)
{
	for (size_t i = 0; i < lr->n; i++) {
		source_free(lr->v[i].src);
		free(lr->v[i].error);
	}
	free(lr->v);
	memset(lr, 0, sizeof(*lr));
}

void lost_add(struct lost_replies *lr, struct source *src, int http_status, int attempts,
	      int64_t elapsed_ms, char *error)
{
	if (lr->n == lr->alloc)
		lr->v = xrealloc(lr->v, (lr->alloc = lr->alloc ? 2 * lr->alloc : 16) * sizeof(*lr->v));
	lr->v[lr->n++] = (struct lost_row){ src, http_status, attempts, elapsed_ms, error };
}

/* A string member of the row's request body (borrowed), or NULL. */
static const char *body_string(const struct source *s, const char *key)
{
	return s->body ? json_string_value(json_object_get(s->body, key)) : NULL;
}

size_t lost_resolve(struct lost_replies *lr, const struct conn_opts *conn, struct run *run,
		    int look_up, struct sched_stats *stats)
{
	struct listing *l = NULL;
	char lerr[1024] = "";
	size_t found = 0;

	if (!lr->n)
		return 0;
	if (look_up) {
		struct sched_stats ls;
		if (listing_fetch(conn, &l, &ls, lerr, sizeof(lerr)) != LISTING_OK)
			warning("%zu create%s whose reply was lost could not be looked up by label: %s",
				lr->n, lr->n == 1 ? "" : "s", lerr);
		if (stats)
			sched_stats_add(stats, &ls);   /* the listing's figures to the run's */
	}
	for (size_t i = 0; i < lr->n; i++) {
		struct lost_row *row = &lr->v[i];
		struct source *s = row->src;
		const char *label = s->label ? s->label : "";
		const struct listed_source *m = l ? listing_match_lost(l, label,
			body_string(s, "awsAccountId"), body_string(s, "s3Bucket")) : NULL;
		char *warn = diag_render_new(&s->diags, DIAG_WARNING), *err = NULL;
		struct result r = {
			.row = s->row, .line = s->line, .action = s->action,
			.http_status = row->http_status, .label = s->label, .attempts = row->attempts,
			.elapsed_ms = row->elapsed_ms, .warning = warn, .fingerprint = s->fingerprint,
		};

		if (m) {
			found++;
			r.outcome = OUTCOME_CREATED;
			r.id = m->id;
			char *own = warn;
			warn = own ? xasprintf("%s; %s", own, FOUND_WARNING) : xstrdup(FOUND_WARNING);
			free(own);
			r.warning = warn;
		} else {
			const struct listed_source *other = l ? listing_find_label(l, label) : NULL;
			r.outcome = OUTCOME_FAILED;
			if (!look_up)
				err = xstrdup(row->error);
			else if (!l)
				err = xasprintf("%s (the lookup by label failed: %s)", row->error, lerr);
			else if (other && listing_label_count(l, label) > 1)
				err = xasprintf("%s (the listing shows %zu S3 sources labelled '%s': not guessed)",
						row->error, listing_label_count(l, label), label);
			else if (other)
				err = xasprintf("%s (the S3 source labelled '%s', %s, has account '%s' and "
						"bucket '%s': not this row's)", row->error, label, other->id,
						other->account, other->bucket);
			else
				err = xasprintf("%s (the listing shows no S3 source labelled '%s')",
						row->error, label);
			r.error = err;
		}
		run_record(run, s, &r);
		free(warn);
		free(err);
	}
	listing_free(l);
	lost_release(lr);
	return found;
}
