/*
 * cmd_validate.c - `s3src validate` (not implemented yet).
 */
#include "cmd.h"

int cmd_validate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_not_implemented("validate");
}
