/*
 * test_causes.c - failures grouped by cause: each kind of results record
 * lands in its cause (invalid by each field its error names, not found in
 * the listing, conflict whatever the status and attempts of the GET that
 * found it, rejected by message without the attempt count, retries, reply
 * lost, aborted; resumed skips and successes in none), the first rows are
 * named, and the number of groups stays bounded however many distinct
 * messages come in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "causes.h"
#include "util.h"

static void test_classify(void **state)
{
	(void)state;
	static const struct { const char *outcome; int http, attempts; const char *error; enum cause c; } t[] = {
		{ "created", 201, 1, NULL, CAUSE_NONE },
		{ "skipped", 0, 0, "already done in 'r.csv' (--resume): not sent again", CAUSE_NONE },
		{ "skipped", 0, 0, "not sent: the run was interrupted", CAUSE_ABORTED },
		{ "invalid", 0, 0, "integrationLabel: too long", CAUSE_INVALID },
		{ "failed", 400, 1, "HTTP 400: bad bucket", CAUSE_REJECTED },
		{ "failed", 404, 1, "HTTP 404: not found", CAUSE_REJECTED },
		{ "failed", 0, 0, "refused before sending", CAUSE_REJECTED },
		{ "failed", 200, 1, "source 'x' already ingests s3://b/p/; nothing was sent", CAUSE_CONFLICT },
		{ "failed", 0, 0, "source 'x' already ingests s3://b/p/; nothing was sent", CAUSE_CONFLICT },
		{ "conflict", 200, 1, "source 'x' already ingests s3://b/p/; nothing was sent", CAUSE_CONFLICT },
		{ "failed", 503, 5, "could not check source 'x' on the same bucket for a shared prefix "
		  "(HTTP 503 (after 5 attempts)); nothing was sent", CAUSE_RETRIES },
		{ "failed", 503, 5, "HTTP 503: busy (after 5 attempts)", CAUSE_RETRIES },
		{ "failed", 429, 5, "HTTP 429 (after 5 attempts)", CAUSE_RETRIES },
		{ "failed", 0, 3, "timeout (after 3 attempts)", CAUSE_RETRIES },
		{ "failed", 409, 2, "source 'x' probably was created by an earlier attempt whose reply "
		  "was lost (the retry got HTTP 409: exists)", CAUSE_REPLY_LOST },
		{ "failed", 200, 1, "the API answered 200 but its reply could not be read", CAUSE_REPLY_LOST },
		{ "failed", 0, 1, "abandoned in flight when the run was aborted", CAUSE_ABORTED },
		{ "failed", 0, 0, "no S3 source is labelled 'l'", CAUSE_LISTING },
		{ "failed", 0, 0, "2 S3 sources are labelled 'l': delete them by ID (s3src list shows "
		  "them)", CAUSE_LISTING },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		print_message("%zu\n", i);
		assert_int_equal(cause_of(t[i].outcome, t[i].http, t[i].attempts, t[i].error), t[i].c);
	}
}

static char *print_to_string(const struct causes *c, const char *word)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	causes_print(c, f, "  ", word);
	fclose(f);
	return buf;
}

static void test_tally_and_print(void **state)
{
	(void)state;
	struct causes c;
	causes_init(&c);
	causes_add(&c, "invalid", 0, 0, "integrationLabel: 'x' is 40 characters long, the limit is 32; "
		   "logProcessingRole: 'r' is not an IAM role ARN", "7");
	causes_add(&c, "invalid", 0, 0, "prefix (line 9): 'a' appears twice in this source", "8");
	causes_add(&c, "invalid", 0, 0, "row has 9 cells, the header has 8", "10");
	causes_add(&c, "failed", 400, 1, "HTTP 400: bad bucket", "3");
	causes_add(&c, "failed", 400, 2, "HTTP 400: bad bucket (after 2 attempts)", "4");
	causes_add(&c, "failed", 503, 5, "HTTP 503 (after 5 attempts)", "5");
	causes_add(&c, "created", 201, 1, NULL, "2");
	causes_add(&c, "failed", 0, 0, "no S3 source is labelled 'l'", "label 'l'");
	causes_add(&c, "failed", 503, 5, "HTTP 503 (after 5 attempts)", "ID 'x'");
	causes_add(&c, "failed", 200, 1, "source 'x' already ingests s3://b/p/; nothing was sent", "6");
	assert_int_equal(causes_total(&c), 9);
	char *out = print_to_string(&c, "line");
	assert_string_equal(out,
		"  invalid: 3 rows\n"
		"    integrationLabel: 1 (line 7)\n"
		"    logProcessingRole: 1 (line 7)\n"
		"    prefix: 1 (line 8)\n"
		"    row: 1 (line 10)\n"
		"  not found in the listing: 1 row (label 'l')\n"
		"  conflict: 1 row (line 6)\n"
		"  rejected by the server: 2 rows\n"
		"    HTTP 400: bad bucket: 2 (lines 3, 4)\n"
		"  retries exhausted: 2 rows (line 5, ID 'x')\n");
	free(out);
	causes_release(&c);
}

static void test_bounded(void **state)
{
	(void)state;
	struct causes c;
	causes_init(&c);
	for (int i = 0; i < 1000; i++) {
		char msg[64], ref[16];
		snprintf(msg, sizeof(msg), "HTTP 409: label 'l%d' exists", i);
		snprintf(ref, sizeof(ref), "%d", i + 2);
		causes_add(&c, "failed", 409, 1, msg, ref);
	}
	assert_int_equal(c.count[CAUSE_REJECTED], 1000);
	assert_int_equal(c.ngroups[CAUSE_REJECTED], CAUSES_MAX_GROUPS + 1);
	assert_string_equal(c.groups[CAUSE_REJECTED][CAUSES_MAX_GROUPS].key, "(other)");
	assert_int_equal(c.groups[CAUSE_REJECTED][CAUSES_MAX_GROUPS].count, 1000 - CAUSES_MAX_GROUPS);
	char *out = print_to_string(&c, NULL);
	assert_non_null(strstr(out, "    (other): 984 (18, 19, 20, 21, 22, ...)\n"));
	free(out);
	causes_release(&c);
}

/* Rows finish out of order: the lines shown are the lowest, in order, with
 * the refs that are not line numbers after them. */
static void test_refs_in_line_order(void **state)
{
	(void)state;
	static const char *const refs[] = { "9", "4", "ID 'x'", "12", "5", "7", "2", "30" };
	struct causes c;
	causes_init(&c);
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
		causes_add(&c, "failed", 503, 5, "HTTP 503 (after 5 attempts)", refs[i]);
	char *out = print_to_string(&c, "line");
	if (!strstr(out, "retries exhausted: 8 rows (lines 2, 4, 5, 7, 9, ...)\n"))
		fail_msg("got: %s", out);
	free(out);
	causes_release(&c);

	causes_init(&c);
	causes_add(&c, "failed", 503, 5, "HTTP 503 (after 5 attempts)", "ID 'x'");
	causes_add(&c, "failed", 503, 5, "HTTP 503 (after 5 attempts)", "8");
	causes_add(&c, "failed", 503, 5, "HTTP 503 (after 5 attempts)", "3");
	out = print_to_string(&c, "line");
	if (!strstr(out, "retries exhausted: 3 rows (lines 3, 8, ID 'x')\n"))
		fail_msg("got: %s", out);
	free(out);
	causes_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_tally_and_print),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_refs_in_line_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
