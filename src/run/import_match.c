/*
 * import_match.c - label matching and conflict candidates from the server's
 * listing (see import_match.h).
 *
 * The listing already indexes labels (listing_find_label). The account +
 * bucket index is a jansson object used as a hash table: "account/bucket" ->
 * array of integrationId strings, built once when the listing arrives; the ID
 * strings handed out are borrowed from the listing, which the match owns.
 */
#include "import_match.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

struct import_match {
	struct listing *listing;   /* owned */
	json_t *by_bucket;         /* owned: "account/bucket" -> [index, ...] */
	const char **ids;          /* scratch for import_match_bucket (owned array) */
	size_t aids;
};

static char *bucket_key(const char *account, const char *bucket)
{
	return xasprintf("%s/%s", account ? account : "", bucket ? bucket : "");
}

struct import_match *import_match_new(struct listing *l)
{
	struct import_match *m = xcalloc(1, sizeof(*m));
	m->listing = l;
	m->by_bucket = json_object();
	for (size_t i = 0; i < listing_count(l); i++) {
		const struct listed_source *s = listing_at(l, i);
		char *key = bucket_key(s->account, s->bucket);
		json_t *list = json_object_get(m->by_bucket, key);   /* borrowed */
		if (!list) {
			list = json_array();
			json_object_set_new(m->by_bucket, key, list);
		}
		json_array_append_new(list, json_integer((json_int_t)i));
		free(key);
	}
	return m;
}

void import_match_free(struct import_match *m)
{
	if (!m)
		return;
	listing_free(m->listing);
	json_decref(m->by_bucket);
	free(m->ids);
	free(m);
}

const char *import_match_label(const struct import_match *m, const char *label)
{
	const struct listed_source *s = label ? listing_find_label(m->listing, label) : NULL;
	return s ? s->id : NULL;
}

const char *const *import_match_bucket(const struct import_match *m, const char *account,
				       const char *bucket, size_t *n)
{
	struct import_match *mm = (struct import_match *)m;   /* the scratch array only */
	char *key = bucket_key(account, bucket);
	const json_t *list = json_object_get(m->by_bucket, key);
	free(key);
	*n = json_array_size(list);
	if (!*n)
		return NULL;
	if (mm->aids < *n) {
		mm->ids = xrealloc(mm->ids, *n * sizeof(*mm->ids));
		mm->aids = *n;
	}
	for (size_t i = 0; i < *n; i++)
		mm->ids[i] = listing_at(m->listing,
					(size_t)json_integer_value(json_array_get(list, i)))->id;
	return mm->ids;
}

static const char *prefix_of(const json_t *mapping)
{
	const char *p = json_string_value(json_object_get(mapping, "prefix"));
	return p ? p : "";
}

const char *import_match_overlap(const json_t *body, const json_t *server)
{
	const json_t *mine = json_object_get(body, "s3PrefixLogTypes");
	const json_t *theirs = json_object_get(server, "s3PrefixLogTypes");
	size_t i, j;
	const json_t *a, *b;
	json_array_foreach((json_t *)mine, i, a) {
		json_array_foreach((json_t *)theirs, j, b) {
			if (!strcmp(prefix_of(a), prefix_of(b)))
				return prefix_of(a);
		}
	}
	return NULL;
}
