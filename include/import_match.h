/*
 * import_match.h - what import and plan learn from the server's listing
 * before the first write (spec: "Label matching", and plan's `conflict`).
 *
 * With --match label (the default of import and plan in --mode auto) the
 * listing is read once, before anything is written. Then, for each create row:
 *   - a source on the server with the row's label: the row becomes a modify of
 *     that source (fetch, merge, compare: merge.h), so a sheet run twice
 *     creates nothing twice and changes nothing twice;
 *   - otherwise, the sources on the server with the row's account and bucket
 *     are the candidates for a conflict: the caller fetches each and
 *     import_match_overlap() says whether it already ingests one of the row's
 *     prefixes (two sources would read the same objects twice). Such a row is
 *     `conflict` in plan and `failed` in import, and nothing is sent for it.
 * The listing has no prefixes, hence the fetch; it is only done for a create
 * whose bucket the server already knows.
 *
 * Memory: the listing (a few dozen bytes per server source) and an index of
 * its sources by account + bucket, as the spec allows for a server listing.
 */
#ifndef S3SRC_IMPORT_MATCH_H
#define S3SRC_IMPORT_MATCH_H

#include <stddef.h>
#include <jansson.h>

#include "listing.h"

struct import_match;

/* Takes ownership of l. */
struct import_match *import_match_new(struct listing *l);
void import_match_free(struct import_match *m);

/* The ID of the S3 source labelled label on the server, or NULL (borrowed). */
const char *import_match_label(const struct import_match *m, const char *label);
/* The IDs of the server's S3 sources on this account and bucket: *n of them
 * (borrowed; NULL when none). */
const char *const *import_match_bucket(const struct import_match *m, const char *account,
				       const char *bucket, size_t *n);
/* Whether server (an S3Source as GET returns it, borrowed) has a mapping with
 * one of the prefixes of body's s3PrefixLogTypes (a create body, borrowed).
 * Returns the shared prefix (borrowed from body), or NULL. */
const char *import_match_overlap(const json_t *body, const json_t *server);

#endif
