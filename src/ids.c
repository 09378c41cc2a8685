/*
 * ids.c - ID lists for export and delete (see ids.h).
 *
 * The --ids file is read through the input reader's byte source (input.c:
 * gzip or plain, BOM, UTF-16 refused) one line at a time, each line checked
 * as the input's cells are (no NUL byte, valid UTF-8: encoding.h). Its kind is decided from its first non-blank line: a JSON
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
#include "encoding.h"
#include "ids.h"
#include "reader.h"
#include "util.h"

void id_list_init(struct id_list *l)
{
	memset(l, 0, sizeof(*l));
	strmap_init(&l->seen);
}

void id_list_release(struct id_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].error);
	}
	free(l->v);
	strmap_release(&l->seen, 0);
	memset(l, 0, sizeof(*l));
}

int id_is_uuid(const char *id)
{
	static const int dash[] = { 8, 13, 18, 23 };
	size_t k = 0;

	if (strlen(id) != 36)
		return 0;
	for (size_t i = 0; i < 36; i++) {
		if (k < 4 && (int)i == dash[k]) {
			if (id[i] != '-')
				return 0;
			k++;
		} else if (!isxdigit((unsigned char)id[i])) {
			return 0;
		}
	}
	return 1;
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
	l->v[l->n].error = NULL;
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
	struct strbuf sb = STRBUF_INIT;
	enum ids_kind kind = IDS_PLAIN;
	int decided = 0, rc, ret = 0, delim = ',';
	size_t lineno = 0;
	struct csv_parser p;
	struct csv_ctx c = { .l = l, .path = name, .col = -1 };
	const char *line;
	size_t len, eol;

	/* the input reader's byte source: gzip or plain, a UTF-8 BOM dropped, a
	 * UTF-16/UTF-32 file refused, a truncated gzip an error */
	struct input *in = input_open(path, err, errlen);
	if (!in)
		return -1;
	strbuf_init(&sb, 128);
	while ((rc = input_line(in, INPUT_EOL_LF, &line, &len, &eol, err, errlen)) > 0) {
		lineno = input_lineno(in);
		const char *why = encoding_text_problem(line, len);
		if (why) {
			snprintf(err, errlen, "%s:%zu: %s; an IDs file must be UTF-8 text", name, lineno, why);
			ret = -1;
			break;
		}
		strbuf_reset(&sb);
		strbuf_add(&sb, line, len);
		strbuf_addch(&sb, '\n');
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
	if (rc < 0) {
		/* name the line too: "'F': truncated gzip input" -> "F:N: truncated gzip input" */
		char *q = xasprintf("'%s': ", name);
		size_t ql = strlen(q);
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", strncmp(err, q, ql) ? err : err + ql);
		snprintf(err, errlen, "%s:%zu: %s", name, lineno + 1, msg);
		free(q);
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
	char cerr[512];
	if (input_close(in, cerr, sizeof(cerr)) < 0 && !ret) {
		snprintf(err, errlen, "%s", cerr);
		ret = -1;
	}
	return ret;
}
