/*
 * encoding.c - the text-encoding checks every reader of user files shares
 * (see encoding.h): the input reader (input.c, reader_csv.c, reader_jsonl.c)
 * and the --ids reader (ids.c) refuse the same things with the same words.
 */
#include "encoding.h"

#include <stdint.h>
#include <string.h>

const char *encoding_bom_name(const void *buf, size_t len)
{
	const unsigned char *b = buf;

	if (len >= 4 && !memcmp(b, "\xFF\xFE\0\0", 4))
		return "UTF-32 (little-endian)";
	if (len >= 4 && !memcmp(b, "\0\0\xFE\xFF", 4))
		return "UTF-32 (big-endian)";
	if (len >= 2 && !memcmp(b, "\xFF\xFE", 2))
		return "UTF-16 (little-endian)";
	if (len >= 2 && !memcmp(b, "\xFE\xFF", 2))
		return "UTF-16 (big-endian)";
	return NULL;
}

const char *encoding_text_problem(const char *s, size_t len)
{
	if (memchr(s, '\0', len))
		return "NUL byte";
	if (!utf8_valid(s, len))
		return "invalid UTF-8";
	return NULL;
}

int utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	const unsigned char *e = s + len;

	while (s < e) {
		/* ASCII fast path, eight bytes at a time */
		while ((size_t)(e - s) >= 8) {
			uint64_t w;
			memcpy(&w, s, 8);
			if (w & UINT64_C(0x8080808080808080))
				break;
			s += 8;
		}
		if (s == e)
			break;
		unsigned c = *s;
		if (c < 0x80) {
			s++;
			continue;
		}
		size_t n;
		unsigned cp, min;
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1; cp = c & 0x1F; min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2; cp = c & 0x0F; min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3; cp = c & 0x07; min = 0x10000;
		} else {
			return 0;
		}
		if ((size_t)(e - s) <= n)
			return 0;
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		s += n + 1;
	}
	return 1;
}
