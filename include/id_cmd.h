/*
 * id_cmd.h - the command line of the commands that work on an ID list
 * (export, delete), parsed and set up in one place: the IDs from the
 * arguments and --ids FILE, the backup path (-o for export, --backup for
 * delete) and its writer, the output options and the run, the connection
 * options. A command calls id_cmd_open(), does its phases, and
 * id_cmd_release().
 */
#ifndef S3SRC_ID_CMD_H
#define S3SRC_ID_CMD_H

#include "conn.h"
#include "export_writer.h"
#include "ids.h"
#include "run.h"

struct id_cmd {
	const char *name;              /* "export" or "delete" */
	struct run_opts ropts;
	struct conn_opts conn;
	struct id_list ids;
	const char *ids_files[RUN_MAX_FILES];  /* every --ids FILE: their union */
	size_t nids_files;
	const char *backup_path;       /* as given, or backup_default */
	char *backup_default;          /* owned */
	char *backup_landed;           /* where a never-replaced backup was written (owned) */
	int yes;                       /* --yes (delete) */
	struct export_writer *backup;  /* owned until committed or aborted */
	struct run run;
};

/* The options both commands take, then CONN_LONGOPTS and RUN_LONGOPTS. */
#define ID_CMD_HELP_IDS \
"      --ids FILE            IDs, one per line ('#' comments), or a CSV/JSONL with an\n" \
"                            integrationId column or key (a results file, an export);\n" \
"                            repeatable (the union is used)\n"

/* Parses argv for command name (usage is printed for --help), checks every
 * path (run_check_paths: the --ids files, the backup, the run's outputs),
 * collects the IDs (an ID that is not UUID-shaped gets its error: it is
 * recorded invalid and never sent), finishes the connection options, calls
 * confirm (may be NULL; returns 0 to go on), opens the backup writer (default
 * "PREFIX-YYYYmmddTHHMMSSZ.jsonl.gz"; a delete backup or a default name is
 * never replaced) and the run. Returns 0 when ready, else -1 with the exit code in *rc
 * (EXIT_OK after --help, EXIT_USAGE on an error: nothing was sent). */
int id_cmd_open(struct id_cmd *c, const char *name, int argc, char **argv,
		const char *usage, const char *default_prefix,
		int (*confirm)(struct id_cmd *c), int *rc);
/* Aborts a backup still open, frees everything. */
void id_cmd_release(struct id_cmd *c);

#endif
