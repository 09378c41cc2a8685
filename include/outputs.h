/*
 * outputs.h - the one check of every file a command reads or writes, made
 * before anything is created or sent (spec: "Output safety (no record is ever
 * lost)"), and the names of outputs that never replace a file.
 *
 * A command lists its paths, each with what the option is called and how the
 * file is used, and calls outputs_check() once:
 *
 *   struct path_use p[] = { { "the input", path, PATH_READ },
 *                           { "--backup", backup, PATH_KEPT } };
 *   if (outputs_check(p, ARRAY_SIZE(p), overwrite) < 0) return EXIT_USAGE;
 *
 * (commands with the run's options call run_check_paths() in run.h, which adds
 * --results, --failed and every --resume). The check refuses, with a message
 * naming the options and the path:
 *  - any two paths naming the same file: the same path once resolved
 *    (symbolic links and "..", and for a file not there yet its folder), or
 *    the same device and inode (hard links; "-" is the file behind stdin or
 *    stdout when that is a regular file); a character device (/dev/null,
 *    a terminal) may be named twice;
 *  - an output whose folder is missing, is not a folder, or cannot be
 *    written (not asked of an existing character device or FIFO, written in
 *    place); an output that is a folder or a file that cannot be written;
 *  - PATH_RESULTS: an existing regular file that is not empty, unless
 *    overwrite ("'X' exists; choose another name or pass --overwrite");
 *  - PATH_KEPT: any existing file (a backup is never replaced);
 *  - PATH_REPLACED: an existing regular file that is not empty and is not
 *    the command's own output (own_output.h), unless overwrite ("'X' exists
 *    and is not an s3src backup; choose another name or pass --overwrite").
 * Default names (PATH_DEFAULT) only have their folder checked: they are
 * created with O_EXCL or committed without replacing (a "-2", "-3"... name
 * on a clash), so they can never be any other file.
 */
#ifndef S3SRC_OUTPUTS_H
#define S3SRC_OUTPUTS_H

#include <stddef.h>

#include "own_output.h"

enum path_kind {
	PATH_READ,      /* read: the input, --resume, --ids */
	PATH_RESULTS,   /* --results / --failed given: new or empty, unless --overwrite */
	PATH_REPLACED,  /* export/list/report -o, --ids-out: replaced atomically when the
			 * run succeeds, if it is that command's own output (own) */
	PATH_KEPT,      /* a backup: never replaced, so it must not exist */
	PATH_DEFAULT,   /* a default name: never replaces a file */
};

struct path_use {
	const char *option;   /* for messages: "the input", "--results", ... */
	const char *path;     /* NULL: not used (skipped); "-": stdin or stdout */
	enum path_kind kind;
	enum own_kind own;    /* PATH_REPLACED: the kind of file it may replace */
};

/* The check above. 0, or -1 with the message printed (exit 2). */
int outputs_check(const struct path_use *v, size_t n, int overwrite);

/* Creates path with O_EXCL; on a clash tries "-2", "-3"... Returns the name
 * created (new string; the file exists and is empty) or NULL with err. */
char *create_exclusive(const char *path, char *err, size_t errlen);

#endif
