/*
 * cmd_delete.c - `s3src delete` (not implemented yet).
 */
#include "cmd.h"

int cmd_delete(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_not_implemented("delete");
}
