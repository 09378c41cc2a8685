#!/usr/bin/env bash
# report over a run and two re-runs of its failed rows: the server fails 30%
# of the requests (one attempt each in the first two runs), the user fixes a
# role in the failed-rows file and drops a duplicate row, the last re-run
# retries enough to get through.
# The re-runs' line numbers differ from the first run's: rows are matched by
# label. The report's final counts are the server's truth, the rows still
# failing are the two left unfixed, and its ID list is one `export --ids`
# accepts, covering every source on the server.
. "$(dirname "$0")/lib/common.bash"
start_fake --seed 7 --fail-rate 0.3

{
	echo 'Source Name,Account ID,Bucket,Role ARN,Stream Type,Managed Notifications,Prefix,Log Types'
	echo 'copy-a,123456789012,acme-dup,arn:aws:iam::123456789012:role/R,JSON,yes,logs/,AWS.ALB'
	echo 'copy-b,123456789012,acme-dup,arn:aws:iam::123456789012:role/R,JSON,yes,logs/,AWS.ALB'
	echo 'this-label-is-far-too-long-for-panther,123456789012,acme-long,arn:aws:iam::123456789012:role/R,JSON,yes,,AWS.S3'
	echo 'bad-role,123456789012,acme-role,PantherRole,JSON,yes,,AWS.S3'
	for i in $(seq 1 16); do
		echo "plain-$i,123456789012,acme-plain-$i,arn:aws:iam::123456789012:role/R,JSON,true,logs/,AWS.CloudTrail"
	done
} > "$T/sheet.csv"

run() { set +e; "$S3SRC" import "$@" --match none --no-progress -j 1 2>> "$T/err.txt"; local c=$?; set -e; echo "$c"; }
c1=$(run "$T/sheet.csv" --results "$T/r1.csv" --failed "$T/f1.csv" --max-attempts 1)
assert_eq "$c1" 1 "first run"
failed1=$(grep -c ',failed,' "$T/r1.csv" || true)
[ "$failed1" -ge 2 ] || fail "the first run had only $failed1 server failures: the faults were not exercised"

# the fixes: the role becomes an ARN; the duplicate of copy-a is dropped (re-run
# alone it would have no earlier line to collide with: that check is the server's)
grep -v '^copy-b,' "$T/f1.csv" | sed 's#,PantherRole,#,arn:aws:iam::123456789012:role/R,#' > "$T/fix1.csv"
c2=$(run "$T/fix1.csv" --results "$T/r2.jsonl" --failed "$T/f2.csv" --max-attempts 1)
assert_eq "$c2" 1 "second run"
c3=$(run "$T/f2.csv" --results "$T/r3.csv" --failed "$T/f3.csv" --max-attempts 20)
assert_eq "$c3" 1 "third run (two rows left invalid)"

set +e
"$S3SRC" report "$T/r1.csv" "$T/r2.jsonl" "$T/r3.csv" --ids-out "$T/ids.txt" > "$T/report.txt" 2> "$T/report.err"
code=$?
set -e
[ ! -s "$T/report.err" ] || { cat "$T/report.err" >&2; fail "report wrote to stderr"; }
assert_eq "$code" 1 "report exit code (rows still failing)"
grep -q '^report: 3 results files, .* 20 sources$' "$T/report.txt" || { cat "$T/report.txt" >&2; fail "not 20 sources"; }
grep -q '^latest outcome: 18 created, 2 invalid$' "$T/report.txt" || { cat "$T/report.txt" >&2; fail "final counts"; }
grep -q '^still failing: 2$' "$T/report.txt" || fail "rows still failing"
grep -q '^  copy-b  create invalid' "$T/report.txt" || fail "copy-b not listed as still failing"
grep -q '^  this-label-is-far-too-long-for-panther  create invalid' "$T/report.txt" || fail "long label not listed"
grep -q '^    integrationLabel: 1 (this-label-is-far-too-long-for-panther)' "$T/report.txt" || fail "no cause by field"

# the ID list: every source on the server, once, and export accepts it
state > "$T/s.json"
assert_eq "$(jq '.sources | length' "$T/s.json")" 18 "sources on the server"
jq -r '.sources[].integrationId' "$T/s.json" | sort > "$T/server-ids.txt"
grep -v '^#' "$T/ids.txt" | sort > "$T/report-ids.txt"
diff "$T/server-ids.txt" "$T/report-ids.txt" >&2 || fail "the report's IDs are not the server's"
"$S3SRC" export --ids "$T/ids.txt" -o "$T/backup.jsonl" --results "$T/ex.csv" --no-progress 2>> "$T/err.txt" \
	|| fail "export --ids rejected the report's ID list"
assert_eq "$(wc -l < "$T/backup.jsonl")" 18 "sources exported from the ID list"

# csv and jsonl: one record per source, the latest outcome
"$S3SRC" report "$T/r1.csv" "$T/r2.jsonl" "$T/r3.csv" --format jsonl > "$T/report.jsonl" || true
assert_eq "$(jq -s length "$T/report.jsonl")" 20 "jsonl records"
assert_eq "$(jcount "$T/report.jsonl" '.outcome == "created" and .integrationId != null')" 18 "created with an ID"
assert_eq "$(jq -r 'select(.integrationLabel == "bad-role") | .runs' "$T/report.jsonl")" 2 "bad-role seen in two runs"
"$S3SRC" report "$T/r1.csv" "$T/r2.jsonl" "$T/r3.csv" -o "$T/report.csv" || true
assert_eq "$(head -1 "$T/report.csv" | cut -d, -f1-4)" "integrationLabel,integrationId,action,outcome" "csv header"
# a results file that is also an output is refused
set +e
"$S3SRC" report "$T/r1.csv" --ids-out "$T/r1.csv" 2> /dev/null
assert_eq "$?" 2 "--ids-out over an input"
set -e
ok "$failed1 failures in the first run; after two re-runs 18 created, 2 still invalid; the ID list exports"
