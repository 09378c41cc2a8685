/*
 * cmd.h - the command table, one file and one entry point per command
 * (src/cmd_NAME.c, int cmd_NAME(int argc, char **argv)), as git's builtin/.
 *
 * Adding a command:
 *  1. write src/cmd_NAME.c: its usage text and its option table
 *     (parse_options.h; include conn_popts if it talks to the API, run_popts
 *     if it writes a results file), its entry point; argv[0] is the
 *     command name and options start at argv[1];
 *     before it creates a file or sends anything, it checks every path it
 *     reads or writes in one call: run_check_paths() (run.h) with its own
 *     paths (the input, a backup), or outputs_check() (outputs.h);
 *  2. declare the entry point below and add a row to the table in src/cmd/main.c;
 *  3. add an end-to-end case tests/e2e/NAME_*.sh;
 *  4. describe it in README.md, docs/usage.md and the man page (a .SS under
 *     COMMANDS in docs/man/s3src.1; e2e_man_options checks) in the same commit.
 * The entry point returns an exit code of the contract (s3src.h).
 */
#ifndef S3SRC_CMD_H
#define S3SRC_CMD_H

int cmd_validate(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_plan(int argc, char **argv);

/* import and plan share one command line and one pipeline (cmd_import.c):
 * plan is import stopped before every write (POST, PUT), so that what plan
 * says is what import does. */
int import_main(int argc, char **argv, int plan);

#endif
