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
