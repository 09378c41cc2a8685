/*
 * own_output.c - recognises s3src's own outputs by their first line (see
 * own_output.h), so an output replaced atomically on a re-run only ever
 * replaces what an earlier run of the same command wrote.
 *
 * The first line is read with zlib's gzgets(), which reads a plain file as
 * is: one reader for .jsonl, .jsonl.gz, .csv and .csv.gz. A UTF-8 BOM and the
 * line end are ignored. JSON lines are parsed with jansson; a CSV header is
 * compared with the header the writer itself produces.
 */
#include "own_output.h"

#include <string.h>

#include <jansson.h>
#include <zlib.h>

#include "export_writer.h"
#include "util.h"

#define FIRST_LINE_MAX 8192

/* The first line of path, without BOM or line end, into buf. 0 or -1. */
static int first_line(const char *path, char *buf, size_t len)
{
	gzFile gz = gzopen(path, "rb");
	if (!gz)
		return -1;
	char *s = gzgets(gz, buf, (int)len);
	gzclose(gz);
	if (!s)
		return -1;
	if (!strncmp(buf, "\xEF\xBB\xBF", 3))
		memmove(buf, buf + 3, strlen(buf + 3) + 1);
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

/* A JSON object line with every key of has and none of hasnt. */
static int json_keys(const char *line, const char *const *has, const char *const *hasnt)
{
	json_t *o = json_loads(line, 0, NULL);   /* new reference */
	int ok = json_is_object(o);
	for (; ok && has && *has; has++)
		ok = json_object_get(o, *has) != NULL;
	for (; ok && hasnt && *hasnt; hasnt++)
		ok = json_object_get(o, *hasnt) == NULL;
	json_decref(o);
	return ok;
}

static int starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

int own_output_is(enum own_kind kind, const char *path)
{
	static const char *const outcome[] = { "outcome", NULL };
	static const char *const source[] = { "integrationId", "s3Bucket", NULL };
	static const char *const listed[] = { "integrationId", "integrationLabel",
					      "awsAccountId", "s3Bucket", NULL };
	static const char *const reported[] = { "integrationLabel", "integrationId", "outcome",
						"runs", NULL };
	char line[FIRST_LINE_MAX];

	if (kind == OWN_NONE || first_line(path, line, sizeof(line)) < 0)
		return 0;
	switch (kind) {
	case OWN_BACKUP: {
		if (line[0] == '{')
			return json_keys(line, source, outcome);
		struct strbuf sb = STRBUF_INIT;
		strbuf_init(&sb, 256);
		export_csv_header(&sb);
		sb.buf[strcspn(sb.buf, "\r\n")] = '\0';
		int ok = !strcmp(line, sb.buf);
		strbuf_release(&sb);
		return ok;
	}
	case OWN_LISTING:
		if (line[0] == '{')
			return json_keys(line, listed, outcome);
		/* the CSV header, or the table's header (cells padded with blanks) */
		return starts(line, "integrationId,integrationLabel,awsAccountId,s3Bucket") ||
		       (starts(line, "integrationId ") && strstr(line, " integrationLabel ") &&
			strstr(line, " s3Bucket"));
	case OWN_REPORT:
		if (line[0] == '{')
			return json_keys(line, reported, NULL);
		return starts(line, "integrationLabel,integrationId,action,outcome,") ||
		       (starts(line, "report: ") && strstr(line, " results file"));
	case OWN_IDS:
		return starts(line, "# IDs created or modified, from s3src report over:");
	case OWN_NONE:
		break;
	}
	return 0;
}

const char *own_output_name(enum own_kind kind)
{
	switch (kind) {
	case OWN_BACKUP:
		return "an s3src backup";
	case OWN_LISTING:
		return "an s3src listing";
	case OWN_REPORT:
		return "an s3src report";
	case OWN_IDS:
		return "an s3src ID list";
	case OWN_NONE:
		break;
	}
	return "an s3src output";
}
