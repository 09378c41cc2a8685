/*
 * reader.c - the front of the input readers: opens the input (input.c),
 * chooses the format and hands each reader_next() to the CSV (reader_csv.c)
 * or JSONL (reader_jsonl.c) back end.
 *
 * The format is, in order: the caller's FORMAT_CSV/FORMAT_JSONL; the file's
 * extension (.csv .tsv .jsonl .ndjson, each optionally followed by .gz, any
 * case; .tsv also means TAB unless a delimiter is given); else the first byte
 * that is not white space: '{' is JSONL, anything else CSV. Sniffing peeks
 * into the input buffer, so nothing is read twice, and works for stdin.
 */
#include "reader_impl.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static int has_suffix(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && !strncasecmp(s + len - n, suffix, n);
}

/* FORMAT_AUTO when the extension says nothing; *tsv set for .tsv. */
static enum in_format format_from_name(const char *path, int *tsv)
{
	size_t len = strlen(path);

	*tsv = 0;
	if (has_suffix(path, len, ".gz"))
		len -= 3;
	if (has_suffix(path, len, ".csv"))
		return FORMAT_CSV;
	if (has_suffix(path, len, ".tsv")) {
		*tsv = 1;
		return FORMAT_CSV;
	}
	if (has_suffix(path, len, ".jsonl") || has_suffix(path, len, ".ndjson"))
		return FORMAT_JSONL;
	return FORMAT_AUTO;
}

struct reader *reader_open(const char *path, const struct reader_opts *opts,
			   char *err, size_t errlen)
{
	struct reader_opts none = { FORMAT_AUTO, 0 };
	int tsv = 0;

	if (!opts)
		opts = &none;
	struct input *in = input_open(path, err, errlen);
	if (!in)
		return NULL;

	struct reader *r = xcalloc(1, sizeof(*r));
	r->in = in;
	r->delim = opts->delimiter;
	strbuf_init(&r->arena, 4096);
	r->format = opts->format;
	if (input_probe_style(in, err, errlen) < 0)
		goto fail;
	if (r->format == FORMAT_AUTO && strcmp(path, "-"))
		r->format = format_from_name(path, &tsv);
	if (r->format == FORMAT_AUTO) {
		int c = input_peek_nonblank(in, err, errlen);
		if (c == -2)
			goto fail;
		r->format = c == '{' ? FORMAT_JSONL : FORMAT_CSV;
	}
	if (r->format == FORMAT_CSV) {
		if (!r->delim && tsv)
			r->delim = '\t';
		if (csv_reader_start(r, err, errlen) < 0)
			goto fail;
	}
	return r;

fail:
	reader_close(r, NULL, 0);
	return NULL;
}

enum in_format reader_format(const struct reader *r)
{
	return r->format;
}

char **reader_header(const struct reader *r, size_t *ncells)
{
	if (r->format != FORMAT_CSV) {
		*ncells = 0;
		return NULL;
	}
	*ncells = r->nheader;
	return r->header;
}

int reader_delimiter(const struct reader *r)
{
	return r->format == FORMAT_CSV ? r->delim : 0;
}

int reader_had_bom(const struct reader *r)
{
	return input_had_bom(r->in);
}

const char *reader_eol(const struct reader *r)
{
	const char *eol = input_eol(r->in);
	return eol ? eol : "\n";
}

const char *reader_name(const struct reader *r)
{
	return input_name(r->in);
}

int reader_next(struct reader *r, struct record *rec, char *err, size_t errlen)
{
	int ret;

	memset(rec, 0, sizeof(*rec));
	if (r->obj) {
		json_decref(r->obj);
		r->obj = NULL;
	}
	if (r->failed) {
		snprintf(err, errlen, "%s: input already failed", reader_name(r));
		return -1;
	}
	if (r->format == FORMAT_CSV)
		ret = csv_reader_next(r, rec, err, errlen);
	else
		ret = jsonl_reader_next(r, rec, err, errlen);
	if (ret < 0)
		r->failed = 1;
	return ret;
}

void reader_progress(const struct reader *r, uint64_t *done, uint64_t *total)
{
	input_progress(r->in, done, total);
}

int reader_close(struct reader *r, char *err, size_t errlen)
{
	char dummy[8];
	int ret;

	if (!r)
		return 0;
	if (!err) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	ret = input_close(r->in, err, errlen);
	csv_reader_release(r);
	json_decref(r->obj);
	strbuf_release(&r->arena);
	free(r);
	return ret;
}
