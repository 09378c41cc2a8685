#!/usr/bin/env bash
# The summaries' counts take the singular for 1: list's "1 page, 1 request
# (0 retries)", import's "requests: 2 (1 retry, ...)", the pacing line's
# "(1 cut)". A retry needs a fault: the fake's seeded 5xx decide it, so seeds
# are tried until one run of a single create took exactly one retry. Pacing
# cuts depend on timing: the cut count is checked to agree with its word.
. "$(dirname "$0")/lib/common.bash"

start_fake
"$S3SRC" list > /dev/null 2> "$T/l.err" || fail "list exited $?: $(cat "$T/l.err")"
grep -q '^list: 0 S3 sources in [0-9.]* s, 1 page, 1 request (0 retries)$' "$T/l.err" ||
	fail "list summary: $(cat "$T/l.err")"
stop_fake
ok "list: 1 page, 1 request"

gen_csv 1 gram > "$T/in.csv"
found=
for seed in 4 5 6 8 11 13 14 15 16 17; do
	start_fake --seed "$seed" --fail-rate 0.5
	"$S3SRC" import "$T/in.csv" --match none --no-progress -j 1 --results "$T/r$seed.jsonl" 2> "$T/e$seed" ||
		fail "import exited $?: $(cat "$T/e$seed")"
	stop_fake
	if grep -q '^  requests: 2 (' "$T/e$seed"; then
		found=$seed
		break
	fi
done
[ -n "$found" ] || fail "no seed gave a single retry"
grep -q '^  requests: 2 (1 retry, 0 throttled), ' "$T/e$found" || fail "import summary: $(cat "$T/e$found")"
ok "import: 1 retry (seed $found)"

start_fake --rate-limit 10 --rate-burst 2
gen_csv 12 cut > "$T/in2.csv"
"$S3SRC" import "$T/in2.csv" --match none --no-progress -j 4 --results "$T/r2.jsonl" 2> "$T/e2" ||
	fail "paced import exited $?: $(cat "$T/e2")"
if line=$(grep "paced to the server's rate limit" "$T/e2"); then
	case "$line" in
	*'(1 cut)'|*'('[02-9]' cuts)'|*'('[1-9][0-9]*' cuts)') ;;
	*) fail "pacing line: $line" ;;
	esac
	ok "pacing: ${line##*(}"
fi
