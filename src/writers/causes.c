/*
 * causes.c - failures grouped by cause (see causes.h), for the summary at the
 * end of a run and for `s3src report`.
 *
 * Classification uses only what a results record holds, in this order:
 *   invalid                 outcome "invalid" (grouped by each field its error names)
 *   not found in the listing  a --label the listing has no source for, or several
 *                           (looked up locally in the listing: nothing was sent)
 *   conflict                a create not sent because a source on the server already
 *                           ingests its bucket and prefix: plan's outcome "conflict",
 *                           import's failure "source 'X' already ingests s3://...;
 *                           nothing was sent" (its status and attempts are the GET's)
 *   aborted                 "skipped" whose error begins "not sent", or a failure
 *                           whose error says it was not sent or abandoned in flight
 *   reply lost              a failure whose error says a reply was lost or unreadable
 *                           (the write may have been applied)
 *   rejected by the server  a failure with a 4xx other than 408 and 429, or one that
 *                           was never attempted (refused before sending); by message
 *   retries exhausted       every other failure: 5xx, 408, 429, transport errors
 * A row skipped by --resume ("already done in ...") and every success are no cause.
 */
#include "causes.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const names[CAUSE__COUNT] = {
	[CAUSE_NONE] = "",
	[CAUSE_INVALID] = "invalid",
	[CAUSE_LISTING] = "not found in the listing",
	[CAUSE_CONFLICT] = "conflict",
	[CAUSE_REJECTED] = "rejected by the server",
	[CAUSE_RETRIES] = "retries exhausted",
	[CAUSE_REPLY_LOST] = "reply lost",
	[CAUSE_ABORTED] = "aborted",
};

const char *cause_name(enum cause c)
{
	return c >= 0 && c < CAUSE__COUNT ? names[c] : "";
}

static int starts(const char *s, const char *p)
{
	return s && !strncmp(s, p, strlen(p));
}

static int has(const char *s, const char *p)
{
	return s && strstr(s, p);
}

enum cause cause_of(const char *outcome, int http_status, int attempts, const char *error)
{
	if (!outcome)
		return CAUSE_NONE;
	if (!strcmp(outcome, "invalid"))
		return CAUSE_INVALID;
	if (!strcmp(outcome, "skipped"))
		return starts(error, "not sent") ? CAUSE_ABORTED : CAUSE_NONE;
	if (!strcmp(outcome, "conflict"))
		return CAUSE_CONFLICT;
	if (strcmp(outcome, "failed"))
		return CAUSE_NONE;
	if (starts(error, "not sent") || starts(error, "abandoned in flight"))
		return CAUSE_ABORTED;
	if (!http_status && (starts(error, "no S3 source is labelled '") ||
			     has(error, " S3 sources are labelled '")))
		return CAUSE_LISTING;
	if (starts(error, "source '") && has(error, " already ingests s3://") &&
	    has(error, "; nothing was sent"))
		return CAUSE_CONFLICT;
	if (has(error, "reply was lost") || has(error, "reply could not be read") ||
	    has(error, "without an integrationId"))
		return CAUSE_REPLY_LOST;
	if ((http_status >= 400 && http_status < 500 && http_status != 408 && http_status != 429) ||
	    (!http_status && attempts == 0))
		return CAUSE_REJECTED;
	return CAUSE_RETRIES;
}

void causes_init(struct causes *c)
{
	memset(c, 0, sizeof(*c));
}

void causes_release(struct causes *c)
{
	for (int k = 0; k < CAUSE__COUNT; k++) {
		for (size_t i = 0; i < c->nrefs[k]; i++)
			free(c->refs[k][i]);
		for (size_t g = 0; g < c->ngroups[k]; g++) {
			free(c->groups[k][g].key);
			for (size_t i = 0; i < c->groups[k][g].nrefs; i++)
				free(c->groups[k][g].refs[i]);
		}
	}
	memset(c, 0, sizeof(*c));
}

size_t causes_total(const struct causes *c)
{
	size_t n = 0;
	for (int k = CAUSE_NONE + 1; k < CAUSE__COUNT; k++)
		n += c->count[k];
	return n;
}

/* The order refs are shown in: line numbers by value, then the others (an
 * ID or a label) as they came. */
static int ref_before(const char *a, const char *b)
{
	int na = a[0] >= '0' && a[0] <= '9', nb = b[0] >= '0' && b[0] <= '9';
	if (na != nb)
		return na;
	return na && strtoull(a, NULL, 10) < strtoull(b, NULL, 10);
}

/* Keeps the first CAUSES_MAX_REFS refs in that order, so a long list shows
 * its lowest lines whatever order the rows finished in. */
static void ref_add(char **refs, size_t *nrefs, const char *ref)
{
	size_t n = *nrefs, i = n;

	if (!ref)
		return;
	while (i > 0 && ref_before(ref, refs[i - 1]))
		i--;
	if (i == CAUSES_MAX_REFS)
		return;
	if (n == CAUSES_MAX_REFS)
		free(refs[--n]);
	memmove(&refs[i + 1], &refs[i], (n - i) * sizeof(*refs));
	refs[i] = xstrndup(ref, strnlen(ref, 80));
	*nrefs = n + 1;
}

/* Counts one row in the group key of cause k (the "other" group once the
 * table is full). */
static void group_add(struct causes *c, enum cause k, const char *key, size_t len, const char *ref)
{
	struct cause_group *g = NULL;
	for (size_t i = 0; i < c->ngroups[k] && i < CAUSES_MAX_GROUPS; i++) {
		if (strlen(c->groups[k][i].key) == len && !strncmp(c->groups[k][i].key, key, len)) {
			g = &c->groups[k][i];
			break;
		}
	}
	if (!g && c->ngroups[k] < CAUSES_MAX_GROUPS) {
		g = &c->groups[k][c->ngroups[k]++];
		g->key = xstrndup(key, len);
	}
	if (!g) {   /* the table is full: the extra slot, counted in ngroups once used */
		g = &c->groups[k][CAUSES_MAX_GROUPS];
		if (!g->key) {
			g->key = xstrdup("(other)");
			c->ngroups[k]++;
		}
	}
	g->count++;
	ref_add(g->refs, &g->nrefs, ref);
}

/* The fields an invalid row's error names: "field: message[; field: message]".
 * A segment's field is the text before ": " when it holds no space (but for a
 * " (line N)" suffix, which is dropped); a row-level error has none: "row". */
static void invalid_fields(struct causes *c, const char *error, const char *ref)
{
	int any = 0;
	for (const char *p = error; p && *p;) {
		const char *end = strstr(p, "; ");
		const char *colon = strstr(p, ": ");
		if (colon && (!end || colon < end)) {
			const char *f = p, *fe = colon;
			const char *paren = memchr(f, '(', (size_t)(fe - f));
			if (paren && paren > f && paren[-1] == ' ')
				fe = paren - 1;
			if (fe > f && !memchr(f, ' ', (size_t)(fe - f))) {
				group_add(c, CAUSE_INVALID, f, (size_t)(fe - f), ref);
				any = 1;
			}
		}
		p = end ? end + 2 : NULL;
	}
	if (!any)
		group_add(c, CAUSE_INVALID, "row", 3, ref);
}

/* A server message without the " (after N attempts)" that varies per row. */
static size_t message_len(const char *error)
{
	size_t n = strlen(error);
	const char *after = strstr(error, " (after ");
	if (after && strstr(after, " attempts)") && after[strlen(after) - 1] == ')')
		n = (size_t)(after - error);
	return n > 200 ? 200 : n;
}

enum cause causes_add(struct causes *c, const char *outcome, int http_status, int attempts,
		      const char *error, const char *ref)
{
	enum cause k = cause_of(outcome, http_status, attempts, error);
	if (k == CAUSE_NONE)
		return k;
	c->count[k]++;
	ref_add(c->refs[k], &c->nrefs[k], ref);
	if (k == CAUSE_INVALID)
		invalid_fields(c, error, ref);
	else if (k == CAUSE_REJECTED)
		group_add(c, k, error ? error : "", error ? message_len(error) : 0, ref);
	return k;
}

/* word ("line") goes before the refs that are numbers; a ref that is not
 * (a row given on the command line: "ID 'x'", "label 'L'") stands alone */
static void print_refs(FILE *out, char *const *refs, size_t nrefs, size_t count, const char *word)
{
	if (!nrefs)
		return;
	size_t numbers = 0;
	for (size_t i = 0; i < nrefs; i++)
		numbers += refs[i][0] >= '0' && refs[i][0] <= '9';
	fprintf(out, " (");
	if (word && numbers)
		fprintf(out, "%s%s ", word, numbers > 1 || count > nrefs ? "s" : "");
	for (size_t i = 0, first = 1; i < nrefs; i++) {   /* the numbers first, after the word */
		if (word && numbers && !(refs[i][0] >= '0' && refs[i][0] <= '9'))
			continue;
		fprintf(out, "%s%s", first ? "" : ", ", refs[i]);
		first = 0;
	}
	for (size_t i = 0; word && numbers && i < nrefs; i++)
		if (!(refs[i][0] >= '0' && refs[i][0] <= '9'))
			fprintf(out, ", %s", refs[i]);
	fprintf(out, "%s)", count > nrefs ? ", ..." : "");
}

void causes_print(const struct causes *c, FILE *out, const char *indent, const char *ref_word)
{
	for (int k = CAUSE_NONE + 1; k < CAUSE__COUNT; k++) {
		if (!c->count[k])
			continue;
		fprintf(out, "%s%s: %zu row%s", indent, names[k], c->count[k], c->count[k] == 1 ? "" : "s");
		if (!c->ngroups[k])
			print_refs(out, c->refs[k], c->nrefs[k], c->count[k], ref_word);
		fputc('\n', out);
		for (size_t g = 0; g < c->ngroups[k]; g++) {   /* the last may be "other" */
			const struct cause_group *grp = &c->groups[k][g];
			fprintf(out, "%s  %s: %zu", indent, grp->key, grp->count);
			print_refs(out, grp->refs, grp->nrefs, grp->count, ref_word);
			fputc('\n', out);
		}
	}
}
