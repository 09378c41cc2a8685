/*
 * ids.c - ID lists for export and delete (see ids.h).
 *
 * The --ids file is read by the reader (reader.h: gzip or plain, BOM, UTF-16
 * refused, line numbers), which decides its kind from the content: a JSON
 * object means JSONL (an export file or a JSONL results file: the
 * "integrationId" key), a first line that is a CSV header with an
 * integrationId column means CSV (a results file or an import sheet;
 * delimiter ',' ';' or TAB as the header shows, guarded cells "'-x"
 * unguarded), anything else a plain list (one ID per line, each line checked
 * as the input's cells are: no NUL byte, valid UTF-8). This file only maps
 * those records to IDs.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
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

/* The integrationId column of a CSV header, or -1. */
static long id_column(char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (header_name_eq(cells[i], "integrationId"))
			return (long)i;
	return -1;
}

/* reader_header_fn: a CSV header is one with an integrationId column, and a
 * first line that is a '#' comment is never one. */
static int is_ids_header(char *const *cells, size_t n, void *ctx)
{
	(void)ctx;
	return cells[0][strspn(cells[0], " \t")] != '#' && id_column(cells, n) >= 0;
}

/* The state of one file's reading. */
struct ids_file {
	struct id_list *l;
	enum in_format fmt;
	long col;           /* CSV: the integrationId column */
	size_t width;       /* CSV: the header's cells */
};

/* One record of a JSONL file: its integrationId. 0, or -1 with err. */
static int take_json(struct id_list *l, const char *name, const struct record *rec,
		     char *err, size_t errlen)
{
	if (rec->error) {
		snprintf(err, errlen, "%s:%zu: %s", name, rec->line, rec->error);
		return -1;
	}
	json_t *v = json_object_get(rec->obj, "integrationId");   /* borrowed */
	if (!json_is_string(v) || !*json_string_value(v)) {
		snprintf(err, errlen, "%s:%zu: integrationId: %s", name, rec->line,
			 v ? "must be a non-empty string" : "missing");
		return -1;
	}
	id_list_add(l, json_string_value(v), rec->line);
	return 0;
}

/* One record of a plain list or a CSV file. 0, or -1 with err. */
static int take_cell(struct ids_file *f, const char *name, const struct record *rec,
		     char *err, size_t errlen)
{
	if (rec->error && f->fmt == FORMAT_LINES) {
		snprintf(err, errlen, "%s:%zu: %s; an IDs file must be UTF-8 text", name,
			 rec->line, rec->error);
		return -1;
	}
	/* more cells than the header is fine: only one column is read */
	if (rec->error && !(f->fmt == FORMAT_CSV && rec->given > f->width)) {
		snprintf(err, errlen, "%s:%zu: %s", name, rec->line, rec->error);
		return -1;
	}
	char *id = trim(rec->cells[f->col]);
	if (f->fmt == FORMAT_LINES) {
		if (*id && *id != '#')
			id_list_add(f->l, id, rec->line);
		return 0;
	}
	id = (char *)csv_cell_unguard(id);
	if (*id)
		id_list_add(f->l, id, rec->line);
	return 0;
}

/* reader_record_fn: the kind of file once open, then each record. */
static int take_record(void *ctx, const struct reader *r, const struct record *rec,
		       char *err, size_t errlen)
{
	struct ids_file *f = ctx;

	if (!rec) {
		f->fmt = reader_format(r);
		if (f->fmt == FORMAT_CSV) {
			char **header = reader_header(r, &f->width);
			f->col = id_column(header, f->width);
		}
		return 0;
	}
	if (f->fmt == FORMAT_JSONL)
		return take_json(f->l, reader_name(r), rec, err, errlen);
	return take_cell(f, reader_name(r), rec, err, errlen);
}

int id_list_load(struct id_list *l, const char *path, char *err, size_t errlen)
{
	const struct reader_want want = { is_ids_header, NULL, 0 };
	struct ids_file f = { .l = l, .col = 0, .width = 1 };

	return reader_read_all(path, NULL, &want, take_record, &f, err, errlen);
}
