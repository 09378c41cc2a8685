/*
 * curl_text.h - libcurl's result codes in s3src's own words, for the error
 * column of the results file and the terminal (spec: "Messages are the tool's
 * own words: libcurl's internal texts never reach a results file or the
 * terminal untranslated"). One table, in curl_text.c; its unit test checks
 * that every code the engine can report has its own entry.
 */
#ifndef S3SRC_CURL_TEXT_H
#define S3SRC_CURL_TEXT_H

/* The text of a CURLcode (an int so callers need not include curl.h): a
 * static string; codes without an entry of their own get a generic text
 * naming the code. Never NULL. */
const char *curl_code_text(int code);
/* 1 if code has an entry of its own in the table (for the unit test). */
int curl_code_has_text(int code);

#endif
