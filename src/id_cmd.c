/*
 * id_cmd.c - the shared command line and set-up of export and delete (see
 * id_cmd.h). Everything that can make the run pointless is checked here,
 * before the first request: the options, the IDs, the URL and token, the
 * confirmation, the backup folder and the results file. `export --all` and
 * `delete --label` read the listing first (a read: nothing is written before
 * the confirmation and the output checks that follow it).
 */
#include "id_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "s3src.h"
#include "source.h"
#include "util.h"

enum { OPT_IDS = 1300, OPT_BACKUP, OPT_ALL, OPT_LABEL };

static void settle(struct id_cmd *c, const char *id, const char *label, size_t line,
		   enum outcome o, char *error_text)
{
	c->settled = xrealloc(c->settled, (c->nsettled + 1) * sizeof(*c->settled));
	c->settled[c->nsettled++] = (struct id_settled){
		id ? xstrdup(id) : NULL, label ? xstrdup(label) : NULL, line, o, error_text,
	};
}

static int collect_ids(struct id_cmd *c, int argc, char **argv)
{
	struct id_list *ids = &c->ids;
	char err[1024];

	if (c->all && (argc || c->nids_files)) {
		error("--all exports every S3 source the listing shows: it takes no IDs and no --ids");
		return -1;
	}
	for (int i = 0; i < argc; i++) {
		if (!*argv[i]) {
			error("empty ID in the arguments");
			return -1;
		}
		id_list_add(ids, argv[i], 0);
	}
	for (size_t i = 0; i < c->nids_files; i++) {
		if (id_list_load(ids, c->ids_files[i], err, sizeof(err)) < 0) {
			error("%s", err);
			return -1;
		}
	}
	if (!ids->n && !c->all && !c->nlabels) {
		error(!strcmp(c->name, "export")
		      ? "no IDs: give them as arguments, with --ids FILE, or export them all with --all"
		      : "no IDs: give them as arguments, with --ids FILE, or name sources with --label L");
		return -1;
	}
	/* an ID is one URL path segment: only a UUID is sent ('.', '..', 'a/b'
	 * or a label never are) */
	for (size_t i = 0; i < ids->n; i++) {
		if (!id_is_uuid(ids->v[i].id))
			ids->v[i].error = xasprintf("'%s' is not an integration ID%s", ids->v[i].id,
						    !strcmp(c->name, "delete") ?
						    "; to delete by label use --label" : "");
	}
	return 0;
}

/* --all and --label: read the listing and resolve. 0, or -1 with *rc. */
static int resolve_through_listing(struct id_cmd *c, int *rc)
{
	struct listing *l;
	char err[1024];

	if (!c->all && !c->nlabels)
		return 0;
	sched_install_signals();
	enum listing_status ls = listing_fetch(&c->conn, &l, NULL, err, sizeof(err));
	if (ls != LISTING_OK) {
		error("%s; nothing was %s", err, !strcmp(c->name, "export") ? "exported" : "deleted");
		*rc = ls == LISTING_FAILED ? EXIT_ROWS : EXIT_ABORTED;
		return -1;
	}
	if (c->all) {
		for (size_t i = 0; i < listing_count(l); i++)
			id_list_add(&c->ids, listing_at(l, i)->id, 0);
	}
	for (size_t i = 0; i < c->nlabels; i++) {
		const char *label = c->labels[i];
		const struct listed_source *s = listing_find_label(l, label);
		size_t n = listing_label_count(l, label);

		if (n == 1)
			id_list_add(&c->ids, s->id, 0);
		else
			settle(c, NULL, label, 0, OUTCOME_FAILED, n ?
			       xasprintf("%zu S3 sources are labelled '%s': delete them by ID "
					 "(s3src list shows them)", n, label) :
			       xasprintf("no S3 source is labelled '%s'", label));
	}
	if (!c->ropts.quiet)
		fprintf(stderr, "%s: the listing shows %zu S3 source%s (%zu of other kinds left out)%s\n",
			c->name, listing_count(l), listing_count(l) == 1 ? "" : "s", listing_others(l),
			c->nlabels ? "; labels resolved through it" : "");
	listing_free(l);
	return 0;
}

/* Records the settled rows, numbered after the IDs. */
static void record_settled(struct id_cmd *c)
{
	for (size_t i = 0; i < c->nsettled; i++) {
		const struct id_settled *st = &c->settled[i];
		char fp[65];

		source_fingerprint(ACTION_DELETE, st->id ? st->id : st->label, NULL, fp);
		struct result r = {
			.row = c->ids.n + i + 1, .line = st->line, .action = ACTION_DELETE,
			.outcome = st->outcome, .id = st->id, .label = st->label,
			.error = st->error, .fingerprint = fp,
		};
		run_record(&c->run, NULL, &r);
	}
}

/* 1 handled, 0 not ours, -1 bad value or an option of the other command. */
static int handle(struct id_cmd *c, int opt, const char *arg)
{
	int is_export = !strcmp(c->name, "export");

	switch (opt) {
	case OPT_IDS:
		if (c->nids_files == RUN_MAX_FILES) {
			error("at most %d --ids files", RUN_MAX_FILES);
			return -1;
		}
		c->ids_files[c->nids_files++] = arg;
		return 1;
	case 'o':
	case OPT_BACKUP:
		if ((opt == 'o') != is_export) {
			error("%s takes %s PATH for its backup", c->name, is_export ? "-o" : "--backup");
			return -1;
		}
		c->backup_path = arg;
		return 1;
	case 'y':
		if (is_export) {
			error("export has no --yes: it changes nothing");
			return -1;
		}
		c->yes = 1;
		return 1;
	case OPT_ALL:
		if (!is_export) {
			error("delete has no --all: name the sources (IDs, --ids FILE, --label L)");
			return -1;
		}
		c->all = 1;
		return 1;
	case OPT_LABEL:
		if (is_export) {
			error("export has no --label: use 's3src list' to find IDs, or --all");
			return -1;
		}
		if (!*arg) {
			error("empty --label");
			return -1;
		}
		c->labels = xrealloc(c->labels, (c->nlabels + 1) * sizeof(*c->labels));
		c->labels[c->nlabels++] = arg;
		return 1;
	}
	int h = run_opts_handle(&c->ropts, opt, arg);
	return h ? h : conn_opts_handle(&c->conn, opt, arg);
}

int id_cmd_open(struct id_cmd *c, const char *name, int argc, char **argv,
		const char *usage, const char *default_prefix,
		int (*confirm)(struct id_cmd *c), int *rc)
{
	static const struct option longopts[] = {
		{ "ids", required_argument, NULL, OPT_IDS },
		{ "output", required_argument, NULL, 'o' },
		{ "backup", required_argument, NULL, OPT_BACKUP },
		{ "yes", no_argument, NULL, 'y' },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "label", required_argument, NULL, OPT_LABEL },
		RUN_LONGOPTS,
		CONN_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[1024];
	int opt;

	memset(c, 0, sizeof(*c));
	c->name = name;
	run_opts_init(&c->ropts);
	conn_opts_init(&c->conn);
	id_list_init(&c->ids);
	*rc = EXIT_USAGE;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "ho:y" CONN_SHORTOPTS RUN_SHORTOPTS, longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			*rc = EXIT_OK;
			return -1;
		}
		int h = handle(c, opt, optarg);
		if (h <= 0) {
			if (!h)
				fprintf(stderr, "run 's3src %s --help' for the options\n", name);
			return -1;
		}
	}
	if (!c->backup_path) {
		char stamp[32];
		utc_stamp(stamp, sizeof(stamp));
		c->backup_path = c->backup_default = xasprintf("%s-%s.jsonl.gz", default_prefix, stamp);
	}
	/* every path against every other, and writable, before anything */
	struct path_use paths[RUN_MAX_FILES + 1];
	size_t np = 0;
	for (size_t i = 0; i < c->nids_files; i++)
		paths[np++] = (struct path_use){ "--ids", c->ids_files[i], PATH_READ, OWN_NONE };
	int is_export = !strcmp(name, "export");
	paths[np++] = (struct path_use){ is_export ? "-o" : "--backup", c->backup_path,
		c->backup_default ? PATH_DEFAULT : is_export ? PATH_REPLACED : PATH_KEPT, OWN_BACKUP };
	if (run_check_paths(&c->ropts, paths, np) < 0)
		return -1;
	if (collect_ids(c, argc - optind, argv + optind) < 0 ||
	    conn_opts_finish(&c->conn) < 0 || resolve_through_listing(c, rc) < 0 ||
	    (confirm && confirm(c) != 0))
		return -1;
	c->backup = export_writer_open(c->backup_path, err, sizeof(err));
	if (!c->backup) {
		error("%s", err);
		return -1;
	}
	/* a delete backup, and a default name, never replace a file */
	if (c->backup_default || !is_export)
		export_writer_keep_existing(c->backup, &c->backup_landed);
	if (run_open(&c->run, name, &c->ropts, FORMAT_AUTO, NULL, 0, 0) < 0)
		return -1;
	c->run.total_hint = c->ids.n + c->nsettled;
	if (c->ids.duplicates && !c->ropts.quiet)
		warning("%zu duplicate ID%s taken once", c->ids.duplicates,
			c->ids.duplicates == 1 ? "" : "s");
	record_settled(c);
	return 0;
}

void id_cmd_release(struct id_cmd *c)
{
	export_writer_abort(c->backup);
	c->backup = NULL;
	free(c->backup_default);
	free(c->backup_landed);
	for (size_t i = 0; i < c->nsettled; i++) {
		free(c->settled[i].id);
		free(c->settled[i].label);
		free(c->settled[i].error);
	}
	free(c->settled);
	free(c->labels);
	id_list_release(&c->ids);
	conn_opts_release(&c->conn);
}
