/*
 * test_parse_options.c - the option tables (parse_options.h): every kind of
 * entry stores what it should, an included table's callbacks get their
 * context, operands come last, the errors are worded once (unknown, missing
 * value, value to a flag, ambiguous), and the --help list is laid out in its
 * two columns with groups, hidden entries and long left columns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse_options.h"

struct shared {
	int calls;
	const char *last;
};

static int shared_cb(const struct popt *opt, void *ctx, const char *arg)
{
	struct shared *s = ctx;
	if (opt->defval == 2) {
		error("option '--%s' is refused", opt->long_name);
		return -1;
	}
	s->calls++;
	s->last = arg ? arg : "(none)";
	return 0;
}

static const struct popt shared_table[] = {
	POPT_GROUP("Shared:"),
	POPT_CALLBACK('j', "jobs", NULL, "N", shared_cb, 1, "how many"),
	POPT_CALLBACK(0, "ping", NULL, NULL, shared_cb, 1, "no value\nsecond line"),
	POPT_CALLBACK(0, "refused", NULL, "X", shared_cb, 2, NULL),
	POPT_END(),
};

struct opts {
	int quiet, force;
	const char *out;
	const char **items;
	size_t nitems;
	struct shared sh;
};

#define TABLE(o) TABLE_NAMED(table, o)
#define TABLE_NAMED(name, o) \
	struct popt name[] = { \
		POPT_FLAG('q', "quiet", &(o).quiet, 1, "be quiet"), \
		POPT_FLAG(0, "force", &(o).force, 7, NULL), \
		POPT_STRING('o', "output", &(o).out, "PATH", "write there"), \
		POPT_LIST(0, "item", &(o).items, &(o).nitems, "'HEADER=FIELD'", "an item (repeatable)"), \
		POPT_INCLUDE(shared_table, &(o).sh), \
		POPT_REFUSED('y', "yes", NULL, "demo has no --yes"), \
		POPT_END(), \
	}

static const struct popt_usage usage = { "demo", "usage: demo\n\n", "\nend\n" };

/* Runs popt_parse on the words, with stderr captured into err. */
static int parse(const struct popt *table, char *err, size_t errlen, int *argc_out, char **argv,
		 int argc)
{
	fflush(stderr);
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	int saved = dup(2);
	dup2(fileno(tmp), 2);
	int rc = popt_parse(table, &usage, argc, argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	size_t n = fread(err, 1, errlen - 1, tmp);
	err[n] = '\0';
	fclose(tmp);
	*argc_out = argc;
	return rc;
}

static void test_stores(void **state)
{
	(void)state;
	struct opts o = { 0 };
	TABLE(o);
	char *argv[] = { "demo", "-q", "in.csv", "--output=x.csv", "--item", "a=b", "--force",
			 "-j", "4", "--ping", "--item=c=d", "two", NULL };
	char err[512];
	int argc;
	int rc = parse(table, err, sizeof(err), &argc, argv, 12);
	assert_int_equal(rc, 10);
	assert_string_equal(argv[10], "in.csv");
	assert_string_equal(argv[11], "two");
	assert_int_equal(o.quiet, 1);
	assert_int_equal(o.force, 7);
	assert_string_equal(o.out, "x.csv");
	assert_int_equal(o.nitems, 2);
	assert_string_equal(o.items[0], "a=b");
	assert_string_equal(o.items[1], "c=d");
	assert_int_equal(o.sh.calls, 2);
	assert_string_equal(o.sh.last, "(none)");
	assert_string_equal(err, "");
	free(o.items);

	/* abbreviations, as getopt_long takes them; a second parse starts afresh */
	struct opts p = { 0 };
	TABLE_NAMED(table2, p);
	char *argv2[] = { "demo", "--out", "y", "--qu", "--jo=9", NULL };
	rc = parse(table2, err, sizeof(err), &argc, argv2, 5);
	assert_int_equal(rc, 5);
	assert_string_equal(p.out, "y");
	assert_int_equal(p.quiet, 1);
	assert_string_equal(p.sh.last, "9");
}

static void test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *words[4];
		const char *err;
	} cases[] = {
		{ { "--nope" }, "unknown option '--nope'" },
		{ { "--nope=3" }, "unknown option '--nope'" },
		{ { "-x" }, "unknown option '-x'" },
		{ { "--output" }, "option '--output' needs a value" },
		{ { "-o" }, "option '-o' needs a value" },
		{ { "--quiet=yes" }, "option '--quiet' takes no value" },
		{ { "--refused", "v" }, "option '--refused' is refused" },
		{ { "-y" }, "demo has no --yes" },
		{ { "--yes" }, "demo has no --yes" },
		{ { "--it" }, "option '--item' needs a value" },   /* an abbreviation */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct opts o = { 0 };
		TABLE(o);
		char *argv[6] = { "demo" };
		int argc = 1;
		for (size_t k = 0; k < 4 && cases[i].words[k]; k++)
			argv[argc++] = (char *)cases[i].words[k];
		char err[512];
		int rc = parse(table, err, sizeof(err), &argc, argv, argc);
		free(o.items);
		assert_int_equal(rc, POPT_ERROR);
		if (!strstr(err, cases[i].err))
			fail_msg("%s: got '%s', expected '%s'", cases[i].words[0], err, cases[i].err);
		assert_non_null(strstr(err, "run 's3src demo --help' for the options\n"));
	}

	/* two long names sharing the prefix */
	struct opts o = { 0 };
	struct popt table[] = {
		POPT_FLAG(0, "progress", &o.quiet, 1, "on"),
		POPT_FLAG(0, "prefix", &o.force, 1, "x"),
		POPT_END(),
	};
	char *argv[] = { "demo", "--pr", NULL };
	char err[512];
	int argc;
	assert_int_equal(parse(table, err, sizeof(err), &argc, argv, 2), POPT_ERROR);
	assert_non_null(strstr(err, "option '--pr' is ambiguous: --progress, --prefix"));
}

static void test_choice(void **state)
{
	(void)state;
	static const char *const shapes[] = { "round", "square", "flat", NULL };
	int shape = -1;
	const struct popt table[] = {
		POPT_CHOICE(0, "shape", &shape, "SHAPE", shapes, 10, "round, square or flat"),
		POPT_END(),
	};
	char *argv[] = { "demo", "--shape", "flat", NULL };
	char err[512];
	int argc;
	assert_int_equal(parse(table, err, sizeof(err), &argc, argv, 3), 3);
	assert_int_equal(shape, 12);   /* the base plus the word's index */
	assert_string_equal(err, "");

	char *argv2[] = { "demo", "--shape=oval", NULL };
	assert_int_equal(parse(table, err, sizeof(err), &argc, argv2, 2), POPT_ERROR);
	assert_non_null(strstr(err, "--shape 'oval': use round, square or flat\n"));
	assert_int_equal(shape, 12);   /* untouched by the refused word */
}

static void test_help(void **state)
{
	(void)state;
	struct opts o = { 0 };
	int a = 0;
	struct popt more[] = {
		POPT_GROUP("Options:"),
		POPT_FLAG(0, "progress", &a, 1, "force the progress line on or off"),
		POPT_FLAG(0, "no-progress", &a, 0, NULL),
		POPT_GROUP_NOBLANK("Output:"),
		POPT_STRING(0, "mode", &o.out, "auto|create|modify", "\nauto: ...;\ncreate: ..."),
		POPT_HELP("this help"),
		POPT_END(),
	};
	more[1].usage_name = "--progress, --no-progress";
	TABLE(o);
	struct popt both[] = {
		POPT_INCLUDE(table, NULL),
		POPT_INCLUDE(more, NULL),
		POPT_END(),
	};
	struct strbuf sb = STRBUF_INIT;
	strbuf_init(&sb, 256);
	popt_add_help(&sb, both);
	assert_string_equal(sb.buf,
		"  -q, --quiet               be quiet\n"
		"  -o, --output PATH         write there\n"
		"      --item 'HEADER=FIELD'  an item (repeatable)\n"
		"\n"
		"Shared:\n"
		"  -j, --jobs N              how many\n"
		"      --ping                no value\n"
		"                            second line\n"
		"\n"
		"Options:\n"
		"      --progress, --no-progress  force the progress line on or off\n"
		"Output:\n"
		"      --mode auto|create|modify\n"
		"                            auto: ...;\n"
		"                            create: ...\n"
		"  -h, --help                this help\n");
	strbuf_release(&sb);
}

static void test_help_option(void **state)
{
	(void)state;
	struct opts o = { 0 };
	TABLE(o);
	char *argv[] = { "demo", "-q", "--help", NULL };
	char err[512];
	int argc;
	fflush(stdout);
	FILE *tmp = tmpfile();
	int saved = dup(1);
	dup2(fileno(tmp), 1);
	int rc = parse(table, err, sizeof(err), &argc, argv, 3);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	char out[1024];
	size_t n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	assert_int_equal(rc, POPT_HELP_SHOWN);
	assert_true(!strncmp(out, "usage: demo\n\n  -q, --quiet", 26));
	assert_non_null(strstr(out, "second line\n\nend\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stores),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_choice),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_help_option),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
