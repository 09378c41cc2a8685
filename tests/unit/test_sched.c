/*
 * test_sched.c - the request engine against a tiny libmicrohttpd server that
 * runs inside the test on 127.0.0.1 (a free port) and answers each request
 * from a script: per key (the ID in the URL, or the body of a POST) a list of
 * answers, the n-th request for that key getting the n-th answer (the last one
 * repeats). An answer is a status, optionally a Retry-After, a delay, a body
 * of 2 MiB, a dropped connection without a reply, or no answer at all until
 * the client hangs up.
 *
 * The checks: retries after 503/429/a dropped connection, Retry-After, the
 * lost-create flag, 401 stopping the run with waiting rows ABORTED and the rest
 * never pulled, -j honoured, --max-attempts and --retry-max-time, chained
 * follow-up requests, the body cap, signals, the headers sent, and that every
 * request handed out gets exactly one done(), and next()'s "not now"
 * (SCHED_NEXT_LATER) with and without rows left to wait for. Two seams stand in for the
 * engine's surroundings: its clock (sched_set_clock: timers on a faster
 * clock) and curl_multi_socket_action (sched_set_socket_action: a multi
 * handle that fails).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pace.h"
#include "engine.h"
#include "util.h"

/* ---------- the scripted server ---------- */

struct answer {
	int status;              /* 0 = drop the connection without a reply */
	const char *retry_after;
	int delay_ms;
	int big;                 /* a 2 MiB body */
	int hang;                /* no answer at all: wait until the client hangs up */
};

struct script {
	const char *key;
	struct answer ans[6];
	int n;
};

/* A plain answer with this status, and a dropped connection. */
#define REPLY(st) { .status = (st) }
#define DROP { .status = 0 }

/* The script for key_: its answers (struct answer initialisers) in order. */
#define SCRIPT(key_, ...) { .key = (key_), .ans = { __VA_ARGS__ }, \
	.n = (int)(sizeof((struct answer[]){ __VA_ARGS__ }) / sizeof(struct answer)) }

#define MAX_LOG 256

/* Shared with the server's threads through atomics. */
static struct {
	const struct script *scripts;
	size_t nscripts;
	atomic_int hits[32];
	atomic_int total;
	atomic_int active, max_active;
	atomic_int active_retry, max_active_retry;   /* the same for n > 0 */
	atomic_int bad_headers;  /* requests whose headers were not as expected */
	atomic_int hung_up;      /* hangs the client ended by closing the connection */
	atomic_int hang_cap;     /* hangs that outlived HANG_CAP_MS (the client never gave up) */
	char log[MAX_LOG][80];   /* "METHOD key" in arrival order */
} srv;

static struct MHD_Daemon *daemon_;
static char api_url[64];
static char *big_body;

struct upload {
	struct strbuf body;
};

static void request_completed(void *cls, struct MHD_Connection *c, void **con_cls,
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

/* A hang the client never ends is given up after this long (a failed test,
 * not a timing: test_timeout's client gives up after 600 ms). */
#define HANG_CAP_MS 30000

/*
 * An answer that never comes: waits until the client closes the connection
 * (its timeout), then drops it. libmicrohttpd's thread for this connection is
 * this one, so nobody else reads the socket: a peek at it says when the
 * client has hung up (0: it closed; an error: it reset).
 */
static void hang_until_hangup(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	int64_t t0 = now_ms();
	char byte;

	if (!ci) {   /* no cmocka assert here: not the test's thread */
		srv.hang_cap++;
		return;
	}
	while (now_ms() - t0 < HANG_CAP_MS) {
		struct pollfd p = { .fd = ci->connect_fd, .events = POLLIN };

		if (poll(&p, 1, 50) > 0 && recv(ci->connect_fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) <= 0) {
			srv.hung_up++;
			return;
		}
	}
	srv.hang_cap++;
}

static int header_is(struct MHD_Connection *c, const char *name, const char *want)
{
	const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
	return v && !strcmp(v, want);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version,
			       const char *upload_data, size_t *upload_size, void **con_cls)
{
	static const char prefix[] = "/log-sources/s3";
	struct upload *u = *con_cls;
	const char *key;
	const struct script *sc = NULL;
	struct answer a = { .status = 404 };
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char body[128];
	size_t i;
	int n = 0, bad = 0, at, active, max;

	(void)cls, (void)version;
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
	if (strncmp(url, prefix, sizeof(prefix) - 1))
		key = "?";
	else if (url[sizeof(prefix) - 1] == '/')
		key = url + sizeof(prefix);
	else
		key = u->body.buf;

	if (!header_is(c, "X-API-Key", "tok-123") ||
	    !header_is(c, "User-Agent", "s3src/" S3SRC_VERSION) ||
	    !header_is(c, "Accept", "application/json") ||
	    !header_is(c, "Content-Type", "application/json"))
		bad = 1;
	if (!strcmp(method, "POST") && strcmp(url, prefix))
		bad = 1;

	srv.bad_headers += bad;
	for (i = 0; i < srv.nscripts; i++) {
		if (!strcmp(srv.scripts[i].key, key)) {
			sc = &srv.scripts[i];
			n = atomic_fetch_add(&srv.hits[i], 1);
			a = sc->ans[n < sc->n ? n : sc->n - 1];
			break;
		}
	}
	at = atomic_fetch_add(&srv.total, 1);
	if (at < MAX_LOG)
		snprintf(srv.log[at], sizeof(srv.log[0]), "%s %s", method, key);
	active = atomic_fetch_add(&srv.active, 1) + 1;
	max = atomic_load(&srv.max_active);
	while (active > max && !atomic_compare_exchange_weak(&srv.max_active, &max, active))
		;

	if (n > 0) {
		active = atomic_fetch_add(&srv.active_retry, 1) + 1;
		max = atomic_load(&srv.max_active_retry);
		while (active > max &&
		       !atomic_compare_exchange_weak(&srv.max_active_retry, &max, active))
			;
	}
	if (a.delay_ms)
		usleep((useconds_t)a.delay_ms * 1000);
	if (a.hang)
		hang_until_hangup(c);
	atomic_fetch_sub(&srv.active, 1);
	if (n > 0)
		atomic_fetch_sub(&srv.active_retry, 1);

	if (a.status == 0 || a.hang)
		return MHD_NO;   /* drop the connection, no reply */
	if (a.big) {
		resp = MHD_create_response_from_buffer(2 * 1024 * 1024, big_body, MHD_RESPMEM_PERSISTENT);
	} else {
		snprintf(body, sizeof(body), "{\"key\":\"%s\",\"n\":%d}", key, n);
		resp = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_COPY);
	}
	if (a.retry_after)
		MHD_add_response_header(resp, "Retry-After", a.retry_after);
	MHD_add_response_header(resp, "Content-Type", "application/json");
	ret = MHD_queue_response(c, (unsigned)a.status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void serve(const struct script *scripts, size_t n)
{
	size_t i;

	assert_true(n <= ARRAY_SIZE(srv.hits));
	srv.scripts = scripts;
	srv.nscripts = n;
	for (i = 0; i < ARRAY_SIZE(srv.hits); i++)
		srv.hits[i] = 0;
	srv.total = srv.active = srv.max_active = srv.bad_headers = 0;
	srv.hung_up = srv.hang_cap = 0;
	srv.active_retry = srv.max_active_retry = 0;
}

static int server_up(void **state)
{
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	daemon_ = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
				   0, NULL, NULL, handler, NULL,
				   MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				   MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL,
				   MHD_OPTION_END);
	if (!daemon_)
		return -1;
	info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
	if (!info || !info->port)
		return -1;
	snprintf(api_url, sizeof(api_url), "http://127.0.0.1:%u", (unsigned)info->port);
	big_body = xmalloc(2 * 1024 * 1024);
	memset(big_body, 'x', 2 * 1024 * 1024);
	return 0;
}

static int server_down(void **state)
{
	(void)state;
	MHD_stop_daemon(daemon_);
	free(big_body);
	return 0;
}

/* ---------- the client side: a list of jobs and what came back ---------- */

struct job {
	enum action action;
	const char *key;         /* id, or the POST body */
	/* filled by the callbacks */
	int requests;            /* requests handed out for this row */
	int dones;               /* done() calls for this row */
	struct response res;     /* the last final response (body not kept) */
	int first_status;        /* status of the first request's response (chains) */
	char body[64];
	char err[64];
};

struct run {
	struct job *jobs;
	int njobs;
	int pulled;              /* next() calls that handed out a row */
	int next_calls;
	int chain;               /* GET 200 -> DELETE of the same id */
	int raise_at;            /* raise SIGINT this many times at the 2nd pull */
	int ticks;
	int finished;            /* rows whose last done() returned 0 */
	int one_at_a_time;       /* next() says LATER while a pulled row is unfinished */
	int later_after;         /* > 0: next() says LATER for good after this many pulls */
	int later_calls;         /* next() calls that said LATER */
};

/* A job of action ACTION_<act> for key_, and a run over a whole jobs array. */
#define JOB(act, key_) { .action = ACTION_##act, .key = (key_) }
#define RUN(jobs_) { .jobs = (jobs_), .njobs = (int)ARRAY_SIZE(jobs_) }

static int cb_next(void *ctx, struct request *req)
{
	struct run *r = ctx;
	struct job *j;

	r->next_calls++;
	if (r->pulled >= r->njobs)
		return 0;
	if ((r->one_at_a_time && r->finished < r->pulled) ||
	    (r->later_after && r->pulled >= r->later_after)) {
		r->later_calls++;
		return SCHED_NEXT_LATER;
	}
	j = &r->jobs[r->pulled++];
	if (r->raise_at && r->pulled == 2) {
		int i;
		for (i = 0; i < r->raise_at; i++)
			raise(SIGINT);
	}
	memset(req, 0, sizeof(*req));
	req->action = j->action;
	if (j->action == ACTION_CREATE) {
		req->body = j->key;
		req->body_len = strlen(j->key);
	} else {
		req->id = j->key;
		if (j->action == ACTION_MODIFY) {
			req->body = "{}";
			req->body_len = 2;
		}
	}
	req->user = j;
	j->requests++;
	return 1;
}

static int cb_done(void *ctx, struct request *req, const struct response *res)
{
	struct run *r = ctx;
	struct job *j = req->user;

	j->dones++;
	if (j->dones == 1)
		j->first_status = res->http_status;
	j->res = *res;
	j->res.body = NULL;
	j->res.error = NULL;
	snprintf(j->body, sizeof(j->body), "%s", res->body ? res->body : "");
	snprintf(j->err, sizeof(j->err), "%s", res->error ? res->error : "");
	if (r->chain && req->action == ACTION_GET && res->kind == RESPONSE_HTTP &&
	    res->http_status == 200) {
		req->action = ACTION_DELETE;
		j->requests++;
		return 1;
	}
	r->finished++;
	return 0;
}

static void cb_tick(void *ctx)
{
	((struct run *)ctx)->ticks++;
}

/* The connection options of every test, with -j j. */
static struct conn_opts opts(int j)
{
	struct conn_opts c;

	memset(&c, 0, sizeof(c));
	c.api_url = api_url;
	c.token = "tok-123";
	c.concurrency = j;
	c.max_attempts = 5;
	c.timeout_ms = 5000;
	c.retry_max_time_ms = 60000;
	return c;
}

/* The next go()'s clock (sched_set_clock), or NULL: the real one. */
static int64_t (*clock_fn)(void *ctx);
static void *clock_ctx;

/* The next go()'s stand-in for curl_multi_socket_action, or NULL. */
static CURLMcode (*socket_action)(CURLM *multi, curl_socket_t fd, int mask, int *running);

/*
 * Serves the n scripts sc (borrowed until the next serve()) and runs the jobs
 * of r through the engine with c; the final stats go to st unless it is NULL.
 */
static enum sched_status go(const struct script *sc, size_t n, const struct conn_opts *c,
			    struct run *r, struct sched_stats *st)
{
	struct sched_callbacks cb = { cb_next, cb_done, cb_tick };
	struct sched *s;
	enum sched_status rc;
	int i;

	serve(sc, n);
	s = sched_new(c, &cb, r);
	sched_set_backoff(s, 5, 20, 42);
	sched_set_socket_action(s, socket_action);
	socket_action = NULL;
	sched_set_clock(s, clock_fn, clock_ctx);
	clock_fn = NULL;
	rc = sched_run(s);
	if (st)
		*st = sched_stats(s);
	/* exactly one done() per request handed out, for every row pulled */
	for (i = 0; i < r->njobs; i++) {
		if (r->jobs[i].requests != r->jobs[i].dones)
			fail_msg("job %d (%s): %d requests, %d done() calls", i,
				 r->jobs[i].key, r->jobs[i].requests, r->jobs[i].dones);
	}
	assert_int_equal(sched_stats(s).in_flight, 0);
	assert_int_equal(sched_stats(s).retrying, 0);
	sched_free(s);
	return rc;
}

/* n GET jobs, job i for the key of script i (of the last script past nsc). */
static void get_jobs(struct job *jobs, int n, const struct script *sc, size_t nsc)
{
	int i;

	memset(jobs, 0, (size_t)n * sizeof(*jobs));
	for (i = 0; i < n; i++) {
		jobs[i].action = ACTION_GET;
		jobs[i].key = sc[(size_t)i < nsc ? (size_t)i : nsc - 1].key;
	}
}

/* j ended on an HTTP status after attempts tries, flagged lost-create or not. */
static void assert_final(const struct job *j, int status, int attempts, int lost)
{
	assert_int_equal(j->res.http_status, status);
	assert_int_equal(j->res.attempts, attempts);
	assert_int_equal(j->res.create_reply_lost, lost);
}

/* ---------- the tests ---------- */

static void test_503_then_201(void **state)
{
	static const struct script sc[] = {
		SCRIPT("{\"label\":\"a\"}", REPLY(503), REPLY(201)),
		SCRIPT("{\"label\":\"b\"}", REPLY(201)),
	};
	struct job jobs[] = { JOB(CREATE, "{\"label\":\"a\"}"), JOB(CREATE, "{\"label\":\"b\"}") };
	struct run r = RUN(jobs);
	struct conn_opts c = opts(2);
	struct sched_stats st;

	(void)state;
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, &st), SCHED_DONE);
	assert_int_equal(jobs[0].res.kind, RESPONSE_HTTP);
	assert_final(&jobs[0], 201, 2, 0);
	assert_string_equal(jobs[0].body, "{\"key\":\"{\"label\":\"a\"}\",\"n\":1}");
	assert_int_equal(jobs[1].res.http_status, 201);
	assert_int_equal(jobs[1].res.attempts, 1);
	assert_int_equal(st.requests, 3);
	assert_int_equal(st.retries, 1);
	assert_int_equal(st.lat_count, 3);
	assert_true(sched_latency_quantile(&st, 0.5) > 0);
	assert_int_equal(srv.total, 3);
	assert_int_equal(srv.bad_headers, 0);
}

static void test_429_retry_after(void **state)
{
	static const struct script sc[] = {
		SCRIPT("x", { .status = 429, .retry_after = "1" }, REPLY(200)),
	};
	struct job jobs[] = { JOB(GET, "x") };
	struct run r = RUN(jobs);
	struct conn_opts c = opts(4);
	struct sched_stats st;

	(void)state;
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, &st), SCHED_DONE);
	assert_int_equal(jobs[0].res.http_status, 200);
	assert_int_equal(jobs[0].res.attempts, 2);
	/* Retry-After: 1 replaced the computed delay (at most 20 ms here) */
	assert_true(jobs[0].res.elapsed_ms >= 1000);
	assert_int_equal(st.throttled, 1);
	assert_int_equal(st.limit, 4);   /* the in-flight bound is -j: a 429 does not halve it */
	assert_int_equal(st.pace_cuts, 0);   /* nor does one 429 alone slow the sends */
	assert_true(st.pace_rate == 0);
	assert_true(r.ticks >= 1);
}

/* A clock 20 times faster than the wall's, from *ctx (its start, real ms). */
static int64_t fast_clock(void *ctx)
{
	int64_t t0 = *(int64_t *)ctx;
	return t0 + (now_ms() - t0) * 20;
}

/* The engine's timers follow its clock (sched_set_clock), not the wall's: a
 * Retry-After of 30 s is honoured in full on the engine's clock, and takes
 * 1.5 s on the wall's. */
static void test_clock_seam(void **state)
{
	static const struct script sc[] = {
		SCRIPT("w", { .status = 503, .retry_after = "30" }, REPLY(200)),
	};
	struct job jobs[] = { JOB(GET, "w") };
	struct run r = RUN(jobs);
	struct conn_opts c = opts(1);
	int64_t t0 = now_ms();

	(void)state;
	clock_fn = fast_clock;
	clock_ctx = &t0;
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, NULL), SCHED_DONE);
	assert_final(&jobs[0], 200, 2, 0);
	assert_true(jobs[0].res.elapsed_ms >= 30000);    /* on the engine's clock */
	assert_true(now_ms() - t0 < 15000);              /* on the wall's: about 1.5 s */
}

/* A Retry-After given as an HTTP-date (libcurl turns it into seconds from
 * now) delays the retry as much; one already past is no delay to honour. */
static void test_retry_after_date(void **state)
{
	char when[64], past[64];
	time_t t = time(NULL) + 2;
	struct tm tm;

	(void)state;
	strftime(when, sizeof(when), "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&t, &tm));
	t -= 3600;
	strftime(past, sizeof(past), "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&t, &tm));
	const struct script sc[] = {
		SCRIPT("d", { .status = 503, .retry_after = when }, REPLY(200)),
		SCRIPT("p", { .status = 503, .retry_after = past }, REPLY(200)),
	};
	struct job jobs[] = { JOB(GET, "d"), JOB(GET, "p") };
	struct run r = RUN(jobs);
	struct conn_opts c = opts(2);

	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, NULL), SCHED_DONE);
	assert_final(&jobs[0], 200, 2, 0);
	assert_true(jobs[0].res.elapsed_ms >= 1000);
	assert_final(&jobs[1], 200, 2, 0);
	assert_true(jobs[1].res.elapsed_ms < 1000);   /* the backoff of go(): at most 20 ms */
}

static void test_auth_stops_run(void **state)
{
	static const struct script sc[] = {
		SCRIPT("a", { .status = 503, .retry_after = "30" }),   /* waits 30 s for its retry */
		SCRIPT("b", { .status = 401, .delay_ms = 400 }),
		SCRIPT("c", { .status = 200, .delay_ms = 1500 }),     /* in flight when the 401 comes */
		SCRIPT("d", REPLY(200)),
		SCRIPT("e", REPLY(200)),
	};
	struct job jobs[5];
	struct run r = RUN(jobs);
	struct conn_opts c = opts(2);

	(void)state;
	get_jobs(jobs, 5, sc, ARRAY_SIZE(sc));
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, NULL), SCHED_AUTH);
	assert_int_equal(jobs[0].res.kind, RESPONSE_ABORTED);
	assert_int_equal(jobs[0].res.http_status, 503);
	assert_int_equal(jobs[0].res.attempts, 1);
	assert_int_equal(jobs[1].res.kind, RESPONSE_HTTP);
	assert_int_equal(jobs[1].res.http_status, 401);
	assert_int_equal(jobs[2].res.kind, RESPONSE_HTTP);
	assert_int_equal(jobs[2].res.http_status, 200);
	assert_int_equal(r.pulled, 3);               /* d and e never pulled */
	assert_int_equal(jobs[3].requests, 0);
	assert_int_equal(srv.total, 3);
}

static void test_auth_serial(void **state)
{
	static const struct script sc[] = {
		SCRIPT("a", REPLY(403)),
		SCRIPT("b", REPLY(200)),
	};
	struct job jobs[] = { JOB(DELETE, "a"), JOB(DELETE, "b") };
	struct run r = RUN(jobs);
	struct conn_opts c = opts(1);

	(void)state;
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, NULL), SCHED_AUTH);
	assert_int_equal(jobs[0].res.http_status, 403);
	assert_int_equal(r.pulled, 1);
	assert_int_equal(srv.total, 1);
	assert_string_equal(srv.log[0], "DELETE a");
}

static void test_dropped_connection(void **state)
{
	static const struct script sc[] = {
		SCRIPT("{\"label\":\"p\"}", DROP, REPLY(201)),
		SCRIPT("g", DROP, REPLY(200)),
	};
	struct job jobs[] = { JOB(CREATE, "{\"label\":\"p\"}"), JOB(GET, "g") };
	struct run r = RUN(jobs);
	struct conn_opts c = opts(2);

	(void)state;
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, NULL), SCHED_DONE);
	assert_final(&jobs[0], 201, 2, 1);
	assert_final(&jobs[1], 200, 2, 0);
}

/* The second create is dropped on a kept-alive connection: libcurl must not
 * resend it by itself (it would be created twice, the second answer a 409
 * with one attempt counted); the retry is the engine's, counted and flagged. */
static void test_dropped_on_reused_connection(void **state)
{
	static const struct script sc[] = {
		SCRIPT("k1", REPLY(201)),
		SCRIPT("k2", DROP, REPLY(409)),
		SCRIPT("k3", REPLY(201)),
	};
	struct job jobs[] = { JOB(CREATE, "k1"), JOB(CREATE, "k2"), JOB(CREATE, "k3") };
	struct run r = RUN(jobs);
	struct conn_opts c = opts(1);
	struct sched_stats st;

	(void)state;
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, &st), SCHED_DONE);
	assert_int_equal(jobs[0].res.http_status, 201);
	assert_final(&jobs[1], 409, 2, 1);
	assert_int_equal(jobs[2].res.http_status, 201);
	assert_int_equal(jobs[2].res.create_reply_lost, 0);
	assert_int_equal(srv.total, 4);
	assert_int_equal(st.requests, (uint64_t)srv.total);   /* no hidden resend */
}

/* The first attempts get no answer at all (the server waits until the
 * client hangs up), so only the client's timeout can end them: no race
 * between a server delay and the timeout. */
static void test_timeout(void **state)
{
	static const struct script sc[] = {
		SCRIPT("slow", { .hang = 1 }, REPLY(409)),
		SCRIPT("sg", { .hang = 1 }, REPLY(200)),
	};
	struct job jobs[] = { JOB(CREATE, "slow"), JOB(GET, "sg") };
	struct run r = RUN(jobs);
	struct conn_opts c = opts(2);

	(void)state;
	c.timeout_ms = 600;
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, NULL), SCHED_DONE);
	assert_final(&jobs[0], 409, 2, 1);   /* the timed-out create may exist */
	assert_final(&jobs[1], 200, 2, 0);
	assert_true(jobs[0].res.elapsed_ms >= 600);   /* the first attempt waited it out */
	assert_int_equal(srv.hung_up, 2);    /* both hangs ended by the client */
	assert_int_equal(srv.hang_cap, 0);
}

static void test_latency_quantiles(void **state)
{
	struct sched_stats st;
	double p10, p50, p99;

	(void)state;
	memset(&st, 0, sizeof(st));
	assert_true(sched_latency_quantile(&st, 0.5) == 0);
	st.lat_buckets[3] = 10;    /* ~64..80 us */
	st.lat_buckets[30] = 80;   /* ~32..40 ms */
	st.lat_buckets[45] = 10;   /* ~1..1.3 s */
	st.lat_count = 100;
	p10 = sched_latency_quantile(&st, 0.10);
	p50 = sched_latency_quantile(&st, 0.50);
	p99 = sched_latency_quantile(&st, 0.99);
	assert_true(p10 > 0.06 && p10 < 0.09);
	assert_true(p50 > 32 && p50 < 41);
	assert_true(p99 > 1000 && p99 < 1320);
	assert_true(sched_latency_quantile(&st, 1.0) == p99);
}

static void run_parallel(int j, int *server_max, unsigned *client_max)
{
#define SLOW_OK { .status = 200, .delay_ms = 150 }
	static const struct script sc[] = {
		SCRIPT("p0", SLOW_OK), SCRIPT("p1", SLOW_OK), SCRIPT("p2", SLOW_OK),
		SCRIPT("p3", SLOW_OK), SCRIPT("p4", SLOW_OK), SCRIPT("p5", SLOW_OK),
	};
#undef SLOW_OK
	struct job jobs[6];
	struct run r = RUN(jobs);
	struct conn_opts c = opts(j);
	struct sched_stats st;
	int i;

	get_jobs(jobs, 6, sc, ARRAY_SIZE(sc));
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, &st), SCHED_DONE);
	for (i = 0; i < 6; i++)
		assert_int_equal(jobs[i].res.http_status, 200);
	*server_max = srv.max_active;
	*client_max = st.max_in_flight;
}

static void test_concurrency_limit(void **state)
{
	int server_max;
	unsigned client_max;

	(void)state;
	run_parallel(1, &server_max, &client_max);
	assert_int_equal(server_max, 1);
	assert_int_equal(client_max, 1);
	run_parallel(3, &server_max, &client_max);
	assert_int_equal(client_max, 3);
	assert_in_range(server_max, 2, 3);
}

static void test_429_paces(void **state)
{
	/* six requests of one window all get 429: one cut of the send rate, at
	 * the third (3 of the last 40 answers; the 429s to requests started
	 * before the cut cut nothing), to 0.7 x the sends of the last second
	 * (at most 8: the six, and the retries of the first two if they were
	 * quicker than the third 429), at most 5.6/s. The retries (Retry-After:
	 * 0, so the backoff of go(): at most 20 ms) from the cut on are then
	 * spaced at least 1/5.6 s apart instead of starting together: the last
	 * ends at least 1.5 s after the start (unpaced: 1.2 s) */
#define THROTTLED { .status = 429, .retry_after = "0", .delay_ms = 800 }, { .status = 200, .delay_ms = 400 }
	static const struct script sc[] = {
		SCRIPT("q0", THROTTLED), SCRIPT("q1", THROTTLED), SCRIPT("q2", THROTTLED),
		SCRIPT("q3", THROTTLED), SCRIPT("q4", THROTTLED), SCRIPT("q5", THROTTLED),
	};
#undef THROTTLED
	struct job jobs[6];
	struct run r = RUN(jobs);
	struct conn_opts c = opts(6);
	struct sched_stats st;
	int i;

	(void)state;
	get_jobs(jobs, 6, sc, ARRAY_SIZE(sc));
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, &st), SCHED_DONE);
	for (i = 0; i < 6; i++)
		assert_int_equal(jobs[i].res.http_status, 200);
	assert_int_equal(st.throttled, 6);
	assert_int_equal(srv.max_active, 6);
	assert_int_equal(st.pace_cuts, 1);
	assert_int_equal(st.limit, 6);
	int64_t last = 0;
	for (i = 0; i < 6; i++)
		if (jobs[i].res.elapsed_ms > last)
			last = jobs[i].res.elapsed_ms;
	if (last < 1500)
		fail_msg("the retries were not paced: the last ended after %lld ms", (long long)last);
}

static void test_max_attempts(void **state)
{
	static const struct script sc[] = { SCRIPT("m", REPLY(503)) };
	struct job jobs[] = { JOB(MODIFY, "m") };
	struct run r = RUN(jobs);
	struct conn_opts c = opts(2);

	(void)state;
	c.max_attempts = 3;
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, NULL), SCHED_DONE);
	assert_int_equal(jobs[0].res.kind, RESPONSE_HTTP);
	assert_int_equal(jobs[0].res.http_status, 503);
	assert_int_equal(jobs[0].res.attempts, 3);
	assert_int_equal(srv.total, 3);
	assert_string_equal(srv.log[0], "PUT m");
}

static void test_connection_refused(void **state)
{
	struct job jobs[] = { JOB(CREATE, "{}") };
	struct run r = RUN(jobs);
	struct conn_opts c = opts(1);
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	char url[64];
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	(void)state;
	/* a port that was free a moment ago: nobody listens there */
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	close(fd);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", (unsigned)ntohs(sa.sin_port));
	c.api_url = url;
	c.max_attempts = 3;
	assert_int_equal(go(NULL, 0, &c, &r, NULL), SCHED_DONE);
	assert_int_equal(jobs[0].res.kind, RESPONSE_TRANSPORT);
	assert_int_equal(jobs[0].res.attempts, 3);
	assert_int_equal(jobs[0].res.create_reply_lost, 0);   /* never reached the server */
	assert_true(jobs[0].err[0] != '\0');
}

static void test_retry_max_time(void **state)
{
	static const struct script sc[] = {
		SCRIPT("t", { .status = 503, .retry_after = "2" }, REPLY(200)),
	};
	struct job jobs[] = { JOB(GET, "t") };
	struct run r = RUN(jobs);
	struct conn_opts c = opts(1);

	(void)state;
	c.retry_max_time_ms = 500;   /* the retry would start 2 s after the first */
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, NULL), SCHED_DONE);
	assert_int_equal(jobs[0].res.http_status, 503);
	assert_int_equal(jobs[0].res.attempts, 1);
	assert_int_equal(srv.total, 1);
}

static void test_chain_get_then_delete(void **state)
{
	static const struct script sc[] = {
		SCRIPT("k1", REPLY(200), REPLY(204)),
		SCRIPT("k2", REPLY(404)),
		SCRIPT("k3", REPLY(503), REPLY(200), REPLY(503), REPLY(204)),
	};
	struct job jobs[3];
	struct run r = { .jobs = jobs, .njobs = 3, .chain = 1 };
	struct conn_opts c = opts(2);
	int i, get_at = -1, del_at = -1;

	(void)state;
	get_jobs(jobs, 3, sc, ARRAY_SIZE(sc));
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, NULL), SCHED_DONE);
	assert_int_equal(jobs[0].dones, 2);
	assert_int_equal(jobs[0].first_status, 200);
	assert_int_equal(jobs[0].res.http_status, 204);
	assert_int_equal(jobs[0].res.attempts, 1);
	assert_int_equal(jobs[1].dones, 1);
	assert_int_equal(jobs[1].res.http_status, 404);
	assert_int_equal(jobs[2].dones, 2);
	assert_int_equal(jobs[2].res.http_status, 204);
	assert_int_equal(jobs[2].res.attempts, 2);   /* the DELETE's own attempts */
	for (i = 0; i < srv.total; i++) {
		if (!strcmp(srv.log[i], "GET k1"))
			get_at = i;
		if (!strcmp(srv.log[i], "DELETE k1"))
			del_at = i;
	}
	assert_true(get_at >= 0 && del_at > get_at);
	assert_int_equal(srv.total, 7);
}

static void test_body_cap(void **state)
{
	static const struct script sc[] = { SCRIPT("big", { .status = 200, .big = 1 }) };
	struct job jobs[] = { JOB(GET, "big") };
	struct run r = RUN(jobs);
	struct conn_opts c = opts(1);

	(void)state;
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, NULL), SCHED_DONE);
	assert_int_equal(jobs[0].res.kind, RESPONSE_TRANSPORT);
	assert_int_equal(jobs[0].res.attempts, 1);           /* not retried */
	assert_string_equal(jobs[0].err, "response body larger than 1 MiB");
}

static void test_escaped_id(void **state)
{
	static const struct script sc[] = { SCRIPT("a b/c?d", REPLY(200)) };
	struct job jobs[] = { JOB(MODIFY, "a b/c?d") };
	struct run r = RUN(jobs);
	struct conn_opts c = opts(1);

	(void)state;
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, NULL), SCHED_DONE);
	assert_int_equal(jobs[0].res.http_status, 200);
	assert_string_equal(srv.log[0], "PUT a b/c?d");
}

static void test_signals(void **state)
{
	static const struct script sc[] = {
		SCRIPT("s1", { .status = 200, .delay_ms = 800 }),
		SCRIPT("s2", { .status = 200, .delay_ms = 800 }),
		SCRIPT("s3", REPLY(200)),
	};
	struct job jobs[3];
	struct run r = { .jobs = jobs, .njobs = 3, .raise_at = 1 };
	struct conn_opts c = opts(2);

	(void)state;
	sched_install_signals();
	/* one signal at the second pull: the two in flight finish, s3 is never pulled */
	get_jobs(jobs, 3, sc, ARRAY_SIZE(sc));
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, NULL), SCHED_SIGNAL);
	assert_int_equal(r.pulled, 2);
	assert_int_equal(jobs[0].res.kind, RESPONSE_HTTP);
	assert_int_equal(jobs[1].res.kind, RESPONSE_HTTP);
	assert_int_equal(jobs[2].requests, 0);

	/* two signals: those in flight are abandoned */
	get_jobs(jobs, 3, sc, ARRAY_SIZE(sc));
	r = (struct run){ .jobs = jobs, .njobs = 3, .raise_at = 2 };
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, NULL), SCHED_SIGNAL);
	assert_int_equal(r.pulled, 2);
	assert_int_equal(jobs[0].res.kind, RESPONSE_ABORTED);
	assert_int_equal(jobs[1].res.kind, RESPONSE_ABORTED);
	assert_int_equal(jobs[0].res.attempts, 1);
	signal(SIGINT, SIG_DFL);
}

static void test_rate_limit(void **state)
{
	static const struct script sc[] = { SCRIPT("r", REPLY(200)) };
	struct job jobs[6];
	struct run r = RUN(jobs);
	struct conn_opts c = opts(4);
	struct sched_stats st;
	int64_t t0;

	(void)state;
	get_jobs(jobs, 6, sc, ARRAY_SIZE(sc));   /* all six for "r" */
	c.rate = 20;   /* 6 requests: 5 gaps of 50 ms */
	t0 = now_ms();
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, &st), SCHED_DONE);
	/* a lower bound only: the bucket cannot hand out 6 tokens faster */
	assert_true(now_ms() - t0 >= 245);
	assert_int_equal(srv.total, 6);
}

/* next() says "not now" (SCHED_NEXT_LATER) while a row it handed out is
 * unfinished: the engine goes on with what it has and asks again only after
 * a row finished, so the rows go one at a time at -j 3, and next() is asked
 * once per row and once per LATER (no spin). */
static void test_next_later(void **state)
{
	static const struct script sc[] = {
		SCRIPT("l0", { .status = 200, .delay_ms = 100 }),
		SCRIPT("l1", { .status = 503, .delay_ms = 50 }, { .status = 200, .delay_ms = 50 }),
		SCRIPT("l2", { .status = 200, .delay_ms = 100 }),
		SCRIPT("l3", { .status = 200, .delay_ms = 100 }),
	};
	struct job jobs[4];
	struct run r = { .jobs = jobs, .njobs = 4, .one_at_a_time = 1 };
	struct conn_opts c = opts(3);
	struct sched_stats st;
	int i;

	(void)state;
	get_jobs(jobs, 4, sc, ARRAY_SIZE(sc));
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, &st), SCHED_DONE);
	for (i = 0; i < 4; i++)
		assert_int_equal(jobs[i].res.http_status, 200);
	assert_final(&jobs[1], 200, 2, 0);   /* a retry is not a finished row */
	assert_int_equal(r.pulled, 4);
	assert_int_equal(r.later_calls, 3);
	assert_int_equal(r.next_calls, 8);   /* 4 rows, a LATER after each but the last, the end */
	assert_int_equal(st.max_in_flight, 1);
	assert_int_equal(srv.max_active, 1);
	assert_int_equal(srv.total, 5);
}

/* next() says LATER when no row is in flight or waiting: nothing can change
 * its answer, so the run ends at once (no spin, no hang) with what it had. */
static void test_next_later_no_progress(void **state)
{
	static const struct script sc[] = { SCRIPT("n0", REPLY(200)), SCRIPT("n1", REPLY(200)) };
	struct job jobs[2];
	struct run r = { .jobs = jobs, .njobs = 2, .later_after = 1 };
	struct conn_opts c = opts(2);
	int64_t t0 = now_ms();

	(void)state;
	get_jobs(jobs, 2, sc, ARRAY_SIZE(sc));
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, NULL), SCHED_STOPPED);
	assert_int_equal(jobs[0].res.kind, RESPONSE_HTTP);   /* the row it had finished */
	assert_int_equal(jobs[0].res.http_status, 200);
	assert_int_equal(jobs[1].requests, 0);
	assert_int_equal(r.next_calls, 3);   /* n0, LATER, after n0's done() LATER again */
	assert_int_equal(srv.total, 1);

	/* LATER from the first call: nothing ever ran */
	get_jobs(jobs, 2, sc, ARRAY_SIZE(sc));
	r = (struct run){ .jobs = jobs, .njobs = 2, .one_at_a_time = 1, .finished = -1 };
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, NULL), SCHED_STOPPED);
	assert_int_equal(r.next_calls, 1);
	assert_int_equal(r.pulled, 0);
	assert_int_equal(srv.total, 0);
	assert_true(now_ms() - t0 < 2000);
}

static int failing_calls;

/* libcurl's multi handle failing on every call (as after an out-of-memory). */
static CURLMcode failing_action(CURLM *multi, curl_socket_t fd, int mask, int *running)
{
	(void)multi, (void)fd, (void)mask;
	*running = 0;
	failing_calls++;
	return CURLM_OUT_OF_MEMORY;
}

/* A failing multi call ends the run at once (no spin): the attempts in flight
 * are abandoned, no new row is pulled. */
static void test_multi_failure_stops(void **state)
{
	static const struct script sc[] = { SCRIPT("m", REPLY(200)) };
	struct job jobs[] = { JOB(GET, "m1"), JOB(GET, "m2"), JOB(GET, "m3"), JOB(GET, "m4") };
	struct run r = RUN(jobs);
	struct conn_opts c = opts(2);
	int64_t t0 = now_ms();

	(void)state;
	failing_calls = 0;
	socket_action = failing_action;
	assert_int_equal(go(sc, ARRAY_SIZE(sc), &c, &r, NULL), SCHED_STOPPED);
	assert_true(now_ms() - t0 < 2000);
	assert_int_equal(failing_calls, 1);   /* not called again once it failed */
	assert_int_equal(r.pulled, 2);
	assert_int_equal(jobs[0].res.kind, RESPONSE_ABORTED);
	assert_string_equal(jobs[0].err, "abandoned in flight: the request engine failed");
	assert_int_equal(jobs[1].res.kind, RESPONSE_ABORTED);
	assert_int_equal(jobs[2].dones, 0);
}

/* Two engine runs' figures add up: counts and histogram summed, the peak
 * kept, the first start kept, the gauges the later run's. */
static void test_stats_add(void **state)
{
	struct sched_stats a = { .requests = 3, .retries = 1, .throttled = 1, .max_in_flight = 4,
				 .lat_count = 3, .start_ms = 100, .limit = 4 };
	struct sched_stats b = { .requests = 5, .retries = 2, .throttled = 0, .max_in_flight = 2,
				 .lat_count = 5, .start_ms = 900, .limit = 8, .in_flight = 1 };

	(void)state;
	a.lat_buckets[0] = 3;
	b.lat_buckets[0] = 1;
	b.lat_buckets[63] = 4;
	sched_stats_add(&a, &b);
	assert_int_equal(a.requests, 8);
	assert_int_equal(a.retries, 3);
	assert_int_equal(a.throttled, 1);
	assert_int_equal(a.lat_count, 8);
	assert_int_equal(a.lat_buckets[0], 4);
	assert_int_equal(a.lat_buckets[63], 4);
	assert_int_equal(a.max_in_flight, 4);
	assert_int_equal(a.start_ms, 100);
	assert_int_equal(a.limit, 8);
	assert_int_equal(a.in_flight, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_add),
		cmocka_unit_test(test_multi_failure_stops),
		cmocka_unit_test(test_next_later),
		cmocka_unit_test(test_next_later_no_progress),
		cmocka_unit_test(test_503_then_201),
		cmocka_unit_test(test_429_retry_after),
		cmocka_unit_test(test_retry_after_date),
		cmocka_unit_test(test_clock_seam),
		cmocka_unit_test(test_auth_stops_run),
		cmocka_unit_test(test_auth_serial),
		cmocka_unit_test(test_dropped_connection),
		cmocka_unit_test(test_dropped_on_reused_connection),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_latency_quantiles),
		cmocka_unit_test(test_concurrency_limit),
		cmocka_unit_test(test_429_paces),
		cmocka_unit_test(test_max_attempts),
		cmocka_unit_test(test_connection_refused),
		cmocka_unit_test(test_retry_max_time),
		cmocka_unit_test(test_chain_get_then_delete),
		cmocka_unit_test(test_body_cap),
		cmocka_unit_test(test_escaped_id),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_rate_limit),
	};
	return cmocka_run_group_tests(tests, server_up, server_down);
}
