/*
 * s3src.h - names shared by every part of s3src: the version, the exit codes of
 * the contract (shared/spec/s3src.md, "Exit codes"), the request actions and the
 * per-row outcomes written to the results file.
 */
#ifndef S3SRC_H
#define S3SRC_H

#define S3SRC_VERSION "0.1.0"

enum exit_code {
	EXIT_OK = 0,        /* every row succeeded (or was skipped as already done) */
	EXIT_ROWS = 1,      /* at least one row is invalid or failed */
	EXIT_USAGE = 2,     /* usage, unreadable input, unknown column, bad config: nothing sent */
	EXIT_ABORTED = 3,   /* 401/403, SIGINT/SIGTERM, results not writable */
};

enum action {
	ACTION_NONE = 0,    /* not decided yet (empty action cell, --mode decides) */
	ACTION_CREATE,
	ACTION_MODIFY,
	ACTION_GET,
	ACTION_DELETE,
	ACTION_LIST,        /* one page of the GraphQL listing (listing.c), never a row */
};

enum outcome {
	OUTCOME_NONE = 0,
	OUTCOME_CREATED,
	OUTCOME_MODIFIED,
	OUTCOME_EXPORTED,
	OUTCOME_DELETED,
	OUTCOME_INVALID,
	OUTCOME_FAILED,
	OUTCOME_SKIPPED,
	OUTCOME_VALID,
	OUTCOME_UNCHANGED,    /* a modify whose merged source equals the server's: nothing sent */
	OUTCOME_WOULD_CREATE, /* plan */
	OUTCOME_WOULD_MODIFY, /* plan */
	OUTCOME_CONFLICT,     /* plan: a create the server already has */
	OUTCOME__COUNT
};

const char *action_name(enum action a);    /* "create", ... ; "" for NONE */
const char *outcome_name(enum outcome o);  /* "created", ... ; "" for NONE */
/* The one definition of success: created, modified, unchanged (a modify with
 * nothing to send), exported, deleted, valid. --resume takes it less valid
 * (validate sends nothing), and a resumed skip ("already done in ...") counts
 * as done (resume.c, cmd_report.c). plan's would-create and would-modify are
 * not: nothing was done (its exit code counts invalid, conflict, failed). */
int outcome_is_success(enum outcome o);
/* The outcome named name ("created", ...): 0, or -1 if no outcome has it. */
int outcome_parse(const char *name, enum outcome *o);

#endif
