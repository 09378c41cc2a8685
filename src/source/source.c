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
#include <string.h>
#include <sys/stat.h>

struct source_reader {
	struct reader *r;
	struct row_stream *rs;
};

static int from_reader(void *ctx, struct record *rec, char *err, size_t errlen)
{
	return reader_next(ctx, rec, err, errlen);
}

/*
 * A header with an unnamed column: a cell with data under it anywhere in the
 * file stops the run before anything is sent (exit 2), so a file whose
 * column lost its name is never half imported. A regular file is read once
 * more for this, only in that case; stdin and pipes cannot be, and there the
 * row holding the cell is invalid instead (row_map.c). -1 with err.
 */
static int unnamed_prescan(const char *path, const struct source_opts *opts,
			   const struct row_stream *rs, char *err, size_t errlen)
{
	struct stat st;
	char msg[512], rerr[256];
	struct record rec;
	int rc, ret = 0;

	if (!strcmp(path, "-") || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	struct reader *r = reader_open(path, &opts->reader, rerr, sizeof(rerr));
	if (!r)
		return 0;   /* the main reader reports it */
	while ((rc = reader_next(r, &rec, rerr, sizeof(rerr))) == 1) {
		if (!rec.error && row_stream_unnamed_cell(rs, &rec, msg, sizeof(msg))) {
			snprintf(err, errlen, "%s:%zu: %s", reader_name(r),
				 rec.line, msg);
			ret = -1;
			break;
		}
	}
	reader_close(r, NULL, 0);
	return ret;
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
	if (row_stream_has_unnamed(rs) && unnamed_prescan(path, opts, rs, err, errlen) < 0) {
		row_stream_free(rs);
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
