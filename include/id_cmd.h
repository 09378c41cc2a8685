/*
 * id_cmd.h - the command line of the commands that work on an ID list
 * (export, delete), parsed and set up in one place: the IDs from the
 * arguments and --ids FILE, the backup path (-o for export, --backup for
 * delete) and its writer, the output options and the run, the connection
 * options. A command calls id_cmd_open(), does its phases, and
 * id_cmd_release().
 *
 * `export --all` and `delete --label L` read the server's listing
 * (listing.h) in id_cmd_open(): --all takes every listed S3 source's ID, in
 * the listing's order; each --label resolves to the one S3 source with that
 * label. A label that names no S3 source (or several) is a row settled
 * before any fetch (failed): id_cmd_open() records it as soon as the run is
 * open, numbered after the IDs. An ID that is not a UUID carries its error
 * in its id_entry and is recorded invalid by the fetch phase, never sent.
 */
#ifndef S3SRC_ID_CMD_H
#define S3SRC_ID_CMD_H

#include "conn.h"
#include "export_writer.h"
#include "ids.h"
#include "parse_options.h"
#include "run.h"
#include "s3src.h"

/* A row settled before the first fetch: a --label that names no S3 source,
 * or several. */
struct id_settled {
	char *id;                      /* owned: what stands in the ID column, or NULL */
	char *label;                   /* owned: the label, or NULL */
	size_t line;                   /* the --ids file's line, 0 for the command line */
	enum outcome outcome;          /* OUTCOME_INVALID or OUTCOME_FAILED */
	char *error;                   /* owned */
};

/* What tells export and delete apart in the shared set-up. */
struct id_cmd_kind {
	const char *name;              /* "export", "delete" */
	const char *past;              /* "exported": what nothing was when the listing fails */
	const char *backup_option;     /* how the backup path is given: "-o", "--backup" */
	const char *default_prefix;    /* the default backup name: PREFIX-YYYYmmddTHHMMSSZ.jsonl.gz */
	int backup_replaces;           /* a backup path given may replace an s3src backup (export);
					* else an existing file is never replaced */
	const char *no_ids;            /* the error when no ID is given */
	const char *not_id_hint;       /* after "'X' is not an integration ID" */
	struct popt_usage usage;       /* --help around the option list */
};

struct id_cmd {
	const char *name;              /* kind->name */
	const struct id_cmd_kind *kind;
	struct run_opts ropts;
	struct conn_opts conn;
	struct id_list ids;
	const char *ids_files[RUN_MAX_FILES];  /* every --ids FILE: their union */
	size_t nids_files;
	const char *backup_path;       /* as given (the command's table stores it), or backup_default */
	char *backup_default;          /* owned */
	char *backup_landed;           /* where a never-replaced backup was written (owned) */
	int yes;                       /* --yes (delete) */
	int all;                       /* --all (export): every listed S3 source */
	const char **labels;           /* --label L (delete), repeatable (argv's strings) */
	size_t nlabels;
	struct id_settled *settled;    /* owned: rows settled before any fetch */
	size_t nsettled;
	struct export_writer *backup;  /* owned until committed or aborted */
	struct run run;
};

/* --ids FILE (repeatable, at most RUN_MAX_FILES) into struct id_cmd c, and
 * --label L (repeatable, not empty): the entries both commands' tables use. */
popt_cb id_cmd_ids_popt;
popt_cb id_cmd_label_popt;
#define ID_CMD_IDS_OPTION(c) \
	POPT_CALLBACK(0, "ids", (c), "FILE", id_cmd_ids_popt, 0, \
		      "IDs, one per line ('#' comments), or a CSV/JSONL with an\n" \
		      "integrationId column or key (a results file, an export,\n" \
		      "s3src list's output); repeatable (the union is used)")

/* Parses argv against the command k's table options (usage is printed for
 * --help; its pointers are into c, which this zeroes first), checks every
 * path (run_check_paths: the --ids files, the backup, the run's outputs),
 * checks the backup's name ("-" and an unsupported extension are refused),
 * collects the IDs (an ID that is not UUID-shaped gets its error: it is
 * recorded invalid and never sent), finishes the connection options, calls
 * confirm (may be NULL; returns 0 to go on) twice: with early 1 before the
 * listing is read (the checks that need no listing: --yes without a
 * terminal), with early 0 after it (the question itself), opens the backup writer (default
 * "PREFIX-YYYYmmddTHHMMSSZ.jsonl.gz"; a delete backup or a default name is
 * never replaced) and the run, and records the rows settled before any fetch
 * (--label that names no S3 source). --all and --label read the listing
 * after the path checks and the early confirm, before the late one. Returns 0 when ready, else -1
 * with the exit code in *rc (EXIT_OK after --help, EXIT_USAGE on an error:
 * nothing was sent; when the listing fails, EXIT_ROWS, or EXIT_ABORTED for
 * 401/403 or a signal, as `s3src list` exits: nothing was fetched or deleted). */
int id_cmd_open(struct id_cmd *c, const struct id_cmd_kind *k, const struct popt *options,
		int argc, char **argv, int (*confirm)(struct id_cmd *c, int early), int *rc);
/* Aborts a backup still open, frees everything. */
void id_cmd_release(struct id_cmd *c);

#endif
