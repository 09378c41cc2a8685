/*
 * replay.c - the main() of the plain (non-libFuzzer) build of each harness:
 * runs LLVMFuzzerTestOneInput once on every file named on the command line,
 * or on every regular file of a folder named there. ctest runs it on the seed
 * corpus and on tests/fuzz/regress/NAME/ (the crash reproducers), so every
 * finding stays a regression test under the normal (ASan + UBSan) suite.
 * Exits 1 if an argument cannot be read or nothing was replayed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	size_t cap = 4096, n = 0, r;
	unsigned char *buf = malloc(cap);
	while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			unsigned char *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	int bad = ferror(f) || !buf;
	fclose(f);
	if (bad) {
		fprintf(stderr, "%s: cannot read\n", path);
		free(buf);
		return -1;
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	size_t done = 0;
	int errors = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			errors++;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			errors += replay_file(argv[i]) < 0;
			done++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		if (!d) {
			perror(argv[i]);
			errors++;
			continue;
		}
		char **names = NULL;
		size_t n = 0;
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			names = realloc(names, (n + 1) * sizeof(*names));
			names[n++] = strdup(e->d_name);
		}
		closedir(d);
		if (n)
			qsort(names, n, sizeof(*names), cmp);
		for (size_t k = 0; k < n; k++) {
			char p[4096];
			snprintf(p, sizeof(p), "%s/%s", argv[i], names[k]);
			if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
				errors += replay_file(p) < 0;
				done++;
			}
			free(names[k]);
		}
		free(names);
	}
	printf("replayed %zu inputs, %d unreadable\n", done, errors);
	return errors || !done ? 1 : 0;
}
