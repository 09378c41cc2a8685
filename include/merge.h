/*
 * merge.h - a modify is fetch, merge, compare (spec: "Modify is fetch, merge,
 * compare"). PUT replaces the whole source, so a modify never sends only what
 * its row holds: the row's patch (struct source.patch: the fields it gives,
 * null for a field it clears) is laid over the source the API returned for
 * its GET, the result is checked as a whole source by the same rules as a
 * create, cut to the modify schema's fields, and compared with the server's.
 *
 *   absent field / empty cell    the server's value is kept
 *   "#N/A" (null in the patch)   an optional field is cleared (kmsKey, each
 *                                logStreamTypeOptions field; in a mapping,
 *                                excludedPrefixes becomes [])
 *   mappings given               they replace the whole list; a mapping
 *                                without logTypes or excludedPrefixes keeps
 *                                the server's for the same prefix
 *   no mapping given             the list is kept
 *   awsAccountId, s3Bucket       equal: nothing said; different: invalid
 *                                ("cannot change s3Bucket from 'a' to 'b';
 *                                create a new source"), never sent
 *
 * No I/O: the caller (import, plan) does the GET and the PUT.
 */
#ifndef S3SRC_MERGE_H
#define S3SRC_MERGE_H

#include <jansson.h>

enum merge_status {
	MERGE_CHANGED = 0,   /* PUT body differs from the server's source */
	MERGE_UNCHANGED,     /* nothing to send (unless --force) */
	MERGE_INVALID,       /* the row cannot be applied: see error */
};

struct merge_result {
	enum merge_status status;
	json_t *body;        /* new reference: the PUT body (ModifyS3Source fields only);
			      * NULL when INVALID */
	char *error;         /* INVALID: "field: message[; ...]" (owned) */
	char *warning;       /* notes on the merged source, or NULL (owned) */
	char *changes;       /* "integrationLabel; kmsKey (cleared)", NULL when none (owned) */
	char *diff;          /* one line per change, "kmsKey: arn:... -> (cleared)",
			      * '\n'-separated, NULL when none (owned) */
};

/* Merges patch (borrowed, as in struct source) into server (borrowed: the
 * S3Source the GET returned) and compares. Always fills *out; release it with
 * merge_result_release(). */
void merge_source(const json_t *patch, const json_t *server, struct merge_result *out);
void merge_result_release(struct merge_result *r);

/* The server's source cut to the modify schema's fields in the shape a body
 * has (kmsKey and logStreamTypeOptions only when set, every mapping with
 * excludedPrefixes and prefix). New reference. */
json_t *merge_cut(const json_t *server);

#endif
