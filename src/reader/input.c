/*
 * input.c - the byte and line source under the CSV and JSONL readers.
 *
 * A path or stdin ("-") is opened with zlib's gzdopen(): zlib looks at the
 * first bytes and either inflates a gzip stream or passes a plain file through
 * unchanged, so one code path serves both. Reads land in one growable buffer
 * from which input_line() cuts lines in place (no copy per line); the buffer
 * only grows for a line longer than itself, and never beyond
 * READER_MAX_RECORD, so memory is bounded by the longest line, not the file.
 *
 * A UTF-16 or UTF-32 byte order mark stops the reading at once (encoding.h):
 * such a file read as UTF-8 is garbage.
 *
 * zlib reports a truncated stream softly: gzread() returns 0 and gzerror()
 * says Z_BUF_ERROR "unexpected end of file". Every end of input is therefore
 * checked with gzerror(), and gzclose()'s result too, so a cut-off download
 * is an error rather than a silently short file.
 */
#include "reader.h"
#include "encoding.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define INPUT_GZBUF   (128u << 10)   /* zlib's own buffers */
#define INPUT_CHUNK   (256u << 10)   /* our line buffer, initially */

struct input {
	gzFile gz;
	const char *name;       /* for messages; "<stdin>" for "-" */
	uint64_t total;         /* st_size of a regular file, else 0 */
	uint64_t nread;         /* bytes gzread gave us (uncompressed) */
	char *buf;              /* bytes [pos, end) not yet handed out */
	size_t alloc, pos, end;
	size_t scanned;         /* bytes after pos known to hold no line end */
	size_t lineno;
	int eof;                /* gzread reported the end (checked for errors) */
	int bom_checked;
	int bom;                /* the input began with a UTF-8 BOM (stripped) */
	const char *eol;        /* the first line's terminator, NULL until known */
	int failed;             /* an error was already reported */
};

const char *input_name(const struct input *in)
{
	return in->name;
}

size_t input_lineno(const struct input *in)
{
	return in->lineno;
}

struct input *input_open(const char *path, char *err, size_t errlen)
{
	int is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "<stdin>" : path;
	struct stat st;
	int fd;

	fd = is_stdin ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open '%s': %s", name, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", name, strerror(errno));
		close(fd);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "cannot read '%s': %s", name, strerror(EISDIR));
		close(fd);
		return NULL;
	}

	struct input *in = xcalloc(1, sizeof(*in));
	in->name = name;
	in->total = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	in->gz = gzdopen(fd, "rb");
	if (!in->gz) {
		snprintf(err, errlen, "cannot open '%s': out of memory in zlib", name);
		close(fd);
		free(in);
		return NULL;
	}
	gzbuffer(in->gz, INPUT_GZBUF);
	in->alloc = INPUT_CHUNK;
	in->buf = xmalloc(in->alloc);
	return in;
}

/* Sets err from zlib's state after a failed or short read. */
static void gz_fail(struct input *in, char *err, size_t errlen)
{
	int errnum = Z_OK;
	const char *msg = gzerror(in->gz, &errnum);
	const char *colon = strstr(msg, ": ");

	if (!strncmp(msg, "<fd:", 4) && colon)
		msg = colon + 2;   /* zlib prefixes its "<fd:N>" path; we name the file */

	if (errnum == Z_ERRNO)
		snprintf(err, errlen, "cannot read '%s': %s", in->name, strerror(errno));
	else if (errnum == Z_BUF_ERROR)
		snprintf(err, errlen, "'%s': truncated gzip input (%s)", in->name, msg);
	else if (errnum == Z_MEM_ERROR)
		snprintf(err, errlen, "'%s': out of memory in zlib", in->name);
	else
		snprintf(err, errlen, "'%s': corrupt gzip input (%s)", in->name, msg);
	in->failed = 1;
}

/* Reads more bytes after end, moving or growing the buffer as needed.
 * Returns 0, or -1 with err. At end of input sets in->eof. */
static int fill(struct input *in, char *err, size_t errlen)
{
	if (in->failed) {
		snprintf(err, errlen, "'%s': input already failed", in->name);
		return -1;
	}
	if (in->pos > 0 && in->end + 1 >= in->alloc) {
		memmove(in->buf, in->buf + in->pos, in->end - in->pos);
		in->end -= in->pos;
		in->pos = 0;
	}
	if (in->end + 1 >= in->alloc) {
		if (in->alloc > READER_MAX_RECORD) {
			snprintf(err, errlen, "%s:%zu: line longer than %zu MiB", in->name,
				 in->lineno + 1, READER_MAX_RECORD >> 20);
			in->failed = 1;
			return -1;
		}
		in->alloc *= 2;
		in->buf = xrealloc(in->buf, in->alloc);
	}
	/* Keep one spare byte so INPUT_EOL_LF can NUL-terminate a last line. */
	size_t room = in->alloc - in->end - 1;
	if (room > INT_MAX)
		room = INT_MAX;
	int n = gzread(in->gz, in->buf + in->end, (unsigned)room);
	if (n < 0) {
		gz_fail(in, err, errlen);
		return -1;
	}
	if (n == 0) {
		int errnum = Z_OK;
		gzerror(in->gz, &errnum);
		if (errnum != Z_OK) {
			gz_fail(in, err, errlen);
			return -1;
		}
		in->eof = 1;
	}
	in->end += (size_t)n;
	in->nread += (uint64_t)n;
	if (!in->bom_checked && (in->end >= 4 || in->eof)) {
		in->bom_checked = 1;
		if (in->end >= 3 && !memcmp(in->buf, "\xEF\xBB\xBF", 3)) {
			in->pos = 3;
			in->bom = 1;
		}
		const char *enc = encoding_bom_name(in->buf, in->end);
		if (enc) {
			/* read as UTF-8 it would be garbage and NUL bytes */
			snprintf(err, errlen, "'%s' is %s text; %s", in->name, enc, ENCODING_HINT);
			in->failed = 1;
			return -1;
		}
	}
	return 0;
}

/* Fills until at least want bytes are buffered after pos, or end of input. */
static int fill_min(struct input *in, size_t want, char *err, size_t errlen)
{
	while (!in->eof && (in->end - in->pos < want || !in->bom_checked))
		if (fill(in, err, errlen) < 0)
			return -1;
	return 0;
}

int input_peek_nonblank(struct input *in, char *err, size_t errlen)
{
	size_t i = 0;

	for (;;) {
		if (fill_min(in, i + 1, err, errlen) < 0)
			return -2;
		if (in->pos + i >= in->end)
			return -1;
		unsigned char c = (unsigned char)in->buf[in->pos + i];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return c;
		i++;
	}
}

int input_peek_line(struct input *in, const char **line, size_t *len, char *err, size_t errlen)
{
	size_t i = 0, start = 0;
	int seen = 0;

	for (;; i++) {
		if (fill_min(in, i + 1, err, errlen) < 0)
			return -1;
		if (in->pos + i >= in->end)
			break;
		char c = in->buf[in->pos + i];
		if (seen && (c == '\r' || c == '\n'))
			break;
		if (c == '\r' || c == '\n')
			start = i + 1;
		else if (c != ' ' && c != '\t')
			seen = 1;
	}
	*line = in->buf + in->pos + start;
	*len = seen ? i - start : 0;
	return seen;
}

/* Finds the first line end in [from, to): LF only, or any of CR and LF. */
static char *find_eol(char *from, char *to, enum input_eol mode)
{
	if (mode == INPUT_EOL_LF)
		return memchr(from, '\n', (size_t)(to - from));
	for (char *p = from; p < to; p++)
		if (*p == '\n' || *p == '\r')
			return p;
	return NULL;
}

int input_line(struct input *in, enum input_eol mode, const char **line, size_t *len,
	       size_t *eollen, char *err, size_t errlen)
{
	if (fill_min(in, 0, err, errlen) < 0)
		return -1;
	for (;;) {
		char *start = in->buf + in->pos;
		char *stop = in->buf + in->end;
		char *q = find_eol(start + in->scanned, stop, mode);
		size_t n, eol;

		if (q && *q == '\r' && q + 1 == stop && !in->eof) {
			/* CR last in the buffer: CRLF or a lone CR? Read on. */
			in->scanned = (size_t)(q - start);
			if (fill(in, err, errlen) < 0)
				return -1;
			continue;
		}
		if (q) {
			n = (size_t)(q - start);
			eol = (*q == '\r' && q + 1 < stop && q[1] == '\n') ? 2 : 1;
		} else if (in->eof) {
			if (in->pos == in->end)
				return 0;
			n = (size_t)(stop - start);
			eol = 0;
		} else {
			in->scanned = (size_t)(stop - start);
			if (fill(in, err, errlen) < 0)
				return -1;
			continue;
		}
		in->pos += n + eol;
		in->scanned = 0;
		in->lineno++;
		if (!in->eol && eol)
			in->eol = eol == 2 ? "\r\n" : *q == '\r' ? "\r" : "\n";
		if (mode == INPUT_EOL_LF) {
			if (n > 0 && start[n - 1] == '\r') {
				n--;
				eol++;
			}
			start[n] = '\0';   /* over the CR/LF, or the spare byte */
		}
		*line = start;
		*len = n;
		*eollen = eol;
		return 1;
	}
}

int input_probe_style(struct input *in, char *err, size_t errlen)
{
	size_t i = 0;

	if (fill_min(in, 0, err, errlen) < 0)
		return -1;
	while (!in->eol) {
		for (; in->pos + i < in->end; i++) {
			char c = in->buf[in->pos + i];
			if (c != '\r' && c != '\n')
				continue;
			if (c == '\r' && in->pos + i + 1 == in->end && !in->eof)
				break;   /* CR last in the buffer: CRLF or a lone CR? Read on. */
			in->eol = c == '\n' ? "\n" :
				  in->pos + i + 1 < in->end && in->buf[in->pos + i + 1] == '\n' ? "\r\n" : "\r";
			return 0;
		}
		if (in->eof)
			return 0;   /* one line without a terminator */
		/* i counts from pos, which stays right when fill() moves the bytes */
		if (fill(in, err, errlen) < 0)
			return -1;
	}
	return 0;
}

int input_had_bom(const struct input *in)
{
	return in->bom;
}

const char *input_eol(const struct input *in)
{
	return in->eol;
}

void input_progress(const struct input *in, uint64_t *done, uint64_t *total)
{
	/* What the parser has consumed, not what was read ahead (into our buffer
	 * and zlib's): for a plain file that count itself; for gzip the compressed
	 * offset scaled by the share of the inflated bytes handed out. */
	z_off_t off = gzoffset(in->gz);   /* fails on a pipe: it uses lseek */
	uint64_t consumed = in->nread - (in->end - in->pos);
	if (off >= 0 && in->nread && !gzdirect(in->gz))
		*done = (uint64_t)((double)off * consumed / in->nread);
	else
		*done = consumed;
	*total = in->total;
	if (*total && *done > *total)
		*done = *total;
}

int input_close(struct input *in, char *err, size_t errlen)
{
	int ret = 0;

	if (!in)
		return 0;
	int rc = gzclose(in->gz);
	if (rc != Z_OK && !in->failed) {
		if (rc == Z_BUF_ERROR)
			snprintf(err, errlen, "'%s': truncated gzip input (unexpected end of file)",
				 in->name);
		else if (rc == Z_ERRNO)
			snprintf(err, errlen, "cannot close '%s': %s", in->name, strerror(errno));
		else
			snprintf(err, errlen, "'%s': corrupt gzip input (zlib error %d)", in->name, rc);
		ret = -1;
	}
	free(in->buf);
	free(in);
	return ret;
}
