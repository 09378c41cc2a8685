/*
 * reader_jsonl.c - the JSONL back end of the reader: one JSON object per
 * line, parsed by jansson with JSON_REJECT_DUPLICATES.
 *
 * Lines end at LF (a CR before it is dropped) and may be of any length up to
 * READER_MAX_RECORD: input_line() grows its buffer, there is no fixed limit.
 * A line that is empty or only white space is skipped; it is not a record but
 * it counts for line numbers. A line that is not JSON or not an object is a
 * record with record.error set and the reader goes on.
 *
 * jansson says only "duplicate object key" for a repeated key; its error
 * position ends just after the offending key token, so the key is recovered
 * from the raw line and named in the message.
 */
#include "reader_jsonl.h"
#include "util.h"
#include "messages.h"

#include <stdio.h>
#include <string.h>

static int is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

static const char *type_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	default: return "an object";
	}
}

/* The key whose token ends at line[pos], as a new string (caller frees), or NULL. */
static char *duplicate_key(const char *line, size_t len, size_t pos)
{
	if (pos > len)
		return NULL;
	size_t q = pos;
	while (q > 0 && strchr(" \t\r\n", line[q - 1]))
		q--;
	if (q == 0 || line[q - 1] != '"')
		return NULL;
	size_t close = q - 1;
	/* The opening quote is the nearest '"' before it not escaped by an odd
	 * number of backslashes: a JSON string holds no other bare quote. */
	for (size_t o = close; o-- > 0;) {
		if (line[o] != '"')
			continue;
		size_t bs = 0;
		while (bs < o && line[o - 1 - bs] == '\\')
			bs++;
		if (bs % 2)
			continue;
		json_t *s = json_loadb(line + o, close - o + 1, JSON_DECODE_ANY, NULL);
		char *key = json_is_string(s) ? xstrdup(json_string_value(s)) : NULL;
		json_decref(s);
		return key;
	}
	return NULL;
}

void jsonl_reader_release(struct jsonl_reader *r)
{
	json_decref(r->obj);
	r->obj = NULL;
}

int jsonl_reader_next(struct jsonl_reader *r, struct record *rec, char *err, size_t errlen)
{
	jsonl_reader_release(r);
	for (;;) {
		const char *line;
		size_t len, eol;
		int rc = input_line(r->in, INPUT_EOL_LF, &line, &len, &eol, err, errlen);

		if (rc <= 0)
			return rc;
		if (is_blank(line, len))
			continue;

		rec->row = ++r->row;
		rec->line = input_lineno(r->in);
		rec->text = line;
		rec->textlen = len;

		json_error_t jerr;
		json_t *j = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
		if (!j) {
			char *key = NULL;
			if (json_error_code(&jerr) == json_error_duplicate_key)
				key = duplicate_key(line, len, (size_t)jerr.position);
			if (key)
				snprintf(r->recerr, sizeof(r->recerr), M_JSON_DUPLICATE_KEY, key);
			else
				snprintf(r->recerr, sizeof(r->recerr), M_JSON_INVALID,
					 jerr.column, jerr.text);
			free(key);
			rec->error = r->recerr;
		} else if (!json_is_object(j)) {
			snprintf(r->recerr, sizeof(r->recerr), M_JSON_NOT_OBJECT, type_name(j));
			json_decref(j);
			rec->error = r->recerr;
		} else {
			r->obj = j;        /* new reference, dropped by the next reader_next */
			rec->obj = j;      /* borrowed by the caller */
		}
		return 1;
	}
}
