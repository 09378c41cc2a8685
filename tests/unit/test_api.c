/*
 * test_api.c - the API module (api.c): its route and reply tables agree with
 * docs/results-format.md ("What each reply means") row for row, so the docs
 * and the code cannot drift; the replies the commands meet get the meaning
 * and the outcome they had before the table; the error texts of a create or
 * modify that did not succeed are worded as the results file shows them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "util.h"

#define DOC "../../docs/results-format.md"

/* The doc's lines from the header line that starts with head to the end of
 * that table, header and separator left out. New strings in *out (caller
 * frees each and the vector); returns how many. */
static size_t doc_table(const char *head, char ***out)
{
	FILE *f = fopen(DOC, "r");
	char line[1024];
	size_t n = 0;
	int in = 0, skip = 0;

	assert_non_null(f);
	*out = NULL;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!in) {
			if (!strncmp(line, head, strlen(head)))
				in = 1, skip = 1;
			continue;
		}
		if (skip) {          /* the |---| line */
			skip = 0;
			continue;
		}
		if (line[0] != '|')
			break;
		*out = realloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = xstrdup(line);
	}
	fclose(f);
	return n;
}

static void free_table(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void test_routes_match_docs(void **state)
{
	static const enum action actions[] = {
		ACTION_CREATE, ACTION_MODIFY, ACTION_GET, ACTION_DELETE, ACTION_LIST,
	};
	char **rows;
	size_t n = doc_table("| request | method | path |", &rows);

	(void)state;
	assert_int_equal(n, ARRAY_SIZE(actions));
	for (size_t i = 0; i < n; i++) {
		const struct api_route *rt = api_route(actions[i]);
		assert_non_null(rt);
		char *want = xasprintf("| `%s` | `%s` | `%s%s` |", action_name(actions[i]),
				       rt->method, rt->path, rt->with_id ? "/{id}" : "");
		assert_string_equal(rows[i], want);
		free(want);
	}
	assert_null(api_route(ACTION_NONE));
	free_table(rows, n);
}

/* A rule as the doc's reply table starts its row. New string. */
static char *rule_row(const struct api_reply *r)
{
	struct strbuf sb = STRBUF_INIT;
	char status[32] = "";

	if (r->status_lo == r->status_hi && r->status_lo)
		snprintf(status, sizeof(status), "%d", r->status_lo);
	else if (r->status_lo || r->status_hi)
		snprintf(status, sizeof(status), "%d-%d", r->status_lo, r->status_hi);
	if (r->action == ACTION_NONE)
		strbuf_addstr(&sb, "| any | ");
	else
		strbuf_addf(&sb, "| `%s` | ", action_name(r->action));
	switch (r->kind) {
	case RESPONSE_HTTP:
		strbuf_addf(&sb, "HTTP %s", status);
		break;
	case RESPONSE_TRANSPORT:
		strbuf_addstr(&sb, "transport error");
		if (*status)
			strbuf_addf(&sb, " (HTTP %s)", status);
		break;
	case RESPONSE_NOT_STARTED:
		strbuf_addstr(&sb, "never sent");
		break;
	case RESPONSE_ABORTED:
		strbuf_addstr(&sb, "abandoned in flight");
		break;
	default:
		strbuf_addstr(&sb, "anything else");
	}
	if (r->reply_lost)
		strbuf_addstr(&sb, ", after a lost reply");
	strbuf_addf(&sb, " | %s | ", api_meaning_name(r->meaning));
	if (r->outcome == OUTCOME_NONE)
		strbuf_addstr(&sb, "(none");
	else
		strbuf_addf(&sb, "`%s`", outcome_name(r->outcome));
	return strbuf_detach(&sb, NULL);
}

static void test_replies_match_docs(void **state)
{
	char **rows;
	size_t n = doc_table("| request | reply | meaning | outcome |", &rows);

	(void)state;
	assert_int_equal(n, api_nreplies);
	for (size_t i = 0; i < n; i++) {
		char *want = rule_row(&api_replies[i]);
		if (strncmp(rows[i], want, strlen(want)))
			fail_msg("reply rule %zu: docs say\n  %s\ncode says\n  %s", i, rows[i], want);
		free(want);
	}
	free_table(rows, n);
	/* the last rule takes anything: api_reply() never gives NULL */
	assert_int_equal(api_replies[api_nreplies - 1].kind, API_ANY_KIND);
	assert_int_equal(api_replies[api_nreplies - 1].action, ACTION_NONE);
}

static struct response http(int status)
{
	struct response r = { .kind = RESPONSE_HTTP, .http_status = status, .attempts = 1 };
	return r;
}

static void test_meanings(void **state)
{
	static const struct {
		enum action a;
		enum response_kind kind;
		int status, lost;
		enum api_meaning want;
		enum outcome outcome;
	} cases[] = {
		{ ACTION_CREATE, RESPONSE_HTTP, 201, 0, API_DONE, OUTCOME_CREATED },
		{ ACTION_CREATE, RESPONSE_HTTP, 200, 1, API_DONE, OUTCOME_CREATED },
		{ ACTION_CREATE, RESPONSE_HTTP, 409, 0, API_FAILED, OUTCOME_FAILED },
		{ ACTION_CREATE, RESPONSE_HTTP, 409, 1, API_LOST_CREATE, OUTCOME_FAILED },
		{ ACTION_CREATE, RESPONSE_TRANSPORT, 201, 0, API_UNREAD, OUTCOME_FAILED },
		{ ACTION_CREATE, RESPONSE_TRANSPORT, 0, 1, API_FAILED, OUTCOME_FAILED },
		{ ACTION_CREATE, RESPONSE_ABORTED, 0, 0, API_ABANDONED, OUTCOME_FAILED },
		{ ACTION_MODIFY, RESPONSE_HTTP, 200, 0, API_DONE, OUTCOME_MODIFIED },
		{ ACTION_MODIFY, RESPONSE_HTTP, 204, 0, API_FAILED, OUTCOME_FAILED },
		{ ACTION_MODIFY, RESPONSE_HTTP, 401, 0, API_REFUSED, OUTCOME_FAILED },
		{ ACTION_GET, RESPONSE_HTTP, 200, 0, API_DONE, OUTCOME_EXPORTED },
		{ ACTION_GET, RESPONSE_HTTP, 404, 0, API_ABSENT, OUTCOME_FAILED },
		{ ACTION_GET, RESPONSE_TRANSPORT, 200, 0, API_FAILED, OUTCOME_FAILED },
		{ ACTION_GET, RESPONSE_NOT_STARTED, 0, 0, API_NOT_SENT, OUTCOME_SKIPPED },
		{ ACTION_DELETE, RESPONSE_HTTP, 204, 0, API_DONE, OUTCOME_DELETED },
		{ ACTION_DELETE, RESPONSE_HTTP, 404, 0, API_ABSENT, OUTCOME_DELETED },
		{ ACTION_DELETE, RESPONSE_HTTP, 403, 0, API_REFUSED, OUTCOME_FAILED },
		{ ACTION_DELETE, RESPONSE_HTTP, 500, 0, API_FAILED, OUTCOME_FAILED },
		{ ACTION_LIST, RESPONSE_HTTP, 200, 0, API_DONE, OUTCOME_NONE },
		{ ACTION_LIST, RESPONSE_HTTP, 404, 0, API_FAILED, OUTCOME_FAILED },
		{ ACTION_LIST, RESPONSE_ABORTED, 0, 0, API_ABANDONED, OUTCOME_FAILED },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct response res = http(cases[i].status);
		res.kind = cases[i].kind;
		res.create_reply_lost = cases[i].lost;
		const struct api_reply *r = api_reply(cases[i].a, &res);
		if (r->meaning != cases[i].want || r->outcome != cases[i].outcome)
			fail_msg("case %zu: %s %d: got %s/%s", i, action_name(cases[i].a),
				 cases[i].status, api_meaning_name(r->meaning),
				 outcome_name(r->outcome));
	}
	struct response ns = { .kind = RESPONSE_NOT_STARTED };
	assert_string_equal(api_reply(ACTION_DELETE, &ns)->text,
			    "not deleted: the run was aborted (the source is in the backup)");
	assert_string_equal(api_reply(ACTION_CREATE, &ns)->text,
			    "not sent: the run was aborted before this row");
}

static void check_write_error(enum action a, const struct response *res, const char *want)
{
	char *got = api_write_error(api_reply(a, res), a, res, "lbl");
	assert_string_equal(got, want);
	free(got);
}

static void test_write_errors(void **state)
{
	static const char body[] = "{\"message\":\"label taken\"}";
	struct response res = http(409);

	(void)state;
	res.body = body;
	res.body_len = strlen(body);
	res.create_reply_lost = 1;
	res.attempts = 2;
	check_write_error(ACTION_CREATE, &res, "source 'lbl' probably was created by an earlier "
			  "attempt whose reply was lost (the retry got HTTP 409: label taken (after 2 "
			  "attempts)); check it in Panther, do not re-run this row blindly");
	res = http(201);
	res.kind = RESPONSE_TRANSPORT;
	res.error = "response body larger than 1 MiB";
	check_write_error(ACTION_MODIFY, &res, "the API answered 201 but its reply could not be "
			  "read (response body larger than 1 MiB): source 'lbl' was probably "
			  "modified; look it up in Panther before re-running this row");
	res = (struct response){ .kind = RESPONSE_ABORTED, .attempts = 1 };
	check_write_error(ACTION_CREATE, &res, "abandoned in flight when the run was aborted: "
			  "source 'lbl' may have been created; check it in Panther before re-running "
			  "this row");
	check_write_error(ACTION_MODIFY, &res, "abandoned in flight when the run was aborted: "
			  "the request may have been applied");
	res = (struct response){ .kind = RESPONSE_TRANSPORT, .attempts = 3, .create_reply_lost = 1,
				 .error = "the connection dropped before the reply" };
	check_write_error(ACTION_CREATE, &res, "the connection dropped before the reply (after 3 "
			  "attempts); source 'lbl' may have been created by an attempt whose reply "
			  "was lost: check it in Panther before re-running this row");
	res = http(401);
	check_write_error(ACTION_MODIFY, &res,
			  "HTTP 401 (run stopped: check the API token and its permissions)");
	res = (struct response){ .kind = RESPONSE_NOT_STARTED };
	check_write_error(ACTION_MODIFY, &res, "not sent: the run was aborted before this row");
	res = http(200);
	char *t = api_created_without_id(&res, NULL);
	assert_string_equal(t, "the API answered 200 without an integrationId: source '' was "
			    "probably created; look it up in Panther before re-running this row");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes_match_docs),
		cmocka_unit_test(test_replies_match_docs),
		cmocka_unit_test(test_meanings),
		cmocka_unit_test(test_write_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
