#!/usr/bin/env bash
# import under faults: 400 rows against a server that fails 8% (5xx), throttles
# 8% (429 + Retry-After), resets 3% of connections (half of them ghosts: the
# write applied, the reply lost) and hangs 0.5%. No row may be missing from the
# results, every created ID must be the server's, every server source must be
# accounted for, and every ghost reported: found by its label after the run
# ("the reply was lost; found by its label"), or "probably created" when its
# retry did not end in a 409; never a silent success or a silent duplicate.
. "$(dirname "$0")/lib/common.bash"
start_fake --seed 42 --fail-rate 0.08 --throttle-rate 0.08 --retry-after 1 \
	--reset-rate 0.015 --ghost-rate 0.015 --hang-rate 0.005 --latency-ms 2

gen_csv 400 fault > "$T/in.csv"
set +e
"$S3SRC" import "$T/in.csv" -j 16 --timeout 2 --max-attempts 8 --results "$T/r.jsonl" --no-progress 2> "$T/err.txt"
code=$?
set -e
case $code in 0|1) ;; *) cat "$T/err.txt" >&2; fail "exit code $code";; esac
state > "$T/s.json"

assert_eq "$(jq -s length "$T/r.jsonl")" 400 "result records"
assert_eq "$(jq -s '[.[].row] | sort | . == [range(1;401)]' "$T/r.jsonl")" true "every row exactly once"
ghosts=$(jq '[.ghosts[] | select(.method == "POST")] | length' "$T/s.json")
[ "$ghosts" -gt 0 ] || fail "the drill injected no ghost (seed changed?)"
retries=$(jq -s '[.[] | select(.attempts > 1)] | length' "$T/r.jsonl")
[ "$retries" -gt 20 ] || fail "only $retries rows needed a retry: the faults were not exercised"

# every created ID is the server's ID for that label
jq -r '.sources[] | "\(.integrationLabel) \(.integrationId)"' "$T/s.json" | sort > "$T/server.txt"
jq -r 'select(.outcome == "created") | "\(.integrationLabel) \(.integrationId)"' "$T/r.jsonl" | sort > "$T/created.txt"
comm -13 "$T/server.txt" "$T/created.txt" > "$T/bogus.txt"
[ ! -s "$T/bogus.txt" ] || fail "created IDs not on the server: $(head -3 "$T/bogus.txt")"

# every server source is accounted for: created with its ID, or reported as probably created
jq -r 'select(.outcome == "failed" and (.error | test("probably was created|may have been created"))) | .integrationLabel' \
	"$T/r.jsonl" | sort > "$T/reported.txt"
comm -23 "$T/server.txt" "$T/created.txt" | cut -d' ' -f1 | sort > "$T/unaccounted.txt"
comm -23 "$T/unaccounted.txt" "$T/reported.txt" > "$T/lost.txt"
if [ -s "$T/lost.txt" ]; then
	while read -r l; do  # show what the results and the server say of each
		grep -F "\"$l\"" "$T/r.jsonl" || true
		jq -c --arg l "$l" '.ghosts[] | select(.integrationLabel == $l)' "$T/s.json"
	done < "$T/lost.txt" >&2
	fail "server sources nobody reported: $(head -3 "$T/lost.txt")"
fi

# every ghost is reported (never a silent success): found by its label, or failed
jq -r 'select(.outcome == "created" and .warning == "the reply was lost; found by its label") | .integrationLabel' \
	"$T/r.jsonl" | sort > "$T/found.txt"
[ -s "$T/found.txt" ] || fail "no lost reply was found by its label"
jq -r '.ghosts[] | select(.method == "POST") | .integrationLabel' "$T/s.json" | sort -u > "$T/ghosts.txt"
sort -u "$T/reported.txt" "$T/found.txt" | comm -23 "$T/ghosts.txt" - > "$T/silent.txt"
[ ! -s "$T/silent.txt" ] || fail "ghost creates not reported: $(head -3 "$T/silent.txt")"
# and no duplicate: one source per label
assert_eq "$(jq '[.sources[].integrationLabel] | length == (unique | length)' "$T/s.json")" true "one source per label"
# the summary counts retries
grep -qE 'retr(y|ies)' "$T/err.txt" || fail "no retry count in the summary"
ok "$(wc -l < "$T/created.txt") created ($(wc -l < "$T/found.txt") found by label after a lost reply), $ghosts ghosts reported, $retries rows retried, none lost"
