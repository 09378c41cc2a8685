/*
 * source.c - the public face of the source area (source.h): opens the reader,
 * hands its header to the row stream, and turns each source_next() into one
 * checked source. All the work is in row_map.c (records -> draft), validate.c,
 * body.c and dupcheck.c; this file only wires the reader in, so the tests can
 * drive the same pipeline from records built in memory.
 */
#include "source_internal.h"

#include <stdio.h>
#include <stdlib.h>

struct source_reader {
	struct reader *r;
	struct row_stream *rs;
};

static int from_reader(void *ctx, struct record *rec, char *err, size_t errlen)
{
	return reader_next(ctx, rec, err, errlen);
}

struct source_reader *source_reader_open(const char *path, const struct source_opts *opts,
					 char *err, size_t errlen)
{
	struct reader *r = reader_open(path, &opts->reader, err, errlen);
	if (!r)
		return NULL;
	size_t nheader = 0;
	char **header = reader_header(r, &nheader);
	struct row_stream *rs = row_stream_new(opts, reader_format(r), reader_name(r), header,
					       nheader, from_reader, r, err, errlen);
	if (!rs) {
		reader_close(r, NULL, 0);
		return NULL;
	}
	struct source_reader *sr = xcalloc(1, sizeof(*sr));
	sr->r = r;
	sr->rs = rs;
	return sr;
}

int source_next(struct source_reader *sr, struct source **out, char *err, size_t errlen)
{
	return row_stream_next(sr->rs, out, err, errlen);
}

struct reader *source_reader_reader(struct source_reader *sr)
{
	return sr->r;
}

int source_reader_close(struct source_reader *sr, char *err, size_t errlen)
{
	if (!sr)
		return 0;
	row_stream_free(sr->rs);
	int rc = reader_close(sr->r, err, errlen);
	free(sr);
	return rc;
}
