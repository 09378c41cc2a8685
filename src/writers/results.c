/*
 * results.c - the per-row results file (spec: "Results file").
 *
 * One record per input row (or per ID), written in completion order and
 * flushed after each record, so an interrupted run keeps every finished row
 * and the file is a valid --resume input at any moment. Two formats, chosen by
 * the extension of the path (a character device or a FIFO, e.g. /dev/null,
 * may have none: CSV unless it ends in .jsonl):
 *
 *   .csv    header row RESULTS_COLUMNS, then one row per record; quoting is
 *           libcsv's (csv_write), and a cell that begins with '=', '+', '-',
 *           '@', TAB, CR or LF is written with a leading '\'' (spreadsheet
 *           formula injection);
 *   .jsonl  one compact JSON object per line (jansson), keys in the column
 *           order; every key is written: row, line, attempts and elapsedMs are
 *           numbers, httpStatus is a number or null, the strings are "" when
 *           absent;
 *   "-"     JSONL on stdout.
 *
 * Write errors (ENOSPC, EIO, a closed pipe) are detected at the flush after
 * each record and reported by results_write() returning -1 with errno kept; the
 * caller aborts the run (exit 3). A regular file is then cut back to the end
 * of the last complete record (and stdio's buffer dropped), so a full disk
 * leaves no half record behind and the file stays a valid --resume input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "results.h"
#include "util.h"
#include "writers_util.h"

enum results_fmt { RFMT_CSV, RFMT_JSONL };

struct results_writer {
	char *path;
	FILE *fp;
	int is_stdout;
	enum results_fmt fmt;
	int failed;            /* a write error happened: sticky */
	int saved_errno;
	off_t good;            /* bytes of complete records (and header) written */
	struct strbuf line;    /* one record, reused */
};

static const char *const results_columns[] = { RESULTS_COLUMNS };

struct results_writer *results_open(const char *path, char *err, size_t errlen)
{
	struct results_writer *w;
	enum results_fmt fmt;
	int is_stdout = 0;

	if (!strcmp(path, "-")) {
		fmt = RFMT_JSONL;
		is_stdout = 1;
	} else if (has_suffix(path, ".csv")) {
		fmt = RFMT_CSV;
	} else if (has_suffix(path, ".jsonl")) {
		fmt = RFMT_JSONL;
	} else if (path_is_device(path, 1)) {
		fmt = RFMT_CSV;    /* /dev/null, a terminal, a FIFO: its name has no say */
	} else {
		snprintf(err, errlen, "results file '%s': unsupported extension (use .csv, .jsonl or -)", path);
		return NULL;
	}

	w = xcalloc(1, sizeof(*w));
	w->path = xstrdup(path);
	w->fmt = fmt;
	w->is_stdout = is_stdout;
	strbuf_init(&w->line, 256);
	if (is_stdout) {
		w->fp = stdout;
	} else {
		w->fp = fopen(path, "w");
		if (!w->fp) {
			snprintf(err, errlen, "cannot create results file '%s': %s", path, strerror(errno));
			strbuf_release(&w->line);
			free(w->path);
			free(w);
			return NULL;
		}
	}

	if (fmt == RFMT_CSV) {
		for (size_t i = 0; i < ARRAY_SIZE(results_columns); i++)
			csv_append_cell(&w->line, results_columns[i], strlen(results_columns[i]),
					',', i == 0, 1);
		strbuf_addch(&w->line, '\n');
		if (fwrite(w->line.buf, 1, w->line.len, w->fp) != w->line.len || fflush(w->fp)) {
			snprintf(err, errlen, "cannot write results file '%s': %s", path, strerror(errno));
			if (!is_stdout)
				fclose(w->fp);
			strbuf_release(&w->line);
			free(w->path);
			free(w);
			return NULL;
		}
		w->good = (off_t)w->line.len;
	}
	return w;
}

int results_fd(const struct results_writer *w)
{
	return fileno(w->fp);
}

uint64_t results_written(const struct results_writer *w)
{
	return (uint64_t)w->good;
}

static void add_csv(struct strbuf *sb, const char *s, int first)
{
	if (!s)
		s = "";
	csv_append_cell(sb, s, strlen(s), ',', first, 1);
}

static void format_csv(struct strbuf *sb, const struct result *r)
{
	char num[32];

	snprintf(num, sizeof(num), "%zu", r->row);
	add_csv(sb, num, 1);
	snprintf(num, sizeof(num), "%zu", r->line);
	add_csv(sb, num, 0);
	add_csv(sb, action_name(r->action), 0);
	add_csv(sb, outcome_name(r->outcome), 0);
	if (r->http_status)
		snprintf(num, sizeof(num), "%d", r->http_status);
	else
		num[0] = '\0';
	add_csv(sb, num, 0);
	add_csv(sb, r->id, 0);
	add_csv(sb, r->label, 0);
	snprintf(num, sizeof(num), "%d", r->attempts);
	add_csv(sb, num, 0);
	snprintf(num, sizeof(num), "%lld", (long long)r->elapsed_ms);
	add_csv(sb, num, 0);
	add_csv(sb, r->error, 0);
	add_csv(sb, r->warning, 0);
	add_csv(sb, r->fingerprint, 0);
	add_csv(sb, r->changes, 0);
	strbuf_addch(sb, '\n');
}

static int dump_to_strbuf(const char *buffer, size_t size, void *data)
{
	strbuf_add(data, buffer, size);
	return 0;
}

/* Appends one record as a compact JSON line: keys in RESULTS_COLUMNS order. */
static void format_jsonl(struct strbuf *sb, const struct result *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "row", json_integer((json_int_t)r->row));
	json_object_set_new(o, "line", json_integer((json_int_t)r->line));
	json_object_set_new(o, "action", json_string(action_name(r->action)));
	json_object_set_new(o, "outcome", json_string(outcome_name(r->outcome)));
	json_object_set_new(o, "httpStatus", r->http_status ? json_integer(r->http_status) : json_null());
	json_object_set_new(o, "integrationId", json_string_lossy(r->id));
	json_object_set_new(o, "integrationLabel", json_string_lossy(r->label));
	json_object_set_new(o, "attempts", json_integer(r->attempts));
	json_object_set_new(o, "elapsedMs", json_integer((json_int_t)r->elapsed_ms));
	json_object_set_new(o, "error", json_string_lossy(r->error));
	json_object_set_new(o, "warning", json_string_lossy(r->warning));
	json_object_set_new(o, "fingerprint", json_string_lossy(r->fingerprint));
	json_object_set_new(o, "changes", json_string_lossy(r->changes));
	if (json_dump_callback(o, dump_to_strbuf, sb, JSON_COMPACT | JSON_PRESERVE_ORDER))
		die("cannot serialise a results record");
	json_decref(o);
	strbuf_addch(sb, '\n');
}

int results_write(struct results_writer *w, const struct result *r)
{
	if (w->failed) {
		errno = w->saved_errno;
		return -1;
	}
	strbuf_reset(&w->line);
	if (w->fmt == RFMT_CSV)
		format_csv(&w->line, r);
	else
		format_jsonl(&w->line, r);
	if (fwrite(w->line.buf, 1, w->line.len, w->fp) != w->line.len ||
	    fflush(w->fp) || ferror(w->fp)) {
		w->failed = 1;
		w->saved_errno = errno ? errno : EIO;
		if (!w->is_stdout) {
			/* drop the half record: unwritten bytes and what reached the file */
			__fpurge(w->fp);
			if (ftruncate(fileno(w->fp), w->good) == 0)
				fseeko(w->fp, w->good, SEEK_SET);
		}
		errno = w->saved_errno;
		return -1;
	}
	w->good += (off_t)w->line.len;
	return 0;
}

int results_close(struct results_writer *w, char *err, size_t errlen)
{
	int ret = 0;

	if (!w)
		return 0;
	if (w->failed) {
		snprintf(err, errlen, "cannot write results file '%s': %s",
			 w->is_stdout ? "<stdout>" : w->path, strerror(w->saved_errno));
		ret = -1;
	} else if (fflush(w->fp) || ferror(w->fp)) {
		snprintf(err, errlen, "cannot write results file '%s': %s",
			 w->is_stdout ? "<stdout>" : w->path, strerror(errno));
		ret = -1;
	}
	if (!w->is_stdout && fclose(w->fp) && ret == 0) {
		snprintf(err, errlen, "cannot close results file '%s': %s", w->path, strerror(errno));
		ret = -1;
	}
	strbuf_release(&w->line);
	free(w->path);
	free(w);
	return ret;
}
