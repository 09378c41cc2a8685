/*
 * validate.c - the contract's "Validation" list, applied to one draft source
 * before anything is sent: required fields per action, account IDs (with the
 * spreadsheet repairs: leading zeros padded back, scientific notation refused),
 * labels, S3 bucket names, role and KMS key ARNs, the logStreamType enum and
 * its options, the prefix/log type mappings. Every failure is a
 * "field: message" that says what is wrong and how to fix it; the normalized
 * values then go to body_build().
 *
 * The draft is the same for CSV and JSONL (every field a string, see
 * row_map.c, which also did the JSONL type checks), so each rule exists once.
 */
#include "source_internal.h"
#include "messages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const stream_types[] = {
	"Auto", "JSON", "JsonArray", "Lines", "XML", "CloudWatchLogs",
};

const char *stream_type_canonical(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(stream_types); i++)
		if (!strcasecmp(s, stream_types[i]))
			return stream_types[i];
	return NULL;
}

static int is_word_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

int log_type_valid(const char *s)
{
	size_t seg = 0, nseg = 0;
	for (const char *p = s;; p++) {
		if (*p == '.' || !*p) {
			if (!seg)
				return 0;
			nseg++;
			seg = 0;
			if (!*p)
				break;
		} else if (is_word_char((unsigned char)*p)) {
			seg++;
		} else {
			return 0;
		}
	}
	return nseg >= 2;
}

int all_digits(const char *p, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/* "1.23457E+11", "1E11", "1.2e+011": what a spreadsheet makes of a long number. */
static int scientific(const char *s)
{
	const char *p = s;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.' || *p == ',') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p != 'e' && *p != 'E')
		return 0;
	p++;
	if (*p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\0';
}

static const char *action_word(enum action a)
{
	return a == ACTION_MODIFY ? "a modify" : "a create";
}

static void required(struct draft *d, const char *field, enum action a)
{
	if (diag_has(&d->diags, DIAG_ERROR, field))
		return;
	diag_error(&d->diags, field, M_MISSING, action_word(a),
		 d->from_jsonl ? "key" : "column");
	d->nby_label++;
}

/* Checks an account ID; on success writes the 12 digits to out. */
static int check_account(struct draft *d, const char *s, char out[13], int quiet)
{
	size_t n = strlen(s);
	if (all_digits(s, n) && n == 12) {
		memcpy(out, s, 13);
		return 0;
	}
	if (all_digits(s, n) && (n == 10 || n == 11)) {
		memset(out, '0', 12 - n);
		memcpy(out + 12 - n, s, n + 1);
		if (!quiet)
			diag_warn(&d->diags, "awsAccountId", M_ACCOUNT_PADDED, s, out);
		return 0;
	}
	if (quiet)
		return -1;
	if (scientific(s))
		diag_error(&d->diags, "awsAccountId", M_ACCOUNT_SCIENTIFIC, s);
	else if (all_digits(s, n))
		diag_error(&d->diags, "awsAccountId", M_ACCOUNT_DIGITS, s, n);
	else
		diag_error(&d->diags, "awsAccountId", M_ACCOUNT_NOT_DIGITS, s);
	return -1;
}

static void check_label(struct draft *d, const char *s)
{
	size_t n = strlen(s);
	if (n > 32) {
		diag_error(&d->diags, "integrationLabel", M_LABEL_TOO_LONG, s, n);
		return;
	}
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == ' ' || c == '-')
			continue;
		if (c >= 0x80)
			diag_error(&d->diags, "integrationLabel", M_LABEL_NON_ASCII, s);
		else if (c < 0x20 || c == 0x7f)
			diag_error(&d->diags, "integrationLabel", M_LABEL_CONTROL, s);
		else
			diag_error(&d->diags, "integrationLabel", M_LABEL_CHARACTER, s, c);
		return;
	}
}

static void check_bucket(struct draft *d, const char *s)
{
	static const char *const F = "s3Bucket";
	size_t n = strlen(s);
	if (!strncmp(s, "s3://", 5) || !strncmp(s, "arn:", 4) || strchr(s, '/')) {
		diag_error(&d->diags, F, M_BUCKET_URL, s);
		return;
	}
	if (n < 3 || n > 63) {
		diag_error(&d->diags, F, M_BUCKET_LENGTH, s, n);
		return;
	}
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')
			continue;
		if (c >= 'A' && c <= 'Z')
			diag_error(&d->diags, F, M_BUCKET_UPPERCASE, s);
		else if (c >= 0x80 || c < 0x20)
			diag_error(&d->diags, F, M_BUCKET_BAD_BYTE, s);
		else
			diag_error(&d->diags, F, M_BUCKET_CHARACTER, s, c);
		return;
	}
	int alnum_first = (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9');
	int alnum_last = (s[n - 1] >= 'a' && s[n - 1] <= 'z') || (s[n - 1] >= '0' && s[n - 1] <= '9');
	if (!alnum_first || !alnum_last) {
		diag_error(&d->diags, F, M_BUCKET_ENDS, s);
		return;
	}
	if (strstr(s, "..")) {
		diag_error(&d->diags, F, M_BUCKET_DOTS, s);
		return;
	}
	/* an IPv4 address: four dot-separated groups of digits */
	int groups = 0, ok = 1;
	for (const char *p = s; *p && ok;) {
		const char *q = p;
		while (*q >= '0' && *q <= '9')
			q++;
		if (q == p || (*q && *q != '.'))
			ok = 0;
		groups++;
		p = *q ? q + 1 : q;
	}
	if (ok && groups == 4)
		diag_error(&d->diags, F, M_BUCKET_IP, s);
}

/* The six parts of an ARN: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE. */
struct arn {
	char part[6][130];
};

static int arn_split(const char *s, struct arn *a)
{
	const char *p = s;
	for (int i = 0; i < 6; i++) {
		const char *q = i < 5 ? strchr(p, ':') : p + strlen(p);
		if (!q || (size_t)(q - p) >= sizeof(a->part[i]))
			return -1;
		memcpy(a->part[i], p, (size_t)(q - p));
		a->part[i][q - p] = '\0';
		p = q + 1;
	}
	return strcmp(a->part[0], "arn") ? -1 : 0;
}

/* aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, ... */
static int partition_ok(const char *p)
{
	if (strncmp(p, "aws", 3))
		return 0;
	for (p += 3; *p; p++) {
		if (*p != '-' || !p[1] || p[1] == '-')
			return 0;
		for (p++; p[1] && p[1] != '-'; p++)
			if (*p < 'a' || *p > 'z')
				return 0;
		if (*p < 'a' || *p > 'z')
			return 0;
	}
	return 1;
}

/* us-east-1, eu-central-2, us-gov-west-1, ap-southeast-3 */
static int region_ok(const char *r)
{
	size_t n = strlen(r);
	if (n < 6 || r[0] < 'a' || r[0] > 'z' || r[1] < 'a' || r[1] > 'z' || r[2] != '-')
		return 0;
	if (r[n - 1] < '0' || r[n - 1] > '9')
		return 0;
	for (const char *p = r + 3; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	const char *dash = strrchr(r, '-');
	return dash > r + 2 && all_digits(dash + 1, strlen(dash + 1));
}

static const char role_form[] = "expected arn:aws:iam::123456789012:role/NAME";

/* Returns 0 and the role's account in acct, or -1 (noted). */
static int check_role(struct draft *d, const char *s, char acct[13])
{
	static const char *const F = "logProcessingRole";
	struct arn a;
	if (arn_split(s, &a) < 0 || strcmp(a.part[2], "iam")) {
		diag_error(&d->diags, F, M_ROLE_NOT_ARN, s, role_form);
		return -1;
	}
	if (!partition_ok(a.part[1])) {
		diag_error(&d->diags, F, M_ROLE_PARTITION, s, a.part[1]);
		return -1;
	}
	if (a.part[3][0]) {
		diag_error(&d->diags, F, M_ROLE_REGION, s, role_form);
		return -1;
	}
	if (!all_digits(a.part[4], strlen(a.part[4])) || strlen(a.part[4]) != 12) {
		diag_error(&d->diags, F, M_ROLE_ACCOUNT, s,
			 a.part[4], role_form);
		return -1;
	}
	const char *name = a.part[5];
	if (strncmp(name, "role/", 5) || !name[5] || name[strlen(name) - 1] == '/') {
		diag_error(&d->diags, F, M_ROLE_NOT_ROLE, s, role_form);
		return -1;
	}
	for (const char *p = name + 5; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    strchr("+=,.@_-/", c))
			continue;
		diag_error(&d->diags, F, M_ROLE_NAME_CHARACTER, s, c);
		return -1;
	}
	memcpy(acct, a.part[4], 13);
	return 0;
}

static void check_kms(struct draft *d, const char *s)
{
	static const char *const F = "kmsKey";
	static const char form[] = "expected arn:aws:kms:REGION:123456789012:key/KEY-ID";
	struct arn a;
	if (arn_split(s, &a) < 0 || strcmp(a.part[2], "kms")) {
		diag_error(&d->diags, F, M_KMS_NOT_ARN, s, form);
		return;
	}
	if (!partition_ok(a.part[1])) {
		diag_error(&d->diags, F, M_KMS_PARTITION, s, a.part[1]);
		return;
	}
	if (!region_ok(a.part[3])) {
		diag_error(&d->diags, F, M_KMS_REGION, s, a.part[3]);
		return;
	}
	if (!all_digits(a.part[4], strlen(a.part[4])) || strlen(a.part[4]) != 12) {
		diag_error(&d->diags, F, M_KMS_ACCOUNT, s, a.part[4]);
		return;
	}
	if (!strncmp(a.part[5], "alias/", 6)) {
		diag_error(&d->diags, F, M_KMS_ALIAS, s);
		return;
	}
	const char *id = a.part[5] + 4;
	int ok = !strncmp(a.part[5], "key/", 4) && *id;
	for (const char *p = id; ok && *p; p++)
		ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		     *p == '-';
	if (!ok)
		diag_error(&d->diags, F, M_KMS_NOT_KEY, s, form);
}

/* "error" is the key a failed-rows file adds: ignored, so the file can be
 * fixed and imported again as it is. */
static const char *const mapping_keys[] = { "prefix", "logTypes", "excludedPrefixes" };

static int known(const char *key, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(key, keys[i]))
			return 1;
	return 0;
}

void note_unknown_keys(struct diag_list *diags, const json_t *o, const char *where,
		       const char *const *keys, size_t n)
{
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)o, key, v) {
		(void)v;
		if (known(key, keys, n))
			continue;
		char field[300];
		snprintf(field, sizeof(field), "%.160s%s%.100s", where, *where ? "." : "", key);
		const char *s = field_suggest(key);
		int syn = column_lookup(key, strlen(key));
		if (!(s && known(s, keys, n)) && syn >= 0)
			s = field_name(syn);   /* a sheet's name for it, e.g. "bucket" */
		if (s && known(s, keys, n) && strcmp(s, key))
			diag_error(diags, field, M_UNKNOWN_KEY_DID_YOU_MEAN, s);
		else
			diag_error(diags, field, M_UNKNOWN_KEY);
	}
}

/* Checks the logStreamTypeOptions fields against the stream type; fills f. */
static void check_options(struct draft *d, const char *stream, struct body_fields *f)
{
	const char *shown = stream ? stream : "not set";
	f->retain_envelope_fields = -1;
	f->json_array_envelope_field = d->val[F_JSON_ARRAY_ENVELOPE_FIELD];
	if (f->json_array_envelope_field && (!stream || strcmp(stream, "JsonArray")))
		diag_error(&d->diags, "jsonArrayEnvelopeField", M_ENVELOPE_ONLY_JSONARRAY, shown);
	f->xml_root_element = d->val[F_XML_ROOT_ELEMENT];
	if (f->xml_root_element && (!stream || strcmp(stream, "XML")))
		diag_error(&d->diags, "xmlRootElement", M_XMLROOT_ONLY_XML, shown);
	const char *r = d->val[F_RETAIN_ENVELOPE_FIELDS];
	if (!r)
		return;
	int b = parse_bool(r, strlen(r));
	if (b < 0)
		diag_error(&d->diags, "retainEnvelopeFields", M_RETAIN_NOT_BOOLEAN, r);
	else if (stream && !strcmp(stream, "CloudWatchLogs"))
		f->retain_envelope_fields = b;
	else if (b)
		diag_error(&d->diags, "retainEnvelopeFields", M_RETAIN_ONLY_CLOUDWATCH, shown);
	/* false with another stream type says nothing: not sent */
}

/* The name of a mapping's field in messages: the CSV column for a flat
 * mapping, the JSON path otherwise; plus the line when it is a continuation. */
static void mapping_field(const struct draft *d, size_t i, const char *key, char *out, size_t outlen)
{
	int flat = i < d->nmap && d->map[i].flat;
	size_t line = i < d->nmap ? d->map[i].line : d->line;
	int n;
	if (flat)
		n = snprintf(out, outlen, "%s", key);
	else
		n = snprintf(out, outlen, "s3PrefixLogTypes[%zu]%s%s", i, *key ? "." : "", key);
	if (line != d->line && n > 0 && (size_t)n < outlen)
		snprintf(out + n, outlen - (size_t)n, " (line %zu)", line);
}

/* An array of strings, or NULL when absent (or wrong: noted on the field
 * named by mapping i and key). */
static const json_t *string_array(struct draft *d, const json_t *m, size_t i, const char *key)
{
	const json_t *a = json_object_get(m, key);
	char field[160];
	if (!a || json_is_null(a))
		return NULL;
	if (!json_is_array(a)) {
		mapping_field(d, i, key, field, sizeof(field));
		diag_error(&d->diags, field, M_NOT_STRING_ARRAY);
		return NULL;
	}
	size_t k;
	const json_t *it;
	json_array_foreach((json_t *)a, k, it) {
		if (!json_is_string(it)) {
			mapping_field(d, i, key, field, sizeof(field));
			diag_error(&d->diags, field, M_NOT_STRING_ITEM, k + 1);
			return NULL;
		}
	}
	return a;
}

/* The prefix of mapping i (m, borrowed) into bm[i].prefix (borrowed from
 * m; "" when absent), checked: a string, no '*', not the prefix of an earlier
 * mapping bm[0..i-1]. */
static void check_prefix(struct draft *d, const json_t *m, size_t i, struct body_mapping *bm)
{
	char field[160];
	const json_t *p = json_object_get(m, "prefix");
	bm[i].prefix = "";
	if (p && !json_is_null(p)) {
		if (!json_is_string(p)) {
			mapping_field(d, i, "prefix", field, sizeof(field));
			diag_error(&d->diags, field, M_NOT_STRING);
		} else {
			bm[i].prefix = json_string_value(p);
		}
	}
	if (strchr(bm[i].prefix, '*')) {
		mapping_field(d, i, "prefix", field, sizeof(field));
		diag_error(&d->diags, field, M_PREFIX_STAR, bm[i].prefix);
	}
	for (size_t j = 0; j < i; j++) {
		if (bm[j].prefix && !strcmp(bm[j].prefix, bm[i].prefix)) {
			size_t other = j < d->nmap ? d->map[j].line : d->line;
			mapping_field(d, i, "prefix", field, sizeof(field));
			if (*bm[i].prefix)
				diag_error(&d->diags, field, M_PREFIX_TWICE,
					 bm[i].prefix, other);
			else
				diag_error(&d->diags, field, M_PREFIX_EMPTY_TWICE, other);
			break;
		}
	}
}

/* The logTypes of mapping i (m, borrowed), checked: present unless partial
 * (a modify keeps the server's), each a log type name. The array, borrowed
 * from m, or NULL. */
static const json_t *check_log_types(struct draft *d, const json_t *m, size_t i, int partial)
{
	char field[160];
	const json_t *lt = string_array(d, m, i, "logTypes");
	if (partial && !json_object_get(m, "logTypes")) {
		/* kept from the server's mapping with this prefix (merge.c) */
	} else if (!json_array_size(lt) && !(json_object_get(m, "logTypes") && !lt)) {
		mapping_field(d, i, "logTypes", field, sizeof(field));
		diag_error(&d->diags, field, M_LOGTYPES_MISSING);
		if (!partial)
			d->nby_label++;   /* a create's: a modify keeps the server's */
	}
	size_t k;
	const json_t *it;
	json_array_foreach((json_t *)lt, k, it) {
		const char *t = json_string_value(it);
		if (!log_type_valid(t)) {
			mapping_field(d, i, "logTypes", field, sizeof(field));
			diag_error(&d->diags, field, M_LOGTYPE_NAME, t);
			break;
		}
	}
	return lt;
}

/* Mapping i of the row (m, borrowed) into bm[i], checked (see check_mappings). */
static void check_mapping(struct draft *d, const json_t *m, size_t i, int partial,
			  struct body_mapping *bm)
{
	char field[160];
	if (!json_is_object(m)) {
		mapping_field(d, i, "", field, sizeof(field));
		diag_error(&d->diags, field, M_MAPPING_NOT_OBJECT);
		return;
	}
	if (json_object_size(m) > 3 || d->from_jsonl || !(i < d->nmap && d->map[i].flat)) {
		mapping_field(d, i, "", field, sizeof(field));
		note_unknown_keys(&d->diags, m, field, mapping_keys, ARRAY_SIZE(mapping_keys));
	}
	check_prefix(d, m, i, bm);
	bm[i].log_types = check_log_types(d, m, i, partial);
	bm[i].excluded = string_array(d, m, i, "excludedPrefixes");
}

/* Checks the mappings; fills f->mappings (owned by the caller: free()).
 * Field names for messages are only built when there is something to say. */
static void check_mappings(struct draft *d, enum action act, struct body_fields *f)
{
	const json_t *list = d->maps;
	/* a modify row may give no mapping (the server's are kept), and a mapping
	 * without log types (the server's for that prefix are kept) */
	int partial = act == ACTION_MODIFY;
	if (partial && (!list || json_is_null(list)))
		return;
	if (!list || json_is_null(list) || (json_is_array(list) && !json_array_size(list))) {
		if (diag_has(&d->diags, DIAG_ERROR, "logTypes") || diag_has(&d->diags, DIAG_ERROR, "excludedPrefixes"))
			return;   /* a bad list cell was already reported */
		if (d->from_jsonl)
			diag_error(&d->diags, "s3PrefixLogTypes", M_MAPPINGS_MISSING, action_word(act));
		else
			diag_error(&d->diags, "logTypes", M_MAPPINGS_MISSING_FLAT, action_word(act));
		if (!partial)
			d->nby_label++;   /* a create's */
		return;
	}
	if (!json_is_array(list)) {
		diag_error(&d->diags, "s3PrefixLogTypes", M_MAPPINGS_NOT_ARRAY);
		return;
	}
	size_t n = json_array_size(list);
	struct body_mapping *bm = xcalloc(n, sizeof(*bm));
	f->mappings = bm;
	f->nmappings = n;
	for (size_t i = 0; i < n; i++)
		check_mapping(d, json_array_get(list, i), i, partial, bm);
}

static int is_clear(const char *v)
{
	return v && !strcmp(v, CELL_CLEAR);
}

/* A required field's CELL_CLEAR: noted; 1 if it was one. */
static int clear_refused(struct draft *d, int field)
{
	if (!is_clear(d->val[field]))
		return 0;
	diag_error(&d->diags, field_name(field), M_CLEAR_REQUIRED, field_name(field),
		 d->from_jsonl ? "key out" : "cell");
	return 1;
}

/* Sets key of o (if o) to a new string, or to null when v is CELL_CLEAR. */
static void patch_str(json_t *o, const char *key, const char *v)
{
	if (o && v)
		json_object_set_new_nocheck(o, key, is_clear(v) ? json_null() : json_string_nocheck(v));
}

/* The logStreamTypeOptions of a modify row: each field given is checked
 * against the row's logStreamType when the row gives one (otherwise after the
 * merge, against the server's); CELL_CLEAR clears it. A snapshot clears what
 * it lacks. Adds them to p (if p). */
static void patch_options(struct draft *d, const char *stream, json_t *p)
{
	static const struct {
		int field;
		const char *stream;
	} opt[] = {
		{ F_JSON_ARRAY_ENVELOPE_FIELD, "JsonArray" },
		{ F_RETAIN_ENVELOPE_FIELDS, "CloudWatchLogs" },
		{ F_XML_ROOT_ELEMENT, "XML" },
	};
	json_t *o = p ? json_object() : NULL;
	for (size_t i = 0; i < ARRAY_SIZE(opt); i++) {
		int f = opt[i].field;
		const char *v = d->val[f];
		const char *name = field_name(f);
		if (!v) {
			if (d->snapshot && o)
				json_object_set_new_nocheck(o, name, json_null());
			continue;
		}
		if (is_clear(v)) {
			patch_str(o, name, v);
			continue;
		}
		int b = -1;
		if (f == F_RETAIN_ENVELOPE_FIELDS) {
			b = parse_bool(v, strlen(v));
			if (b < 0) {
				diag_error(&d->diags, name, M_RETAIN_NOT_BOOLEAN, v);
				continue;
			}
		}
		if (stream && strcmp(stream, opt[i].stream) && b != 0) {
			diag_error(&d->diags, name, M_OPTION_ROW_STREAM, opt[i].stream, stream);
			continue;
		}
		if (o && f == F_RETAIN_ENVELOPE_FIELDS)
			json_object_set_new_nocheck(o, name, json_boolean(b));
		else
			patch_str(o, name, v);
	}
	if (o && json_object_size(o))
		json_object_set_new_nocheck(p, "logStreamTypeOptions", o);
	else
		json_decref(o);
}

/* A modify row: needs only integrationId (checked by the caller); every field
 * it gives is checked, and the patch (source.h) is built when build is set.
 * Keys are added in sorted order, like a body's, for the fingerprint. */
static void validate_modify_row(struct draft *d, struct source *s, int build)
{
	const char *const *val = d->val;
	json_t *p = build ? json_object() : NULL;
	char account[13] = "", role_account[13] = "";
	const char *v;
	size_t nerr = diag_count(&d->diags, DIAG_ERROR);   /* the row's before these */

	if ((v = val[F_AWS_ACCOUNT_ID]) && !clear_refused(d, F_AWS_ACCOUNT_ID) &&
	    check_account(d, v, account, 0) == 0 && p)
		json_object_set_new_nocheck(p, "awsAccountId", json_string_nocheck(account));
	if ((v = val[F_INTEGRATION_LABEL]) && !clear_refused(d, F_INTEGRATION_LABEL)) {
		s->label = xstrdup(v);
		check_label(d, v);
		patch_str(p, "integrationLabel", v);
	}
	if ((v = val[F_KMS_KEY])) {
		if (!is_clear(v))
			check_kms(d, v);
		patch_str(p, "kmsKey", v);
	} else if (d->snapshot && p) {
		json_object_set_new_nocheck(p, "kmsKey", json_null());
	}
	if ((v = val[F_LOG_PROCESSING_ROLE]) && !clear_refused(d, F_LOG_PROCESSING_ROLE)) {
		if (check_role(d, v, role_account) == 0 && account[0] && strcmp(account, role_account))
			diag_warn(&d->diags, "logProcessingRole", M_ROLE_OTHER_ACCOUNT, role_account, account);
		patch_str(p, "logProcessingRole", v);
	}
	const char *stream = NULL;
	if ((v = val[F_LOG_STREAM_TYPE]) && !clear_refused(d, F_LOG_STREAM_TYPE)) {
		if (!(stream = stream_type_canonical(v)))
			diag_error(&d->diags, "logStreamType", M_STREAM_UNKNOWN, v);
		else
			patch_str(p, "logStreamType", stream);
	}
	patch_options(d, stream, p);
	if ((v = val[F_MANAGED_BUCKET_NOTIFICATIONS]) &&
	    !clear_refused(d, F_MANAGED_BUCKET_NOTIFICATIONS)) {
		int b = parse_bool(v, strlen(v));
		if (b < 0)
			diag_error(&d->diags, "managedBucketNotifications", M_NOTIFICATIONS_NOT_BOOLEAN, v);
		else if (p)
			json_object_set_new_nocheck(p, "managedBucketNotifications", json_boolean(b));
	}
	if ((v = val[F_S3_BUCKET]) && !clear_refused(d, F_S3_BUCKET)) {
		check_bucket(d, v);
		patch_str(p, "s3Bucket", v);
	}

	struct body_fields f;
	memset(&f, 0, sizeof(f));
	if (!diag_has(&d->diags, DIAG_ERROR, "s3PrefixLogTypes"))
		check_mappings(d, ACTION_MODIFY, &f);
	if (p && d->maps && f.nmappings) {
		json_t *list = json_array();
		for (size_t i = 0; i < f.nmappings; i++) {
			const json_t *m = json_array_get(d->maps, i);
			json_t *o = json_object();
			const json_t *ex = json_object_get(m, "excludedPrefixes");
			if (ex && json_is_array(ex))
				json_object_set_new_nocheck(o, "excludedPrefixes", json_deep_copy(ex));
			else if (d->snapshot)
				json_object_set_new_nocheck(o, "excludedPrefixes", json_array());
			if (f.mappings[i].log_types)
				json_object_set_new_nocheck(o, "logTypes",
							    json_deep_copy(f.mappings[i].log_types));
			json_object_set_new_nocheck(o, "prefix", json_string_nocheck(f.mappings[i].prefix));
			json_array_append_new(list, o);
		}
		json_object_set_new_nocheck(p, "s3PrefixLogTypes", list);
	}
	free((void *)f.mappings);
	if (diag_count(&d->diags, DIAG_ERROR) == nerr && p)
		s->patch = p;   /* dropped by row_map.c if the row is invalid for another reason */
	else
		json_decref(p);
}

void validate_patch(struct draft *d, struct source *s)
{
	/* the create was checked already: the same checks again would repeat
	 * its diagnostics, so what they add is dropped */
	size_t ndiags = d->diags.n;
	char *label = s->label;
	s->label = NULL;
	validate_modify_row(d, s, 1);
	free(s->label);
	s->label = label;
	diag_list_truncate(&d->diags, ndiags);
}

/* The row's action (its action cell, else --mode, else whether it has an
 * integrationId) into s->action, and its integrationId into s->id (new
 * string; none for a create). Returns the action. */
static enum action draft_action(struct draft *d, enum mode mode, struct source *s)
{
	const char *const *val = d->val;
	enum action act = ACTION_NONE;

	if (val[F_ACTION]) {
		if (!strcasecmp(val[F_ACTION], "create"))
			act = ACTION_CREATE;
		else if (!strcasecmp(val[F_ACTION], "modify"))
			act = ACTION_MODIFY;
		else
			diag_error(&d->diags, "action", M_ACTION_UNKNOWN, val[F_ACTION]);
	}
	const char *id = val[F_INTEGRATION_ID];
	if (act == ACTION_NONE)
		act = mode == MODE_CREATE ? ACTION_CREATE :
		      mode == MODE_MODIFY ? ACTION_MODIFY :
		      id ? ACTION_MODIFY : ACTION_CREATE;
	s->action = act;
	if (act == ACTION_CREATE) {
		if (id && mode == MODE_AUTO)
			diag_warn(&d->diags, "integrationId", M_ID_IGNORED, id);
		id = NULL;
	} else if (!id && d->mapped && !diag_has(&d->diags, DIAG_ERROR, "integrationId")) {
		diag_error(&d->diags, "integrationId", mode == MODE_MODIFY ?
			 M_ID_MISSING_MODE :
			 M_ID_MISSING);
		d->nby_label++;
	}
	s->id = id ? xstrdup(id) : NULL;
	return act;
}

/* A create row: every required field present and every field checked; the
 * body (s->body, new reference) built when build_body is set and nothing
 * failed. */
static void validate_create_row(struct draft *d, struct source *s, int build_body)
{
	const char *const *val = d->val;
	const enum action act = ACTION_CREATE;

	/* a create has nothing to clear: CELL_CLEAR in an optional field is none */
	static const int optional[] = {
		F_KMS_KEY, F_JSON_ARRAY_ENVELOPE_FIELD, F_RETAIN_ENVELOPE_FIELDS, F_XML_ROOT_ELEMENT,
	};
	for (size_t i = 0; i < ARRAY_SIZE(optional); i++)
		if (is_clear(d->val[optional[i]]))
			d->val[optional[i]] = NULL;

	struct body_fields f;
	memset(&f, 0, sizeof(f));
	char account[13] = "", role_account[13] = "";

	f.integration_label = val[F_INTEGRATION_LABEL];
	if (f.integration_label) {
		s->label = xstrdup(f.integration_label);
		check_label(d, f.integration_label);
	} else {
		required(d, "integrationLabel", act);
	}

	const char *acct = val[F_AWS_ACCOUNT_ID];
	const char *bucket = val[F_S3_BUCKET];
	if (!acct)
		required(d, "awsAccountId", act);
	else if (check_account(d, acct, account, 0) == 0)
		f.aws_account_id = account;
	if (!bucket)
		required(d, "s3Bucket", act);
	else
		check_bucket(d, bucket);
	f.s3_bucket = bucket;

	f.log_processing_role = val[F_LOG_PROCESSING_ROLE];
	if (!f.log_processing_role)
		required(d, "logProcessingRole", act);
	else if (check_role(d, f.log_processing_role, role_account) == 0 && account[0] &&
		 strcmp(account, role_account))
		diag_warn(&d->diags, "logProcessingRole", M_ROLE_OTHER_ACCOUNT,
			 role_account, account);

	f.kms_key = val[F_KMS_KEY];
	if (f.kms_key)
		check_kms(d, f.kms_key);

	const char *stream = val[F_LOG_STREAM_TYPE];
	if (!stream)
		required(d, "logStreamType", act);
	else if (!(f.log_stream_type = stream_type_canonical(stream)))
		diag_error(&d->diags, "logStreamType", M_STREAM_UNKNOWN, stream);
	check_options(d, f.log_stream_type, &f);

	const char *mbn = val[F_MANAGED_BUCKET_NOTIFICATIONS];
	if (!mbn) {
		required(d, "managedBucketNotifications", act);
	} else {
		int b = parse_bool(mbn, strlen(mbn));
		if (b < 0)
			diag_error(&d->diags, "managedBucketNotifications", M_NOTIFICATIONS_NOT_BOOLEAN, mbn);
		else
			f.managed_bucket_notifications = b;
	}

	if (!diag_has(&d->diags, DIAG_ERROR, "s3PrefixLogTypes"))
		check_mappings(d, act, &f);

	if (!diag_count(&d->diags, DIAG_ERROR) && build_body)
		s->body = body_build(act, &f);
	free((void *)f.mappings);
}

void validate_draft(struct draft *d, enum mode mode, struct source *s, int build_body)
{
	enum action act = draft_action(d, mode, s);
	if (!d->mapped)
		return;
	if (act == ACTION_MODIFY)
		validate_modify_row(d, s, build_body);
	else
		validate_create_row(d, s, build_body);
}
