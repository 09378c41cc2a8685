/*
 * cmd_export.c - `s3src export [ID...] [--ids FILE] [-o PATH]`: fetch sources
 * and write a backup.
 *
 * The IDs (arguments, then --ids FILE; duplicates fetched once) are fetched
 * through the engine; the backup holds them in the order given, exactly as the
 * API returned them, and appears at PATH only complete (temporary file, fsync,
 * rename). A failed fetch (a 404, say) is that ID's failed row; the others are
 * still written and the exit code is 1. An aborted run (401/403, a signal)
 * writes no backup: PATH keeps what it had.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "conn.h"
#include "export_writer.h"
#include "fetch.h"
#include "ids.h"
#include "run.h"
#include "sched.h"
#include "util.h"

static const char usage_text[] =
"usage: s3src export [ID...] [--ids FILE] [-o PATH] [OPTIONS]\n"
"\n"
"Fetch sources and write a backup: .jsonl.gz (default), .jsonl, or .csv (the\n"
"import layout). Records are in the order the IDs were given, one source per\n"
"line, exactly the fields the API returned. PATH is never partial.\n"
"\n"
"  -o, --output PATH         the backup (default s3-sources-YYYYmmddTHHMMSSZ.jsonl.gz)\n"
"      --ids FILE            IDs, one per line ('#' comments), or a CSV/JSONL with an\n"
"                            integrationId column or key (a results file, an export)\n"
"\n"
RUN_HELP
"\n"
CONN_HELP
"\n"
"Exit codes: 0 every source exported, 1 some fetch failed (the rest is written),\n"
"2 usage error (nothing sent), 3 run aborted (no backup written).\n";

enum { OPT_IDS = 1300 };

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "ids", required_argument, NULL, OPT_IDS },
		RUN_LONGOPTS,
		CONN_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_opts ropts;
	struct conn_opts conn;
	struct id_list ids;
	struct run run;
	const char *ids_file = NULL, *out = NULL;
	char *out_default = NULL, err[1024];
	int opt, rc;

	run_opts_init(&ropts);
	conn_opts_init(&conn);
	id_list_init(&ids);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "ho:" CONN_SHORTOPTS RUN_SHORTOPTS, longopts, NULL)) != -1) {
		int h = 1;
		if (opt == 'h') {
			fputs(usage_text, stdout);
			rc = EXIT_OK;
			goto out;
		} else if (opt == 'o') {
			out = optarg;
		} else if (opt == OPT_IDS) {
			ids_file = optarg;
		} else if (!(h = run_opts_handle(&ropts, opt, optarg))) {
			h = conn_opts_handle(&conn, opt, optarg);
		}
		if (h <= 0) {
			if (!h)
				fprintf(stderr, "run 's3src export --help' for the options\n");
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (fetch_collect_ids(&ids, argc - optind, argv + optind, ids_file) < 0 ||
	    conn_opts_finish(&conn) < 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (!out) {
		char stamp[32];
		utc_stamp(stamp, sizeof(stamp));
		out = out_default = xasprintf("s3-sources-%s.jsonl.gz", stamp);
	}
	struct export_writer *backup = export_writer_open(out, err, sizeof(err));
	if (!backup) {
		error("%s", err);
		rc = EXIT_USAGE;
		goto out;
	}
	if (run_open(&run, "export", &ropts, FORMAT_AUTO, NULL, 0, 0) < 0) {
		export_writer_abort(backup);
		rc = EXIT_USAGE;
		goto out;
	}
	run.total_hint = ids.n;
	if (ids.duplicates && !ropts.quiet)
		warning("%zu duplicate ID%s fetched once", ids.duplicates, ids.duplicates == 1 ? "" : "s");

	struct fetch f;
	fetch_init(&f, &ids, backup, &run, ACTION_GET);
	sched_install_signals();
	enum sched_status st = fetch_run(&f, &conn);
	int aborted = st != SCHED_DONE;
	const char *why = st == SCHED_AUTH ? "not fetched: the run stopped after the API refused the token"
		: st == SCHED_SIGNAL ? "not fetched: the run was interrupted"
		: "not fetched: the run stopped";
	for (size_t i = 0; i < ids.n; i++)
		if (f.items[i].state == FETCH_PENDING)
			fetch_record(&f, i, OUTCOME_SKIPPED, 0, f.items[i].attempts, f.items[i].elapsed_ms, why, NULL);

	char note[1200];
	if (aborted) {
		export_writer_abort(backup);
		snprintf(note, sizeof(note), "backup: not written (run aborted); '%s' left as it was", out);
	} else {
		size_t n = export_writer_written(backup);
		if (export_writer_commit(backup, err, sizeof(err)) < 0) {
			error("%s", err);
			aborted = 1;
			snprintf(note, sizeof(note), "backup: NOT written: %s", err);
		} else {
			snprintf(note, sizeof(note), "backup: %s (%zu source%s)", out, n, n == 1 ? "" : "s");
		}
	}
	run.extra_output = note;
	rc = run_finish(&run, aborted);
	fetch_release(&f);
out:
	free(out_default);
	id_list_release(&ids);
	conn_opts_release(&conn);
	return rc;
}
