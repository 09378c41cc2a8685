/*
 * outputs.c - the check of every path a command reads or writes against
 * each other, and that each output can be written, before the first file is
 * created or request sent (see outputs.h); the "-2", "-3"... names of outputs
 * that never replace a file.
 *
 * Identity is decided twice, so neither a symbolic link nor a hard link hides
 * a clash: by the resolved path (realpath() of the file, or of its folder
 * plus its name when it does not exist yet) and by device + inode (stat()).
 */
#include "outputs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

struct ident {
	char *canon;      /* resolved path, NULL if unknown (owned) */
	int exists;       /* stat() succeeded */
	struct stat st;
};

static void identify(const struct path_use *u, struct ident *id)
{
	memset(id, 0, sizeof(*id));
	if (!strcmp(u->path, "-")) {
		int fd = u->kind == PATH_READ ? STDIN_FILENO : STDOUT_FILENO;
		/* only a regular file behind stdin/stdout can be another path's file */
		if (fstat(fd, &id->st) == 0 && S_ISREG(id->st.st_mode))
			id->exists = 1;
		return;
	}
	if (stat(u->path, &id->st) == 0) {
		id->exists = 1;
		id->canon = realpath(u->path, NULL);
		return;
	}
	char *dir = path_folder(u->path);
	char *rdir = realpath(dir, NULL);
	if (rdir) {
		const char *slash = strrchr(u->path, '/');
		id->canon = xasprintf("%s/%s", strcmp(rdir, "/") ? rdir : "", slash ? slash + 1 : u->path);
		free(rdir);
	}
	free(dir);
}

static int same_file(const struct ident *a, const struct ident *b)
{
	/* a character device (/dev/null, a terminal) keeps nothing to clash on */
	if ((a->exists && S_ISCHR(a->st.st_mode)) || (b->exists && S_ISCHR(b->st.st_mode)))
		return 0;
	if (a->exists && b->exists && a->st.st_dev == b->st.st_dev && a->st.st_ino == b->st.st_ino)
		return 1;
	return a->canon && b->canon && !strcmp(a->canon, b->canon);
}

static const char *shown(const char *path)
{
	return strcmp(path, "-") ? path : "<stdin/stdout>";
}

/* Can this output be created or written? 0, or -1 with the message printed. */
static int check_writable(const struct path_use *u, const struct ident *id, int overwrite)
{
	if (!strcmp(u->path, "-"))
		return 0;
	const char *slash = strrchr(u->path, '/');
	if (!*(slash ? slash + 1 : u->path)) {
		error("%s '%s': not a file name", u->option, u->path);
		return -1;
	}
	if (id->exists) {
		if (S_ISDIR(id->st.st_mode)) {
			error("%s '%s' is a folder; give a file name", u->option, u->path);
			return -1;
		}
		if (u->kind == PATH_KEPT) {
			error("%s '%s' exists; a backup is never replaced: choose another name",
			      u->option, u->path);
			return -1;
		}
		if (u->kind == PATH_RESULTS && S_ISREG(id->st.st_mode) && id->st.st_size > 0 && !overwrite) {
			error("%s '%s' exists; choose another name or pass --overwrite", u->option, u->path);
			return -1;
		}
		/* a delete's default backup holds the only copy of the deleted
		 * sources: an export does not replace it either */
		if (u->kind == PATH_REPLACED && u->own == OWN_BACKUP && S_ISREG(id->st.st_mode) &&
		    !overwrite && !strncmp(slash ? slash + 1 : u->path, "s3-sources-deleted-", 19)) {
			error("%s '%s' exists and is a delete backup; choose another name or pass "
			      "--overwrite", u->option, u->path);
			return -1;
		}
		if (u->kind == PATH_REPLACED && S_ISREG(id->st.st_mode) && id->st.st_size > 0 &&
		    !overwrite && !own_output_is(u->own, u->path)) {
			error("%s '%s' exists and is not %s; choose another name or pass --overwrite",
			      u->option, u->path, own_output_name(u->own));
			return -1;
		}
		if (u->kind != PATH_DEFAULT && access(u->path, W_OK) != 0) {
			error("%s '%s' cannot be written: %s", u->option, u->path, strerror(errno));
			return -1;
		}
		/* /dev/null, a terminal, a FIFO: written in place, its folder
		 * (/dev) need not be the user's */
		if (S_ISCHR(id->st.st_mode) || S_ISFIFO(id->st.st_mode))
			return 0;
	}
	/* new files, and those replaced through a temporary file, need the folder */
	char *dir = path_folder(u->path);
	struct stat ds;
	int rc = 0;
	if (stat(dir, &ds) != 0) {
		error("%s '%s': folder '%s' %s", u->option, u->path, dir,
		      errno == ENOENT ? "does not exist" : strerror(errno));
		rc = -1;
	} else if (!S_ISDIR(ds.st_mode)) {
		error("%s '%s': '%s' is not a folder", u->option, u->path, dir);
		rc = -1;
	} else if (access(dir, W_OK | X_OK) != 0) {
		error("%s '%s': cannot create files in folder '%s': %s", u->option, u->path, dir,
		      strerror(errno));
		rc = -1;
	}
	free(dir);
	return rc;
}

int outputs_check(const struct path_use *v, size_t n, int overwrite)
{
	struct ident *ids = xcalloc(n ? n : 1, sizeof(*ids));
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i].path)
			identify(&v[i], &ids[i]);
	for (size_t i = 0; i < n && !rc; i++) {
		if (!v[i].path || v[i].kind == PATH_DEFAULT)
			continue;
		for (size_t j = i + 1; j < n && !rc; j++) {
			if (!v[j].path || v[j].kind == PATH_DEFAULT)
				continue;
			if (v[i].kind == PATH_READ && v[j].kind == PATH_READ)
				continue;   /* reading one file twice loses nothing */
			if (!strcmp(v[i].path, "-") && !strcmp(v[j].path, "-") &&
			    v[i].kind != PATH_READ && v[j].kind != PATH_READ) {
				error("%s and %s both write to stdout; give one of them a file name",
				      v[i].option, v[j].option);
				rc = -1;
			} else if (same_file(&ids[i], &ids[j])) {
				if (!strcmp(v[i].path, v[j].path) || !strcmp(v[i].path, "-") ||
				    !strcmp(v[j].path, "-"))
					error("%s and %s name the same file '%s'; choose another name",
					      v[i].option, v[j].option,
					      shown(strcmp(v[i].path, "-") ? v[i].path : v[j].path));
				else
					error("%s '%s' and %s '%s' are the same file; choose another name",
					      v[i].option, v[i].path, v[j].option, v[j].path);
				rc = -1;
			}
		}
	}
	for (size_t i = 0; i < n && !rc; i++)
		if (v[i].path && v[i].kind != PATH_READ)
			rc = check_writable(&v[i], &ids[i], overwrite);
	for (size_t i = 0; i < n; i++)
		free(ids[i].canon);
	free(ids);
	return rc;
}

char *create_exclusive(const char *path, char *err, size_t errlen)
{
	for (unsigned n = 1; n < 10000; n++) {
		char *name = n == 1 ? xstrdup(path) : path_with_suffix(path, n);
		int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0) {
			close(fd);
			return name;
		}
		int e = errno;
		if (e != EEXIST) {
			snprintf(err, errlen, "cannot create '%s': %s", name, strerror(e));
			free(name);
			return NULL;
		}
		free(name);
	}
	snprintf(err, errlen, "cannot create '%s': every name up to -9999 is taken", path);
	return NULL;
}
