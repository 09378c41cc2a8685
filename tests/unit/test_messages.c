/*
 * test_messages.c - the docs and the code say the same thing: every message
 * example quoted in docs/input-format.md is one the code can produce (a format
 * of the table in src/util/messages.c, reported on the field the example names),
 * and every message of include/messages.h is in that table.
 *
 * The examples are: the code spans of the "message" column of the Validation
 * table; the indented example lines of the form "FILE:LINE: ..." (with or
 * without "s3src: error: "); and every other code span that starts like a
 * message, "FIELD: ..." or "FIELD (line N): ..." (optionally after
 * "warning: ") with FIELD one of the input's fields. A "..." ending an
 * example shortens it; a "..." inside one stands for a value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "messages.h"
#include "source_internal.h"

#include "test_helpers.h"

#define DOC "../../docs/input-format.md"
#define HEADER "../../include/messages.h"

static void test_matcher(void **state)
{
	(void)state;
	assert_true(message_matches("'%.64s' is %zu characters long, the limit is 32",
				    "'...' is 40 characters long, the limit is 32"));
	assert_true(message_matches("'%s' has '%c', bucket names use only lowercase letters, digits, '.' and '-'",
				    "'prod_logs' has '_', ..."));
	assert_true(message_matches("'%.128s' is an alias, give the key's ARN (...:key/KEY-ID)",
				    "'...:alias/logs' is an alias, give the key's ARN (...:key/KEY-ID)"));
	assert_true(message_matches("100%% (%d)", "100% (3)"));
	assert_false(message_matches("'%s' has %zu digits, an AWS account ID has 12",
				     "'1' has 1 digit, an AWS account ID has 12"));
	assert_false(message_matches("must be a string", "must be a string, or not"));
}

/* Every "#define M_" of the header is in the table, and nothing else is. */
static void test_table_complete(void **state)
{
	(void)state;
	char *text = slurp(HEADER);
	size_t defines = 0;
	assert_non_null(text);
	for (char *p = text; (p = strstr(p, "\n#define M_")); p++) {
		char name[128];
		assert_int_equal(sscanf(p + 9, "%127[A-Z0-9_]", name), 1);
		size_t i;
		for (i = 0; i < messages_count; i++)
			if (!strcmp(messages[i].id, name))
				break;
		if (i == messages_count)
			fail_msg("%s is in messages.h but not in the table of messages.c", name);
		defines++;
	}
	assert_int_equal(defines, messages_count);
	free(text);
}

static int is_field(const char *s, size_t n)
{
	if (n == 3 && !strncmp(s, "row", 3))
		return 1;
	if (n > 17 && !strncmp(s, "s3PrefixLogTypes[", 17))
		return 1;
	for (int f = 0; f < F__COUNT; f++)
		if (strlen(field_name(f)) == n && !strncmp(field_name(f), s, n))
			return 1;
	return 0;
}

/* The part of a field token the table names: "s3PrefixLogTypes[1].logTypes" -> "logTypes". */
static const char *field_base(const char *tok, size_t n, char *buf, size_t len)
{
	const char *dot = NULL;
	for (size_t i = 0; i < n; i++)
		if (tok[i] == '.')
			dot = tok + i;
	if (dot) {
		n -= (size_t)(dot + 1 - tok);
		tok = dot + 1;
	}
	snprintf(buf, len, "%.*s", (int)n, tok);
	return buf;
}

static int matches_with_field(const char *text, const char *field)
{
	for (size_t i = 0; i < messages_count; i++) {
		if (field && *messages[i].field && strcmp(messages[i].field, field))
			continue;
		if (message_matches(messages[i].format, text))
			return 1;
	}
	return 0;
}

/* The length of a "FIELD: " or "FIELD (line N): " head, 0 if none; the
 * token's extent in *tok / *toklen. any: any identifier, else a field. */
static size_t field_head(const char *s, int any, const char **tok, size_t *toklen)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.[]");
	if (!n || (!any && !is_field(s, n)))
		return 0;
	size_t k = n;
	if (!strncmp(s + k, " (line ", 7)) {
		k += 7;
		k += strspn(s + k, "0123456789");
		if (s[k] != ')')
			return 0;
		k++;
	}
	if (strncmp(s + k, ": ", 2))
		return 0;
	*tok = s;
	*toklen = n;
	return k + 2;
}

/* 1 if the example is a message the code can give. */
static int example_ok(const char *ex, int bare_ok)
{
	const char *tok;
	size_t toklen, head;
	char base[128];
	if (!strncmp(ex, "warning: ", 9))
		ex += 9;
	if ((head = field_head(ex, 1, &tok, &toklen)) &&
	    matches_with_field(ex + head, field_base(tok, toklen, base, sizeof(base))))
		return 1;
	return bare_ok && matches_with_field(ex, NULL);
}

struct examples {
	size_t n, bad;
	struct strbuf report;
};

static void check(struct examples *ex, const char *text, size_t len, int bare_ok, size_t line)
{
	char *s = xstrndup(text, len);
	ex->n++;
	if (!example_ok(s, bare_ok)) {
		ex->bad++;
		strbuf_addf(&ex->report, "  input-format.md:%zu: `%s`\n", line, s);
	}
	free(s);
}

static void test_doc_examples(void **state)
{
	(void)state;
	char *doc = slurp(DOC);
	struct examples ex = { 0, 0, STRBUF_INIT };
	int in_validation = 0, in_fence = 0;
	size_t lineno = 0;
	assert_non_null(doc);
	strbuf_init(&ex.report, 256);
	for (char *line = doc, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (!strncmp(line, "```", 3))
			in_fence = !in_fence;
		if (in_fence)
			continue;
		if (!strncmp(line, "## ", 3))
			in_validation = !strcmp(line, "## Validation");
		/* an indented example: [s3src: error: ]FILE:LINE: message */
		if (!strncmp(line, "    ", 4)) {
			const char *p = line + 4;
			if (!strncmp(p, "s3src: error: ", 14))
				p += 14;
			const char *colon = strchr(p, ':');
			if (colon && !memchr(p, ' ', (size_t)(colon - p)) && colon[1] >= '0' && colon[1] <= '9') {
				const char *q = colon + 1 + strspn(colon + 1, "0123456789");
				if (!strncmp(q, ": ", 2))
					check(&ex, q + 2, strlen(q + 2), 1, lineno);
			}
			continue;
		}
		/* code spans; in the Validation table, those of the message column */
		int col = 0, bare = 0;
		for (char *p = line; *p; p++) {
			if (*p == '|' && in_validation)
				col++;
			if (*p != '`')
				continue;
			char *end = strchr(p + 1, '`');
			if (!end)
				break;
			const char *tok;
			size_t toklen;
			const char *span = p + 1;
			size_t len = (size_t)(end - span);
			bare = in_validation && line[0] == '|' && col == 3;
			const char *s = !strncmp(span, "warning: ", 9) ? span + 9 : span;
			if (bare || field_head(s, 0, &tok, &toklen))
				check(&ex, span, len, bare, lineno);
			p = end;
		}
	}
	size_t n = ex.n, bad = ex.bad;
	if (bad)
		print_error("%zu of %zu message examples in docs/input-format.md are not messages the "
			    "code can give (fix the doc or the message in include/messages.h):\n%s",
			    bad, n, ex.report.buf);
	strbuf_release(&ex.report);
	free(doc);
	assert_int_equal(bad, 0);
	/* the doc has a message column: the examples were found */
	assert_true(n >= 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matcher),
		cmocka_unit_test(test_table_complete),
		cmocka_unit_test(test_doc_examples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
