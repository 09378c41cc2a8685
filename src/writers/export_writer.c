/*
 * export_writer.c - the export / delete backup writer (see export_writer.h).
 *
 * Each record is serialised when it arrives (JSON line or CSV rows) and kept
 * as bytes until every index before it has been written or skipped; held
 * records live in a ring indexed by their index (index k in slot k % size),
 * so finding the next one to write is one look-up. The ring grows (doubling)
 * to reach the furthest index given; the caller bounds how far ahead that is
 * (fetch.c: a small multiple of -j), so the ring stays small.
 *
 * CSV layout (the import's): one row per source with its first
 * s3PrefixLogTypes mapping in the flat prefix / logTypes / excludedPrefixes
 * cells, and one continuation row (only those three cells filled) for each
 * further mapping. Lists are joined with ","; a list whose items could not
 * survive the import's split (an item holding , ; | or a newline, an item that
 * is empty, starts with '[' or has surrounding blanks) is written as a JSON
 * array instead, which the import reads as such. A further mapping that is
 * entirely empty cannot be a continuation row, so then the whole array goes in
 * the s3PrefixLogTypes cell and the flat cells stay empty. Every cell gets the
 * formula-injection guard.
 */
#include <errno.h>
#include <string.h>
#include <jansson.h>
#include "atomic.h"
#include "export_writer.h"
#include "util.h"
#include "writers_util.h"

/* One slot of the reorder ring: the record for an index that is ahead of
 * the next one to write. */
struct pending {
	char *data;      /* owned; NULL: missing (skipped) or empty slot */
	size_t len;
	int held;        /* the slot holds its index's record or its skip */
};

struct export_writer {
	struct atomic_file *af;
	int csv;
	size_t next;         /* next index to write */
	size_t written;
	/* the reorder ring: index k (next <= k < next + cap) lives in p[k % cap] */
	struct pending *p;
	size_t cap;          /* a power of two, or 0 */
	size_t np;           /* slots held */
	size_t max_np;       /* the most slots ever held at once */
	int failed;
	struct strbuf sb;
};

static const char *const export_columns[] = { EXPORT_CSV_COLUMNS };

static int dump_to_strbuf(const char *buffer, size_t size, void *data)
{
	strbuf_add(data, buffer, size);
	return 0;
}

static void cell(struct strbuf *sb, const char *s, int first)
{
	if (!s)
		s = "";
	csv_append_cell(sb, s, strlen(s), ',', first, 1);
}

void export_csv_header(struct strbuf *sb)
{
	for (size_t i = 0; i < ARRAY_SIZE(export_columns); i++)
		cell(sb, export_columns[i], i == 0);
	strbuf_addch(sb, '\n');
}

/* A scalar as cell text (new string): strings as is, true/false, numbers. */
static char *scalar_text(const json_t *v)
{
	if (!v || json_is_null(v))
		return xstrdup("");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_true(v))
		return xstrdup("true");
	if (json_is_false(v))
		return xstrdup("false");
	struct strbuf sb = STRBUF_INIT;
	strbuf_init(&sb, 32);
	json_dump_callback(v, dump_to_strbuf, &sb, JSON_COMPACT | JSON_ENCODE_ANY);
	return strbuf_detach(&sb, NULL);
}

static int item_splits(const char *s)
{
	size_t n = strlen(s);
	if (!n || s[0] == '[' || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return 1;
	return strpbrk(s, ",;|\r\n") != NULL;
}

/* A list cell (new string): items joined with ",", or a JSON array when the
 * join would not split back into the same items. */
static char *list_text(const json_t *v)
{
	size_t i;
	json_t *item;
	int as_json = 0;

	if (!v || json_is_null(v))
		return xstrdup("");
	if (!json_is_array(v))
		return scalar_text(v);
	json_array_foreach(v, i, item) {
		if (!json_is_string(item) || item_splits(json_string_value(item)))
			as_json = 1;
	}
	struct strbuf sb = STRBUF_INIT;
	strbuf_init(&sb, 64);
	if (as_json) {
		json_dump_callback(v, dump_to_strbuf, &sb, JSON_COMPACT);
	} else {
		json_array_foreach(v, i, item) {
			if (i)
				strbuf_addch(&sb, ',');
			strbuf_addstr(&sb, json_string_value(item));
		}
	}
	return strbuf_detach(&sb, NULL);
}

static void mapping_cells(const json_t *m, char *out[3])
{
	out[0] = scalar_text(json_object_get(m, "prefix"));
	out[1] = list_text(json_object_get(m, "logTypes"));
	out[2] = list_text(json_object_get(m, "excludedPrefixes"));
}

void export_csv_rows(struct strbuf *sb, const json_t *src)
{
	static const char *const top[] = {
		"integrationId", "integrationLabel", "awsAccountId", "s3Bucket", "kmsKey",
		"logProcessingRole", "logStreamType", "managedBucketNotifications",
	};
	static const char *const opts[] = {
		"jsonArrayEnvelopeField", "retainEnvelopeFields", "xmlRootElement",
	};
	const json_t *maps = json_object_get(src, "s3PrefixLogTypes");
	const json_t *lsto = json_object_get(src, "logStreamTypeOptions");
	size_t nmaps = json_is_array(maps) ? json_array_size(maps) : 0;
	int flat = 1;
	char *mc[3];

	/* a further mapping with nothing in it cannot be a continuation row */
	for (size_t i = 1; i < nmaps && flat; i++) {
		mapping_cells(json_array_get(maps, i), mc);
		if (!*mc[0] && !*mc[1] && !*mc[2])
			flat = 0;
		for (int k = 0; k < 3; k++)
			free(mc[k]);
	}
	if (maps && !json_is_array(maps))
		flat = 0;

	for (size_t i = 0; i < ARRAY_SIZE(top); i++) {
		char *t = scalar_text(json_object_get(src, top[i]));
		cell(sb, t, i == 0);
		free(t);
	}
	if (flat && nmaps) {
		mapping_cells(json_array_get(maps, 0), mc);
	} else {
		for (int k = 0; k < 3; k++)
			mc[k] = xstrdup("");
	}
	for (int k = 0; k < 3; k++) {
		cell(sb, mc[k], 0);
		free(mc[k]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
		char *t = scalar_text(json_is_object(lsto) ? json_object_get(lsto, opts[i]) : NULL);
		cell(sb, t, 0);
		free(t);
	}
	if (!flat) {
		struct strbuf js = STRBUF_INIT;
		strbuf_init(&js, 128);
		json_dump_callback(maps, dump_to_strbuf, &js, JSON_COMPACT | JSON_ENCODE_ANY);
		cell(sb, js.buf, 0);
		strbuf_release(&js);
	} else {
		cell(sb, "", 0);
	}
	strbuf_addch(sb, '\n');

	for (size_t i = 1; flat && i < nmaps; i++) {
		mapping_cells(json_array_get(maps, i), mc);
		for (size_t c = 0; c < ARRAY_SIZE(export_columns); c++) {
			const char *t = "";
			if (c >= 8 && c <= 10)
				t = mc[c - 8];
			cell(sb, t, c == 0);
		}
		strbuf_addch(sb, '\n');
		for (int k = 0; k < 3; k++)
			free(mc[k]);
	}
}

int export_writer_check_path(const char *path, char *err, size_t errlen)
{
	if (has_suffix(path, ".jsonl.gz") || has_suffix(path, ".jsonl"))
		return 0;
	if (has_suffix(path, ".csv") || has_suffix(path, ".csv.gz"))
		return 1;
	snprintf(err, errlen, "'%s': unsupported extension (use .jsonl.gz, .jsonl or .csv)", path);
	return -1;
}

struct export_writer *export_writer_open(const char *path, char *err, size_t errlen)
{
	int csv = export_writer_check_path(path, err, errlen);

	if (csv < 0)
		return NULL;
	struct export_writer *w = xcalloc(1, sizeof(*w));
	w->csv = csv;
	strbuf_init(&w->sb, 1024);
	w->af = atomic_open(path, -1, err, errlen);
	if (!w->af) {
		strbuf_release(&w->sb);
		free(w);
		return NULL;
	}
	if (csv) {
		export_csv_header(&w->sb);
		if (atomic_write(w->af, w->sb.buf, w->sb.len))
			w->failed = 1;
	}
	return w;
}

static int emit(struct export_writer *w, const char *data, size_t len)
{
	if (data) {
		if (atomic_write(w->af, data, len)) {
			w->failed = 1;
			return -1;
		}
		w->written++;
	}
	w->next++;
	return 0;
}

/* Writes the held records that are now in order. */
static int drain(struct export_writer *w)
{
	while (w->np) {
		struct pending *pe = &w->p[w->next & (w->cap - 1)];
		if (!pe->held)
			return 0;
		char *data = pe->data;
		size_t len = pe->len;
		memset(pe, 0, sizeof(*pe));
		w->np--;
		int rc = emit(w, data, len);
		free(data);
		if (rc)
			return -1;
	}
	return 0;
}

/* Makes the ring hold index (>= w->next): doubles it, moving each held slot
 * to its place in the larger ring. */
static void ring_fit(struct export_writer *w, size_t index)
{
	size_t cap = w->cap ? w->cap : 16;

	while (index - w->next >= cap)
		cap *= 2;
	if (cap == w->cap)
		return;
	struct pending *p = xcalloc(cap, sizeof(*p));
	for (size_t k = w->next; w->cap && k < w->next + w->cap; k++)
		p[k & (cap - 1)] = w->p[k & (w->cap - 1)];
	free(w->p);
	w->p = p;
	w->cap = cap;
}

static int put(struct export_writer *w, size_t index, char *data, size_t len)
{
	if (w->failed || index < w->next) {
		free(data);
		return -1;
	}
	if (index == w->next) {
		int rc = emit(w, data, len);
		free(data);
		return rc ? -1 : drain(w);
	}
	ring_fit(w, index);
	struct pending *pe = &w->p[index & (w->cap - 1)];
	if (pe->held) {
		free(data);
		return -1;
	}
	pe->data = data;
	pe->len = len;
	pe->held = 1;
	if (++w->np > w->max_np)
		w->max_np = w->np;
	return 0;
}

int export_writer_add(struct export_writer *w, size_t index, const json_t *source)
{
	size_t len;

	strbuf_reset(&w->sb);
	if (w->csv) {
		export_csv_rows(&w->sb, source);
	} else {
		if (json_dump_callback(source, dump_to_strbuf, &w->sb, JSON_COMPACT | JSON_PRESERVE_ORDER))
			return -1;
		strbuf_addch(&w->sb, '\n');
	}
	char *data = xstrndup(w->sb.buf, w->sb.len);
	len = w->sb.len;
	return put(w, index, data, len);
}

int export_writer_skip(struct export_writer *w, size_t index)
{
	return put(w, index, NULL, 0);
}

size_t export_writer_written(const struct export_writer *w)
{
	return w->written;
}

size_t export_writer_pending(const struct export_writer *w)
{
	return w->np;
}

size_t export_writer_max_pending(const struct export_writer *w)
{
	return w->max_np;
}

size_t export_writer_next(const struct export_writer *w)
{
	return w->next;
}

const char *export_writer_path(const struct export_writer *w)
{
	return atomic_path(w->af);
}

static void free_writer(struct export_writer *w)
{
	for (size_t i = 0; i < w->cap; i++)
		free(w->p[i].data);
	free(w->p);
	strbuf_release(&w->sb);
	free(w);
}

void export_writer_keep_existing(struct export_writer *w, char **landed)
{
	atomic_keep_existing(w->af, landed);
}

int export_writer_commit(struct export_writer *w, char *err, size_t errlen)
{
	/* gaps that never filled: write what is held, in index order */
	for (size_t k = w->next; k < w->next + w->cap && !w->failed; k++) {
		const struct pending *pe = &w->p[k & (w->cap - 1)];
		if (pe->data && atomic_write(w->af, pe->data, pe->len))
			w->failed = 1;
		else if (pe->data)
			w->written++;
	}
	/* a write error is sticky in the atomic file: atomic_commit reports it */
	int rc = atomic_commit(w->af, err, errlen);
	w->af = NULL;
	free_writer(w);
	return rc;
}

void export_writer_abort(struct export_writer *w)
{
	if (!w)
		return;
	atomic_abort(w->af);
	free_writer(w);
}
