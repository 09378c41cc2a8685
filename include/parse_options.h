/*
 * parse_options.h - one option table per command, from which both the
 * command-line parsing (getopt_long underneath) and the option list of its
 * --help are made, so that an option and its help are written once, side by
 * side (git's parse-options is the model).
 *
 * A table is an array of struct popt ended by POPT_END(). Each entry says
 * what its option does: set an int (POPT_FLAG), store a string borrowed from
 * argv (POPT_STRING), append one to a list (POPT_LIST), or call a function
 * (POPT_CALLBACK), pick one of
 * a few words (POPT_CHOICE), or be refused with a message that says what to use
 * instead (POPT_REFUSED, never listed). POPT_GROUP starts a titled block of
 * the help; POPT_INCLUDE splices a table of its own, such as the connection
 * options (conn.h), the output options (run.h) or the input options
 * (input_opts.h), with the context its callbacks receive. An entry without help text is accepted but
 * not listed (a refused option with its own message, say). --help and -h are
 * every command's; a table lists them only with an explicit POPT_HELP().
 *
 * The errors are worded here, once for every command: an unknown option, a
 * missing value, a value given to an option that takes none, an ambiguous
 * abbreviation; each followed by "run 's3src COMMAND --help' for the options".
 */
#ifndef S3SRC_PARSE_OPTIONS_H
#define S3SRC_PARSE_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum popt_type {
	POPT_T_END = 0,
	POPT_T_GROUP,      /* help: a blank line, then the title (if any) */
	POPT_T_INCLUDE,    /* the entries of another table */
	POPT_T_HELP,       /* --help, -h: listed with this help text */
	POPT_T_FLAG,       /* *(int *)value = defval */
	POPT_T_STRING,     /* *(const char **)value = arg (borrowed from argv) */
	POPT_T_LIST,       /* arg appended to *(const char ***)value, *count++
			    * (the array is the caller's to free) */
	POPT_T_CALLBACK,   /* cb(opt, ctx, arg) */
	POPT_T_CHOICE,     /* *(int *)value = defval + the index of arg in choices
			    * (NULL-terminated); another arg is refused, naming them */
	POPT_T_REFUSED,    /* an option of another command, or one that must not exist:
			    * refused with its message (value, a string), never listed */
};

/* Entry flags. */
enum {
	POPT_NOBLANK = 1,  /* GROUP: no blank line before its title */
};

struct popt;

/* What an option does when it is not a plain store: ctx is the entry's value,
 * or the context of the POPT_INCLUDE that brought it in; arg is NULL for an
 * option that takes no value. Returns 0, or -1 with a message printed (a bad
 * value: names the option and what it accepts). */
typedef int popt_cb(const struct popt *opt, void *ctx, const char *arg);

struct popt {
	enum popt_type type;
	int short_name;           /* 0: none */
	const char *long_name;    /* NULL: none */
	const char *argh;         /* the value's name in the help; NULL: takes no value */
	const char *help;         /* NULL: accepted, not listed; a leading '\n' puts it under the option */
	void *value;              /* where it goes (see enum popt_type); CALLBACK, INCLUDE: the context */
	size_t *count;            /* LIST: the number of items */
	intptr_t defval;          /* FLAG: the value set; CALLBACK: a code the callback may switch on */
	popt_cb *cb;              /* CALLBACK */
	const struct popt *table; /* INCLUDE */
	const char *const *choices; /* CHOICE: the accepted values, NULL-terminated */
	const char *usage_name;   /* the help's left column, when not "--long ARGH" */
	int flags;
};

#define POPT_END() { .type = POPT_T_END }
#define POPT_GROUP(title) { .type = POPT_T_GROUP, .help = (title) }
#define POPT_GROUP_NOBLANK(title) { .type = POPT_T_GROUP, .help = (title), .flags = POPT_NOBLANK }
#define POPT_INCLUDE(tbl, ctx) { .type = POPT_T_INCLUDE, .table = (tbl), .value = (ctx) }
#define POPT_HELP(h) { .type = POPT_T_HELP, .short_name = 'h', .long_name = "help", .help = (h) }
#define POPT_FLAG(s, l, v, val, h) \
	{ .type = POPT_T_FLAG, .short_name = (s), .long_name = (l), .value = (v), .defval = (val), .help = (h) }
#define POPT_STRING(s, l, v, a, h) \
	{ .type = POPT_T_STRING, .short_name = (s), .long_name = (l), .value = (v), .argh = (a), .help = (h) }
#define POPT_LIST(s, l, v, n, a, h) \
	{ .type = POPT_T_LIST, .short_name = (s), .long_name = (l), .value = (v), .count = (n), \
	  .argh = (a), .help = (h) }
#define POPT_CALLBACK(s, l, ctx, a, fn, code, h) \
	{ .type = POPT_T_CALLBACK, .short_name = (s), .long_name = (l), .value = (ctx), .argh = (a), \
	  .cb = (fn), .defval = (code), .help = (h) }
#define POPT_CHOICE(s, l, v, a, names, base, h) \
	{ .type = POPT_T_CHOICE, .short_name = (s), .long_name = (l), .value = (v), .argh = (a), \
	  .choices = (names), .defval = (base), .help = (h) }

#define POPT_REFUSED(s, l, a, msg) \
	{ .type = POPT_T_REFUSED, .short_name = (s), .long_name = (l), .argh = (a), \
	  .value = (void *)(msg) }

/* popt_parse's answers besides the index of the first operand. */
enum { POPT_ERROR = -1, POPT_HELP_SHOWN = -2 };

/* What a command's --help prints around its option list. */
struct popt_usage {
	const char *command;   /* "import", for the messages */
	const char *head;      /* usage line and description, up to the options */
	const char *tail;      /* after the options (exit codes), may be NULL */
};

/* Parses argv (argv[0] is the command's name) against table. Options and
 * operands may be mixed: argv is permuted so the operands come last, as
 * getopt_long does. Returns the index of the first operand; POPT_HELP_SHOWN
 * after --help printed the usage on stdout; POPT_ERROR with a message on
 * stderr (a bad option or value: exit 2). */
int popt_parse(const struct popt *table, const struct popt_usage *u, int argc, char **argv);

/* Appends the option list of table to sb, as --help shows it. */
void popt_add_help(struct strbuf *sb, const struct popt *table);

/* Prints u->head, the option list and u->tail on stdout. */
void popt_print_usage(const struct popt *table, const struct popt_usage *u);

/* One wording for the command-line errors every command shares: prints
 * "run 's3src COMMAND --help' for the options" on stderr. */
void popt_hint(const char *command);

/* The operand count checks of the commands that read one FILE (validate,
 * import, plan): 0 when argc - first == 1, else -1 with the message and the
 * usage line printed. */
int popt_one_file(const char *command, int argc, int first);

#endif
