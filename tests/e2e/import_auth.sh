#!/usr/bin/env bash
# A refused token stops the run after the first wave: exit 3, every row
# recorded (the refused ones failed, the rest skipped), and the token appears
# in no output.
. "$(dirname "$0")/lib/common.bash"
start_fake --token "the-server-wants-another-token" --latency-ms 20

gen_csv 200 auth > "$T/in.csv"
set +e
"$S3SRC" import "$T/in.csv" --match none -j 4 --results "$T/r.csv" --failed "$T/f.csv" --progress > "$T/out.txt" 2> "$T/err.txt"
code=$?
set -e
assert_eq "$code" 3 "exit code on 401"
state > "$T/s.json"
posts=$(jq '.methods.POST // 0' "$T/s.json")
[ "$posts" -ge 1 ] && [ "$posts" -le 4 ] || fail "$posts requests reached the server (at most one wave of 4 expected)"
assert_eq "$(($(wc -l < "$T/r.csv") - 1))" 200 "result records"
failed=$(grep -c ',failed,401,' "$T/r.csv" || true)
skipped=$(grep -c ',skipped,' "$T/r.csv" || true)
assert_eq "$((failed + skipped))" 200 "failed + skipped"
assert_eq "$failed" "$posts" "failed rows = requests sent"
grep -q '401' "$T/err.txt" || grep -q 'token' "$T/err.txt" || fail "stderr does not say why"
assert_no_token "$T/out.txt" "$T/err.txt" "$T/r.csv" "$T/f.csv" "$T/fake.log"
ok "stopped after $posts requests, 200 rows recorded, token not printed"
grep -qF "  to continue: s3src import '$T/in.csv' --resume '$T/r.csv' (with the same options" "$T/err.txt" ||
	{ cat "$T/err.txt" >&2; fail "no --resume command in the summary after a 401"; }
ok "the summary gives the --resume command"
