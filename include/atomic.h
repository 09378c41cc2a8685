/*
 * atomic.h - output files that are never seen partial (spec: export, "Written
 * to a temporary file in the same folder, flushed, synced and renamed: PATH is
 * never partial").
 *
 * atomic_open() creates a temporary file next to the target (mkstemp, then
 * mode 0666 & ~umask like any file the user creates); data goes through zlib
 * (gzdopen) when the target ends in ".gz". atomic_commit() finishes the gzip
 * stream (the result of gzclose is checked), flushes, fsyncs, renames over the
 * target and fsyncs the folder. atomic_abort() unlinks the temporary. A
 * target that exists as a character device or FIFO (/dev/null, a named pipe)
 * is written in place instead: no temporary, no rename, no "-2" name.
 *
 * Every open temporary is in a small registry: atomic_cleanup_all() unlinks
 * them all and is async-signal-safe (only unlink(2) on fixed storage), so a
 * signal handler may call it; it is also registered with atexit() so an exit
 * without commit leaves no temporary behind.
 */
#ifndef S3SRC_ATOMIC_H
#define S3SRC_ATOMIC_H

#include <stddef.h>

struct atomic_file;

/* Creates the temporary for target path. gzip: 1 to compress, 0 not, -1 from
 * the extension (".gz"). NULL with a message in err naming the path. */
struct atomic_file *atomic_open(const char *path, int gzip, char *err, size_t errlen);
/* Appends len bytes. -1 on a write error (the error is sticky and reported
 * again by atomic_commit). */
int atomic_write(struct atomic_file *af, const void *data, size_t len);
/* Bytes written so far (uncompressed). */
unsigned long long atomic_bytes(const struct atomic_file *af);
const char *atomic_path(const struct atomic_file *af);
/* Finishes, syncs and renames into place. On error the temporary is unlinked,
 * the target untouched, and err says why. Frees af in any case. */
int atomic_commit(struct atomic_file *af, char *err, size_t errlen);
/* Makes atomic_commit() never replace a file (link(2) instead of rename(2)):
 * if the target exists by then, the first free "-2", "-3"... name is taken,
 * with a warning. landed (may be NULL) receives the name committed to (a new
 * string; an old value is freed). For backups and default names. */
void atomic_keep_existing(struct atomic_file *af, char **landed);
/* Unlinks the temporary, leaves the target untouched. Frees af. NULL is fine. */
void atomic_abort(struct atomic_file *af);
/* Unlinks every temporary still open. Async-signal-safe. */
void atomic_cleanup_all(void);

#endif
