/*
 * own_output.h - is an existing file s3src's own output of a given kind?
 * (spec: "Output safety"). The outputs that are replaced atomically on a
 * re-run (export -o, list -o, report -o, report --ids-out) may replace a file
 * only when it is that command's own output, so a nightly backup keeps its
 * name; a user's spreadsheet or a results file at that name is never lost
 * (outputs_check() refuses it unless --overwrite).
 *
 * The check is cheap: the first line of the file (gzip read transparently),
 * never the whole file.
 */
#ifndef S3SRC_OWN_OUTPUT_H
#define S3SRC_OWN_OUTPUT_H

enum own_kind {
	OWN_NONE = 0,   /* not a replaceable output */
	OWN_BACKUP,     /* export -o: .jsonl(.gz) of REST sources, or the export CSV */
	OWN_LISTING,    /* list -o: table, CSV or JSONL of the listing */
	OWN_REPORT,     /* report -o: its table, CSV or JSONL */
	OWN_IDS,        /* report --ids-out: its '#' header line */
};

/* 1 when path's first line is that kind of s3src output, else 0. */
int own_output_is(enum own_kind kind, const char *path);

/* "an s3src backup", "an s3src listing"... for messages (static). */
const char *own_output_name(enum own_kind kind);

#endif
