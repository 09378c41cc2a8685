/*
 * engine.h - the request engine (src/engine/sched.c): runs HTTP requests against the Panther API on
 * libcurl's multi interface, at most `concurrency` in flight, with retry,
 * full-jitter backoff, Retry-After, a token bucket for --rate, pacing to the
 * server's rate once it answers 429 (pace.h), and an abort on 401/403 or a
 * signal (spec: "Connection and scheduling options").
 *
 * The caller feeds requests through a pull callback, so rows stream from the
 * reader into the engine and out to the writers: memory is bounded by the
 * concurrency plus the retries waiting on their timers, never by the number of
 * rows: at most 2 x -j rows are held (in flight or waiting for a retry); when
 * they are all taken, next() is not called. The caller can hold back too:
 * next() answers SCHED_NEXT_LATER and is asked again after a row finishes. The loop is curl's tool_operate.c
 * shape: add transfers up to the limit, wait (epoll, curl_multi_socket_action),
 * drain curl_multi_info_read, then requeue (retry) or finish.
 *
 * A 401/403 prints one error line ("the API refused the token (HTTP 401)...")
 * and stops the run; the first signal prints a warning when requests are in
 * flight; a failing libcurl multi call (or the wait for its sockets) prints
 * one error line and ends the run (SCHED_STOPPED), the requests in flight
 * ABORTED. Nothing else is printed: the rest is the caller's (via done()).
 *
 * (Named engine.h, not sched.h: a header named like the system's <sched.h>
 * hid it from every file that includes <pthread.h>.)
 */
#ifndef S3SRC_ENGINE_H
#define S3SRC_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <curl/curl.h>
#include "s3src.h"
#include "conn.h"

/* One row's HTTP work. The engine does not interpret it: api_route(action)
 * (api.h) gives the method, the path and whether the ID and the body go with
 * it. A LIST (the GraphQL listing) is a read, so a lost reply is simply
 * retried, and its 401/403 stops the run without the engine's "refused the
 * token" line: the listing says what it was refused. */
struct request {
	enum action action;
	const char *id;          /* borrowed until done() returns */
	const char *body;        /* JSON request body or NULL (borrowed until done()) */
	size_t body_len;
	void *user;              /* the caller's (e.g. its struct source) */
};

enum response_kind {
	RESPONSE_HTTP = 0,       /* an HTTP answer (any status): see http_status */
	RESPONSE_TRANSPORT,      /* no answer: connection failure, reset, timeout */
	RESPONSE_NOT_STARTED,    /* never attempted (run aborted before) */
	RESPONSE_ABORTED,        /* attempted, not finished: the run was aborted */
};

struct response {
	enum response_kind kind;
	int http_status;         /* final status, 0 if none */
	int attempts;            /* attempts made */
	int64_t elapsed_ms;      /* first attempt's start to outcome */
	const char *body;        /* response body, NUL-terminated, capped (borrowed) */
	size_t body_len;
	const char *error;       /* transport error text, or NULL (borrowed) */
	/* A create attempt may have reached the server and its answer was lost
	 * (reset after sending, timeout): a later 409 means it was probably created. */
	int create_reply_lost;
};

struct sched_callbacks {
	/* The engine has room: fill *req and return 1; 0 when there is no more
	 * input; -1 to stop the run (fatal, e.g. input error);
	 * SCHED_NEXT_LATER when there is no request for now but the input is not
	 * finished (back-pressure: export waits for an earlier ID). The engine
	 * then goes on with the rows it has (in flight, waiting for a retry) and
	 * asks again once a row's done() has returned. Saying LATER while no row
	 * is in flight or waiting is the caller's bug: nothing could change its
	 * mind, so the run ends (an error line, SCHED_STOPPED). */
	int (*next)(void *ctx, struct request *req);
	/* A request is finished. Return 1 after refilling *req with a follow-up
	 * request for the same row (delete: GET then DELETE), 0 if the row is done,
	 * -1 to stop the run (e.g. the results file cannot be written). A
	 * follow-up starts afresh (its own attempts, elapsed time, retry budget)
	 * and, if the run is stopping, gets its own NOT_STARTED done(). res and
	 * res->body are valid only during the call. */
	int (*done)(void *ctx, struct request *req, const struct response *res);
	/* Optional: called a few times per second for the progress line. */
	void (*tick)(void *ctx);
};

/* next()'s "no request for now, ask again after a row finishes". */
#define SCHED_NEXT_LATER 2

struct sched_stats {
	uint64_t requests;       /* attempts started */
	uint64_t retries;        /* attempts that were retries */
	unsigned retrying;       /* rows waiting on a retry timer now */
	unsigned in_flight;
	unsigned limit;          /* the in-flight bound (-j) */
	unsigned max_in_flight;
	uint64_t throttled;      /* 429 answers */
	unsigned pace_cuts;      /* times a 429 cut the send rate */
	double pace_rate;        /* the paced send rate now (requests/s), 0: not paced */
	uint64_t lat_count;      /* latency histogram of completed attempts: */
	uint32_t lat_buckets[64];/* log scale, 3 buckets per doubling from 32 us */
	int64_t start_ms;
};

/* Response bodies beyond this size fail the attempt ("response body larger than 1 MiB"). */
#define SCHED_BODY_MAX (1024 * 1024)

enum sched_status {
	SCHED_DONE = 0,          /* input exhausted, every request finished */
	SCHED_AUTH = 1,          /* 401/403: stopped */
	SCHED_SIGNAL = 2,        /* SIGINT/SIGTERM */
	SCHED_STOPPED = 3,       /* a callback returned -1, a libcurl multi call
				  * failed, or next() said LATER with no row
				  * left to wait for (its error line printed) */
	SCHED_SETUP = 4,         /* libcurl could not be set up */
};

struct sched;

/* conn and cb are borrowed for the life of the scheduler. Never NULL: a
 * libcurl set-up failure is printed and sched_run() returns SCHED_SETUP. */
struct sched *sched_new(const struct conn_opts *conn, const struct sched_callbacks *cb, void *ctx);
/* Runs until the input is exhausted and every request finished, or aborted.
 * Every request handed out by next() gets exactly one final done() (kind
 * NOT_STARTED/ABORTED when the run is aborted before it finishes). */
enum sched_status sched_run(struct sched *s);
/* The engine's figures now (a copy: read it again for newer ones). */
struct sched_stats sched_stats(const struct sched *s);
/* Adds the figures of from to into (one command's engine runs, e.g. delete's
 * fetch and DELETE phases): counts and the latency histogram summed, the peak
 * kept, the first start kept, the current gauges (retrying, in flight, limit)
 * from from. */
void sched_stats_add(struct sched_stats *into, const struct sched_stats *from);
/* Latency quantile (q in 0..1) in ms (fractional: local servers answer in
 * well under a millisecond) from the histogram; 0 when nothing completed. */
double sched_latency_quantile(const struct sched_stats *st, double q);
/* For the tests: the backoff base and cap (default 250 ms, 20 s) and the seed
 * of the jitter's random source. Call before sched_run. */
void sched_set_backoff(struct sched *s, int64_t base_ms, int64_t cap_ms, uint64_t seed);
/* For the tests: the engine's clock in ms (now_ms() by default; NULL
 * restores it), read for its timers, retry delays, --rate and pacing tokens
 * and elapsed times (libcurl's own timeouts keep libcurl's clock). Call
 * before sched_run. */
void sched_set_clock(struct sched *s, int64_t (*now)(void *ctx), void *ctx);
/* For the tests: what drives libcurl on a ready socket or its timer
 * (curl_multi_socket_action; NULL restores it), so a test can make it fail. */
void sched_set_socket_action(struct sched *s,
			     CURLMcode (*fn)(CURLM *multi, curl_socket_t fd, int mask, int *running));
void sched_free(struct sched *s);

/* Installs SIGINT/SIGTERM/SIGHUP handlers (all three alike): the first stops
 * new requests, the second abandons those in flight. SIGPIPE is ignored. */
void sched_install_signals(void);
/* Number of signals received so far. */
int sched_signals(void);

#endif
