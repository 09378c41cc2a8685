/*
 * test_listing.c - the GraphQL listing's pure parts (listing.c): the request
 * body of a page, the parsing of a page's reply (S3 nodes kept, other kinds
 * counted and skipped, paging, GraphQL errors, replies of the wrong shape),
 * and the index's lookups (by ID, by label, the lost-reply match).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"

#define ID1 "0a6d8c1e-3b2f-4c55-9e0d-111111111111"
#define ID2 "0a6d8c1e-3b2f-4c55-9e0d-222222222222"
#define ID3 "0a6d8c1e-3b2f-4c55-9e0d-333333333333"

#define S3NODE(id, label, acct, bucket) \
	"{\"node\":{\"integrationId\":\"" id "\",\"integrationLabel\":\"" label "\"," \
	"\"integrationType\":\"aws-s3\",\"awsAccountId\":\"" acct "\",\"s3Bucket\":\"" bucket "\"}}"
#define OTHER(id, type) \
	"{\"node\":{\"integrationId\":\"" id "\",\"integrationLabel\":\"x-" type "\"," \
	"\"integrationType\":\"" type "\"}}"
#define PAGE(edges, info) "{\"data\":{\"sources\":{\"edges\":[" edges "],\"pageInfo\":" info "}}}"
#define MORE(c) "{\"hasNextPage\":true,\"endCursor\":\"" c "\"}"
#define LAST "{\"hasNextPage\":false,\"endCursor\":null}"

static int parse(struct listing *l, const char *body, char **cursor, char *err, size_t errlen)
{
	return listing_parse_page(l, body, strlen(body), cursor, err, errlen);
}

static void test_request_body(void **state)
{
	(void)state;
	char *first = listing_request_body(NULL);
	char *next = listing_request_body("abc\"d");
	json_t *a = json_loads(first, 0, NULL), *b = json_loads(next, 0, NULL);

	assert_non_null(a);
	assert_non_null(b);
	const char *q = json_string_value(json_object_get(a, "query"));
	assert_non_null(q);
	assert_non_null(strstr(q, "sources(input: $input)"));
	assert_non_null(strstr(q, "... on S3LogIntegration { awsAccountId s3Bucket }"));
	assert_non_null(strstr(q, "pageInfo { hasNextPage endCursor }"));
	/* the first page has no cursor */
	assert_null(json_object_get(json_object_get(json_object_get(a, "variables"), "input"), "cursor"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(b,
			    "variables"), "input"), "cursor")), "abc\"d");
	/* the same query text on every page */
	assert_string_equal(q, json_string_value(json_object_get(b, "query")));
	json_decref(a);
	json_decref(b);
	free(first);
	free(next);
}

static void test_two_pages(void **state)
{
	(void)state;
	struct listing *l = listing_new();
	char err[512], *cursor = NULL;

	assert_int_equal(parse(l, PAGE(S3NODE(ID1, "prod-a", "123456789012", "bucket-a") ","
				       OTHER("9a6d8c1e-3b2f-4c55-9e0d-000000000001", "aws-sqs") ","
				       S3NODE(ID2, "prod-b", "210987654321", "bucket-b"), MORE("c1")),
			       &cursor, err, sizeof(err)), 1);
	assert_string_equal(cursor, "c1");
	free(cursor);
	assert_int_equal(parse(l, PAGE(OTHER("9a6d8c1e-3b2f-4c55-9e0d-000000000002", "http") ","
				       S3NODE(ID3, "=formula", "000000000001", "b3"), LAST),
			       &cursor, err, sizeof(err)), 0);
	assert_null(cursor);

	assert_int_equal(listing_count(l), 3);
	assert_int_equal(listing_others(l), 2);
	assert_int_equal(listing_pages(l), 2);
	/* the server's order */
	assert_string_equal(listing_at(l, 0)->id, ID1);
	assert_string_equal(listing_at(l, 1)->id, ID2);
	assert_string_equal(listing_at(l, 2)->id, ID3);
	assert_null(listing_at(l, 3));

	const struct listed_source *s = listing_find_label(l, "prod-b");
	assert_non_null(s);
	assert_string_equal(s->id, ID2);
	assert_string_equal(s->account, "210987654321");
	assert_string_equal(s->bucket, "bucket-b");
	assert_ptr_equal(listing_find_id(l, ID3), listing_find_label(l, "=formula"));
	assert_null(listing_find_label(l, "x-aws-sqs"));  /* other kinds are not in the index */
	assert_null(listing_find_id(l, "9a6d8c1e-3b2f-4c55-9e0d-000000000001"));
	assert_null(listing_find_label(l, "prod-"));
	assert_null(listing_find_label(l, NULL));

	/* the lost-reply match: label, account and bucket */
	assert_ptr_equal(listing_match_lost(l, "prod-a", "123456789012", "bucket-a"), listing_at(l, 0));
	assert_null(listing_match_lost(l, "prod-a", "123456789013", "bucket-a"));
	assert_null(listing_match_lost(l, "prod-a", "123456789012", "bucket-b"));
	assert_null(listing_match_lost(l, "prod-c", "123456789012", "bucket-a"));
	assert_null(listing_match_lost(l, "prod-a", NULL, "bucket-a"));
	listing_free(l);
}

static void test_duplicates(void **state)
{
	(void)state;
	struct listing *l = listing_new();
	char err[512], *cursor = NULL;

	/* a source seen twice (a shifted page boundary) is kept once; two
	 * sources with one label: the first is found, the lost-reply match
	 * refuses to pick one */
	assert_int_equal(parse(l, PAGE(S3NODE(ID1, "same", "123456789012", "b") ","
				       S3NODE(ID1, "same", "123456789012", "b") ","
				       S3NODE(ID2, "same", "123456789012", "b"), LAST),
			       &cursor, err, sizeof(err)), 0);
	assert_int_equal(listing_count(l), 2);
	assert_string_equal(listing_find_label(l, "same")->id, ID1);
	assert_int_equal(listing_label_count(l, "same"), 2);
	assert_int_equal(listing_label_count(l, "other"), 0);
	assert_null(listing_match_lost(l, "same", "123456789012", "b"));
	listing_free(l);
}

static void test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *body;
		const char *want;   /* a part of the message */
	} cases[] = {
		{ "{\"errors\":[{\"message\":\"invalid cursor 'zz'\"},{\"message\":\"b\"}],\"data\":null}",
		  "the listing failed: GraphQL error 'invalid cursor 'zz'' (and 1 more)" },
		{ "{\"errors\":[{\"message\":\"not\\nallowed\"}]}", "GraphQL error 'not allowed'" },
		{ "{\"errors\":[{}]}", "GraphQL error '(no message)'" },
		{ "<html>502</html>", "listing page 1: the reply is not a JSON object: " },
		{ "[1,2]", "listing page 1: the reply is not a JSON object" },
		{ "{\"data\":{}}", "no data.sources.edges and pageInfo.hasNextPage" },
		{ "{\"data\":{\"sources\":{\"edges\":{},\"pageInfo\":" LAST "}}}", "no data.sources.edges" },
		{ PAGE(S3NODE(ID1, "a", "1", "b"), "{\"hasNextPage\":\"yes\"}"), "pageInfo.hasNextPage" },
		{ PAGE(S3NODE(ID1, "a", "1", "b"), "{\"hasNextPage\":true}"), "hasNextPage without an endCursor" },
		{ PAGE(S3NODE(ID1, "a", "1", "b"), "{\"hasNextPage\":true,\"endCursor\":\"\"}"),
		  "hasNextPage without an endCursor" },
		{ PAGE("{\"node\":{\"integrationLabel\":\"a\",\"integrationType\":\"aws-s3\"}}", LAST),
		  "listing page 1: S3 source 1 has no usable 'integrationId'" },
		{ PAGE(S3NODE(ID1, "a", "1", "b") ",{\"node\":{\"integrationId\":\"" ID2 "\","
		       "\"integrationType\":\"aws-s3\",\"s3Bucket\":7}}", LAST),
		  "S3 source 2 has no usable 's3Bucket'" },
		{ PAGE("{\"node\":{\"integrationId\":\"" ID1 "\"}}", LAST),
		  "node 1 is not a source with an integrationType" },
		{ PAGE("{\"edge\":1}", LAST), "node 1 is not a source" },
		{ "{\"data\":{\"sources\":{\"edges\":[],\"pageInfo\":" LAST "}},\"data\":1}",
		  "not a JSON object: duplicate object key" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct listing *l = listing_new();
		char err[512] = "", *cursor = (char *)"unset";

		assert_int_equal(parse(l, cases[i].body, &cursor, err, sizeof(err)), -1);
		assert_null(cursor);
		if (!strstr(err, cases[i].want))
			fail_msg("case %zu: '%s' does not contain '%s'", i, err, cases[i].want);
		listing_free(l);
	}
}

static void test_empty_and_absent_fields(void **state)
{
	(void)state;
	struct listing *l = listing_new();
	char err[512], *cursor = NULL;

	assert_int_equal(parse(l, PAGE("", LAST), &cursor, err, sizeof(err)), 0);
	assert_int_equal(listing_count(l), 0);
	/* label, account and bucket may be absent or null: empty strings */
	assert_int_equal(parse(l, PAGE("{\"node\":{\"integrationId\":\"" ID1 "\",\"integrationType\":"
				       "\"aws-s3\",\"integrationLabel\":null}}", LAST),
			       &cursor, err, sizeof(err)), 0);
	assert_int_equal(listing_count(l), 1);
	assert_string_equal(listing_at(l, 0)->label, "");
	assert_string_equal(listing_at(l, 0)->bucket, "");
	listing_free(l);
}

static void test_uuid(void **state)
{
	(void)state;
	assert_true(listing_is_uuid(ID1));
	assert_true(listing_is_uuid("0A6D8C1E-3B2F-4C55-9E0D-ABCDEFabcdef"));
	assert_false(listing_is_uuid("prod-cloudtrail-000"));
	assert_false(listing_is_uuid(""));
	assert_false(listing_is_uuid(NULL));
	assert_false(listing_is_uuid("0a6d8c1e-3b2f-4c55-9e0d-11111111111"));
	assert_false(listing_is_uuid("0a6d8c1e-3b2f-4c55-9e0d-1111111111111"));
	assert_false(listing_is_uuid("0a6d8c1e33b2f-4c55-9e0d-111111111111"));
	assert_false(listing_is_uuid("0a6d8c1g-3b2f-4c55-9e0d-111111111111"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_body),
		cmocka_unit_test(test_two_pages),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_empty_and_absent_fields),
		cmocka_unit_test(test_uuid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
