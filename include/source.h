/*
 * source.h - turns input records into checked requests, one struct source per
 * Panther S3 source: the reader's records go through header mapping, row
 * mapping (flat or JSON mappings, continuation rows, list and boolean cells,
 * --set templates, action and --mode), offline validation and the cross-file
 * duplicate checks, and come out with the exact request body and the row's
 * fingerprint. No I/O but reading the input.
 *
 * Memory: one source at a time plus one record of look-ahead (continuation rows);
 * the duplicate checks keep a hash and a line number per row.
 */
#ifndef S3SRC_SOURCE_H
#define S3SRC_SOURCE_H

#include <stddef.h>
#include <jansson.h>
#include "diag.h"
#include "s3src.h"
#include "reader.h"

enum mode {
	MODE_AUTO = 0,     /* integrationId present: modify, else create */
	MODE_CREATE,       /* ignore integrationId (restore into another instance) */
	MODE_MODIFY,       /* integrationId required on every row */
};

struct source_opts {
	struct reader_opts reader;
	enum mode mode;
	const char **ignore_columns;  /* --ignore-column NAME (borrowed) */
	size_t nignore;
	const char **columns;         /* --column HEADER=FIELD (borrowed) */
	size_t ncolumns;
	const char **sets;            /* --set FIELD=VALUE (borrowed) */
	size_t nsets;
	int check_only;               /* only the checks: no body, no fingerprint (validate without --results) */
	int create_patch;             /* a valid create also gets its patch (struct source.patch), so
				       * that label matching can turn it into a modify of the
				       * server's source with that label; so does a row
				       * invalid only for what that source gives
				       * (struct source.by_label) */
};

/* One input record as it was read, kept for the failed-rows file. */
struct raw_record {
	size_t line;
	size_t ncells;     /* CSV */
	char **cells;      /* CSV cells, verbatim (owned: one block, free(cells) frees all) */
	char *text;        /* JSONL line, verbatim (owned) */
};

struct source {
	size_t row;              /* record number of its first record (1-based) */
	size_t line;             /* physical line where its first record starts */
	enum action action;      /* CREATE or MODIFY (GET/DELETE for ID lists) */
	char *id;                /* integrationId, NULL if none */
	char *label;             /* integrationLabel, NULL if unknown */
	json_t *body;            /* request body (owned reference); NULL if invalid or none,
				  * and for a modify row (its body comes from merge.c) */
	json_t *patch;           /* a modify row: what it changes (owned reference), in the
				  * S3Source shape with only the fields it gives; null
				  * clears an optional field (kmsKey, a logStreamTypeOptions
				  * field); a mapping without logTypes or excludedPrefixes
				  * keeps the server's for its prefix. awsAccountId and
				  * s3Bucket are there to be compared, never sent. */
	struct diag_list diags;  /* what the checks found, errors and warnings (owned);
				  * any error makes the row invalid. Made text
				  * ("field: message; ...") only by the writers
				  * (diag_render) */
	int by_label;            /* invalid only for what a source found by its label
				  * would give (a create's missing required fields, a
				  * modify's missing integrationId), with source_opts.
				  * create_patch: label matching makes it a modify of
				  * the server's source with s->label (s->patch kept) */
	char fingerprint[65];    /* hex SHA-256 of action, id and canonical body */
	size_t nraw;             /* the records it was made from (continuation rows) */
	struct raw_record *raw;
};

struct source_reader;

/* Opens the input and maps the header. Returns NULL with a message in err
 * (unreadable input, unknown column with did-you-mean, bad --set): exit 2. */
struct source_reader *source_reader_open(const char *path, const struct source_opts *opts,
					 char *err, size_t errlen);
/* 1: *out is a new source (caller owns, source_free); 0: end; -1: fatal (err). */
int source_next(struct source_reader *sr, struct source **out, char *err, size_t errlen);
/* The underlying reader: format, CSV header and delimiter for the failed-rows
 * file, progress for the progress line (borrowed). */
struct reader *source_reader_reader(struct source_reader *sr);
/* Closes; -1 with err if closing the input revealed an error (truncated gzip). */
int source_reader_close(struct source_reader *sr, char *err, size_t errlen);

/* A source for an ID list (export, delete): action GET or DELETE, no body. */
struct source *source_new_id(size_t row, size_t line, enum action a, const char *id);
void source_free(struct source *s);

/* The bytes of a request body as sent and as fingerprinted: compact JSON.
 * Bodies are built with their keys in sorted order (body.c), and jansson keeps
 * insertion order, so no JSON_SORT_KEYS is needed. */
#define SOURCE_BODY_DUMP_FLAGS (JSON_COMPACT)
/* Returns a new string (free()) with the body serialized as it goes on the wire. */
char *source_body_dumps(const json_t *body);

/* The fingerprint: hex SHA-256 of "action\nid\n" + a canonical encoding of
 * the body's JSON tree (see body.c; body and id may be NULL). Equal for two
 * rows exactly when action, id and body are equal. out holds 65 bytes. A
 * modify row's fingerprint is of its patch (its body depends on the server). */
void source_fingerprint(enum action a, const char *id, const json_t *body, char out[65]);

#endif
