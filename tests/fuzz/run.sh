#!/usr/bin/env bash
# tests/fuzz/run.sh - builds the libFuzzer harnesses (clang, -DS3SRC_FUZZ=ON,
# ASan + UBSan) in build-fuzz and runs each for SECONDS (default 5), one after
# the other, one process each (the machine has 2 cores; no -jobs: that forks
# workers that log to ./fuzz-N.log). Starts from the committed
# seed corpus (tests/fuzz/corpus/NAME) and a working corpus in
# build-fuzz/fuzz/corpus/NAME that grows across runs (never committed).
# A crash stops the run: the reproducer is written to build-fuzz/fuzz/crash/;
# minimise it, add it to tests/fuzz/regress/NAME/, fix the bug (ctest's
# fuzz_replay_NAME replays it from then on).
#
#   tests/fuzz/run.sh            every harness, 5 s each (tests/run.sh)
#   tests/fuzz/run.sh 300        the long run (docs/reliability.md)
#   tests/fuzz/run.sh 60 fuzz_csv   one harness
# A summary line per harness (executions, coverage, corpus) goes to stdout and
# to build-fuzz/fuzz/summary.txt.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-5}
shift || true
harnesses=${*:-fuzz_csv fuzz_jsonl fuzz_resume fuzz_response fuzz_listing}
bd=$top/build-fuzz

cmake -S "$top" -B "$bd" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DS3SRC_FUZZ=ON >/dev/null
# shellcheck disable=SC2086
cmake --build "$bd" -j2 --target $harnesses >/dev/null

mkdir -p "$bd/fuzz/crash"
: > "$bd/fuzz/summary.txt"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for h in $harnesses; do
	work=$bd/fuzz/corpus/$h
	mkdir -p "$work"
	log=$bd/fuzz/$h.log
	echo "== $h for ${secs}s"
	set +e
	"$bd/fuzz/$h" -max_total_time="$secs" -max_len=65536 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$bd/fuzz/crash/$h-" \
		"$work" "$top/tests/fuzz/corpus/$h" >"$log" 2>&1
	rc=$?
	set -e
	# libFuzzer's last status line: "#N DONE cov: C ft: F corp: K/S ..."
	last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	line="$h: rc=$rc seconds=$secs execs=${execs:-?} ${last#* }"
	echo "$line" | tee -a "$bd/fuzz/summary.txt"
	if [ "$rc" != 0 ]; then
		grep -E 'ERROR|SUMMARY|oracle|Test unit written' "$log" | head -20 >&2 || true
		echo "FAIL: $h found a crash (log: $log)" >&2
		exit 1
	fi
done
