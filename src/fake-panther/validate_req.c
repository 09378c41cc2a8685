/*
 * validate_req.c - fake-panther's request schema checks.
 *
 * The contract's two request bodies, CreateS3Source (POST) and ModifyS3Source
 * (PUT), and the two objects nested in them (PrefixLogTypesMapping items of
 * s3PrefixLogTypes, S3LogStreamTypeOptions) are written here as tables of
 * fields. One walker checks an object against a table: unknown fields first
 * (at every level), then types and the logStreamType enum, then required
 * fields. The first problem found is reported with the field's full path, e.g.
 * "unknown field 's3PrefixLogTypes[0].prefx'", so that a client sees what a
 * strict server would tell it. Null is not a string: an optional field is
 * either absent or of its type.
 */
#include "fake.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

enum ftype {
	F_STRING,
	F_BOOL,
	F_STREAM_TYPE,   /* string in the logStreamType enum */
	F_STRINGS,       /* array of strings */
	F_OPTIONS,       /* S3LogStreamTypeOptions object */
	F_PREFIXES,      /* array of PrefixLogTypesMapping objects */
};

struct field {
	const char *name;
	enum ftype type;
	int required;
	int create_only; /* part of a create body, unknown in a modify body */
};

/* One table for both bodies: a modify is a create without the two fields
 * that name the bucket (the contract's S3SourceModifyInput). */
static const struct field source_fields[] = {
	{ "awsAccountId", F_STRING, 1, 1 },
	{ "integrationLabel", F_STRING, 1, 0 },
	{ "kmsKey", F_STRING, 0, 0 },
	{ "logProcessingRole", F_STRING, 1, 0 },
	{ "logStreamType", F_STREAM_TYPE, 1, 0 },
	{ "logStreamTypeOptions", F_OPTIONS, 0, 0 },
	{ "managedBucketNotifications", F_BOOL, 1, 0 },
	{ "s3Bucket", F_STRING, 1, 1 },
	{ "s3PrefixLogTypes", F_PREFIXES, 1, 0 },
};

static const struct field options_fields[] = {
	{ "jsonArrayEnvelopeField", F_STRING, 0, 0 },
	{ "retainEnvelopeFields", F_BOOL, 0, 0 },
	{ "xmlRootElement", F_STRING, 0, 0 },
};

static const struct field prefix_fields[] = {
	{ "excludedPrefixes", F_STRINGS, 0, 0 },
	{ "logTypes", F_STRINGS, 0, 0 },
	{ "prefix", F_STRING, 0, 0 },
};

static const char *const stream_types[] = {
	"Auto", "JSON", "JsonArray", "Lines", "XML", "CloudWatchLogs",
};

static char *check_object(const json_t *obj, const struct field *fields, size_t n,
			  const char *path, int modify);

/* "a.b" or "b" when the parent path is empty; a new string. */
static char *join(const char *path, const char *name)
{
	return *path ? xasprintf("%s.%s", path, name) : xstrdup(name);
}

/* The field NAME of FIELDS, leaving out the create-only ones in a MODIFY. */
static const struct field *find_field(const struct field *fields, size_t n, const char *name,
				      int modify)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(modify && fields[i].create_only) && !strcmp(fields[i].name, name))
			return &fields[i];
	return NULL;
}

/* Checks one value of a known field; returns NULL or a new message. */
static char *check_value(const json_t *v, enum ftype type, const char *path)
{
	size_t i;
	json_t *item;

	switch (type) {
	case F_STRING:
		return json_is_string(v) ? NULL : xasprintf("field '%s' must be a string", path);
	case F_BOOL:
		return json_is_boolean(v) ? NULL : xasprintf("field '%s' must be a boolean", path);
	case F_STREAM_TYPE:
		if (!json_is_string(v))
			return xasprintf("field '%s' must be a string", path);
		for (i = 0; i < ARRAY_SIZE(stream_types); i++)
			if (!strcmp(json_string_value(v), stream_types[i]))
				return NULL;
		return xasprintf("field '%s' must be one of Auto, JSON, JsonArray, Lines, XML,"
				 " CloudWatchLogs, not '%s'", path, json_string_value(v));
	case F_STRINGS:
		if (!json_is_array(v))
			return xasprintf("field '%s' must be an array of strings", path);
		json_array_foreach(v, i, item)
			if (!json_is_string(item))
				return xasprintf("field '%s[%zu]' must be a string", path, i);
		return NULL;
	case F_OPTIONS:
		if (!json_is_object(v))
			return xasprintf("field '%s' must be an object", path);
		return check_object(v, options_fields, ARRAY_SIZE(options_fields), path, 0);
	case F_PREFIXES:
		if (!json_is_array(v))
			return xasprintf("field '%s' must be an array of objects", path);
		json_array_foreach(v, i, item) {
			char *sub = xasprintf("%s[%zu]", path, i);
			char *err = json_is_object(item)
				? check_object(item, prefix_fields, ARRAY_SIZE(prefix_fields), sub, 0)
				: xasprintf("field '%s' must be an object", sub);
			free(sub);
			if (err)
				return err;
		}
		return NULL;
	}
	return xasprintf("field '%s' has an unknown type", path);
}

static char *check_object(const json_t *obj, const struct field *fields, size_t n,
			  const char *path, int modify)
{
	const char *key;
	json_t *v;
	size_t i;
	char *err = NULL;

	/* jansson's iterator wants a non-const object; it does not modify it */
	json_object_foreach((json_t *)obj, key, v) {
		if (!find_field(fields, n, key, modify)) {
			char *p = join(path, key);
			err = xasprintf("unknown field '%s'", p);
			free(p);
			return err;
		}
	}
	for (i = 0; i < n && !err; i++) {
		char *p;

		if (modify && fields[i].create_only)
			continue;
		p = join(path, fields[i].name);
		v = json_object_get(obj, fields[i].name);
		if (v)
			err = check_value(v, fields[i].type, p);
		else if (fields[i].required)
			err = xasprintf("missing required field '%s'", p);
		free(p);
	}
	return err;
}

static char *check_body(const json_t *body, int modify)
{
	if (!json_is_object(body))
		return xstrdup("request body must be a JSON object");
	return check_object(body, source_fields, ARRAY_SIZE(source_fields), "", modify);
}

char *validate_create(const json_t *body)
{
	return check_body(body, 0);
}

char *validate_modify(const json_t *body)
{
	return check_body(body, 1);
}
