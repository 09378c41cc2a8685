/*
 * retry.c - the retry policy: classification of an attempt's outcome, the
 * full-jitter backoff delay and the clamp of a Retry-After (libcurl reads the
 * header: CURLINFO_RETRY_AFTER). Pure functions: the random source comes from
 * the caller, so the tests can pin it. The scheduler (sched.c) is the only
 * user.
 *
 * Classification follows the contract: connection failures, timeouts and HTTP
 * 408, 429, 500, 502, 503, 504 are retried; no other 4xx ever is; 401 and 403
 * stop the run. Transport errors that a new attempt cannot fix (a malformed
 * URL, a certificate that does not verify, an oversized body) are final.
 */
#include <curl/curl.h>
#include <stdlib.h>

#include "retry.h"

/* The connection broke or the answer made no sense while a request and its
 * reply were under way: retried, and a write may have reached the server if
 * its request went out. */
static int dropped_mid_exchange(int curl_code)
{
	switch (curl_code) {
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_HTTP3:
	case CURLE_WEIRD_SERVER_REPLY:
		return 1;
	default:
		return 0;
	}
}

enum retry_class retry_classify(int curl_code, int http_status)
{
	if (curl_code != CURLE_OK) {
		switch (curl_code) {
		case CURLE_COULDNT_RESOLVE_HOST:
		case CURLE_COULDNT_RESOLVE_PROXY:
		case CURLE_COULDNT_CONNECT:
		case CURLE_OPERATION_TIMEDOUT:
		case CURLE_SSL_CONNECT_ERROR:
		case CURLE_AGAIN:
		case CURLE_SEND_FAIL_REWIND:
			return RETRY_AGAIN;
		default:
			return dropped_mid_exchange(curl_code) ? RETRY_AGAIN : RETRY_FATAL;
		}
	}
	switch (http_status) {
	case 401:
	case 403:
		return RETRY_AUTH;
	case 408:
	case 429:
	case 500:
	case 502:
	case 503:
	case 504:
		return RETRY_AGAIN;
	default:
		return RETRY_FINAL;
	}
}

int retry_may_have_reached(int curl_code, int request_sent)
{
	switch (curl_code) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_FAIL_REWIND:   /* sent on a reused connection that died */
		return 1;
	default:
		return dropped_mid_exchange(curl_code) && request_sent;
	}
}

int retry_status_may_have_applied(int http_status)
{
	return http_status == 500 || http_status == 502 || http_status == 504;
}

uint64_t retry_xorshift(void *state)
{
	uint64_t *s = state;
	uint64_t x = *s ? *s : 0x9e3779b97f4a7c15ULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

int64_t retry_delay_ms(int attempt, int64_t base_ms, int64_t cap_ms,
		       const struct retry_random *rnd)
{
	int64_t ceiling = base_ms;

	if (base_ms <= 0 || cap_ms <= 0)
		return 0;
	if (attempt < 0)
		attempt = 0;
	/* doubling stops at the cap, so no overflow however large attempt is */
	while (attempt-- > 0 && ceiling < cap_ms)
		ceiling *= 2;
	if (ceiling > cap_ms)
		ceiling = cap_ms;
	return (int64_t)(rnd->next(rnd->ctx) % (uint64_t)(ceiling + 1));
}

int64_t retry_after_ms(int64_t secs)
{
	if (secs <= 0)
		return -1;
	if (secs > RETRY_AFTER_MAX_MS / 1000)
		return RETRY_AFTER_MAX_MS;
	return secs * 1000;
}
