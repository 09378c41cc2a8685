/*
 * source_internal.h - the pieces behind source.h, shared only by the source
 * area's own files (header.c, cell.c, row_map.c, validate.c, dupcheck.c, body.c,
 * source.c) and their unit tests. Nothing outside src/ of this area should
 * include it: the public interface is source.h.
 *
 * The pipeline, one source at a time:
 *   header_map  (CSV column names -> fields, did-you-mean)
 *   row_stream  (records -> one draft: every field as a string, the mappings
 *                as JSON; continuation rows, list cells, --set templates)
 *   validate    (the contract's Validation list -> normalized body_fields)
 *   body_build  (exact request body) + dupcheck + source_fingerprint
 */
#ifndef S3SRC_SOURCE_INTERNAL_H
#define S3SRC_SOURCE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "diag.h"
#include "source.h"
#include "util.h"

/* ---- fields (header.c) ---- */

enum field {
	F_ACTION,
	F_INTEGRATION_ID,
	F_INTEGRATION_LABEL,
	F_AWS_ACCOUNT_ID,
	F_S3_BUCKET,
	F_KMS_KEY,
	F_LOG_PROCESSING_ROLE,
	F_LOG_STREAM_TYPE,
	F_MANAGED_BUCKET_NOTIFICATIONS,
	F_S3_PREFIX_LOG_TYPES,
	F_PREFIX,
	F_LOG_TYPES,
	F_EXCLUDED_PREFIXES,
	F_JSON_ARRAY_ENVELOPE_FIELD,
	F_RETAIN_ENVELOPE_FIELDS,
	F_XML_ROOT_ELEMENT,
	F__COUNT
};
#define F_IGNORED (-1)
/* A column whose header cell is empty: ignored while all its cells are empty;
 * a cell with data in it is an error (row_stream_unnamed_cell), never dropped. */
#define F_UNNAMED (-2)

/* The canonical (API) spelling of a field. */
const char *field_name(int f);
/* The field a column name or --set name means (case-insensitive, ignoring
 * spaces, '_' and '-'), or -1. */
int field_lookup(const char *name, size_t len);
/* The canonical field name closest to name by edit distance, if close enough
 * to be a plausible typo, else NULL (static string). */
const char *field_suggest(const char *name);
/* As field_lookup(), and the names people give these columns in their own
 * sheets (spec "CSV": "Account ID", "Bucket", "Source Name", ...). */
int column_lookup(const char *name, size_t len);
/* The API name or synonym closest to name (static string) and its field in
 * *field, if close enough to be a plausible typo; else NULL and -1. */
const char *column_suggest(const char *name, int *field);

struct header_map {
	size_t ncols;
	int *col;              /* field of each column, or F_IGNORED (owned) */
	int pos[F__COUNT];     /* column of each field, or -1 */
};

/* Maps a CSV header: API names and their synonyms (column_lookup), and the
 * --column 'HEADER=field' rules (borrowed strings), which win. A column named
 * "error" and the --ignore-column names are ignored. Returns 0, or -1 with a
 * message in err: every unknown column in one message, each with a
 * did-you-mean; the same field named by two columns; a bad --column rule or
 * one whose HEADER is not in the header. */
int header_map_init(struct header_map *hm, char *const *cells, size_t ncells,
		    const char *const *ignore, size_t nignore,
		    const char *const *columns, size_t ncolumns, char *err, size_t errlen);
void header_map_release(struct header_map *hm);

/* ---- cells (cell.c) ---- */

/* A cell's bytes, not NUL-terminated (borrowed). */
struct cellv {
	const char *p;
	size_t n;
};

/* p/n without leading and trailing spaces, tabs and line ends. */
struct cellv cellv_trim(const char *p, size_t n);

/* Parses a boolean cell: true/false yes/no y/n 1/0, any case. 1 or 0, or -1. */
int parse_bool(const char *s, size_t len);
/* A list cell as a new JSON array of strings: split on , ; | or newline,
 * trimmed, empties dropped; a cell starting with '[' is a JSON array of
 * strings. The cell must be valid UTF-8 (the reader guarantees it). NULL with a message in err (about the cell, without the field). */
json_t *parse_list(const char *s, size_t len, char *err, size_t errlen);
/* The first of a list cell's separators (',', ';', '|') in p[0..n), or 0. */
char list_separator_in(const char *p, size_t n);

/* ---- validation (validate.c) ---- */

struct body_mapping {
	const char *prefix;          /* "" matches the whole bucket */
	const json_t *log_types;     /* array of strings (borrowed) */
	const json_t *excluded;      /* array of strings or NULL (borrowed) */
};

/* The checked, normalized values a request body is built from (all borrowed). */
struct body_fields {
	const char *aws_account_id;  /* create only */
	const char *s3_bucket;       /* create only */
	const char *integration_label;
	const char *kms_key;         /* NULL or "": omitted */
	const char *log_processing_role;
	const char *log_stream_type; /* canonical spelling */
	int managed_bucket_notifications;
	const char *json_array_envelope_field; /* NULL or "": omitted */
	const char *xml_root_element;          /* NULL or "": omitted */
	int retain_envelope_fields;            /* -1 absent, 0, 1 */
	size_t nmappings;
	const struct body_mapping *mappings;
};

/* One source on its way from records to a request: every field as a string
 * (CSV cells and JSONL values alike, so one set of rules checks both), and
 * the prefix mappings as JSON. */
struct draft {
	size_t row, line;
	int from_jsonl;
	int snapshot;           /* a JSONL S3Source as GET returns it (integrationId,
				 * awsAccountId and s3Bucket): a whole source, so an
				 * optional field it lacks is cleared on a modify */
	int mapped;             /* 0: the record could not be read (error noted) */
	const char *val[F__COUNT];  /* NUL-terminated value, NULL when absent or
				     * unusable (noted); borrowed from the stream */
	json_t *maps;           /* array of {prefix, logTypes, excludedPrefixes} (owned reference) or NULL */
	size_t nmap, amap;
	struct map_origin {
		size_t line;    /* the record that gave it */
		int flat;       /* 1: prefix/logTypes/excludedPrefixes cells, 0: JSON */
	} *map;                 /* one per element of maps, when known */
	struct diag_list diags; /* its errors and warnings (owned) */
	size_t nby_label;       /* how many of its errors a source found by the row's
				 * label makes moot (a create's missing required
				 * field, a modify's missing integrationId): when they
				 * are all it has, label matching may take the row
				 * (struct source.by_label) */
};

/* Adds an error to diags for every key of o not in keys, on the field
 * "where.key": unknown key, with a did-you-mean when one is close. */
void note_unknown_keys(struct diag_list *diags, const json_t *o, const char *where,
		       const char *const *keys, size_t n);

/* The cell that clears an optional field of a modify (Data Loader's convention). */
#define CELL_CLEAR "#N/A"

/* Checks d against the contract's Validation list for the given --mode and
 * fills s->action, s->id, s->label and, when nothing failed and build_body is
 * set, s->body (create) or s->patch (modify: what the row changes, see
 * source.h), new references. A modify row is checked for what it holds; the
 * rest comes from the server (merge.c). Problems are added to d->diags. */
void validate_draft(struct draft *d, enum mode mode, struct source *s, int build_body);

/* The patch of a valid create row (what it would change as a modify: the
 * fields it gives, the rest kept from the server) into s->patch, without
 * new notes. For label matching (source_opts.create_patch). */
void validate_patch(struct draft *d, struct source *s);

/* 1 if the n bytes at p are all ASCII digits (and n > 0). */
int all_digits(const char *p, size_t n);

/* Canonical spelling of a logStreamType (any case), or NULL. */
const char *stream_type_canonical(const char *s);
/* 1 if s is a log type name ^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)+$ */
int log_type_valid(const char *s);

/* ---- request body (body.c) ---- */

/* The exact request body for a create (POST) or modify (PUT): only the
 * schema's fields, excludedPrefixes always an array, kmsKey and
 * logStreamTypeOptions omitted when empty. Returns a new reference. */
json_t *body_build(enum action a, const struct body_fields *f);

/* ---- duplicates across the file (dupcheck.c) ---- */

enum dup_kind { DUP_LABEL, DUP_ID, DUP_LOCATION /* account/bucket/prefix of a create */ };
struct dupcheck;
struct dupcheck *dupcheck_new(void);
void dupcheck_free(struct dupcheck *dc);
/* Records key of that kind first seen on line; returns 0 if it was new, or
 * the line where it was seen first. Keeps a 64-bit hash and a line per key. */
size_t dupcheck_add(struct dupcheck *dc, enum dup_kind kind, const char *key, size_t line);
size_t dupcheck_count(const struct dupcheck *dc);

/* ---- the record stream (row_map.c) ---- */

/* Where records come from: the reader in source.c, an array in the tests.
 * Same contract as reader_next(). */
typedef int (*record_fn)(void *ctx, struct record *rec, char *err, size_t errlen);

struct row_stream;
/* header/nheader: the CSV header (borrowed, may be NULL for JSONL). NULL with
 * a message in err on a header or --set problem (exit 2); a header message
 * starts with "NAME:1: " when name (the input's name) is given. */
struct row_stream *row_stream_new(const struct source_opts *o, enum in_format fmt,
				  const char *name, char *const *header, size_t nheader,
				  record_fn next, void *ctx, char *err, size_t errlen);
/* As source_next(). */
int row_stream_next(struct row_stream *rs, struct source **out, char *err, size_t errlen);
/* 1 if the header has a column without a name (F_UNNAMED). */
int row_stream_has_unnamed(const struct row_stream *rs);
/* If a cell of rec in a column without a name holds data, writes why into msg
 * ("column 7 (G) has no name in the header but holds '...'; ...") and returns
 * 1; else 0. */
int row_stream_unnamed_cell(const struct row_stream *rs, const struct record *rec,
			    char *msg, size_t msglen);
void row_stream_free(struct row_stream *rs);

#endif
