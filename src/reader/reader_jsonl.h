/*
 * reader_jsonl.h - the JSONL back end of the reader (reader_jsonl.c): its
 * state and entry point, for reader.c only (see reader_csv.h).
 */
#ifndef S3SRC_READER_JSONL_H
#define S3SRC_READER_JSONL_H

#include "reader.h"

struct jsonl_reader {
	struct input *in;          /* borrowed from the reader */
	size_t row;                /* records handed out so far */
	char recerr[512];          /* storage behind record.error */
	json_t *obj;               /* new reference of the last record, or NULL */
};

/* As reader_next(); drops the previous record's object first. */
int jsonl_reader_next(struct jsonl_reader *r, struct record *rec, char *err, size_t errlen);
/* Drops the last record's object (not r, not the input). */
void jsonl_reader_release(struct jsonl_reader *r);

#endif
