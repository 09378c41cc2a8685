/*
 * encoding.h - what s3src accepts as text in a file a user gives it (the
 * input, an --ids list): UTF-8, with or without a BOM. A UTF-16 or UTF-32
 * file (what PowerShell's Out-File and some Excel exports write) is refused
 * as a whole with a message saying how to save it as UTF-8, never read as
 * garbage; a NUL byte or invalid UTF-8 in a line is an error naming the line.
 */
#ifndef S3SRC_ENCODING_H
#define S3SRC_ENCODING_H

#include <stddef.h>

/* The hint that follows a refused encoding in every message. */
#define ENCODING_HINT "save it as UTF-8 (Excel: 'CSV UTF-8'; PowerShell: -Encoding utf8)"

/* "UTF-16 (little-endian)" etc. when buf starts with a UTF-16/UTF-32 byte
 * order mark, else NULL. */
const char *encoding_bom_name(const void *buf, size_t len);
/* "NUL byte" or "invalid UTF-8" when s[0..len) is not text, else NULL. */
const char *encoding_text_problem(const char *s, size_t len);
/* 1 if s[0..len) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int utf8_valid(const char *s, size_t len);

#endif
