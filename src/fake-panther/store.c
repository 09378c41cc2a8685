/*
 * store.c - fake-panther's in-memory state: the S3 sources and the counters.
 *
 * The sources live in jansson objects used as hash tables, so every lookup is
 * O(1) even with the 100,000 sources of a benchmark:
 *   by_id     integrationId -> S3Source object (jansson keeps insertion order,
 *             and replacing a key's value keeps its place, so iterating it
 *             gives the sources in creation order);
 *   by_label  integrationLabel -> integrationId string (for the 409 check).
 * A stored S3Source is never changed in place: a modify builds a new object
 * and swaps it in. Everything, the counters included, is behind one mutex;
 * every operation is short (the reply body is serialized under the lock, which
 * costs microseconds for one source) so the lock is never the bottleneck.
 *
 * The ids are UUID v4 strings from a splitmix64 generator keyed by the seed
 * and the instance's id salt (store_salt_ids: 0 when --seed was given, so a
 * seeded run hands out the same ids again; random otherwise, so two instances
 * never share an id).
 *
 * The GraphQL listing (store_list) shows the S3 sources and the sources of
 * other kinds (others: id -> node, made by store_set_other_sources) ordered by
 * id; the cursor is "after:ID", so a page boundary holds whatever is created
 * or deleted meanwhile. The sorted id vector is rebuilt only when a create or
 * delete changed the set of ids (version), not per page.
 */
#include "fake.h"
#include "util.h"

#include <threads.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store {
	mtx_t lock;
	uint64_t id_state;     /* splitmix64 state for the ids */
	uint64_t id_salt;      /* mixed into id_state at every (re)start */
	json_t *by_id;         /* owned: id -> S3Source */
	json_t *by_label;      /* owned: label -> id */
	json_t *counts;        /* owned: "201" -> n */
	json_t *methods;       /* owned: "POST" -> n */
	json_t *posts_by_label;/* owned: label -> n */
	json_t *ghosts;        /* owned: array of {integrationId, integrationLabel, method} */
	long in_flight, max_in_flight;
	long resets, hangs, throttles, fails, bad_replies;
	json_t *others;        /* owned: id -> node of another kind (listing only) */
	size_t nothers;        /* kept across resets */
	uint64_t other_seed;
	uint64_t version;      /* bumped when an id comes or goes */
	uint64_t sorted_version;
	char (*sorted)[37];    /* every id, both kinds, sorted (rebuilt lazily) */
	size_t nsorted;
	long list_pages;
};

static void new_id_from(uint64_t *state, char out[37]);

/* The nothers sources of other kinds, alternately SQS and HTTP. */
static void make_others(struct store *st, uint64_t seed)
{
	uint64_t state = seed ^ 0xBB67AE8584CAA73BULL;
	char id[37], label[64];

	for (size_t i = 0; i < st->nothers; i++) {
		const char *type = i % 2 ? "http" : "aws-sqs";
		do
			new_id_from(&state, id);
		while (json_object_get(st->others, id));
		snprintf(label, sizeof(label), "other-%s-%04zu", i % 2 ? "http" : "sqs", i + 1);
		json_object_set_new(st->others, id, json_pack("{s:s, s:s, s:s}", "integrationId", id,
							       "integrationLabel", label,
							       "integrationType", type));
	}
}

static void store_init_state(struct store *st, uint64_t seed)
{
	st->id_state = seed ^ st->id_salt ^ 0x6A09E667F3BCC908ULL;
	st->by_id = json_object();
	st->by_label = json_object();
	st->counts = json_object();
	st->methods = json_object();
	st->posts_by_label = json_object();
	st->ghosts = json_array();
	st->others = json_object();
	if (!st->by_id || !st->by_label || !st->counts || !st->methods ||
	    !st->posts_by_label || !st->ghosts || !st->others)
		die("out of memory");
	st->other_seed = seed;
	make_others(st, seed);
	st->version++;
	st->list_pages = 0;
	st->max_in_flight = st->in_flight;
	st->resets = st->hangs = st->throttles = st->fails = st->bad_replies = 0;
}

static void store_release_state(struct store *st)
{
	json_decref(st->by_id);
	json_decref(st->by_label);
	json_decref(st->counts);
	json_decref(st->methods);
	json_decref(st->posts_by_label);
	json_decref(st->ghosts);
	json_decref(st->others);
}

struct store *store_new(uint64_t seed)
{
	struct store *st = xcalloc(1, sizeof(*st));

	if (mtx_init(&st->lock, mtx_plain) != thrd_success)
		die("cannot create a mutex");
	store_init_state(st, seed);
	return st;
}

void store_free(struct store *st)
{
	if (!st)
		return;
	store_release_state(st);
	free(st->sorted);
	mtx_destroy(&st->lock);
	free(st);
}

void store_salt_ids(struct store *st, uint64_t salt, uint64_t seed)
{
	mtx_lock(&st->lock);
	st->id_salt = salt;
	st->id_state = seed ^ salt ^ 0x6A09E667F3BCC908ULL;
	mtx_unlock(&st->lock);
}

void store_reset(struct store *st, uint64_t seed)
{
	mtx_lock(&st->lock);
	store_release_state(st);
	store_init_state(st, seed); /* in_flight is kept: those requests are still running */
	mtx_unlock(&st->lock);
}

/* Adds 1 to obj[key] (obj borrowed). */
static void bump(json_t *obj, const char *key)
{
	json_t *n = json_object_get(obj, key);

	if (n)
		json_integer_set(n, json_integer_value(n) + 1);
	else
		json_object_set_new(obj, key, json_integer(1));
}

/* A UUID v4 from the generator state, into out (37 bytes). */
static void new_id_from(uint64_t *state, char out[37])
{
	uint64_t hi = splitmix64(state);
	uint64_t lo = splitmix64(state);

	hi = (hi & ~0xF000ULL) | 0x4000ULL;                 /* version 4 */
	lo = (lo & ~(3ULL << 62)) | (2ULL << 62);           /* variant 10 */
	snprintf(out, 37, "%08x-%04x-%04x-%04x-%012llx",
		 (unsigned)(hi >> 32), (unsigned)(hi >> 16) & 0xFFFF,
		 (unsigned)hi & 0xFFFF, (unsigned)(lo >> 48),
		 (unsigned long long)(lo & 0xFFFFFFFFFFFFULL));
}

/* A fresh UUID v4 not yet in by_id nor others, into out (37 bytes). Under the lock. */
static void new_id(struct store *st, char out[37])
{
	do
		new_id_from(&st->id_state, out);
	while (json_object_get(st->by_id, out) || json_object_get(st->others, out));
}

static char *dump(const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);

	if (!s)
		die("out of memory");
	return s;
}

/* Copies every field of req (borrowed) into src (borrowed) as deep copies, so
 * that nothing in the store is shared with the request's thread. */
static void add_fields(json_t *src, const json_t *req)
{
	json_t *copy = json_deep_copy(req); /* new reference */

	if (!copy || json_object_update(src, copy))
		die("out of memory");
	json_decref(copy);
}

/* Records a ghost write. Under the lock. */
static void note_ghost(struct store *st, const char *id, const char *label, const char *method)
{
	json_array_append_new(st->ghosts, json_pack("{s:s, s:s?, s:s}", "integrationId", id,
						     "integrationLabel", label, "method", method));
}

enum store_rc store_create(struct store *st, const json_t *req, int ghost, char **out)
{
	const char *label = json_string_value(json_object_get(req, "integrationLabel"));
	enum store_rc rc = STORE_CONFLICT;
	char id[37];

	*out = NULL;
	mtx_lock(&st->lock);
	if (!json_object_get(st->by_label, label)) {
		json_t *src = json_object(); /* new reference, stolen by by_id below */

		new_id(st, id);
		json_object_set_new(src, "integrationId", json_string(id));
		add_fields(src, req);
		json_object_set_new(st->by_id, id, src);
		json_object_set_new(st->by_label, label, json_string(id));
		st->version++;
		if (ghost)
			note_ghost(st, id, label, "POST");
		*out = dump(src);
		rc = STORE_OK;
	}
	mtx_unlock(&st->lock);
	return rc;
}

enum store_rc store_get(struct store *st, const char *id, char **out)
{
	json_t *src;

	*out = NULL;
	mtx_lock(&st->lock);
	src = json_object_get(st->by_id, id);
	if (src)
		*out = dump(src);
	mtx_unlock(&st->lock);
	return src ? STORE_OK : STORE_NOT_FOUND;
}

enum store_rc store_modify(struct store *st, const char *id, const json_t *req, int ghost,
			   char **out)
{
	const char *label = json_string_value(json_object_get(req, "integrationLabel"));
	enum store_rc rc;
	json_t *old, *owner, *src;

	*out = NULL;
	mtx_lock(&st->lock);
	old = json_object_get(st->by_id, id); /* borrowed */
	owner = json_object_get(st->by_label, label);
	if (!old) {
		rc = STORE_NOT_FOUND;
	} else if (owner && strcmp(json_string_value(owner), id)) {
		rc = STORE_CONFLICT;
	} else {
		const char *old_label = json_string_value(json_object_get(old, "integrationLabel"));

		/* the new source: the id and the fields a modify cannot change, then
		 * every modifiable field from the request (absent optional ones go) */
		src = json_pack("{s:s, s:O, s:O}", "integrationId", id,
				"awsAccountId", json_object_get(old, "awsAccountId"),
				"s3Bucket", json_object_get(old, "s3Bucket"));
		add_fields(src, req);
		if (strcmp(old_label, label)) {
			json_object_del(st->by_label, old_label); /* old_label dies with old */
			json_object_set_new(st->by_label, label, json_string(id));
		}
		json_object_set_new(st->by_id, id, src); /* frees old, keeps the position */
		if (ghost)
			note_ghost(st, id, label, "PUT");
		*out = dump(src);
		rc = STORE_OK;
	}
	mtx_unlock(&st->lock);
	return rc;
}

enum store_rc store_delete(struct store *st, const char *id, int ghost)
{
	json_t *old;

	mtx_lock(&st->lock);
	old = json_object_get(st->by_id, id);
	if (ghost)
		note_ghost(st, id, old ? json_string_value(json_object_get(old, "integrationLabel"))
				       : NULL, "DELETE");
	if (old) {
		json_object_del(st->by_label,
				json_string_value(json_object_get(old, "integrationLabel")));
		json_object_del(st->by_id, id);
		st->version++;
	}
	mtx_unlock(&st->lock);
	return STORE_OK;
}

void store_set_other_sources(struct store *st, size_t n)
{
	mtx_lock(&st->lock);
	json_object_clear(st->others);
	st->nothers = n;
	make_others(st, st->other_seed);
	st->version++;
	mtx_unlock(&st->lock);
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Rebuilds the sorted id vector if ids came or went. Under the lock. */
static void sort_ids(struct store *st)
{
	const char *id;
	json_t *v;
	size_t n = 0;

	if (st->sorted && st->sorted_version == st->version)
		return;
	free(st->sorted);
	st->nsorted = json_object_size(st->by_id) + json_object_size(st->others);
	st->sorted = xcalloc(st->nsorted ? st->nsorted : 1, sizeof(*st->sorted));
	json_object_foreach(st->by_id, id, v)
		snprintf(st->sorted[n++], 37, "%s", id);
	json_object_foreach(st->others, id, v)
		snprintf(st->sorted[n++], 37, "%s", id);
	qsort(st->sorted, n, sizeof(*st->sorted), cmp_id);
	st->sorted_version = st->version;
}

/* The listing's node for a stored S3 source (borrowed): new reference. */
static json_t *s3_node(const json_t *src)
{
	return json_pack("{s:O, s:O, s:s, s:O, s:O}",
			 "integrationId", json_object_get(src, "integrationId"),
			 "integrationLabel", json_object_get(src, "integrationLabel"),
			 "integrationType", "aws-s3",
			 "awsAccountId", json_object_get(src, "awsAccountId"),
			 "s3Bucket", json_object_get(src, "s3Bucket"));
}

enum store_rc store_list(struct store *st, const char *cursor, size_t page_size, json_t **out)
{
	static const char prefix[] = "after:";
	const char *after = NULL;
	size_t lo = 0, hi, i;
	json_t *edges;

	*out = NULL;
	if (cursor) {
		size_t plen = sizeof(prefix) - 1;
		if (strncmp(cursor, prefix, plen) || strlen(cursor + plen) != 36 ||
		    strspn(cursor + plen, "0123456789abcdef-") != 36)
			return STORE_BAD_CURSOR;
		after = cursor + plen;
	}
	if (!page_size)
		page_size = 1;
	mtx_lock(&st->lock);
	sort_ids(st);
	/* the first id greater than after */
	hi = st->nsorted;
	while (after && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(st->sorted[mid], after) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	edges = json_array();
	for (i = lo; i < st->nsorted && json_array_size(edges) < page_size; i++) {
		json_t *src = json_object_get(st->by_id, st->sorted[i]); /* borrowed */
		json_t *node = src ? s3_node(src) : json_deep_copy(json_object_get(st->others, st->sorted[i]));
		if (!node)
			die("out of memory");
		json_array_append_new(edges, json_pack("{s:o}", "node", node));
	}
	int more = i < st->nsorted;
	char *end = i > lo ? xasprintf("%s%s", prefix, st->sorted[i - 1]) : NULL;
	st->list_pages++;
	mtx_unlock(&st->lock);
	*out = json_pack("{s:{s:o, s:{s:b, s:s?}}}", "sources", "edges", edges, "pageInfo",
			 "hasNextPage", more, "endCursor", end);
	free(end);
	if (!*out)
		die("out of memory");
	return STORE_OK;
}

size_t store_count(struct store *st)
{
	size_t n;

	mtx_lock(&st->lock);
	n = json_object_size(st->by_id);
	mtx_unlock(&st->lock);
	return n;
}

void store_request_begin(struct store *st, const char *method)
{
	mtx_lock(&st->lock);
	bump(st->methods, method);
	if (++st->in_flight > st->max_in_flight)
		st->max_in_flight = st->in_flight;
	mtx_unlock(&st->lock);
}

void store_request_end(struct store *st)
{
	mtx_lock(&st->lock);
	st->in_flight--;
	mtx_unlock(&st->lock);
}

void store_count_status(struct store *st, int status)
{
	char key[16];

	snprintf(key, sizeof(key), "%d", status);
	mtx_lock(&st->lock);
	bump(st->counts, key);
	mtx_unlock(&st->lock);
}

void store_count_post_label(struct store *st, const char *label)
{
	mtx_lock(&st->lock);
	bump(st->posts_by_label, label);
	mtx_unlock(&st->lock);
}

void store_count_fault(struct store *st, enum fault f)
{
	mtx_lock(&st->lock);
	switch (f) {
	case FAULT_RESET: st->resets++; break;
	case FAULT_HANG: st->hangs++; break;
	case FAULT_THROTTLE: st->throttles++; break;
	case FAULT_FAIL: st->fails++; break;
	case FAULT_BAD_REPLY: st->bad_replies++; break;
	case FAULT_GHOST: /* listed in ghosts when applied */
	case FAULT_NONE: break;
	}
	mtx_unlock(&st->lock);
}

char *store_dump(struct store *st)
{
	json_t *state, *sources, *src;
	const char *id;
	char *s;

	mtx_lock(&st->lock);
	sources = json_array();
	json_object_foreach(st->by_id, id, src)
		json_array_append(sources, src); /* takes its own reference */
	json_t *others = json_array();
	json_object_foreach(st->others, id, src)
		json_array_append(others, src);
	state = json_pack("{s:o, s:o, s:I, s:O, s:O, s:I, s:I, s:O, s:O, s:I, s:I, s:I, s:I, s:I}",
			  "sources", sources,
			  "otherSources", others,
			  "listPages", (json_int_t)st->list_pages,
			  "counts", st->counts,
			  "methods", st->methods,
			  "maxInFlight", (json_int_t)st->max_in_flight,
			  "inFlight", (json_int_t)st->in_flight,
			  "postsByLabel", st->posts_by_label,
			  "ghosts", st->ghosts,
			  "resets", (json_int_t)st->resets,
			  "hangs", (json_int_t)st->hangs,
			  "throttles", (json_int_t)st->throttles,
			  "fails", (json_int_t)st->fails,
			  "badReplies", (json_int_t)st->bad_replies);
	if (!state)
		die("out of memory");
	s = dump(state);
	json_decref(state); /* the shared counters keep their own references */
	mtx_unlock(&st->lock);
	return s;
}
