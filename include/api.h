/*
 * api.h - the Panther API in one place: every request's method and path
 * (api_route) and every reply's meaning (api_reply: which HTTP status or
 * transport result means which outcome, and its error text).
 *
 * The engine (engine.h) runs a request's method, path and body without knowing
 * what they are for: it asks api_route() how to send an action. The commands
 * ask api_reply() what a finished request's reply means instead of comparing
 * statuses themselves, so a status is given a meaning here and nowhere else.
 * docs/results-format.md ("What each reply means") shows the same tables;
 * tests/unit/test_api.c checks that the two agree.
 */
#ifndef S3SRC_API_H
#define S3SRC_API_H

#include <stddef.h>

#include "s3src.h"
#include "engine.h"

/* How one action is sent (spec: "API"). */
struct api_route {
	enum action action;
	const char *method;      /* "POST", "PUT", "GET", "DELETE" */
	const char *path;        /* under --api-url, e.g. "/log-sources/s3" */
	int with_id;             /* the path goes on with "/" and the escaped ID */
	int with_body;           /* the request carries a JSON body */
	/* Not idempotent: an attempt whose reply was lost may have been applied,
	 * so the engine flags it (response.create_reply_lost). */
	int may_apply_unseen;
	/* A 401/403 is worded by the caller (the listing), not by the engine's
	 * "the API refused the token" line. */
	int own_refusal;
};

/* The route of action a (borrowed, static), NULL for ACTION_NONE. */
const struct api_route *api_route(enum action a);

/* What a reply says, whatever the command that asked. */
enum api_meaning {
	API_DONE = 0,            /* the request did what it asks */
	API_ABSENT,              /* no source has the ID (404 on a GET or DELETE) */
	API_REFUSED,             /* the token was refused (401/403): the run stops */
	API_LOST_CREATE,         /* create: 409 after an attempt whose reply was lost */
	API_UNREAD,              /* a success status whose body could not be read: applied */
	API_NOT_SENT,            /* never attempted: the run stopped before */
	API_ABANDONED,           /* attempted, not finished when the run stopped */
	API_FAILED,              /* anything else: the server's message or the transport error */
};

#define API_ANY_KIND (-1)

/* One rule of the reply table: the first rule that matches a reply gives its
 * meaning. */
struct api_reply {
	enum action action;      /* ACTION_NONE: any request */
	int kind;                /* enum response_kind, or API_ANY_KIND */
	int status_lo, status_hi;/* the HTTP status range (0, 0: any) */
	int reply_lost;          /* 1: only after an attempt whose reply was lost */
	enum api_meaning meaning;
	enum outcome outcome;    /* the row's outcome when this reply ends it
				  * (a GET: export's; OUTCOME_NONE: not a row's) */
	const char *text;        /* the fixed error or warning text, or NULL */
};

/* The reply table, in match order (borrowed, static). */
extern const struct api_reply api_replies[];
extern const size_t api_nreplies;

/* The rule that matches res, the final reply to a request for action a
 * (borrowed, static; never NULL: the last rule matches anything). */
const struct api_reply *api_reply(enum action a, const struct response *res);
/* "done", "absent", ...: the meaning's name, as docs/results-format.md shows it. */
const char *api_meaning_name(enum api_meaning m);

/* The error text of a reply that ends a create or a modify without success
 * (import's rows), label the row's source label or NULL: the fixed text of
 * the rule, or what the reply says, with what the user must check when the
 * source may have been written anyway. New string (caller frees). */
char *api_write_error(const struct api_reply *rule, enum action a,
		      const struct response *res, const char *label);
/* The error text of a create answered with success but without an
 * integrationId. New string (caller frees). */
char *api_created_without_id(const struct response *res, const char *label);

/* The error text of a response that is not a success, as the results file's
 * error column shows it: the server's "message" when the body is JSON with one,
 * else "HTTP 502" and the start of the body, or the transport error. New
 * string (caller frees). */
char *response_error_text(const struct response *res);
/* The string member key of a JSON response body as a new string, or NULL. */
char *response_json_string(const struct response *res, const char *key);

#endif
