/*
 * cmd_import.c - `s3src import` (not implemented yet).
 */
#include "cmd.h"

int cmd_import(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_not_implemented("import");
}
