/*
 * header.c - the names of the input's fields: matching a CSV header (or a
 * --set FIELD) to the API's fields the way a spreadsheet user writes them
 * ("AWS Account ID" = "aws_account_id" = "awsAccountId": case-insensitive,
 * spaces, '_' and '-' ignored), and a did-you-mean by edit distance for a
 * column that matches nothing, so a typo stops the run before anything is
 * sent instead of silently dropping a column.
 */
#include "source_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const field_names[F__COUNT] = {
	[F_ACTION] = "action",
	[F_INTEGRATION_ID] = "integrationId",
	[F_INTEGRATION_LABEL] = "integrationLabel",
	[F_AWS_ACCOUNT_ID] = "awsAccountId",
	[F_S3_BUCKET] = "s3Bucket",
	[F_KMS_KEY] = "kmsKey",
	[F_LOG_PROCESSING_ROLE] = "logProcessingRole",
	[F_LOG_STREAM_TYPE] = "logStreamType",
	[F_MANAGED_BUCKET_NOTIFICATIONS] = "managedBucketNotifications",
	[F_S3_PREFIX_LOG_TYPES] = "s3PrefixLogTypes",
	[F_PREFIX] = "prefix",
	[F_LOG_TYPES] = "logTypes",
	[F_EXCLUDED_PREFIXES] = "excludedPrefixes",
	[F_JSON_ARRAY_ENVELOPE_FIELD] = "jsonArrayEnvelopeField",
	[F_RETAIN_ENVELOPE_FIELDS] = "retainEnvelopeFields",
	[F_XML_ROOT_ELEMENT] = "xmlRootElement",
};

const char *field_name(int f)
{
	return f >= 0 && f < F__COUNT ? field_names[f] : "";
}

/* Lowercase name without spaces, '_' and '-' into out (truncated at outlen-1). */
static size_t normalize(const char *name, size_t len, char *out, size_t outlen)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n + 1 < outlen; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c == ' ' || c == '_' || c == '-' || c == '\t')
			continue;
		out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[n] = '\0';
	return n;
}

int field_lookup(const char *name, size_t len)
{
	char want[64], have[64];
	if (len >= sizeof(want) * 2)
		return -1;
	normalize(name, len, want, sizeof(want));
	for (int f = 0; f < F__COUNT; f++) {
		normalize(field_names[f], strlen(field_names[f]), have, sizeof(have));
		if (!strcmp(want, have))
			return f;
	}
	return -1;
}

/* Levenshtein distance of two short strings (each < 64 bytes). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t prev[64], cur[64];
	if (la >= 64 || lb >= 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t m = del < ins ? del : ins;
			cur[j] = m < sub ? m : sub;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

const char *field_suggest(const char *name)
{
	char want[64], have[64];
	size_t n = normalize(name, strlen(name), want, sizeof(want));
	size_t best = (size_t)-1;
	const char *found = NULL;
	for (int f = 0; f < F__COUNT; f++) {
		normalize(field_names[f], strlen(field_names[f]), have, sizeof(have));
		size_t d = edit_distance(want, have);
		if (d < best) {
			best = d;
			found = field_names[f];
		}
	}
	/* a plausible typo: a third of the name, at least 2 edits */
	size_t limit = n / 3 < 2 ? 2 : n / 3;
	return best <= limit ? found : NULL;
}

static int is_ignored(const char *cell, const char *const *ignore, size_t nignore)
{
	char a[256], b[256];
	normalize(cell, strlen(cell), a, sizeof(a));
	if (!strcmp(a, "error"))
		return 1;
	for (size_t i = 0; i < nignore; i++) {
		normalize(ignore[i], strlen(ignore[i]), b, sizeof(b));
		if (!strcmp(a, b))
			return 1;
	}
	return 0;
}

int header_map_init(struct header_map *hm, char *const *cells, size_t ncells,
		    const char *const *ignore, size_t nignore, char *err, size_t errlen)
{
	hm->ncols = ncells;
	hm->col = xcalloc(ncells ? ncells : 1, sizeof(int));
	for (int f = 0; f < F__COUNT; f++)
		hm->pos[f] = -1;
	for (size_t i = 0; i < ncells; i++) {
		const char *cell = cells[i];
		size_t len = strlen(cell);
		/* trim the surrounding blanks a spreadsheet may leave */
		while (len && (*cell == ' ' || *cell == '\t')) {
			cell++;
			len--;
		}
		while (len && (cell[len - 1] == ' ' || cell[len - 1] == '\t' ||
			       cell[len - 1] == '\r' || cell[len - 1] == '\n'))
			len--;
		char name[256];
		snprintf(name, sizeof(name), "%.*s", (int)len, cell);
		/* an unnamed column (a spreadsheet's trailing empty column) and
		 * the ignored ones are not read */
		if (!len || is_ignored(name, ignore, nignore)) {
			hm->col[i] = F_IGNORED;
			continue;
		}
		int f = field_lookup(name, strlen(name));
		if (f < 0) {
			const char *s = field_suggest(name);
			if (s)
				snprintf(err, errlen, "unknown column '%s' (did you mean '%s'?); "
					 "rename it, or skip it with --ignore-column '%s'", name, s, name);
			else
				snprintf(err, errlen, "unknown column '%s'; "
					 "rename it, or skip it with --ignore-column '%s'", name, name);
			header_map_release(hm);
			return -1;
		}
		if (hm->pos[f] >= 0) {
			snprintf(err, errlen, "columns '%s' and '%s' both name the field '%s'; keep one",
				 cells[hm->pos[f]], name, field_names[f]);
			header_map_release(hm);
			return -1;
		}
		hm->col[i] = f;
		hm->pos[f] = (int)i;
	}
	return 0;
}

void header_map_release(struct header_map *hm)
{
	free(hm->col);
	hm->col = NULL;
	hm->ncols = 0;
}
