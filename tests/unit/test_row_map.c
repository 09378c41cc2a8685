/*
 * test_row_map.c - the cell syntax and the shape of the input: list
 * separators and JSON list cells, the s3PrefixLogTypes JSON cell, continuation
 * rows (and one with no row before it), --set with templates, the action column
 * and --mode, the duplicate checks naming the earlier line, JSONL rows (create,
 * modify, an S3Source as GET returns it, unknown keys, a reader error such as a
 * duplicate key), all through the real row stream.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "source_fixture.h"

#define ROLE "arn:aws:iam::123456789012:role/R"

static int run_csv(const char *header, const char *const *rows, const struct source_opts *o,
		   struct source **s, size_t max)
{
	static struct fixture fx;
	char err[512];
	fx_csv(&fx, header, rows);
	int n = fx_run(&fx, o, s, max, err, sizeof(err));
	fx_release(&fx);
	return n;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!hay || !strstr(hay, needle))
		print_error("'%s'\ndoes not contain '%s'\n", hay ? hay : "(null)", needle);
	assert_non_null(hay);
	assert_non_null(strstr(hay, needle));
}

/* ---- lists ---- */

static void test_list_cells(void **state)
{
	(void)state;
	static const struct { const char *cell; const char *want; const char *err; } t[] = {
		{ "AWS.A, AWS.B;AWS.C|AWS.D\nAWS.E", "[\"AWS.A\",\"AWS.B\",\"AWS.C\",\"AWS.D\",\"AWS.E\"]", NULL },
		{ " ,,AWS.A ,; |", "[\"AWS.A\"]", NULL },
		{ "AWS.A\r\nAWS.B", "[\"AWS.A\",\"AWS.B\"]", NULL },
		{ "[\"AWS.A\", \"AWS.B,C\"]", "[\"AWS.A\",\"AWS.B,C\"]", NULL },
		{ "  [\"x\"]  ", "[\"x\"]", NULL },
		{ "", "[]", NULL },
		{ "[AWS.A", NULL, "starts with '[' but is not a JSON array" },
		{ "[\"a\", 1]", NULL, "item 2 is not one" },
		{ "[\"a\"] x", NULL, "not a JSON array" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		char err[256] = "";
		json_t *a = parse_list(t[i].cell, strlen(t[i].cell), err, sizeof(err));
		print_message("list '%s'\n", t[i].cell);
		if (t[i].want) {
			assert_non_null(a);
			char *s = json_dumps(a, JSON_COMPACT);
			assert_string_equal(s, t[i].want);
			free(s);
			json_decref(a);
		} else {
			assert_null(a);
			assert_contains(err, t[i].err);
		}
	}
}

static void test_bool_cells(void **state)
{
	(void)state;
	static const struct { const char *s; int want; } t[] = {
		{ "true", 1 }, { "TRUE", 1 }, { "True", 1 }, { "yes", 1 }, { "YES", 1 }, { "y", 1 }, { "Y", 1 },
		{ "1", 1 }, { " true ", 1 }, { "false", 0 }, { "FALSE", 0 }, { "no", 0 }, { "N", 0 }, { "0", 0 },
		{ "", -1 }, { "2", -1 }, { "truee", -1 }, { "on", -1 }, { "t", -1 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		print_message("bool '%s'\n", t[i].s);
		assert_int_equal(parse_bool(t[i].s, strlen(t[i].s)), t[i].want);
	}
}

/* ---- the s3PrefixLogTypes JSON cell ---- */

static const char H_JSON[] = "integrationLabel\tawsAccountId\ts3Bucket\tlogProcessingRole\t"
	"logStreamType\tmanagedBucketNotifications\ts3PrefixLogTypes\tprefix\tlogTypes";

static void test_json_mapping_cell(void **state)
{
	(void)state;
	static const struct { const char *row; const char *body; const char *err; } t[] = {
		{ "a\t123456789012\tbkt\t" ROLE "\tJSON\ttrue\t[{\"prefix\":\"p/\",\"logTypes\":[\"AWS.A\"]},{\"logTypes\":[\"AWS.B\"],\"excludedPrefixes\":[\"x/*/\"]}]\t\t",
		  "\"s3PrefixLogTypes\":[{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.A\"],\"prefix\":\"p/\"},"
		  "{\"excludedPrefixes\":[\"x/*/\"],\"logTypes\":[\"AWS.B\"],\"prefix\":\"\"}]", NULL },
		{ "a\t123456789012\tbkt\t" ROLE "\tJSON\ttrue\t[{\"prefix\":\"p/\",\"logTypes\":[\"AWS.A\"]\t\t",
		  NULL, "s3PrefixLogTypes: not valid JSON" },
		{ "a\t123456789012\tbkt\t" ROLE "\tJSON\ttrue\t{\"prefix\":\"p/\"}\t\t",
		  NULL, "s3PrefixLogTypes: expected a JSON array" },
		{ "a\t123456789012\tbkt\t" ROLE "\tJSON\ttrue\t[{\"prefix\":\"p/\",\"logType\":[\"AWS.A\"]}]\t\t",
		  NULL, "s3PrefixLogTypes[0].logType: unknown key (did you mean 'logTypes'?)" },
		{ "a\t123456789012\tbkt\t" ROLE "\tJSON\ttrue\t[{\"prefix\":\"p/\",\"logTypes\":\"AWS.A\"}]\t\t",
		  NULL, "s3PrefixLogTypes[0].logTypes: must be an array of strings" },
		{ "a\t123456789012\tbkt\t" ROLE "\tJSON\ttrue\t[\"AWS.A\"]\t\t",
		  NULL, "s3PrefixLogTypes[0]: must be an object" },
		{ "a\t123456789012\tbkt\t" ROLE "\tJSON\ttrue\t[{\"prefix\":\"p/\",\"logTypes\":[\"AWS.A\"]}]\tq/\tAWS.B",
		  NULL, "s3PrefixLogTypes: this row has both s3PrefixLogTypes and prefix/logTypes/excludedPrefixes, use one form per row" },
		{ "a\t123456789012\tbkt\t" ROLE "\tJSON\ttrue\t[{\"prefix\":\"p/\",\"logTypes\":[\"AWS.A\"]},{\"prefix\":\"p/\",\"logTypes\":[\"AWS.B\"]}]\t\t",
		  NULL, "s3PrefixLogTypes[1].prefix: 'p/' appears twice in this source" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct source_opts o;
		memset(&o, 0, sizeof(o));
		const char *rows[] = { t[i].row, NULL };
		struct source *s[2];
		print_message("json cell %zu\n", i);
		int n = run_csv(H_JSON, rows, &o, s, 2);
		assert_int_equal(n, 1);
		if (t[i].body) {
			assert_null(fx_error(s[0]));
			assert_contains(fx_body(s[0]), t[i].body);
		} else {
			assert_null(s[0]->body);
			assert_contains(fx_error(s[0]), t[i].err);
		}
		fx_free_sources(s, n);
	}
}

/* ---- continuation rows ---- */

static const char H[] = "integrationLabel\tawsAccountId\ts3Bucket\tlogProcessingRole\tlogStreamType\t"
	"managedBucketNotifications\tprefix\tlogTypes\texcludedPrefixes";

static void test_continuation_rows(void **state)
{
	(void)state;
	struct source_opts o;
	memset(&o, 0, sizeof(o));
	const char *rows[] = {
		"one\t123456789012\tbkt-one\t" ROLE "\tJSON\ttrue\tAWSLogs/\tAWS.CloudTrail\tAWSLogs/*/Digest/",
		"\t\t\t\t\t\tvpc/\tAWS.VPCFlow\t",
		"  \t\t\t\t\t\talb/\tAWS.ALB, AWS.ALB2\t",
		"two\t123456789012\tbkt-two\t" ROLE "\tLines\tno\t\tAWS.S3ServerAccess\t",
		"\t\t\t\t\t\tother/\tOkta.SystemLog\t",
		NULL,
	};
	struct source *s[4];
	int n = run_csv(H, rows, &o, s, 4);
	assert_int_equal(n, 2);
	assert_null(fx_error(s[0]));
	assert_int_equal(s[0]->nraw, 3);
	assert_int_equal(s[0]->line, 2);
	assert_int_equal(s[0]->row, 1);
	assert_int_equal(s[0]->raw[1].line, 3);
	assert_string_equal(s[0]->raw[2].cells[6], "alb/");
	assert_contains(fx_body(s[0]),
		"\"s3PrefixLogTypes\":[{\"excludedPrefixes\":[\"AWSLogs/*/Digest/\"],\"logTypes\":[\"AWS.CloudTrail\"],\"prefix\":\"AWSLogs/\"},"
		"{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.VPCFlow\"],\"prefix\":\"vpc/\"},"
		"{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.ALB\",\"AWS.ALB2\"],\"prefix\":\"alb/\"}]");
	assert_null(fx_error(s[1]));
	assert_int_equal(s[1]->nraw, 2);
	assert_int_equal(s[1]->line, 5);
	assert_int_equal(s[1]->row, 4);
	assert_contains(fx_body(s[1]), "{\"excludedPrefixes\":[],\"logTypes\":[\"Okta.SystemLog\"],\"prefix\":\"other/\"}");
	fx_free_sources(s, n);
}

/* A prefix cell of several lines is one mapping per line (same log types
 * and excluded prefixes), with a warning naming them; a ',' or ';' stays literal. */
static void test_multiline_prefix(void **state)
{
	(void)state;
	struct source_opts o;
	memset(&o, 0, sizeof(o));
	const char *rows[] = {
		"lb\t123456789012\tbkt-lb\t" ROLE "\tJSON\ttrue\telb/\r\n alb/ \n\n\tAWS.ALB\ttmp/",
		"\t\t\t\t\t\tnlb/\tAWS.NLB\t",
		"comma\t123456789012\tbkt-c\t" ROLE "\tJSON\ttrue\ta,b/\tAWS.ALB\t",
		"twice\t123456789012\tbkt-t\t" ROLE "\tJSON\ttrue\tx/\nx/\tAWS.ALB\t",
		"semi\t123456789012\tbkt-s\t" ROLE "\tJSON\ttrue\ta/; b/\tAWS.ALB\t",
		NULL,
	};
	struct source *s[5];
	int n = run_csv(H, rows, &o, s, 5);
	assert_int_equal(n, 4);
	assert_null(fx_error(s[0]));
	assert_contains(fx_body(s[0]),
		"\"s3PrefixLogTypes\":[{\"excludedPrefixes\":[\"tmp/\"],\"logTypes\":[\"AWS.ALB\"],\"prefix\":\"elb/\"},"
		"{\"excludedPrefixes\":[\"tmp/\"],\"logTypes\":[\"AWS.ALB\"],\"prefix\":\"alb/\"},"
		"{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.NLB\"],\"prefix\":\"nlb/\"}]");
	assert_string_equal(fx_warning(s[0]), "prefix: the cell holds 2 lines, sent as 2 mappings "
			    "('elb/', 'alb/') with the same logTypes and excludedPrefixes");
	assert_null(fx_error(s[1]));
	assert_contains(fx_body(s[1]), "\"prefix\":\"a,b/\"");
	assert_string_equal(fx_warning(s[1]), "prefix: 'a,b/' holds ',' and is sent as one prefix; to "
			    "give several, put one per line in the cell or use continuation rows");
	assert_contains(fx_error(s[2]), "prefix: 'x/' appears twice in this source (also line 5)");
	/* ';' separates a list cell's items, not a prefix's: kept, with the warning */
	assert_null(fx_error(s[3]));
	assert_contains(fx_body(s[3]), "\"prefix\":\"a/; b/\"");
	assert_string_equal(fx_warning(s[3]), "prefix: 'a/; b/' holds ';' and is sent as one prefix; "
			    "to give several, put one per line in the cell or use continuation rows");
	fx_free_sources(s, n);
}

static void test_continuation_errors(void **state)
{
	(void)state;
	struct source_opts o;
	memset(&o, 0, sizeof(o));
	/* a continuation row first: invalid on its own; a bad log type in a
	 * continuation names its line; a prefix twice names the other line */
	const char *rows[] = {
		"\t\t\t\t\t\tvpc/\tAWS.VPCFlow\t",
		"one\t123456789012\tbkt-one\t" ROLE "\tJSON\ttrue\tAWSLogs/\tAWS.CloudTrail\t",
		"\t\t\t\t\t\tvpc/\tVPCFlow\t",
		"two\t123456789012\tbkt-two\t" ROLE "\tJSON\ttrue\tAWSLogs/\tAWS.CloudTrail\t",
		"\t\t\t\t\t\tAWSLogs/\tAWS.S3\t",
		NULL,
	};
	struct source *s[4];
	int n = run_csv(H, rows, &o, s, 4);
	assert_int_equal(n, 3);
	assert_contains(fx_error(s[0]), "prefix: a continuation row (only prefix, logTypes or excludedPrefixes) needs a source row before it");
	assert_int_equal(s[0]->line, 2);
	assert_int_equal(s[1]->nraw, 2);
	assert_contains(fx_error(s[1]), "logTypes (line 4): 'VPCFlow' is not a log type name");
	assert_contains(fx_error(s[2]), "prefix (line 6): 'AWSLogs/' appears twice in this source (also line 5)");
	fx_free_sources(s, n);
}

static void test_invalid_first_row_keeps_continuations(void **state)
{
	(void)state;
	struct source_opts o;
	memset(&o, 0, sizeof(o));
	const char *rows[] = {
		"bad_label\t123456789012\tbkt-one\t" ROLE "\tJSON\ttrue\tAWSLogs/\tAWS.CloudTrail\t",
		"\t\t\t\t\t\tvpc/\tAWS.VPCFlow\t",
		"ok\t123456789012\tbkt-two\t" ROLE "\tJSON\ttrue\tAWSLogs/\tAWS.CloudTrail\t",
		NULL,
	};
	struct source *s[4];
	int n = run_csv(H, rows, &o, s, 4);
	assert_int_equal(n, 2);
	assert_non_null(fx_error(s[0]));
	assert_int_equal(s[0]->nraw, 2);
	assert_null(fx_error(s[1]));
	fx_free_sources(s, n);
}

/* ---- --set ---- */

static const char H_SET[] = "integrationLabel\tawsAccountId\ts3Bucket\tlogProcessingRole\tlogStreamType\t"
	"managedBucketNotifications\tprefix\tlogTypes";

static void test_set(void **state)
{
	(void)state;
	static const char *const sets[] = {
		"logProcessingRole=arn:aws:iam::{awsAccountId}:role/PantherLogProcessingRole-{integrationLabel}",
		"logStreamType=Lines",
		"managed_bucket_notifications=false",
		"s3Bucket={ integration label }-logs",
	};
	struct source_opts o;
	memset(&o, 0, sizeof(o));
	o.sets = (const char **)sets;
	o.nsets = ARRAY_SIZE(sets);
	const char *rows[] = {
		/* everything from --set; the account is padded before it is expanded */
		"web\t23456789012\t\t\t\t\t\tAWS.ALB",
		/* cells win over --set */
		"db\t123456789012\tdb-bucket\tarn:aws:iam::123456789012:role/Mine\tJSON\tyes\t\tAWS.RDS",
		/* a template that needs an empty cell */
		"\t123456789012\tx-logs\t\t\t\t\tAWS.X",
		NULL,
	};
	struct source *s[4];
	int n = run_csv(H_SET, rows, &o, s, 4);
	assert_int_equal(n, 3);
	assert_null(fx_error(s[0]));
	assert_string_equal(fx_body(s[0]),
		"{\"awsAccountId\":\"023456789012\",\"integrationLabel\":\"web\","
		"\"logProcessingRole\":\"arn:aws:iam::023456789012:role/PantherLogProcessingRole-web\","
		"\"logStreamType\":\"Lines\",\"managedBucketNotifications\":false,\"s3Bucket\":\"web-logs\","
		"\"s3PrefixLogTypes\":[{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.ALB\"],\"prefix\":\"\"}]}");
	assert_null(fx_error(s[1]));
	assert_contains(fx_body(s[1]), "\"logProcessingRole\":\"arn:aws:iam::123456789012:role/Mine\",\"logStreamType\":\"JSON\",\"managedBucketNotifications\":true,\"s3Bucket\":\"db-bucket\"");
	assert_contains(fx_error(s[2]), "logProcessingRole: the --set template needs 'integrationLabel', which is empty in this row");
	fx_free_sources(s, n);
}

static void test_set_errors(void **state)
{
	(void)state;
	static const struct { const char *set; const char *err; } t[] = {
		{ "kmsKeyy=x", "--set 'kmsKeyy=x': unknown field 'kmsKeyy' (did you mean 'kmsKey'?)" },
		{ "nothing=x", "--set 'nothing=x': unknown field 'nothing'" },
		{ "logProcessingRole=arn:aws:iam::{acountId}:role/R", "unknown field '{acountId}' in the template" },
		{ "logProcessingRole=arn:aws:iam::{awsAcountId}:role/R", "(did you mean '{awsAccountId}'?)" },
		{ "logProcessingRole=arn:{awsAccountId", "'{' without a closing '}'" },
		{ "logStreamType", "expected FIELD=VALUE" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct source_opts o;
		memset(&o, 0, sizeof(o));
		const char *sets[] = { t[i].set };
		o.sets = sets;
		o.nsets = 1;
		struct fixture fx;
		const char *rows[] = { NULL };
		char err[512] = "";
		struct source *s[1] = { NULL };
		fx_csv(&fx, H_SET, rows);
		print_message("set '%s'\n", t[i].set);
		assert_int_equal(fx_run(&fx, &o, s, 1, err, sizeof(err)), -1);
		assert_contains(err, t[i].err);
		fx_release(&fx);
	}
}

/* ---- action and --mode ---- */

static const char H_ACT[] = "action\tintegrationId\tintegrationLabel\tlogProcessingRole\tlogStreamType\t"
	"managedBucketNotifications\tlogTypes\tawsAccountId\ts3Bucket";

static void test_modes(void **state)
{
	(void)state;
	static const struct {
		enum mode mode;
		const char *row;
		enum action action;
		const char *id;
		const char *err;
		const char *warn;
	} t[] = {
		{ MODE_AUTO, "\tid-1\tl\t" ROLE "\tJSON\ttrue\tAWS.A\t\t", ACTION_MODIFY, "id-1", NULL, NULL },
		{ MODE_AUTO, "\t\tl\t" ROLE "\tJSON\ttrue\tAWS.A\t123456789012\tbkt", ACTION_CREATE, NULL, NULL, NULL },
		{ MODE_AUTO, "CREATE\tid-1\tl\t" ROLE "\tJSON\ttrue\tAWS.A\t123456789012\tbkt", ACTION_CREATE, NULL, NULL,
		  "integrationId: 'id-1' is ignored, the row's action is create" },
		{ MODE_CREATE, "\tid-1\tl\t" ROLE "\tJSON\ttrue\tAWS.A\t123456789012\tbkt", ACTION_CREATE, NULL, NULL, NULL },
		{ MODE_CREATE, "modify\tid-1\tl\t" ROLE "\tJSON\ttrue\tAWS.A\t\t", ACTION_MODIFY, "id-1", NULL, NULL },
		{ MODE_MODIFY, "\t\tl\t" ROLE "\tJSON\ttrue\tAWS.A\t\t", ACTION_MODIFY, NULL,
		  "integrationId: missing, --mode modify needs it on every row", NULL },
		{ MODE_MODIFY, "\tid-2\tl\t" ROLE "\tJSON\ttrue\tAWS.A\t\t", ACTION_MODIFY, "id-2", NULL, NULL },
		{ MODE_MODIFY, " Create \t\tl\t" ROLE "\tJSON\ttrue\tAWS.A\t123456789012\tbkt", ACTION_CREATE, NULL, NULL, NULL },
		{ MODE_AUTO, "delete\tid-1\tl\t" ROLE "\tJSON\ttrue\tAWS.A\t\t", ACTION_MODIFY, "id-1",
		  "action: 'delete' is not an action, use create or modify", NULL },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct source_opts o;
		memset(&o, 0, sizeof(o));
		o.mode = t[i].mode;
		const char *rows[] = { t[i].row, NULL };
		struct source *s[1] = { NULL };
		print_message("mode case %zu\n", i);
		assert_int_equal(run_csv(H_ACT, rows, &o, s, 1), 1);
		assert_int_equal(s[0]->action, t[i].action);
		if (t[i].id)
			assert_string_equal(s[0]->id, t[i].id);
		else
			assert_null(s[0]->id);
		if (t[i].err) {
			assert_contains(fx_error(s[0]), t[i].err);
		} else {
			if (fx_error(s[0]))
				print_error("%s\n", fx_error(s[0]));
			assert_null(fx_error(s[0]));
			/* a create body has the account, a modify body never */
			assert_int_equal(strstr(fx_body(s[0]), "awsAccountId") != NULL,
					 t[i].action == ACTION_CREATE);
		}
		if (t[i].warn)
			assert_contains(fx_warning(s[0]), t[i].warn);
		else
			assert_null(fx_warning(s[0]));
		fx_free_sources(s, 1);
	}
}

/* ---- duplicates across the file ---- */

static void test_duplicates(void **state)
{
	(void)state;
	struct source_opts o;
	memset(&o, 0, sizeof(o));
	const char *rows[] = {
		"\t\tsame\t" ROLE "\tJSON\ttrue\tAWS.A\t123456789012\tbkt",        /* line 2 */
		"\tid-1\tm1\t" ROLE "\tJSON\ttrue\tAWS.A\t\t",                      /* line 3 */
		"\t\tsame\t" ROLE "\tJSON\ttrue\tAWS.A\t123456789012\tbkt2",       /* line 4: dup label */
		"\tid-1\tm2\t" ROLE "\tJSON\ttrue\tAWS.A\t\t",                      /* line 5: dup id */
		"\tid-2\tsame\t" ROLE "\tJSON\ttrue\tAWS.A\t\t",                    /* line 6: modify may reuse a label */
		"\t\tother\t" ROLE "\tJSON\ttrue\tNotALogType\t123456789012\tbkt3",   /* line 7: invalid, not recorded */
		"\t\tother\t" ROLE "\tJSON\ttrue\tAWS.A\t123456789012\tbkt3",         /* line 8: fine */
		"create\tid-9\tsame2\t" ROLE "\tJSON\ttrue\tAWS.A\t123456789012\tbkt4", /* line 9 */
		"create\tid-9\tsame2\t" ROLE "\tJSON\ttrue\tAWS.A\t123456789012\tbkt4", /* line 10 dup label */
		NULL,
	};
	struct source *s[16];
	int n = run_csv(H_ACT, rows, &o, s, 16);
	assert_int_equal(n, 9);
	assert_null(fx_error(s[0]));
	assert_null(fx_error(s[1]));
	assert_string_equal(fx_error(s[2]), "integrationLabel: 'same' is already created by line 2, labels must be unique");
	assert_null(s[2]->body);
	assert_string_equal(fx_error(s[3]), "integrationId: 'id-1' already appears on line 3, use one row per source");
	assert_null(fx_error(s[4]));
	assert_non_null(fx_error(s[5]));
	if (fx_error(s[6]))
		print_error("%s\n", fx_error(s[6]));
	assert_null(fx_error(s[6]));
	assert_null(fx_error(s[7]));
	assert_contains(fx_error(s[8]), "integrationLabel: 'same2' is already created by line 9");
	fx_free_sources(s, n);
}

/* Two creates on the same account + bucket + prefix would ingest the same
 * objects twice: the second is invalid and names the first's line. */
static void test_duplicate_location(void **state)
{
	(void)state;
	struct source_opts o;
	memset(&o, 0, sizeof(o));
	const char *rows[] = {
		"a\t012345678901\tbkt\t" ROLE "\tJSON\ttrue\tlogs/\tAWS.ALB\t",        /* line 2 */
		"b\t12345678901\tbkt\t" ROLE "\tJSON\ttrue\tother/\tAWS.ALB\t",        /* line 3: padded */
		"\t\t\t\t\t\tlogs/\tAWS.ALB\t",                                        /* line 4: dup of 2 */
		"c\t123456789012\tbkt\t" ROLE "\tJSON\ttrue\tlogs/\tAWS.ALB\t",        /* line 5: other account */
		"d\t123456789012\tbkt2\t" ROLE "\tJSON\ttrue\t\tAWS.ALB\t",            /* line 6 */
		"e\t123456789012\tbkt2\t" ROLE "\tJSON\ttrue\t\tAWS.ALB\t",            /* line 7: dup of 6 */
		NULL,
	};
	struct source *s[8];
	int n = run_csv(H, rows, &o, s, 8);
	assert_int_equal(n, 5);
	assert_null(fx_error(s[0]));
	assert_string_equal(fx_error(s[1]), "prefix (line 4): s3://bkt/logs/ in account 012345678901 is "
			    "already ingested by the source on line 2, two sources would ingest the "
			    "same objects twice");
	assert_null(fx_error(s[2]));
	assert_null(fx_error(s[3]));
	assert_string_equal(fx_error(s[4]), "prefix: s3://bkt2/ in account 123456789012 is already "
			    "ingested by the source on line 6, two sources would ingest the same "
			    "objects twice");
	fx_free_sources(s, n);
}

static void test_dupcheck_grows(void **state)
{
	(void)state;
	struct dupcheck *dc = dupcheck_new();
	char key[32];
	for (size_t i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "label-%zu", i);
		assert_int_equal(dupcheck_add(dc, DUP_LABEL, key, i + 2), 0);
	}
	assert_int_equal(dupcheck_count(dc), 5000);
	assert_int_equal(dupcheck_add(dc, DUP_LABEL, "label-1234", 9999), 1236);
	/* the kinds are separate: an ID equal to a label is not a duplicate */
	assert_int_equal(dupcheck_add(dc, DUP_ID, "label-1234", 9999), 0);
	assert_int_equal(dupcheck_add(dc, DUP_ID, "label-1234", 10000), 9999);
	dupcheck_free(dc);
}

/* ---- JSONL ---- */

#define J_CREATE "\"awsAccountId\":\"123456789012\",\"integrationLabel\":\"j1\",\"logProcessingRole\":\"" ROLE "\"," \
	"\"logStreamType\":\"json\",\"managedBucketNotifications\":true,\"s3Bucket\":\"bkt\"," \
	"\"s3PrefixLogTypes\":[{\"prefix\":\"\",\"logTypes\":[\"AWS.CloudTrail\"]}]"

static void test_jsonl(void **state)
{
	(void)state;
	static const struct {
		enum mode mode;
		const char *line;
		enum action action;
		const char *body;
		const char *err;
		const char *warn;
	} t[] = {
		{ MODE_AUTO, "{" J_CREATE "}", ACTION_CREATE,
		  "{\"awsAccountId\":\"123456789012\",\"integrationLabel\":\"j1\",\"logProcessingRole\":\"" ROLE "\","
		  "\"logStreamType\":\"JSON\",\"managedBucketNotifications\":true,\"s3Bucket\":\"bkt\","
		  "\"s3PrefixLogTypes\":[{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.CloudTrail\"],\"prefix\":\"\"}]}", NULL, NULL },
		/* an S3Source as GET returns it: a modify whose patch is the whole
		 * source (what it lacks is cleared), account and bucket only compared */
		{ MODE_AUTO, "{\"integrationId\":\"0b6a\",\"kmsKey\":\"\",\"logStreamTypeOptions\":{}," J_CREATE "}", ACTION_MODIFY,
		  "{\"awsAccountId\":\"123456789012\",\"integrationLabel\":\"j1\",\"kmsKey\":null,"
		  "\"logProcessingRole\":\"" ROLE "\",\"logStreamType\":\"JSON\","
		  "\"logStreamTypeOptions\":{\"jsonArrayEnvelopeField\":null,\"retainEnvelopeFields\":null,\"xmlRootElement\":null},"
		  "\"managedBucketNotifications\":true,\"s3Bucket\":\"bkt\","
		  "\"s3PrefixLogTypes\":[{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.CloudTrail\"],\"prefix\":\"\"}]}", NULL,
		  NULL },
		/* the same restored into another instance */
		{ MODE_CREATE, "{\"integrationId\":\"0b6a\"," J_CREATE "}", ACTION_CREATE, "\"awsAccountId\":\"123456789012\"", NULL, NULL },
		{ MODE_AUTO, "{\"action\":\"create\",\"integrationId\":\"0b6a\"," J_CREATE "}", ACTION_CREATE, "\"s3Bucket\":\"bkt\"", NULL,
		  "integrationId: '0b6a' is ignored, the row's action is create" },
		{ MODE_AUTO, "{\"integrationLabels\":\"x\"," J_CREATE "}", ACTION_CREATE, NULL,
		  "integrationLabels: unknown key (did you mean 'integrationLabel'?)", NULL },
		{ MODE_AUTO, "{\"createdAt\":\"x\"," J_CREATE "}", ACTION_CREATE, NULL, "createdAt: unknown key, remove it", NULL },
		/* a failed-rows file's "error" key is ignored */
		{ MODE_AUTO, "{\"error\":\"s3Bucket: bad\"," J_CREATE "}", ACTION_CREATE, "\"s3Bucket\":\"bkt\"", NULL, NULL },
		{ MODE_AUTO, "{\"logStreamTypeOptions\":{\"xmlRoot\":\"a\"}," J_CREATE "}", ACTION_CREATE, NULL,
		  "logStreamTypeOptions.xmlRoot: unknown key", NULL },
		{ MODE_AUTO, "{\"awsAccountId\":123456789012,\"integrationLabel\":\"j1\",\"logProcessingRole\":\"" ROLE "\","
		  "\"logStreamType\":\"JSON\",\"managedBucketNotifications\":\"true\",\"s3Bucket\":\"bkt\","
		  "\"s3PrefixLogTypes\":[{\"prefix\":\"\",\"logTypes\":[\"AWS.CloudTrail\"]}]}", ACTION_CREATE, NULL,
		  "awsAccountId: must be a string; managedBucketNotifications: must be true or false", NULL },
		{ MODE_AUTO, "{\"action\":5," J_CREATE "}", ACTION_CREATE, NULL, "action: must be a string", NULL },
		{ MODE_AUTO, "{\"logStreamTypeOptions\":\"Records\"," J_CREATE "}", ACTION_CREATE, NULL,
		  "logStreamTypeOptions: must be an object", NULL },
		{ MODE_AUTO, "{\"kmsKey\":\"a\\u0000b\"," J_CREATE "}", ACTION_CREATE, NULL,
		  "kmsKey: must not contain a NUL character", NULL },
		{ MODE_AUTO, "{\"logStreamTypeOptions\":{\"retainEnvelopeFields\":\"yes\"}," J_CREATE "}", ACTION_CREATE, NULL,
		  "retainEnvelopeFields: must be true or false", NULL },
		{ MODE_AUTO, "{\"integrationLabel\":\"a\",\"integrationLabel\":\"b\"}", ACTION_CREATE, NULL, "invalid JSON", NULL },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct source_opts o;
		memset(&o, 0, sizeof(o));
		o.mode = t[i].mode;
		struct fixture fx;
		const char *lines[] = { t[i].line, NULL };
		char err[512];
		struct source *s[1] = { NULL };
		fx_jsonl(&fx, lines);
		print_message("jsonl case %zu\n", i);
		assert_int_equal(fx_run(&fx, &o, s, 1, err, sizeof(err)), 1);
		assert_int_equal(s[0]->action, t[i].action);
		assert_non_null(s[0]->raw[0].text);
		assert_string_equal(s[0]->raw[0].text, t[i].line);
		if (t[i].body) {
			if (fx_error(s[0]))
				print_error("%s\n", fx_error(s[0]));
			assert_null(fx_error(s[0]));
			assert_contains(fx_body(s[0]), t[i].body);
		} else {
			assert_null(s[0]->body);
			assert_contains(fx_error(s[0]), t[i].err);
		}
		if (t[i].warn)
			assert_contains(fx_warning(s[0]), t[i].warn);
		else
			assert_null(fx_warning(s[0]));
		fx_free_sources(s, 1);
		fx_release(&fx);
	}
}

/* A record.error from the reader (here: the reader's duplicate-key message)
 * makes the source invalid with that message, and --set fills JSONL too. */
static void test_jsonl_reader_error_and_set(void **state)
{
	(void)state;
	static const char *const sets[] = { "kmsKey=arn:aws:kms:us-east-1:{awsAccountId}:key/k-1" };
	struct source_opts o;
	memset(&o, 0, sizeof(o));
	o.sets = (const char **)sets;
	o.nsets = 1;
	struct fixture fx;
	const char *lines[] = { "{" J_CREATE "}", "{\"a\":1,\"a\":2}", NULL };
	fx_jsonl(&fx, lines);
	fx.rec[1].error = "duplicate key 'a'";
	char err[256];
	struct source *s[2];
	assert_int_equal(fx_run(&fx, &o, s, 2, err, sizeof(err)), 2);
	assert_null(fx_error(s[0]));
	assert_contains(fx_body(s[0]), "\"kmsKey\":\"arn:aws:kms:us-east-1:123456789012:key/k-1\"");
	assert_string_equal(fx_error(s[1]), "duplicate key 'a'");
	assert_null(s[1]->body);
	assert_int_equal(s[1]->line, 2);
	fx_free_sources(s, 2);
	fx_release(&fx);
}

/* --set prefix/logTypes give a JSONL row without s3PrefixLogTypes its mapping;
 * with s3PrefixLogTypes present, a --set mapping would be a second form. */
static void test_jsonl_set_mapping(void **state)
{
	(void)state;
	static const char *const sets[] = { "logTypes=AWS.CloudTrail, AWS.S3", "prefix=AWSLogs/" };
	struct source_opts o;
	memset(&o, 0, sizeof(o));
	o.sets = (const char **)sets;
	o.nsets = 2;
	struct fixture fx;
	const char *lines[] = {
		"{\"awsAccountId\":\"123456789012\",\"integrationLabel\":\"j\",\"logProcessingRole\":\"" ROLE "\","
		"\"logStreamType\":\"Lines\",\"managedBucketNotifications\":false,\"s3Bucket\":\"bkt\"}",
		"{" J_CREATE "}",
		NULL,
	};
	fx_jsonl(&fx, lines);
	char err[256];
	struct source *s[2];
	assert_int_equal(fx_run(&fx, &o, s, 2, err, sizeof(err)), 2);
	assert_null(fx_error(s[0]));
	assert_contains(fx_body(s[0]), "\"s3PrefixLogTypes\":[{\"excludedPrefixes\":[],\"logTypes\":[\"AWS.CloudTrail\",\"AWS.S3\"],\"prefix\":\"AWSLogs/\"}]");
	assert_contains(fx_error(s[1]), "s3PrefixLogTypes: this row has both s3PrefixLogTypes and prefix/logTypes/excludedPrefixes");
	fx_free_sources(s, 2);
	fx_release(&fx);
}

/* The fingerprint changes with the body and not with how the cells were written. */
static void test_fingerprint_stable(void **state)
{
	(void)state;
	struct source_opts o;
	memset(&o, 0, sizeof(o));
	const char *rows[] = {
		"a\t123456789012\tbkt\t" ROLE "\tjson\tYES\tp/\tAWS.A;AWS.B\t",
		"a2\t123456789012\tbkt2\t" ROLE "\tJSON\ttrue\tp/\t[\"AWS.A\",\"AWS.B\"]\t",
		NULL,
	};
	struct source *s[2];
	assert_int_equal(run_csv(H, rows, &o, s, 2), 2);
	assert_int_equal(strlen(s[0]->fingerprint), 64);
	assert_string_not_equal(s[0]->fingerprint, s[1]->fingerprint);
	char fp[65];
	json_t *b = json_deep_copy(s[1]->body);
	json_object_set_new(b, "integrationLabel", json_string("a"));
	json_object_set_new(b, "s3Bucket", json_string("bkt"));
	source_fingerprint(ACTION_CREATE, NULL, b, fp);
	assert_string_equal(fp, s[0]->fingerprint);
	source_fingerprint(ACTION_MODIFY, NULL, b, fp);
	assert_string_not_equal(fp, s[0]->fingerprint);
	json_decref(b);
	fx_free_sources(s, 2);
}

/* ---- diagnostics ---- */

/* A value that holds "; " is still one diagnostic: the row's notes are records,
 * not text split again (issue 14: "a; b; c" counted as 3 warnings). */
static void test_diagnostic_with_separator(void **state)
{
	(void)state;
	char row[1024];
	const char *const over[] = { "action=create", "integrationId=a; b; c", "awsAccountId=12345678901",
				     NULL };
	const char *const rows[] = { fx_row(row, sizeof(row), over), NULL };
	struct source_opts o;
	memset(&o, 0, sizeof(o));
	struct source *s[1] = { NULL };
	int n = run_csv(fx_header, rows, &o, s, 1);
	assert_int_equal(n, 1);
	assert_int_equal(diag_count(&s[0]->diags, DIAG_ERROR), 0);
	assert_int_equal(diag_count(&s[0]->diags, DIAG_WARNING), 3);
	assert_true(diag_has(&s[0]->diags, DIAG_WARNING, "integrationId"));
	assert_true(diag_has(&s[0]->diags, DIAG_WARNING, "awsAccountId"));
	assert_true(diag_has(&s[0]->diags, DIAG_WARNING, "logProcessingRole"));
	assert_false(diag_has(&s[0]->diags, DIAG_WARNING, "b"));
	assert_false(diag_has(&s[0]->diags, DIAG_ERROR, "integrationId"));
	/* rendered as before: the writers' text is unchanged */
	assert_string_equal(fx_warning(s[0]),
			    "integrationId: 'a; b; c' is ignored, the row's action is create; "
			    "awsAccountId: '12345678901' padded to '012345678901' (a spreadsheet "
			    "dropped the leading zeros); logProcessingRole: the role's account "
			    "123456789012 differs from awsAccountId 012345678901 (fine if the role "
			    "is meant to be in another account)");
	fx_free_sources(s, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_cells),
		cmocka_unit_test(test_bool_cells),
		cmocka_unit_test(test_json_mapping_cell),
		cmocka_unit_test(test_continuation_rows),
		cmocka_unit_test(test_multiline_prefix),
		cmocka_unit_test(test_continuation_errors),
		cmocka_unit_test(test_invalid_first_row_keeps_continuations),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_set_errors),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_duplicate_location),
		cmocka_unit_test(test_dupcheck_grows),
		cmocka_unit_test(test_jsonl),
		cmocka_unit_test(test_jsonl_reader_error_and_set),
		cmocka_unit_test(test_jsonl_set_mapping),
		cmocka_unit_test(test_fingerprint_stable),
		cmocka_unit_test(test_diagnostic_with_separator),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
