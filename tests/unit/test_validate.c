/*
 * test_validate.c - every rule of the contract's Validation list, each both
 * ways: one CSV row (the standard valid create with some cells changed) goes
 * through the real row stream and the test checks valid/invalid, the field
 * named in the error, the warning and, where it matters, the body.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "source_fixture.h"

#define KMS "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

struct vcase {
	const char *name;
	const char *over[6];
	int valid;
	const char *err;      /* substring of the error (invalid) */
	const char *warn;     /* substring of the warning, or NULL for none */
	const char *body;     /* substring of the body (valid) */
};

static const struct vcase cases[] = {
	{ "base create", { NULL }, 1, NULL, NULL, "\"awsAccountId\":\"123456789012\"" },
	/* required for create */
	{ "no label", { "integrationLabel=", NULL }, 0, "integrationLabel: missing, a create needs it", NULL, NULL },
	{ "no account", { "awsAccountId=", NULL }, 0, "awsAccountId: missing", NULL, NULL },
	{ "no bucket", { "s3Bucket=", NULL }, 0, "s3Bucket: missing", NULL, NULL },
	{ "no role", { "logProcessingRole=", NULL }, 0, "logProcessingRole: missing", NULL, NULL },
	{ "no stream type", { "logStreamType=", NULL }, 0, "logStreamType: missing", NULL, NULL },
	{ "no managed", { "managedBucketNotifications=", NULL }, 0, "managedBucketNotifications: missing", NULL, NULL },
	{ "no mapping", { "prefix=", "logTypes=", NULL }, 0, "logTypes: missing, a create needs at least one mapping", NULL, NULL },
	{ "prefix without log types", { "logTypes=", NULL }, 0, "logTypes: missing, each mapping needs at least one log type", NULL, NULL },
	{ "no prefix is the whole bucket", { "prefix=", NULL }, 1, NULL, NULL, "\"prefix\":\"\"" },
	/* account IDs */
	{ "account 11 digits", { "awsAccountId=23456789012", "logProcessingRole=arn:aws:iam::023456789012:role/R", NULL },
	  1, NULL, "awsAccountId: '23456789012' padded to '023456789012'", "\"awsAccountId\":\"023456789012\"" },
	{ "account 10 digits", { "awsAccountId=3456789012", "logProcessingRole=arn:aws:iam::003456789012:role/R", NULL },
	  1, NULL, "padded to '003456789012'", "\"awsAccountId\":\"003456789012\"" },
	{ "account 9 digits", { "awsAccountId=456789012", NULL }, 0, "awsAccountId: '456789012' has 9 digits", NULL, NULL },
	{ "account 13 digits", { "awsAccountId=1234567890123", NULL }, 0, "awsAccountId: '1234567890123' has 13 digits", NULL, NULL },
	{ "account scientific", { "awsAccountId=1.23457E+11", NULL }, 0,
	  "awsAccountId: '1.23457E+11' is in scientific notation (the spreadsheet rounded the number), format the column as text and export again", NULL, NULL },
	{ "account scientific lower", { "awsAccountId=1.2e11", NULL }, 0, "format the column as text", NULL, NULL },
	{ "account letters", { "awsAccountId=12345678901a", NULL }, 0, "awsAccountId: '12345678901a' is not an AWS account ID", NULL, NULL },
	/* labels */
	{ "label 32", { "integrationLabel=abcdefghijklmnopqrstuvwxyz-12345", NULL }, 1, NULL, NULL, NULL },
	{ "label 33", { "integrationLabel=abcdefghijklmnopqrstuvwxyz-123456", NULL }, 0, "integrationLabel: 'abcdefghijklmnopqrstuvwxyz-123456' is 33 characters long, the limit is 32", NULL, NULL },
	{ "label space hyphen", { "integrationLabel=Prod Logs-1", NULL }, 1, NULL, NULL, "\"integrationLabel\":\"Prod Logs-1\"" },
	{ "label underscore", { "integrationLabel=prod_logs", NULL }, 0, "integrationLabel: 'prod_logs' has '_'", NULL, NULL },
	{ "label non-ascii", { "integrationLabel=caf\xc3\xa9", NULL }, 0, "integrationLabel: 'caf\xc3\xa9' has a non-ASCII character", NULL, NULL },
	/* buckets */
	{ "bucket dots", { "s3Bucket=my.logs.bucket", NULL }, 1, NULL, NULL, "\"s3Bucket\":\"my.logs.bucket\"" },
	{ "bucket 63", { "s3Bucket=abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123", NULL }, 1, NULL, NULL, NULL },
	{ "bucket 64", { "s3Bucket=abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234", NULL }, 0, "s3Bucket: 'abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234' is 64 characters long", NULL, NULL },
	{ "bucket short", { "s3Bucket=ab", NULL }, 0, "s3Bucket: 'ab' is 2 characters long, a bucket name has 3 to 63", NULL, NULL },
	{ "bucket uppercase", { "s3Bucket=Prod-logs", NULL }, 0, "s3Bucket: 'Prod-logs' has uppercase letters", NULL, NULL },
	{ "bucket underscore", { "s3Bucket=prod_logs", NULL }, 0, "s3Bucket: 'prod_logs' has '_'", NULL, NULL },
	{ "bucket starts with hyphen", { "s3Bucket=-prod", NULL }, 0, "s3Bucket: '-prod' must start and end with a letter or digit", NULL, NULL },
	{ "bucket ends with dot", { "s3Bucket=prod.", NULL }, 0, "must start and end with a letter or digit", NULL, NULL },
	{ "bucket double dot", { "s3Bucket=prod..logs", NULL }, 0, "s3Bucket: 'prod..logs' has '..'", NULL, NULL },
	{ "bucket ip", { "s3Bucket=192.168.1.10", NULL }, 0, "s3Bucket: '192.168.1.10' is formatted as an IP address", NULL, NULL },
	{ "bucket three numbers", { "s3Bucket=192.168.1", NULL }, 1, NULL, NULL, NULL },
	{ "bucket url", { "s3Bucket=s3://prod-logs", NULL }, 0, "s3Bucket: 's3://prod-logs' is not a bucket name, give the name only", NULL, NULL },
	/* roles */
	{ "role gov partition", { "logProcessingRole=arn:aws-us-gov:iam::123456789012:role/path/Reader", NULL }, 1, NULL, NULL, NULL },
	{ "role other account warns", { "logProcessingRole=arn:aws:iam::999999999999:role/R", NULL }, 1, NULL,
	  "logProcessingRole: the role's account 999999999999 differs from awsAccountId 123456789012", NULL },
	{ "role short account", { "logProcessingRole=arn:aws:iam::12345:role/R", NULL }, 0, "logProcessingRole: 'arn:aws:iam::12345:role/R' has the account '12345'", NULL, NULL },
	{ "role is a user", { "logProcessingRole=arn:aws:iam::123456789012:user/bob", NULL }, 0, "logProcessingRole: 'arn:aws:iam::123456789012:user/bob' does not name a role", NULL, NULL },
	{ "role not arn", { "logProcessingRole=PantherLogProcessingRole", NULL }, 0, "logProcessingRole: 'PantherLogProcessingRole' is not an IAM role ARN", NULL, NULL },
	{ "role with region", { "logProcessingRole=arn:aws:iam:us-east-1:123456789012:role/R", NULL }, 0, "has a region", NULL, NULL },
	{ "role bad partition", { "logProcessingRole=arn:azure:iam::123456789012:role/R", NULL }, 0, "has the partition 'azure'", NULL, NULL },
	/* kms */
	{ "kms ok", { "kmsKey=" KMS, NULL }, 1, NULL, NULL, "\"kmsKey\":\"" KMS "\"" },
	{ "kms mrk", { "kmsKey=arn:aws:kms:eu-west-2:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab", NULL }, 1, NULL, NULL, NULL },
	{ "kms empty omitted", { NULL }, 1, NULL, NULL, "{\"awsAccountId\":\"123456789012\",\"integrationLabel\":\"prod-cloudtrail\",\"logProcessingRole\"" },
	{ "kms alias", { "kmsKey=arn:aws:kms:us-east-1:123456789012:alias/logs", NULL }, 0, "kmsKey: 'arn:aws:kms:us-east-1:123456789012:alias/logs' is an alias", NULL, NULL },
	{ "kms bad region", { "kmsKey=arn:aws:kms:useast1:123456789012:key/abc", NULL }, 0, "kmsKey: 'arn:aws:kms:useast1:123456789012:key/abc' has the region 'useast1'", NULL, NULL },
	{ "kms bad account", { "kmsKey=arn:aws:kms:us-east-1:1234:key/abc", NULL }, 0, "has the account '1234'", NULL, NULL },
	{ "kms not arn", { "kmsKey=1234abcd-12ab", NULL }, 0, "kmsKey: '1234abcd-12ab' is not a KMS key ARN", NULL, NULL },
	/* stream types */
	{ "stream lower", { "logStreamType=lines", NULL }, 1, NULL, NULL, "\"logStreamType\":\"Lines\"" },
	{ "stream jsonarray", { "logStreamType=JSONARRAY", NULL }, 1, NULL, NULL, "\"logStreamType\":\"JsonArray\"" },
	{ "stream cloudwatch", { "logStreamType=cloudwatchlogs", NULL }, 1, NULL, NULL, "\"logStreamType\":\"CloudWatchLogs\"" },
	{ "stream unknown", { "logStreamType=CSV", NULL }, 0, "logStreamType: 'CSV' is not a stream type, use Auto, JSON, JsonArray, Lines, XML or CloudWatchLogs", NULL, NULL },
	/* stream options */
	{ "envelope with JsonArray", { "logStreamType=JsonArray", "jsonArrayEnvelopeField=Records", NULL }, 1, NULL, NULL,
	  "\"logStreamTypeOptions\":{\"jsonArrayEnvelopeField\":\"Records\"}" },
	{ "envelope with JSON", { "jsonArrayEnvelopeField=Records", NULL }, 0, "jsonArrayEnvelopeField: only applies to logStreamType JsonArray (this source's is JSON)", NULL, NULL },
	{ "xml root with XML", { "logStreamType=xml", "xmlRootElement=Events", NULL }, 1, NULL, NULL,
	  "\"logStreamType\":\"XML\",\"logStreamTypeOptions\":{\"xmlRootElement\":\"Events\"}" },
	{ "xml root with Lines", { "logStreamType=Lines", "xmlRootElement=Events", NULL }, 0, "xmlRootElement: only applies to logStreamType XML", NULL, NULL },
	{ "retain with CloudWatchLogs", { "logStreamType=CloudWatchLogs", "retainEnvelopeFields=yes", NULL }, 1, NULL, NULL,
	  "\"logStreamTypeOptions\":{\"retainEnvelopeFields\":true}" },
	{ "retain with JSON", { "retainEnvelopeFields=TRUE", NULL }, 0, "retainEnvelopeFields: only applies to logStreamType CloudWatchLogs", NULL, NULL },
	{ "retain false with JSON not sent", { "retainEnvelopeFields=false", NULL }, 1, NULL, NULL, "\"logStreamType\":\"JSON\",\"managedBucketNotifications\"" },
	/* log types and prefixes */
	{ "log type custom", { "logTypes=Custom.My_App.v2", NULL }, 1, NULL, NULL, "\"logTypes\":[\"Custom.My_App.v2\"]" },
	{ "log type no dot", { "logTypes=CloudTrail", NULL }, 0, "logTypes: 'CloudTrail' is not a log type name, expected Namespace.Name", NULL, NULL },
	{ "log type space", { "logTypes=AWS CloudTrail", NULL }, 0, "logTypes: 'AWS CloudTrail' is not a log type name", NULL, NULL },
	{ "log type double dot", { "logTypes=AWS..CloudTrail", NULL }, 0, "is not a log type name", NULL, NULL },
	{ "log type star", { "logTypes=AWS.*", NULL }, 0, "logTypes: 'AWS.*' is not a log type name", NULL, NULL },
	{ "star in prefix", { "prefix=AWSLogs/*/CloudTrail/", NULL }, 0, "prefix: 'AWSLogs/*/CloudTrail/' has '*', which is only allowed in excludedPrefixes", NULL, NULL },
	{ "star in excluded", { "excludedPrefixes=AWSLogs/*/Digest/", NULL }, 1, NULL, NULL, "\"excludedPrefixes\":[\"AWSLogs/*/Digest/\"]" },
	/* booleans */
	{ "bool TRUE", { "managedBucketNotifications=TRUE", NULL }, 1, NULL, NULL, "\"managedBucketNotifications\":true" },
	{ "bool No", { "managedBucketNotifications=No", NULL }, 1, NULL, NULL, "\"managedBucketNotifications\":false" },
	{ "bool y", { "managedBucketNotifications=y", NULL }, 1, NULL, NULL, "\"managedBucketNotifications\":true" },
	{ "bool 0", { "managedBucketNotifications=0", NULL }, 1, NULL, NULL, "\"managedBucketNotifications\":false" },
	{ "bool yes", { "managedBucketNotifications= Yes ", NULL }, 1, NULL, NULL, "\"managedBucketNotifications\":true" },
	{ "bool bad", { "managedBucketNotifications=maybe", NULL }, 0, "managedBucketNotifications: 'maybe' is not a boolean, use true or false", NULL, NULL },
	/* modify: only integrationId is required, the rest is checked for what the
	 * row holds and becomes the patch merged with the server's source */
	{ "modify keeps account and bucket to compare", { "integrationId=abc-123", NULL }, 1, NULL, NULL,
	  "{\"awsAccountId\":\"123456789012\",\"integrationLabel\":\"prod-cloudtrail\",\"logProcessingRole\"" },
	{ "modify without account", { "integrationId=abc-123", "awsAccountId=", "s3Bucket=", NULL }, 1, NULL, NULL, NULL },
	{ "modify needs id", { "action=modify", NULL }, 0, "integrationId: missing, a modify needs the ID", NULL, NULL },
	{ "modify needs only the id", { "integrationId=abc-123", "integrationLabel=", "logProcessingRole=",
	  "logStreamType=", "logTypes=", NULL }, 1, NULL, NULL,
	  "\"s3PrefixLogTypes\":[{\"prefix\":\"AWSLogs/\"}]" },
	{ "modify with no mapping keeps them", { "integrationId=abc-123", "prefix=", "logTypes=", NULL }, 1, NULL, NULL,
	  "\"managedBucketNotifications\":true,\"s3Bucket\":\"prod-cloudtrail-logs\"}" },
	{ "modify still checks role", { "integrationId=abc-123", "logProcessingRole=x", NULL }, 0, "logProcessingRole: 'x' is not an IAM role ARN", NULL, NULL },
	{ "modify still checks bucket", { "integrationId=abc-123", "s3Bucket=A_b", NULL }, 0, "s3Bucket: 'A_b' has uppercase letters", NULL, NULL },
	{ "modify clears kms", { "integrationId=abc-123", "kmsKey=#N/A", NULL }, 1, NULL, NULL, "\"kmsKey\":null" },
	{ "modify clears excluded", { "integrationId=abc-123", "excludedPrefixes=#N/A", NULL }, 1, NULL, NULL,
	  "{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.CloudTrail\"],\"prefix\":\"AWSLogs/\"}" },
	{ "modify clears an option", { "integrationId=abc-123", "logStreamType=", "xmlRootElement=#N/A", NULL }, 1, NULL, NULL,
	  "\"logStreamTypeOptions\":{\"xmlRootElement\":null}" },
	{ "modify cannot clear a label", { "integrationId=abc-123", "integrationLabel=#N/A", NULL }, 0,
	  "integrationLabel: '#N/A' clears optional fields only and a source must have integrationLabel (leave the cell empty to keep the server's value)", NULL, NULL },
	{ "modify cannot clear a stream type", { "integrationId=abc-123", "logStreamType=#N/A", NULL }, 0,
	  "logStreamType: '#N/A' clears optional fields only", NULL, NULL },
	{ "modify option without stream type waits for the merge", { "integrationId=abc-123", "logStreamType=", "xmlRootElement=Events", NULL }, 1, NULL, NULL,
	  "\"logStreamTypeOptions\":{\"xmlRootElement\":\"Events\"}" },
	{ "modify option against the row's stream type", { "integrationId=abc-123", "xmlRootElement=Events", NULL }, 0,
	  "xmlRootElement: only applies to logStreamType XML (this row sets JSON)", NULL, NULL },
	{ "create treats #N/A as none", { "kmsKey=#N/A", NULL }, 1, NULL, NULL, "\"integrationLabel\":\"prod-cloudtrail\",\"logProcessingRole\"" },
	{ "several errors joined", { "s3Bucket=A", "logStreamType=csv", NULL }, 0, "s3Bucket: 'A' is 1 characters long, a bucket name has 3 to 63; logStreamType: 'csv' is not a stream type", NULL, NULL },
};

static void test_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct vcase *c = &cases[i];
		char line[2048], err[512];
		const char *rows[] = { fx_row(line, sizeof(line), c->over), NULL };
		struct fixture fx;
		struct source_opts o;
		memset(&o, 0, sizeof(o));
		fx_csv(&fx, fx_header, rows);
		struct source *s[2];
		int n = fx_run(&fx, &o, s, 2, err, sizeof(err));
		print_message("case: %s\n", c->name);
		assert_int_equal(n, 1);
		if (c->valid) {
			if (fx_error(s[0]))
				print_error("unexpected error: %s\n", fx_error(s[0]));
			assert_null(fx_error(s[0]));
			assert_true(s[0]->body || s[0]->patch);
			if (c->body) {
				if (!strstr(fx_body(s[0]), c->body))
					print_error("body %s\nwanted %s\n", fx_body(s[0]), c->body);
				assert_non_null(strstr(fx_body(s[0]), c->body));
			}
		} else {
			assert_non_null(fx_error(s[0]));
			assert_null(s[0]->body);
			if (!strstr(fx_error(s[0]), c->err))
				print_error("error '%s'\nwanted '%s'\n", fx_error(s[0]), c->err);
			assert_non_null(strstr(fx_error(s[0]), c->err));
		}
		if (c->warn) {
			assert_non_null(fx_warning(s[0]));
			if (!strstr(fx_warning(s[0]), c->warn))
				print_error("warning '%s'\nwanted '%s'\n", fx_warning(s[0]), c->warn);
			assert_non_null(strstr(fx_warning(s[0]), c->warn));
		} else if (c->valid) {
			if (fx_warning(s[0]))
				print_error("unexpected warning: %s\n", fx_warning(s[0]));
			assert_null(fx_warning(s[0]));
		}
		fx_free_sources(s, n);
		fx_release(&fx);
	}
}

/* The helpers used by the rules, directly. */
static void test_log_type_names(void **state)
{
	(void)state;
	static const struct { const char *s; int ok; } t[] = {
		{ "AWS.CloudTrail", 1 }, { "a.b", 1 }, { "A_1.b_2.C3", 1 }, { "AWS", 0 }, { ".AWS", 0 },
		{ "AWS.", 0 }, { "AWS-X.Y", 0 }, { "", 0 }, { "A..B", 0 }, { "Custom.x y", 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		print_message("log type '%s'\n", t[i].s);
		assert_int_equal(log_type_valid(t[i].s), t[i].ok);
	}
	assert_string_equal(stream_type_canonical("jSoN"), "JSON");
	assert_string_equal(stream_type_canonical("auto"), "Auto");
	assert_null(stream_type_canonical("Json Array"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_log_type_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
