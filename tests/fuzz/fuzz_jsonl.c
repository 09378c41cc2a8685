/*
 * fuzz_jsonl.c - libFuzzer harness: a JSONL input file (plain or gzip) through
 * the JSONL reader, mapping, validation, duplicate checks and body building,
 * and the results and failed-rows writers (see fuzz_pipeline.h).
 */
#include "fuzz_pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_pipeline(data, size, FORMAT_JSONL);
}
