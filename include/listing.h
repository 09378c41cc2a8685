/*
 * listing.h - what the server holds: every S3 source, read through Panther's
 * GraphQL API (spec: "Server state: listing, plan, modify by merge"). The REST
 * API has no list operation; the `sources` query does, page by page.
 *
 * listing_fetch() runs the query on the request engine (sched.c: the same
 * retries, rate limit, token handling as every request), one page after the
 * other: the first page without a cursor, then endCursor while hasNextPage.
 * Only the nodes whose integrationType is "aws-s3" are kept, in the server's
 * order, in an in-memory index (a few dozen bytes per source: the one place
 * where memory follows the server's size, as the spec allows) with lookups by
 * integrationId and by integrationLabel.
 *
 * Users: `s3src list`, `export --all`, `delete --label`, the lost-reply
 * recovery of import (listing_match_lost), and label matching and conflict
 * checks of import/plan (listing_find_label).
 *
 * The page parser (listing_parse_page) and the request body
 * (listing_request_body) are pure, for the unit tests and the fuzzer.
 */
#ifndef S3SRC_LISTING_H
#define S3SRC_LISTING_H

#include <stddef.h>

#include "conn.h"
#include "engine.h"

/* One S3 source as the listing shows it. All strings owned by the listing,
 * never NULL (an absent field is ""). */
struct listed_source {
	char *id;        /* integrationId */
	char *label;     /* integrationLabel */
	char *account;   /* awsAccountId */
	char *bucket;    /* s3Bucket */
};

struct listing;

/* The result of listing_fetch(). */
enum listing_status {
	LISTING_OK = 0,
	LISTING_FAILED,     /* an HTTP error, a GraphQL error, a bad reply, no answer */
	LISTING_REFUSED,    /* 401 or 403: the token, or its permission to list */
	LISTING_ABORTED,    /* a signal, or libcurl could not be set up */
};

/* An empty listing (for tests, or to fill with listing_parse_page). */
struct listing *listing_new(void);
void listing_free(struct listing *l);

/*
 * Reads every page. On LISTING_OK *out receives a new listing (the caller
 * frees it with listing_free); otherwise *out is NULL and err holds one line
 * saying what failed ("the API refused the listing (HTTP 403): ..."), naming
 * the GraphQL error's first message when there is one. stats (may be NULL)
 * receives the engine's figures (requests, retries, latency) of the pages.
 */
enum listing_status listing_fetch(const struct conn_opts *conn, struct listing **out,
				  struct sched_stats *stats, char *err, size_t errlen);

/* The body of the request for one page: the query and, unless cursor is NULL
 * (the first page), {"input": {"cursor": cursor}} as its variables. New
 * string (caller frees). */
char *listing_request_body(const char *cursor);

/*
 * Parses one page's reply (an HTTP 200 body) into l, keeping the aws-s3 nodes.
 * Returns 1 when there is a next page (*next_cursor: a new string, the caller
 * frees), 0 on the last page, -1 with a message in err: a reply with an
 * "errors" array ("the API refused the listing: MESSAGE"), a body that is not
 * the query's shape, an S3 node without an integrationId, a next page without
 * a cursor. Nodes of a failed page may have been added.
 */
int listing_parse_page(struct listing *l, const char *body, size_t len, char **next_cursor,
		       char *err, size_t errlen);

/* The S3 sources, in the server's order: listing_count() of them. */
size_t listing_count(const struct listing *l);
const struct listed_source *listing_at(const struct listing *l, size_t i);
/* Nodes of other kinds (SQS, HTTP, ...) the listing showed and skipped. */
size_t listing_others(const struct listing *l);
/* Pages read. */
size_t listing_pages(const struct listing *l);

/* The S3 source with this ID, or NULL. Borrowed from l. */
const struct listed_source *listing_find_id(const struct listing *l, const char *id);
/* The S3 source with this label (exact match), or NULL. Labels are unique on
 * the server; if two S3 sources share one, the first listed is returned and
 * listing_label_count() says so. Borrowed from l. */
const struct listed_source *listing_find_label(const struct listing *l, const char *label);
/* How many S3 sources carry this label (0, 1, or more on a server that
 * allowed duplicates). */
size_t listing_label_count(const struct listing *l, const char *label);

/* The lost-reply check (spec "Lost replies"): the S3 source labelled label if
 * it has this account and bucket, else NULL. A label found with another
 * account or bucket is not ours: NULL. Borrowed from l. */
const struct listed_source *listing_match_lost(const struct listing *l, const char *label,
					       const char *account, const char *bucket);

/* 1 if s has the shape of an integration ID: a UUID, 8-4-4-4-12 hex digits. */
int listing_is_uuid(const char *s);

#endif
