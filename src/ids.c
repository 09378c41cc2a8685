/*
 * ids.c - ID lists for export and delete (see ids.h).
 *
 * The --ids file is read through zlib (gzip or plain, detected by zlib) one
 * line at a time. Its kind is decided from its first non-blank line: a JSON
 * object means JSONL (an export file or a JSONL results file: the
 * "integrationId" key), a CSV header with an integrationId column means CSV (a
 * results file or an import sheet; libcsv, delimiter ',' ';' or TAB as the
 * header shows, guarded cells "'-x" unguarded), anything else a plain list.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <csv.h>
#include <jansson.h>
#include <zlib.h>
#include "ids.h"
#include "util.h"

void id_list_init(struct id_list *l)
{
	memset(l, 0, sizeof(*l));
	strmap_init(&l->seen);
}

void id_list_release(struct id_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].id);
	free(l->v);
	strmap_release(&l->seen, 0);
	memset(l, 0, sizeof(*l));
}

int id_list_add(struct id_list *l, const char *id, size_t line)
{
	if (!strmap_put(&l->seen, id, NULL)) {
		l->duplicates++;
		return 0;
	}
	if (l->n == l->alloc)
		l->v = xrealloc(l->v, (l->alloc = l->alloc ? l->alloc * 2 : 64) * sizeof(*l->v));
	l->v[l->n].id = xstrdup(id);
	l->v[l->n].line = line;
	l->n++;
	return 1;
}

/* Trims blanks (and the line end) in place; returns the start. */
static char *trim(char *s)
{
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

struct csv_ctx {
	struct id_list *l;
	const char *path;
	struct csv_cells cells;
	size_t nrec;
	size_t line;
	long col;
};

static void cb_cell(void *s, size_t len, void *data)
{
	struct csv_ctx *c = data;
	csv_cells_add(&c->cells, s, len);
}

static void cb_row(int term, void *data)
{
	struct csv_ctx *c = data;
	(void)term;
	if (c->nrec == 0) {
		for (size_t i = 0; i < c->cells.n && c->col < 0; i++)
			if (header_name_eq(c->cells.v[i], "integrationId"))
				c->col = (long)i;
	} else if ((size_t)c->col < c->cells.n) {
		char *id = trim(c->cells.v[c->col]);
		id = (char *)csv_cell_unguard(id);
		if (*id)
			id_list_add(c->l, id, c->line);
	}
	c->nrec++;
	csv_cells_clear(&c->cells);
	c->line = 0;
}

static int header_delimiter(const char *line)
{
	size_t counts[3] = { 0, 0, 0 };
	static const char delims[3] = { ',', ';', '\t' };
	int inq = 0;
	for (const char *p = line; *p; p++) {
		if (*p == '"')
			inq = !inq;
		for (int i = 0; i < 3 && !inq; i++)
			counts[i] += *p == delims[i];
	}
	int best = 0;
	for (int i = 1; i < 3; i++)
		if (counts[i] > counts[best])
			best = i;
	return delims[best];
}

/* 1 if line, parsed as a CSV header with delimiter, has an integrationId cell. */
static int is_csv_header(const char *line, int delim)
{
	struct csv_parser p;
	struct id_list dummy;   /* takes the IDs of any record after the header:
				 * libcsv also ends a record at a lone CR */
	struct csv_ctx c = { .l = &dummy, .col = -1 };
	id_list_init(&dummy);
	csv_init(&p, 0);
	csv_set_delim(&p, (unsigned char)delim);
	csv_parse(&p, line, strlen(line), cb_cell, cb_row, &c);
	csv_fini(&p, cb_cell, cb_row, &c);
	csv_free(&p);
	csv_cells_release(&c.cells);
	id_list_release(&dummy);
	return c.col >= 0;
}

enum ids_kind { IDS_PLAIN, IDS_CSV, IDS_JSONL };

int id_list_load(struct id_list *l, const char *path, char *err, size_t errlen)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	gzFile gz = strcmp(path, "-") ? gzopen(path, "rb") : gzdopen(dup(0), "rb");
	struct strbuf sb = STRBUF_INIT;
	enum ids_kind kind = IDS_PLAIN;
	int decided = 0, rc, ret = 0, delim = ',';
	size_t lineno = 0;
	struct csv_parser p;
	struct csv_ctx c = { .l = l, .path = name, .col = -1 };

	if (!gz) {
		snprintf(err, errlen, "cannot open '%s': %s", name, errno ? strerror(errno) : "out of memory");
		return -1;
	}
	strbuf_init(&sb, 128);
	while ((rc = gz_getline(gz, &sb, err, errlen)) > 0) {
		lineno++;
		if (lineno == 1 && sb.len >= 3 && !memcmp(sb.buf, "\xEF\xBB\xBF", 3)) {
			memmove(sb.buf, sb.buf + 3, sb.len - 2);
			sb.len -= 3;
		}
		if (!decided) {
			const char *t = sb.buf + strspn(sb.buf, " \t\r\n");
			if (!*t)
				continue;
			decided = 1;
			if (*t == '{') {
				kind = IDS_JSONL;
			} else if (*t != '#' && is_csv_header(sb.buf, delim = header_delimiter(sb.buf))) {
				kind = IDS_CSV;
				csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);
				csv_set_delim(&p, (unsigned char)delim);
			}
		}
		if (kind == IDS_PLAIN) {
			char *t = trim(sb.buf);
			if (*t && *t != '#')
				id_list_add(l, t, lineno);
		} else if (kind == IDS_JSONL) {
			json_error_t je;
			json_t *o, *v;
			if (strspn(sb.buf, " \t\r\n") == sb.len)
				continue;
			o = json_loadb(sb.buf, sb.len, 0, &je);
			if (!json_is_object(o)) {
				snprintf(err, errlen, "%s:%zu: %s", name, lineno, o ? "not a JSON object" : je.text);
				json_decref(o);
				ret = -1;
				break;
			}
			v = json_object_get(o, "integrationId");
			if (!json_is_string(v) || !*json_string_value(v)) {
				snprintf(err, errlen, "%s:%zu: integrationId: %s", name, lineno,
					 v ? "must be a non-empty string" : "missing");
				json_decref(o);
				ret = -1;
				break;
			}
			id_list_add(l, json_string_value(v), lineno);
			json_decref(o);
		} else {
			if (!c.line && strspn(sb.buf, "\r\n") != sb.len)
				c.line = lineno;
			if (csv_parse(&p, sb.buf, sb.len, cb_cell, cb_row, &c) != sb.len) {
				snprintf(err, errlen, "%s:%zu: %s", name, c.line ? c.line : lineno,
					 csv_strerror(csv_error(&p)));
				ret = -1;
				break;
			}
		}
	}
	if (rc < 0 && !ret) {
		err_at_line(err, errlen, name, lineno + 1);
		ret = -1;
	}
	if (kind == IDS_CSV) {
		if (!ret && csv_fini(&p, cb_cell, cb_row, &c)) {
			snprintf(err, errlen, "%s:%zu: %s", name, c.line ? c.line : lineno,
				 csv_strerror(csv_error(&p)));
			ret = -1;
		}
		csv_cells_release(&c.cells);
		csv_free(&p);
	}
	strbuf_release(&sb);
	gzclose(gz);
	return ret;
}
