/*
 * test_header.c - CSV column names: the spellings a spreadsheet user writes
 * map to the API's fields, an unknown column stops with a did-you-mean unless
 * --ignore-column names it, a column named "error" (from a failed-rows file)
 * is ignored, and two columns for one field are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "source_internal.h"

static void test_lookup(void **state)
{
	(void)state;
	static const struct { const char *name; int f; } t[] = {
		{ "awsAccountId", F_AWS_ACCOUNT_ID }, { "AWS Account ID", F_AWS_ACCOUNT_ID },
		{ "aws_account_id", F_AWS_ACCOUNT_ID }, { "aws-account-id", F_AWS_ACCOUNT_ID },
		{ "AWSACCOUNTID", F_AWS_ACCOUNT_ID }, { "S3 Bucket", F_S3_BUCKET },
		{ "log_types", F_LOG_TYPES }, { "Excluded Prefixes", F_EXCLUDED_PREFIXES },
		{ "s3_prefix_log_types", F_S3_PREFIX_LOG_TYPES }, { "KMS Key", F_KMS_KEY },
		{ "Action", F_ACTION }, { "integration id", F_INTEGRATION_ID },
		{ "retain_envelope_fields", F_RETAIN_ENVELOPE_FIELDS },
		{ "account", -1 }, { "kmsKeyy", -1 }, { "", -1 }, { "error", -1 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		print_message("'%s'\n", t[i].name);
		assert_int_equal(field_lookup(t[i].name, strlen(t[i].name)), t[i].f);
	}
	assert_string_equal(field_suggest("kmsKeyy"), "kmsKey");
	assert_string_equal(field_suggest("AWS Acount ID"), "awsAccountId");
	assert_string_equal(field_suggest("log_type"), "logTypes");
	assert_string_equal(field_suggest("integrationLable"), "integrationLabel");
	assert_null(field_suggest("notes"));
	assert_null(field_suggest("owner email"));
}

/* The names of the spec's "CSV" section, exactly as listed there. */
static void test_synonyms(void **state)
{
	(void)state;
	static const struct { const char *name; int f; } t[] = {
		{ "Account", F_AWS_ACCOUNT_ID }, { "Account ID", F_AWS_ACCOUNT_ID },
		{ "AWS Account", F_AWS_ACCOUNT_ID }, { "Bucket", F_S3_BUCKET },
		{ "Bucket Name", F_S3_BUCKET }, { "S3 Bucket Name", F_S3_BUCKET },
		{ "Name", F_INTEGRATION_LABEL }, { "Label", F_INTEGRATION_LABEL },
		{ "Source Name", F_INTEGRATION_LABEL }, { "Source", F_INTEGRATION_LABEL },
		{ "Role", F_LOG_PROCESSING_ROLE }, { "Role ARN", F_LOG_PROCESSING_ROLE },
		{ "IAM Role", F_LOG_PROCESSING_ROLE }, { "KMS Key", F_KMS_KEY },
		{ "KMS Key ARN", F_KMS_KEY }, { "Stream Type", F_LOG_STREAM_TYPE },
		{ "Log Stream Type", F_LOG_STREAM_TYPE }, { "Prefix", F_PREFIX },
		{ "Prefixes", F_PREFIX }, { "S3 Prefix", F_PREFIX }, { "Log Type", F_LOG_TYPES },
		{ "Log Types", F_LOG_TYPES }, { "Excluded Prefixes", F_EXCLUDED_PREFIXES },
		{ "Exclude", F_EXCLUDED_PREFIXES }, { "ID", F_INTEGRATION_ID },
		{ "Source ID", F_INTEGRATION_ID }, { "Integration ID", F_INTEGRATION_ID },
		{ "Managed Notifications", F_MANAGED_BUCKET_NOTIFICATIONS },
		{ "Bucket Notifications", F_MANAGED_BUCKET_NOTIFICATIONS },
		/* matched the same way: case, spaces, '_' and '-' */
		{ "role_arn", F_LOG_PROCESSING_ROLE }, { "ACCOUNT-ID", F_AWS_ACCOUNT_ID },
		{ "awsAccountId", F_AWS_ACCOUNT_ID }, { "Owner", -1 }, { "Notes", -1 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		print_message("'%s'\n", t[i].name);
		assert_int_equal(column_lookup(t[i].name, strlen(t[i].name)), t[i].f);
	}
	int f;
	assert_string_equal(column_suggest("Source Nme", &f), "Source Name");
	assert_int_equal(f, F_INTEGRATION_LABEL);
	assert_string_equal(column_suggest("Role ARM", &f), "Role ARN");
	assert_int_equal(f, F_LOG_PROCESSING_ROLE);
	assert_string_equal(column_suggest("kmsKeyy", &f), "kmsKey");
	assert_null(column_suggest("Owner", &f));
	assert_int_equal(f, -1);
	assert_null(column_suggest("Notes", &f));
	assert_null(column_suggest("Go", &f));   /* never "ID" for a short word */
}

static void test_column_option(void **state)
{
	(void)state;
	const char *cells[] = { "Log Bucket", "Team", "Account" };
	const char *cols[] = { "log bucket=s3Bucket", "Team=Name" };
	struct header_map hm;
	char err[512] = "";
	assert_int_equal(header_map_init(&hm, (char *const *)cells, 3, NULL, 0, cols, 2, err,
					 sizeof(err)), 0);
	assert_int_equal(hm.col[0], F_S3_BUCKET);
	assert_int_equal(hm.col[1], F_INTEGRATION_LABEL);
	assert_int_equal(hm.col[2], F_AWS_ACCOUNT_ID);
	header_map_release(&hm);

	static const struct { const char *rule; const char *err; } bad[] = {
		{ "Log Bucket=s3Buckett", "--column 'Log Bucket=s3Buckett': unknown field 's3Buckett' "
		  "(did you mean 's3Bucket'?)" },
		{ "Missing=s3Bucket", "--column 'Missing=s3Bucket': the header has no column 'Missing'" },
		{ "Log Bucket", "--column 'Log Bucket': expected 'HEADER=FIELD', e.g. "
		  "--column 'Log Bucket=s3Bucket'" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *rule[] = { bad[i].rule };
		assert_int_equal(header_map_init(&hm, (char *const *)cells, 3, NULL, 0, rule, 1, err,
						 sizeof(err)), -1);
		assert_string_equal(err, bad[i].err);
	}
}

static int map(const char *const *cells, size_t n, const char *const *ignore, size_t nignore,
	       struct header_map *hm, char *err, size_t errlen)
{
	return header_map_init(hm, (char *const *)cells, n, ignore, nignore, NULL, 0, err, errlen);
}

static void test_map(void **state)
{
	(void)state;
	const char *cells[] = { " Integration Label ", "aws_account_id", "error", "Notes", "S3-Bucket", "" };
	const char *ignore[] = { "notes" };
	struct header_map hm;
	char err[512];
	assert_int_equal(map(cells, 6, ignore, 1, &hm, err, sizeof(err)), 0);
	assert_int_equal(hm.col[0], F_INTEGRATION_LABEL);
	assert_int_equal(hm.col[1], F_AWS_ACCOUNT_ID);
	assert_int_equal(hm.col[2], F_IGNORED);
	assert_int_equal(hm.col[3], F_IGNORED);
	assert_int_equal(hm.col[4], F_S3_BUCKET);
	assert_int_equal(hm.col[5], F_UNNAMED);
	assert_int_equal(hm.pos[F_S3_BUCKET], 4);
	assert_int_equal(hm.pos[F_KMS_KEY], -1);
	header_map_release(&hm);
}

static void test_map_errors(void **state)
{
	(void)state;
	static const struct { const char *cells[3]; const char *err; } t[] = {
		{ { "integrationLabel", "kmsKeyy", NULL },
		  "unknown column 'kmsKeyy' (did you mean 'kmsKey'?); rename it, map it with --column "
		  "'kmsKeyy=FIELD', or skip it with --ignore-column 'kmsKeyy'" },
		{ { "Notes", NULL, NULL }, "unknown column 'Notes'; rename it, map it with --column "
		  "'Notes=FIELD', or skip it with --ignore-column 'Notes'" },
		{ { "Source Nme", "Owner", "Notes" },
		  "3 unknown columns: 'Source Nme' (did you mean 'Source Name', i.e. integrationLabel?), "
		  "'Owner', 'Notes'; rename them, map them with --column 'HEADER=FIELD', or skip them "
		  "with --ignore-column 'Source Nme' --ignore-column 'Owner' --ignore-column 'Notes'" },
		{ { "AWS Account ID", "awsAccountId", NULL },
		  "columns 'AWS Account ID' and 'awsAccountId' both name the field 'awsAccountId'; keep one "
		  "(skip the other with --ignore-column)" },
		{ { "Account", "awsAccountId", NULL },
		  "columns 'Account' and 'awsAccountId' both name the field 'awsAccountId'; keep one "
		  "(skip the other with --ignore-column)" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		size_t n = 0;
		while (n < 3 && t[i].cells[n])
			n++;
		struct header_map hm;
		char err[512] = "";
		assert_int_equal(map(t[i].cells, n, NULL, 0, &hm, err, sizeof(err)), -1);
		assert_string_equal(err, t[i].err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_synonyms),
		cmocka_unit_test(test_column_option),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_map_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
