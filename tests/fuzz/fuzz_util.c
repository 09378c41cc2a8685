/*
 * fuzz_util.c - the scratch folder of the fuzz harnesses (see fuzz.h). Kept
 * apart from the harnesses so each harness file is only its target.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static char scratch[256];

static void scratch_remove(void)
{
	if (!*scratch)
		return;
	fuzz_scratch_clean();
	rmdir(scratch);
}

const char *fuzz_scratch(void)
{
	if (*scratch)
		return scratch;
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	snprintf(scratch, sizeof(scratch), "%s/s3src-fuzz.XXXXXX", base);
	if (!mkdtemp(scratch)) {
		perror("fuzz: mkdtemp");
		abort();
	}
	atexit(scratch_remove);
	return scratch;
}

const char *fuzz_write_file(int slot, const char *name, const uint8_t *data, size_t size)
{
	static char paths[4][512];
	char *p = paths[slot & 3];

	snprintf(p, sizeof(paths[0]), "%s/%s", fuzz_scratch(), name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		perror("fuzz: open");
		abort();
	}
	size_t off = 0;
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			perror("fuzz: write");
			abort();
		}
		off += (size_t)n;
	}
	close(fd);
	return p;
}

void fuzz_scratch_clean(void)
{
	if (!*scratch)
		return;
	DIR *d = opendir(scratch);
	if (!d)
		return;
	struct dirent *e;
	char p[600];
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", scratch, e->d_name);
		unlink(p);
	}
	closedir(d);
}
