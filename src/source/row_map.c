/*
 * row_map.c - from input records to one draft source: the part of the
 * contract's "Input" section that is about cells rather than rules.
 *
 * A CSV record is seen through the header map as one trimmed cell per field;
 * --set fills the empty ones (with {field} templates expanded from the same
 * row); list cells split on , ; | or newline (or are a JSON array), boolean
 * cells accept true/false yes/no y/n 1/0; the flat prefix/logTypes/
 * excludedPrefixes cells become one mapping, and a following row whose only
 * non-empty cells are those three (a continuation row) adds another mapping to
 * the same source. A JSONL record is already in the API's shape: its values
 * are type-checked here (a string must be a string, a boolean a boolean, no
 * unknown keys) and --set fills the absent ones. Either way the result is a
 * struct draft, every field as a string plus the mappings as JSON, which
 * validate.c checks with one set of rules. The values live in an arena reused
 * from row to row, so a row costs no allocation but its JSON mappings.
 *
 * One record of look-ahead is needed to know whether the next row continues
 * the current source; the reader's record stays valid until its next call, so
 * the look-ahead is the borrowed record itself, not a copy.
 */
#include "source_internal.h"
#include "messages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct set_rule {
	int field;
	const char *tmpl;       /* after the '=' (borrowed from the options) */
};

struct row_stream {
	enum in_format fmt;
	enum mode mode;
	int check_only;
	int create_patch;
	struct header_map hm;
	int have_hm;
	struct set_rule *sets;
	size_t nsets;
	struct strbuf *setval;  /* the expanded value of each rule, reused */
	struct strbuf arena;    /* the current source's values (draft.val), reused */
	record_fn next;
	void *ctx;
	struct record pending;  /* look-ahead (borrowed from the record source) */
	int have_pending;
	int eof;
	int fatal;
	char fatal_err[1024];
	char unnamed_err[512];  /* storage behind record.error for an unnamed column's data */
	struct dupcheck *dup;
};

/* ---- --set ---- */

/* Checks a template's {field} references. 0, or -1 with a message. */
static int template_check(const char *set, const char *tmpl, char *err, size_t errlen)
{
	for (const char *p = tmpl; *p; p++) {
		if (*p != '{')
			continue;
		const char *q = strchr(p, '}');
		if (!q) {
			snprintf(err, errlen, M_SET_UNCLOSED, set);
			return -1;
		}
		if (column_lookup(p + 1, (size_t)(q - p - 1)) < 0) {
			char name[128];
			snprintf(name, sizeof(name), "%.*s", (int)(q - p - 1), p + 1);
			const char *s = field_suggest(name);
			snprintf(err, errlen, M_SET_TEMPLATE_FIELD,
				 set, name, s ? " (did you mean '{" : "", s ? s : "", s ? "}'?)" : "");
			return -1;
		}
		p = q;
	}
	return 0;
}

static int sets_parse(struct row_stream *rs, const struct source_opts *o, char *err, size_t errlen)
{
	rs->sets = xcalloc(o->nsets ? o->nsets : 1, sizeof(*rs->sets));
	rs->setval = xcalloc(o->nsets ? o->nsets : 1, sizeof(*rs->setval));
	for (size_t i = 0; i < o->nsets; i++) {
		const char *set = o->sets[i];
		const char *eq = strchr(set, '=');
		if (!eq || eq == set) {
			snprintf(err, errlen, M_SET_SYNTAX, set);
			return -1;
		}
		int f = column_lookup(set, (size_t)(eq - set));
		if (f < 0) {
			char name[128];
			snprintf(name, sizeof(name), "%.*s", (int)(eq - set), set);
			const char *s = field_suggest(name);
			snprintf(err, errlen, M_SET_FIELD, set, name,
				 s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
			return -1;
		}
		if (template_check(set, eq + 1, err, errlen) < 0)
			return -1;
		/* cells are valid UTF-8 (the reader checks), so a checked
		 * template keeps every expansion valid */
		json_t *probe = json_string(eq + 1);
		if (!probe) {
			snprintf(err, errlen, M_SET_UTF8, set);
			return -1;
		}
		json_decref(probe);
		rs->sets[i].field = f;
		rs->sets[i].tmpl = eq + 1;
		strbuf_init(&rs->setval[i], 64);
		rs->nsets++;
	}
	return 0;
}

/* Expands tmpl with the row's values into out. -1 (noted) when a referenced
 * field is empty in this row. */
static int template_expand(const char *tmpl, const struct cellv *v, int target,
			   struct strbuf *out, struct diag_list *errs)
{
	strbuf_reset(out);
	for (const char *p = tmpl; *p; p++) {
		const char *q;
		if (*p != '{' || !(q = strchr(p, '}'))) {
			strbuf_addch(out, *p);
			continue;
		}
		int f = column_lookup(p + 1, (size_t)(q - p - 1));
		if (f < 0 || !v[f].n) {
			diag_error(errs, field_name(target),
				 M_SET_TEMPLATE_EMPTY, field_name(f));
			return -1;
		}
		/* the account as it will be sent: a spreadsheet may have dropped zeros */
		if (f == F_AWS_ACCOUNT_ID && (v[f].n == 10 || v[f].n == 11) && all_digits(v[f].p, v[f].n))
			strbuf_add(out, "00", 12 - v[f].n);
		strbuf_add(out, v[f].p, v[f].n);
		p = q;
	}
	return 0;
}

/* Fills the empty fields of v from the --set rules (expanded against the
 * row's own values, before any rule applied). */
static void sets_apply(struct row_stream *rs, struct cellv *v, struct diag_list *errs)
{
	if (!rs->nsets)
		return;
	struct cellv orig[F__COUNT];
	memcpy(orig, v, sizeof(orig));
	for (size_t i = 0; i < rs->nsets; i++) {
		int f = rs->sets[i].field;
		if (orig[f].n)
			continue;
		if (template_expand(rs->sets[i].tmpl, orig, f, &rs->setval[i], errs) < 0)
			continue;
		v[f] = cellv_trim(rs->setval[i].buf, rs->setval[i].len);
	}
}

/* ---- building the draft ---- */

/* Copies the final value of every field into the stream's arena (reused from
 * row to row: no allocation once it has grown) and points d->val at them. */
static void draft_values(struct row_stream *rs, struct draft *d, const struct cellv *v)
{
	size_t off[F__COUNT];
	strbuf_reset(&rs->arena);
	for (int f = 0; f < F__COUNT; f++) {
		off[f] = SIZE_MAX;
		if (!v[f].n)
			continue;
		off[f] = rs->arena.len;
		strbuf_add(&rs->arena, v[f].p, v[f].n);
		strbuf_addch(&rs->arena, '\0');
	}
	for (int f = 0; f < F__COUNT; f++)
		d->val[f] = off[f] == SIZE_MAX ? NULL : rs->arena.buf + off[f];
	d->mapped = 1;
}

static void map_origin_add(struct draft *d, size_t line, int flat)
{
	if (d->nmap == d->amap) {
		d->amap = d->amap ? 2 * d->amap : 4;
		d->map = xrealloc(d->map, d->amap * sizeof(*d->map));
	}
	d->map[d->nmap].line = line;
	d->map[d->nmap].flat = flat;
	d->nmap++;
}

/* The s3PrefixLogTypes cell: a JSON array of mappings. */
static void json_mappings_cell(struct draft *d, struct cellv c, size_t line)
{
	json_error_t je;
	json_t *val = json_loadb(c.p, c.n, JSON_REJECT_DUPLICATES, &je);
	if (!val) {
		diag_error(&d->diags, "s3PrefixLogTypes", M_MAPPINGS_BAD_JSON, je.text, je.column);
		return;
	}
	if (!json_is_array(val)) {
		json_decref(val);
		diag_error(&d->diags, "s3PrefixLogTypes", M_MAPPINGS_CELL_NOT_ARRAY);
		return;
	}
	d->maps = val;
	for (size_t i = 0; i < json_array_size(val); i++)
		map_origin_add(d, line, 0);
}

/* The lines of a prefix cell, each trimmed, empty ones dropped: one mapping
 * each (a sheet's way of giving several prefixes in one cell). */
static size_t prefix_lines(struct cellv c, struct cellv **out)
{
	size_t n = 0, max = 1;
	const char *p = c.p, *end = c.p + c.n;
	for (const char *q = p; q < end; q++)
		max += *q == '\n' || *q == '\r';
	*out = xmalloc(max * sizeof(**out));
	while (p < end && n < max) {
		const char *q = p;
		while (q < end && *q != '\n' && *q != '\r')
			q++;
		struct cellv line = cellv_trim(p, (size_t)(q - p));
		if (line.n)
			(*out)[n++] = line;
		p = q + 1;
	}
	return n;
}

/* The flat prefix/logTypes/excludedPrefixes cells of one row as mappings
 * appended to the draft: one, or one per line of a prefix cell that holds
 * several (same logTypes and excludedPrefixes, with a warning naming them);
 * nothing when the row has none of these cells. */
static void flat_mapping(struct draft *d, const struct cellv *v, size_t line, int continuation)
{
	if (!v[F_PREFIX].n && !v[F_LOG_TYPES].n && !v[F_EXCLUDED_PREFIXES].n)
		return;
	json_t *lists[F__COUNT] = { NULL };
	struct cellv *pre = NULL;
	size_t npre = 0;
	char msg[256], sep;
	if (v[F_PREFIX].n)
		npre = prefix_lines(v[F_PREFIX], &pre);
	for (int f = F_LOG_TYPES; f <= F_EXCLUDED_PREFIXES; f++) {
		if (!v[f].n)
			continue;
		if (f == F_EXCLUDED_PREFIXES && v[f].n == strlen(CELL_CLEAR) &&
		    !memcmp(v[f].p, CELL_CLEAR, v[f].n)) {
			/* cleared: an empty list, where an empty cell keeps the server's */
			lists[f] = json_array();
			continue;
		}
		lists[f] = parse_list(v[f].p, v[f].n, msg, sizeof(msg));
		if (!lists[f])
			diag_error(&d->diags, field_name(f), M_LIST_CELL, msg);
	}
	if (!continuation && d->maps) {
		diag_error(&d->diags, "s3PrefixLogTypes", M_MAPPINGS_BOTH_FORMS);
		json_decref(lists[F_LOG_TYPES]);
		json_decref(lists[F_EXCLUDED_PREFIXES]);
		free(pre);
		return;
	}
	if (npre > 1) {
		struct strbuf names = STRBUF_INIT;
		for (size_t i = 0; i < npre; i++)
			strbuf_addf(&names, "%s'%.*s'", i ? ", " : "", (int)(pre[i].n > 80 ? 80 : pre[i].n),
				    pre[i].p);
		diag_warn(&d->diags, "prefix", M_PREFIX_LINES, npre, npre, names.buf);
		strbuf_release(&names);
	} else if (npre == 1 && (sep = list_separator_in(pre[0].p, pre[0].n))) {
		/* a list cell's separator, not a prefix's: an S3 key may hold it */
		diag_warn(&d->diags, "prefix", M_PREFIX_SEPARATOR,
			 (int)(pre[0].n > 80 ? 80 : pre[0].n), pre[0].p, sep);
	}
	if (!d->maps)
		d->maps = json_array();
	for (size_t i = 0; i < (npre ? npre : 1); i++) {
		json_t *m = json_object();
		if (npre)
			json_object_set_new_nocheck(m, "prefix", json_stringn_nocheck(pre[i].p, pre[i].n));
		for (int f = F_LOG_TYPES; f <= F_EXCLUDED_PREFIXES; f++)
			if (lists[f])   /* one list shared by the cell's mappings: a reference each */
				json_object_set_nocheck(m, field_name(f), lists[f]);
		json_array_append_new(d->maps, m);
		map_origin_add(d, line, 1);
	}
	json_decref(lists[F_LOG_TYPES]);
	json_decref(lists[F_EXCLUDED_PREFIXES]);
	free(pre);
}

/* Cell i of a CSV record, without the formula-injection guard that s3src's own
 * CSV files add (so an export or a failed-rows file re-imports unchanged),
 * trimmed. */
static struct cellv csv_cell(const struct record *rec, size_t i)
{
	const char *p = rec->cells[i];
	size_t n = rec->lens ? rec->lens[i] : strlen(p);
	const char *q = csv_cell_unguard(p);
	return cellv_trim(q, n - (size_t)(q - p));
}

/* The trimmed cell of each field of a CSV record. */
static void csv_view(const struct row_stream *rs, const struct record *rec, struct cellv *v)
{
	memset(v, 0, sizeof(*v) * F__COUNT);
	size_t n = rec->ncells < rs->hm.ncols ? rec->ncells : rs->hm.ncols;
	for (size_t i = 0; i < n; i++) {
		int f = rs->hm.col[i];
		if (f < 0)   /* F_IGNORED, F_UNNAMED */
			continue;
		v[f] = csv_cell(rec, i);
	}
}

enum row_kind { ROW_SOURCE, ROW_CONTINUATION, ROW_BLANK };

static enum row_kind csv_kind(const struct row_stream *rs, const struct record *rec)
{
	int flat = 0, other = 0;
	for (size_t i = 0; i < rec->ncells; i++) {
		int f = i < rs->hm.ncols ? rs->hm.col[i] : F__COUNT;
		if (f < 0)   /* F_IGNORED, F_UNNAMED */
			continue;
		struct cellv c = csv_cell(rec, i);
		if (!c.n)
			continue;
		if (f == F_PREFIX || f == F_LOG_TYPES || f == F_EXCLUDED_PREFIXES)
			flat = 1;
		else
			other = 1;
	}
	if (other)
		return ROW_SOURCE;
	return flat ? ROW_CONTINUATION : ROW_BLANK;
}

static void csv_first(struct row_stream *rs, struct draft *d, const struct record *rec)
{
	struct cellv v[F__COUNT];
	csv_view(rs, rec, v);
	sets_apply(rs, v, &d->diags);
	draft_values(rs, d, v);
	if (v[F_S3_PREFIX_LOG_TYPES].n)
		json_mappings_cell(d, v[F_S3_PREFIX_LOG_TYPES], rec->line);
	flat_mapping(d, v, rec->line, 0);
}

static void csv_continue(struct row_stream *rs, struct draft *d, const struct record *rec)
{
	struct cellv v[F__COUNT];
	if (!d->mapped)
		return;
	csv_view(rs, rec, v);
	flat_mapping(d, v, rec->line, 1);
}

static const char *const top_keys[] = {
	"action", "error", "integrationId", "awsAccountId", "integrationLabel", "kmsKey",
	"logProcessingRole", "logStreamType", "logStreamTypeOptions",
	"managedBucketNotifications", "s3Bucket", "s3PrefixLogTypes",
};
static const char *const option_keys[] = {
	"jsonArrayEnvelopeField", "retainEnvelopeFields", "xmlRootElement",
};

/* One JSONL value as a string view: strings as they are, booleans for the
 * boolean fields; any other type is noted on the field. */
static struct cellv json_value(struct draft *d, const json_t *o, int f)
{
	const json_t *val = json_object_get(o, field_name(f));
	int is_bool = f == F_MANAGED_BUCKET_NOTIFICATIONS || f == F_RETAIN_ENVELOPE_FIELDS;
	if (!val || json_is_null(val))
		return (struct cellv){ NULL, 0 };
	if (is_bool) {
		if (json_is_boolean(val))
			return json_is_true(val) ? (struct cellv){ "true", 4 } : (struct cellv){ "false", 5 };
		diag_error(&d->diags, field_name(f), M_NOT_BOOLEAN);
		return (struct cellv){ NULL, 0 };
	}
	if (!json_is_string(val)) {
		diag_error(&d->diags, field_name(f), f == F_ACTION ?
			 M_ACTION_NOT_STRING : M_NOT_STRING);
		return (struct cellv){ NULL, 0 };
	}
	const char *s = json_string_value(val);
	size_t n = json_string_length(val);
	if (strlen(s) != n) {
		diag_error(&d->diags, field_name(f), M_NUL);
		return (struct cellv){ NULL, 0 };
	}
	return (struct cellv){ s, n };
}

static void jsonl_first(struct row_stream *rs, struct draft *d, const struct record *rec)
{
	const json_t *o = rec->obj;
	struct cellv v[F__COUNT];
	memset(v, 0, sizeof(v));
	d->from_jsonl = 1;
	d->snapshot = json_object_get(o, "integrationId") && json_object_get(o, "awsAccountId") &&
		      json_object_get(o, "s3Bucket");
	note_unknown_keys(&d->diags, o, "", top_keys, ARRAY_SIZE(top_keys));
	for (int f = 0; f < F__COUNT; f++) {
		if (f == F_S3_PREFIX_LOG_TYPES || f == F_PREFIX || f == F_LOG_TYPES ||
		    f == F_EXCLUDED_PREFIXES || f == F_JSON_ARRAY_ENVELOPE_FIELD ||
		    f == F_RETAIN_ENVELOPE_FIELDS || f == F_XML_ROOT_ELEMENT)
			continue;
		v[f] = json_value(d, o, f);
	}
	const json_t *opts = json_object_get(o, "logStreamTypeOptions");
	if (json_is_object(opts)) {
		note_unknown_keys(&d->diags, opts, "logStreamTypeOptions", option_keys,
				  ARRAY_SIZE(option_keys));
		v[F_JSON_ARRAY_ENVELOPE_FIELD] = json_value(d, opts, F_JSON_ARRAY_ENVELOPE_FIELD);
		v[F_RETAIN_ENVELOPE_FIELDS] = json_value(d, opts, F_RETAIN_ENVELOPE_FIELDS);
		v[F_XML_ROOT_ELEMENT] = json_value(d, opts, F_XML_ROOT_ELEMENT);
	} else if (opts && !json_is_null(opts)) {
		diag_error(&d->diags, "logStreamTypeOptions", M_OPTIONS_NOT_OBJECT);
	}
	json_t *maps = json_object_get(o, "s3PrefixLogTypes");
	if (json_is_array(maps))
		d->maps = json_incref(maps);
	else if (maps && !json_is_null(maps))
		diag_error(&d->diags, "s3PrefixLogTypes", M_MAPPINGS_NOT_ARRAY);
	sets_apply(rs, v, &d->diags);
	draft_values(rs, d, v);
	flat_mapping(d, v, rec->line, 0);   /* only from --set prefix/logTypes */
}

/* ---- sources ---- */

/* Copies a record for the failed-rows file: one allocation holding the
 * pointer array and every cell (or the JSONL text). */
static void raw_add(struct source *s, const struct record *rec)
{
	s->raw = xrealloc(s->raw, (s->nraw + 1) * sizeof(*s->raw));
	struct raw_record *r = &s->raw[s->nraw++];
	memset(r, 0, sizeof(*r));
	r->line = rec->line;
	if (rec->cells) {
		size_t total = 0;
		for (size_t i = 0; i < rec->ncells; i++)
			total += (rec->lens ? rec->lens[i] : strlen(rec->cells[i])) + 1;
		size_t ptrs = (rec->ncells ? rec->ncells : 1) * sizeof(char *);
		char *block = xmalloc(ptrs + total);
		char *p = block + ptrs;
		r->ncells = rec->ncells;
		r->cells = (char **)(void *)block;
		for (size_t i = 0; i < rec->ncells; i++) {
			size_t len = rec->lens ? rec->lens[i] : strlen(rec->cells[i]);
			memcpy(p, rec->cells[i], len);
			p[len] = '\0';
			r->cells[i] = p;
			p += len + 1;
		}
	}
	if (rec->text)
		r->text = xstrndup(rec->text, rec->textlen);
}

struct source *source_new_id(size_t row, size_t line, enum action a, const char *id)
{
	struct source *s = xcalloc(1, sizeof(*s));
	s->row = row;
	s->line = line;
	s->action = a;
	s->id = id ? xstrdup(id) : NULL;
	source_fingerprint(a, id, NULL, s->fingerprint);
	return s;
}

void source_free(struct source *s)
{
	if (!s)
		return;
	free(s->id);
	free(s->label);
	json_decref(s->body);
	json_decref(s->patch);
	diag_list_release(&s->diags);
	for (size_t i = 0; i < s->nraw; i++) {
		free(s->raw[i].cells);   /* one block: pointers and cells */
		free(s->raw[i].text);
	}
	free(s->raw);
	free(s);
}

struct row_stream *row_stream_new(const struct source_opts *o, enum in_format fmt,
				  const char *name, char *const *header, size_t nheader,
				  record_fn next, void *ctx, char *err, size_t errlen)
{
	struct row_stream *rs = xcalloc(1, sizeof(*rs));
	rs->fmt = fmt;
	rs->mode = o->mode;
	rs->check_only = o->check_only;
	rs->create_patch = o->create_patch;
	rs->next = next;
	rs->ctx = ctx;
	if (o->mode != MODE_AUTO && o->mode != MODE_CREATE && o->mode != MODE_MODIFY) {
		snprintf(err, errlen, M_MODE_UNKNOWN);
		row_stream_free(rs);
		return NULL;
	}
	if (fmt == FORMAT_CSV) {
		char msg[4096];
		if (header_map_init(&rs->hm, header, nheader, o->ignore_columns, o->nignore,
				    o->columns, o->ncolumns, msg, sizeof(msg)) < 0) {
			if (name)
				snprintf(err, errlen, "%s:1: %s", name, msg);
			else
				snprintf(err, errlen, "%s", msg);
			row_stream_free(rs);
			return NULL;
		}
		rs->have_hm = 1;
	}
	if (sets_parse(rs, o, err, errlen) < 0) {
		row_stream_free(rs);
		return NULL;
	}
	rs->dup = dupcheck_new();
	strbuf_init(&rs->arena, 1024);
	return rs;
}

void row_stream_free(struct row_stream *rs)
{
	if (!rs)
		return;
	if (rs->have_hm)
		header_map_release(&rs->hm);
	for (size_t i = 0; i < rs->nsets; i++)
		strbuf_release(&rs->setval[i]);
	free(rs->setval);
	free(rs->sets);
	dupcheck_free(rs->dup);
	strbuf_release(&rs->arena);
	free(rs);
}

/* The next record: the look-ahead if there is one. 1, 0 at the end, -1 fatal. */
static int next_record(struct row_stream *rs, struct record *rec, char *err, size_t errlen)
{
	if (rs->have_pending) {
		*rec = rs->pending;
		rs->have_pending = 0;
		return 1;
	}
	if (rs->fatal) {
		snprintf(err, errlen, "%s", rs->fatal_err);
		return -1;
	}
	if (rs->eof)
		return 0;
	memset(rec, 0, sizeof(*rec));
	int rc = rs->next(rs->ctx, rec, err, errlen);
	if (rc == 0)
		rs->eof = 1;
	/* data under a column without a name is never dropped: the row is invalid
	 * (source_reader_open already refused a file with such a cell: this is
	 * for stdin) */
	if (rc == 1 && !rec->error &&
	    row_stream_unnamed_cell(rs, rec, rs->unnamed_err, sizeof(rs->unnamed_err)))
		rec->error = rs->unnamed_err;
	return rc;
}

/* A second create on the same account + bucket + prefix would ingest the same
 * objects twice: invalid, naming the earlier line. Each mapping of a valid
 * create is one key (the account as sent: padded to 12 digits). */
static void location_checks(struct row_stream *rs, struct draft *d)
{
	const char *acct = d->val[F_AWS_ACCOUNT_ID], *bucket = d->val[F_S3_BUCKET];
	struct strbuf key = STRBUF_INIT;
	char account[13];
	if (!acct || !bucket || !json_is_array(d->maps))
		return;
	size_t n = strlen(acct);
	snprintf(account, sizeof(account), "%s%s", n == 10 ? "00" : n == 11 ? "0" : "", acct);
	for (size_t i = 0; i < json_array_size(d->maps); i++) {
		const char *prefix = json_string_value(json_object_get(json_array_get(d->maps, i), "prefix"));
		if (!prefix)
			prefix = "";
		strbuf_reset(&key);
		strbuf_addf(&key, "%s/%s/%s", account, bucket, prefix);
		size_t earlier = dupcheck_add(rs->dup, DUP_LOCATION, key.buf, d->line);
		if (!earlier)
			continue;
		char field[64];
		size_t line = i < d->nmap ? d->map[i].line : d->line;
		if (i < d->nmap && d->map[i].flat && line != d->line)
			snprintf(field, sizeof(field), "prefix (line %zu)", line);
		else if (i < d->nmap && d->map[i].flat)
			snprintf(field, sizeof(field), "prefix");
		else
			snprintf(field, sizeof(field), "s3PrefixLogTypes[%zu].prefix", i);
		diag_error(&d->diags, field, M_PREFIX_ALREADY_INGESTED,
			 bucket, prefix, account, earlier);
	}
	strbuf_release(&key);
}

int row_stream_has_unnamed(const struct row_stream *rs)
{
	for (size_t i = 0; rs->have_hm && i < rs->hm.ncols; i++)
		if (rs->hm.col[i] == F_UNNAMED)
			return 1;
	return 0;
}

int row_stream_unnamed_cell(const struct row_stream *rs, const struct record *rec,
			    char *msg, size_t msglen)
{
	if (!rs->have_hm || !rec->cells)
		return 0;
	for (size_t i = 0; i < rec->ncells && i < rs->hm.ncols; i++) {
		if (rs->hm.col[i] != F_UNNAMED)
			continue;
		struct cellv c = csv_cell(rec, i);
		if (!c.n)
			continue;
		char letters[8];
		size_t k = sizeof(letters) - 1, n = i + 1;
		letters[k] = '\0';
		while (n && k) {   /* the spreadsheet's name: 1 A, 27 AA */
			letters[--k] = (char)('A' + (n - 1) % 26);
			n = (n - 1) / 26;
		}
		snprintf(msg, msglen, M_UNNAMED_COLUMN_DATA, i + 1, letters + k,
			 c.n > 100 ? 100 : (int)c.n, c.p, c.n > 100 ? "..." : "");
		return 1;
	}
	return 0;
}

static void dup_checks(struct row_stream *rs, struct draft *d, struct source *s)
{
	size_t earlier;
	if (s->action == ACTION_CREATE && s->label) {
		earlier = dupcheck_add(rs->dup, DUP_LABEL, s->label, s->line);
		if (earlier)
			diag_error(&d->diags, "integrationLabel", M_LABEL_DUPLICATE, s->label, earlier);
	}
	if (s->id) {
		earlier = dupcheck_add(rs->dup, DUP_ID, s->id, s->line);
		if (earlier)
			diag_error(&d->diags, "integrationId", M_ID_DUPLICATE, s->id, earlier);
	}
	if (s->action == ACTION_CREATE)
		location_checks(rs, d);
}

/* After the row's own checks: the checks against earlier rows, the patch
 * label matching needs (struct source.patch, .by_label), what an invalid row
 * does not keep, and the fingerprint. */
static void settle_checks(struct row_stream *rs, struct draft *d, struct source *s)
{
	if (!diag_count(&d->diags, DIAG_ERROR))
		dup_checks(rs, d, s);
	size_t nerr = diag_count(&d->diags, DIAG_ERROR);
	/* its only errors are moot if label matching finds its source */
	int moot = rs->create_patch && s->label && nerr && nerr == d->nby_label;
	if (rs->create_patch && s->action == ACTION_CREATE && (nerr ? moot : s->body != NULL))
		validate_patch(d, s);
	if (nerr && s->body) {
		json_decref(s->body);
		s->body = NULL;
	}
	s->by_label = moot && s->patch;
	if (nerr && s->patch && !s->by_label) {
		json_decref(s->patch);
		s->patch = NULL;
	}
	if (!rs->check_only)
		source_fingerprint(s->action, s->id, s->body ? s->body : nerr ? NULL : s->patch,
				   s->fingerprint);
}

int row_stream_next(struct row_stream *rs, struct source **out, char *err, size_t errlen)
{
	struct record rec;
	enum row_kind kind;
	int rc;
	*out = NULL;
	for (;;) {
		rc = next_record(rs, &rec, err, errlen);
		if (rc <= 0)
			return rc;
		kind = rs->fmt == FORMAT_CSV && !rec.error ? csv_kind(rs, &rec) : ROW_SOURCE;
		if (kind != ROW_BLANK)
			break;
	}

	struct source *s = xcalloc(1, sizeof(*s));
	struct draft d;
	memset(&d, 0, sizeof(d));   /* diags stays unallocated until a note */
	s->row = d.row = rec.row;
	s->line = d.line = rec.line;
	raw_add(s, &rec);
	if (rec.error)
		diag_add_text(&d.diags, DIAG_ERROR, NULL, rec.error);
	else if (kind == ROW_CONTINUATION)
		diag_error(&d.diags, "prefix", M_CONTINUATION_FIRST);
	else if (rs->fmt == FORMAT_CSV)
		csv_first(rs, &d, &rec);
	else if (rec.obj)
		jsonl_first(rs, &d, &rec);
	else
		diag_error(&d.diags, "row", M_NO_OBJECT);

	/* continuation rows: look one record ahead */
	while (rs->fmt == FORMAT_CSV) {
		char ferr[sizeof(rs->fatal_err)];
		rc = next_record(rs, &rec, ferr, sizeof(ferr));
		if (rc < 0) {
			/* reported on the next call; this source is complete */
			memcpy(rs->fatal_err, ferr, sizeof(ferr));
			rs->fatal = 1;
			break;
		}
		if (rc == 0)
			break;
		kind = rec.error ? ROW_SOURCE : csv_kind(rs, &rec);
		if (kind == ROW_BLANK)
			continue;
		if (kind == ROW_SOURCE) {
			rs->pending = rec;
			rs->have_pending = 1;
			break;
		}
		raw_add(s, &rec);
		csv_continue(rs, &d, &rec);
	}

	validate_draft(&d, rs->mode, s, !rs->check_only);
	settle_checks(rs, &d, s);
	diag_list_move(&s->diags, &d.diags);
	json_decref(d.maps);
	free(d.map);
	*out = s;
	return 1;
}
