/*
 * http.c - fake-panther's libmicrohttpd handlers: routing, auth, the fault
 * injection points and the replies.
 *
 * The daemon runs in thread-per-connection mode: each client connection has
 * its own thread, which handles that connection's keep-alive requests one
 * after the other. That makes latency and hangs simple and honest: a request
 * that must wait sleeps (or polls its socket) in its own thread, and every
 * other connection goes on being served. The cost, one thread per connection,
 * is nothing at the few dozen connections a benchmark opens.
 *
 * A request to the API (anything outside /_fake/) goes through:
 *   0. --rate-limit: a request that finds the server-wide bucket empty is
 *      answered 429 at once, before anything else (ratelimit.c);
 *   1. body collected (at most 1 MiB, else 413), parsed once;
 *   2. a POST carrying an integrationLabel is counted in postsByLabel;
 *   3. its fault decided (faults.c, keyed by seed and arrival number);
 *   4. the latency slept; a hang holds the connection, a reset drops it;
 *   5. 429 / 5xx faults answered;
 *   6. X-API-Key checked (401), the route and the schema checked (404/405/400);
 *   7. the store operation run (201/200/204/404/409); a ghost drops the
 *      connection after a successful write, a bad reply mangles the body.
 * Returning MHD_NO from the access handler makes libmicrohttpd close the
 * connection without a reply: that is how resets, ghosts and hangs end.
 * The control endpoints under /_fake/ skip auth, faults and counters.
 *
 * POST /public/graphql answers the `sources` listing (graphql()): faults apply
 * to it as to the REST routes, except ghosts (it writes nothing). Like a
 * GraphQL server it answers an unknown field, a bad cursor or a bad variable
 * with 200 and {"errors": [{"message"}], "data": null}, and a body that is not
 * a JSON request with 400 and errors.
 */
#include "http.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#define MAX_BODY (1024 * 1024)
#define API_PREFIX "/log-sources/s3"
#define GRAPHQL_PATH "/public/graphql"
#define CONTROL_PREFIX "/_fake/"

/* One request's state, kept in libmicrohttpd's per-request pointer. */
struct req {
	struct strbuf body;
	int api;          /* 1 for an API request (counted, faults apply) */
	int too_big;
	int limited;      /* over --rate-limit: 429, nothing else done */
	uint64_t seq;     /* arrival number, for the fault decision */
};

/* Sleeps ms milliseconds in slices, returning early when the server stops. */
static void nap(struct http_ctx *ctx, int ms)
{
	while (ms > 0 && !atomic_load(&ctx->stopping)) {
		int slice = ms < 50 ? ms : 50;
		struct timespec ts = { slice / 1000, (long)(slice % 1000) * 1000000L };

		nanosleep(&ts, NULL);
		ms -= slice;
	}
}

/* Holds the connection without replying until the client closes it, the
 * server stops or hang_max_ms passes. */
static void hold(struct http_ctx *ctx, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	int64_t deadline = now_ms() + ctx->faults.hang_max_ms;

	while (!atomic_load(&ctx->stopping) && now_ms() < deadline) {
		struct pollfd pfd = { .fd = ci ? ci->connect_fd : -1, .events = POLLIN | POLLRDHUP };
		char c;

		if (!ci || poll(&pfd, 1, 50) < 0) {
			nap(ctx, 50);
			continue;
		}
		if (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL))
			return;
		if (pfd.revents & POLLIN) {
			ssize_t n = recv(pfd.fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
				return; /* the client gave up */
			nap(ctx, 50); /* pipelined bytes: keep holding */
		}
	}
}

/* Queues a reply. body is a malloc'd string whose ownership passes here (may be
 * NULL for an empty body); ctype NULL means no Content-Type. */
static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, char *body,
			     size_t len, const char *ctype, int retry_after)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (body)
		resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	else
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	if (ctype)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	if (retry_after >= 0) {
		char v[24];
		snprintf(v, sizeof(v), "%d", retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, v);
	}
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* {"message": msg} as a new string. */
static char *message_body(const char *msg)
{
	json_t *o = json_pack("{s:s}", "message", msg);
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	if (!s)
		die("out of memory");
	return s;
}

static enum MHD_Result reply_json(struct MHD_Connection *conn, unsigned status, char *body)
{
	return reply(conn, status, body, strlen(body), "application/json", -1);
}

/* A constant-time comparison, so the token cannot be guessed by timing. */
static int token_ok(const char *given, const char *want)
{
	size_t gl, wl, i;
	unsigned char diff;

	if (!given)
		return 0;
	gl = strlen(given);
	wl = strlen(want);
	diff = gl != wl;
	for (i = 0; i < gl; i++)
		diff |= (unsigned char)(given[i] ^ want[i % (wl ? wl : 1)]);
	return !diff && wl > 0;
}

/* The outcome of the API part of a request, before mangling. */
struct api_result {
	unsigned status;
	char *body;        /* owned; NULL for 204 */
	int retry_after;   /* -1: no header */
	int drop;          /* 1: close the connection, no reply */
};

static void set_error(struct api_result *r, unsigned status, const char *msg)
{
	r->status = status;
	r->body = message_body(msg);
}

static void set_errorf(struct api_result *r, unsigned status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_errorf(struct api_result *r, unsigned status, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	set_error(r, status, msg);
	free(msg);
}

/* {"errors": [{"message": msg}], "data": null} with status into r. */
static void set_graphql_error(struct api_result *r, unsigned status, const char *msg)
{
	json_t *o = json_pack("{s:[{s:s}], s:n}", "errors", "message", msg, "data");
	r->status = status;
	r->body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!r->body)
		die("out of memory");
}

/* The first field of the query's selection set, into name (NUL-terminated):
 * "query Sources($input: SourcesInput) { sources(...) ..." -> "sources". */
static void first_field(const char *query, char *name, size_t size)
{
	const char *p = strchr(query, '{');
	size_t n = 0;

	name[0] = '\0';
	if (!p)
		return;
	for (p++; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ','; p++)
		;
	while (n + 1 < size && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				(*p >= '0' && *p <= '9') || *p == '_'))
		name[n++] = *p++;
	name[n] = '\0';
}

/* The GraphQL listing (the token is checked). body borrowed, NULL if not JSON. */
static void graphql(struct http_ctx *ctx, const json_t *body, const json_error_t *jerr,
		    struct req *rq, struct api_result *r)
{
	const char *query = json_string_value(json_object_get(body, "query"));
	json_t *vars = json_object_get(body, "variables"), *input, *cursor, *data;
	char field[64];

	if (rq->too_big) {
		set_graphql_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "request body larger than 1 MiB");
		return;
	}
	if (!json_is_object(body)) {
		char *msg = xasprintf("body is not a JSON object: %s", body ? "" : jerr->text);
		set_graphql_error(r, MHD_HTTP_BAD_REQUEST, msg);
		free(msg);
		return;
	}
	if (!query || !*query) {
		set_graphql_error(r, MHD_HTTP_BAD_REQUEST, "GraphQL operations must contain a non-empty `query`");
		return;
	}
	switch (ctx->listing_fail) {
	case 403:
		set_error(r, MHD_HTTP_FORBIDDEN, "forbidden: the API token may not list log sources");
		return;
	case 404:
		set_errorf(r, MHD_HTTP_NOT_FOUND, "no such path '%s'", GRAPHQL_PATH);
		return;
	case -1:
		set_graphql_error(r, MHD_HTTP_OK, "internal error while listing sources (injected)");
		return;
	}
	first_field(query, field, sizeof(field));
	if (strcmp(field, "sources")) {
		char *msg = xasprintf("Cannot query field \"%s\" on type \"Query\".", field);
		set_graphql_error(r, MHD_HTTP_OK, msg);
		free(msg);
		return;
	}
	input = json_object_get(vars, "input");
	cursor = json_object_get(input, "cursor");
	if ((vars && !json_is_object(vars) && !json_is_null(vars)) ||
	    (input && !json_is_object(input) && !json_is_null(input)) ||
	    (cursor && !json_is_string(cursor) && !json_is_null(cursor))) {
		set_graphql_error(r, MHD_HTTP_OK, "Variable \"$input\" got invalid value; expected "
				  "type SourcesInput { cursor: String }");
		return;
	}
	if (store_list(ctx->store, json_string_value(cursor), ctx->page_size, &data) != STORE_OK) {
		char *msg = xasprintf("invalid cursor '%s'", json_string_value(cursor));
		set_graphql_error(r, MHD_HTTP_OK, msg);
		free(msg);
		return;
	}
	json_t *reply = json_pack("{s:o}", "data", data); /* steals data */
	r->status = MHD_HTTP_OK;
	r->body = reply ? json_dumps(reply, JSON_COMPACT) : NULL;
	json_decref(reply);
	if (!r->body)
		die("out of memory");
}

/* POST (id NULL: a create) or PUT (a modify of id): the body must conform. */
static void api_write(struct http_ctx *ctx, const char *id, struct req *rq, json_t *body,
		      const json_error_t *jerr, int ghost, struct api_result *r)
{
	char *err;
	enum store_rc rc;

	if (rq->too_big) {
		set_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "request body larger than 1 MiB");
		return;
	}
	if (!body) {
		char *msg = xasprintf("request body is not valid JSON: %s", jerr->text);
		set_error(r, MHD_HTTP_BAD_REQUEST, msg);
		free(msg);
		return;
	}
	err = id ? validate_modify(body) : validate_create(body);
	if (err) {
		set_error(r, MHD_HTTP_BAD_REQUEST, err);
		free(err);
		return;
	}
	if (id)
		rc = store_modify(ctx->store, id, body, ghost, &r->body);
	else
		rc = store_create(ctx->store, body, ghost, &r->body);
	if (rc == STORE_OK) {
		r->status = id ? MHD_HTTP_OK : MHD_HTTP_CREATED;
		r->drop = ghost;
	} else if (rc == STORE_NOT_FOUND) {
		set_errorf(r, MHD_HTTP_NOT_FOUND, "s3 source '%s' not found", id);
	} else {
		set_errorf(r, MHD_HTTP_CONFLICT, "integration label '%s' already exists",
			   json_string_value(json_object_get(body, "integrationLabel")));
	}
}

/* Steps 6 and 7: auth, route, schema, store. */
static void api_operation(struct http_ctx *ctx, struct MHD_Connection *conn, const char *url,
			  const char *method, struct req *rq, json_t *body,
			  const json_error_t *jerr, int ghost, struct api_result *r)
{
	const char *id = NULL;
	enum store_rc rc;

	if (!token_ok(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-API-Key"),
		      ctx->token)) {
		set_error(r, MHD_HTTP_UNAUTHORIZED, "missing or invalid X-API-Key");
		return;
	}
	if (!strcmp(url, GRAPHQL_PATH)) {
		if (strcmp(method, "POST"))
			set_errorf(r, MHD_HTTP_METHOD_NOT_ALLOWED, "method '%s' not allowed here", method);
		else
			graphql(ctx, body, jerr, rq, r);
		return;
	}
	if (!strcmp(url, API_PREFIX)) {
		if (strcmp(method, "POST")) {
			set_errorf(r, MHD_HTTP_METHOD_NOT_ALLOWED, "method '%s' not allowed here", method);
			return;
		}
	} else if (!strncmp(url, API_PREFIX "/", strlen(API_PREFIX) + 1) &&
		   url[strlen(API_PREFIX) + 1] && !strchr(url + strlen(API_PREFIX) + 1, '/')) {
		id = url + strlen(API_PREFIX) + 1;
		if (strcmp(method, "GET") && strcmp(method, "PUT") && strcmp(method, "DELETE")) {
			set_errorf(r, MHD_HTTP_METHOD_NOT_ALLOWED, "method '%s' not allowed here", method);
			return;
		}
	} else {
		set_errorf(r, MHD_HTTP_NOT_FOUND, "no such path '%s'", url);
		return;
	}

	if (!strcmp(method, "GET")) {
		rc = store_get(ctx->store, id, &r->body);
		if (rc == STORE_OK)
			r->status = MHD_HTTP_OK;
		else
			set_errorf(r, MHD_HTTP_NOT_FOUND, "s3 source '%s' not found", id);
		return;
	}
	if (!strcmp(method, "DELETE")) {
		store_delete(ctx->store, id, ghost);
		r->status = MHD_HTTP_NO_CONTENT;
		r->drop = ghost;
		return;
	}
	api_write(ctx, id, rq, body, jerr, ghost, r);
}

/* Rewrites the integrationId of a reply body that has one: to ID, or
 * removed when ID is NULL. A body without one is left as it is. */
static void replace_id(struct api_result *r, const char *id)
{
	json_t *o = r->body ? json_loads(r->body, 0, NULL) : NULL; /* new */

	if (o && json_is_string(json_object_get(o, "integrationId"))) {
		if (id)
			json_object_set_new(o, "integrationId", json_string(id));
		else
			json_object_del(o, "integrationId");
		free(r->body);
		r->body = json_dumps(o, JSON_COMPACT);
		if (!r->body)
			die("out of memory");
	}
	json_decref(o);
}

/* Replaces r's reply by the configured bad reply. */
static void mangle(struct http_ctx *ctx, struct api_result *r)
{
	static const char html[] =
		"<html><head><title>502 Bad Gateway</title></head>"
		"<body><h1>502 Bad Gateway</h1></body></html>\n";
	static const char garbage[] = "\x01\x02not json at all }{ \xff\xfe";
	size_t len;

	switch (ctx->faults.bad_reply_kind) {
	case BAD_REPLY_HTML:
		free(r->body);
		r->status = MHD_HTTP_BAD_GATEWAY;
		r->body = xstrdup(html);
		break;
	case BAD_REPLY_GARBAGE:
		free(r->body);
		r->body = xstrdup(garbage);
		break;
	case BAD_REPLY_HUGE: {
		size_t n = 8u << 20; /* 8 MiB */
		free(r->body);
		r->body = xmalloc(n + 32);
		len = (size_t)snprintf(r->body, 32, "{\"message\":\"");
		memset(r->body + len, 'x', n);
		memcpy(r->body + len + n, "\"}", 3);
		break;
	}
	case BAD_REPLY_TRUNCATED:
		if (r->body)
			r->body[strlen(r->body) / 2] = '\0';
		break;
	case BAD_REPLY_NOID:
		replace_id(r, NULL);
		break;
	case BAD_REPLY_STATUS200:
		if (r->status == MHD_HTTP_CREATED)
			r->status = MHD_HTTP_OK;
		break;
	case BAD_REPLY_OTHERID:
		replace_id(r, "00000000-0000-4000-8000-0000000000ff");
		break;
	}
}

static enum MHD_Result handle_api(struct http_ctx *ctx, struct MHD_Connection *conn,
				  const char *url, const char *method, struct req *rq)
{
	struct fault_decision fd;
	struct api_result r = { 0, NULL, -1, 0 };
	json_error_t jerr;
	json_t *body = NULL;
	int is_write = strcmp(url, GRAPHQL_PATH) &&
		       (!strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "DELETE"));
	enum MHD_Result ret;

	if (rq->limited) {
		int ra = ctx->limit_retry_after == -2 ?
			ratelimit_retry_after_s(&ctx->limit, ratelimit_clock_us()) : ctx->limit_retry_after;
		char *msg = message_body("rate exceeded");

		if (ctx->verbose)
			fprintf(stderr, "fake-panther: %s %s -> 429 (rate limit)\n", method, url);
		store_count_status(ctx->store, MHD_HTTP_TOO_MANY_REQUESTS);
		return reply(conn, MHD_HTTP_TOO_MANY_REQUESTS, msg, strlen(msg), "application/json", ra);
	}
	memset(&jerr, 0, sizeof(jerr));
	if (!rq->too_big && (!strcmp(method, "POST") || !strcmp(method, "PUT")))
		body = json_loadb(rq->body.buf, rq->body.len, JSON_REJECT_DUPLICATES, &jerr);
	if (body && !strcmp(method, "POST") && !strcmp(url, API_PREFIX) &&
	    json_is_string(json_object_get(body, "integrationLabel")))
		store_count_post_label(ctx->store,
				       json_string_value(json_object_get(body, "integrationLabel")));

	faults_decide(&ctx->faults, atomic_load(&ctx->seed), rq->seq, is_write, &fd);
	store_count_fault(ctx->store, fd.kind);
	nap(ctx, fd.delay_ms);

	switch (fd.kind) {
	case FAULT_HANG:
		hold(ctx, conn);
		json_decref(body);
		return MHD_NO;
	case FAULT_RESET:
		json_decref(body);
		return MHD_NO;
	case FAULT_THROTTLE:
		set_error(&r, MHD_HTTP_TOO_MANY_REQUESTS, "rate exceeded");
		r.retry_after = ctx->faults.retry_after_s;
		break;
	case FAULT_FAIL:
		set_error(&r, (unsigned)fd.fail_status, "service unavailable (injected fault)");
		break;
	case FAULT_NONE:
	case FAULT_GHOST:
	case FAULT_BAD_REPLY:
		api_operation(ctx, conn, url, method, rq, body, &jerr, fd.kind == FAULT_GHOST, &r);
		break;
	}
	json_decref(body);
	if (ctx->verbose)
		fprintf(stderr, "fake-panther: %s %s -> %u%s\n", method, url, r.status,
			r.drop ? " (ghost: dropped)" : fd.kind != FAULT_NONE ? " (fault)" : "");
	if (r.drop) {
		free(r.body);
		return MHD_NO;
	}
	if (fd.kind == FAULT_BAD_REPLY)
		mangle(ctx, &r);
	store_count_status(ctx->store, (int)r.status);
	if (!r.body)
		return reply(conn, r.status, NULL, 0, NULL, r.retry_after);
	ret = reply(conn, r.status, r.body, strlen(r.body),
		    fd.kind == FAULT_BAD_REPLY && ctx->faults.bad_reply_kind == BAD_REPLY_HTML
			    ? "text/html" : "application/json", r.retry_after);
	return ret;
}

static enum MHD_Result handle_control(struct http_ctx *ctx, struct MHD_Connection *conn,
				      const char *url, const char *method, struct req *rq)
{
	const char *what = url + strlen(CONTROL_PREFIX);

	if (!strcmp(what, "state") && !strcmp(method, "GET"))
		return reply_json(conn, MHD_HTTP_OK, store_dump(ctx->store));
	if (!strcmp(what, "reset") && !strcmp(method, "POST")) {
		store_reset(ctx->store, atomic_load(&ctx->seed));
		atomic_store(&ctx->seq, 0);
		ratelimit_reset(&ctx->limit, ratelimit_clock_us());
		return reply_json(conn, MHD_HTTP_OK, message_body("reset"));
	}
	if (!strcmp(what, "seed") && !strcmp(method, "POST")) {
		json_t *o = json_loadb(rq->body.buf, rq->body.len, 0, NULL);
		json_t *seed = json_object_get(o, "seed");
		enum MHD_Result ret;

		if (!json_is_integer(seed) || json_integer_value(seed) < 0) {
			ret = reply_json(conn, MHD_HTTP_BAD_REQUEST,
					 message_body("body must be {\"seed\": N} with N >= 0"));
		} else {
			atomic_store(&ctx->seed, (uint64_t)json_integer_value(seed));
			atomic_store(&ctx->seq, 0);
			ret = reply_json(conn, MHD_HTTP_OK, message_body("seeded"));
		}
		json_decref(o);
		return ret;
	}
	return reply_json(conn, MHD_HTTP_NOT_FOUND, message_body("no such control endpoint"));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct http_ctx *ctx = cls;
	struct req *rq = *con_cls;

	(void)version;
	if (!rq) { /* headers are in: set up the request */
		rq = xcalloc(1, sizeof(*rq));
		strbuf_init(&rq->body, 0);
		rq->api = strncmp(url, CONTROL_PREFIX, strlen(CONTROL_PREFIX)) != 0;
		if (rq->api) {
			rq->limited = !ratelimit_take(&ctx->limit, ratelimit_clock_us());
			if (!rq->limited)
				rq->seq = atomic_fetch_add(&ctx->seq, 1);
			store_request_begin(ctx->store, method);
		}
		*con_cls = rq;
		return MHD_YES;
	}
	if (*upload_data_size) { /* a piece of the body */
		if (rq->body.len + *upload_data_size > MAX_BODY)
			rq->too_big = 1;
		else
			strbuf_add(&rq->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	return rq->api ? handle_api(ctx, conn, url, method, rq)
		       : handle_control(ctx, conn, url, method, rq);
}

/* Called once per request whatever its end (reply sent, dropped, client gone). */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_ctx *ctx = cls;
	struct req *rq = *con_cls;

	(void)conn;
	(void)toe;
	if (!rq)
		return;
	if (rq->api)
		store_request_end(ctx->store);
	strbuf_release(&rq->body);
	free(rq);
	*con_cls = NULL;
}

/* libmicrohttpd's own messages (client errors, dropped connections) are noise
 * for a fake server; they are shown only with --verbose. */
static void on_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void on_log(void *cls, const char *fmt, va_list ap)
{
	struct http_ctx *ctx = cls;

	if (ctx->verbose) {
		fputs("fake-panther: mhd: ", stderr);
		vfprintf(stderr, fmt, ap);
	}
}

struct MHD_Daemon *http_start(struct http_ctx *ctx, unsigned port, unsigned *bound)
{
	struct sockaddr_in addr;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	/* --tls-cert/--tls-key: the PEM texts, handed over through MHD_OPTION_ARRAY
	 * so the option list below stays one list with or without TLS. */
	struct MHD_OptionItem tls[3] = {
		{ MHD_OPTION_END, 0, NULL }, { MHD_OPTION_END, 0, NULL }, { MHD_OPTION_END, 0, NULL },
	};
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			 MHD_USE_POLL | MHD_USE_ERROR_LOG;

	if (ctx->tls_cert) {
		flags |= MHD_USE_TLS;
		tls[0] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)ctx->tls_key };
		tls[1] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)ctx->tls_cert };
	}
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, ctx,
			     MHD_OPTION_EXTERNAL_LOGGER, on_log, ctx, /* first, to catch all */
			     MHD_OPTION_ARRAY, tls,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, ctx,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)300,
			     MHD_OPTION_END);
	if (!d)
		return NULL;
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	*bound = info ? info->port : port;
	return d;
}

void http_stop(struct http_ctx *ctx, struct MHD_Daemon *d)
{
	atomic_store(&ctx->stopping, 1);
	MHD_stop_daemon(d);
}
