/*
 * conn.c - the connection and scheduling options of import, export and delete,
 * parsed and checked in one place (see conn.h), and the URL policy: plain
 * http:// only to a loopback host unless --insecure-http, decided from the URL's
 * text alone, without any network access (no DNS lookup: "localhost" is the
 * only name taken as loopback).
 *
 * The token comes from PANTHER_API_TOKEN or --token-file, never from argv. It
 * lives only in conn_opts.token and is wiped before it is freed.
 */
#include "conn.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <curl/curl.h>

#include "util.h"

void conn_opts_init(struct conn_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->concurrency = 8;
	o->rate = 0;
	o->max_attempts = 5;
	o->timeout_ms = 30000;
	o->retry_max_time_ms = 300000;
}

static void wipe_free(char *s)
{
	if (!s)
		return;
	volatile char *p = s;
	while (*p)
		*p++ = '\0';
	free(s);
}

void conn_opts_release(struct conn_opts *o)
{
	free(o->api_url);
	wipe_free(o->token);
	free(o->token_file);
	free(o->cacert);
	memset(o, 0, sizeof(*o));
}

/* Parses a whole integer in [lo, hi]. */
static int parse_int(const char *opt, const char *arg, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < lo || v > hi) {
		error("%s '%s': use a whole number from %ld to %ld", opt, arg, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

/* Parses a decimal number in [lo, hi] (strtod alone would also take "0x10"
 * and "inf": a decimal is digits, one '.', an exponent). */
static int parse_num(const char *opt, const char *arg, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < lo || v > hi ||
	    arg[strspn(arg, "0123456789.eE+-")]) {
		error("%s '%s': use a number from %g to %g", opt, arg, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static void set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = xstrdup(src);
}

int conn_opts_handle(struct conn_opts *o, int opt, const char *arg)
{
	long n;
	double d;

	switch (opt) {
	case CONN_OPT_API_URL:
		set_str(&o->api_url, arg);
		return 1;
	case CONN_OPT_TOKEN_FILE:
		set_str(&o->token_file, arg);
		return 1;
	case CONN_OPT_TOKEN:
		error("option '--token' does not exist: the token is never given on the command line "
		      "(it would show in the process list); set PANTHER_API_TOKEN or use --token-file PATH");
		return -1;
	case CONN_OPT_INSECURE:
		error("option '--insecure' does not exist: TLS verification is never switched off "
		      "(use --cacert PATH for a private CA; --insecure-http allows plain http:// "
		      "to a non-loopback host)");
		return -1;
	case 'j':
		if (parse_int("--concurrency", arg, 1, 64, &n))
			return -1;
		o->concurrency = (int)n;
		return 1;
	case CONN_OPT_RATE:
		if (parse_num("--rate", arg, 0, 100000, &d))
			return -1;
		o->rate = d;
		return 1;
	case CONN_OPT_MAX_ATTEMPTS:
		if (parse_int("--max-attempts", arg, 1, 100, &n))
			return -1;
		o->max_attempts = (int)n;
		return 1;
	case CONN_OPT_TIMEOUT:
		if (parse_num("--timeout", arg, 0.001, 3600, &d))
			return -1;
		o->timeout_ms = (long)llround(d * 1000);
		if (o->timeout_ms < 1)
			o->timeout_ms = 1;
		return 1;
	case CONN_OPT_RETRY_MAX_TIME:
		if (parse_num("--retry-max-time", arg, 0, 86400, &d))
			return -1;
		o->retry_max_time_ms = (long)llround(d * 1000);
		return 1;
	case CONN_OPT_CACERT:
		set_str(&o->cacert, arg);
		return 1;
	case CONN_OPT_INSECURE_HTTP:
		o->insecure_http = 1;
		return 1;
	}
	return 0;
}

char *api_url_normalize(const char *url)
{
	size_t len = strlen(url);
	for (;;) {
		static const char gql[] = "/public/graphql";
		size_t glen = sizeof(gql) - 1;
		if (len && url[len - 1] == '/') {
			len--;
		} else if (len >= glen && !strncasecmp(url + len - glen, gql, glen)) {
			len -= glen;
		} else {
			break;
		}
	}
	return xstrndup(url, len);
}

static int host_is_loopback(const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (!strcasecmp(host, "localhost") || !strcasecmp(host, "localhost."))
		return 1;
	if (inet_pton(AF_INET, host, buf) == 1)
		return buf[0] == 127;
	/* curl gives IPv6 hosts with their brackets */
	size_t len = strlen(host);
	if (len > 2 && host[0] == '[' && host[len - 1] == ']') {
		char inner[64];
		if (len - 2 >= sizeof(inner))
			return 0;
		memcpy(inner, host + 1, len - 2);
		inner[len - 2] = '\0';
		char *zone = strchr(inner, '%');
		if (zone)
			*zone = '\0';
		struct in6_addr a6;
		if (inet_pton(AF_INET6, inner, &a6) != 1)
			return 0;
		if (IN6_IS_ADDR_LOOPBACK(&a6))
			return 1;
		/* ::ffff:127.x.y.z */
		return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
	}
	return 0;
}

int url_policy_check(const char *url, int insecure_http, char *err, size_t errlen)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int rc = -1;

	if (!u)
		die("cannot allocate a URL parser");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		snprintf(err, errlen, "'%s' is not a valid URL (expected https://HOST[/PATH])", url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		snprintf(err, errlen, "'%s' has no scheme or host", url);
		goto out;
	}
	char *query = NULL;
	if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK) {
		curl_free(query);
		snprintf(err, errlen, "the API URL must not have a query string");
		goto out;
	}
	if (!strcasecmp(scheme, "https")) {
		rc = 0;
	} else if (!strcasecmp(scheme, "http")) {
		if (host_is_loopback(host) || insecure_http)
			rc = 0;
		else
			snprintf(err, errlen,
				 "refusing plain http:// to non-loopback host '%s': the token would travel "
				 "unencrypted (use https://, or --insecure-http if you really mean it)", host);
	} else {
		snprintf(err, errlen, "unsupported URL scheme '%s' (use https://)", scheme);
	}
out:
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

/* Reads the first line of path into a new string, trimmed. */
static char *read_token_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		error("cannot read token file '%s': %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077))
		warning("token file '%s' is readable by group or others (chmod 600 '%s')", path, path);

	struct strbuf sb = STRBUF_INIT;
	char buf[512];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && sb.len < 65536)
		strbuf_add(&sb, buf, n);
	int bad = ferror(f);
	fclose(f);
	memset(buf, 0, sizeof(buf));
	if (bad) {
		error("cannot read token file '%s'", path);
		wipe_free(strbuf_detach(&sb, NULL));
		return NULL;
	}
	char *tok = strbuf_detach(&sb, NULL);
	char *nl = strpbrk(tok, "\r\n");
	if (nl)
		*nl = '\0';
	size_t len = strlen(tok);
	while (len && isspace((unsigned char)tok[len - 1]))
		tok[--len] = '\0';
	size_t lead = strspn(tok, " \t");
	if (lead)
		memmove(tok, tok + lead, len - lead + 1);
	return tok;
}

static int token_is_sane(const char *t)
{
	for (const unsigned char *p = (const unsigned char *)t; *p; p++)
		if (*p < 0x21 || *p == 0x7f)
			return 0;
	return 1;
}

static int conn_popt(const struct popt *opt, void *ctx, const char *arg)
{
	return conn_opts_handle(ctx, (int)opt->defval, arg) < 0 ? -1 : 0;
}

#define CONN_OPT(s, l, a, code, h) POPT_CALLBACK(s, l, NULL, a, conn_popt, code, h)

const struct popt conn_popts[] = {
	POPT_GROUP("Connection and scheduling:"),
	CONN_OPT(0, "api-url", "URL", CONN_OPT_API_URL, "Panther API base URL (env PANTHER_API_URL)"),
	CONN_OPT(0, "token-file", "PATH", CONN_OPT_TOKEN_FILE,
		 "read the API token from PATH (else env PANTHER_API_TOKEN)"),
	CONN_OPT('j', "concurrency", "N", 'j', "requests in flight at once, 1..64 (default 8)"),
	CONN_OPT(0, "rate", "R", CONN_OPT_RATE, "at most R requests per second, 0 = no limit (default 0)"),
	CONN_OPT(0, "max-attempts", "N", CONN_OPT_MAX_ATTEMPTS,
		 "attempts per request, first included, 1..100 (default 5)"),
	CONN_OPT(0, "timeout", "SEC", CONN_OPT_TIMEOUT, "one attempt's limit, 0.001..3600 (default 30)"),
	CONN_OPT(0, "retry-max-time", "SEC", CONN_OPT_RETRY_MAX_TIME,
		 "no new attempt after this long since a row's first, 0..86400 (default 300)"),
	CONN_OPT(0, "cacert", "PATH", CONN_OPT_CACERT,
		 "extra CA bundle (TLS verification is never switched off)"),
	CONN_OPT(0, "insecure-http", NULL, CONN_OPT_INSECURE_HTTP, "allow http:// to a non-loopback host"),
	/* refused with a message: the token never goes on the command line, and
	 * getopt would take "--insecure" for --insecure-http */
	CONN_OPT(0, "token", "TOKEN", CONN_OPT_TOKEN, NULL),
	CONN_OPT(0, "insecure", NULL, CONN_OPT_INSECURE, NULL),
	POPT_END(),
};

int conn_opts_finish(struct conn_opts *o)
{
	char err[512];

	if (!o->api_url) {
		const char *env = getenv("PANTHER_API_URL");
		if (!env || !*env) {
			error("no API URL: set PANTHER_API_URL or use --api-url URL");
			return -1;
		}
		o->api_url = xstrdup(env);
	}
	char *norm = api_url_normalize(o->api_url);
	free(o->api_url);
	o->api_url = norm;
	if (url_policy_check(o->api_url, o->insecure_http, err, sizeof(err))) {
		error("--api-url: %s", err);
		return -1;
	}

	if (o->token_file) {
		o->token = read_token_file(o->token_file);
		if (!o->token)
			return -1;
	} else {
		const char *env = getenv("PANTHER_API_TOKEN");
		if (!env || !*env) {
			error("no API token: set PANTHER_API_TOKEN or use --token-file PATH");
			return -1;
		}
		o->token = xstrdup(env);
	}
	if (!*o->token) {
		error("the API token is empty");
		return -1;
	}
	if (!token_is_sane(o->token)) {
		/* do not echo it */
		error("the API token holds spaces or control characters");
		return -1;
	}
	if (o->cacert) {
		struct stat st;
		if (stat(o->cacert, &st) != 0) {
			error("--cacert: cannot read '%s': %s", o->cacert, strerror(errno));
			return -1;
		}
	}
	return 0;
}
