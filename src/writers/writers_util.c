/*
 * writers_util.c - helpers shared by the writers area (see writers_util.h):
 * CSV cells through libcsv's csv_write with the formula-injection guard, a
 * small open-addressing hash table keyed by strings (resume fingerprints,
 * ID de-duplication) and a UTF-8-safe JSON string.
 */
#include <string.h>
#include <csv.h>
#include "results.h"
#include "writers_util.h"

static int cell_needs_quotes(const char *cell, size_t len, int delimiter)
{
	if (len == 0)
		return 0;
	if (cell[0] == ' ' || cell[0] == '\t' || cell[len - 1] == ' ' || cell[len - 1] == '\t')
		return 1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)cell[i];
		if (c == (unsigned char)delimiter || c == '"' || c == '\r' || c == '\n')
			return 1;
	}
	return 0;
}

void csv_append_cell(struct strbuf *sb, const char *cell, size_t len,
		     int delimiter, int first, int guard)
{
	char *tmp = NULL;

	if (!first)
		strbuf_addch(sb, delimiter);
	if (!cell)
		return;
	if (guard && csv_cell_needs_guard(cell)) {
		tmp = xmalloc(len + 2);
		tmp[0] = '\'';
		memcpy(tmp + 1, cell, len);
		tmp[len + 1] = '\0';
		cell = tmp;
		len++;
	}
	if (cell_needs_quotes(cell, len, delimiter)) {
		/* libcsv does the quoting: csv_write tells the size it needs. */
		size_t need = csv_write(NULL, 0, cell, len);
		if (sb->alloc < sb->len + need + 1)
			sb->buf = xrealloc(sb->buf, sb->alloc = sb->len + need + 1);
		csv_write(sb->buf + sb->len, need, cell, len);
		sb->len += need;
		sb->buf[sb->len] = '\0';
	} else {
		strbuf_add(sb, cell, len);
	}
	free(tmp);
}

static size_t str_hash(const char *s)
{
	return (size_t)fnv1a_64(FNV1A_64_BASIS, s, strlen(s));
}

void strmap_init(struct strmap *m)
{
	m->n = 0;
	m->cap = 0;
	m->keys = NULL;
	m->vals = NULL;
}

static size_t strmap_slot(const struct strmap *m, const char *key)
{
	size_t i = str_hash(key) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], key))
		i = (i + 1) & (m->cap - 1);
	return i;
}

void *strmap_get(const struct strmap *m, const char *key, int *found)
{
	if (found)
		*found = 0;
	if (!m->cap)
		return NULL;
	size_t i = strmap_slot(m, key);
	if (!m->keys[i])
		return NULL;
	if (found)
		*found = 1;
	return m->vals[i];
}

static void strmap_grow(struct strmap *m)
{
	struct strmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->keys = xcalloc(m->cap, sizeof(*m->keys));
	m->vals = xcalloc(m->cap, sizeof(*m->vals));
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.keys[i])
			continue;
		size_t j = strmap_slot(m, old.keys[i]);
		m->keys[j] = old.keys[i];
		m->vals[j] = old.vals[i];
	}
	free(old.keys);
	free(old.vals);
}

int strmap_put(struct strmap *m, const char *key, void *val)
{
	if ((m->n + 1) * 2 > m->cap)
		strmap_grow(m);
	size_t i = strmap_slot(m, key);
	if (m->keys[i])
		return 0;
	m->keys[i] = xstrdup(key);
	m->vals[i] = val;
	m->n++;
	return 1;
}

void strmap_release(struct strmap *m, int free_vals)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->keys[i]);
		if (free_vals)
			free(m->vals[i]);
	}
	free(m->keys);
	free(m->vals);
	strmap_init(m);
}

json_t *json_string_lossy(const char *s)
{
	json_t *j = json_string(s ? s : "");
	if (j)
		return j;
	char *copy = xstrdup(s);
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	if (!j)
		die("cannot build a JSON string");
	return j;
}

