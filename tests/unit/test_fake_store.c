/*
 * test_fake_store.c - fake-panther's in-memory state: ids, the label index
 * through create / modify / delete, creation order, ghosts, counters, reset,
 * and the GraphQL listing's pages (every kind, by id, cursor-paged).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake.h"

static json_t *create_req(const char *label)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:[], s:b, s:s, s:s, s:s}",
			      "awsAccountId", "123456789012", "s3Bucket", "bkt",
			      "integrationLabel", label, "s3PrefixLogTypes",
			      "managedBucketNotifications", 1, "logProcessingRole", "arn:r",
			      "logStreamType", "Auto", "kmsKey", "arn:k");
	assert_non_null(o);
	return o;
}

static json_t *modify_req(const char *label)
{
	json_t *o = json_pack("{s:s, s:[{s:s}], s:b, s:s, s:s}", "integrationLabel", label,
			      "s3PrefixLogTypes", "prefix", "p/", "managedBucketNotifications", 0,
			      "logProcessingRole", "arn:r2", "logStreamType", "Lines");
	assert_non_null(o);
	return o;
}

/* Creates a source; returns its id (caller frees). */
static char *create(struct store *st, const char *label, int ghost)
{
	json_t *req = create_req(label), *src;
	char *out, *id;

	assert_int_equal(store_create(st, req, ghost, &out), STORE_OK);
	src = json_loads(out, 0, NULL);
	assert_non_null(src);
	assert_string_equal(json_string_value(json_object_get(src, "integrationLabel")), label);
	id = strdup(json_string_value(json_object_get(src, "integrationId")));
	json_decref(src);
	json_decref(req);
	free(out);
	return id;
}

static json_t *state_of(struct store *st)
{
	char *s = store_dump(st);
	json_t *o = json_loads(s, 0, NULL);

	free(s);
	assert_non_null(o);
	return o;
}

static void test_lifecycle(void **state)
{
	struct store *st = store_new(1);
	json_t *req, *src, *dump;
	char *a, *b, *out;
	regex_t uuid;

	(void)state;
	assert_int_equal(regcomp(&uuid, "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
				 REG_EXTENDED | REG_NOSUB), 0);
	a = create(st, "alpha", 0);
	b = create(st, "beta", 0);
	assert_int_equal(regexec(&uuid, a, 0, NULL, 0), 0);
	assert_string_not_equal(a, b);

	req = create_req("alpha");
	assert_int_equal(store_create(st, req, 0, &out), STORE_CONFLICT);
	assert_null(out);
	json_decref(req);

	/* modify: 409 on another's label, ok on its own, keeps account and bucket */
	req = modify_req("beta");
	assert_int_equal(store_modify(st, a, req, 0, &out), STORE_CONFLICT);
	json_decref(req);
	req = modify_req("gamma");
	assert_int_equal(store_modify(st, "nope", req, 0, &out), STORE_NOT_FOUND);
	assert_int_equal(store_modify(st, a, req, 0, &out), STORE_OK);
	src = json_loads(out, 0, NULL);
	free(out);
	assert_string_equal(json_string_value(json_object_get(src, "awsAccountId")), "123456789012");
	assert_string_equal(json_string_value(json_object_get(src, "s3Bucket")), "bkt");
	assert_string_equal(json_string_value(json_object_get(src, "logStreamType")), "Lines");
	assert_null(json_object_get(src, "kmsKey")); /* replaced, not merged */
	json_decref(src);
	json_decref(req);

	/* the old label is free, the new one taken */
	free(create(st, "alpha", 0));
	req = create_req("gamma");
	assert_int_equal(store_create(st, req, 0, &out), STORE_CONFLICT);
	json_decref(req);

	/* delete: always ok, frees the label */
	assert_int_equal(store_delete(st, b, 0), STORE_OK);
	assert_int_equal(store_delete(st, b, 0), STORE_OK);
	assert_int_equal(store_get(st, b, &out), STORE_NOT_FOUND);
	assert_int_equal(store_get(st, a, &out), STORE_OK);
	free(out);
	free(create(st, "beta", 1)); /* a ghost */
	assert_int_equal(store_delete(st, "never", 1), STORE_OK);

	dump = state_of(st);
	assert_int_equal(json_array_size(json_object_get(dump, "sources")), 3);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(dump, "sources"), 0), "integrationLabel")), "gamma");
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(dump, "sources"), 2), "integrationLabel")), "beta");
	assert_int_equal(json_array_size(json_object_get(dump, "ghosts")), 2);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(dump, "ghosts"), 0), "method")), "POST");
	assert_true(json_is_null(json_object_get(
		json_array_get(json_object_get(dump, "ghosts"), 1), "integrationLabel")));
	json_decref(dump);

	store_reset(st, 1);
	assert_int_equal(store_count(st), 0);
	free(create(st, "again", 0)); /* same seed after reset: the first id again */
	assert_int_equal(store_get(st, a, &out), STORE_OK);
	free(out);

	regfree(&uuid);
	free(a);
	free(b);
	store_free(st);
}

static void test_counters(void **state)
{
	struct store *st = store_new(5);
	json_t *dump;

	(void)state;
	store_request_begin(st, "POST");
	store_request_begin(st, "POST");
	store_request_begin(st, "GET");
	store_request_end(st);
	store_count_status(st, 201);
	store_count_status(st, 201);
	store_count_status(st, 409);
	store_count_post_label(st, "x");
	store_count_post_label(st, "x");
	store_count_fault(st, FAULT_RESET);
	store_count_fault(st, FAULT_HANG);
	store_count_fault(st, FAULT_HANG);
	dump = state_of(st);
	assert_int_equal(json_integer_value(json_object_get(dump, "maxInFlight")), 3);
	assert_int_equal(json_integer_value(json_object_get(dump, "inFlight")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(dump, "counts"), "201")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(dump, "counts"), "409")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(dump, "methods"), "POST")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(dump, "postsByLabel"), "x")), 2);
	assert_int_equal(json_integer_value(json_object_get(dump, "resets")), 1);
	assert_int_equal(json_integer_value(json_object_get(dump, "hangs")), 2);
	json_decref(dump);
	store_free(st);
}

/* Many sources: every one found by id, labels all taken, order kept. */
static void test_many(void **state)
{
	enum { M = 20000 };
	struct store *st = store_new(9);
	char **ids = calloc(M, sizeof(*ids));
	char label[32], *out;
	json_t *dump, *sources;
	size_t i;

	(void)state;
	for (i = 0; i < M; i++) {
		snprintf(label, sizeof(label), "src-%zu", i);
		ids[i] = create(st, label, 0);
	}
	assert_int_equal(store_count(st), M);
	for (i = 0; i < M; i += 7) {
		assert_int_equal(store_get(st, ids[i], &out), STORE_OK);
		free(out);
	}
	dump = state_of(st);
	sources = json_object_get(dump, "sources");
	for (i = 0; i < M; i += 997)
		assert_string_equal(json_string_value(json_object_get(json_array_get(sources, i),
								       "integrationId")), ids[i]);
	json_decref(dump);
	for (i = 0; i < M; i++)
		free(ids[i]);
	free(ids);
	store_free(st);
}

/* Pages through the listing with page size n; returns every node (new reference). */
static json_t *list_all(struct store *st, size_t n, size_t *pages)
{
	json_t *all = json_array(), *data;
	char *cursor = NULL;

	*pages = 0;
	for (;;) {
		assert_int_equal(store_list(st, cursor, n, &data), STORE_OK);
		(*pages)++;
		json_t *edges = json_object_get(json_object_get(data, "sources"), "edges");
		json_t *info = json_object_get(json_object_get(data, "sources"), "pageInfo");
		size_t i;
		json_t *e;
		assert_true(json_array_size(edges) <= n);
		json_array_foreach(edges, i, e)
			json_array_append(all, json_object_get(e, "node"));
		free(cursor);
		cursor = NULL;
		if (!json_is_true(json_object_get(info, "hasNextPage"))) {
			json_decref(data);
			break;
		}
		cursor = strdup(json_string_value(json_object_get(info, "endCursor")));
		assert_non_null(cursor);
		json_decref(data);
	}
	return all;
}

static void test_listing(void **state)
{
	(void)state;
	struct store *st = store_new(7);
	json_t *data, *all, *node;
	size_t pages, i, s3 = 0, other = 0;
	char *ids[23];

	store_set_other_sources(st, 5);
	for (i = 0; i < 23; i++) {
		char label[32];
		snprintf(label, sizeof(label), "l-%02zu", i);
		ids[i] = create(st, label, 0);
	}
	all = list_all(st, 4, &pages);
	assert_int_equal(json_array_size(all), 28);
	assert_int_equal(pages, 7);  /* 28 / 4 */
	json_array_foreach(all, i, node) {
		const char *type = json_string_value(json_object_get(node, "integrationType"));
		assert_non_null(type);
		if (!strcmp(type, "aws-s3")) {
			s3++;
			assert_string_equal(json_string_value(json_object_get(node, "awsAccountId")), "123456789012");
			assert_string_equal(json_string_value(json_object_get(node, "s3Bucket")), "bkt");
		} else {
			other++;
			assert_true(!strcmp(type, "aws-sqs") || !strcmp(type, "http"));
			assert_null(json_object_get(node, "s3Bucket"));
		}
		/* ordered by id, each once */
		if (i)
			assert_true(strcmp(json_string_value(json_object_get(json_array_get(all, i - 1), "integrationId")),
					   json_string_value(json_object_get(node, "integrationId"))) < 0);
	}
	assert_int_equal(s3, 23);
	assert_int_equal(other, 5);
	json_decref(all);

	/* a page boundary holds across a delete of the cursor's source */
	assert_int_equal(store_list(st, NULL, 10, &data), STORE_OK);
	const char *end = json_string_value(json_object_get(json_object_get(json_object_get(data,
					    "sources"), "pageInfo"), "endCursor"));
	char *cursor = strdup(end);
	json_decref(data);
	for (i = 0; i < 23; i++)
		store_delete(st, ids[i], 0);
	assert_int_equal(store_list(st, cursor, 10, &data), STORE_OK);
	json_decref(data);
	free(cursor);

	/* bad cursors */
	assert_int_equal(store_list(st, "", 10, &data), STORE_BAD_CURSOR);
	assert_null(data);
	assert_int_equal(store_list(st, "after:nope", 10, &data), STORE_BAD_CURSOR);
	assert_int_equal(store_list(st, "0a6d8c1e-3b2f-4c55-9e0d-111111111111", 10, &data), STORE_BAD_CURSOR);

	/* the others stay after a reset; an empty store lists them alone */
	store_reset(st, 7);
	all = list_all(st, 100, &pages);
	assert_int_equal(json_array_size(all), 5);
	assert_int_equal(pages, 1);
	json_decref(all);
	char *dump = store_dump(st);
	json_t *d = json_loads(dump, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(d, "otherSources")), 5);
	assert_int_equal(json_integer_value(json_object_get(d, "listPages")), 1);
	json_decref(d);
	free(dump);
	for (i = 0; i < 23; i++)
		free(ids[i]);
	store_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_listing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
