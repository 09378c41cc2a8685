/*
 * test_listing_fetch.c - listing_fetch() (listing.c) against a scripted local
 * server (libmicrohttpd on 127.0.0.1, a free port): the pages are requested
 * one after the other at BASE/public/graphql with the token, the first without
 * a cursor and each next with the previous endCursor; a 5xx page is retried;
 * a server whose cursors loop, a 403, a 404, and GraphQL errors (with 200 or
 * 400) each end the listing with its own status and message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "util.h"

#define MAX_REQ 16

struct reply {
	unsigned status;
	const char *body;
};

static struct {
	const struct reply *script;
	size_t nscript;
	size_t n;                      /* requests seen */
	char *bodies[MAX_REQ];         /* their bodies (owned) */
	char urls[MAX_REQ][64];
	int bad_token;
} srv;

struct upload {
	struct strbuf body;
};

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version,
			       const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct upload *u = *con_cls;
	(void)cls, (void)version, (void)method;

	if (!u) {
		u = xcalloc(1, sizeof(*u));
		strbuf_init(&u->body, 64);
		*con_cls = u;
		return MHD_YES;
	}
	if (*upload_size) {
		strbuf_add(&u->body, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	const char *key = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-API-Key");
	if (!key || strcmp(key, "tok-list"))
		srv.bad_token++;
	size_t i = srv.n++;
	struct reply r = { 500, "{}" };
	if (i < MAX_REQ) {
		srv.bodies[i] = xstrdup(u->body.buf);
		snprintf(srv.urls[i], sizeof(srv.urls[i]), "%s %s", method, url);
	}
	if (i < srv.nscript)
		r = srv.script[i];
	struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(r.body), (void *)r.body,
								    MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret = MHD_queue_response(c, r.status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct upload *u = *con_cls;
	(void)cls, (void)c, (void)toe;
	if (u) {
		strbuf_release(&u->body);
		free(u);
		*con_cls = NULL;
	}
}

/* Runs listing_fetch against script; returns its status, the listing in *out. */
static enum listing_status run(const struct reply *script, size_t n, struct listing **out,
			       char *err, size_t errlen)
{
	struct MHD_Daemon *d;
	struct conn_opts conn;

	memset(&srv, 0, sizeof(srv));
	srv.script = script;
	srv.nscript = n;
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handler, NULL,
			     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
	assert_non_null(d);
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	conn_opts_init(&conn);
	conn.api_url = xasprintf("http://127.0.0.1:%u", info->port);
	conn.token = xstrdup("tok-list");
	conn.concurrency = 2;
	conn.max_attempts = 3;
	enum listing_status st = listing_fetch(&conn, out, NULL, err, errlen);
	MHD_stop_daemon(d);
	conn_opts_release(&conn);
	return st;
}

static void release_bodies(void)
{
	for (size_t i = 0; i < MAX_REQ; i++)
		free(srv.bodies[i]);
}

/* The cursor in request i's variables, or NULL. Borrowed until the next call. */
static const char *cursor_of(size_t i)
{
	static char buf[64];
	json_t *doc = json_loads(srv.bodies[i], 0, NULL);
	assert_non_null(doc);
	assert_non_null(json_object_get(doc, "query"));
	const char *c = json_string_value(json_object_get(json_object_get(json_object_get(doc,
					  "variables"), "input"), "cursor"));
	if (c)
		snprintf(buf, sizeof(buf), "%s", c);
	json_decref(doc);
	return c ? buf : NULL;
}

#define NODE(id, label, type) \
	"{\"node\":{\"integrationId\":\"" id "\",\"integrationLabel\":\"" label "\"," \
	"\"integrationType\":\"" type "\",\"awsAccountId\":\"123456789012\",\"s3Bucket\":\"b\"}}"
#define PAGE(edges, more, cursor) "{\"data\":{\"sources\":{\"edges\":[" edges "],\"pageInfo\":" \
	"{\"hasNextPage\":" more ",\"endCursor\":" cursor "}}}}"

static void test_pages_and_retry(void **state)
{
	(void)state;
	static const struct reply script[] = {
		{ 200, PAGE(NODE("a1", "one", "aws-s3") "," NODE("q1", "sqs", "aws-sqs"), "true", "\"c1\"") },
		{ 503, "{\"message\":\"busy\"}" },
		{ 200, PAGE(NODE("a2", "two", "aws-s3"), "true", "\"c2\"") },
		{ 200, PAGE("", "false", "null") },
	};
	struct listing *l;
	char err[512];

	assert_int_equal(run(script, 4, &l, err, sizeof(err)), LISTING_OK);
	assert_int_equal(srv.n, 4);
	assert_int_equal(srv.bad_token, 0);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(srv.urls[i], "POST /public/graphql");
	assert_null(cursor_of(0));
	assert_string_equal(cursor_of(1), "c1");
	assert_string_equal(cursor_of(2), "c1");   /* the retry of the 503 */
	assert_string_equal(cursor_of(3), "c2");
	assert_int_equal(listing_count(l), 2);
	assert_int_equal(listing_others(l), 1);
	assert_string_equal(listing_find_label(l, "two")->id, "a2");
	listing_free(l);
	release_bodies();
}

static void test_failures(void **state)
{
	(void)state;
	static const struct reply loop[] = {
		{ 200, PAGE(NODE("a1", "one", "aws-s3"), "true", "\"c1\"") },
		{ 200, PAGE(NODE("a2", "two", "aws-s3"), "true", "\"c1\"") },
	};
	static const struct reply forbidden[] = { { 403, "{\"message\":\"not allowed\"}" } };
	static const struct reply missing[] = { { 404, "{\"message\":\"no route\"}" } };
	static const struct reply errors200[] = {
		{ 200, PAGE(NODE("a1", "one", "aws-s3"), "true", "\"c1\"") },
		{ 200, "{\"errors\":[{\"message\":\"invalid cursor\"}],\"data\":null}" },
	};
	static const struct reply errors400[] = {
		{ 400, "{\"errors\":[{\"message\":\"Syntax Error: Unexpected Name\"}]}" },
	};
	static const struct reply garbage[] = { { 200, "<html>oops</html>" } };
	static const struct reply errors403[] = {
		{ 403, "{\"errors\":[{\"message\":\"permission denied\"}]}" },
	};
	static const struct {
		const struct reply *script;
		size_t n;
		enum listing_status want;
		size_t requests;
		const char *msg;
	} cases[] = {
		{ loop, 2, LISTING_FAILED, 2, "listing page 2: the server sent cursor 'c1' again: its paging loops" },
		{ forbidden, 1, LISTING_REFUSED, 1, "the API refused the listing (HTTP 403: not allowed): the token needs the permission to view log sources" },
		{ missing, 1, LISTING_FAILED, 1, "the API refused the listing (HTTP 404: no route): no GraphQL endpoint at 'http://127.0.0.1:" },
		{ errors200, 2, LISTING_FAILED, 2, "the listing failed: GraphQL error 'invalid cursor'" },
		{ errors400, 1, LISTING_FAILED, 1, "the listing failed: GraphQL error 'Syntax Error: Unexpected Name'" },
		{ garbage, 1, LISTING_FAILED, 1, "listing page 1: the reply is not a JSON object" },
		{ errors403, 1, LISTING_REFUSED, 1, "the listing failed: GraphQL error 'permission denied'" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct listing *l = (struct listing *)&l;
		char err[512] = "";
		assert_int_equal(run(cases[i].script, cases[i].n, &l, err, sizeof(err)), cases[i].want);
		assert_null(l);
		assert_int_equal(srv.n, cases[i].requests);
		if (!strstr(err, cases[i].msg))
			fail_msg("case %zu: '%s' does not contain '%s'", i, err, cases[i].msg);
		release_bodies();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_and_retry),
		cmocka_unit_test(test_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
