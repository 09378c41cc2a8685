/*
 * cmd_plan.c - `s3src plan FILE`: what `s3src import FILE` would do, row by
 * row, with no write sent (spec: "plan"). It takes import's options and runs
 * import's own pipeline (import_main in cmd_import.c) with the dry-run flag
 * set: rows are read and checked, every modify's source is fetched (GET),
 * merged and compared exactly as import does, and where import would send a
 * POST or a PUT the row is recorded as would-create or would-modify instead.
 * Sharing the code path, not copying it, is what makes the plan true.
 */
#include "cmd.h"

int cmd_plan(int argc, char **argv)
{
	return import_main(argc, argv, 1);
}
