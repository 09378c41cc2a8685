/*
 * conn.h - the connection and scheduling options shared by import, export and
 * delete (spec: "Connection and scheduling options"), parsed and checked in one
 * place. A command includes conn_popts in its option table
 * (POPT_INCLUDE(conn_popts, &conn), parse_options.h), then calls
 * conn_opts_finish() once to read the environment and the token file and
 * apply the URL policy.
 *
 * The token is held only in conn_opts.token. It is never printed; conn_opts_release()
 * wipes it before freeing.
 */
#ifndef S3SRC_CONN_H
#define S3SRC_CONN_H

#include <stddef.h>

#include "parse_options.h"

struct conn_opts {
	char *api_url;          /* base URL, trailing '/' and '/public/graphql' stripped */
	char *token;            /* secret: never print */
	char *token_file;
	int concurrency;        /* 1..64, default 8 */
	double rate;            /* requests per second, 0 = no limit */
	int max_attempts;       /* >= 1, default 5 */
	long timeout_ms;        /* one attempt, default 30000 */
	long retry_max_time_ms; /* default 300000 */
	char *cacert;
	int insecure_http;
};

/* What conn_opts_handle() is asked to do: one code per option. */
enum {
	CONN_OPT_API_URL = 1000,
	CONN_OPT_TOKEN_FILE,
	CONN_OPT_RATE,
	CONN_OPT_MAX_ATTEMPTS,
	CONN_OPT_TIMEOUT,
	CONN_OPT_RETRY_MAX_TIME,
	CONN_OPT_CACERT,
	CONN_OPT_INSECURE_HTTP,
	CONN_OPT_TOKEN,         /* refused with a message: the token never goes on the command line */
	CONN_OPT_INSECURE,      /* refused: getopt would take "--insecure" for --insecure-http */
	CONN_OPT__END
};

/* The connection options' table, the help's "Connection and scheduling:"
 * block; include it with the struct conn_opts its callbacks fill. */
extern const struct popt conn_popts[];

void conn_opts_init(struct conn_opts *o);
void conn_opts_release(struct conn_opts *o);
/* Returns 1 if opt was a connection option (handled), 0 if not one, -1 on a bad
 * value (message printed: names the option and the accepted range). */
int conn_opts_handle(struct conn_opts *o, int opt, const char *arg);
/* Fills defaults from the environment, reads the token file, checks the URL
 * policy. Returns 0, or -1 with a message printed (exit 2). */
int conn_opts_finish(struct conn_opts *o);

/* URL policy, pure (no network): 0 if url may be used, -1 with a reason in err. */
int url_policy_check(const char *url, int insecure_http, char *err, size_t errlen);
/* Returns a new string: url without trailing '/' and '/public/graphql'. */
char *api_url_normalize(const char *url);

#endif
