/*
 * input_opts.c - parsing of the input options shared by validate and import
 * (see input_opts.h). Values are checked here so a bad one is a usage error
 * (exit 2) before the input is opened; --set is checked against the fields
 * when the input is opened (source_reader_open), where the did-you-mean lives.
 */
#include "input_opts.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

void source_opts_init(struct source_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = MODE_AUTO;
	o->reader.format = FORMAT_AUTO;
	o->reader.delimiter = 0;
}

void source_opts_release(struct source_opts *o)
{
	free((void *)o->ignore_columns);
	free((void *)o->sets);
	free((void *)o->columns);
	o->ignore_columns = o->sets = o->columns = NULL;
	o->nignore = o->nsets = o->ncolumns = 0;
}

static const char **push(const char **list, size_t *n, const char *s)
{
	list = xrealloc((void *)list, (*n + 1) * sizeof(*list));
	list[(*n)++] = s;
	return list;
}

int input_opts_handle(struct source_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case INPUT_OPT_FORMAT:
		if (!strcasecmp(arg, "csv"))
			o->reader.format = FORMAT_CSV;
		else if (!strcasecmp(arg, "jsonl") || !strcasecmp(arg, "ndjson"))
			o->reader.format = FORMAT_JSONL;
		else if (!strcasecmp(arg, "auto"))
			o->reader.format = FORMAT_AUTO;
		else {
			error("--format '%s': use csv or jsonl", arg);
			return -1;
		}
		return 1;
	case INPUT_OPT_DELIMITER:
		if (!strcmp(arg, ",") || !strcmp(arg, ";") || !strcmp(arg, "\t") || !strcmp(arg, "|"))
			o->reader.delimiter = (unsigned char)arg[0];
		else if (!strcasecmp(arg, "tab") || !strcmp(arg, "\\t"))
			o->reader.delimiter = '\t';
		else if (!strcasecmp(arg, "comma"))
			o->reader.delimiter = ',';
		else if (!strcasecmp(arg, "semicolon"))
			o->reader.delimiter = ';';
		else {
			error("--delimiter '%s': use ',' ';' '|' or 'tab'", arg);
			return -1;
		}
		return 1;
	case INPUT_OPT_MODE:
		if (!strcasecmp(arg, "auto"))
			o->mode = MODE_AUTO;
		else if (!strcasecmp(arg, "create"))
			o->mode = MODE_CREATE;
		else if (!strcasecmp(arg, "modify"))
			o->mode = MODE_MODIFY;
		else {
			error("--mode '%s': use auto, create or modify", arg);
			return -1;
		}
		return 1;
	case INPUT_OPT_IGNORE_COLUMN:
		o->ignore_columns = push(o->ignore_columns, &o->nignore, arg);
		return 1;
	case INPUT_OPT_COLUMN:
		if (!strchr(arg, '=') || arg[0] == '=') {
			error("--column '%s': expected 'HEADER=FIELD', e.g. --column 'Log Bucket=s3Bucket'", arg);
			return -1;
		}
		o->columns = push(o->columns, &o->ncolumns, arg);
		return 1;
	case INPUT_OPT_SET:
		if (!strchr(arg, '=') || arg[0] == '=') {
			error("--set '%s': expected FIELD=VALUE", arg);
			return -1;
		}
		o->sets = push(o->sets, &o->nsets, arg);
		return 1;
	}
	return 0;
}

static int input_popt(const struct popt *opt, void *ctx, const char *arg)
{
	return input_opts_handle(ctx, (int)opt->defval, arg) < 0 ? -1 : 0;
}

#define INPUT_OPT(l, a, code, h) POPT_CALLBACK(0, l, NULL, a, input_popt, code, h)

const struct popt input_popts[] = {
	POPT_GROUP("Input:"),
	INPUT_OPT("format", "csv|jsonl", INPUT_OPT_FORMAT,
		  "input format (default: from the extension, else sniffed)"),
	INPUT_OPT("delimiter", "C", INPUT_OPT_DELIMITER,
		  "CSV delimiter: ',' ';' '|' or 'tab' (default: from the\nheader)"),
	INPUT_OPT("mode", "auto|create|modify", INPUT_OPT_MODE,
		  "\nauto: a row with integrationId modifies, else creates;\n"
		  "create: ignore integrationId; modify: require it (default auto)"),
	INPUT_OPT("column", "'HEADER=FIELD'", INPUT_OPT_COLUMN,
		  "read the CSV column HEADER as FIELD (repeatable),\n"
		  "e.g. --column 'Log Bucket=s3Bucket'"),
	INPUT_OPT("ignore-column", "NAME", INPUT_OPT_IGNORE_COLUMN, "skip this CSV column (repeatable)"),
	INPUT_OPT("set", "FIELD=VALUE", INPUT_OPT_SET,
		  "fill FIELD where it is empty; {field} expands from the row\n"
		  "(repeatable), e.g. --set 'logStreamType=Lines'"),
	POPT_END(),
};
