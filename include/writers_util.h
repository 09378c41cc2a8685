/*
 * writers_util.h - small pieces shared by the output side (results, failed
 * rows, resume, ID lists, export writer) and by nothing else: appending one
 * CSV cell to a buffer through libcsv's csv_write (quoting is libcsv's, the
 * formula-injection guard is ours), a growable string-keyed hash table and a
 * UTF-8-safe jansson string constructor. Files are read by reader.h (header
 * names too: header_name_eq()).
 *
 * Kept apart from util.c because only the writers area needs it and it links
 * libcsv and zlib.
 */
#ifndef S3SRC_WRITERS_UTIL_H
#define S3SRC_WRITERS_UTIL_H

#include <stddef.h>
#include <jansson.h>
#include <zlib.h>
#include "util.h"

/* Appends one CSV cell (len bytes of cell) to sb, preceded by delimiter unless
 * first is set. The cell is quoted by libcsv's csv_write when it holds the
 * delimiter, a quote, CR or LF, or begins or ends with a space or tab; with
 * guard set, a cell for which csv_cell_needs_guard() holds gets a leading '\''. */
void csv_append_cell(struct strbuf *sb, const char *cell, size_t len,
		     int delimiter, int first, int guard);


/* A string-keyed hash table with open addressing. Keys are copied (owned by the
 * map); values are owned by the caller unless strmap_free_values() is used. */
struct strmap {
	char **keys;
	void **vals;
	size_t n, cap;
};
void strmap_init(struct strmap *m);
/* Returns the value for key, or NULL; *found (if given) says whether key is in. */
void *strmap_get(const struct strmap *m, const char *key, int *found);
/* Inserts key -> val unless key is present. 1: inserted, 0: already present. */
int strmap_put(struct strmap *m, const char *key, void *val);
/* Frees keys (and with free_vals, each value with free()). */
void strmap_release(struct strmap *m, int free_vals);

/* json_string(s), or, when s is not valid UTF-8, a copy with every byte >= 0x80
 * replaced by '?' (so a report never fails on odd bytes). New reference. */
json_t *json_string_lossy(const char *s);

#endif
