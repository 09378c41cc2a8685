/*
 * atomic.c - atomically replaced output files (see atomic.h).
 *
 * Sequence: mkstemp("DIR/.NAME.XXXXXX") in the target's folder (same file
 * system, so rename(2) is atomic); fchmod to 0666 & ~umask (mkstemp's 0600
 * would surprise a user who shares backups with their team the same way as any
 * other file they write); write through stdio, or through zlib's gzdopen on a
 * dup of the descriptor for ".gz"; on commit: fflush / gzclose (its result
 * checked: a full disk shows up there), fsync, close, rename, fsync the
 * folder.
 *
 * A target that is a character device or a FIFO (/dev/null, a named pipe) is
 * written in place: there is no temporary and nothing to rename (a rename
 * would replace the device with a regular file).
 *
 * The registry: ATOMIC_MAX fixed slots of PATH_MAX bytes with a sig_atomic_t
 * "in use" flag each, so atomic_cleanup_all() needs neither malloc nor locks.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "atomic.h"
#include "util.h"
#include "writers_util.h"

#define ATOMIC_MAX 16

static char reg_path[ATOMIC_MAX][PATH_MAX];
static volatile sig_atomic_t reg_used[ATOMIC_MAX];
static int reg_atexit;

struct atomic_file {
	char *path;      /* target */
	char *tmp;       /* temporary */
	char *dir;       /* target's folder */
	int slot;        /* registry slot, -1 if none */
	int fd;
	FILE *fp;        /* plain */
	gzFile gz;       /* gzip */
	int failed;
	int saved_errno;
	unsigned long long bytes;
	int direct;          /* the target is a character device or FIFO: written in place */
	int keep_existing;   /* commit with link(2): never replace a file */
	char **landed;       /* where it was committed (set with keep_existing) */
};

void atomic_cleanup_all(void)
{
	for (int i = 0; i < ATOMIC_MAX; i++) {
		/* the slot stays taken until its owner commits or aborts */
		if (reg_used[i])
			unlink(reg_path[i]);
	}
}

static int reg_add(const char *tmp)
{
	if (!reg_atexit) {
		atexit(atomic_cleanup_all);
		reg_atexit = 1;
	}
	if (strlen(tmp) >= PATH_MAX)
		return -1;
	for (int i = 0; i < ATOMIC_MAX; i++) {
		if (!reg_used[i]) {
			strcpy(reg_path[i], tmp);
			reg_used[i] = 1;
			return i;
		}
	}
	return -1;
}

static void reg_del(int slot)
{
	if (slot >= 0)
		reg_used[slot] = 0;
}

static void free_af(struct atomic_file *af)
{
	free(af->path);
	free(af->tmp);
	free(af->dir);
	free(af);
}

/* Opens a device or FIFO for writing in place. A FIFO without a reader is an
 * error, not a wait that never ends (O_NONBLOCK, cleared once open). */
static int open_direct(struct atomic_file *af, char *err, size_t errlen)
{
	af->direct = 1;
	af->fd = open(af->path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (af->fd < 0) {
		snprintf(err, errlen, "cannot open '%s': %s", af->path,
			 errno == ENXIO ? "no process reads that FIFO" : strerror(errno));
		return -1;
	}
	int fl = fcntl(af->fd, F_GETFL);
	if (fl >= 0)
		fcntl(af->fd, F_SETFL, fl & ~O_NONBLOCK);
	return 0;
}

struct atomic_file *atomic_open(const char *path, int gzip, char *err, size_t errlen)
{
	struct atomic_file *af = xcalloc(1, sizeof(*af));
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	mode_t mask;

	if (!*base) {
		snprintf(err, errlen, "'%s': not a file name", path);
		free(af);
		return NULL;
	}
	if (gzip < 0)
		gzip = has_suffix(path, ".gz");
	af->path = xstrdup(path);
	af->dir = path_folder(path);
	af->slot = -1;
	if (path_is_device(path, 1)) {   /* nothing to rename over (nor /dev/null to replace) */
		if (open_direct(af, err, errlen) < 0) {
			free_af(af);
			return NULL;
		}
	} else {
		af->tmp = slash ? xasprintf("%.*s/.%s.XXXXXX", (int)(slash - path), path, base)
				: xasprintf(".%s.XXXXXX", base);
		af->fd = mkstemp(af->tmp);
		if (af->fd < 0) {
			snprintf(err, errlen, "cannot create a temporary file for '%s': %s", path,
				 strerror(errno));
			free_af(af);
			return NULL;
		}
		af->slot = reg_add(af->tmp);
		mask = umask(0);
		umask(mask);
		if (fchmod(af->fd, 0666 & ~mask))
			warning("cannot set the mode of '%s': %s", af->tmp, strerror(errno));
	}

	if (gzip) {
		int fd2 = dup(af->fd);
		af->gz = fd2 >= 0 ? gzdopen(fd2, "wb") : NULL;
		if (!af->gz) {
			if (fd2 >= 0)
				close(fd2);
			snprintf(err, errlen, "cannot open gzip stream for '%s'", path);
			atomic_abort(af);
			return NULL;
		}
	} else {
		int fd2 = dup(af->fd);
		af->fp = fd2 >= 0 ? fdopen(fd2, "wb") : NULL;
		if (!af->fp) {
			if (fd2 >= 0)
				close(fd2);
			snprintf(err, errlen, "cannot open '%s': %s", af->tmp, strerror(errno));
			atomic_abort(af);
			return NULL;
		}
	}
	return af;
}

int atomic_write(struct atomic_file *af, const void *data, size_t len)
{
	if (af->failed)
		return -1;
	if (!len)
		return 0;
	if (af->gz) {
		if (len > INT_MAX || gzwrite(af->gz, data, (unsigned)len) != (int)len) {
			int zerr;
			gzerror(af->gz, &zerr);
			af->failed = 1;
			af->saved_errno = zerr == Z_ERRNO && errno ? errno : EIO;
			return -1;
		}
	} else if (fwrite(data, 1, len, af->fp) != len) {
		af->failed = 1;
		af->saved_errno = errno ? errno : EIO;
		return -1;
	}
	af->bytes += len;
	return 0;
}

unsigned long long atomic_bytes(const struct atomic_file *af)
{
	return af->bytes;
}

const char *atomic_path(const struct atomic_file *af)
{
	return af->path;
}

static int finish_stream(struct atomic_file *af)
{
	int ret = 0;

	if (af->gz) {
		int rc = gzclose(af->gz);   /* flushes the deflate stream */
		af->gz = NULL;
		if (rc != Z_OK && !af->failed) {
			af->failed = 1;
			af->saved_errno = rc == Z_ERRNO && errno ? errno : EIO;
		}
	}
	if (af->fp) {
		if ((fflush(af->fp) || ferror(af->fp)) && !af->failed) {
			af->failed = 1;
			af->saved_errno = errno ? errno : EIO;
		}
		if (fclose(af->fp) && !af->failed) {
			af->failed = 1;
			af->saved_errno = errno ? errno : EIO;
		}
		af->fp = NULL;
	}
	if (af->failed)
		ret = -1;
	return ret;
}

void atomic_keep_existing(struct atomic_file *af, char **landed)
{
	af->keep_existing = 1;
	af->landed = landed;
}

/* link(2) fails rather than replace: the temporary gets the target's name, or
 * the first free "-2", "-3"... name; then the temporary name goes. */
static int link_new_name(struct atomic_file *af, char *err, size_t errlen)
{
	for (unsigned n = 1; n < 10000; n++) {
		char *name = n == 1 ? xstrdup(af->path) : path_with_suffix(af->path, n);
		if (link(af->tmp, name) == 0) {
			unlink(af->tmp);
			if (n > 1)
				warning("'%s' exists and is kept: written to '%s' instead",
					af->path, name);
			if (af->landed) {
				free(*af->landed);
				*af->landed = name;
			} else {
				free(name);
			}
			return 0;
		}
		int e = errno;
		free(name);
		if (e != EEXIST) {
			snprintf(err, errlen, "cannot create '%s': %s", af->path, strerror(e));
			return -1;
		}
	}
	snprintf(err, errlen, "cannot create '%s': every name up to -9999 is taken", af->path);
	return -1;
}

int atomic_commit(struct atomic_file *af, char *err, size_t errlen)
{
	int dfd;

	if (finish_stream(af)) {
		snprintf(err, errlen, "cannot write '%s': %s", af->path, strerror(af->saved_errno));
		atomic_abort(af);
		return -1;
	}
	if (!af->direct && fsync(af->fd)) {
		snprintf(err, errlen, "cannot sync '%s': %s", af->path, strerror(errno));
		atomic_abort(af);
		return -1;
	}
	if (close(af->fd)) {
		af->fd = -1;
		snprintf(err, errlen, "cannot write '%s': %s", af->path, strerror(errno));
		atomic_abort(af);
		return -1;
	}
	af->fd = -1;
	if (af->direct) {
		free_af(af);   /* written in place: nothing to rename */
		return 0;
	}
	if (af->keep_existing) {
		if (link_new_name(af, err, errlen)) {
			atomic_abort(af);
			return -1;
		}
	} else if (rename(af->tmp, af->path)) {
		snprintf(err, errlen, "cannot rename into '%s': %s", af->path, strerror(errno));
		atomic_abort(af);
		return -1;
	}
	reg_del(af->slot);
	dfd = open(af->dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);   /* best effort: some file systems refuse a directory fsync */
		close(dfd);
	}
	free_af(af);
	return 0;
}

void atomic_abort(struct atomic_file *af)
{
	if (!af)
		return;
	if (af->gz)
		gzclose(af->gz);
	if (af->fp)
		fclose(af->fp);
	if (af->fd >= 0)
		close(af->fd);
	if (af->tmp)
		unlink(af->tmp);
	reg_del(af->slot);
	free_af(af);
}
