/*
 * names.c - the words of the results file: action and outcome names.
 */
#include <string.h>

#include "s3src.h"

const char *action_name(enum action a)
{
	switch (a) {
	case ACTION_CREATE: return "create";
	case ACTION_MODIFY: return "modify";
	case ACTION_GET: return "get";
	case ACTION_DELETE: return "delete";
	case ACTION_LIST: return "list";
	case ACTION_NONE: break;
	}
	return "";
}

const char *outcome_name(enum outcome o)
{
	switch (o) {
	case OUTCOME_CREATED: return "created";
	case OUTCOME_MODIFIED: return "modified";
	case OUTCOME_EXPORTED: return "exported";
	case OUTCOME_DELETED: return "deleted";
	case OUTCOME_INVALID: return "invalid";
	case OUTCOME_FAILED: return "failed";
	case OUTCOME_SKIPPED: return "skipped";
	case OUTCOME_VALID: return "valid";
	case OUTCOME_UNCHANGED: return "unchanged";
	case OUTCOME_WOULD_CREATE: return "would-create";
	case OUTCOME_WOULD_MODIFY: return "would-modify";
	case OUTCOME_CONFLICT: return "conflict";
	case OUTCOME_NONE:
	case OUTCOME__COUNT: break;
	}
	return "";
}

int outcome_is_success(enum outcome o)
{
	return o == OUTCOME_CREATED || o == OUTCOME_MODIFIED || o == OUTCOME_EXPORTED ||
	       o == OUTCOME_DELETED || o == OUTCOME_VALID || o == OUTCOME_UNCHANGED;
}

int outcome_parse(const char *name, enum outcome *o)
{
	for (int i = OUTCOME_NONE + 1; i < OUTCOME__COUNT; i++) {
		if (name && !strcmp(name, outcome_name((enum outcome)i))) {
			*o = (enum outcome)i;
			return 0;
		}
	}
	return -1;
}
