/*
 * ids.h - the ID lists of export and delete (spec: "export": "IDs from the
 * arguments and/or --ids FILE (one per line with # comments, or a CSV/JSONL
 * with an integrationId column/key, such as a results file). Duplicates
 * fetched once.").
 *
 * An id_list keeps the IDs in the order first given, each with where it came
 * from (the file's line, 0 for a command-line argument); a duplicate is
 * dropped and counted. ID lists are small (tens of thousands): a vector plus a
 * hash set.
 */
#ifndef S3SRC_IDS_H
#define S3SRC_IDS_H

#include <stddef.h>
#include "writers_util.h"

struct id_entry {
	char *id;       /* owned */
	size_t line;    /* line in the --ids file, 0 for an argument */
	char *error;    /* why it is never sent (not UUID-shaped), or NULL (owned) */
};

struct id_list {
	struct id_entry *v;
	size_t n, alloc;
	size_t duplicates;   /* IDs dropped as repeats */
	struct strmap seen;
};

/* 1 if id is UUID-shaped (8-4-4-4-12 hex digits), the only IDs sent. */
int id_is_uuid(const char *id);
void id_list_init(struct id_list *l);
void id_list_release(struct id_list *l);
/* Adds id (copied) unless already present: 1 added, 0 duplicate dropped. */
int id_list_add(struct id_list *l, const char *id, size_t line);
/* Appends the IDs of FILE ("-" for stdin; gzip allowed). The kind is sniffed:
 * a first non-blank line beginning with '{' is JSONL ("integrationId" key); a
 * first line that parses as a CSV header with an integrationId column (matched
 * like the input's headers) is CSV (any row with an empty integrationId is
 * skipped); anything else is a plain list, one ID per line, '#' comments and
 * blank lines ignored, surrounding blanks trimmed. -1 with an error naming
 * file and line. */
int id_list_load(struct id_list *l, const char *path, char *err, size_t errlen);

#endif
