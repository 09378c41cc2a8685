/*
 * cell.c - one cell's value as the source rules read it: trimmed, as a
 * boolean (true/false yes/no y/n 1/0) or as a list (split on , ; | or
 * newline, or a JSON array). row_map.c reads every cell through these and
 * validate.c reads the boolean fields again with parse_bool(), so they live
 * here, below both, rather than in either.
 */
#include "source_internal.h"
#include "messages.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct cellv cellv_trim(const char *p, size_t n)
{
	while (n && is_blank((unsigned char)*p)) {
		p++;
		n--;
	}
	while (n && is_blank((unsigned char)p[n - 1]))
		n--;
	return (struct cellv){ p, n };
}

static int word_is(const char *p, size_t n, const char *w)
{
	return strlen(w) == n && !strncasecmp(p, w, n);
}

int parse_bool(const char *s, size_t len)
{
	struct cellv v = cellv_trim(s, len);
	static const char *const yes[] = { "true", "yes", "y", "1" };
	static const char *const no[] = { "false", "no", "n", "0" };
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (word_is(v.p, v.n, yes[i]))
			return 1;
		if (word_is(v.p, v.n, no[i]))
			return 0;
	}
	return -1;
}

/* The characters that separate a list cell's items (besides line breaks). */
static const char list_separators[] = ",;|";

char list_separator_in(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] && strchr(list_separators, p[i]))
			return p[i];
	return 0;
}

json_t *parse_list(const char *s, size_t len, char *err, size_t errlen)
{
	struct cellv v = cellv_trim(s, len);
	if (v.n && v.p[0] == '[') {
		json_error_t je;
		json_t *a = json_loadb(v.p, v.n, JSON_REJECT_DUPLICATES, &je);
		if (!a) {
			snprintf(err, errlen, M_LIST_BAD_JSON, je.text, je.column);
			return NULL;
		}
		if (!json_is_array(a)) {
			json_decref(a);
			snprintf(err, errlen, M_LIST_NOT_ARRAY);
			return NULL;
		}
		size_t i;
		json_t *it;
		json_array_foreach(a, i, it) {
			if (!json_is_string(it)) {
				json_decref(a);
				snprintf(err, errlen, M_LIST_NOT_STRINGS, i + 1);
				return NULL;
			}
		}
		return a;
	}
	json_t *a = json_array();
	const char *p = v.p, *end = v.p + v.n;
	while (p <= end) {
		const char *q = p;
		while (q < end && !(*q && strchr(list_separators, *q)) && *q != '\n' && *q != '\r')
			q++;
		struct cellv item = cellv_trim(p, (size_t)(q - p));
		if (item.n) {
			json_t *str = json_stringn_nocheck(item.p, item.n);
			if (!str) {
				json_decref(a);
				snprintf(err, errlen, M_LIST_UTF8);
				return NULL;
			}
			json_array_append_new(a, str);
		}
		p = q + 1;
	}
	return a;
}

