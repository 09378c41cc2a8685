#!/usr/bin/env bash
# Pacing to a rate limit the user does not know: against fake-panther
# --rate-limit 20 --rate-burst 5, 120 creates at -j 16 all succeed, at most 15%
# of the requests are answered 429 (hammering with -j 16 and backoff alone
# loses well over half of them), and the summary says the run was paced.
# Then --rate stays a hard ceiling: with --rate 5 under the same limit the
# server never refuses anything (the ceiling is below its rate).
. "$(dirname "$0")/lib/common.bash"
start_fake --latency-ms 20 --rate-limit 20 --rate-burst 5

gen_csv 120 paced > "$T/in.csv"
"$S3SRC" import "$T/in.csv" -j 16 --results "$T/r.csv" 2>"$T/err" || fail "import exited $?: $(cat "$T/err")"
state > "$T/state.json"
created=$(jq '.counts["201"] // 0' "$T/state.json")
refused=$(jq '.counts["429"] // 0' "$T/state.json")
[ "$created" = 120 ] || fail "$created of 120 created"
[ $((refused * 100)) -le $(((created + refused) * 15)) ] ||
	fail "$refused of $((created + refused)) requests answered 429 (over 15%)"
grep -q "paced to the server's rate limit" "$T/err" || fail "the summary does not say the run was paced: $(cat "$T/err")"
ok "120 creates at -j 16 under a 20/s limit: $refused requests answered 429"

reset_fake
gen_csv 15 ceil > "$T/in2.csv"
"$S3SRC" import "$T/in2.csv" -j 16 --rate 5 --results "$T/r2.csv" -q || fail "import with --rate 5 exited $?"
[ "$(state | jq '.counts["429"] // 0')" = 0 ] || fail "--rate 5 under a 20/s limit was throttled"
[ "$(state | jq '.counts["201"]')" = 15 ] || fail "--rate 5: not 15 created"
ok "--rate 5 under a 20/s limit: no 429"
