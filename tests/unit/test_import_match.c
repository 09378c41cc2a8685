/*
 * test_import_match.c - label matching and conflict candidates from a
 * listing (import_match.c): lookup by label, the sources on an account and
 * bucket (several, none, another account), and the shared-prefix check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "import_match.h"

#define ID1 "0a6d8c1e-3b2f-4c55-9e0d-111111111111"
#define ID2 "0a6d8c1e-3b2f-4c55-9e0d-222222222222"
#define ID3 "0a6d8c1e-3b2f-4c55-9e0d-333333333333"
#define S3NODE(id, label, acct, bucket) \
	"{\"node\":{\"integrationId\":\"" id "\",\"integrationLabel\":\"" label "\"," \
	"\"integrationType\":\"aws-s3\",\"awsAccountId\":\"" acct "\",\"s3Bucket\":\"" bucket "\"}}"
#define PAGE(edges) "{\"data\":{\"sources\":{\"edges\":[" edges "]," \
	"\"pageInfo\":{\"hasNextPage\":false,\"endCursor\":null}}}}"

static struct import_match *sample(void)
{
	static const char page[] = PAGE(S3NODE(ID1, "prod-a", "123456789012", "bucket-a") ","
					S3NODE(ID2, "prod-b", "123456789012", "bucket-a") ","
					S3NODE(ID3, "prod-c", "999999999999", "bucket-a"));
	struct listing *l = listing_new();
	char *cursor = NULL, err[256];
	assert_int_equal(listing_parse_page(l, page, strlen(page), &cursor, err, sizeof(err)), 0);
	return import_match_new(l);
}

static void test_label_and_bucket(void **state)
{
	(void)state;
	struct import_match *m = sample();
	assert_string_equal(import_match_label(m, "prod-b"), ID2);
	assert_null(import_match_label(m, "prod-x"));
	assert_null(import_match_label(m, NULL));
	size_t n;
	const char *const *ids = import_match_bucket(m, "123456789012", "bucket-a", &n);
	assert_int_equal(n, 2);
	assert_string_equal(ids[0], ID1);
	assert_string_equal(ids[1], ID2);
	ids = import_match_bucket(m, "999999999999", "bucket-a", &n);
	assert_int_equal(n, 1);
	assert_string_equal(ids[0], ID3);
	assert_null(import_match_bucket(m, "123456789012", "bucket-b", &n));
	assert_int_equal(n, 0);
	import_match_free(m);
	import_match_free(NULL);
}

static void test_overlap(void **state)
{
	(void)state;
	json_t *body = json_loads("{\"s3PrefixLogTypes\":[{\"prefix\":\"logs/\"},{\"prefix\":\"\"}]}", 0, NULL);
	json_t *same = json_loads("{\"s3PrefixLogTypes\":[{\"prefix\":\"other/\"},{\"prefix\":\"logs/\"}]}", 0, NULL);
	json_t *whole = json_loads("{\"s3PrefixLogTypes\":[{\"logTypes\":[\"A.B\"]}]}", 0, NULL);
	json_t *other = json_loads("{\"s3PrefixLogTypes\":[{\"prefix\":\"logs/x/\"}]}", 0, NULL);
	json_t *none = json_loads("{}", 0, NULL);
	assert_string_equal(import_match_overlap(body, same), "logs/");
	assert_string_equal(import_match_overlap(body, whole), "");   /* no prefix: the whole bucket */
	assert_null(import_match_overlap(body, other));
	assert_null(import_match_overlap(body, none));
	json_decref(body);
	json_decref(same);
	json_decref(whole);
	json_decref(other);
	json_decref(none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_and_bucket),
		cmocka_unit_test(test_overlap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
