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
 *
 * `export --all` takes its IDs from the server's listing (id_cmd.c, via
 * listing.c): every S3 source it shows, in its order, is fetched through REST
 * (the REST shape is what import reads back). Exit 0 only if every listed
 * source is in the backup: one deleted between the listing and its GET is
 * that ID's failed 404 row (exit 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "conn.h"
#include "export_writer.h"
#include "fetch.h"
#include "id_cmd.h"
#include "ids.h"
#include "run.h"
#include "engine.h"
#include "util.h"

static const struct id_cmd_kind export_kind = {
	.name = "export",
	.past = "exported",
	.backup_option = "-o",
	.default_prefix = "s3-sources",
	.backup_replaces = 1,
	.no_ids = "no IDs: give them as arguments, with --ids FILE, or export them all with --all",
	.not_id_hint = "",
	.usage = {
		"export",
		"usage: s3src export [ID...] [--ids FILE] [-o PATH] [OPTIONS]\n"
		"       s3src export --all [-o PATH] [OPTIONS]\n"
		"\n"
		"Fetch sources and write a backup: .jsonl.gz (default), .jsonl, or .csv (the\n"
		"import layout). Records are in the order the IDs were given, one source per\n"
		"line, exactly the fields the API returned. PATH is never partial.\n"
		"\n",
		"\n"
		"Exit codes: 0 every source exported (with --all: every listed source), 1 some\n"
		"fetch failed (the rest is written) or the listing failed (nothing written),\n"
		"2 usage error (nothing sent), 3 run aborted, or the API refused the token or\n"
		"the listing (401/403): no backup written.\n",
	},
};

int cmd_export(int argc, char **argv)
{
	struct id_cmd c;
	char err[1024];
	int rc;
	const struct popt options[] = {
		POPT_STRING('o', "output", &c.backup_path, "PATH",
			    "the backup (default s3-sources-YYYYmmddTHHMMSSZ.jsonl.gz);\n"
			    "an existing PATH is replaced only if it is an s3src\n"
			    "backup (else exit 2, or pass --overwrite)"),
		ID_CMD_IDS_OPTION(&c),
		POPT_FLAG(0, "all", &c.all, 1,
			  "every S3 source on the server (read through the GraphQL\n"
			  "listing, as s3src list shows them)"),
		POPT_REFUSED(0, "backup", "PATH", "export takes -o PATH for its backup"),
		POPT_REFUSED('y', "yes", NULL, "export has no --yes: it changes nothing"),
		POPT_REFUSED(0, "label", "L", "export has no --label: use 's3src list' to find IDs, or --all"),
		POPT_INCLUDE(run_popts, &c.ropts),
		POPT_INCLUDE(conn_popts, &c.conn),
		POPT_END(),
	};

	if (id_cmd_open(&c, &export_kind, options, argc, argv, NULL, &rc) < 0)
		goto out;

	struct fetch f;
	fetch_init(&f, &c.ids, c.backup, &c.run, ACTION_GET);
	sched_install_signals();
	enum sched_status st = fetch_run(&f, &c.conn);
	int aborted = st != SCHED_DONE;
	const char *why = st == SCHED_AUTH ? "not fetched: the run stopped after the API refused the token"
		: st == SCHED_SIGNAL ? "not fetched: the run was interrupted"
		: "not fetched: the run stopped";
	for (size_t i = 0; i < c.ids.n; i++)
		if (f.items[i].state == FETCH_PENDING)
			fetch_record(&f, i, OUTCOME_SKIPPED, 0, f.items[i].attempts, f.items[i].elapsed_ms, why, NULL);

	char note[1200];
	if (aborted) {
		snprintf(note, sizeof(note), "backup: not written (run aborted); '%s' left as it was",
			 c.backup_path);
	} else if (!export_writer_written(c.backup) && !export_writer_pending(c.backup) && c.ids.n) {
		/* every ID failed: an empty backup must not replace a good one */
		if (c.backup_default)
			snprintf(note, sizeof(note), "backup: not written (nothing was exported)");
		else
			snprintf(note, sizeof(note), "backup: not written (nothing was exported); "
				 "'%s' left as it was", c.backup_path);
		warning("every ID failed: no backup written%s%s%s", c.backup_default ? "" : "; '",
			c.backup_default ? "" : c.backup_path, c.backup_default ? "" : "' left as it was");
	} else {
		size_t n = export_writer_written(c.backup);
		int crc = export_writer_commit(c.backup, err, sizeof(err));
		c.backup = NULL;
		if (crc < 0) {
			error("%s", err);
			aborted = 1;
			snprintf(note, sizeof(note), "backup: NOT written: %s", err);
		} else {
			char order[128];
			fetch_order_note(&f, order, sizeof(order));
			snprintf(note, sizeof(note), "backup: %s (%zu source%s%s)",
				 c.backup_landed ? c.backup_landed : c.backup_path, n,
				 n == 1 ? "" : "s", order);
		}
	}
	c.run.extra_output = note;
	rc = run_finish(&c.run, aborted);
	fetch_release(&f);
out:
	id_cmd_release(&c);
	return rc;
}
