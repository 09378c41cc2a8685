/*
 * main.c - fake-panther, the local stand-in for Panther's S3 log source API:
 * the options, the daemon's life and the signals.
 *
 * It parses the options (see usage() and docs/fake-panther.md), starts the
 * libmicrohttpd daemon on 127.0.0.1, prints "listening on 127.0.0.1:PORT" and
 * writes the port to --port-file (via a temporary file and a rename, so that
 * a test polling for the file never reads half of it). Then the main thread
 * waits in sigwait() for SIGINT or SIGTERM; both signals are blocked before
 * the daemon starts so that its threads inherit the mask and only this thread
 * takes them. On a signal it stops the daemon (which ends sleeps and hangs,
 * closes the connections and joins their threads) and frees the state.
 */
#include "fake.h"
#include "http.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <microhttpd.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fputs("usage: fake-panther [options]\n"
	      "\n"
	      "A local stand-in for Panther's S3 log source API (in memory), on 127.0.0.1.\n"
	      "\n"
	      "  --port N               port to listen on; 0 picks a free one (default 8080)\n"
	      "  --port-file PATH       write the port there once listening\n"
	      "  --token TOKEN          the X-API-Key to accept (default: $FAKE_PANTHER_TOKEN,\n"
	      "                         else \"test-token\")\n"
	      "  --seed N               seed of the fault decisions (default 1) and of the ids\n"
	      "                         (without it the ids are random per instance)\n"
	      "  --latency-ms N[:J]     delay every API reply by N ms (default 0), J the jitter\n"
	      "  --latency-jitter-ms J  plus or minus up to J ms (default 0)\n"
	      "  --fail-rate R          reply 500/502/503/504 (R in 0..1)\n"
	      "  --throttle-rate R      reply 429 with Retry-After\n"
	      "  --retry-after SEC      the Retry-After value (default 1)\n"
	      "  --reset-rate R         drop the connection, no reply, nothing applied\n"
	      "  --ghost-rate R         apply the write, then drop the connection\n"
	      "  --hang-rate R          never reply; hold the connection until the client\n"
	      "                         gives up or --hang-max-ms (default 60000) passes\n"
	      "  --hang-max-ms N        the cap on a hang\n"
	      "  --bad-reply-rate R     mangle the reply as --bad-reply-kind says\n"
	      "  --bad-reply-kind K     html, garbage, huge, truncated, noid, status200 or otherid\n"
	      "                         (default garbage)\n"
	      "  --page-size N          sources per page of the GraphQL listing (default 50)\n"
	      "  --other-sources N      add N sources of other kinds (SQS, HTTP) that only the\n"
	      "                         GraphQL listing shows (default 0)\n"
	      "  --listing-fail KIND    make every listing fail: 403, 404 or errors (200 with a\n"
	      "                         GraphQL error)\n"
	      "  --rate-limit R         at most R API requests per second, server-wide (a\n"
	      "                         token bucket); the others get 429 at once\n"
	      "  --rate-burst B         the bucket's size (default R, at least 1)\n"
	      "  --rate-limit-retry-after SEC|auto|none\n"
	      "                         Retry-After of those 429s: fixed, the time to the\n"
	      "                         next token, or no header (default none)\n"
	      "  --tls-cert PATH        serve HTTPS with this PEM certificate (with --tls-key)\n"
	      "  --tls-key PATH         the PEM private key of --tls-cert\n"
	      "  --verbose              log each API request and libmicrohttpd's messages\n"
	      "  --help                 show this help\n"
	      "\n"
	      "The rates apply to the four API operations and the GraphQL listing (ghosts\n"
	      "to writes only) and add up to at most 1.\n"
	      "Control endpoints (no auth, no faults): GET /_fake/state, POST /_fake/reset,\n"
	      "POST /_fake/seed {\"seed\": N}.\n", out);
}

enum {
	OPT_PORT = 256, OPT_PORT_FILE, OPT_TOKEN, OPT_SEED, OPT_LATENCY, OPT_JITTER,
	OPT_FAIL, OPT_THROTTLE, OPT_RETRY_AFTER, OPT_RESET, OPT_GHOST, OPT_HANG,
	OPT_HANG_MAX, OPT_BAD_RATE, OPT_BAD_KIND, OPT_TLS_CERT, OPT_TLS_KEY, OPT_VERBOSE, OPT_HELP,
	OPT_PAGE_SIZE, OPT_OTHER_SOURCES, OPT_LISTING_FAIL,
	OPT_RATE_LIMIT, OPT_RATE_BURST, OPT_RATE_RETRY_AFTER,
};

static const struct option long_options[] = {
	{ "port", required_argument, NULL, OPT_PORT },
	{ "port-file", required_argument, NULL, OPT_PORT_FILE },
	{ "token", required_argument, NULL, OPT_TOKEN },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "latency-ms", required_argument, NULL, OPT_LATENCY },
	{ "latency-jitter-ms", required_argument, NULL, OPT_JITTER },
	{ "fail-rate", required_argument, NULL, OPT_FAIL },
	{ "throttle-rate", required_argument, NULL, OPT_THROTTLE },
	{ "retry-after", required_argument, NULL, OPT_RETRY_AFTER },
	{ "reset-rate", required_argument, NULL, OPT_RESET },
	{ "ghost-rate", required_argument, NULL, OPT_GHOST },
	{ "hang-rate", required_argument, NULL, OPT_HANG },
	{ "hang-max-ms", required_argument, NULL, OPT_HANG_MAX },
	{ "bad-reply-rate", required_argument, NULL, OPT_BAD_RATE },
	{ "bad-reply-kind", required_argument, NULL, OPT_BAD_KIND },
	{ "page-size", required_argument, NULL, OPT_PAGE_SIZE },
	{ "other-sources", required_argument, NULL, OPT_OTHER_SOURCES },
	{ "listing-fail", required_argument, NULL, OPT_LISTING_FAIL },
	{ "rate-limit", required_argument, NULL, OPT_RATE_LIMIT },
	{ "rate-burst", required_argument, NULL, OPT_RATE_BURST },
	{ "rate-limit-retry-after", required_argument, NULL, OPT_RATE_RETRY_AFTER },
	{ "tls-cert", required_argument, NULL, OPT_TLS_CERT },
	{ "tls-key", required_argument, NULL, OPT_TLS_KEY },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const char *opt_name(int opt)
{
	const struct option *o;

	for (o = long_options; o->name; o++)
		if (o->val == opt)
			return o->name;
	return "?";
}

static long long parse_int(int opt, const char *arg, long long min, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max) {
		error("option '--%s' wants an integer in %lld..%lld, not '%s'", opt_name(opt),
		      min, max, arg);
		exit(2);
	}
	return v;
}

/* A number from arg; exits 2 naming opt and want when it is not one, or
 * not above min (at least min when min_ok) and at most max. */
static double parse_number(int opt, const char *arg, double min, int min_ok, double max,
			   const char *want)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v > min || (min_ok && v == min)) || !(v <= max)) {
		error("option '--%s' wants %s, not '%s'", opt_name(opt), want, arg);
		exit(2);
	}
	return v;
}

static double parse_rate(int opt, const char *arg)
{
	return parse_number(opt, arg, 0, 1, 1, "a rate in 0..1");
}

/* A positive number of requests (per second, or in a burst). */
static double parse_positive(int opt, const char *arg)
{
	return parse_number(opt, arg, 0, 0, 1e6, "a number above 0 (at most 1000000)");
}

static int write_port_file(const char *path, unsigned port)
{
	char *tmp = xasprintf("%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	int ok = f && fprintf(f, "%u\n", port) > 0;

	if (f && fclose(f))
		ok = 0;
	if (ok && rename(tmp, path))
		ok = 0;
	if (!ok) {
		error("cannot write port file '%s': %s", path, strerror(errno));
		remove(tmp);
	}
	free(tmp);
	return ok;
}

/* The whole of a PEM file as a new string, or NULL with a message. */
static char *read_pem(const char *path)
{
	FILE *f = fopen(path, "r");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	if (!f) {
		error("cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	strbuf_init(&sb, 4096);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && sb.len < (1 << 20))
		strbuf_add(&sb, buf, n);
	if (ferror(f) || !sb.len) {
		error("cannot read '%s': %s", path, ferror(f) ? strerror(errno) : "empty file");
		fclose(f);
		strbuf_release(&sb);
		return NULL;
	}
	fclose(f);
	return strbuf_detach(&sb, NULL);
}

/* What the options set besides ctx (the http layer's state). */
struct options {
	const char *port_file, *tls_cert, *tls_key;
	char *cert_pem, *key_pem;    /* the PEM files' text (owned; ctx borrows it) */
	long long port, seed, others;
	int seed_given;
	double rate_limit, rate_burst;
};

/* The --latency value "N" or "N:J" (J the jitter), both in milliseconds. */
static void parse_latency(struct fault_config *f, char *arg)
{
	char *colon = strchr(arg, ':');

	if (colon) {
		*colon = '\0';
		f->latency_jitter_ms = (int)parse_int(OPT_JITTER, colon + 1, 0, 3600000);
	}
	f->latency_ms = (int)parse_int(OPT_LATENCY, arg, 0, 3600000);
}

/* Applies one option the fault injector reads; 0 if opt is not one of them. */
static int parse_fault(struct fault_config *f, int opt, char *arg)
{
	int kind;

	switch (opt) {
	case OPT_LATENCY: parse_latency(f, arg); break;
	case OPT_JITTER: f->latency_jitter_ms = (int)parse_int(opt, arg, 0, 3600000); break;
	case OPT_FAIL: f->fail = parse_rate(opt, arg); break;
	case OPT_THROTTLE: f->throttle = parse_rate(opt, arg); break;
	case OPT_RETRY_AFTER: f->retry_after_s = (int)parse_int(opt, arg, 0, 86400); break;
	case OPT_RESET: f->reset = parse_rate(opt, arg); break;
	case OPT_GHOST: f->ghost = parse_rate(opt, arg); break;
	case OPT_HANG: f->hang = parse_rate(opt, arg); break;
	case OPT_HANG_MAX: f->hang_max_ms = (int)parse_int(opt, arg, 1, 3600000); break;
	case OPT_BAD_RATE: f->bad_reply = parse_rate(opt, arg); break;
	case OPT_BAD_KIND:
		kind = bad_reply_parse(arg);
		if (kind < 0) {
			error("unknown bad reply kind '%s' (html, garbage, huge, truncated, noid)", arg);
			exit(2);
		}
		f->bad_reply_kind = (enum bad_reply)kind;
		break;
	default: return 0;
	}
	return 1;
}

/* Applies one option of the listing, the rate limit, TLS or the rest;
 * returns -1 when parsing goes on, else the exit code (--help, bad option). */
static int parse_other(struct http_ctx *ctx, struct options *o, int opt, char *arg)
{
	switch (opt) {
	case OPT_PORT: o->port = parse_int(opt, arg, 0, 65535); break;
	case OPT_PORT_FILE: o->port_file = arg; break;
	case OPT_TOKEN:
		if (!*arg) {
			error("option '--token' wants a non-empty token");
			return 2;
		}
		ctx->token = arg;
		break;
	case OPT_SEED: o->seed = parse_int(opt, arg, 0, LLONG_MAX); o->seed_given = 1; break;
	case OPT_PAGE_SIZE: ctx->page_size = (unsigned)parse_int(opt, arg, 1, 100000); break;
	case OPT_OTHER_SOURCES: o->others = parse_int(opt, arg, 0, 1000000); break;
	case OPT_LISTING_FAIL:
		if (!strcmp(arg, "403") || !strcmp(arg, "404")) {
			ctx->listing_fail = atoi(arg);
		} else if (!strcmp(arg, "errors")) {
			ctx->listing_fail = -1;
		} else {
			error("unknown listing failure '%s' (403, 404, errors)", arg);
			return 2;
		}
		break;
	case OPT_RATE_LIMIT: o->rate_limit = parse_positive(opt, arg); break;
	case OPT_RATE_BURST: o->rate_burst = parse_positive(opt, arg); break;
	case OPT_RATE_RETRY_AFTER:
		if (!strcmp(arg, "none"))
			ctx->limit_retry_after = -1;
		else if (!strcmp(arg, "auto"))
			ctx->limit_retry_after = -2;
		else
			ctx->limit_retry_after = (int)parse_int(opt, arg, 0, 86400);
		break;
	case OPT_TLS_CERT: o->tls_cert = arg; break;
	case OPT_TLS_KEY: o->tls_key = arg; break;
	case OPT_VERBOSE: ctx->verbose = 1; break;
	case OPT_HELP: usage(stdout); return 0;
	default: usage(stderr); return 2;
	}
	return -1;
}

/* The options into ctx and *o, with the checks between them; returns -1 to
 * go on serving, else the exit code. */
static int parse_args(int argc, char **argv, struct http_ctx *ctx, struct options *o)
{
	const char *bad;
	int opt, rc;

	opterr = 0;   /* the errors in our words, as s3src's, not the whole help */
	while ((opt = getopt_long(argc, argv, ":", long_options, NULL)) != -1) {
		if (opt == '?' || opt == ':') {
			error(opt == ':' ? "option '%s' needs a value" : "unknown option '%s'",
			      argv[optind - 1]);
			fprintf(stderr, "run 'fake-panther --help' for the options\n");
			return 2;
		}
		if (parse_fault(&ctx->faults, opt, optarg))
			continue;
		if ((rc = parse_other(ctx, o, opt, optarg)) >= 0)
			return rc;
	}
	if (optind < argc) {
		error("unexpected argument '%s'", argv[optind]);
		return 2;
	}
	if ((bad = faults_check(&ctx->faults))) {
		error("%s", bad);
		return 2;
	}
	if (o->rate_burst > 0 && o->rate_limit <= 0) {
		error("option '--rate-burst' needs '--rate-limit'");
		return 2;
	}
	if (!o->tls_cert != !o->tls_key) {
		error("options '--tls-cert' and '--tls-key' go together");
		return 2;
	}
	return -1;
}

/* Reads --tls-cert and --tls-key into o (new strings, freed by main) and
 * lends them to ctx; 0, or -1 with a message. */
static int load_tls(struct http_ctx *ctx, struct options *o)
{
	char *cert, *key;

	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		error("this libmicrohttpd is built without TLS: '--tls-cert' is not available");
		return -1;
	}
	cert = read_pem(o->tls_cert);
	key = cert ? read_pem(o->tls_key) : NULL;
	if (!key) {
		free(cert);
		return -1;
	}
	ctx->tls_cert = o->cert_pem = cert;
	ctx->tls_key = o->key_pem = key;
	return 0;
}

/* The server's IDs: seeded, or (unseeded) salted so that they belong to this
 * instance only, and a restore rehearsed into a second fake-panther never
 * finds the first one's IDs. */
static struct store *new_store(const struct options *o)
{
	struct store *st = store_new((uint64_t)o->seed);

	if (!o->seed_given) {
		uint64_t salt = 0;
		if (getrandom(&salt, sizeof(salt), 0) != (ssize_t)sizeof(salt))
			salt = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
		store_salt_ids(st, salt, (uint64_t)o->seed);
	}
	store_set_other_sources(st, (size_t)o->others);
	return st;
}

/* Starts the daemon, announces the port and waits for SIGINT or SIGTERM
 * (blocked in *sigs); returns the exit code. */
static int serve(struct http_ctx *ctx, const struct options *o, sigset_t *sigs)
{
	struct MHD_Daemon *d;
	unsigned bound;
	int sig;

	d = http_start(ctx, (unsigned)o->port, &bound);
	if (!d) {
		error("cannot listen on 127.0.0.1:%lld%s", o->port,
		      o->tls_cert ? " (or the TLS certificate or key is not usable)" : "");
		return 1;
	}
	printf("listening on 127.0.0.1:%u%s\n", bound, o->tls_cert ? " (https)" : "");
	fflush(stdout);
	if (o->port_file && !write_port_file(o->port_file, bound)) {
		http_stop(ctx, d);
		return 1;
	}
	while (sigwait(sigs, &sig) != 0)
		;
	if (ctx->verbose)
		fprintf(stderr, "fake-panther: %s, stopping\n", strsignal(sig));
	http_stop(ctx, d);
	return 0;
}

int main(int argc, char **argv)
{
	static struct http_ctx ctx; /* static: zeroed, and lives as long as the threads */
	struct options o = { .port = 8080, .seed = 1 };
	const char *env;
	sigset_t sigs;
	int rc;

	set_progname("fake-panther");
	ctx.faults.retry_after_s = 1;
	ctx.faults.hang_max_ms = 60000;
	ctx.faults.bad_reply_kind = BAD_REPLY_GARBAGE;
	ctx.page_size = 50;
	ctx.limit_retry_after = -1;
	env = getenv("FAKE_PANTHER_TOKEN");
	ctx.token = env && *env ? env : "test-token";

	if ((rc = parse_args(argc, argv, &ctx, &o)) >= 0)
		return rc;
	if (o.tls_cert && load_tls(&ctx, &o) < 0)
		return 2;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	atomic_store(&ctx.seed, (uint64_t)o.seed);
	ctx.store = new_store(&o);
	ratelimit_init(&ctx.limit, o.rate_limit, o.rate_burst, ratelimit_clock_us());
	rc = serve(&ctx, &o, &sigs);
	ratelimit_release(&ctx.limit);
	store_free(ctx.store);
	free(o.cert_pem);
	free(o.key_pem);
	return rc;
}
