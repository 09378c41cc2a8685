/*
 * util.c - checked allocation, the strbuf growable buffer, clocks and messages.
 * See util.h.
 */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

static const char *progname = "s3src";

void set_progname(const char *name)
{
	progname = name;
}

static void oom(size_t n)
{
	fprintf(stderr, "%s: fatal: out of memory allocating %zu bytes\n", progname, n);
	exit(3);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom(nmemb * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("bad format string '%s'", fmt);
	strbuf_init(&sb, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(sb.buf, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return sb.buf;
}

void strbuf_init(struct strbuf *sb, size_t hint)
{
	sb->alloc = hint < 16 ? 16 : hint;
	sb->buf = xmalloc(sb->alloc);
	sb->buf[0] = '\0';
	sb->len = 0;
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
}

void strbuf_reset(struct strbuf *sb)
{
	if (!sb->buf)
		strbuf_init(sb, 0);
	sb->len = 0;
	sb->buf[0] = '\0';
}

static void strbuf_grow(struct strbuf *sb, size_t extra)
{
	if (!sb->buf)
		strbuf_init(sb, extra + 1);
	if (sb->len + extra + 1 <= sb->alloc)
		return;
	size_t want = sb->alloc * 2;
	if (want < sb->len + extra + 1)
		want = sb->len + extra + 1;
	sb->buf = xrealloc(sb->buf, want);
	sb->alloc = want;
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, int c)
{
	char ch = (char)c;
	strbuf_add(sb, &ch, 1);
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	strbuf_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	if (!sb->buf)
		strbuf_init(sb, 0);
	char *p = sb->buf;
	if (len)
		*len = sb->len;
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	return p;
}

uint64_t fnv1a_64(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void utc_stamp(char *out, size_t outlen)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, outlen, "%Y%m%dT%H%M%SZ", &tm);
}

__attribute__((format(printf, 2, 0)))
static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	char msg[4096];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "%s: %s%s\n", progname, prefix, msg);
}

void error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
}

void warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("fatal: ", fmt, ap);
	va_end(ap);
	exit(3);
}

/* A cell that begins with '=', '+', '-', '@', TAB, CR or LF, after any number
 * of '\'' (so "'=x", a value that really begins with the guard, is guarded
 * too: "''=x"). The CSV importer strips one '\'' from a cell matching
 * ^'+[=+-@\t\r\n], the exact inverse, so every value round-trips. */
int csv_cell_needs_guard(const char *cell)
{
	if (!cell)
		return 0;
	while (*cell == '\'')
		cell++;
	switch (cell[0]) {
	case '=': case '+': case '-': case '@': case '\t': case '\r': case '\n':
		return 1;
	}
	return 0;
}

const char *csv_cell_unguard(const char *cell)
{
	if (cell && cell[0] == '\'' && csv_cell_needs_guard(cell + 1))
		return cell + 1;
	return cell;
}

char *path_with_suffix(const char *path, unsigned n)
{
	static const char *const exts[] = { ".gz", ".csv", ".jsonl", ".ndjson", ".tsv",
					    ".results", ".failed" };
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t end = strlen(path);
	int more = 1;

	/* strip known extensions from the right, each at most once */
	int used[ARRAY_SIZE(exts)] = { 0 };
	while (more) {
		more = 0;
		for (size_t k = 0; k < ARRAY_SIZE(exts); k++) {
			size_t l = strlen(exts[k]);
			if (!used[k] && end >= l && (size_t)(path + end - base) > l &&
			    !strncmp(path + end - l, exts[k], l)) {
				end -= l;
				used[k] = more = 1;
			}
		}
	}
	return xasprintf("%.*s-%u%s", (int)end, path, n, path + end);
}

char *path_folder(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int has_suffix_n(const char *path, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && !strncasecmp(path + len - n, suffix, n);
}

int has_suffix(const char *path, const char *suffix)
{
	return has_suffix_n(path, strlen(path), suffix);
}

int path_is_device(const char *path, int fifo)
{
	struct stat st;

	return stat(path, &st) == 0 && (S_ISCHR(st.st_mode) || (fifo && S_ISFIFO(st.st_mode)));
}
