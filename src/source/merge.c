/*
 * merge.c - fetch, merge, compare (see merge.h): the row's patch laid over
 * the server's source, checked as a whole, compared with what the server has.
 *
 * Both sides are in one shape before they are compared: the server's source
 * is cut to the modify schema's fields as a body has them (merge_cut: kmsKey
 * and options only when set, every mapping with excludedPrefixes and prefix),
 * and the patch, whose values were checked and normalized offline like any
 * row's (validate.c), is laid over a copy of that cut. The result is the PUT
 * body; it is equal to the cut exactly when a PUT would change nothing, and
 * the changed fields are listed by name for the results file's `changes`
 * column and the terminal's diff.
 */
#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "messages.h"
#include "source_internal.h"

/* The modify schema's fields, in body order, and the option fields. */
static const char *const scalar_keys[] = {
	"integrationLabel", "kmsKey", "logProcessingRole", "logStreamType",
	"managedBucketNotifications",
};
static const char *const option_keys[] = {
	"jsonArrayEnvelopeField", "retainEnvelopeFields", "xmlRootElement",
};

static int nonempty_string(const json_t *v)
{
	return json_is_string(v) && json_string_length(v) > 0;
}

/* A mapping in body shape: {excludedPrefixes, logTypes?, prefix} (new). */
static json_t *cut_mapping(const json_t *m)
{
	json_t *o = json_object();
	const json_t *ex = json_object_get(m, "excludedPrefixes");
	const json_t *lt = json_object_get(m, "logTypes");
	const json_t *p = json_object_get(m, "prefix");
	json_object_set_new_nocheck(o, "excludedPrefixes",
				    json_is_array(ex) ? json_deep_copy(ex) : json_array());
	if (lt && !json_is_null(lt))
		json_object_set_new_nocheck(o, "logTypes", json_deep_copy(lt));
	json_object_set_new_nocheck(o, "prefix", json_is_string(p) ? json_deep_copy(p) : json_string(""));
	return o;
}

json_t *merge_cut(const json_t *server)
{
	json_t *o = json_object();
	for (size_t i = 0; i < ARRAY_SIZE(scalar_keys); i++) {
		const json_t *v = json_object_get(server, scalar_keys[i]);
		if (!v || json_is_null(v) || (json_is_string(v) && !json_string_length(v)))
			continue;
		json_object_set_new_nocheck(o, scalar_keys[i], json_deep_copy(v));
	}
	const json_t *opts = json_object_get(server, "logStreamTypeOptions");
	json_t *co = json_object();
	for (size_t i = 0; json_is_object(opts) && i < ARRAY_SIZE(option_keys); i++) {
		const json_t *v = json_object_get(opts, option_keys[i]);
		if (nonempty_string(v) || json_is_boolean(v))
			json_object_set_new_nocheck(co, option_keys[i], json_deep_copy(v));
	}
	if (json_object_size(co))
		json_object_set_new_nocheck(o, "logStreamTypeOptions", co);
	else
		json_decref(co);
	const json_t *maps = json_object_get(server, "s3PrefixLogTypes");
	json_t *list = json_array();
	size_t i;
	const json_t *m;
	json_array_foreach((json_t *)maps, i, m)
		if (json_is_object(m))
			json_array_append_new(list, cut_mapping(m));
	json_object_set_new_nocheck(o, "s3PrefixLogTypes", list);
	return o;
}

/* The server's mapping with that prefix (in the cut list), or NULL. */
static const json_t *find_mapping(const json_t *list, const char *prefix)
{
	size_t i;
	const json_t *m;
	json_array_foreach((json_t *)list, i, m)
		if (!strcmp(json_string_value(json_object_get(m, "prefix")), prefix))
			return m;
	return NULL;
}

/* Lays the patch over cut (modified in place). */
static void overlay(json_t *cut, const json_t *patch)
{
	for (size_t i = 0; i < ARRAY_SIZE(scalar_keys); i++) {
		const json_t *v = json_object_get(patch, scalar_keys[i]);
		if (!v)
			continue;
		if (json_is_null(v))
			json_object_del(cut, scalar_keys[i]);
		else
			json_object_set_new_nocheck(cut, scalar_keys[i], json_deep_copy(v));
	}
	const json_t *popts = json_object_get(patch, "logStreamTypeOptions");
	if (json_is_object(popts)) {
		json_t *opts = json_object_get(cut, "logStreamTypeOptions");
		if (!opts) {
			opts = json_object();
			json_object_set_new_nocheck(cut, "logStreamTypeOptions", opts);
		}
		for (size_t i = 0; i < ARRAY_SIZE(option_keys); i++) {
			const json_t *v = json_object_get(popts, option_keys[i]);
			if (!v)
				continue;
			if (json_is_null(v))
				json_object_del(opts, option_keys[i]);
			else
				json_object_set_new_nocheck(opts, option_keys[i], json_deep_copy(v));
		}
		if (!json_object_size(opts))
			json_object_del(cut, "logStreamTypeOptions");
	}
	const json_t *pmaps = json_object_get(patch, "s3PrefixLogTypes");
	if (json_is_array(pmaps)) {
		const json_t *old = json_object_get(cut, "s3PrefixLogTypes");
		json_t *list = json_array();
		size_t i;
		const json_t *pm;
		json_array_foreach((json_t *)pmaps, i, pm) {
			const json_t *pp = json_object_get(pm, "prefix");
			const char *prefix = json_is_string(pp) ? json_string_value(pp) : "";
			const json_t *sm = find_mapping(old, prefix);
			json_t *m = json_object();
			const json_t *ex = json_object_get(pm, "excludedPrefixes");
			const json_t *lt = json_object_get(pm, "logTypes");
			if (!ex && sm)
				ex = json_object_get(sm, "excludedPrefixes");
			json_object_set_new_nocheck(m, "excludedPrefixes", ex ? json_deep_copy(ex) : json_array());
			if (!lt && sm)
				lt = json_object_get(sm, "logTypes");
			if (lt)
				json_object_set_new_nocheck(m, "logTypes", json_deep_copy(lt));
			json_object_set_new_nocheck(m, "prefix", json_string(prefix));
			json_array_append_new(list, m);
		}
		json_object_set_new_nocheck(cut, "s3PrefixLogTypes", list);
	}
}

/* The merged source must still be one the API accepts. Only what the row
 * touches is checked here (its own cells were checked offline): the server's
 * values are the server's business, and refusing a row over a value it does
 * not change would help nobody. Checked: a required field the server lacks
 * and the row does not give; the logStreamTypeOptions against the stream type
 * when the row changes either; the mappings (a new prefix needs log types). */
static void check_merged(const json_t *merged, const json_t *patch, struct diag_list *err)
{
	static const char *const required[] = {
		"integrationLabel", "logProcessingRole", "logStreamType", "managedBucketNotifications",
	};
	static const struct {
		const char *key, *stream;
	} opt[] = {
		{ "jsonArrayEnvelopeField", "JsonArray" },
		{ "retainEnvelopeFields", "CloudWatchLogs" },
		{ "xmlRootElement", "XML" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(required); i++)
		if (!json_object_get(merged, required[i]))
			diag_error(err, required[i], M_MERGED_REQUIRED);
	const char *stream = json_string_value(json_object_get(merged, "logStreamType"));
	const json_t *opts = json_object_get(merged, "logStreamTypeOptions");
	if (json_object_get(patch, "logStreamType") || json_object_get(patch, "logStreamTypeOptions")) {
		for (size_t i = 0; i < ARRAY_SIZE(opt); i++) {
			const json_t *v = json_object_get(opts, opt[i].key);
			if (!v || json_is_false(v) || (stream && !strcmp(stream, opt[i].stream)))
				continue;
			diag_error(err, opt[i].key, M_MERGED_OPTION, opt[i].stream, stream ? stream : "none");
		}
	}
	const json_t *list = json_object_get(merged, "s3PrefixLogTypes");
	size_t i;
	const json_t *m;
	json_array_foreach((json_t *)list, i, m) {
		const json_t *lt = json_object_get(m, "logTypes");
		if (json_is_array(lt) && json_array_size(lt))
			continue;
		diag_error(err, "logTypes", M_MERGED_LOGTYPES,
			 json_string_value(json_object_get(m, "prefix")));
	}
}

/* A value as the diff shows it (new string): strings as they are, other JSON
 * compact, absent "(none)". */
static char *show(const json_t *v)
{
	if (!v)
		return xstrdup("(none)");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	return s ? s : xstrdup("?");
}

static void one_change(struct strbuf *changes, struct strbuf *diff, const char *name,
		       const json_t *before, const json_t *after)
{
	if (before && after && json_equal((json_t *)before, (json_t *)after))
		return;
	if (!before && !after)
		return;
	if (changes->len)
		strbuf_addstr(changes, "; ");
	strbuf_addstr(changes, name);
	if (!after)
		strbuf_addstr(changes, " (cleared)");
	char *b = show(before);
	char *a = after ? show(after) : xstrdup("(cleared)");
	if (diff->len)
		strbuf_addch(diff, '\n');
	strbuf_addf(diff, "%s: %s -> %s", name, b, a);
	free(b);
	free(a);
}

/* Lists the fields that differ between the cut server source and the body. */
static void list_changes(const json_t *cut, const json_t *body, struct strbuf *changes,
			 struct strbuf *diff)
{
	for (size_t i = 0; i < ARRAY_SIZE(scalar_keys); i++)
		one_change(changes, diff, scalar_keys[i], json_object_get(cut, scalar_keys[i]),
			   json_object_get(body, scalar_keys[i]));
	const json_t *co = json_object_get(cut, "logStreamTypeOptions");
	const json_t *bo = json_object_get(body, "logStreamTypeOptions");
	for (size_t i = 0; i < ARRAY_SIZE(option_keys); i++)
		one_change(changes, diff, option_keys[i], json_object_get(co, option_keys[i]),
			   json_object_get(bo, option_keys[i]));
	one_change(changes, diff, "s3PrefixLogTypes", json_object_get(cut, "s3PrefixLogTypes"),
		   json_object_get(body, "s3PrefixLogTypes"));
}

/* The fields a modify cannot change: noted in err when the patch differs. */
static void check_fixed(const json_t *patch, const json_t *server, struct diag_list *err)
{
	static const char *const fixed[] = { "awsAccountId", "s3Bucket" };
	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++) {
		const char *want = json_string_value(json_object_get(patch, fixed[i]));
		const char *have = json_string_value(json_object_get(server, fixed[i]));
		if (!want || (have && !strcmp(want, have)))
			continue;
		diag_error(err, fixed[i], M_FIXED_FIELD, fixed[i], have ? have : "", want);
	}
}

void merge_source(const json_t *patch, const json_t *server, struct merge_result *out)
{
	struct diag_list diags = DIAG_LIST_INIT;
	struct strbuf changes = STRBUF_INIT, diff = STRBUF_INIT;
	json_t *cut = NULL, *merged = NULL, *body = NULL;

	memset(out, 0, sizeof(*out));
	strbuf_init(&changes, 64);
	strbuf_init(&diff, 64);
	if (!json_is_object(server)) {
		diag_error(&diags, "integrationId", M_MERGED_NOT_OBJECT);
		goto done;
	}
	check_fixed(patch, server, &diags);
	if (diags.n)
		goto done;
	cut = merge_cut(server);
	merged = json_deep_copy(cut);
	overlay(merged, patch);
	check_merged(merged, patch, &diags);
	if (diags.n)
		goto done;
	body = json_incref(merged);
	list_changes(cut, body, &changes, &diff);
	out->status = json_equal(cut, body) ? MERGE_UNCHANGED : MERGE_CHANGED;
	out->body = body;
done:
	if (diag_count(&diags, DIAG_ERROR))
		out->status = MERGE_INVALID;
	out->error = diag_render_new(&diags, DIAG_ERROR);
	out->warning = diag_render_new(&diags, DIAG_WARNING);
	out->changes = changes.len ? strbuf_detach(&changes, NULL) : NULL;
	out->diff = diff.len ? strbuf_detach(&diff, NULL) : NULL;
	diag_list_release(&diags);
	strbuf_release(&changes);
	strbuf_release(&diff);
	json_decref(cut);
	json_decref(merged);
}

void merge_result_release(struct merge_result *r)
{
	json_decref(r->body);
	free(r->error);
	free(r->warning);
	free(r->changes);
	free(r->diff);
	memset(r, 0, sizeof(*r));
}
