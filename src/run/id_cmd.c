/*
 * id_cmd.c - the shared command line and set-up of export and delete (see
 * id_cmd.h). Everything that can make the run pointless is checked here,
 * before the first request: the options, the IDs, the URL and token, the
 * confirmation, the backup folder and the results file. `export --all` and
 * `delete --label` read the listing after every check that does not need it
 * (the paths, the backup's name, delete's --yes without a terminal) and
 * before the confirmation (a read: nothing is written before it).
 */
#include "id_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "s3src.h"
#include "source.h"
#include "util.h"

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
		error("%s", c->kind->no_ids);
		return -1;
	}
	/* an ID is one URL path segment: only a UUID is sent ('.', '..', 'a/b'
	 * or a label never are) */
	for (size_t i = 0; i < ids->n; i++) {
		if (!id_is_uuid(ids->v[i].id))
			ids->v[i].error = xasprintf("'%s' is not an integration ID%s", ids->v[i].id,
						    c->kind->not_id_hint);
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
		error("%s; nothing was %s", err, c->kind->past);
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

int id_cmd_ids_popt(const struct popt *opt, void *ctx, const char *arg)
{
	struct id_cmd *c = ctx;

	(void)opt;
	if (c->nids_files == RUN_MAX_FILES) {
		error("at most %d --ids files", RUN_MAX_FILES);
		return -1;
	}
	c->ids_files[c->nids_files++] = arg;
	return 0;
}

int id_cmd_label_popt(const struct popt *opt, void *ctx, const char *arg)
{
	struct id_cmd *c = ctx;

	(void)opt;
	if (!*arg) {
		error("empty --label");
		return -1;
	}
	c->labels = xrealloc(c->labels, (c->nlabels + 1) * sizeof(*c->labels));
	c->labels[c->nlabels++] = arg;
	return 0;
}

int id_cmd_open(struct id_cmd *c, const struct id_cmd_kind *k, const struct popt *options,
		int argc, char **argv, int (*confirm)(struct id_cmd *c, int early), int *rc)
{
	char err[1024];

	memset(c, 0, sizeof(*c));
	c->name = k->name;
	c->kind = k;
	run_opts_init(&c->ropts);
	conn_opts_init(&c->conn);
	id_list_init(&c->ids);
	*rc = EXIT_USAGE;
	int first = popt_parse(options, &k->usage, argc, argv);
	if (first < 0) {
		if (first == POPT_HELP_SHOWN)
			*rc = EXIT_OK;
		return -1;
	}
	if (!c->backup_path) {
		char stamp[32];
		utc_stamp(stamp, sizeof(stamp));
		c->backup_path = c->backup_default = xasprintf("%s-%s.jsonl.gz", k->default_prefix, stamp);
	}
	/* every path against every other, and writable, before anything */
	struct path_use paths[RUN_MAX_FILES + 1];
	size_t np = 0;
	for (size_t i = 0; i < c->nids_files; i++)
		paths[np++] = (struct path_use){ "--ids", c->ids_files[i], PATH_READ, OWN_NONE };
	paths[np++] = (struct path_use){ k->backup_option, c->backup_path,
		c->backup_default ? PATH_DEFAULT : k->backup_replaces ? PATH_REPLACED : PATH_KEPT,
		OWN_BACKUP };
	if (run_check_paths(&c->ropts, paths, np) < 0)
		return -1;
	/* the backup's name, before the listing is read (no request for nothing) */
	if (!strcmp(c->backup_path, "-")) {
		error("%s -: standard output is refused: a backup is only ever written whole, "
		      "which a pipe cannot promise; write a file (and zcat it)", k->backup_option);
		return -1;
	}
	if (export_writer_check_path(c->backup_path, err, sizeof(err)) < 0) {
		error("%s %s", k->backup_option, err);
		return -1;
	}
	if (collect_ids(c, argc - first, argv + first) < 0 ||
	    conn_opts_finish(&c->conn) < 0 || (confirm && confirm(c, 1) != 0) ||
	    resolve_through_listing(c, rc) < 0 || (confirm && confirm(c, 0) != 0))
		return -1;
	c->backup = export_writer_open(c->backup_path, err, sizeof(err));
	if (!c->backup) {
		error("%s", err);
		return -1;
	}
	/* a delete backup, and a default name, never replace a file */
	if (c->backup_default || !k->backup_replaces)
		export_writer_keep_existing(c->backup, &c->backup_landed);
	if (run_open(&c->run, k->name, &c->ropts, FORMAT_AUTO, NULL, 0, 0) < 0)
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
