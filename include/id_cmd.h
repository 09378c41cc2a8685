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
 * label. A delete ID that is not a UUID, and a label no S3 source has, are
 * rows settled before any fetch (invalid / failed): id_cmd_open() records
 * them as soon as the run is open, numbered after the IDs.
 */
#ifndef S3SRC_ID_CMD_H
#define S3SRC_ID_CMD_H

#include "conn.h"
#include "export_writer.h"
#include "ids.h"
#include "run.h"
#include "s3src.h"

/* A row settled before the first fetch: an argument that is not an ID, a
 * label that names no S3 source. */
struct id_settled {
	char *id;                      /* owned: what stands in the ID column, or NULL */
	char *label;                   /* owned: the label, or NULL */
	size_t line;                   /* the --ids file's line, 0 for the command line */
	enum outcome outcome;          /* OUTCOME_INVALID or OUTCOME_FAILED */
	char *error;                   /* owned */
};

struct id_cmd {
	const char *name;              /* "export" or "delete" */
	struct run_opts ropts;
	struct conn_opts conn;
	struct id_list ids;
	const char *ids_file;
	const char *backup_path;       /* as given, or backup_default */
	char *backup_default;          /* owned */
	int yes;                       /* --yes (delete) */
	int all;                       /* --all (export): every listed S3 source */
	const char **labels;           /* --label L (delete), repeatable (argv's strings) */
	size_t nlabels;
	struct id_settled *settled;    /* owned: rows settled before any fetch */
	size_t nsettled;
	struct export_writer *backup;  /* owned until committed or aborted */
	struct run run;
};

/* The options both commands take, then CONN_LONGOPTS and RUN_LONGOPTS. */
#define ID_CMD_HELP_IDS \
"      --ids FILE            IDs, one per line ('#' comments), or a CSV/JSONL with an\n" \
"                            integrationId column or key (a results file, an export,\n" \
"                            s3src list's output)\n"

/* Parses argv for command name (usage is printed for --help), collects the
 * IDs, finishes the connection options, reads the listing for --all or
 * --label, calls confirm (may be NULL; returns 0 to go on), opens the backup
 * writer (default "PREFIX-YYYYmmddTHHMMSSZ.jsonl.gz") and the run, and records
 * the settled rows. Returns 0 when ready, else -1 with the exit code in *rc
 * (EXIT_OK after --help, EXIT_USAGE on an error: nothing was sent; when the
 * listing fails, EXIT_ROWS, or EXIT_ABORTED for 401/403 or a signal, as
 * `s3src list` exits: nothing was fetched or deleted). */
int id_cmd_open(struct id_cmd *c, const char *name, int argc, char **argv,
		const char *usage, const char *default_prefix,
		int (*confirm)(struct id_cmd *c), int *rc);
/* Aborts a backup still open, frees everything. */
void id_cmd_release(struct id_cmd *c);

#endif
