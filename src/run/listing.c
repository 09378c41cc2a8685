/*
 * listing.c - every S3 source on the server, read through the GraphQL
 * `sources` query page by page on the request engine (see listing.h).
 *
 * The pages are one row of the engine: the first page is the row's request,
 * and each further page is a follow-up request of the same row (done()
 * returns 1 with the next cursor's body), so every page has the engine's
 * whole retry policy, the rate limit and the 401/403 stop, one page at a
 * time. The index is a vector in the server's order and two hash maps (ID and
 * label -> position + 1).
 */
#include "listing.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "run.h"
#include "util.h"
#include "writers_util.h"

/* The query, in this one place (spec: "Server state"). */
static const char listing_query[] =
	"query Sources($input: SourcesInput) { sources(input: $input) { edges { node { "
	"integrationId integrationLabel integrationType ... on S3LogIntegration { awsAccountId "
	"s3Bucket } } } pageInfo { hasNextPage endCursor } } }";

#define S3_TYPE "aws-s3"

struct listing {
	struct listed_source *v;
	size_t n, alloc;
	size_t others;          /* nodes of other kinds, skipped */
	size_t pages;
	struct strmap by_id;    /* id -> (void *)(position + 1) */
	struct strmap by_label; /* label -> (void *)(first position + 1) */
};

struct listing *listing_new(void)
{
	struct listing *l = xcalloc(1, sizeof(*l));

	strmap_init(&l->by_id);
	strmap_init(&l->by_label);
	return l;
}

void listing_free(struct listing *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].label);
		free(l->v[i].account);
		free(l->v[i].bucket);
	}
	free(l->v);
	strmap_release(&l->by_id, 0);
	strmap_release(&l->by_label, 0);
	free(l);
}

size_t listing_count(const struct listing *l) { return l->n; }
size_t listing_others(const struct listing *l) { return l->others; }
size_t listing_pages(const struct listing *l) { return l->pages; }

const struct listed_source *listing_at(const struct listing *l, size_t i)
{
	return i < l->n ? &l->v[i] : NULL;
}

const struct listed_source *listing_find_id(const struct listing *l, const char *id)
{
	uintptr_t pos = id ? (uintptr_t)strmap_get(&l->by_id, id, NULL) : 0;

	return pos ? &l->v[pos - 1] : NULL;
}

const struct listed_source *listing_find_label(const struct listing *l, const char *label)
{
	uintptr_t pos = label ? (uintptr_t)strmap_get(&l->by_label, label, NULL) : 0;

	return pos ? &l->v[pos - 1] : NULL;
}

size_t listing_label_count(const struct listing *l, const char *label)
{
	const struct listed_source *first = listing_find_label(l, label);
	size_t n = 0;

	if (!first)
		return 0;
	for (size_t i = (size_t)(first - l->v); i < l->n; i++)
		n += !strcmp(l->v[i].label, label);
	return n;
}

const struct listed_source *listing_match_lost(const struct listing *l, const char *label,
					       const char *account, const char *bucket)
{
	const struct listed_source *s = listing_find_label(l, label);

	if (!s || !account || !bucket || listing_label_count(l, label) != 1)
		return NULL;
	return !strcmp(s->account, account) && !strcmp(s->bucket, bucket) ? s : NULL;
}

int listing_is_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (!s || strlen(s) != sizeof(shape) - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++) {
		char c = s[i];
		if (shape[i] == '-' ? c != '-' :
		    !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return 0;
	}
	return 1;
}

char *listing_request_body(const char *cursor)
{
	json_t *vars = cursor ? json_pack("{s:{s:s}}", "input", "cursor", cursor) : json_object();
	json_t *doc = json_pack("{s:s, s:o}", "query", listing_query, "variables", vars); /* steals vars */
	char *s = doc ? json_dumps(doc, JSON_COMPACT) : NULL;

	json_decref(doc);
	if (!s)
		die("out of memory");
	return s;
}

/* Appends s to sb, control characters shown as spaces, at most max bytes. */
static void add_clean(struct strbuf *sb, const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] && i < max; i++) {
		unsigned char c = (unsigned char)s[i];
		strbuf_addch(sb, c < 0x20 || c == 0x7f ? ' ' : c);
	}
	if (s[i])
		strbuf_addstr(sb, "...");
}

/* Control characters (from jansson's "near '...'" or a server's text) as
 * spaces, so that every message is one printable line. */
static void scrub(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

/* "the listing failed: GraphQL error 'MSG' (and N more)" into err, if doc
 * (borrowed) has a non-empty "errors" array. Returns 1 if it had. */
static int graphql_errors(const json_t *doc, char *err, size_t errlen)
{
	json_t *errors = json_object_get(doc, "errors"); /* borrowed */
	struct strbuf sb = STRBUF_INIT;

	if (!json_is_array(errors) || !json_array_size(errors))
		return 0;
	const char *msg = json_string_value(json_object_get(json_array_get(errors, 0), "message"));
	strbuf_init(&sb, 128);
	strbuf_addstr(&sb, "GraphQL error '");
	add_clean(&sb, msg ? msg : "(no message)", 300);
	strbuf_addch(&sb, '\'');
	if (json_array_size(errors) > 1)
		strbuf_addf(&sb, " (and %zu more)", json_array_size(errors) - 1);
	snprintf(err, errlen, "the listing failed: %s", sb.buf);
	strbuf_release(&sb);
	return 1;
}

/* A string member of obj (borrowed) as a new string; "" when absent or null;
 * NULL when it has another type. */
static char *member(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return xstrdup("");
	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static void add_source(struct listing *l, char *id, char *label, char *account, char *bucket)
{
	if (!strmap_put(&l->by_id, id, (void *)(uintptr_t)(l->n + 1))) {
		/* the same source twice (a page boundary shifted): keep the first */
		free(id);
		free(label);
		free(account);
		free(bucket);
		return;
	}
	if (l->n == l->alloc)
		l->v = xrealloc(l->v, (l->alloc = l->alloc ? 2 * l->alloc : 64) * sizeof(*l->v));
	strmap_put(&l->by_label, label, (void *)(uintptr_t)(l->n + 1));
	l->v[l->n++] = (struct listed_source){ id, label, account, bucket };
}

/* One node (borrowed) of page l->pages. 0, or -1 with err. */
static int parse_node(struct listing *l, const json_t *node, size_t k, char *err, size_t errlen)
{
	const char *type = json_string_value(json_object_get(node, "integrationType"));

	if (!json_is_object(node) || !type) {
		snprintf(err, errlen, "listing page %zu: node %zu is not a source with an integrationType",
			 l->pages, k + 1);
		return -1;
	}
	if (strcmp(type, S3_TYPE)) {
		l->others++;
		return 0;
	}
	char *id = member(node, "integrationId"), *label = member(node, "integrationLabel");
	char *account = member(node, "awsAccountId"), *bucket = member(node, "s3Bucket");
	const char *bad = !id || !*id ? "integrationId" : !label ? "integrationLabel"
		: !account ? "awsAccountId" : !bucket ? "s3Bucket" : NULL;
	if (bad) {
		snprintf(err, errlen, "listing page %zu: S3 source %zu has no usable '%s'", l->pages, k + 1,
			 bad);
		free(id);
		free(label);
		free(account);
		free(bucket);
		return -1;
	}
	add_source(l, id, label, account, bucket);
	return 0;
}

int listing_parse_page(struct listing *l, const char *body, size_t len, char **next_cursor,
		       char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr); /* new reference */
	int rc = -1;

	*next_cursor = NULL;
	l->pages++;
	if (!json_is_object(doc)) {
		snprintf(err, errlen, "listing page %zu: the reply is not a JSON object%s%s", l->pages,
			 doc ? "" : ": ", doc ? "" : jerr.text);
		goto out;
	}
	if (graphql_errors(doc, err, errlen))
		goto out;
	json_t *sources = json_object_get(json_object_get(doc, "data"), "sources"); /* borrowed */
	json_t *edges = json_object_get(sources, "edges");
	json_t *info = json_object_get(sources, "pageInfo");
	json_t *more = json_object_get(info, "hasNextPage");
	if (!json_is_array(edges) || !json_is_boolean(more)) {
		snprintf(err, errlen, "listing page %zu: the reply has no data.sources.edges and "
			 "pageInfo.hasNextPage", l->pages);
		goto out;
	}
	size_t k;
	json_t *edge;
	json_array_foreach(edges, k, edge) {
		if (parse_node(l, json_object_get(edge, "node"), k, err, errlen) < 0)
			goto out;
	}
	if (json_is_true(more)) {
		const char *cursor = json_string_value(json_object_get(info, "endCursor"));
		if (!cursor || !*cursor) {
			snprintf(err, errlen, "listing page %zu: hasNextPage without an endCursor", l->pages);
			goto out;
		}
		*next_cursor = xstrdup(cursor);
		rc = 1;
	} else {
		rc = 0;
	}
out:
	json_decref(doc);
	if (rc < 0)
		scrub(err);
	return rc;
}

/* --- the pages on the engine --- */

struct fetch_ctx {
	const struct conn_opts *conn;
	struct listing *l;
	char *body;              /* the current page's request body (owned) */
	int started;
	struct strmap cursors;   /* cursors seen: a server that loops is an error */
	enum listing_status status;
	char *err;
	size_t errlen;
};

static int list_next(void *ctx, struct request *req)
{
	struct fetch_ctx *c = ctx;

	if (c->started)
		return 0;
	c->started = 1;
	memset(req, 0, sizeof(*req));
	req->action = ACTION_LIST;
	req->body = c->body;
	req->body_len = strlen(c->body);
	return 1;
}

/* The error line of an answer that is not a page. */
static void refusal(struct fetch_ctx *c, const struct response *res)
{
	char *msg = response_json_string(res, "message");
	struct strbuf sb = STRBUF_INIT;

	strbuf_init(&sb, 128);
	if (msg) {
		strbuf_addstr(&sb, ": ");
		add_clean(&sb, msg, 200);
	}
	switch (res->http_status) {
	case 401:
		snprintf(c->err, c->errlen, "the API refused the token when listing the sources "
			 "(HTTP 401%s): check PANTHER_API_TOKEN or --token-file", sb.buf);
		break;
	case 403:
		snprintf(c->err, c->errlen, "the API refused the listing (HTTP 403%s): the token "
			 "needs the permission to view log sources (GraphQL 'sources' query)", sb.buf);
		break;
	case 404:
		snprintf(c->err, c->errlen, "the API refused the listing (HTTP 404%s): no GraphQL "
			 "endpoint at '%s%s'; check --api-url", sb.buf,
			 c->conn->api_url ? c->conn->api_url : "", api_route(ACTION_LIST)->path);
		break;
	default: {
		char *text = response_error_text(res);
		snprintf(c->err, c->errlen, "the listing failed: %s", text);
		free(text);
	}
	}
	free(msg);
	strbuf_release(&sb);
}

static int list_done(void *ctx, struct request *req, const struct response *res)
{
	struct fetch_ctx *c = ctx;
	char *cursor = NULL;

	const struct api_reply *rule = api_reply(ACTION_LIST, res);
	if (rule->meaning == API_NOT_SENT || rule->meaning == API_ABANDONED) {
		if (c->status == LISTING_OK) {
			c->status = LISTING_ABORTED;
			snprintf(c->err, c->errlen, "the listing was interrupted (page %zu)",
				 c->l->pages + 1);
		}
		return 0;
	}
	c->status = LISTING_FAILED;
	if (res->kind != RESPONSE_HTTP) {
		char *text = response_error_text(res);
		snprintf(c->err, c->errlen, "the listing failed (page %zu): %s", c->l->pages + 1, text);
		free(text);
		return 0;
	}
	if (rule->meaning != API_DONE) {
		/* a GraphQL error may come with a 4xx: name it */
		json_t *doc = json_loadb(res->body, res->body_len, 0, NULL); /* new reference */
		if (!doc || !graphql_errors(doc, c->err, c->errlen))
			refusal(c, res);
		json_decref(doc);
		c->status = rule->meaning == API_REFUSED ? LISTING_REFUSED : LISTING_FAILED;
		return 0;
	}
	int rc = listing_parse_page(c->l, res->body, res->body_len, &cursor, c->err, c->errlen);
	if (rc < 0)
		return 0;
	if (rc == 0) {
		c->status = LISTING_OK;
		return 0;
	}
	if (!strmap_put(&c->cursors, cursor, NULL)) {
		snprintf(c->err, c->errlen, "listing page %zu: the server sent cursor '%.64s' again: "
			 "its paging loops", c->l->pages, cursor);
		free(cursor);
		return 0;
	}
	/* the next page: a follow-up request of the same row */
	free(c->body);
	c->body = listing_request_body(cursor);
	free(cursor);
	memset(req, 0, sizeof(*req));
	req->action = ACTION_LIST;
	req->body = c->body;
	req->body_len = strlen(c->body);
	c->status = LISTING_OK;
	return 1;
}

enum listing_status listing_fetch(const struct conn_opts *conn, struct listing **out,
				  struct sched_stats *stats, char *err, size_t errlen)
{
	static const struct sched_callbacks cb = { list_next, list_done, NULL };
	struct fetch_ctx c = {
		.conn = conn, .l = listing_new(), .body = listing_request_body(NULL),
		.status = LISTING_OK, .err = err, .errlen = errlen,
	};

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	strmap_init(&c.cursors);
	struct sched *s = sched_new(conn, &cb, &c);
	enum sched_status st = sched_run(s);
	if (stats)
		*stats = sched_stats(s);
	sched_free(s);
	if (st == SCHED_SETUP || (st == SCHED_SIGNAL && c.status == LISTING_OK)) {
		c.status = LISTING_ABORTED;
		snprintf(err, errlen, "the listing was %s", st == SCHED_SETUP ? "not started"
			 : "interrupted");
	} else if (c.status == LISTING_OK && !c.started) {
		c.status = LISTING_FAILED;
		snprintf(err, errlen, "the listing was not sent");
	}
	strmap_release(&c.cursors, 0);
	free(c.body);
	scrub(err);
	if (c.status == LISTING_OK)
		*out = c.l;
	else
		listing_free(c.l);
	return c.status;
}
