/*
 * header.c - the names of the input's fields: matching a CSV header (or a
 * --set FIELD) to the API's fields the way a spreadsheet user writes them
 * ("AWS Account ID" = "aws_account_id" = "awsAccountId": case-insensitive,
 * spaces, '_' and '-' ignored; reader.h's header_name_eq(), the one rule for
 * every file's header), and a did-you-mean by edit distance for a column that
 * matches nothing, so a typo stops the run before anything is sent instead of
 * silently dropping a column.
 *
 * Besides the API's own names, the names people give these columns in their
 * own sheets are accepted (spec "CSV": `Account ID`, `Bucket`, `Source Name`,
 * `Role ARN`, ...; the synonyms table below), and `--column 'HEADER=field'`
 * maps any other header. Every unknown column is named in one message, each
 * with a did-you-mean that knows the synonyms too, so one run finds them all.
 */
#include "source_internal.h"
#include "messages.h"
#include "reader.h"   /* header_name_eq(), header_name_normalize() */

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

/* The names people use in their own sheets (spec "CSV"), compared the same
 * way as the API's names. */
static const struct synonym {
	const char *name;
	int field;
} synonyms[] = {
	{ "Account", F_AWS_ACCOUNT_ID },
	{ "Account ID", F_AWS_ACCOUNT_ID },
	{ "AWS Account", F_AWS_ACCOUNT_ID },
	{ "Bucket", F_S3_BUCKET },
	{ "Bucket Name", F_S3_BUCKET },
	{ "S3 Bucket Name", F_S3_BUCKET },
	{ "Name", F_INTEGRATION_LABEL },
	{ "Label", F_INTEGRATION_LABEL },
	{ "Source Name", F_INTEGRATION_LABEL },
	{ "Source", F_INTEGRATION_LABEL },
	{ "Role", F_LOG_PROCESSING_ROLE },
	{ "Role ARN", F_LOG_PROCESSING_ROLE },
	{ "IAM Role", F_LOG_PROCESSING_ROLE },
	{ "KMS Key", F_KMS_KEY },
	{ "KMS Key ARN", F_KMS_KEY },
	{ "Stream Type", F_LOG_STREAM_TYPE },
	{ "Log Stream Type", F_LOG_STREAM_TYPE },
	{ "Prefix", F_PREFIX },
	{ "Prefixes", F_PREFIX },
	{ "S3 Prefix", F_PREFIX },
	{ "Log Type", F_LOG_TYPES },
	{ "Log Types", F_LOG_TYPES },
	{ "Excluded Prefixes", F_EXCLUDED_PREFIXES },
	{ "Exclude", F_EXCLUDED_PREFIXES },
	{ "ID", F_INTEGRATION_ID },
	{ "Source ID", F_INTEGRATION_ID },
	{ "Integration ID", F_INTEGRATION_ID },
	{ "Managed Notifications", F_MANAGED_BUCKET_NOTIFICATIONS },
	{ "Bucket Notifications", F_MANAGED_BUCKET_NOTIFICATIONS },
};

const char *field_name(int f)
{
	return f >= 0 && f < F__COUNT ? field_names[f] : "";
}

int field_lookup(const char *name, size_t len)
{
	char want[64], have[64];
	if (len >= sizeof(want) * 2)
		return -1;
	header_name_normalize(name, len, want, sizeof(want));
	for (int f = 0; f < F__COUNT; f++) {
		header_name_normalize(field_names[f], strlen(field_names[f]), have, sizeof(have));
		if (!strcmp(want, have))
			return f;
	}
	return -1;
}

int column_lookup(const char *name, size_t len)
{
	char want[64], have[64];
	int f = field_lookup(name, len);
	if (f >= 0 || len >= sizeof(want) * 2)
		return f;
	header_name_normalize(name, len, want, sizeof(want));
	for (size_t i = 0; i < ARRAY_SIZE(synonyms); i++) {
		header_name_normalize(synonyms[i].name, strlen(synonyms[i].name), have, sizeof(have));
		if (!strcmp(want, have))
			return synonyms[i].field;
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

/* Keeps cand (of field f) in *found / *field when it is nearer to want than
 * *best edits. want is normalized already; cand is a name as written. */
static void keep_nearer(const char *want, const char *cand, int f, size_t *best,
			const char **found, int *field)
{
	char have[64];
	header_name_normalize(cand, strlen(cand), have, sizeof(have));
	size_t d = edit_distance(want, have);
	if (d < *best) {
		*best = d;
		*found = cand;
		*field = f;
	}
}

/* A plausible typo: a third of the name, at least 2 edits. */
static size_t typo_limit(size_t n)
{
	return n / 3 < 2 ? 2 : n / 3;
}

const char *field_suggest(const char *name)
{
	char want[64];
	size_t n = header_name_normalize(name, strlen(name), want, sizeof(want));
	size_t best = (size_t)-1;
	const char *found = NULL;
	int field = -1;
	for (int f = 0; f < F__COUNT; f++)
		keep_nearer(want, field_names[f], f, &best, &found, &field);
	return best <= typo_limit(n) ? found : NULL;
}

const char *column_suggest(const char *name, int *field)
{
	char want[64], have[64];
	size_t n = header_name_normalize(name, strlen(name), want, sizeof(want));
	size_t best = (size_t)-1;
	const char *found = NULL;
	*field = -1;
	for (int f = 0; f < F__COUNT; f++)
		keep_nearer(want, field_names[f], f, &best, &found, field);
	for (size_t i = 0; i < ARRAY_SIZE(synonyms); i++)
		keep_nearer(want, synonyms[i].name, synonyms[i].field, &best, &found, field);
	/* a plausible typo as for field_suggest(), but a short synonym ("ID")
	 * is never suggested for a word it shares nothing with */
	if (found && best <= typo_limit(n) &&
	    best < header_name_normalize(found, strlen(found), have, sizeof(have)))
		return found;
	*field = -1;
	return NULL;
}

static int is_ignored(const char *cell, const char *const *ignore, size_t nignore)
{
	char a[256], b[256];
	header_name_normalize(cell, strlen(cell), a, sizeof(a));
	if (!strcmp(a, "error"))
		return 1;
	for (size_t i = 0; i < nignore; i++) {
		header_name_normalize(ignore[i], strlen(ignore[i]), b, sizeof(b));
		if (!strcmp(a, b))
			return 1;
	}
	return 0;
}

/* The cell's name without the blanks a spreadsheet may leave around it. */
static void cell_trim(const char *cell, char *name, size_t namelen)
{
	struct cellv v = cellv_trim(cell, strlen(cell));
	snprintf(name, namelen, "%.*s", (int)v.n, v.p);
}

/* Checks the --column HEADER=field rules: -1 with a message on a bad one. */
static int columns_check(const char *const *columns, size_t ncolumns, char *err, size_t errlen)
{
	for (size_t i = 0; i < ncolumns; i++) {
		const char *c = columns[i], *eq = strrchr(c, '=');
		if (!eq || eq == c || !eq[1]) {
			snprintf(err, errlen, M_COLUMN_SYNTAX, c);
			return -1;
		}
		if (column_lookup(eq + 1, strlen(eq + 1)) < 0) {
			int f;
			const char *s = column_suggest(eq + 1, &f);
			snprintf(err, errlen, M_COLUMN_FIELD, c, eq + 1,
				 s ? " (did you mean '" : "", s ? field_name(f) : "", s ? "'?)" : "");
			return -1;
		}
	}
	return 0;
}

/* The field a --column rule gives this header name, or -1. */
static int column_rule(const char *name, const char *const *columns, size_t ncolumns)
{
	for (size_t i = 0; i < ncolumns; i++) {
		const char *eq = strrchr(columns[i], '=');
		char rule[256];
		snprintf(rule, sizeof(rule), "%.*s", (int)(eq - columns[i]), columns[i]);
		if (header_name_eq(rule, name))
			return column_lookup(eq + 1, strlen(eq + 1));
	}
	return -1;
}

/* Each --column HEADER=field rule must name a header of the file: -1 with a
 * message on one that does not. */
static int columns_in_header(char *const *cells, size_t ncells, const char *const *columns,
			     size_t ncolumns, char *err, size_t errlen)
{
	for (size_t i = 0; i < ncolumns; i++) {
		const char *eq = strrchr(columns[i], '=');
		char rule[256], name[256];
		size_t k;
		snprintf(rule, sizeof(rule), "%.*s", (int)(eq - columns[i]), columns[i]);
		for (k = 0; k < ncells; k++) {
			cell_trim(cells[k], name, sizeof(name));
			if (header_name_eq(rule, name))
				break;
		}
		if (k == ncells) {
			snprintf(err, errlen, M_COLUMN_NO_HEADER, columns[i], rule);
			return -1;
		}
	}
	return 0;
}

/* The message for n unknown columns: their list (unknown), the first one's
 * name and the --ignore-column options that would skip them all (skip). */
static void unknown_columns_error(size_t n, const char *first, const char *unknown,
				  const char *skip, char *err, size_t errlen)
{
	if (n > 1) {
		snprintf(err, errlen, M_HEADER_UNKNOWNS, n, unknown, skip);
		return;
	}
	/* one unknown column holding a delimiter twice or more: most likely the
	 * whole header of a file separated by another character (a "Notes; misc"
	 * column keeps the usual advice) */
	const char *d = strpbrk(first, "|;\t,");
	if (d && !strchr(d + 1, *d))
		d = NULL;
	char c[2] = { d ? *d : 0, 0 };
	const char *shown = d && *d == '\t' ? "tab" : c;
	if (d)
		snprintf(err, errlen, M_HEADER_DELIMITER, first, shown, shown);
	else
		snprintf(err, errlen, M_HEADER_UNKNOWN, unknown, first, skip);
}

/* Appends 'name' and its did-you-mean to sb. */
static void unknown_add(struct strbuf *sb, const char *name)
{
	int f;
	const char *s = column_suggest(name, &f);
	strbuf_addf(sb, "'%.64s'", name);
	if (s && !strcmp(s, field_name(f)))
		strbuf_addf(sb, " (did you mean '%s'?)", s);
	else if (s)
		strbuf_addf(sb, " (did you mean '%s', i.e. %s?)", s, field_name(f));
}

int header_map_init(struct header_map *hm, char *const *cells, size_t ncells,
		    const char *const *ignore, size_t nignore,
		    const char *const *columns, size_t ncolumns, char *err, size_t errlen)
{
	struct strbuf unknown = STRBUF_INIT, skip = STRBUF_INIT;
	size_t nunknown = 0;
	char first[256] = "";

	hm->ncols = ncells;
	hm->col = xcalloc(ncells ? ncells : 1, sizeof(int));
	for (int f = 0; f < F__COUNT; f++)
		hm->pos[f] = -1;
	if (columns_check(columns, ncolumns, err, errlen) < 0 ||
	    columns_in_header(cells, ncells, columns, ncolumns, err, errlen) < 0)
		goto fail;
	for (size_t i = 0; i < ncells; i++) {
		char name[256];
		cell_trim(cells[i], name, sizeof(name));
		/* an unnamed column (a spreadsheet's trailing empty column) and
		 * the ignored ones are not read */
		if (!*name || is_ignored(name, ignore, nignore)) {
			hm->col[i] = *name ? F_IGNORED : F_UNNAMED;   /* F_UNNAMED: its cells must be empty */
			continue;
		}
		int f = column_rule(name, columns, ncolumns);
		if (f < 0)
			f = column_lookup(name, strlen(name));
		if (f < 0) {
			if (nunknown++)
				strbuf_addstr(&unknown, ", ");
			else
				snprintf(first, sizeof(first), "%.64s", name);
			unknown_add(&unknown, name);
			strbuf_addf(&skip, " --ignore-column '%.64s'", name);
			hm->col[i] = F_IGNORED;
			continue;
		}
		if (hm->pos[f] >= 0) {
			char other[256];
			cell_trim(cells[hm->pos[f]], other, sizeof(other));
			snprintf(err, errlen, M_HEADER_TWICE, other, name, field_names[f]);
			goto fail;
		}
		hm->col[i] = f;
		hm->pos[f] = (int)i;
	}
	if (nunknown) {
		unknown_columns_error(nunknown, first, unknown.buf, skip.buf, err, errlen);
		goto fail;
	}
	strbuf_release(&unknown);
	strbuf_release(&skip);
	return 0;
fail:
	strbuf_release(&unknown);
	strbuf_release(&skip);
	header_map_release(hm);
	return -1;
}

void header_map_release(struct header_map *hm)
{
	free(hm->col);
	hm->col = NULL;
	hm->ncols = 0;
}
