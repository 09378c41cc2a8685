/*
 * api.c - the Panther API's requests and the meaning of its replies, as two
 * tables (see api.h). Nothing else in s3src names a REST path or decides
 * what an HTTP status means for a row; the engine (sched.c) only sends what
 * api_route() says and retries what retry.c calls transient.
 */
#include "api.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define SOURCES "/log-sources/s3"

static const struct api_route routes[] = {
	{ ACTION_CREATE, "POST", SOURCES, 0, 1, 1, 0 },
	{ ACTION_MODIFY, "PUT", SOURCES, 1, 1, 0, 0 },
	{ ACTION_GET, "GET", SOURCES, 1, 0, 0, 0 },
	{ ACTION_DELETE, "DELETE", SOURCES, 1, 0, 0, 0 },
	{ ACTION_LIST, "POST", "/public/graphql", 0, 1, 0, 1 },
};

const struct api_route *api_route(enum action a)
{
	for (size_t i = 0; i < ARRAY_SIZE(routes); i++)
		if (routes[i].action == a)
			return &routes[i];
	return NULL;
}

#define NOT_SENT_TEXT "not sent: the run was aborted before this row"

const struct api_reply api_replies[] = {
	/* any 2xx with an ID created the source (201 is the contract's; a 200
	 * or 202 from a proxy must not lose the ID) */
	{ ACTION_CREATE, RESPONSE_HTTP, 200, 299, 0, API_DONE, OUTCOME_CREATED, NULL },
	{ ACTION_CREATE, RESPONSE_HTTP, 409, 409, 1, API_LOST_CREATE, OUTCOME_FAILED, NULL },
	{ ACTION_MODIFY, RESPONSE_HTTP, 200, 200, 0, API_DONE, OUTCOME_MODIFIED, NULL },
	{ ACTION_GET, RESPONSE_HTTP, 200, 200, 0, API_DONE, OUTCOME_EXPORTED, NULL },
	{ ACTION_GET, RESPONSE_HTTP, 404, 404, 0, API_ABSENT, OUTCOME_FAILED, NULL },
	{ ACTION_DELETE, RESPONSE_HTTP, 200, 200, 0, API_DONE, OUTCOME_DELETED, NULL },
	{ ACTION_DELETE, RESPONSE_HTTP, 204, 204, 0, API_DONE, OUTCOME_DELETED, NULL },
	{ ACTION_DELETE, RESPONSE_HTTP, 404, 404, 0, API_ABSENT, OUTCOME_DELETED,
	  "already absent when the DELETE arrived" },
	{ ACTION_LIST, RESPONSE_HTTP, 200, 200, 0, API_DONE, OUTCOME_NONE, NULL },
	{ ACTION_NONE, RESPONSE_HTTP, 401, 401, 0, API_REFUSED, OUTCOME_FAILED, NULL },
	{ ACTION_NONE, RESPONSE_HTTP, 403, 403, 0, API_REFUSED, OUTCOME_FAILED, NULL },
	/* a success status whose body could not be read (e.g. over the cap):
	 * the write was applied, the row must not look like a plain failure */
	{ ACTION_CREATE, RESPONSE_TRANSPORT, 200, 299, 0, API_UNREAD, OUTCOME_FAILED, NULL },
	{ ACTION_MODIFY, RESPONSE_TRANSPORT, 200, 299, 0, API_UNREAD, OUTCOME_FAILED, NULL },
	{ ACTION_DELETE, RESPONSE_NOT_STARTED, 0, 0, 0, API_NOT_SENT, OUTCOME_SKIPPED,
	  "not deleted: the run was aborted (the source is in the backup)" },
	{ ACTION_NONE, RESPONSE_NOT_STARTED, 0, 0, 0, API_NOT_SENT, OUTCOME_SKIPPED, NOT_SENT_TEXT },
	{ ACTION_NONE, RESPONSE_ABORTED, 0, 0, 0, API_ABANDONED, OUTCOME_FAILED, NULL },
	{ ACTION_NONE, API_ANY_KIND, 0, 0, 0, API_FAILED, OUTCOME_FAILED, NULL },
};

const size_t api_nreplies = ARRAY_SIZE(api_replies);

static int rule_matches(const struct api_reply *r, enum action a, const struct response *res)
{
	if (r->action != ACTION_NONE && r->action != a)
		return 0;
	if (r->kind != API_ANY_KIND && r->kind != (int)res->kind)
		return 0;
	if ((r->status_lo || r->status_hi) &&
	    (res->http_status < r->status_lo || res->http_status > r->status_hi))
		return 0;
	return !r->reply_lost || res->create_reply_lost;
}

const struct api_reply *api_reply(enum action a, const struct response *res)
{
	size_t i;

	for (i = 0; i + 1 < api_nreplies; i++)
		if (rule_matches(&api_replies[i], a, res))
			break;
	return &api_replies[i];
}

const char *api_meaning_name(enum api_meaning m)
{
	static const char *const names[] = {
		[API_DONE] = "done", [API_ABSENT] = "absent", [API_REFUSED] = "refused",
		[API_LOST_CREATE] = "lost create", [API_UNREAD] = "unread",
		[API_NOT_SENT] = "not sent", [API_ABANDONED] = "abandoned",
		[API_FAILED] = "failed",
	};
	return (unsigned)m < ARRAY_SIZE(names) && names[m] ? names[m] : "";
}

char *api_write_error(const struct api_reply *rule, enum action a,
		      const struct response *res, const char *label)
{
	char *msg, *out;

	if (!label)
		label = "";
	if (rule->text)
		return xstrdup(rule->text);
	switch (rule->meaning) {
	case API_LOST_CREATE:
		msg = response_error_text(res);
		out = xasprintf("source '%s' probably was created by an earlier attempt whose reply "
				"was lost (the retry got %s); check it in Panther, do not re-run this row "
				"blindly", label, msg);
		free(msg);
		return out;
	case API_UNREAD:
		return xasprintf("the API answered %d but its reply could not be read (%s): source '%s' "
				 "was probably %s; look it up in Panther before re-running this row",
				 res->http_status, res->error ? res->error : "no body", label,
				 a == ACTION_CREATE ? "created" : "modified");
	case API_ABANDONED:
		if (a == ACTION_CREATE)
			return xasprintf("abandoned in flight when the run was aborted: source '%s' may "
					 "have been created; check it in Panther before re-running this row",
					 label);
		break;
	default:
		break;
	}
	if (a == ACTION_CREATE && res->create_reply_lost) {
		/* the last error is not the whole story: an earlier attempt may have landed */
		msg = response_error_text(res);
		out = xasprintf("%s; source '%s' may have been created by an attempt whose reply "
				"was lost: check it in Panther before re-running this row", msg, label);
		free(msg);
		return out;
	}
	return response_error_text(res);
}

char *api_created_without_id(const struct response *res, const char *label)
{
	return xasprintf("the API answered %d without an integrationId: source '%s' "
			 "was probably created; look it up in Panther before re-running this row",
			 res->http_status, label ? label : "");
}

char *response_json_string(const struct response *res, const char *key)
{
	if (!res->body || !res->body_len)
		return NULL;
	json_t *doc = json_loadb(res->body, res->body_len, 0, NULL); /* new reference */
	if (!doc)
		return NULL;
	char *out = NULL;
	json_t *v = json_object_get(doc, key); /* borrowed */
	if (json_is_string(v))
		out = xstrdup(json_string_value(v));
	json_decref(doc);
	return out;
}

/* Appends at most max bytes of s, with control characters shown as spaces. */
static void add_printable(struct strbuf *sb, const char *s, size_t len, size_t max)
{
	for (size_t i = 0; i < len && i < max; i++) {
		unsigned char c = (unsigned char)s[i];
		strbuf_addch(sb, c < 0x20 || c == 0x7f ? ' ' : c);
	}
	if (len > max)
		strbuf_addstr(sb, "...");
}

char *response_error_text(const struct response *res)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_init(&sb, 64);
	switch (res->kind) {
	case RESPONSE_NOT_STARTED:
		strbuf_addstr(&sb, "not sent: the run was aborted");
		break;
	case RESPONSE_ABORTED:
		strbuf_addstr(&sb, "abandoned in flight when the run was aborted: the request may have been applied");
		/* the engine's own "abandoned in flight: ..." would only repeat it */
		if (res->error && strncmp(res->error, "abandoned in flight", 19)) {
			strbuf_addstr(&sb, " (");
			strbuf_addstr(&sb, res->error);
			strbuf_addch(&sb, ')');
		}
		break;
	case RESPONSE_TRANSPORT:
		strbuf_addstr(&sb, res->error ? res->error : "no answer from the API");
		if (res->attempts > 1)
			strbuf_addf(&sb, " (after %d attempts)", res->attempts);
		break;
	case RESPONSE_HTTP: {
		char *msg = response_json_string(res, "message");
		strbuf_addf(&sb, "HTTP %d", res->http_status);
		if (msg) {
			strbuf_addstr(&sb, ": ");
			add_printable(&sb, msg, strlen(msg), 500);
			free(msg);
		} else if (res->body_len) {
			strbuf_addstr(&sb, ": unexpected reply: ");
			add_printable(&sb, res->body, res->body_len, 120);
		}
		if (api_reply(ACTION_NONE, res)->meaning == API_REFUSED)
			strbuf_addstr(&sb, " (run stopped: check the API token and its permissions)");
		else if (res->attempts > 1)
			strbuf_addf(&sb, " (after %d attempts)", res->attempts);
		break;
	}
	}
	return strbuf_detach(&sb, NULL);
}
