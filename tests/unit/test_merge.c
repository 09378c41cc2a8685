/*
 * test_merge.c - fetch, merge, compare (merge.c), one case per rule of the
 * spec's "Modify is fetch, merge, compare": a row (CSV through the real row
 * stream, or JSONL) is merged with a server source that uses every optional
 * field, and the test checks the outcome (changed, unchanged, invalid), the
 * `changes` text, the error and the PUT body.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "merge.h"
#include "source_fixture.h"

#define KMS_A "arn:aws:kms:us-east-1:123456789012:key/a"
#define KMS_B "arn:aws:kms:us-east-1:123456789012:key/b"
#define ROLE "arn:aws:iam::123456789012:role/R"

/* A source that uses every optional field, as GET returns it. */
static const char server_text[] =
	"{\"integrationId\":\"id-1\",\"awsAccountId\":\"123456789012\",\"s3Bucket\":\"prod-logs\","
	"\"integrationLabel\":\"prod\",\"kmsKey\":\"" KMS_A "\",\"logProcessingRole\":\"" ROLE "\","
	"\"logStreamType\":\"JsonArray\",\"logStreamTypeOptions\":{\"jsonArrayEnvelopeField\":\"Records\"},"
	"\"managedBucketNotifications\":true,\"s3PrefixLogTypes\":["
	"{\"prefix\":\"AWSLogs/\",\"logTypes\":[\"AWS.CloudTrail\"],\"excludedPrefixes\":[\"AWSLogs/*/Digest/\"]},"
	"{\"prefix\":\"vpc/\",\"logTypes\":[\"AWS.VPCFlow\"],\"excludedPrefixes\":[]}]}";

struct mcase {
	const char *name;
	const char *header;          /* CSV header (tabs), or NULL for JSONL */
	const char *rows[4];         /* CSV rows (tabs) or one JSONL line */
	enum merge_status status;
	const char *changes;         /* exact changes text, NULL for none */
	const char *error;           /* substring of the error (INVALID) */
	const char *body[3];         /* substrings of the PUT body */
	const char *absent;          /* a substring the body must not have */
};

static const struct mcase cases[] = {
	{ "label and kms change, nothing else", "integrationId\tintegrationLabel\tkmsKey",
	  { "id-1\tprod-2\t" KMS_B }, MERGE_CHANGED, "integrationLabel; kmsKey", NULL,
	  { "\"kmsKey\":\"" KMS_B "\"", "\"logStreamTypeOptions\":{\"jsonArrayEnvelopeField\":\"Records\"}",
	    "{\"excludedPrefixes\":[\"AWSLogs/*/Digest/\"],\"logTypes\":[\"AWS.CloudTrail\"],\"prefix\":\"AWSLogs/\"},"
	    "{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.VPCFlow\"],\"prefix\":\"vpc/\"}" }, "s3Bucket" },
	{ "empty cells keep everything", "integrationId\tintegrationLabel\tkmsKey\tprefix\tlogTypes",
	  { "id-1\t\t\t\t" }, MERGE_UNCHANGED, NULL, NULL, { "\"kmsKey\":\"" KMS_A "\"" }, NULL },
	{ "#N/A clears the kms key", "integrationId\tkmsKey", { "id-1\t#N/A" }, MERGE_CHANGED,
	  "kmsKey (cleared)", NULL, { "\"integrationLabel\":\"prod\"" }, "kmsKey" },
	{ "#N/A clears an option", "integrationId\tlogStreamType\tjsonArrayEnvelopeField",
	  { "id-1\tJSON\t#N/A" }, MERGE_CHANGED, "logStreamType; jsonArrayEnvelopeField (cleared)", NULL,
	  { "\"logStreamType\":\"JSON\"" }, "logStreamTypeOptions" },
	{ "the same values are unchanged", "integrationId\tintegrationLabel\tlogStreamType\tmanagedBucketNotifications\tawsAccountId\ts3Bucket",
	  { "id-1\tprod\tjsonarray\tyes\t123456789012\tprod-logs" }, MERGE_UNCHANGED, NULL, NULL, { NULL }, NULL },
	{ "a padded account is compared padded", "integrationId\tawsAccountId\tintegrationLabel",
	  { "id-1\t23456789012\tprod" }, MERGE_INVALID, NULL,
	  "awsAccountId: cannot change awsAccountId from '123456789012' to '023456789012'; create a new source", { NULL }, NULL },
	{ "a changed bucket is invalid", "integrationId\ts3Bucket\tintegrationLabel", { "id-1\tother-logs\tprod-2" },
	  MERGE_INVALID, NULL, "s3Bucket: cannot change s3Bucket from 'prod-logs' to 'other-logs'; create a new source",
	  { NULL }, NULL },
	{ "mappings given replace the list, excluded kept by prefix", "integrationId\tprefix\tlogTypes",
	  { "id-1\tAWSLogs/\tAWS.CloudTrail,AWS.S3" }, MERGE_CHANGED, "s3PrefixLogTypes", NULL,
	  { "\"s3PrefixLogTypes\":[{\"excludedPrefixes\":[\"AWSLogs/*/Digest/\"],\"logTypes\":[\"AWS.CloudTrail\",\"AWS.S3\"],\"prefix\":\"AWSLogs/\"}]" },
	  "vpc/" },
	{ "continuation rows give several mappings", "integrationId\tprefix\tlogTypes\texcludedPrefixes",
	  { "id-1\tAWSLogs/\tAWS.CloudTrail\t", "\tvpc/\tAWS.VPCFlow\t", "\tnew/\tCustom.App\tnew/tmp/" },
	  MERGE_CHANGED, "s3PrefixLogTypes", NULL,
	  { "{\"excludedPrefixes\":[\"AWSLogs/*/Digest/\"],\"logTypes\":[\"AWS.CloudTrail\"],\"prefix\":\"AWSLogs/\"},"
	    "{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.VPCFlow\"],\"prefix\":\"vpc/\"},"
	    "{\"excludedPrefixes\":[\"new/tmp/\"],\"logTypes\":[\"Custom.App\"],\"prefix\":\"new/\"}" }, NULL },
	{ "#N/A clears excluded prefixes, log types kept by prefix", "integrationId\tprefix\texcludedPrefixes",
	  { "id-1\tAWSLogs/\t#N/A" }, MERGE_CHANGED, "s3PrefixLogTypes", NULL,
	  { "\"s3PrefixLogTypes\":[{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.CloudTrail\"],\"prefix\":\"AWSLogs/\"}]" }, NULL },
	{ "a new prefix needs log types", "integrationId\tprefix", { "id-1\tnew/" }, MERGE_INVALID, NULL,
	  "logTypes: missing for prefix 'new/', which the source on the server does not have", { NULL }, NULL },
	{ "the server's option against a new stream type", "integrationId\tlogStreamType", { "id-1\tXML" },
	  MERGE_INVALID, NULL, "jsonArrayEnvelopeField: only applies to logStreamType JsonArray (this source's would be XML), "
	  "clear it with '#N/A' or change logStreamType", { NULL }, NULL },
	{ "the JSON mappings cell replaces the list", "integrationId\ts3PrefixLogTypes",
	  { "id-1\t[{\"prefix\":\"vpc/\",\"logTypes\":[\"AWS.VPCFlow\"]}]" }, MERGE_CHANGED, "s3PrefixLogTypes", NULL,
	  { "\"s3PrefixLogTypes\":[{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.VPCFlow\"],\"prefix\":\"vpc/\"}]" }, "AWSLogs/" },
	{ "a JSONL row with only what it changes", NULL,
	  { "{\"integrationId\":\"id-1\",\"integrationLabel\":\"prod-3\"}" }, MERGE_CHANGED, "integrationLabel", NULL,
	  { "\"kmsKey\":\"" KMS_A "\"", "\"jsonArrayEnvelopeField\":\"Records\"" }, NULL },
	{ "the server's own source (an export record) is unchanged", NULL, { server_text }, MERGE_UNCHANGED,
	  NULL, NULL, { "\"kmsKey\":\"" KMS_A "\"" }, "integrationId" },
	{ "an export record without a kms key clears it", NULL,
	  { "{\"integrationId\":\"id-1\",\"awsAccountId\":\"123456789012\",\"s3Bucket\":\"prod-logs\","
	    "\"integrationLabel\":\"prod\",\"logProcessingRole\":\"" ROLE "\",\"logStreamType\":\"JSON\","
	    "\"managedBucketNotifications\":true,\"s3PrefixLogTypes\":[{\"prefix\":\"AWSLogs/\","
	    "\"logTypes\":[\"AWS.CloudTrail\"]}]}" },
	  MERGE_CHANGED, "kmsKey (cleared); logStreamType; jsonArrayEnvelopeField (cleared); s3PrefixLogTypes", NULL,
	  { "\"s3PrefixLogTypes\":[{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.CloudTrail\"],\"prefix\":\"AWSLogs/\"}]" },
	  "kmsKey" },
	{ "a stream type the row does not touch is not checked", "integrationId\tkmsKey", { "id-1\t#N/A" },
	  MERGE_CHANGED, "kmsKey (cleared)", NULL, { "\"jsonArrayEnvelopeField\":\"Records\"" }, NULL },
	{ "a JSONL row changing the bucket", NULL,
	  { "{\"integrationId\":\"id-1\",\"s3Bucket\":\"b-2\",\"integrationLabel\":\"prod\"}" }, MERGE_INVALID, NULL,
	  "cannot change s3Bucket from 'prod-logs' to 'b-2'", { NULL }, NULL },
};

/* Builds the row's source through the real row stream (caller frees). */
static struct source *row_source(const struct mcase *c)
{
	struct fixture fx;
	struct source_opts o;
	struct source *s[2];
	char err[512];
	memset(&o, 0, sizeof(o));
	if (c->header)
		fx_csv(&fx, c->header, c->rows);
	else
		fx_jsonl(&fx, c->rows);
	int n = fx_run(&fx, &o, s, 2, err, sizeof(err));
	assert_int_equal(n, 1);
	fx_release(&fx);
	if (fx_error(s[0]))
		print_error("row error: %s\n", fx_error(s[0]));
	assert_null(fx_error(s[0]));
	assert_int_equal(s[0]->action, ACTION_MODIFY);
	assert_non_null(s[0]->patch);
	return s[0];
}

static void test_rules(void **state)
{
	(void)state;
	json_t *server = json_loads(server_text, 0, NULL);
	assert_non_null(server);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct mcase *c = &cases[i];
		print_message("case: %s\n", c->name);
		struct source *s = row_source(c);
		struct merge_result r;
		merge_source(s->patch, server, &r);
		if (r.status != c->status)
			print_error("status %d, error %s, changes %s\n", r.status,
				    r.error ? r.error : "-", r.changes ? r.changes : "-");
		assert_int_equal(r.status, c->status);
		if (c->changes) {
			assert_non_null(r.changes);
			assert_string_equal(r.changes, c->changes);
		} else {
			assert_null(r.changes);
		}
		if (c->error) {
			assert_non_null(r.error);
			if (!strstr(r.error, c->error))
				print_error("error '%s'\nwanted '%s'\n", r.error, c->error);
			assert_non_null(strstr(r.error, c->error));
			assert_null(r.body);
		} else {
			assert_null(r.error);
			assert_non_null(r.body);
			char *body = json_dumps(r.body, JSON_COMPACT);
			for (size_t k = 0; k < ARRAY_SIZE(c->body) && c->body[k]; k++) {
				if (!strstr(body, c->body[k]))
					print_error("body %s\nwanted %s\n", body, c->body[k]);
				assert_non_null(strstr(body, c->body[k]));
			}
			if (c->absent)
				assert_null(strstr(body, c->absent));
			/* never the fields a PUT must not carry */
			assert_null(json_object_get(r.body, "integrationId"));
			assert_null(json_object_get(r.body, "awsAccountId"));
			assert_null(json_object_get(r.body, "s3Bucket"));
			free(body);
		}
		merge_result_release(&r);
		source_free(s);
	}
	json_decref(server);
}

/* The terminal's diff: old -> new, "(cleared)" for a cleared field. */
static void test_diff(void **state)
{
	(void)state;
	json_t *server = json_loads(server_text, 0, NULL);
	const struct mcase c = { "diff", "integrationId\tintegrationLabel\tkmsKey", { "id-1\tprod-2\t#N/A" },
				 MERGE_CHANGED, NULL, NULL, { NULL }, NULL };
	struct source *s = row_source(&c);
	struct merge_result r;
	merge_source(s->patch, server, &r);
	assert_non_null(r.diff);
	assert_string_equal(r.diff, "integrationLabel: prod -> prod-2\nkmsKey: " KMS_A " -> (cleared)");
	merge_result_release(&r);
	source_free(s);

	/* a server answer that is not an object */
	json_t *bad = json_string("nope");
	struct source *s2 = row_source(&c);
	merge_source(s2->patch, bad, &r);
	assert_int_equal(r.status, MERGE_INVALID);
	assert_non_null(strstr(r.error, "not a JSON object"));
	merge_result_release(&r);
	source_free(s2);
	json_decref(bad);
	json_decref(server);
}

/* The server's side of the comparison: the modify schema's fields only, in
 * a body's shape. */
static void test_cut(void **state)
{
	(void)state;
	json_t *src = json_loads("{\"integrationId\":\"x\",\"awsAccountId\":\"1\",\"s3Bucket\":\"b\","
				 "\"integrationLabel\":\"l\",\"kmsKey\":\"\",\"extra\":1,"
				 "\"logStreamTypeOptions\":{},\"s3PrefixLogTypes\":[{\"logTypes\":[\"A.B\"]}]}", 0, NULL);
	json_t *cut = merge_cut(src);
	char *text = json_dumps(cut, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "{\"integrationLabel\":\"l\",\"s3PrefixLogTypes\":"
			    "[{\"excludedPrefixes\":[],\"logTypes\":[\"A.B\"],\"prefix\":\"\"}]}");
	free(text);
	json_decref(cut);
	json_decref(src);
}

/* Label matching: a create row also carries its patch (create_patch); merged
 * into the server's source with its label, it keeps what the row leaves out. */
static void test_create_patch(void **state)
{
	(void)state;
	json_t *server = json_loads(server_text, 0, NULL);
	const char *rows[] = {
		"prod\t123456789012\tprod-logs\t" ROLE "\tJsonArray\ttrue\tAWSLogs/\tAWS.CloudTrail\t",
		"\t\t\t\t\t\tvpc/\tAWS.VPCFlow,AWS.ALB\t",
		NULL,
	};
	struct fixture fx;
	struct source_opts o;
	struct source *s[2];
	char err[512];
	memset(&o, 0, sizeof(o));
	o.create_patch = 1;
	fx_csv(&fx, "integrationLabel\tawsAccountId\ts3Bucket\tlogProcessingRole\tlogStreamType\t"
		 "managedBucketNotifications\tprefix\tlogTypes\texcludedPrefixes", rows);
	assert_int_equal(fx_run(&fx, &o, s, 2, err, sizeof(err)), 1);
	fx_release(&fx);
	assert_null(fx_error(s[0]));
	assert_int_equal(s[0]->action, ACTION_CREATE);
	assert_non_null(s[0]->body);
	assert_non_null(s[0]->patch);
	assert_null(fx_warning(s[0]));
	struct merge_result r;
	merge_source(s[0]->patch, server, &r);
	if (r.changes)
		print_error("changes: %s\n", r.changes);
	/* kmsKey, the option and the excluded prefixes kept; the log types changed */
	assert_int_equal(r.status, MERGE_CHANGED);
	assert_string_equal(r.changes, "s3PrefixLogTypes");
	char *body = json_dumps(r.body, JSON_COMPACT);
	assert_non_null(strstr(body, "\"kmsKey\":\"" KMS_A "\""));
	assert_non_null(strstr(body, "{\"excludedPrefixes\":[\"AWSLogs/*/Digest/\"],\"logTypes\":[\"AWS.CloudTrail\"]"));
	assert_non_null(strstr(body, "{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.VPCFlow\",\"AWS.ALB\"],\"prefix\":\"vpc/\"}"));
	free(body);
	merge_result_release(&r);
	source_free(s[0]);

	/* without create_patch, a create carries no patch */
	o.create_patch = 0;
	fx_csv(&fx, "integrationLabel\tawsAccountId\ts3Bucket\tlogProcessingRole\tlogStreamType\t"
		 "managedBucketNotifications\tprefix\tlogTypes\texcludedPrefixes", rows);
	assert_int_equal(fx_run(&fx, &o, s, 2, err, sizeof(err)), 1);
	fx_release(&fx);
	assert_null(s[0]->patch);
	source_free(s[0]);
	json_decref(server);
}

/* A row invalid only for what the source with its label gives (a create's
 * missing fields, a modify's missing ID) keeps its patch, exactly the cells
 * it gives, for label matching (by_label); any other error, or no label, and
 * it does not. */
static void test_by_label(void **state)
{
	(void)state;
	static const struct {
		const char *row;
		int by_label;
		const char *patch;
	} rows_by_label[] = {
		{ "\tsec-logs-07\t\t" KMS_A, 1,
		  "{\"integrationLabel\":\"sec-logs-07\",\"kmsKey\":\"" KMS_A "\"}" },
		{ "modify\tsec-logs-07\t\t" KMS_A, 1,
		  "{\"integrationLabel\":\"sec-logs-07\",\"kmsKey\":\"" KMS_A "\"}" },
		{ "\tsec-logs-07\t12\t" KMS_A, 0, NULL },
		{ "\tthis-label-is-much-longer-than-32-characters\t\t" KMS_A, 0, NULL },
		{ "\t\t\t" KMS_A, 0, NULL },
		{ "modify\t\t\t" KMS_A, 0, NULL },
	};
	for (size_t i = 0; i < sizeof(rows_by_label) / sizeof(rows_by_label[0]); i++) {
		const char *rows[] = { rows_by_label[i].row, NULL };
		struct fixture fx;
		struct source_opts o;
		struct source *s[1] = { NULL };
		char err[512];
		memset(&o, 0, sizeof(o));
		o.create_patch = 1;
		fx_csv(&fx, "action\tintegrationLabel\tawsAccountId\tkmsKey", rows);
		assert_int_equal(fx_run(&fx, &o, s, 1, err, sizeof(err)), 1);
		fx_release(&fx);
		assert_non_null(fx_error(s[0]));   /* invalid until matched */
		assert_null(s[0]->body);
		assert_int_equal(s[0]->by_label, rows_by_label[i].by_label);
		if (rows_by_label[i].patch) {
			char *p = json_dumps(s[0]->patch, JSON_COMPACT);
			assert_string_equal(p, rows_by_label[i].patch);
			free(p);
		} else {
			assert_null(s[0]->patch);
		}
		source_free(s[0]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_create_patch),
		cmocka_unit_test(test_by_label),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
