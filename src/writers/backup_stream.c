/*
 * backup_stream.c - import's streamed, never-overwritten backup (see
 * backup_stream.h).
 *
 * A ".jsonl.gz" record is compressed with zlib's deflate as one complete gzip
 * member (deflateInit2 with windowBits 15 + 16 writes the gzip header and
 * trailer; deflateReset starts the next member), so the file is a valid gzip
 * stream after every record and a kill between two records loses nothing.
 * The bytes are written with write(2) and made durable with fdatasync(2)
 * before backup_stream_add() returns, which is before the PUT it protects is
 * handed to the engine.
 */
#include "backup_stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "util.h"
#include "writers_util.h"

#define DEFAULT_STEM "s3-sources-before-import"

struct backup_stream {
	char *path;          /* asked for, or the default's first choice; then the real one */
	int explicit_path;
	int gz;
	int fd;              /* -1 until the first record */
	size_t count;
	z_stream zs;
	int zs_ready;
	unsigned char out[16384];
};

struct backup_stream *backup_stream_new(const char *path, char *err, size_t errlen)
{
	struct backup_stream *b = xcalloc(1, sizeof(*b));
	b->fd = -1;
	if (path) {
		b->explicit_path = 1;
		b->path = xstrdup(path);
	} else {
		char stamp[32];
		utc_stamp(stamp, sizeof(stamp));
		b->path = xasprintf("%s-%s.jsonl.gz", DEFAULT_STEM, stamp);
	}
	if (has_suffix(b->path, ".jsonl.gz")) {
		b->gz = 1;
	} else if (!has_suffix(b->path, ".jsonl")) {
		snprintf(err, errlen, "backup '%s': unsupported extension (use .jsonl.gz or .jsonl)", b->path);
		goto fail;
	}
	struct stat st;
	if (b->explicit_path && lstat(b->path, &st) == 0) {
		snprintf(err, errlen, "backup '%s' exists; a backup is never replaced, choose another name",
			 b->path);
		goto fail;
	}
	char *dir = path_folder(b->path);
	int ok = access(dir, W_OK | X_OK) == 0;
	int e = errno;
	if (!ok)
		snprintf(err, errlen, "backup '%s': cannot write in folder '%s': %s", b->path, dir,
			 strerror(e));
	free(dir);
	if (!ok)
		goto fail;
	return b;
fail:
	free(b->path);
	free(b);
	return NULL;
}

/* Creates the file with O_EXCL (the default name: -2, -3, ... on a clash). */
static int create(struct backup_stream *b, char *err, size_t errlen)
{
	char *name = xstrdup(b->path);
	const char *ext = b->gz ? ".jsonl.gz" : ".jsonl";
	size_t stem = strlen(b->path) - strlen(ext);
	for (int n = 2;; n++) {
		b->fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (b->fd >= 0 || errno != EEXIST || b->explicit_path || n > 1000)
			break;
		free(name);
		name = xasprintf("%.*s-%d%s", (int)stem, b->path, n, ext);
	}
	if (b->fd < 0) {
		snprintf(err, errlen, "cannot create backup '%s': %s%s", name, strerror(errno),
			 errno == EEXIST ? " (a backup is never replaced)" : "");
		free(name);
		return -1;
	}
	free(b->path);
	b->path = name;
	/* the new name itself must survive a crash too */
	char *dir = path_folder(b->path);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(dir);
	if (b->gz) {
		memset(&b->zs, 0, sizeof(b->zs));
		if (deflateInit2(&b->zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK) {
			snprintf(err, errlen, "backup '%s': cannot start zlib", b->path);
			return -1;
		}
		b->zs_ready = 1;
	}
	return 0;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* One gzip member holding data. */
static int write_member(struct backup_stream *b, const char *data, size_t len)
{
	int rc;
	b->zs.next_in = (unsigned char *)data;
	b->zs.avail_in = (uInt)len;
	do {
		b->zs.next_out = b->out;
		b->zs.avail_out = sizeof(b->out);
		rc = deflate(&b->zs, Z_FINISH);
		if (rc == Z_STREAM_ERROR)
			return errno = EIO, -1;
		if (write_all(b->fd, b->out, sizeof(b->out) - b->zs.avail_out) < 0)
			return -1;
	} while (rc != Z_STREAM_END);
	deflateReset(&b->zs);
	return 0;
}

int backup_stream_add(struct backup_stream *b, const char *json, size_t len, char *err, size_t errlen)
{
	if (b->fd < 0 && create(b, err, errlen) < 0)
		return -1;
	char *line = xmalloc(len + 1);
	memcpy(line, json, len);
	line[len] = '\n';
	int rc = b->gz ? write_member(b, line, len + 1) : write_all(b->fd, (unsigned char *)line, len + 1);
	free(line);
	if (rc < 0 || fdatasync(b->fd) < 0) {
		snprintf(err, errlen, "cannot write backup '%s': %s", b->path, strerror(errno));
		return -1;
	}
	b->count++;
	return 0;
}

const char *backup_stream_path(const struct backup_stream *b)
{
	return b->path;
}

size_t backup_stream_count(const struct backup_stream *b)
{
	return b->count;
}

int backup_stream_close(struct backup_stream *b, char *err, size_t errlen)
{
	int rc = 0;
	if (!b)
		return 0;
	if (b->zs_ready)
		deflateEnd(&b->zs);
	if (b->fd >= 0 && close(b->fd) < 0) {
		snprintf(err, errlen, "cannot close backup '%s': %s", b->path, strerror(errno));
		rc = -1;
	}
	free(b->path);
	free(b);
	return rc;
}
