/*
 * cmd_validate.c - `s3src validate FILE`: reads every row through the same
 * mapping and checks as import (source.h) and sends nothing. Each invalid row
 * is printed to stderr as "FILE:LINE: field: message", each warning as
 * "FILE:LINE: warning: field: message", then a one-line summary
 * "N rows: X valid, Y invalid, Z warnings" (stderr; -q drops the warnings and
 * the summary, never the errors). --results writes one record per source with
 * outcome valid or invalid and its fingerprint.
 *
 * Exit: 0 all valid, 1 some invalid, 2 usage error or unreadable input or bad
 * header, 3 results file not writable.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "input_opts.h"
#include "outputs.h"
#include "parse_options.h"
#include "results.h"
#include "s3src.h"
#include "source.h"
#include "util.h"

static const struct popt_usage usage = {
	"validate",
	"usage: s3src validate FILE [options]\n"
	"\n"
	"Read FILE (CSV or JSONL, plain or gzip, '-' for stdin) and check every row\n"
	"as import would. Nothing is sent.\n"
	"\n",
	"\n"
	"Invalid rows go to stderr as FILE:LINE: field: message, then a summary.\n"
	"Exit: 0 all rows valid, 1 some row invalid, 2 usage or unreadable input.\n",
};

/* What the rows came to, for the summary line. */
struct tally {
	size_t valid, invalid, warnings;
};

/* One source: its errors, and its warnings unless quiet, on stderr as
 * "NAME:LINE: ...", rendered from its diagnostics (one warning counted per
 * record, whatever its text holds); its record in the results file when rw
 * is set. 0, or -1 when the results file could not be written (said). */
static int validate_one(const struct source *s, const char *name, int quiet,
			struct results_writer *rw, const char *results_path, struct tally *t)
{
	char *errtext = diag_render_new(&s->diags, DIAG_ERROR);
	char *warntext = diag_render_new(&s->diags, DIAG_WARNING);
	int rc = 0;
	if (errtext) {
		t->invalid++;
		fprintf(stderr, "%s:%zu: %s\n", name, s->line, errtext);
	} else {
		t->valid++;
	}
	if (warntext) {
		t->warnings += diag_count(&s->diags, DIAG_WARNING);
		if (!quiet)
			fprintf(stderr, "%s:%zu: warning: %s\n", name, s->line, warntext);
	}
	if (rw) {
		struct result res = {
			.row = s->row, .line = s->line, .action = s->action,
			.outcome = errtext ? OUTCOME_INVALID : OUTCOME_VALID,
			.id = s->id, .label = s->label, .attempts = 0, .elapsed_ms = 0,
			.error = errtext, .warning = warntext, .fingerprint = s->fingerprint,
		};
		if (results_write(rw, &res) < 0) {
			error("cannot write results file '%s': %s",
			      strcmp(results_path, "-") ? results_path : "<stdout>", strerror(errno));
			rc = -1;
		}
	}
	free(errtext);
	free(warntext);
	return rc;
}

/* Reads and checks every row of path with the options so (borrowed), writes
 * the results file when results_path is set and, unless quiet, the summary.
 * Returns the exit code. */
static int validate_file(const char *path, const struct source_opts *so,
			 const char *results_path, int quiet)
{
	char err[4096];
	struct source_reader *sr = source_reader_open(path, so, err, sizeof(err));
	if (!sr) {
		error("%s", err);
		return EXIT_USAGE;
	}
	const char *name = reader_name(source_reader_reader(sr));

	struct results_writer *rw = NULL;
	if (results_path) {
		rw = results_open(results_path, err, sizeof(err));
		if (!rw) {
			error("%s", err);
			source_reader_close(sr, NULL, 0);
			return EXIT_USAGE;
		}
	}

	struct tally t = { 0, 0, 0 };
	int rc = EXIT_OK, r;
	struct source *s;
	while ((r = source_next(sr, &s, err, sizeof(err))) > 0) {
		int written = validate_one(s, name, quiet, rw, results_path, &t);
		source_free(s);
		if (written < 0) {
			rc = EXIT_ABORTED;
			break;
		}
	}
	if (r < 0) {
		error("%s", err);
		rc = EXIT_USAGE;
	}
	if (source_reader_close(sr, err, sizeof(err)) < 0 && rc != EXIT_USAGE) {
		error("%s", err);
		rc = EXIT_USAGE;
	}
	if (rw && results_close(rw, err, sizeof(err)) < 0) {
		if (rc != EXIT_ABORTED)   /* a failed write was said already */
			error("%s", err);
		if (rc == EXIT_OK || rc == EXIT_ROWS)
			rc = EXIT_ABORTED;
	}
	if (!quiet)
		fprintf(stderr, "%zu row%s: %zu valid, %zu invalid, %zu warning%s\n",
			t.valid + t.invalid, t.valid + t.invalid == 1 ? "" : "s", t.valid, t.invalid,
			t.warnings, t.warnings == 1 ? "" : "s");
	if (rc == EXIT_OK && t.invalid)
		rc = EXIT_ROWS;
	return rc;
}

int cmd_validate(int argc, char **argv)
{
	struct source_opts so;
	const char *results_path = NULL;
	int quiet = 0, overwrite = 0;
	const struct popt options[] = {
		POPT_INCLUDE(input_popts, &so),
		POPT_GROUP_NOBLANK("Output:"),
		POPT_STRING(0, "results", &results_path, "PATH",
			    "per-row results, .csv or .jsonl ('-' = JSONL on stdout)"),
		POPT_FLAG(0, "overwrite", &overwrite, 1, "replace an existing, non-empty --results file"),
		POPT_FLAG('q', "quiet", &quiet, 1,
			  "print only the invalid rows (no warnings, no summary)"),
		POPT_HELP("this help"),
		POPT_END(),
	};

	source_opts_init(&so);
	int first = popt_parse(options, &usage, argc, argv);
	if (first < 0 || popt_one_file("validate", argc, first) < 0) {
		source_opts_release(&so);
		return first == POPT_HELP_SHOWN ? EXIT_OK : EXIT_USAGE;
	}
	const char *path = argv[first];


	/* the results file is never the input, nor an existing file by accident */
	struct path_use paths[] = {
		{ "the input", path, PATH_READ, OWN_NONE },
		{ "--results", results_path, PATH_RESULTS, OWN_NONE },
	};
	if (outputs_check(paths, ARRAY_SIZE(paths), overwrite) < 0) {
		source_opts_release(&so);
		return EXIT_USAGE;
	}

	so.check_only = !results_path;   /* only the results file shows it */
	int rc = validate_file(path, &so, results_path, quiet);
	source_opts_release(&so);
	return rc;
}
