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

static int map(const char *const *cells, size_t n, const char *const *ignore, size_t nignore,
	       struct header_map *hm, char *err, size_t errlen)
{
	return header_map_init(hm, (char *const *)cells, n, ignore, nignore, err, errlen);
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
	assert_int_equal(hm.col[5], F_IGNORED);
	assert_int_equal(hm.pos[F_S3_BUCKET], 4);
	assert_int_equal(hm.pos[F_KMS_KEY], -1);
	header_map_release(&hm);
}

static void test_map_errors(void **state)
{
	(void)state;
	static const struct { const char *cells[3]; const char *err; } t[] = {
		{ { "integrationLabel", "kmsKeyy", NULL },
		  "unknown column 'kmsKeyy' (did you mean 'kmsKey'?); rename it, or skip it with --ignore-column 'kmsKeyy'" },
		{ { "Notes", NULL, NULL }, "unknown column 'Notes'; rename it, or skip it with --ignore-column 'Notes'" },
		{ { "AWS Account ID", "awsAccountId", NULL },
		  "columns 'AWS Account ID' and 'awsAccountId' both name the field 'awsAccountId'; keep one" },
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
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_map_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
