/*
 * retry.h - the retry policy of the request engine, kept pure (no I/O, no
 * clock, no global random state) so that every decision is table-tested:
 * which attempt outcomes are retried, how long to wait before the next attempt
 * (full jitter with an injected random source), how long a Retry-After may
 * make it wait, and whether a create whose answer was lost may have reached the
 * server (spec: "Connection and scheduling options").
 */
#ifndef S3SRC_RETRY_H
#define S3SRC_RETRY_H

#include <stdint.h>

/* The verdict on one finished attempt. */
enum retry_class {
	RETRY_FINAL = 0,    /* an answer to keep: 1xx-3xx, 2xx, any 4xx but those below */
	RETRY_AGAIN,        /* transient: connection failure, timeout, 408/429/500/502/503/504 */
	RETRY_AUTH,         /* 401/403: the token is bad, stop the whole run */
	RETRY_FATAL,        /* a transport error that another attempt cannot fix
	                     * (bad URL, TLS verification failed, body too large) */
};

#define RETRY_BASE_MS 250
#define RETRY_CAP_MS 20000
#define RETRY_AFTER_MAX_MS 300000

/* curl_code is the attempt's CURLcode (0 = CURLE_OK: an HTTP answer was
 * received and http_status holds its status). */
enum retry_class retry_classify(int curl_code, int http_status);

/* 1 if a transport failure of an attempt may have reached the server, so its
 * effect (a create) may have happened although no answer came back: a timeout,
 * a reset/empty reply after the request was sent (request_sent != 0), or
 * CURLE_SEND_FAIL_REWIND (the request died on a reused connection and libcurl
 * was not allowed to send it again by itself: see sched.c). A
 * failure to resolve or to connect never reached it. */
int retry_may_have_reached(int curl_code, int request_sent);
/* 1 if an HTTP answer to a write may come after the write was applied: 500,
 * 502 and 504 are what a gateway or a load balancer answers when the service
 * behind it failed or was slow, possibly after it stored the source. (503,
 * 429 and the 4xx say the request was not processed.) A create answered so
 * and then 409 on its retry is looked up by label like a lost reply. */
int retry_status_may_have_applied(int http_status);

/* An injected source of uniformly distributed 64-bit numbers. */
struct retry_random {
	uint64_t (*next)(void *ctx);
	void *ctx;
};
/* The default source: xorshift64* in *state (seed it with anything non-zero). */
uint64_t retry_xorshift(void *state);

/* Full jitter: a uniform delay in [0, min(cap_ms, base_ms * 2^attempt)] ms.
 * attempt is 0 for the delay after the first failed attempt, 1 after the
 * second, and so on. */
int64_t retry_delay_ms(int attempt, int64_t base_ms, int64_t cap_ms,
		       const struct retry_random *rnd);

/* The delay a Retry-After asks for, from libcurl's reading of the header
 * (CURLINFO_RETRY_AFTER: seconds, delta-seconds or an HTTP-date from now; 0
 * when there is none or it cannot be read): secs x 1000 clamped to
 * RETRY_AFTER_MAX_MS, or -1 when secs <= 0 (no usable header, "0", a date
 * already past: the computed delay is used). */
int64_t retry_after_ms(int64_t secs);

#endif
