/*
 * fuzz_pipeline.h - the body shared by fuzz_csv.c and fuzz_jsonl.c: one input
 * file through the whole offline pipeline of `s3src import`, as cmd_import.c
 * drives it (source_reader_open, source_next until the end or a fatal error),
 * with every source written to a results file (.csv) and the invalid ones to
 * the failed-rows file in the input's format, as run.c does.
 *
 * The first byte of a fuzz input is not part of the file: it picks the
 * options, so the fuzzer explores them too (seed files start with it):
 *   bits 0-1  --delimiter: detect, ',', ';', TAB
 *   bits 2-3  --mode: auto, create, modify, auto
 *   bit  4    --set 'logStreamType=Lines' --set 'prefix={integrationLabel}/'
 *   bit  5    --ignore-column kmsKey
 *   bit  6    the file is gzip-compressed (zlib) before it is read
 *   bit  7    --format not given: from the contents (sniffed), not forced
 *
 * Oracles beyond the sanitizers (a violation abort()s, which libFuzzer
 * reports as a crash):
 *   - the results file written here is a valid --resume input, and every row
 *     recorded as created is found in it by its fingerprint;
 *   - the failed-rows file re-reads without a fatal error, with one record
 *     per raw record written (it must re-import after the user's fixes);
 *   - a valid create has a body, a valid modify a patch; merged into a source
 *     that uses every field (merge.c), a patch gives a PUT body that never
 *     carries integrationId, awsAccountId or s3Bucket, or an error.
 */
#ifndef S3SRC_FUZZ_PIPELINE_H
#define S3SRC_FUZZ_PIPELINE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fuzz.h"
#include "merge.h"
#include "reader.h"
#include "results.h"
#include "source.h"
#include "util.h"

static inline void fuzz_check(int cond, const char *what, const char *detail)
{
	if (!cond) {
		fprintf(stderr, "fuzz oracle violated: %s: %s\n", what, detail ? detail : "");
		abort();
	}
}

/* gzip (not zlib) framing of data: a new buffer in *out. */
static inline void fuzz_gzip(const uint8_t *data, size_t size, uint8_t **out, size_t *outlen)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	size_t cap = deflateBound(&zs, (uLong)size) + 32;
	*out = xmalloc(cap);
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)size;
	zs.next_out = *out;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		abort();
	*outlen = cap - zs.avail_out;
	deflateEnd(&zs);
}

/* Counts the records of a file written by failed.c (fatal error: -1). */
static inline long fuzz_count_records(const char *path, enum in_format fmt, int delimiter)
{
	struct reader_opts ro = { fmt, delimiter };
	char err[1024];
	struct reader *r = reader_open(path, &ro, err, sizeof(err));
	if (!r) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	struct record rec;
	long n = 0;
	int rc;
	while ((rc = reader_next(r, &rec, err, sizeof(err))) == 1)
		n++;
	if (rc < 0)
		fprintf(stderr, "%s\n", err);
	reader_close(r, NULL, 0);
	return rc < 0 ? -1 : n;
}

static inline int fuzz_pipeline(const uint8_t *data, size_t size, enum in_format forced)
{
	static const int delims[] = { 0, ',', ';', '\t' };
	static const enum mode modes[] = { MODE_AUTO, MODE_CREATE, MODE_MODIFY, MODE_AUTO };
	const char *sets[] = { "logStreamType=Lines", "prefix={integrationLabel}/" };
	const char *ignore[] = { "kmsKey" };
	char err[1024];

	if (size < 1)
		return 0;
	uint8_t ctl = data[0];
	data++;
	size--;

	struct source_opts o;
	memset(&o, 0, sizeof(o));
	o.reader.format = (ctl & 0x80) ? FORMAT_AUTO : forced;
	o.reader.delimiter = delims[ctl & 3];
	o.mode = modes[(ctl >> 2) & 3];
	if (ctl & 0x10) {
		o.sets = sets;
		o.nsets = 2;
	}
	if (ctl & 0x20) {
		o.ignore_columns = ignore;
		o.nignore = 1;
	}

	const char *path;
	if (ctl & 0x40) {
		uint8_t *gz;
		size_t gzlen;
		fuzz_gzip(data, size, &gz, &gzlen);
		path = fuzz_write_file(0, "input", gz, gzlen);
		free(gz);
	} else {
		path = fuzz_write_file(0, "input", data, size);
	}

	struct source_reader *sr = source_reader_open(path, &o, err, sizeof(err));
	if (!sr) {
		fuzz_check(*err != 0, "source_reader_open failed without a message", NULL);
		fuzz_scratch_clean();
		return 0;
	}
	struct reader *r = source_reader_reader(sr);
	enum in_format fmt = reader_format(r);
	size_t nheader = 0;
	char **header = reader_header(r, &nheader);
	int delim = reader_delimiter(r);

	char rpath[600], fpath[600];
	snprintf(rpath, sizeof(rpath), "%s/r.csv", fuzz_scratch());
	snprintf(fpath, sizeof(fpath), "%s/f.%s", fuzz_scratch(), fmt == FORMAT_JSONL ? "jsonl" : "csv");
	struct results_writer *rw = results_open(rpath, err, sizeof(err));
	fuzz_check(rw != NULL, "results_open", err);
	struct failed_writer *fw = failed_new(fpath, fmt, header, nheader, delim);

	char (*created)[65] = NULL;
	size_t ncreated = 0, failed_raw = 0;
	struct source *s;
	int rc;
	while ((rc = source_next(sr, &s, err, sizeof(err))) == 1) {
		char *error = diag_render_new(&s->diags, DIAG_ERROR);
		char *warning = diag_render_new(&s->diags, DIAG_WARNING);
		fuzz_check(s->nraw >= 1, "a source without raw records", NULL);
		fuzz_check(error || (s->action == ACTION_MODIFY ? s->patch != NULL : s->body != NULL),
			   "a valid source without a body (create) or a patch (modify)", NULL);
		if (s->body) {
			char *text = source_body_dumps(s->body);
			fuzz_check(text != NULL, "body does not serialise", NULL);
			free(text);
		}
		if (s->patch) {
			static const char server_text[] =
				"{\"integrationId\":\"id\",\"awsAccountId\":\"123456789012\",\"s3Bucket\":\"b-1\","
				"\"integrationLabel\":\"l\",\"kmsKey\":\"k\",\"logProcessingRole\":\"r\","
				"\"logStreamType\":\"JsonArray\",\"logStreamTypeOptions\":{\"jsonArrayEnvelopeField\":\"R\"},"
				"\"managedBucketNotifications\":true,\"s3PrefixLogTypes\":[{\"prefix\":\"p/\","
				"\"logTypes\":[\"A.B\"],\"excludedPrefixes\":[\"p/x/\"]}]}";
			json_t *server = json_loads(server_text, 0, NULL);
			struct merge_result mr;
			merge_source(s->patch, server, &mr);
			fuzz_check((mr.status == MERGE_INVALID) == (mr.body == NULL) &&
				   (mr.status == MERGE_INVALID) == (mr.error != NULL),
				   "merge: a body exactly when not invalid", mr.error);
			fuzz_check(!mr.body || (!json_object_get(mr.body, "integrationId") &&
						!json_object_get(mr.body, "awsAccountId") &&
						!json_object_get(mr.body, "s3Bucket")),
				   "merge: a PUT body with a field the modify schema does not have", NULL);
			fuzz_check((mr.status == MERGE_UNCHANGED) == (mr.body && !mr.changes),
				   "merge: unchanged exactly when no field changed", mr.changes);
			merge_result_release(&mr);
			json_decref(server);
		}
		struct result res = {
			.row = s->row, .line = s->line, .action = s->action,
			.outcome = error ? OUTCOME_INVALID : OUTCOME_CREATED,
			.id = error ? s->id : "3f2a1c9e-0000-4000-8000-000000000001",
			.label = s->label, .error = error, .warning = warning,
			.fingerprint = s->fingerprint, .attempts = 1,
		};
		fuzz_check(results_write(rw, &res) == 0, "results_write", NULL);
		if (error) {
			fuzz_check(failed_write(fw, s, NULL) == 0, "failed_write", NULL);
			failed_raw += s->nraw;
		} else {
			created = xrealloc(created, (ncreated + 1) * sizeof(*created));
			memcpy(created[ncreated++], s->fingerprint, 65);
		}
		free(error);
		free(warning);
		source_free(s);
	}
	if (rc < 0)
		fuzz_check(*err != 0, "fatal error without a message", NULL);

	fuzz_check(results_close(rw, err, sizeof(err)) == 0, "results_close", err);
	int frc = failed_close(fw, err, sizeof(err));
	fuzz_check(frc >= 0, "failed_close", err);
	fuzz_check((frc == 1) == (failed_raw > 0), "failed-rows file written iff a row failed", NULL);

	/* Oracle 1: the results file is a valid --resume input. */
	struct resume_set *rs = resume_load(rpath, err, sizeof(err));
	fuzz_check(rs != NULL, "results file is not a valid --resume input", err);
	for (size_t i = 0; i < ncreated; i++)
		fuzz_check(resume_lookup(rs, created[i]) != NULL, "created row not found by --resume",
			   created[i]);
	resume_free(rs);

	/* Oracle 2: the failed-rows file re-reads record for record. */
	if (frc == 1) {
		long n = fuzz_count_records(fpath, fmt, fmt == FORMAT_CSV ? (delim ? delim : ',') : 0);
		char detail[64];
		snprintf(detail, sizeof(detail), "%ld records read back, %zu written", n, failed_raw);
		fuzz_check(n == (long)failed_raw, "failed-rows file does not re-read", detail);
	}

	free(created);
	source_reader_close(sr, NULL, 0);
	fuzz_scratch_clean();
	return 0;
}

#endif
