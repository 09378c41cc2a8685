#!/usr/bin/env bash
# Rate and concurrency limits: --rate 20 over 100 rows takes about 5 s (a
# generous band: this is a limit check, not a benchmark), and -j N never has
# more than N requests in flight at the server.
. "$(dirname "$0")/lib/common.bash"
start_fake --latency-ms 10

gen_csv 100 rate > "$T/in.csv"
t0=$(date +%s%N)
"$S3SRC" import "$T/in.csv" -j 8 --rate 20 --results "$T/r1.jsonl" -q || fail "import exited $?"
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
[ "$ms" -ge 4000 ] && [ "$ms" -le 12000 ] || fail "--rate 20 over 100 rows took $ms ms (expected about 5000)"
ok "--rate 20 over 100 rows: $ms ms"

for j in 1 3; do
	reset_fake
	gen_csv 40 "j$j" > "$T/in$j.csv"
	"$S3SRC" import "$T/in$j.csv" -j "$j" --results "$T/j$j.jsonl" -q || fail "-j $j import exited $?"
	max=$(state | jq .maxInFlight)
	[ "$max" -le "$j" ] || fail "-j $j: $max requests in flight at once"
	[ "$max" -ge 1 ] || fail "-j $j: maxInFlight $max"
	ok "-j $j: at most $max in flight"
done
