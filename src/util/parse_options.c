/*
 * parse_options.c - the option tables of parse_options.h turned into
 * getopt_long's optstring and long options, and into the option list of
 * --help. getopt_long does the scanning (abbreviations, "--opt=value",
 * permutation); its own messages are off (opterr = 0) so that every command
 * words an option error the same way, here.
 *
 * The help's layout: "  -c, --long ARGH" padded to column 28, the help text
 * after it (two blanks when the left column is wider), its further lines
 * indented to column 28; a help text starting with '\n' begins on the next
 * line.
 */
#include "parse_options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3src.h"

#define HELP_COLUMN 28

/* One option of a table with its includes spliced in, and its context. */
struct flat {
	const struct popt *o;
	void *ctx;
};

struct flat_list {
	struct flat *v;
	size_t n;
};

static void flatten(struct flat_list *fl, const struct popt *t, void *ctx)
{
	for (; t->type != POPT_T_END; t++) {
		if (t->type == POPT_T_INCLUDE) {
			flatten(fl, t->table, t->value);
			continue;
		}
		fl->v = xrealloc(fl->v, (fl->n + 1) * sizeof(*fl->v));
		fl->v[fl->n++] = (struct flat){ t, t->value ? t->value : ctx };
	}
}

static int takes_option(const struct popt *o)
{
	return o->type != POPT_T_GROUP && (o->short_name || o->long_name);
}

/* The long options' val: above any short option character. */
#define LONG_VAL(i) (256 + (int)(i))

static void build_getopt(const struct flat_list *fl, struct strbuf *shortopts,
			 struct option **longopts)
{
	size_t n = 0;
	int has_help = 0;

	*longopts = xcalloc(fl->n + 2, sizeof(**longopts));
	strbuf_addch(shortopts, ':');   /* ':' for a missing value, not '?' */
	for (size_t i = 0; i < fl->n; i++) {
		const struct popt *o = fl->v[i].o;
		if (!takes_option(o))
			continue;
		has_help |= o->type == POPT_T_HELP;
		if (o->short_name) {
			strbuf_addch(shortopts, o->short_name);
			if (o->argh)
				strbuf_addch(shortopts, ':');
		}
		if (o->long_name)
			(*longopts)[n++] = (struct option){ o->long_name,
				o->argh ? required_argument : no_argument, NULL, LONG_VAL(i) };
	}
	if (!has_help) {
		strbuf_addch(shortopts, 'h');
		(*longopts)[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	}
}

static const struct flat *find_short(const struct flat_list *fl, int c)
{
	for (size_t i = 0; i < fl->n; i++)
		if (takes_option(fl->v[i].o) && fl->v[i].o->short_name == c)
			return &fl->v[i];
	return NULL;
}

/* POPT_T_CHOICE: the index of arg among o->choices, from o->defval up;
 * another word is refused with the list ("use table, csv or jsonl"). */
static int apply_choice(const struct popt *o, int *value, const char *arg)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;

	for (; o->choices[n]; n++) {
		if (!strcmp(arg, o->choices[n])) {
			*value = (int)o->defval + (int)n;
			return 0;
		}
	}
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i == 0 ? "" : i + 1 < n ? ", " : " or ", o->choices[i]);
	error("--%s '%s': use %s", o->long_name, arg, sb.buf);
	strbuf_release(&sb);
	return -1;
}

static int apply(const struct flat *f, const char *arg)
{
	const struct popt *o = f->o;

	switch (o->type) {
	case POPT_T_FLAG:
		*(int *)f->ctx = (int)o->defval;
		return 0;
	case POPT_T_STRING:
		*(const char **)f->ctx = arg;
		return 0;
	case POPT_T_LIST: {
		const char ***list = f->ctx;
		*list = xrealloc((void *)*list, (*o->count + 1) * sizeof(**list));
		(*list)[(*o->count)++] = arg;
		return 0;
	}
	case POPT_T_CALLBACK:
		return o->cb(o, f->ctx, arg);
	case POPT_T_CHOICE:
		return apply_choice(o, f->ctx, arg);
	case POPT_T_REFUSED:
		error("%s", (const char *)o->value);
		return -1;
	default:
		return 0;
	}
}

/* The message for getopt_long's '?': an unknown or ambiguous option, or a
 * value given to a long option that takes none. */
static void bad_option(const struct flat_list *fl, const char *word)
{
	if (optopt >= 256) {
		error("option '--%s' takes no value", fl->v[optopt - 256].o->long_name);
		return;
	}
	if (optopt) {
		error("unknown option '-%c'", optopt);
		return;
	}
	if (!word || strncmp(word, "--", 2)) {
		error("unknown option '%s'", word ? word : "");
		return;
	}
	size_t len = strcspn(word + 2, "=");
	struct strbuf names = STRBUF_INIT;
	size_t nmatch = 0;
	strbuf_init(&names, 64);
	for (size_t i = 0; i < fl->n; i++) {
		const char *l = fl->v[i].o->long_name;
		if (takes_option(fl->v[i].o) && l && !strncmp(l, word + 2, len)) {
			strbuf_addf(&names, "%s--%s", nmatch++ ? ", " : "", l);
		}
	}
	if (nmatch > 1)
		error("option '%.*s' is ambiguous: %s", (int)len + 2, word, names.buf);
	else
		error("unknown option '%.*s'", (int)len + 2, word);
	strbuf_release(&names);
}

static void missing_value(const struct flat_list *fl)
{
	if (optopt >= 256)
		error("option '--%s' needs a value", fl->v[optopt - 256].o->long_name);
	else
		error("option '-%c' needs a value", optopt);
}

/* The word getopt_long just looked at, for a message. */
static const char *last_word(int argc, char **argv)
{
	return optind > 0 && optind <= argc ? argv[optind - 1] : NULL;
}

int popt_parse(const struct popt *table, const struct popt_usage *u, int argc, char **argv)
{
	struct flat_list fl = { NULL, 0 };
	struct strbuf shortopts = STRBUF_INIT;
	struct option *longopts;
	int c, rc = POPT_ERROR, saved_opterr = opterr;

	flatten(&fl, table, NULL);
	strbuf_init(&shortopts, 32);
	build_getopt(&fl, &shortopts, &longopts);
	optind = 0;   /* glibc: start afresh, whatever an earlier scan left */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts.buf, longopts, NULL)) != -1) {
		const struct flat *f = NULL;

		if (c == ':') {
			missing_value(&fl);
			goto fail;
		}
		if (c == '?') {
			bad_option(&fl, last_word(argc, argv));
			goto fail;
		}
		f = c >= 256 ? &fl.v[c - 256] : find_short(&fl, c);
		if (!f || f->o->type == POPT_T_HELP) {   /* --help, -h */
			popt_print_usage(table, u);
			rc = POPT_HELP_SHOWN;
			goto out;
		}
		if (apply(f, optarg) < 0)
			goto fail;
	}
	rc = optind;
	goto out;
fail:
	popt_hint(u->command);
out:
	opterr = saved_opterr;
	free(longopts);
	strbuf_release(&shortopts);
	free(fl.v);
	return rc;
}

static void add_option_line(struct strbuf *sb, const struct popt *o)
{
	size_t start = sb->len;

	strbuf_addstr(sb, "  ");
	if (o->short_name)
		strbuf_addf(sb, "-%c%s", o->short_name, o->long_name || o->usage_name ? ", " : "");
	else
		strbuf_addstr(sb, "    ");
	if (o->usage_name)
		strbuf_addstr(sb, o->usage_name);
	else if (o->long_name)
		strbuf_addf(sb, "--%s", o->long_name);
	if (o->argh && !o->usage_name)
		strbuf_addf(sb, " %s", o->argh);

	const char *h = o->help;
	if (*h == '\n') {
		h++;
	} else {
		size_t w = sb->len - start;
		for (size_t k = w; k < HELP_COLUMN || k < w + 2; k++)
			strbuf_addch(sb, ' ');
		size_t n = strcspn(h, "\n");
		strbuf_add(sb, h, n);
		h += n;
		if (*h)
			h++;
		else
			h = NULL;
	}
	strbuf_addch(sb, '\n');
	while (h) {
		size_t n = strcspn(h, "\n");
		strbuf_addf(sb, "%*s%.*s\n", HELP_COLUMN, "", (int)n, h);
		h = h[n] ? h + n + 1 : NULL;
	}
}

void popt_add_help(struct strbuf *sb, const struct popt *table)
{
	struct flat_list fl = { NULL, 0 };
	int any = 0;

	flatten(&fl, table, NULL);
	for (size_t i = 0; i < fl.n; i++) {
		const struct popt *o = fl.v[i].o;
		if (o->type == POPT_T_GROUP) {
			if (any && !(o->flags & POPT_NOBLANK))
				strbuf_addch(sb, '\n');
			if (o->help && *o->help) {
				strbuf_addf(sb, "%s\n", o->help);
				any = 1;
			}
			continue;
		}
		if (!o->help || o->type == POPT_T_REFUSED)
			continue;
		add_option_line(sb, o);
		any = 1;
	}
	free(fl.v);
}

void popt_print_usage(const struct popt *table, const struct popt_usage *u)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_init(&sb, 4096);
	strbuf_addstr(&sb, u->head ? u->head : "");
	popt_add_help(&sb, table);
	strbuf_addstr(&sb, u->tail ? u->tail : "");
	fputs(sb.buf, stdout);
	strbuf_release(&sb);
}

void popt_hint(const char *command)
{
	fprintf(stderr, "run 's3src %s --help' for the options\n", command);
}

int popt_one_file(const char *command, int argc, int first)
{
	if (argc - first == 1)
		return 0;
	if (argc - first > 1)
		error("%s takes one FILE, got %d", command, argc - first);
	else
		error("%s needs a FILE (or '-' for stdin)", command);
	fprintf(stderr, "usage: s3src %s FILE [OPTIONS]\n", command);
	return -1;
}
