/*
 * fuzz_csv.c - libFuzzer harness: a CSV input file (plain or gzip) through the
 * reader, header and row mapping, validation, duplicate checks and body
 * building, and the results and failed-rows writers (fuzz_pipeline.h says
 * what the first byte selects and which oracles are checked).
 */
#include "fuzz_pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_pipeline(data, size, FORMAT_CSV);
}
