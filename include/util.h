/*
 * util.h - the few helpers every module needs: checked allocation, a growable
 * byte buffer, a monotonic millisecond clock and message printing in git's style
 * ("s3src: error: unknown column 'kmsKeyy'").
 *
 * Allocation failure is not recoverable in a command-line tool: x* functions
 * print a message and exit(3).
 */
#ifndef S3SRC_UTIL_H
#define S3SRC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a new string (caller frees). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable NUL-terminated buffer. buf is never NULL after strbuf_init. */
struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};
#define STRBUF_INIT { NULL, 0, 0 }
void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);   /* frees the storage, leaves sb empty */
void strbuf_reset(struct strbuf *sb);     /* len = 0, keeps storage */
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Gives ownership of the buffer to the caller; sb is left empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

/* Monotonic clock in milliseconds. */
int64_t now_ms(void);

/* FNV-1a, 64 bits, the one string hash of the tree (strmap, dupcheck): start
 * with h = FNV1A_64_BASIS, feed bytes in any number of calls. */
#define FNV1A_64_BASIS 0xcbf29ce484222325ULL
uint64_t fnv1a_64(uint64_t h, const void *data, size_t len);
/* Wall clock as "YYYYmmddTHHMMSSZ" (UTC) into out (at least 17 bytes). */
void utc_stamp(char *out, size_t outlen);

/* The program name that prefixes messages (default "s3src"; borrowed). */
void set_progname(const char *name);

/* Messages to stderr, prefixed "s3src: error: " / "s3src: warning: ". Lowercase,
 * no full stop, quote the subject. */
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the error and exits with status 3 (internal failure). */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Spreadsheet formula injection: 1 if a CSV cell must be written with a
 * leading '\'' because it begins with '=', '+', '-', '@', TAB, CR or LF after
 * any number of '\'' ("'=x" is guarded too, as "''=x"). Every CSV s3src
 * writes guards its cells this way. */
int csv_cell_needs_guard(const char *cell);
/* The exact inverse, for reading CSV back (import, --resume, --ids): strips
 * one '\'' from a cell matching ^'+[=+-@\t\r\n]. Returns a pointer into cell. */
const char *csv_cell_unguard(const char *cell);

/* path with "-N" before its extensions (".results.csv", ".failed.jsonl",
 * ".jsonl.gz", ...): "a.results.csv", 2 -> "a-2.results.csv". New string. */
char *path_with_suffix(const char *path, unsigned n);

/* The folder of path (new string): "." for a bare name, "/" for "/x". */
char *path_folder(const char *path);

/* 1 if path is a character device (/dev/null, a terminal) or, with fifo, a
 * FIFO: written in place, and its name says nothing of a format. */
int path_is_device(const char *path, int fifo);

/* 1 if path (or its first len bytes) ends with suffix, ASCII case-insensitive. */
int has_suffix(const char *path, const char *suffix);
int has_suffix_n(const char *path, size_t len, const char *suffix);

#endif
