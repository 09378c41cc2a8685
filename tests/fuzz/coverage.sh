#!/usr/bin/env bash
# tests/fuzz/coverage.sh - line coverage of the code under test reached by the
# fuzz corpora: builds the replay programs (fuzz_replay_NAME) with clang's
# source-based coverage in build-fuzzcov, replays the committed seeds, the
# regressions and the working corpus that tests/fuzz/run.sh grew in
# build-fuzz/fuzz/corpus/NAME, and prints llvm-cov's per-file report for the
# files each harness targets (docs/reliability.md quotes it).
#
#   tests/fuzz/coverage.sh            every harness
#   tests/fuzz/coverage.sh fuzz_csv
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
harnesses=${*:-fuzz_csv fuzz_jsonl fuzz_resume fuzz_response}
bd=$top/build-fuzzcov
cov="-fprofile-instr-generate -fcoverage-mapping"
cmake -S "$top" -B "$bd" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
	-DCMAKE_C_FLAGS="$cov" -DCMAKE_EXE_LINKER_FLAGS="$cov" >/dev/null
targets=""
for h in $harnesses; do targets="$targets fuzz_replay_$h"; done
# shellcheck disable=SC2086
cmake --build "$bd" -j2 --target $targets >/dev/null

declare -A files=(
	[fuzz_csv]="input.c reader.c reader_csv.c header.c cell.c row_map.c validate.c diag.c dupcheck.c body.c source.c results.c failed.c"
	[fuzz_jsonl]="input.c reader.c reader_jsonl.c header.c cell.c row_map.c validate.c diag.c dupcheck.c body.c source.c failed.c"
	[fuzz_resume]="resume.c ids.c writers_util.c"
	[fuzz_response]="run.c export_writer.c results.c"
)
for h in $harnesses; do
	prof=$bd/$h.profraw
	dirs=("$top/tests/fuzz/corpus/$h")
	[ -d "$top/tests/fuzz/regress/$h" ] && dirs+=("$top/tests/fuzz/regress/$h")
	[ -d "$top/build-fuzz/fuzz/corpus/$h" ] && dirs+=("$top/build-fuzz/fuzz/corpus/$h")
	LLVM_PROFILE_FILE=$prof "$bd/tests/fuzz_replay_$h" "${dirs[@]}" 2>/dev/null | tail -1
	llvm-profdata merge -sparse "$prof" -o "$bd/$h.profdata"
	srcs=()
	for f in ${files[$h]}; do srcs+=("$top"/src/*/"$f"); done
	echo "== $h"
	llvm-cov report "$bd/tests/fuzz_replay_$h" -instr-profile="$bd/$h.profdata" "${srcs[@]}" |
		awk '{ sub(".*/src/", "src/"); print }'
done
