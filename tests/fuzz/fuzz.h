/*
 * fuzz.h - what the libFuzzer harnesses in tests/fuzz/ share: the entry point
 * every harness defines, and a scratch folder for the files a harness hands to
 * code that reads or writes paths (the readers take a path, not a buffer).
 *
 * Each harness is built twice (cmake/area-fuzz.cmake): with -DS3SRC_FUZZ=ON
 * and clang as a libFuzzer binary (fuzz_NAME), and always as a plain program
 * (fuzz_replay_NAME, replay.c) that runs every file of its seed corpus and of
 * tests/fuzz/regress/NAME/ once; ctest runs the latter, so a crash found once
 * stays a regression case of the normal test suite.
 *
 * The scratch folder is on /dev/shm when it is writable (a tmpfs: no disk
 * writes per execution), else $TMPDIR or /tmp, one per process, removed at
 * exit.
 */
#ifndef S3SRC_FUZZ_H
#define S3SRC_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The scratch folder (created on first call, removed at exit). Borrowed. */
const char *fuzz_scratch(void);
/* "SCRATCH/name" holding exactly data[0..size). Returns the path (static
 * buffer per slot: slot 0..3). Aborts on an I/O error (not a finding). */
const char *fuzz_write_file(int slot, const char *name, const uint8_t *data, size_t size);
/* Removes the files of the scratch folder (not the folder). */
void fuzz_scratch_clean(void);

#endif
