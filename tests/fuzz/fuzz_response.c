/*
 * fuzz_response.c - libFuzzer harness: what s3src does with an API response
 * body (hostile or broken servers, proxies answering HTML): run.c's
 * response_error_text() and response_json_string() as import_done
 * (cmd_import.c) calls them, and fetch_done's path (fetch.c): the body parsed
 * with JSON_REJECT_DUPLICATES and, when it is an object, written as the
 * export's CSV rows (export_csv_rows) and JSONL (export_writer_add).
 *
 * The first byte is not part of the body: its low 4 bits pick the HTTP status
 * (table below), bits 4-5 the response kind, bit 6 attempts > 1.
 *
 * Oracles beyond the sanitizers: the error text has no control characters and
 * is at most a few hundred bytes whatever the body; a results file (CSV and
 * JSONL) holding that text and the integrationId re-reads as a valid --resume
 * input; the export CSV of the object re-reads with one cell per column on
 * every row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "export_writer.h"
#include "fuzz.h"
#include "reader.h"
#include "results.h"
#include "run.h"
#include "util.h"

static void check(int cond, const char *what, const char *detail)
{
	if (!cond) {
		fprintf(stderr, "fuzz oracle violated: %s: %s\n", what, detail ? detail : "");
		abort();
	}
}

static void check_results_roundtrip(const char *name, const char *id, const char *label,
				    const char *error)
{
	char path[600], err[1024];
	snprintf(path, sizeof(path), "%s/%s", fuzz_scratch(), name);
	struct results_writer *w = results_open(path, err, sizeof(err));
	check(w != NULL, "results_open", err);
	struct result r = {
		.row = 1, .line = 2, .action = ACTION_CREATE, .outcome = OUTCOME_CREATED,
		.http_status = 201, .id = id, .label = label, .attempts = 1, .elapsed_ms = 3,
		.error = error,
		.fingerprint = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	};
	check(results_write(w, &r) == 0, "results_write", name);
	check(results_close(w, err, sizeof(err)) == 0, "results_close", err);
	struct resume_set *rs = resume_load(path, err, sizeof(err));
	check(rs != NULL, "results file is not a valid --resume input", err);
	check(resume_count(rs) == 1, "results row lost", name);
	const char *back = resume_lookup(rs, r.fingerprint);
	check(back != NULL, "fingerprint lost", name);
	resume_free(rs);
}

static void check_export_csv(const json_t *src)
{
	struct strbuf sb = STRBUF_INIT;
	char err[1024];
	strbuf_init(&sb, 256);
	export_csv_header(&sb);
	export_csv_rows(&sb, src);
	const char *path = fuzz_write_file(1, "export.csv", (const uint8_t *)sb.buf, sb.len);
	strbuf_release(&sb);

	struct reader_opts ro = { FORMAT_CSV, ',' };
	struct reader *r = reader_open(path, &ro, err, sizeof(err));
	check(r != NULL, "export CSV does not re-open", err);
	size_t nh;
	reader_header(r, &nh);
	struct record rec;
	int rc;
	while ((rc = reader_next(r, &rec, err, sizeof(err))) == 1) {
		check(rec.error == NULL, "export CSV record error", rec.error);
		check(rec.ncells == nh, "export CSV row width", NULL);
	}
	check(rc == 0, "export CSV does not re-read", err);
	reader_close(r, NULL, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int statuses[16] = { 200, 201, 204, 400, 401, 403, 404, 409,
					  413, 429, 500, 502, 503, 504, 302, 0 };
	static const enum response_kind kinds[4] = { RESPONSE_HTTP, RESPONSE_TRANSPORT,
						     RESPONSE_NOT_STARTED, RESPONSE_ABORTED };
	if (size < 1)
		return 0;
	uint8_t ctl = data[0];
	data++;
	size--;
	if (size > SCHED_BODY_MAX)
		return 0;  /* the engine fails such an attempt before any parsing */

	/* The engine hands over a NUL-terminated copy. */
	char *body = xmalloc(size + 1);
	memcpy(body, data, size);
	body[size] = 0;
	struct response res = {
		.kind = kinds[(ctl >> 4) & 3], .http_status = statuses[ctl & 15],
		.attempts = (ctl & 0x40) ? 3 : 1, .elapsed_ms = 7,
		.body = body, .body_len = size,
		.error = (ctl & 0x80) ? "Connection reset by peer" : NULL,
	};

	char *text = response_error_text(&res);
	check(text != NULL, "no error text", NULL);
	size_t tl = strlen(text);
	check(tl < 1024, "error text not bounded", NULL);
	for (size_t i = 0; i < tl; i++)
		check((unsigned char)text[i] >= 0x20 && text[i] != 0x7f, "control character in error text", NULL);
	char *id = response_json_string(&res, "integrationId");

	json_t *src = json_loadb(body, size, JSON_REJECT_DUPLICATES, NULL); /* new reference */
	const char *label = json_is_object(src) ? json_string_value(json_object_get(src, "integrationLabel")) : NULL;

	check_results_roundtrip("r.csv", id, label, text);
	check_results_roundtrip("r.jsonl", id, label, text);

	if (json_is_object(src)) {
		check_export_csv(src);
		char path[600], err[1024];
		snprintf(path, sizeof(path), "%s/backup.jsonl", fuzz_scratch());
		struct export_writer *w = export_writer_open(path, err, sizeof(err));
		check(w != NULL, "export_writer_open", err);
		check(export_writer_add(w, 0, src) == 0, "export_writer_add", NULL);
		check(export_writer_commit(w, err, sizeof(err)) == 0, "export_writer_commit", err);
	}
	json_decref(src);
	free(id);
	free(text);
	free(body);
	fuzz_scratch_clean();
	return 0;
}
