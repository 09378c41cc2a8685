/*
 * http.h - fake-panther's HTTP side (libmicrohttpd): the daemon's settings
 * and its start and stop. See http.c.
 */
#ifndef FAKE_PANTHER_HTTP_H
#define FAKE_PANTHER_HTTP_H

#include <stdatomic.h>
#include <stdint.h>

#include "fake.h"
#include "ratelimit.h"

struct MHD_Daemon;

struct http_ctx {
	struct store *store;         /* borrowed */
	const char *token;           /* borrowed; never printed */
	struct fault_config faults;
	int verbose;                 /* one line per API request on stderr */
	unsigned page_size;          /* GraphQL listing page size (--page-size) */
	int listing_fail;            /* --listing-fail: 0 none, 403, 404, or -1 (errors) */
	const char *tls_cert;        /* PEM text (borrowed), NULL: plain HTTP */
	const char *tls_key;         /* PEM text (borrowed), set with tls_cert */
	_Atomic uint64_t seed;
	_Atomic uint64_t seq;        /* API requests seen since start or reset */
	atomic_int stopping;         /* set before http_stop: sleeps and hangs end */
	struct ratelimit limit;      /* --rate-limit: every API request takes a token */
	int limit_retry_after;       /* Retry-After of its 429s: seconds, -1 none,
	                              * -2 the time to the next token */
};

/* Starts the daemon on 127.0.0.1:port (0 picks a free port) in thread-per-
 * connection mode, over TLS when ctx->tls_cert is set; *bound receives the
 * port. Returns NULL on failure. */
struct MHD_Daemon *http_start(struct http_ctx *ctx, unsigned port, unsigned *bound);
/* Ends the sleeps and hangs, closes every connection, joins the threads. */
void http_stop(struct http_ctx *ctx, struct MHD_Daemon *d);

#endif
