#!/usr/bin/env bash
# SIGINT halfway through 1,500 rows, then --resume: exit 3 with every row
# recorded, then exit 0; the server holds each source once and no create was
# sent twice.
. "$(dirname "$0")/lib/common.bash"
start_fake --latency-ms 5

gen_csv 1500 resume > "$T/in.csv"
"$S3SRC" import "$T/in.csv" -j 4 --results "$T/r1.jsonl" -q &
pid=$!
for _ in $(seq 400); do
	[ -f "$T/r1.jsonl" ] && [ "$(wc -l < "$T/r1.jsonl")" -ge 500 ] && break
	sleep 0.02
done
kill -INT "$pid"
set +e
wait "$pid"
code=$?
set -e
assert_eq "$code" 3 "exit code after SIGINT"
assert_eq "$(jq -s length "$T/r1.jsonl")" 1500 "rows recorded after SIGINT"
done1=$(jcount "$T/r1.jsonl" '.outcome == "created"')
skipped1=$(jcount "$T/r1.jsonl" '.outcome == "skipped"')
[ "$done1" -ge 500 ] && [ "$done1" -lt 1500 ] || fail "$done1 created before the interrupt"
assert_eq "$((done1 + skipped1))" 1500 "created + skipped"
assert_eq "$(state | jq '.sources | length')" "$done1" "server sources after the interrupt"

"$S3SRC" import "$T/in.csv" -j 8 --resume "$T/r1.jsonl" --results "$T/r2.jsonl" -q || fail "resume exited $?"
assert_eq "$(jcount "$T/r2.jsonl" '.outcome == "skipped" and (.integrationId | length) > 0')" "$done1" "skipped with their IDs"
assert_eq "$(jcount "$T/r2.jsonl" '.outcome == "created"')" "$((1500 - done1))" "created on resume"
state > "$T/s.json"
assert_eq "$(jq '.sources | length' "$T/s.json")" 1500 "server sources"
assert_eq "$(jq '[.postsByLabel[]] | all(. == 1)' "$T/s.json")" true "each create sent once"
assert_eq "$(jq '.postsByLabel | length' "$T/s.json")" 1500 "labels posted"
ok "interrupted after $done1, resumed, 1500 sources, no create sent twice"
