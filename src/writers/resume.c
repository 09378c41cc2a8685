/*
 * resume.c - --resume RESULTS (spec: "Resume"): reads an earlier results file
 * and keeps, for every row that succeeded, fingerprint -> integrationId, so
 * the run can skip rows already done.
 *
 * Succeeded means outcome created, modified, exported or deleted, or skipped
 * with an error beginning with RESUME_SKIP_NOTE ("already done in 'X' ...": a
 * row resumed by an earlier run, so a chain of resumed runs keeps working; a
 * row skipped because the run was interrupted does not count); "valid" (validate) is not a
 * success here: nothing was sent. A later record with the same fingerprint
 * does not replace the first.
 *
 * The file is read by the results reader (results_reader.h: .csv or .jsonl,
 * optionally .gz, columns by name, cells unguarded), which also reads them
 * for report; this file only adds resume's own rules: a CSV needs a
 * fingerprint column and both it and outcome on every row, and in JSONL the
 * four values used must be strings. Memory: one hash-table entry per
 * succeeded row (fingerprint and ID).
 */
#include <string.h>
#include "results.h"
#include "results_reader.h"
#include "util.h"
#include "writers_util.h"

struct resume_set {
	struct strmap map;   /* fingerprint -> integrationId (owned char *) */
};

/* The values resume reads; in JSONL they must be strings. */
#define RESUME_STRINGS (RESULTS_BIT(RESULTS_OUTCOME) | RESULTS_BIT(RESULTS_FINGERPRINT) | \
			RESULTS_BIT(RESULTS_ID) | RESULTS_BIT(RESULTS_ERROR))

/* A row's shape against resume's rules: 0, or -1 with err. */
static int check_row(const struct results_row *r, char *err, size_t errlen)
{
	if (r->col) {
		long need = r->col[RESULTS_OUTCOME] > r->col[RESULTS_FINGERPRINT]
			    ? r->col[RESULTS_OUTCOME] : r->col[RESULTS_FINGERPRINT];
		if ((size_t)need >= r->ncells) {
			snprintf(err, errlen, "%s:%zu: %zu cells, expected at least %ld", r->path,
				 r->file_line, r->ncells, need + 1);
			return -1;
		}
	} else if (r->numbers & RESUME_STRINGS) {
		snprintf(err, errlen,
			 "%s:%zu: outcome, fingerprint, integrationId and error must be strings",
			 r->path, r->file_line);
		return -1;
	}
	return 0;
}

/* results_row_fn: records one row; -1 with err when the row is malformed. */
static int take_row(void *ctx, const struct results_row *r, char *err, size_t errlen)
{
	struct resume_set *rs = ctx;
	const char *fp = r->fingerprint;
	enum outcome o;

	if (check_row(r, err, errlen) < 0)
		return -1;
	if (outcome_parse(r->outcome, &o)) {
		snprintf(err, errlen, "%s:%zu: outcome: unknown value '%s'", r->path, r->file_line,
			 r->outcome);
		return -1;
	}
	if (!fp || !*fp)
		return 0;   /* nothing to match against (e.g. an invalid row) */
	if (o == OUTCOME_SKIPPED) {
		if (!r->error || strncmp(r->error, RESUME_SKIP_NOTE, strlen(RESUME_SKIP_NOTE)))
			return 0;
	} else if (!outcome_is_success(o) || o == OUTCOME_VALID) {
		return 0;   /* not done; a valid row sent nothing */
	}
	char *val = xstrdup(r->id ? r->id : "");
	if (!strmap_put(&rs->map, fp, val))
		free(val);
	return 0;
}

/* Adds the succeeded rows of path to rs. 0, or -1 with err. */
static int load_into(struct resume_set *rs, const char *path, char *err, size_t errlen)
{
	static const struct results_want want = {
		"resume file", RESULTS_BIT(RESULTS_FINGERPRINT),
	};
	return results_read_as(path, &want, take_row, rs, err, errlen);
}

struct resume_set *resume_load_all(const char *const *paths, size_t n, char *err, size_t errlen)
{
	struct resume_set *rs = xcalloc(1, sizeof(*rs));

	strmap_init(&rs->map);
	for (size_t i = 0; i < n; i++) {
		if (load_into(rs, paths[i], err, errlen) < 0) {
			resume_free(rs);
			return NULL;
		}
	}
	return rs;
}

struct resume_set *resume_load(const char *path, char *err, size_t errlen)
{
	return resume_load_all(&path, 1, err, errlen);
}

const char *resume_lookup(const struct resume_set *rs, const char *fingerprint)
{
	if (!rs || !fingerprint)
		return NULL;
	return strmap_get(&rs->map, fingerprint, NULL);
}

size_t resume_count(const struct resume_set *rs)
{
	return rs ? rs->map.n : 0;
}

void resume_free(struct resume_set *rs)
{
	if (!rs)
		return;
	strmap_release(&rs->map, 1);
	free(rs);
}
