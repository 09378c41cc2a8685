/*
 * causes.h - why rows failed, grouped the way a user fixes them: invalid (by
 * field), not found in the listing, conflict, rejected by the server (by
 * message), retries exhausted, reply lost, aborted. The import summary and `s3src report` both tally finished rows
 * here and print one block per cause with a count and the first few rows.
 *
 * A row's cause is read from what its results record holds (outcome, HTTP
 * status, attempts, error text), so a results file written by any run,
 * read back by `report`, is classified exactly as the run's own summary did.
 *
 * Memory is bounded whatever the number of rows: at most CAUSES_MAX_GROUPS
 * groups per cause (the rest counted as "other"), and CAUSES_MAX_REFS rows (the
 * lowest lines) named per group.
 */
#ifndef S3SRC_CAUSES_H
#define S3SRC_CAUSES_H

#include <stddef.h>
#include <stdio.h>

enum cause {
	CAUSE_NONE = 0,     /* not a failure */
	CAUSE_INVALID,      /* not sent: a local check failed (grouped by field) */
	CAUSE_LISTING,      /* not sent: a --label the server's listing does not resolve */
	CAUSE_CONFLICT,     /* not sent: a source on the server already ingests its prefix */
	CAUSE_REJECTED,     /* the server (or a check before sending) refused it: by message */
	CAUSE_RETRIES,      /* every attempt failed transiently (5xx, 429, timeouts) */
	CAUSE_REPLY_LOST,   /* a write may have been applied: its reply was lost */
	CAUSE_ABORTED,      /* not sent or abandoned because the run stopped */
	CAUSE__COUNT
};

#define CAUSES_MAX_GROUPS 16
#define CAUSES_MAX_REFS 5

/* The cause of one finished row from its results record: outcome as written
 * ("failed", "invalid", "skipped", ...), HTTP status (0: none), attempts and
 * the error text (may be NULL). */
enum cause cause_of(const char *outcome, int http_status, int attempts, const char *error);
/* "invalid", "not found in the listing", "conflict", "rejected by the server",
 * "retries exhausted", "reply lost", "aborted". */
const char *cause_name(enum cause c);

struct cause_group {
	char *key;                     /* field or message (owned) */
	size_t count;
	size_t nrefs;
	char *refs[CAUSES_MAX_REFS];   /* the lowest lines, then other refs (owned) */
};

struct causes {
	size_t count[CAUSE__COUNT];
	size_t nrefs[CAUSE__COUNT];
	char *refs[CAUSE__COUNT][CAUSES_MAX_REFS];                /* lowest lines of each cause */
	struct cause_group groups[CAUSE__COUNT][CAUSES_MAX_GROUPS + 1]; /* last: "other" */
	size_t ngroups[CAUSE__COUNT];
};

void causes_init(struct causes *c);
void causes_release(struct causes *c);
/* Tallies one finished row (ignored when it is not a failure); ref names it
 * in the listing (a line number, a label; copied). Returns its cause. */
enum cause causes_add(struct causes *c, const char *outcome, int http_status, int attempts,
		      const char *error, const char *ref);
/* Total of the failure causes. */
size_t causes_total(const struct causes *c);
/* Prints one block per cause that has rows, each line starting with indent;
 * refs are shown as "(WORD 4, 9, ...)" where WORD is ref_word ("line"/"lines"
 * made plural by adding "s"), or "(a, b, ...)" when ref_word is NULL. */
void causes_print(const struct causes *c, FILE *out, const char *indent, const char *ref_word);

#endif
