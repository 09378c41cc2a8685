/*
 * source_fixture.h - records built in memory for the source area's unit tests
 * (test_row_map.c, test_validate.c): a CSV table written as tab-separated
 * lines, or JSONL lines, fed through the real row stream (row_map.c and
 * everything behind it) without a reader or a file.
 */
#ifndef S3SRC_SOURCE_FIXTURE_H
#define S3SRC_SOURCE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source_internal.h"

#define FX_MAX 64

struct fixture {
	int jsonl;
	size_t n, i;
	struct record rec[FX_MAX];
	char **cells[FX_MAX];
	json_t *obj[FX_MAX];
	char *header_buf;
	char **header;
	size_t nheader;
	const char *error[FX_MAX];   /* record.error to report, if any */
};

/* Splits a tab-separated line into new cells. */
static inline char **fx_split(const char *line, size_t *n)
{
	size_t cap = 1;
	for (const char *p = line; *p; p++)
		cap += *p == '\t';
	char **cells = calloc(cap + 1, sizeof(char *));
	size_t k = 0;
	const char *p = line;
	for (;;) {
		const char *q = strchr(p, '\t');
		size_t len = q ? (size_t)(q - p) : strlen(p);
		cells[k] = malloc(len + 1);
		memcpy(cells[k], p, len);
		cells[k][len] = '\0';
		k++;
		if (!q)
			break;
		p = q + 1;
	}
	*n = k;
	return cells;
}

static inline void fx_free_cells(char **cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
}

/* CSV: header and rows tab-separated; rows[i] == NULL ends the list. Lines
 * are numbered from 2 (the header is line 1). */
static inline void fx_csv(struct fixture *fx, const char *header, const char *const *rows)
{
	memset(fx, 0, sizeof(*fx));
	fx->header = fx_split(header, &fx->nheader);
	for (size_t i = 0; rows[i] && i < FX_MAX; i++) {
		struct record *r = &fx->rec[i];
		r->row = i + 1;
		r->line = i + 2;
		r->cells = fx->cells[i] = fx_split(rows[i], &r->ncells);
		fx->n++;
	}
}

static inline void fx_jsonl(struct fixture *fx, const char *const *lines)
{
	memset(fx, 0, sizeof(*fx));
	fx->jsonl = 1;
	for (size_t i = 0; lines[i] && i < FX_MAX; i++) {
		struct record *r = &fx->rec[i];
		r->row = i + 1;
		r->line = i + 1;
		r->text = lines[i];
		r->textlen = strlen(lines[i]);
		json_error_t je;
		/* JSON_ALLOW_NUL: the real reader refuses a NUL escape, this lets the tests
		 * reach the draft's own check */
		r->obj = fx->obj[i] = json_loads(lines[i], JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
		if (!r->obj)
			r->error = "invalid JSON";
		fx->n++;
	}
}

static inline void fx_release(struct fixture *fx)
{
	for (size_t i = 0; i < fx->n; i++) {
		if (fx->cells[i])
			fx_free_cells(fx->cells[i], fx->rec[i].ncells);
		json_decref(fx->obj[i]);
	}
	if (fx->header)
		fx_free_cells(fx->header, fx->nheader);
}

static inline int fx_next(void *ctx, struct record *rec, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	struct fixture *fx = ctx;
	if (fx->i >= fx->n)
		return 0;
	*rec = fx->rec[fx->i++];
	return 1;
}

/* Runs the whole stream; returns the number of sources (stored in out, up to
 * max), or -1 if the stream could not be opened (message in err). */
static inline int fx_run(struct fixture *fx, const struct source_opts *o, struct source **out, size_t max,
		  char *err, size_t errlen)
{
	struct row_stream *rs = row_stream_new(o, fx->jsonl ? FORMAT_JSONL : FORMAT_CSV, NULL,
					       fx->header, fx->nheader, fx_next, fx, err, errlen);
	if (!rs)
		return -1;
	size_t n = 0;
	struct source *s;
	while (row_stream_next(rs, &s, err, errlen) > 0) {
		if (n < max)
			out[n++] = s;
		else
			source_free(s);
	}
	row_stream_free(rs);
	return (int)n;
}

static inline void fx_free_sources(struct source **s, int n)
{
	for (int i = 0; i < n; i++)
		source_free(s[i]);
}

/* The body serialized as sent (a modify row's patch), or "" (static buffer). */
static inline const char *fx_body(const struct source *s)
{
	static char buf[8192];
	buf[0] = '\0';
	if (s->body || s->patch) {
		char *p = json_dumps(s->body ? s->body : s->patch, JSON_COMPACT | JSON_ENCODE_ANY);
		snprintf(buf, sizeof(buf), "%s", p);
		free(p);
	}
	return buf;
}

/* The source's errors (or warnings) as the writers show them, "field:
 * message; field: message", or NULL when it has none. Static buffers: a text
 * lives until the eighth call after it. */
static inline const char *fx_diags(const struct source *s, enum diag_severity sev)
{
	static char buf[8][8192];
	static unsigned k;
	char *text = diag_render_new(&s->diags, sev);
	if (!text)
		return NULL;
	char *b = buf[k++ % 8];
	snprintf(b, sizeof(buf[0]), "%s", text);
	free(text);
	return b;
}
#define fx_error(s) fx_diags((s), DIAG_ERROR)
#define fx_warning(s) fx_diags((s), DIAG_WARNING)

/* The standard single-row table: these columns, a valid create by default. */
static const char fx_header[] =
	"integrationLabel\tawsAccountId\ts3Bucket\tlogProcessingRole\tlogStreamType\t"
	"managedBucketNotifications\tprefix\tlogTypes\texcludedPrefixes\tkmsKey\tintegrationId\t"
	"action\tjsonArrayEnvelopeField\tretainEnvelopeFields\txmlRootElement";
static const char *const fx_base[] = {
	"prod-cloudtrail", "123456789012", "prod-cloudtrail-logs",
	"arn:aws:iam::123456789012:role/PantherLogProcessingRole", "JSON", "true",
	"AWSLogs/", "AWS.CloudTrail", "", "", "", "", "", "", "",
};

/* The standard row with overrides "field=value" (NULL-terminated), as one TSV
 * line into buf. */
static inline const char *fx_row(char *buf, size_t len, const char *const *over)
{
	size_t nh;
	char **names = fx_split(fx_header, &nh);
	buf[0] = '\0';
	for (size_t i = 0; i < nh; i++) {
		const char *v = fx_base[i];
		for (size_t k = 0; over && over[k]; k++) {
			size_t nl = strlen(names[i]);
			if (!strncmp(over[k], names[i], nl) && over[k][nl] == '=')
				v = over[k] + nl + 1;
		}
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", i ? "\t" : "", v);
	}
	fx_free_cells(names, nh);
	return buf;
}

#endif
