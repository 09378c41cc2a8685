/*
 * sched.c - the request engine: a libcurl multi loop that keeps at most
 * -j requests in flight, retries transient failures after a full-jitter
 * (or Retry-After) delay kept in a millisecond timer heap, spaces attempts with
 * a token bucket (--rate, a hard ceiling) and, once the server answers 429,
 * paces them to the rate it accepts (pace.c: CUBIC on a send-rate bucket), and
 * stops the run on 401/403, on a signal or when a callback asks.
 *
 * The loop has the shape of curl's src/tool_operate.c parallel mode: start
 * transfers up to the limit, wait, let libcurl work, drain
 * curl_multi_info_read, then requeue (retry) or finish each transfer. Unlike
 * curl it keeps retry deadlines in milliseconds, and it never busy-polls: the
 * wait's timeout is the nearest of curl's own timer, the next retry timer, the
 * next rate or pacing token and the next progress tick. It waits in epoll and
 * drives libcurl with curl_multi_socket_action (libcurl tells which sockets to
 * watch through its socket callback): each wake-up then runs only the
 * transfers whose socket is ready, instead of curl_multi_perform polling
 * every transfer's socket on every wake-up (12 poll() calls per row at -j 32,
 * see docs/performance.md).
 *
 * Memory is fixed at set-up: -j easy handles (reused, so connections stay
 * alive and HTTP/2 streams multiplex), 2 x -j row slots (in flight plus
 * waiting on a retry timer: when they are all taken, no new row is pulled;
 * nor is one while next() said SCHED_NEXT_LATER and no row finished since) and
 * a heap of as many pointers. A share handle holds the DNS cache, TLS sessions
 * and the connection pool. Each attempt allocates only what libcurl copies
 * (the URL) and the escaped ID.
 */
#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api.h"
#include "curl_text.h"
#include "pace.h"
#include "rate.h"
#include "retry.h"
#include "engine.h"
#include "util.h"

#define TICK_MS 200              /* progress ticks; also the longest poll */
#define LAT_BASE_US 32.0         /* latency histogram: bucket 0 upper edge ~40 us */
#define LAT_PER_OCTAVE 3.0

/* One row's request while it is in flight or waiting for its next attempt. */
struct row {
	struct request req;
	int attempts;            /* attempts made for req */
	int64_t first_ms;        /* start of req's first attempt (0: not started) */
	int64_t due_ms;          /* heap key: when the next attempt may start */
	uint64_t seq;            /* heap tie-break: first in, first out */
	unsigned epoch;          /* pacing epoch when the last attempt started */
	int last_status;         /* HTTP status of the last attempt, 0 if none */
	int create_reply_lost;
	struct row *next_free;
};

/* One easy handle of the pool and the state of its current attempt. */
struct xfer {
	struct sched *s;
	CURL *easy;
	struct row *row;         /* NULL when idle */
	struct strbuf body;      /* response body, NUL-terminated, <= SCHED_BODY_MAX */
	struct strbuf url;
	int prereqs;             /* times libcurl was about to send this attempt */
	int resend_refused;      /* it wanted to send it again: refused (on_prereq) */
	int too_big;
	char errbuf[CURL_ERROR_SIZE];
};

struct sched {
	const struct conn_opts *conn;
	struct sched_callbacks cb;
	void *ctx;
	int setup_failed;

	CURLM *multi;
	CURLSH *share;
	int epfd;                /* the sockets libcurl asked to watch */
	uint8_t *fdstate;        /* per socket: FD_* bits, indexed by fd */
	size_t nfdstate;
	int64_t curl_due_ms;     /* libcurl's timer (its timer callback), -1: none */
	struct curl_slist *headers;
	char *api_url;           /* --api-url: every path (api_route) goes under it */

	struct xfer *xfers;      /* the pool, -j of them */
	struct xfer **idle;      /* stack of idle ones */
	unsigned nxfers, nidle;

	struct row *rows;        /* 2 x -j slots */
	struct row *free_rows;
	unsigned nrows;

	struct row **heap;       /* rows waiting for their next attempt */
	unsigned nheap;
	uint64_t seq;

	struct rate rate;        /* --rate */
	struct pace pace;        /* the server's rate, found after a 429 */
	int64_t base_ms, cap_ms;
	uint64_t rnd_state;
	struct retry_random rnd;

	/* the clock of every timer, retry delay, token and elapsed time: now_ms,
	 * or a test's (sched_set_clock) */
	int64_t (*now)(void *ctx);
	void *now_ctx;
	/* curl_multi_socket_action, or a test's stand-in (sched_set_socket_action) */
	CURLMcode (*socket_action)(CURLM *multi, curl_socket_t fd, int mask, int *running);
	int broken;              /* a multi call or the wait failed: the run ends */

	int input_done;
	int later;               /* next() said LATER: not asked again until a done() */
	int stopping;            /* no new attempt starts */
	enum sched_status status;
	struct sched_stats st;
};

/* --- signals --- */

static volatile sig_atomic_t signal_count;

static void on_signal(int sig)
{
	(void)sig;
	if (signal_count < 1000)
		signal_count++;
}

void sched_install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);   /* a dropped SSH session stops the run the same way */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

int sched_signals(void)
{
	return signal_count;
}

/* --- the timer heap: rows ordered by (due_ms, seq) --- */

static int heap_less(const struct row *a, const struct row *b)
{
	return a->due_ms < b->due_ms || (a->due_ms == b->due_ms && a->seq < b->seq);
}

static void heap_push(struct sched *s, struct row *r, int64_t due)
{
	unsigned i = s->nheap++;

	r->due_ms = due;
	r->seq = s->seq++;
	while (i > 0) {
		unsigned parent = (i - 1) / 2;
		if (!heap_less(r, s->heap[parent]))
			break;
		s->heap[i] = s->heap[parent];
		i = parent;
	}
	s->heap[i] = r;
	if (r->attempts > 0)
		s->st.retrying++;
}

static struct row *heap_pop(struct sched *s)
{
	struct row *top = s->heap[0], *last;
	unsigned i = 0, n;

	n = --s->nheap;
	last = s->heap[n];
	for (;;) {
		unsigned c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && heap_less(s->heap[c + 1], s->heap[c]))
			c++;
		if (!heap_less(s->heap[c], last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (n)
		s->heap[i] = last;
	if (top->attempts > 0)
		s->st.retrying--;
	return top;
}

/* --- libcurl callbacks --- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct xfer *x = userdata;
	size_t len = size * nmemb;

	if (x->body.len + len > SCHED_BODY_MAX) {
		x->too_big = 1;
		return 0;        /* CURLE_WRITE_ERROR */
	}
	strbuf_add(&x->body, data, len);
	return len;
}

/*
 * Called by libcurl each time it is about to send the request, on a new or a
 * reused connection. The body is CURLOPT_POSTFIELDS, so headers and body leave
 * in one send(): when a kept-alive connection turns out dead after the request
 * was written, libcurl would silently send it again on a fresh connection, and
 * a create could then be applied twice behind our back (the second answer a
 * 409). A second call for one attempt is that resend: it is refused here (the
 * attempt fails with CURLE_ABORTED_BY_CALLBACK, see finish()), and the retry
 * is ours: it is counted, and the lost create is flagged. (Before, the body
 * went through a read callback without a seek callback for the same effect,
 * at the cost of a second send() per request.)
 */
static int on_prereq(void *userdata, char *conn_primary_ip, char *conn_local_ip,
		     int conn_primary_port, int conn_local_port)
{
	struct xfer *x = userdata;
	long sent = 0;

	(void)conn_primary_ip;
	(void)conn_local_ip;
	(void)conn_primary_port;
	(void)conn_local_port;
	if (x->prereqs++ == 0)
		return CURL_PREREQFUNC_OK;
	/* nothing of the request left on the dead connection: a fresh try is
	 * harmless (libcurl did that with the read callback too) */
	if (curl_easy_getinfo(x->easy, CURLINFO_REQUEST_SIZE, &sent) == CURLE_OK && sent == 0)
		return CURL_PREREQFUNC_OK;
	x->resend_refused = 1;
	return CURL_PREREQFUNC_ABORT;
}

/* --- libcurl's sockets and timer (curl_multi_socket_action) --- */

/*
 * The epoll registrations are cached per socket. libcurl forgets a socket
 * (CURL_POLL_REMOVE) when its transfer ends and the connection goes back to
 * the pool, and asks for it again when the next transfer reuses it: two
 * epoll_ctl() calls per request for nothing. So a forgotten socket stays
 * registered, only marked unwatched; a wake-up on it (the server closed an
 * idle connection) unregisters it. When libcurl closes a socket
 * (CURLOPT_CLOSESOCKETFUNCTION, on_close) its entry is cleared, as the kernel
 * drops a closed socket from epoll by itself and the number may come back;
 * and every new socket (CURLOPT_OPENSOCKETFUNCTION, on_open) starts cleared,
 * so a stale entry can never hide a new socket from epoll.
 */
#define FD_IN 1
#define FD_OUT 2
#define FD_WATCHED 0x40          /* libcurl wants events on it */
#define FD_REGISTERED 0x80       /* in epoll, with the FD_IN/FD_OUT bits */

static uint8_t *fd_state(struct sched *s, curl_socket_t fd)
{
	if ((size_t)fd >= s->nfdstate) {
		size_t n = s->nfdstate ? s->nfdstate : 64;

		while (n <= (size_t)fd)
			n *= 2;
		s->fdstate = xrealloc(s->fdstate, n);
		memset(s->fdstate + s->nfdstate, 0, n - s->nfdstate);
		s->nfdstate = n;
	}
	return &s->fdstate[fd];
}

/* libcurl says which events to watch on a socket, or to forget it. */
static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct sched *s = userp;
	struct epoll_event ev;
	uint8_t *st, want;
	int op;

	(void)easy;
	(void)socketp;
	if (fd < 0)
		return 0;
	st = fd_state(s, fd);
	if (what == CURL_POLL_REMOVE) {
		*st &= (uint8_t)~FD_WATCHED;
		return 0;
	}
	want = (what & CURL_POLL_IN ? FD_IN : 0) | (what & CURL_POLL_OUT ? FD_OUT : 0);
	if ((*st & FD_REGISTERED) && (*st & (FD_IN | FD_OUT)) == want) {
		*st |= FD_WATCHED;
		return 0;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = (want & FD_IN ? EPOLLIN : 0) | (want & FD_OUT ? EPOLLOUT : 0);
	ev.data.fd = fd;
	op = *st & FD_REGISTERED ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	if (epoll_ctl(s->epfd, op, fd, &ev) &&
	    epoll_ctl(s->epfd, op == EPOLL_CTL_MOD ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev))
		return -1;
	*st = FD_REGISTERED | FD_WATCHED | want;
	return 0;
}

static curl_socket_t on_open(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct sched *s = clientp;
	curl_socket_t fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);

	(void)purpose;
	if (fd >= 0 && (size_t)fd < s->nfdstate)
		s->fdstate[fd] = 0;
	return fd < 0 ? CURL_SOCKET_BAD : fd;
}

static int on_close(void *clientp, curl_socket_t fd)
{
	struct sched *s = clientp;

	if (fd >= 0 && (size_t)fd < s->nfdstate)
		s->fdstate[fd] = 0;
	return close(fd);
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct sched *s = userp;

	(void)multi;
	s->curl_due_ms = timeout_ms < 0 ? -1 : s->now(s->now_ctx) + timeout_ms;
	return 0;
}

/* --- set-up --- */

static int setup_easy(struct sched *s, struct xfer *x)
{
	CURL *e = curl_easy_init();
	CURLcode rc = CURLE_OK;

	if (!e)
		return -1;
	x->s = s;
	x->easy = e;
	strbuf_init(&x->body, 4096);
	strbuf_init(&x->url, 256);
#define SET(opt, val) do { if (rc == CURLE_OK) rc = curl_easy_setopt(e, opt, val); } while (0)
	SET(CURLOPT_PRIVATE, x);
	SET(CURLOPT_SHARE, s->share);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_HTTPHEADER, s->headers);
	SET(CURLOPT_USERAGENT, "s3src/" S3SRC_VERSION);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, x);
	SET(CURLOPT_OPENSOCKETFUNCTION, on_open);
	SET(CURLOPT_OPENSOCKETDATA, s);
	SET(CURLOPT_CLOSESOCKETFUNCTION, on_close);
	SET(CURLOPT_CLOSESOCKETDATA, s);
	SET(CURLOPT_PREREQFUNCTION, on_prereq);
	SET(CURLOPT_PREREQDATA, x);
	SET(CURLOPT_ERRORBUFFER, x->errbuf);
	SET(CURLOPT_TIMEOUT_MS, s->conn->timeout_ms > 0 ? s->conn->timeout_ms : 30000L);
	/* wait for a connection that may turn out to multiplex (HTTP/2 over
	 * TLS) rather than open another; plain http never multiplexes here, so
	 * waiting would only delay the first -j requests */
	if (!strncasecmp(s->api_url, "https:", 6))
		SET(CURLOPT_PIPEWAIT, 1L);
	SET(CURLOPT_TCP_KEEPALIVE, 1L);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	if (s->conn->cacert)
		SET(CURLOPT_CAINFO, s->conn->cacert);
#undef SET
	if (rc != CURLE_OK) {
		error("cannot set up libcurl: %s", curl_code_text((int)rc));
		return -1;
	}
	return 0;
}

static struct curl_slist *build_headers(const char *token)
{
	struct curl_slist *list = NULL, *l;
	struct strbuf key = STRBUF_INIT;

	strbuf_addstr(&key, "X-API-Key: ");
	strbuf_addstr(&key, token ? token : "");
	l = curl_slist_append(list, key.buf);
	memset(key.buf, 0, key.alloc);   /* slist holds its own copy */
	strbuf_release(&key);
	if (!l)
		return NULL;
	list = l;
	if (!(l = curl_slist_append(list, "Content-Type: application/json")) ||
	    !(l = curl_slist_append(list, "Accept: application/json")) ||
	    !(l = curl_slist_append(list, "Expect:"))) {
		curl_slist_free_all(list);
		return NULL;
	}
	return list;
}

static void free_headers(struct curl_slist *list)
{
	struct curl_slist *l;

	for (l = list; l; l = l->next)   /* wipe the token */
		memset(l->data, 0, strlen(l->data));
	curl_slist_free_all(list);
}

static int64_t real_now(void *ctx)
{
	(void)ctx;
	return now_ms();
}

struct sched *sched_new(const struct conn_opts *conn, const struct sched_callbacks *cb, void *ctx)
{
	struct sched *s = xcalloc(1, sizeof(*s));
	unsigned j = conn->concurrency > 0 ? (unsigned)conn->concurrency : 1, i;
	int64_t now = now_ms();

	s->conn = conn;
	s->cb = *cb;
	s->ctx = ctx;
	s->base_ms = RETRY_BASE_MS;
	s->cap_ms = RETRY_CAP_MS;
	s->rnd_state = (uint64_t)now * 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
	s->rnd.next = retry_xorshift;
	s->rnd.ctx = &s->rnd_state;
	rate_init(&s->rate, conn->rate, now);
	pace_init(&s->pace, now);
	s->st.limit = j;

	s->nxfers = j;
	s->xfers = xcalloc(j, sizeof(*s->xfers));
	s->idle = xcalloc(j, sizeof(*s->idle));
	s->nrows = 2 * j;
	s->rows = xcalloc(s->nrows, sizeof(*s->rows));
	s->heap = xcalloc(s->nrows, sizeof(*s->heap));
	for (i = s->nrows; i-- > 0;) {
		s->rows[i].next_free = s->free_rows;
		s->free_rows = &s->rows[i];
	}
	s->api_url = xstrdup(conn->api_url ? conn->api_url : "");
	s->epfd = -1;
	s->curl_due_ms = -1;
	s->socket_action = curl_multi_socket_action;
	s->now = real_now;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		error("cannot initialise libcurl");
		s->setup_failed = 2;   /* no curl_global_cleanup owed */
		return s;
	}
	s->multi = curl_multi_init();
	s->share = curl_share_init();
	s->headers = build_headers(conn->token);
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!s->multi || !s->share || !s->headers || s->epfd < 0 ||
	    curl_multi_setopt(s->multi, CURLMOPT_SOCKETFUNCTION, on_socket) ||
	    curl_multi_setopt(s->multi, CURLMOPT_SOCKETDATA, s) ||
	    curl_multi_setopt(s->multi, CURLMOPT_TIMERFUNCTION, on_timer) ||
	    curl_multi_setopt(s->multi, CURLMOPT_TIMERDATA, s) ||
	    curl_share_setopt(s->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) ||
	    curl_share_setopt(s->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) ||
	    curl_share_setopt(s->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) ||
	    curl_multi_setopt(s->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX) ||
	    curl_multi_setopt(s->multi, CURLMOPT_MAXCONNECTS, (long)j)) {
		error("cannot set up libcurl");
		s->setup_failed = 1;
		return s;
	}
	for (i = 0; i < j; i++) {
		if (setup_easy(s, &s->xfers[i])) {
			s->setup_failed = 1;
			return s;
		}
		s->idle[s->nidle++] = &s->xfers[i];
	}
	return s;
}

void sched_set_clock(struct sched *s, int64_t (*now)(void *ctx), void *ctx)
{
	s->now = now ? now : real_now;
	s->now_ctx = ctx;
}

void sched_set_socket_action(struct sched *s,
			     CURLMcode (*fn)(CURLM *multi, curl_socket_t fd, int mask, int *running))
{
	s->socket_action = fn ? fn : curl_multi_socket_action;
}

void sched_set_backoff(struct sched *s, int64_t base_ms, int64_t cap_ms, uint64_t seed)
{
	s->base_ms = base_ms;
	s->cap_ms = cap_ms;
	s->rnd_state = seed ? seed : 1;
}

void sched_free(struct sched *s)
{
	unsigned i;

	if (!s)
		return;
	for (i = 0; i < s->nxfers; i++) {
		struct xfer *x = &s->xfers[i];
		if (x->easy) {
			if (x->row && s->multi)
				curl_multi_remove_handle(s->multi, x->easy);
			curl_easy_cleanup(x->easy);
		}
		strbuf_release(&x->body);
		strbuf_release(&x->url);
	}
	if (s->multi)
		curl_multi_cleanup(s->multi);
	if (s->share)
		curl_share_cleanup(s->share);
	if (s->epfd >= 0)
		close(s->epfd);
	free(s->fdstate);
	free_headers(s->headers);
	if (s->setup_failed != 2)
		curl_global_cleanup();
	free(s->api_url);
	free(s->xfers);
	free(s->idle);
	free(s->rows);
	free(s->heap);
	free(s);
}

struct sched_stats sched_stats(const struct sched *s)
{
	return s->st;
}

void sched_stats_add(struct sched_stats *into, const struct sched_stats *from)
{
	into->requests += from->requests;
	into->retries += from->retries;
	into->throttled += from->throttled;
	into->lat_count += from->lat_count;
	for (size_t b = 0; b < sizeof(into->lat_buckets) / sizeof(into->lat_buckets[0]); b++)
		into->lat_buckets[b] += from->lat_buckets[b];
	if (from->max_in_flight > into->max_in_flight)
		into->max_in_flight = from->max_in_flight;
	if (!into->start_ms)
		into->start_ms = from->start_ms;
	into->retrying = from->retrying;
	into->in_flight = from->in_flight;
	into->limit = from->limit;
}

/* --- latency histogram --- */

static unsigned lat_bucket(int64_t us)
{
	double b;

	if (us <= LAT_BASE_US)
		return 0;
	b = floor(LAT_PER_OCTAVE * log2((double)us / LAT_BASE_US));
	return b >= 63 ? 63 : (unsigned)b;
}

double sched_latency_quantile(const struct sched_stats *st, double q)
{
	uint64_t want, seen = 0;
	unsigned b;

	if (!st->lat_count)
		return 0;
	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	want = (uint64_t)ceil(q * (double)st->lat_count);
	if (want < 1)
		want = 1;
	for (b = 0; b < 64; b++) {
		seen += st->lat_buckets[b];
		if (seen >= want)
			break;
	}
	if (b > 63)
		b = 63;
	/* the geometric middle of the bucket, in ms */
	return LAT_BASE_US * exp2(((double)b + 0.5) / LAT_PER_OCTAVE) / 1000.0;
}

/* --- rows and their final answers --- */

static struct row *row_get(struct sched *s)
{
	struct row *r = s->free_rows;

	if (r) {
		s->free_rows = r->next_free;
		memset(r, 0, sizeof(*r));
	}
	return r;
}

static void row_put(struct sched *s, struct row *r)
{
	r->next_free = s->free_rows;
	s->free_rows = r;
}

static void stop(struct sched *s, enum sched_status why)
{
	if (s->status == SCHED_DONE)
		s->status = why;
	s->stopping = 1;
}

/*
 * A libcurl multi call (or the wait for its sockets) failed: the multi handle
 * cannot be trusted to finish what is in flight, and calling it again would
 * only fail again (a spin, see curl's tool_operate.c, which checks every
 * one). One error line, then the run ends as if a callback stopped it: the
 * attempts in flight are abandoned (sched_run), the waiting rows ABORTED.
 */
static void broken(struct sched *s, const char *call, const char *why)
{
	if (!s->broken)
		error("the request engine failed (%s: %s); stopping the run", call, why);
	s->broken = 1;
	stop(s, SCHED_STOPPED);
}

/*
 * Hands a final response to done(). A follow-up request (done() returned 1)
 * is queued to start at once, or, when the run is stopping, answered
 * NOT_STARTED in turn. The row slot is freed when its last request is done.
 */
static void deliver(struct sched *s, struct row *r, struct response *res, int64_t now)
{
	for (;;) {
		int rc = s->cb.done(s->ctx, &r->req, res);

		s->later = 0;   /* a row moved on: next() may have a request now */
		if (rc < 0)
			stop(s, SCHED_STOPPED);
		if (rc != 1)
			break;
		r->attempts = 0;
		r->first_ms = 0;
		r->last_status = 0;
		r->create_reply_lost = 0;
		if (!s->stopping) {
			heap_push(s, r, now);
			return;
		}
		memset(res, 0, sizeof(*res));
		res->kind = RESPONSE_NOT_STARTED;
		res->error = "not started: the run was stopped";
	}
	row_put(s, r);
}

/* A row that is not in flight is ended by a stop: ABORTED if it was attempted. */
static void end_unstarted(struct sched *s, struct row *r, int64_t now)
{
	struct response res;

	memset(&res, 0, sizeof(res));
	res.attempts = r->attempts;
	res.http_status = r->last_status;
	res.create_reply_lost = r->create_reply_lost;
	if (r->attempts > 0) {
		res.kind = RESPONSE_ABORTED;
		res.elapsed_ms = now - r->first_ms;
		res.error = "not retried: the run was stopped";
	} else {
		res.kind = RESPONSE_NOT_STARTED;
		res.error = "not started: the run was stopped";
	}
	deliver(s, r, &res, now);
}

static void abort_waiting(struct sched *s, int64_t now)
{
	while (s->nheap)
		end_unstarted(s, heap_pop(s), now);
}

/* --- attempts --- */

static void release_xfer(struct sched *s, struct xfer *x)
{
	x->row = NULL;
	s->idle[s->nidle++] = x;
}

/* Sets URL, method and body of x for r's request, as api_route() says (the
 * engine knows no path). Returns an error text for a request that cannot be
 * sent at all, else NULL. */
static const char *prepare(struct sched *s, struct xfer *x, const struct request *req)
{
	const struct api_route *rt = api_route(req->action);
	CURL *e = x->easy;

	if (!rt)
		return "internal error: request without an action";
	strbuf_reset(&x->url);
	strbuf_addstr(&x->url, s->api_url);
	strbuf_addstr(&x->url, rt->path);
	if (rt->with_id) {
		char *esc;

		if (!req->id || !*req->id)
			return "internal error: request without an id";
		esc = curl_easy_escape(e, req->id, 0);
		if (!esc)
			return "internal error: cannot escape the id";
		/* "." and ".." survive escaping and libcurl folds them away: never
		 * turn an ID into another path (DELETE /log-sources/) */
		if (strspn(esc, ".") == strlen(esc)) {
			curl_free(esc);
			return "refused: the ID is not a path segment";
		}
		strbuf_addch(&x->url, '/');
		strbuf_addstr(&x->url, esc);
		curl_free(esc);
	}
	if (rt->with_body) {
		/* borrowed, not copied: req->body lives until done() */
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)(req->body ? req->body_len : 0));
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body ? req->body : "");
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST,
				 strcmp(rt->method, "POST") ? rt->method : NULL);
	} else {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST,
				 strcmp(rt->method, "GET") ? rt->method : NULL);
	}
	if (curl_easy_setopt(e, CURLOPT_URL, x->url.buf) != CURLE_OK)
		return "internal error: bad URL";
	return NULL;
}

static void start(struct sched *s, struct row *r, int64_t now)
{
	struct xfer *x = s->idle[--s->nidle];
	const char *err;

	x->row = r;
	strbuf_reset(&x->body);
	x->too_big = 0;
	x->prereqs = 0;
	x->resend_refused = 0;
	x->errbuf[0] = '\0';
	if (r->attempts == 0)
		r->first_ms = now;
	else
		s->st.retries++;
	r->attempts++;
	r->epoch = s->pace.epoch;

	err = prepare(s, x, &r->req);
	if (!err && curl_multi_add_handle(s->multi, x->easy) != CURLM_OK)
		err = "internal error: cannot add the transfer";
	if (err) {
		struct response res;

		memset(&res, 0, sizeof(res));
		res.kind = RESPONSE_TRANSPORT;
		res.attempts = r->attempts;
		res.error = err;
		release_xfer(s, x);
		deliver(s, r, &res, now);
		return;
	}
	s->st.requests++;
	s->st.in_flight++;
	if (s->st.in_flight > s->st.max_in_flight)
		s->st.max_in_flight = s->st.in_flight;
}

/* How long r waits for its next attempt: what the answer's Retry-After asks
 * (libcurl reads the header), else the full-jitter delay. */
static int64_t retry_wait_ms(struct sched *s, CURL *easy, const struct row *r)
{
	curl_off_t after_s = 0;
	int64_t after_ms = -1;

	if (curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &after_s) == CURLE_OK)
		after_ms = retry_after_ms((int64_t)after_s);
	return after_ms >= 0 ? after_ms :
		retry_delay_ms(r->attempts - 1, s->base_ms, s->cap_ms, &s->rnd);
}

/* The figures of one finished attempt of x's row: its latency, whether a
 * write may have been applied unseen (the create's reply lost), and the
 * pacing's view of the answer (every answer counts: the pacing judges the
 * share of 429s). Returns the HTTP status (0: none). */
static long account_attempt(struct sched *s, CURL *easy, struct xfer *x, CURLcode cc,
			    int64_t now)
{
	struct row *r = x->row;
	const struct api_route *rt = api_route(r->req.action);
	long status = 0, req_size = 0;
	curl_off_t total_us = 0;

	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &total_us);
	curl_easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &req_size);
	s->st.lat_buckets[lat_bucket((int64_t)total_us)]++;
	s->st.lat_count++;
	r->last_status = (int)status;

	if (rt && rt->may_apply_unseen &&
	    (cc != CURLE_OK ? retry_may_have_reached((int)cc, req_size > 0)
			    : retry_status_may_have_applied((int)status)))
		r->create_reply_lost = 1;
	if (cc == CURLE_OK) {
		if (status == 429)
			s->st.throttled++;
		if (pace_answer(&s->pace, now, status == 429, r->epoch))
			s->st.pace_cuts++;
	}
	s->st.pace_rate = s->pace.active ? s->pace.rate : 0;
	return status;
}

/* The response done() sees for x's attempt; its body stays x's (borrowed). */
static void fill_response(struct response *res, const struct xfer *x, CURLcode cc,
			  long status, int64_t now)
{
	const struct row *r = x->row;

	memset(res, 0, sizeof(*res));
	res->kind = cc == CURLE_OK && !x->too_big ? RESPONSE_HTTP : RESPONSE_TRANSPORT;
	res->http_status = (int)status;
	res->attempts = r->attempts;
	res->elapsed_ms = now - r->first_ms;
	res->body = x->body.buf;
	res->body_len = x->body.len;
	res->create_reply_lost = r->create_reply_lost;
	if (x->too_big)
		res->error = "response body larger than 1 MiB";
	else if (cc != CURLE_OK)
		res->error = curl_code_text((int)cc);   /* our words, never libcurl's (errbuf) */
}

/* One attempt is over: retry it later, or give the row its final answer. */
static void finish(struct sched *s, CURL *easy, CURLcode cc, int64_t now)
{
	struct xfer *x;
	char *priv = NULL;
	struct row *r;
	struct response res;
	long status;
	enum retry_class cls;
	const struct api_route *rt;
	CURLMcode mc;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
	x = (struct xfer *)(void *)priv;
	r = x->row;
	rt = api_route(r->req.action);
	if (x->resend_refused && cc == CURLE_ABORTED_BY_CALLBACK) {
		/* the request was sent on a connection that died before any answer
		 * (on_prereq): what CURLE_SEND_FAIL_REWIND said with a read callback,
		 * "the connection dropped before the reply" */
		cc = CURLE_SEND_FAIL_REWIND;
	}
	mc = curl_multi_remove_handle(s->multi, easy);
	if (mc != CURLM_OK)
		broken(s, "curl_multi_remove_handle", curl_multi_strerror(mc));
	s->st.in_flight--;

	status = account_attempt(s, easy, x, cc, now);
	cls = x->too_big ? RETRY_FATAL : retry_classify((int)cc, (int)status);
	fill_response(&res, x, cc, status, now);

	if (cls == RETRY_AUTH) {
		if (s->status == SCHED_DONE && !(rt && rt->own_refusal))
			error("the API refused the token (HTTP %ld): stopping the run", status);
		stop(s, SCHED_AUTH);
	} else if (cls == RETRY_AGAIN) {
		if (s->stopping) {
			res.kind = RESPONSE_ABORTED;
		} else if (r->attempts < s->conn->max_attempts) {
			int64_t due = now + retry_wait_ms(s, easy, r);

			if (due - r->first_ms <= s->conn->retry_max_time_ms) {
				release_xfer(s, x);
				heap_push(s, r, due);
				return;
			}
		}
	}
	deliver(s, r, &res, now);
	release_xfer(s, x);   /* after done(): res.body lives in x */
}

/* The second signal, or a broken multi handle: give up the attempts in
 * flight; why is their error text. */
static void abandon_in_flight(struct sched *s, int64_t now, const char *why)
{
	unsigned i;

	for (i = 0; i < s->nxfers; i++) {
		struct xfer *x = &s->xfers[i];
		struct row *r = x->row;
		struct response res;

		if (!r)
			continue;
		curl_multi_remove_handle(s->multi, x->easy);   /* failing or not: given up */
		s->st.in_flight--;
		memset(&res, 0, sizeof(res));
		res.kind = RESPONSE_ABORTED;
		res.attempts = r->attempts;
		res.elapsed_ms = now - r->first_ms;
		res.error = why;
		/* the answer may still have reached the server */
		res.create_reply_lost = r->create_reply_lost ||
			api_route(r->req.action)->may_apply_unseen;
		release_xfer(s, x);
		deliver(s, r, &res, now);
	}
}

/* The wait until both --rate and the pacing allow a send (0: now). */
static int64_t send_wait_ms(struct sched *s, int64_t now)
{
	int64_t a = rate_wait_ms(&s->rate, now), b = pace_wait_ms(&s->pace, now);

	return a > b ? a : b;
}

/* Starts due retries first, then new rows, while the pool (-j), the row
 * slots, --rate and the pacing allow. */
static void fill(struct sched *s, int64_t now)
{
	while (!s->stopping && s->nidle) {
		struct row *r;
		int from_heap = s->nheap && s->heap[0]->due_ms <= now;

		if (!from_heap && (s->input_done || s->later || !s->free_rows))
			break;
		if (send_wait_ms(s, now) > 0)
			break;
		if (from_heap) {
			r = heap_pop(s);
		} else {
			int rc;

			r = row_get(s);
			rc = s->cb.next(s->ctx, &r->req);
			if (rc != 1) {
				row_put(s, r);
				if (rc < 0)
					stop(s, SCHED_STOPPED);
				else if (rc == SCHED_NEXT_LATER)
					s->later = 1;
				else
					s->input_done = 1;
				break;
			}
		}
		rate_take(&s->rate, now);
		pace_sent(&s->pace, now);
		start(s, r, now);
	}
}

static long poll_timeout(struct sched *s, int64_t now, int64_t next_tick)
{
	int64_t t = next_tick - now;
	int can_start = !s->stopping && s->nidle;

	if (s->curl_due_ms >= 0 && s->curl_due_ms - now < t)
		t = s->curl_due_ms - now;
	if (can_start && s->nheap && s->heap[0]->due_ms - now < t)
		t = s->heap[0]->due_ms - now;
	if (can_start && (s->nheap || (!s->input_done && !s->later && s->free_rows))) {
		int64_t w = send_wait_ms(s, now);
		if (w > 0 && w < t)
			t = w;
	}
	if (t < 0)
		t = 0;
	if (t > TICK_MS)
		t = TICK_MS;
	return (long)t;
}

/* Waits up to timeout_ms for a socket libcurl watches, then lets libcurl work
 * on the ready sockets and on its timer if that is due. A failure of either
 * marks the engine broken (the run ends) instead of being waited on again. */
static void wait_and_work(struct sched *s, int timeout_ms)
{
	struct epoll_event evs[64];
	int n, i, running = 0;
	CURLMcode mc;

	n = epoll_wait(s->epfd, evs, 64, timeout_ms);
	if (n < 0 && errno != EINTR)   /* EINTR: a signal, seen by the loop */
		broken(s, "epoll_wait", strerror(errno));
	for (i = 0; i < n; i++) {
		int fd = evs[i].data.fd;
		if (!(*fd_state(s, fd) & FD_WATCHED)) {
			/* an idle pooled connection spoke (closed): stop watching it */
			epoll_ctl(s->epfd, EPOLL_CTL_DEL, fd, NULL);
			s->fdstate[fd] = 0;
			continue;
		}
		int mask = (evs[i].events & EPOLLIN ? CURL_CSELECT_IN : 0) |
			   (evs[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
			   (evs[i].events & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0);
		mc = s->socket_action(s->multi, fd, mask, &running);
		/* a socket an earlier event of this batch closed is no failure */
		if (mc != CURLM_OK && mc != CURLM_BAD_SOCKET)
			broken(s, "curl_multi_socket_action", curl_multi_strerror(mc));
	}
	if (s->curl_due_ms >= 0 && s->now(s->now_ctx) >= s->curl_due_ms) {
		s->curl_due_ms = -1;
		mc = s->socket_action(s->multi, CURL_SOCKET_TIMEOUT, 0, &running);
		if (mc != CURLM_OK)
			broken(s, "curl_multi_socket_action", curl_multi_strerror(mc));
	}
}

enum sched_status sched_run(struct sched *s)
{
	int sig0 = sched_signals(), abandoned = 0;
	int64_t now = s->now(s->now_ctx), next_tick;

	if (s->setup_failed)
		return SCHED_SETUP;
	s->st.start_ms = now;
	next_tick = now + TICK_MS;
	rate_init(&s->rate, s->conn->rate, now);
	pace_init(&s->pace, now);

	for (;;) {
		int left = 0, sigs = sched_signals() - sig0;
		CURLMsg *msg;

		now = s->now(s->now_ctx);
		if (sigs >= 1 && !s->stopping) {
			if (s->st.in_flight)
				warning("interrupted: waiting for %u request%s in flight "
					"(interrupt again to abandon %s)", s->st.in_flight,
					s->st.in_flight == 1 ? "" : "s",
					s->st.in_flight == 1 ? "it" : "them");
			stop(s, SCHED_SIGNAL);
		} else if (sigs >= 1) {
			stop(s, SCHED_SIGNAL);
		}
		if (sigs >= 2 && !abandoned) {
			abandoned = 1;
			if (s->st.in_flight)
				warning("abandoning %u request%s in flight", s->st.in_flight,
					s->st.in_flight == 1 ? "" : "s");
			abandon_in_flight(s, now, "abandoned in flight: the run was interrupted");
		}
		if (s->stopping)
			abort_waiting(s, now);
		fill(s, now);
		if (s->stopping)
			abort_waiting(s, now);   /* done() of a failed start may stop */
		if (s->later && !s->stopping && !s->st.in_flight && !s->nheap) {
			/* no row left whose done() could change next()'s answer */
			error("internal error: the engine was told to wait for a request "
			      "with none in flight or waiting; stopping the run");
			stop(s, SCHED_STOPPED);
		}
		if (!s->st.in_flight && !s->nheap && (s->input_done || s->stopping))
			break;

		wait_and_work(s, (int)poll_timeout(s, now, next_tick));
		now = s->now(s->now_ctx);
		while ((msg = curl_multi_info_read(s->multi, &left))) {
			if (msg->msg == CURLMSG_DONE) {
				CURL *easy = msg->easy_handle;   /* msg dies with the removal */
				CURLcode cc = msg->data.result;
				finish(s, easy, cc, now);
			}
		}
		if (s->broken && !abandoned) {
			abandoned = 1;
			abandon_in_flight(s, now, "abandoned in flight: the request engine failed");
		}
		if (now >= next_tick) {
			next_tick = now + TICK_MS;
			if (s->cb.tick)
				s->cb.tick(s->ctx);
		}
	}
	if (s->cb.tick)
		s->cb.tick(s->ctx);
	return s->status;
}
