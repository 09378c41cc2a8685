/*
 * test_fake_validate.c - fake-panther's request schema checks: one valid
 * CreateS3Source and ModifyS3Source, and a table of single changes to them,
 * each with the message it must produce (or none).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fake.h"

static const char create_ok[] =
	"{\"awsAccountId\":\"123456789012\",\"s3Bucket\":\"b\",\"integrationLabel\":\"l\","
	"\"s3PrefixLogTypes\":[{\"prefix\":\"p/\",\"logTypes\":[\"A\",\"B\"],\"excludedPrefixes\":[]}],"
	"\"managedBucketNotifications\":true,\"logProcessingRole\":\"arn:r\",\"logStreamType\":\"XML\","
	"\"logStreamTypeOptions\":{\"xmlRootElement\":\"Events\"},\"kmsKey\":\"arn:k\"}";

/* The valid body with key set to the JSON value (NULL: key removed). */
static json_t *variant(const char *key, const char *value, int modify)
{
	json_t *o = json_loads(create_ok, 0, NULL);

	assert_non_null(o);
	if (modify) {
		json_object_del(o, "awsAccountId");
		json_object_del(o, "s3Bucket");
	}
	if (!key)
		return o;
	if (!value) {
		json_object_del(o, key);
	} else {
		json_t *v = json_loads(value, JSON_DECODE_ANY, NULL);
		assert_non_null(v);
		json_object_set_new(o, key, v);
	}
	return o;
}

static const struct vcase {
	const char *key, *value; /* the change */
	int modify;              /* 1: check as ModifyS3Source */
	const char *want;        /* NULL: valid; else the exact message */
} cases[] = {
	{ NULL, NULL, 0, NULL },
	{ NULL, NULL, 1, NULL },
	{ "kmsKey", NULL, 0, NULL },
	{ "logStreamTypeOptions", NULL, 1, NULL },
	{ "s3PrefixLogTypes", "[]", 0, NULL },
	{ "s3PrefixLogTypes", "[{}]", 0, NULL },
	{ "logStreamTypeOptions", "{\"retainEnvelopeFields\":false}", 0, NULL },
	{ "awsAccountId", NULL, 0, "missing required field 'awsAccountId'" },
	{ "s3Bucket", NULL, 0, "missing required field 's3Bucket'" },
	{ "integrationLabel", NULL, 1, "missing required field 'integrationLabel'" },
	{ "logStreamType", NULL, 1, "missing required field 'logStreamType'" },
	{ "managedBucketNotifications", NULL, 0, "missing required field 'managedBucketNotifications'" },
	{ "awsAccountId", "\"1\"", 1, "unknown field 'awsAccountId'" },
	{ "s3Bucket", "\"b\"", 1, "unknown field 's3Bucket'" },
	{ "kmsKeyy", "\"k\"", 0, "unknown field 'kmsKeyy'" },
	{ "managedBucketNotifications", "\"true\"", 0, "field 'managedBucketNotifications' must be a boolean" },
	{ "awsAccountId", "123456789012", 0, "field 'awsAccountId' must be a string" },
	{ "kmsKey", "null", 0, "field 'kmsKey' must be a string" },
	{ "logStreamType", "\"json\"", 0, "field 'logStreamType' must be one of Auto, JSON, JsonArray, Lines, XML, CloudWatchLogs, not 'json'" },
	{ "logStreamType", "1", 1, "field 'logStreamType' must be a string" },
	{ "s3PrefixLogTypes", "{}", 0, "field 's3PrefixLogTypes' must be an array of objects" },
	{ "s3PrefixLogTypes", "[\"p\"]", 0, "field 's3PrefixLogTypes[0]' must be an object" },
	{ "s3PrefixLogTypes", "[{},{\"prefx\":\"p\"}]", 0, "unknown field 's3PrefixLogTypes[1].prefx'" },
	{ "s3PrefixLogTypes", "[{\"logTypes\":\"A\"}]", 1, "field 's3PrefixLogTypes[0].logTypes' must be an array of strings" },
	{ "s3PrefixLogTypes", "[{\"excludedPrefixes\":[\"a\",2]}]", 0, "field 's3PrefixLogTypes[0].excludedPrefixes[1]' must be a string" },
	{ "s3PrefixLogTypes", "[{\"prefix\":null}]", 0, "field 's3PrefixLogTypes[0].prefix' must be a string" },
	{ "logStreamTypeOptions", "[]", 0, "field 'logStreamTypeOptions' must be an object" },
	{ "logStreamTypeOptions", "{\"xmlRoot\":\"x\"}", 1, "unknown field 'logStreamTypeOptions.xmlRoot'" },
	{ "logStreamTypeOptions", "{\"retainEnvelopeFields\":1}", 0, "field 'logStreamTypeOptions.retainEnvelopeFields' must be a boolean" },
};

static void test_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct vcase *c = &cases[i];
		json_t *body = variant(c->key, c->value, c->modify);
		char *err = c->modify ? validate_modify(body) : validate_create(body);

		if (!c->want) {
			if (err)
				fail_msg("case %zu: unexpected error '%s'", i, err);
		} else {
			if (!err)
				fail_msg("case %zu: accepted, wanted '%s'", i, c->want);
			assert_string_equal(err, c->want);
		}
		free(err);
		json_decref(body);
	}
}

static void test_not_an_object(void **state)
{
	json_t *arr = json_array();
	char *err;

	(void)state;
	err = validate_create(arr);
	assert_string_equal(err, "request body must be a JSON object");
	free(err);
	err = validate_modify(arr);
	assert_string_equal(err, "request body must be a JSON object");
	free(err);
	json_decref(arr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_not_an_object),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
