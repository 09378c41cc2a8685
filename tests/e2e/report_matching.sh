#!/usr/bin/env bash
# report's matching rules on hand-written results files (no server): a row is
# matched by label for a create and by integrationId otherwise, a create's ID
# finds its later modify, a later skip never hides an earlier success, a
# resumed skip carries its ID into --ids-out, and a row with neither label nor
# ID stays a row of its own.
. "$(dirname "$0")/lib/common.bash"
H='row,line,action,outcome,httpStatus,integrationId,integrationLabel,attempts,elapsedMs,error,warning,fingerprint'
{
	echo "$H"
	echo '1,2,create,created,201,id-a,a,1,5,,,fa'
	echo '2,3,create,failed,503,,b,5,9,HTTP 503 (after 5 attempts),,fb'
	echo '3,4,create,invalid,,,,0,0,integrationLabel: missing,,fc'
	echo '4,5,create,failed,400,,c,1,3,HTTP 400: bad bucket,,fd'
} > "$T/r1.csv"
{
	echo '{"row":1,"line":2,"action":"create","outcome":"skipped","httpStatus":null,"integrationId":null,"integrationLabel":"a","attempts":0,"elapsedMs":0,"error":"not sent: the run was interrupted","warning":null,"fingerprint":"fa"}'
	echo '{"row":2,"line":3,"action":"create","outcome":"created","httpStatus":201,"integrationId":"id-b","integrationLabel":"b","attempts":1,"elapsedMs":4,"error":null,"warning":null,"fingerprint":"fb"}'
	echo '{"row":3,"line":4,"action":"modify","outcome":"modified","httpStatus":200,"integrationId":"id-a","integrationLabel":"a-renamed","attempts":1,"elapsedMs":4,"error":null,"warning":null,"fingerprint":"fe"}'
	echo '{"row":4,"line":5,"action":"create","outcome":"skipped","httpStatus":null,"integrationId":"id-d","integrationLabel":"d","attempts":0,"elapsedMs":0,"error":"already done in '"'"'old.csv'"'"' (--resume): not sent again","warning":null,"fingerprint":"ff"}'
} > "$T/r2.jsonl"

set +e
"$S3SRC" report "$T/r1.csv" "$T/r2.jsonl" --format jsonl --ids-out "$T/ids.txt" > "$T/rep.jsonl"
code=$?
set -e
assert_eq "$code" 1 "exit code (c and the unlabelled row still failing)"
assert_eq "$(jq -s length "$T/rep.jsonl")" 5 "sources: a, b, the unlabelled row, c, d"
get() { jq -r --arg l "$1" --arg k "$2" 'select(.integrationLabel == $l) | .[$k] // ""' "$T/rep.jsonl"; }
assert_eq "$(get a-renamed outcome)" modified "a: created, skipped, then modified through its ID"
assert_eq "$(get a-renamed runs)" 3 "a seen three times"
assert_eq "$(get b outcome)" created "b: failed, then created"
assert_eq "$(get c outcome)" failed "c: still failing"
assert_eq "$(get c cause)" "rejected by the server" "c's cause"
assert_eq "$(get d outcome)" skipped "d: done by an earlier run"
assert_eq "$(jq -r 'select(.integrationLabel == null) | .outcome' "$T/rep.jsonl")" invalid "the row without label or ID"
assert_eq "$(grep -v '^#' "$T/ids.txt" | tr '\n' ' ')" "id-a id-b id-d " "IDs created or modified"

"$S3SRC" report "$T/r1.csv" "$T/r2.jsonl" > "$T/rep.txt" || true
grep -q '^latest outcome: 1 created, 1 modified, 1 skipped, 1 invalid, 1 failed$' "$T/rep.txt" ||
	{ cat "$T/rep.txt" >&2; fail "table counts"; }
grep -q '^    HTTP 400: bad bucket: 1 (c)$' "$T/rep.txt" || fail "rejected by message"

# errors: no file, a file that is not a results file
set +e
"$S3SRC" report 2> "$T/e1.txt"; assert_eq "$?" 2 "no file"
echo 'a,b' > "$T/x.csv"
"$S3SRC" report "$T/x.csv" 2> "$T/e2.txt"; assert_eq "$?" 2 "not a results file"
set -e
grep -q "x.csv:1: not a results file (no 'outcome' column)" "$T/e2.txt" || fail "message for a non-results file"
ok "label and ID matching, skips, resumed IDs, rows of their own"
