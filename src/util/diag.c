/*
 * diag.c - the list of diagnostics a row collects (diag.h): a growable array
 * of {field, severity, text} records, the lookups the checks need (is there
 * already an error about this field?) and the one rendering to the
 * "field: text; field: text" line the output files and validate print.
 */
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_list_init(struct diag_list *l)
{
	memset(l, 0, sizeof(*l));
}

void diag_list_truncate(struct diag_list *l, size_t n)
{
	while (l->n > n) {
		l->n--;
		free(l->v[l->n].field);
		free(l->v[l->n].text);
	}
}

void diag_list_drop(struct diag_list *l, enum diag_severity sev)
{
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].severity == sev) {
			free(l->v[i].field);
			free(l->v[i].text);
		} else {
			l->v[k++] = l->v[i];
		}
	}
	l->n = k;
}

void diag_list_release(struct diag_list *l)
{
	diag_list_truncate(l, 0);
	free(l->v);
	diag_list_init(l);
}

static struct diag *diag_new(struct diag_list *l)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 4;
		l->v = xrealloc(l->v, l->alloc * sizeof(*l->v));
	}
	return &l->v[l->n++];
}

void diag_list_move(struct diag_list *dst, struct diag_list *src)
{
	for (size_t i = 0; i < src->n; i++)
		*diag_new(dst) = src->v[i];
	src->n = 0;   /* the strings now belong to dst */
	diag_list_release(src);
}

void diag_add_text(struct diag_list *l, enum diag_severity sev, const char *field,
		   const char *text)
{
	struct diag *d = diag_new(l);
	d->field = field ? xstrdup(field) : NULL;
	d->severity = sev;
	d->text = xstrdup(text);
}

/* A text is cut at 1023 bytes, as the messages always were. */
__attribute__((format(printf, 4, 0)))
static void diag_addv(struct diag_list *l, enum diag_severity sev, const char *field,
		      const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	diag_add_text(l, sev, field, msg);
}

void diag_error(struct diag_list *l, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_addv(l, DIAG_ERROR, field, fmt, ap);
	va_end(ap);
}

void diag_warn(struct diag_list *l, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_addv(l, DIAG_WARNING, field, fmt, ap);
	va_end(ap);
}

size_t diag_count(const struct diag_list *l, enum diag_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += l->v[i].severity == sev;
	return n;
}

int diag_has(const struct diag_list *l, enum diag_severity sev, const char *field)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].severity == sev && l->v[i].field && !strcmp(l->v[i].field, field))
			return 1;
	return 0;
}

void diag_render(const struct diag_list *l, enum diag_severity sev, struct strbuf *sb)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct diag *d = &l->v[i];
		if (d->severity != sev)
			continue;
		if (sb->len)
			strbuf_addstr(sb, "; ");
		if (d->field) {
			strbuf_addstr(sb, d->field);
			strbuf_addstr(sb, ": ");
		}
		strbuf_addstr(sb, d->text);
	}
}

char *diag_render_new(const struct diag_list *l, enum diag_severity sev)
{
	struct strbuf sb = STRBUF_INIT;
	diag_render(l, sev, &sb);
	if (sb.len)
		return strbuf_detach(&sb, NULL);
	strbuf_release(&sb);
	return NULL;
}
