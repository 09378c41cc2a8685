/*
 * fuzz_listing.c - libFuzzer harness: the GraphQL listing's page parser
 * (listing_parse_page in listing.c) on hostile or broken replies, and the
 * request body of the next page built from whatever cursor a reply gave.
 *
 * The input is one or more page bodies separated by a NUL byte, parsed into
 * one listing in turn (as the pages of one listing are), stopping at the first
 * page that is not followed by another.
 *
 * Oracles beyond the sanitizers: the result is -1, 0 or 1; a cursor is handed
 * out exactly when the result is 1, and the next request body carries it
 * unchanged; an error is one printable line; every listed source has an ID and
 * is found again by its ID and (one of the sources with its label) by its
 * label.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "fuzz.h"
#include "listing.h"

static void check(int cond, const char *what, const char *detail)
{
	if (!cond) {
		fprintf(stderr, "fuzz oracle violated: %s: %s\n", what, detail ? detail : "");
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct listing *l = listing_new();
	const char *p = (const char *)data, *end = p + size;

	for (;;) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		size_t len = nul ? (size_t)(nul - p) : (size_t)(end - p);
		char err[1024] = "", *cursor = (char *)"unset";
		int rc = listing_parse_page(l, p, len, &cursor, err, sizeof(err));

		check(rc >= -1 && rc <= 1, "result out of range", NULL);
		check((rc == 1) == (cursor != NULL), "cursor without a next page, or none with one", NULL);
		if (rc < 0) {
			check(err[0] != '\0', "failure without a message", NULL);
			for (const char *c = err; *c; c++)
				check((unsigned char)*c >= 0x20 && *c != 0x7f, "control character in the message", err);
		}
		if (cursor) {
			char *body = listing_request_body(cursor);
			json_t *doc = json_loads(body, 0, NULL); /* new reference */
			const char *back = json_string_value(json_object_get(json_object_get(
				json_object_get(doc, "variables"), "input"), "cursor"));
			check(back && !strcmp(back, cursor), "cursor changed in the next request", cursor);
			json_decref(doc);
			free(body);
			free(cursor);
		}
		if (rc != 1 || !nul)
			break;
		p = nul + 1;
	}
	for (size_t i = 0; i < listing_count(l); i++) {
		const struct listed_source *s = listing_at(l, i);
		check(s->id && *s->id && s->label && s->account && s->bucket, "source with a missing field", NULL);
		check(listing_find_id(l, s->id) == s, "source not found by its ID", s->id);
		const struct listed_source *byl = listing_find_label(l, s->label);
		check(byl && !strcmp(byl->label, s->label), "source not found by its label", s->label);
		check(listing_label_count(l, s->label) >= 1, "label count", s->label);
	}
	listing_free(l);
	return 0;
}
