/*
 * input_opts.h - the input options shared by validate and import (spec:
 * "Input"): --format, --delimiter, --mode, --column, --ignore-column, --set, parsed in
 * one place into struct source_opts. Same pattern as conn.h: a command
 * includes input_popts in its option table (POPT_INCLUDE(input_popts, &sopts),
 * parse_options.h).
 */
#ifndef S3SRC_INPUT_OPTS_H
#define S3SRC_INPUT_OPTS_H

#include "parse_options.h"
#include "source.h"

/* What input_opts_handle() is asked to do: one code per option. */
enum {
	INPUT_OPT_FORMAT = 1200,
	INPUT_OPT_DELIMITER,
	INPUT_OPT_MODE,
	INPUT_OPT_IGNORE_COLUMN,
	INPUT_OPT_SET,
	INPUT_OPT_COLUMN,
};

/* The input options' table, the help's "Input:" block; include it with the
 * struct source_opts its callbacks fill. */
extern const struct popt input_popts[];

/* Zeroes o (mode auto, format and delimiter detected). */
void source_opts_init(struct source_opts *o);
/* Frees the lists (the strings are borrowed from argv). */
void source_opts_release(struct source_opts *o);
/* 1 if opt was an input option (handled), 0 if not one, -1 on a bad value
 * (message printed: names the option and what it accepts). */
int input_opts_handle(struct source_opts *o, int opt, const char *arg);

#endif
