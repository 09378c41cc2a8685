/*
 * run.h - the bookkeeping every command shares once rows start finishing: the
 * results file (flushed per row), the failed-rows file, the counts per outcome,
 * the progress line on a terminal and the summary on stderr (with the failures
 * by cause, causes.h), and the exit code.
 *
 * A command opens a run, calls run_record() once per input row (or ID) as each
 * finishes, and run_finish() at the end. Nothing here talks to the network.
 */
#ifndef S3SRC_RUN_H
#define S3SRC_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "api.h"
#include "causes.h"
#include "outputs.h"
#include "parse_options.h"
#include "results.h"
#include "s3src.h"
#include "engine.h"
#include "progress.h"
#include "unrecorded.h"

struct source;

/* Most files one repeatable option takes (--resume, --ids). */
#define RUN_MAX_FILES 32

struct run_opts {
	const char *results_path;   /* NULL: the command's default */
	const char *failed_path;    /* NULL: next to the results file */
	const char *resume_paths[RUN_MAX_FILES];  /* every --resume RESULTS (import): their union */
	size_t nresume;
	int overwrite;              /* --overwrite: an explicit --results/--failed may be replaced */
	int progress;               /* -1 auto (stderr is a terminal), 0 off, 1 on */
	int quiet;                  /* -q: no progress, no summary */
};

/* What run_opts_handle() is asked to do: one code per option. */
enum {
	RUN_OPT_RESULTS = 1100,
	RUN_OPT_FAILED,
	RUN_OPT_RESUME,
	RUN_OPT_PROGRESS,
	RUN_OPT_NO_PROGRESS,
	RUN_OPT_OVERWRITE,
	RUN_OPT_QUIET = 'q',
};

/* The output options' table, the help's "Output:" block (import, export,
 * delete); include it with the struct run_opts run_popt fills. --resume is
 * import's own entry: POPT_CALLBACK(0, "resume", &ropts, "RESULTS", run_popt,
 * RUN_OPT_RESUME, help). */
extern const struct popt run_popts[];
popt_cb run_popt;

void run_opts_init(struct run_opts *o);
/* 1 if handled, 0 if not a run option, -1 on a bad value (message printed). */
int run_opts_handle(struct run_opts *o, int opt, const char *arg);
/* The one check of every path before anything is created or sent (outputs.h):
 * the command's own paths (extra: the input, --ids, a backup) with the run's
 * --results, --failed and every --resume. 0, or -1 with a message (exit 2).
 * Every command that writes a results file calls it first. */
int run_check_paths(const struct run_opts *o, const struct path_use *extra, size_t nextra);

struct run {
	const char *command;            /* "import", ... */
	struct run_opts opts;
	char *results_path;             /* owned */
	char *failed_path;              /* owned; NULL when the command has no failed-rows file */
	struct results_writer *results;
	struct failed_writer *failed;
	size_t counts[OUTCOME__COUNT];
	size_t rows;                    /* rows recorded */
	int write_error;                /* the results file could not be written */
	int64_t start_ms;
	const struct sched_stats *stats;  /* borrowed, NULL until the engine runs */
	struct progress progress;
	uint64_t total_hint;            /* rows expected (0 unknown) */
	int failed_written;             /* the failed-rows file exists */
	char *failed_landed;            /* where it was written when not failed_path (owned) */
	const char *extra_output;       /* e.g. the backup path, for the summary (borrowed) */
	struct causes causes;           /* failures by cause, for the summary */
	struct unrecorded unrec;        /* rows missing from the results file, on stderr */
	const char *resume_input;       /* import: its input, for the --resume hint after an abort (borrowed) */
	int failed_default;             /* a failed-rows file is written by default (import) */
	int results_created;            /* run_open created the results file (it was not there) */
	int results_was_empty;          /* it was there, a regular file, empty */
	int discard_unused;             /* run_finish removes the results file if it created it
					 * and no row was recorded (a run that never started) */
};

/* Opens the results file (a default name is created with O_EXCL, "-2",
 * "-3"... on a clash) and prepares a failed-rows file: when fmt is not
 * FORMAT_AUTO in the input's format (header/delimiter are the input's,
 * borrowed); for FORMAT_AUTO (ID commands) only with --failed, as a CSV with
 * the columns integrationId and error (a valid --ids file). Returns 0, or -1
 * with a message printed (the results path is not writable: exit 2). */
int run_open(struct run *r, const char *command, const struct run_opts *o,
	     enum in_format fmt, char **header, size_t nheader, int delimiter);
/* The input's BOM and line end, for the failed-rows file (failed_set_style);
 * call after run_open(). */
void run_input_style(struct run *r, int bom, const char *eol);
/* Records one finished row: results file, failed-rows file, counts, progress.
 * s may be NULL (no raw rows). Returns -1 once the results file cannot be
 * written (the caller aborts the run: exit 3); from then on every row that
 * created, modified or deleted something is printed on stderr (unrecorded.h). */
int run_record(struct run *r, const struct source *s, const struct result *res);
/* Redraws the progress line if due (called from the engine's tick). When the
 * number of rows is not known (total_hint 0), it is estimated from the rows
 * read so far and the share of the input's bytes they took (0s: unknown). */
void run_tick(struct run *r, uint64_t rows_read, uint64_t bytes_done, uint64_t bytes_total);
/* Closes the files, prints the summary, returns the exit code (with
 * discard_unused set and no row recorded, a results file this run created is
 * removed, one that was empty is emptied again: the retry may use its name): EXIT_ABORTED if
 * aborted or the results could not be written, else EXIT_ROWS if any row is
 * invalid or failed, else EXIT_OK. */
int run_finish(struct run *r, int aborted);

#endif
