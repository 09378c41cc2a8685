/*
 * fake.h - the pieces of fake-panther, the local stand-in for Panther's S3 log
 * source API (docs/api/panther-s3-sources.openapi.json).
 *
 * The server is split by concern:
 *   store.c         the in-memory state: sources indexed by id and by label, and
 *                   the counters the control endpoints report;
 *   validate_req.c  the request schema checks (CreateS3Source, ModifyS3Source);
 *   faults.c        the seeded, repeatable fault decisions (latency, 5xx, 429,
 *                   reset, ghost, hang, bad reply);
 *   ratelimit.c     --rate-limit: the server-wide token bucket (ratelimit.h);
 *   http.c          the libmicrohttpd handlers that tie them together;
 *   main.c          the options, the daemon's life and the signals.
 * Everything here except http.c and main.c is free of libmicrohttpd so that the
 * unit tests can link it alone (library s3src_fake).
 */
#ifndef FAKE_PANTHER_H
#define FAKE_PANTHER_H

#include <stdint.h>

#include <jansson.h>

/* ---------------------------------------------------------------- faults.c */

enum fault {
	FAULT_NONE = 0,
	FAULT_HANG,       /* no reply; the connection is held until the client gives up */
	FAULT_RESET,      /* connection dropped, no reply, nothing applied */
	FAULT_THROTTLE,   /* 429 with Retry-After, nothing applied */
	FAULT_FAIL,       /* 500/502/503/504, nothing applied */
	FAULT_GHOST,      /* write applied, then connection dropped (writes only) */
	FAULT_BAD_REPLY,  /* request processed, reply mangled (see enum bad_reply) */
};

enum bad_reply {
	BAD_REPLY_HTML = 0, /* 502 with an HTML error page */
	BAD_REPLY_GARBAGE,  /* the status kept, a body that is not JSON */
	BAD_REPLY_HUGE,     /* the status kept, a JSON body of several MiB */
	BAD_REPLY_TRUNCATED,/* the status kept, the first half of the JSON body */
	BAD_REPLY_NOID,     /* the status kept, integrationId removed from the source */
	BAD_REPLY_STATUS200, /* a 201 sent as 200, the body kept */
	BAD_REPLY_OTHERID,  /* the status kept, integrationId replaced by another source's */
};

struct fault_config {
	double hang, reset, throttle, fail, ghost, bad_reply; /* each 0..1, sum <= 1 */
	enum bad_reply bad_reply_kind;
	int latency_ms, latency_jitter_ms; /* delay = latency +- jitter, never < 0 */
	int retry_after_s;
	int hang_max_ms;                   /* cap on how long a hang holds a connection */
};

struct fault_decision {
	enum fault kind;
	int fail_status;  /* for FAULT_FAIL: 500, 502, 503 or 504 */
	int delay_ms;     /* latency to apply before replying (0 for hangs) */
};

/* The decision for API request number seq under seed: a pure function of its
 * arguments, so a run with the same seed and the same request order repeats.
 * A ghost decision on a request that is not a write (is_write == 0) becomes
 * FAULT_NONE. */
void faults_decide(const struct fault_config *cfg, uint64_t seed, uint64_t seq,
		   int is_write, struct fault_decision *out);
/* Checks the rates; returns NULL if fine, else a static message. */
const char *faults_check(const struct fault_config *cfg);
/* "html", "garbage", ... -> kind; -1 if unknown. */
int bad_reply_parse(const char *name);
const char *fault_name(enum fault f);
/* splitmix64: one step of a small, well-mixed 64-bit generator. */
uint64_t splitmix64(uint64_t *state);

/* ---------------------------------------------------------- validate_req.c */

/* Check a request body against the schema. Returns NULL if it conforms, else a
 * new string (the caller frees) such as "unknown field 's3PrefixLogTypes[0].prefx'". */
char *validate_create(const json_t *body);
char *validate_modify(const json_t *body);

/* ------------------------------------------------------------------ store.c */

enum store_rc {
	STORE_OK = 0,
	STORE_NOT_FOUND,
	STORE_CONFLICT,    /* another source has this integrationLabel */
	STORE_BAD_CURSOR,  /* a listing cursor this store did not hand out */
};

struct store;

/* A new, empty store whose generated ids follow seed. Free with store_free. */
struct store *store_new(uint64_t seed);
void store_free(struct store *st);
/* Forget every source and counter; ids restart from seed. */
void store_reset(struct store *st, uint64_t seed);
/* Mixes salt into the id generator from now on (resets included) and
 * restarts it from seed; call before serving. */
void store_salt_ids(struct store *st, uint64_t salt, uint64_t seed);

/* The operations. req is borrowed and must already be valid (validate_*).
 * On STORE_OK, *out receives the S3Source as a new JSON string (caller frees);
 * otherwise *out is left NULL. A ghost write is also recorded in the ghosts list. */
enum store_rc store_create(struct store *st, const json_t *req, int ghost, char **out);
enum store_rc store_get(struct store *st, const char *id, char **out);
enum store_rc store_modify(struct store *st, const char *id, const json_t *req, int ghost,
			   char **out);
/* Always STORE_OK, whether or not the source existed. */
enum store_rc store_delete(struct store *st, const char *id, int ghost);
size_t store_count(struct store *st);

/* The sources of other kinds (SQS, HTTP) that only the GraphQL listing shows:
 * n of them, made now and again after every reset (their ids do not take from
 * the S3 ids' sequence). */
void store_set_other_sources(struct store *st, size_t n);
/* One page of the GraphQL `sources` listing, every kind, ordered by
 * integrationId: the first page_size sources after cursor (NULL: from the
 * start). On STORE_OK *out receives the reply's "data" member
 * {"sources": {"edges": [...], "pageInfo": {...}}} as a new reference; the
 * cursor is "after:ID" (opaque to clients). STORE_BAD_CURSOR for anything else. */
enum store_rc store_list(struct store *st, const char *cursor, size_t page_size, json_t **out);

/* Counters (API operations only). */
void store_request_begin(struct store *st, const char *method);
void store_request_end(struct store *st);
void store_count_status(struct store *st, int status);
void store_count_post_label(struct store *st, const char *label);
void store_count_fault(struct store *st, enum fault f);

/* The state as a new JSON string (caller frees): see docs/fake-panther.md. */
char *store_dump(struct store *st);

#endif
