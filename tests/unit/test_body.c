/*
 * test_body.c - golden tests of the exact request bytes: body_build() for a
 * create and a modify serialized with source_body_dumps(), kmsKey and
 * logStreamTypeOptions omitted when empty, excludedPrefixes always an array;
 * and source_fingerprint() against digests computed independently (Python's
 * hashlib over "action\nid\n" + the canonical tree encoding documented in
 * body.c, written separately in Python for these bodies).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "source_internal.h"

static const char CREATE_BYTES[] =
	"{\"awsAccountId\":\"123456789012\",\"integrationLabel\":\"prod logs\","
	"\"kmsKey\":\"arn:aws:kms:us-east-1:123456789012:key/k-1\","
	"\"logProcessingRole\":\"arn:aws:iam::123456789012:role/R\",\"logStreamType\":\"JsonArray\","
	"\"logStreamTypeOptions\":{\"jsonArrayEnvelopeField\":\"Records\"},"
	"\"managedBucketNotifications\":true,\"s3Bucket\":\"prod-logs\","
	"\"s3PrefixLogTypes\":[{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.CloudTrail\"],\"prefix\":\"AWSLogs/\"},"
	"{\"excludedPrefixes\":[\"x/*/\"],\"logTypes\":[\"AWS.A\",\"AWS.B\"],\"prefix\":\"\"}]}";

static const char MODIFY_BYTES[] =
	"{\"integrationLabel\":\"prod logs\",\"logProcessingRole\":\"arn:aws:iam::123456789012:role/R\","
	"\"logStreamType\":\"CloudWatchLogs\",\"logStreamTypeOptions\":{\"retainEnvelopeFields\":false},"
	"\"managedBucketNotifications\":false,"
	"\"s3PrefixLogTypes\":[{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.CloudTrail\"],\"prefix\":\"AWSLogs/\"}]}";

static void test_create_bytes(void **state)
{
	(void)state;
	json_t *lt1 = json_pack("[s]", "AWS.CloudTrail");
	json_t *lt2 = json_pack("[ss]", "AWS.A", "AWS.B");
	json_t *ex2 = json_pack("[s]", "x/*/");
	struct body_mapping m[] = {
		{ "AWSLogs/", lt1, NULL },
		{ NULL, lt2, ex2 },
	};
	struct body_fields f = {
		.aws_account_id = "123456789012", .s3_bucket = "prod-logs",
		.integration_label = "prod logs",
		.kms_key = "arn:aws:kms:us-east-1:123456789012:key/k-1",
		.log_processing_role = "arn:aws:iam::123456789012:role/R",
		.log_stream_type = "JsonArray", .managed_bucket_notifications = 1,
		.json_array_envelope_field = "Records", .xml_root_element = "",
		.retain_envelope_fields = -1, .nmappings = 2, .mappings = m,
	};
	json_t *b = body_build(ACTION_CREATE, &f);
	char *s = source_body_dumps(b);
	assert_string_equal(s, CREATE_BYTES);
	char fp[65];
	source_fingerprint(ACTION_CREATE, NULL, b, fp);
	assert_string_equal(fp, "839494effa796e849e43f25355bef40344cf2750d45425ea2db57572764f10b7");
	free(s);
	json_decref(b);

	/* kmsKey and the options left out when empty */
	f.kms_key = "";
	f.json_array_envelope_field = NULL;
	b = body_build(ACTION_CREATE, &f);
	s = source_body_dumps(b);
	assert_null(strstr(s, "kmsKey"));
	assert_null(strstr(s, "logStreamTypeOptions"));
	assert_non_null(strstr(s, "\"logStreamType\":\"JsonArray\",\"managedBucketNotifications\":true"));
	free(s);
	json_decref(b);
	json_decref(lt1);
	json_decref(lt2);
	json_decref(ex2);
}

static void test_modify_bytes(void **state)
{
	(void)state;
	json_t *lt = json_pack("[s]", "AWS.CloudTrail");
	struct body_mapping m[] = { { "AWSLogs/", lt, NULL } };
	struct body_fields f = {
		/* account and bucket are never in a modify body, even when known */
		.aws_account_id = "123456789012", .s3_bucket = "prod-logs",
		.integration_label = "prod logs",
		.log_processing_role = "arn:aws:iam::123456789012:role/R",
		.log_stream_type = "CloudWatchLogs", .managed_bucket_notifications = 0,
		.retain_envelope_fields = 0, .nmappings = 1, .mappings = m,
	};
	json_t *b = body_build(ACTION_MODIFY, &f);
	char *s = source_body_dumps(b);
	assert_string_equal(s, MODIFY_BYTES);
	char fp[65];
	source_fingerprint(ACTION_MODIFY, "id-42", b, fp);
	assert_string_equal(fp, "0d60ea84b8398eae5301346ff05db86fa0836a96caef8c841e5f191e07ccbd20");
	free(s);
	json_decref(b);
	json_decref(lt);
}

static void test_fingerprint_without_body(void **state)
{
	(void)state;
	char fp[65];
	source_fingerprint(ACTION_DELETE, "id-42", NULL, fp);
	assert_string_equal(fp, "a2221e2aa4f968a782227f52f1d37bbb68ccfd9eb3f512d0a2576932b504c00d");
	struct source *s = source_new_id(3, 4, ACTION_DELETE, "id-42");
	assert_string_equal(s->fingerprint, fp);
	assert_string_equal(s->id, "id-42");
	assert_int_equal(s->line, 4);
	source_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_bytes),
		cmocka_unit_test(test_modify_bytes),
		cmocka_unit_test(test_fingerprint_without_body),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
