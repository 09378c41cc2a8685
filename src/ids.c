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

/* One record of a JSONL file: its integrationId. 0, or -1 with err. */
static int take_json(struct id_list *l, const char *name, const struct record *rec,
		     char *err, size_t errlen)
{
	if (rec->error) {
		snprintf(err, errlen, "%s:%zu: %s", name, rec->line, rec->error);
		return -1;
	}
	json_t *v = json_object_get(rec->obj, "integrationId");
	if (!json_is_string(v) || !*json_string_value(v)) {
		snprintf(err, errlen, "%s:%zu: integrationId: %s", name, rec->line,
			 v ? "must be a non-empty string" : "missing");
		return -1;
	}
	id_list_add(l, json_string_value(v), rec->line);
	return 0;
}

/* One record of a plain list or a CSV file (cell col of a header of width
 * cells). 0, or -1 with err. */
static int take_cell(struct id_list *l, const char *name, const struct record *rec,
		     enum in_format fmt, long col, size_t width, char *err, size_t errlen)
{
	if (rec->error && fmt == FORMAT_LINES) {
		snprintf(err, errlen, "%s:%zu: %s; an IDs file must be UTF-8 text", name,
			 rec->line, rec->error);
		return -1;
	}
	/* more cells than the header is fine: only one column is read */
	if (rec->error && !(fmt == FORMAT_CSV && rec->given > width)) {
		snprintf(err, errlen, "%s:%zu: %s", name, rec->line, rec->error);
		return -1;
	}
	char *id = trim(rec->cells[col]);
	if (fmt == FORMAT_LINES) {
		if (*id && *id != '#')
			id_list_add(l, id, rec->line);
		return 0;
	}
	id = (char *)csv_cell_unguard(id);
	if (*id)
		id_list_add(l, id, rec->line);
	return 0;
}

int id_list_load(struct id_list *l, const char *path, char *err, size_t errlen)
{
	struct reader_want want = { is_ids_header, NULL, 0 };
	struct record rec;
	long col = 0;
	size_t width = 1;
	int rc = 0, ret = 0;

	struct reader *r = reader_open_for(path, NULL, &want, err, errlen);
	if (!r)
		return -1;
	const char *name = reader_name(r);
	enum in_format fmt = reader_format(r);
	if (fmt == FORMAT_CSV) {
		char **header = reader_header(r, &width);
		col = id_column(header, width);
	}
	while (!ret && (rc = reader_next(r, &rec, err, errlen)) > 0)
		ret = fmt == FORMAT_JSONL ? take_json(l, name, &rec, err, errlen)
					  : take_cell(l, name, &rec, fmt, col, width, err,
						      errlen);
	if (!ret && rc < 0) {
		reader_error_at_line(r, err, errlen);
		ret = -1;
	}
	char cerr[512];
	if (reader_close(r, cerr, sizeof(cerr)) < 0 && !ret) {
		snprintf(err, errlen, "%s", cerr);
		ret = -1;
	}
	return ret;
}
