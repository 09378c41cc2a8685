/*
 * fuzz_resume.c - libFuzzer harness: the --resume reader (resume.c) and the
 * ID-list reader of export and delete (ids.c), both of which take a results
 * file or an export a user hands back to s3src.
 *
 * The first byte is not part of the file: bits 0-1 pick the file name
 * (r.csv, r.jsonl, r.csv.gz, r.jsonl.gz; the .gz ones are gzip-compressed
 * here first), bit 2 whether the bytes also go through id_list_load(), bit 3
 * whether they also go through the report's results reader (results_reader.c),
 * every record tallied by cause (causes.c).
 *
 * Oracles beyond the sanitizers: a failure always comes with a message naming
 * the file; every ID the list holds is non-empty and unique.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_pipeline.h"
#include "causes.h"
#include "ids.h"
#include "results_reader.h"

/* The report's use of a record: classified and tallied; outcome never NULL. */
static int tally(void *ctx, const struct results_row *r, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	fuzz_check(r->outcome != NULL, "a record without an outcome", NULL);
	int http = r->http_status ? (int)(strtoul(r->http_status, NULL, 10) % 1000) : 0;
	int attempts = r->attempts ? (int)(strtoul(r->attempts, NULL, 10) % 1000) : 0;
	causes_add(ctx, r->outcome, http, attempts, r->error, r->label);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[4] = { "r.csv", "r.jsonl", "r.csv.gz", "r.jsonl.gz" };
	char err[1024];

	if (size < 1)
		return 0;
	uint8_t ctl = data[0];
	data++;
	size--;
	const char *name = names[ctl & 3];
	const char *path;
	if (ctl & 2) {
		uint8_t *gz;
		size_t gzlen;
		fuzz_gzip(data, size, &gz, &gzlen);
		path = fuzz_write_file(0, name, gz, gzlen);
		free(gz);
	} else {
		path = fuzz_write_file(0, name, data, size);
	}

	*err = 0;
	struct resume_set *rs = resume_load(path, err, sizeof(err));
	if (rs) {
		(void)resume_lookup(rs, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
		(void)resume_lookup(rs, "");
		(void)resume_count(rs);
		resume_free(rs);
	} else {
		fuzz_check(strstr(err, name) != NULL, "resume error does not name the file", err);
	}

	if (ctl & 4) {
		struct id_list l;
		id_list_init(&l);
		*err = 0;
		if (id_list_load(&l, path, err, sizeof(err)) < 0)
			fuzz_check(strstr(err, name) != NULL, "ids error does not name the file", err);
		for (size_t i = 0; i < l.n; i++) {
			fuzz_check(l.v[i].id && *l.v[i].id, "empty ID in the list", NULL);
			for (size_t j = i + 1; j < l.n && j < i + 64; j++)
				fuzz_check(strcmp(l.v[i].id, l.v[j].id) != 0, "duplicate ID", l.v[i].id);
		}
		id_list_release(&l);
	}
	if (ctl & 8) {
		struct causes c;
		causes_init(&c);
		*err = 0;
		if (results_read(path, tally, &c, err, sizeof(err)) < 0)
			fuzz_check(strstr(err, name) != NULL, "results reader error does not name the file", err);
		causes_release(&c);
	}
	fuzz_scratch_clean();
	return 0;
}
