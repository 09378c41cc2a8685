/*
 * cmd_export.c - `s3src export` (not implemented yet).
 */
#include "cmd.h"

int cmd_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_not_implemented("export");
}
