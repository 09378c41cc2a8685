/*
 * main.c - s3src's entry point: global options (--help, --version) and the
 * command table. Each command lives in its own src/cmd_NAME.c (see cmd.h for
 * the checklist to add one).
 */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "cmd.h"
#include "process.h"
#include "s3src.h"
#include "util.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "validate", cmd_validate, "read and check every row; nothing is sent" },
	{ "import", cmd_import, "create or modify one source per row" },
	{ "plan", cmd_plan, "what import would do, row by row; no write is sent" },
	{ "export", cmd_export, "fetch sources and write a backup" },
	{ "delete", cmd_delete, "back each source up, then delete it" },
	{ "report", cmd_report, "one view of one or more runs' results files" },
	{ "list", cmd_list, "every S3 source on the server (GraphQL listing)" },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: s3src COMMAND [OPTIONS] [ARGS]\n"
		"       s3src --help | COMMAND --help | --version\n"
		"\n"
		"Bulk create, modify, back up and delete Panther S3 log sources.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n"
		"The API URL comes from --api-url or PANTHER_API_URL, the token from\n"
		"PANTHER_API_TOKEN or --token-file (never from the command line).\n"
		"Run 's3src COMMAND --help' for a command's options.\n"
		"\n"
		"Exit codes: 0 all rows succeeded, 1 some row invalid or failed,\n"
		"2 usage or input error (nothing sent), 3 run aborted.\n");
}

int main(int argc, char **argv)
{
	process_harden();   /* before any command reads the token */
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("s3src %s (%s)\n", S3SRC_VERSION, curl_version());
		return EXIT_OK;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (!strcmp(cmd, commands[i].name)) {
			curl_global_init(CURL_GLOBAL_DEFAULT);
			int rc = commands[i].fn(argc - 1, argv + 1);
			curl_global_cleanup();
			return rc;
		}
	}
	error("unknown command '%s'", cmd);
	fprintf(stderr, "run 's3src --help' for the list of commands\n");
	return EXIT_USAGE;
}
