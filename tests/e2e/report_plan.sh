#!/usr/bin/env bash
# report over a plan's results file (hand-written, no server): would-create and
# would-modify are forecasts, not failures, and are counted by name; a conflict
# is still failing (plan exits 1 for it), under the cause "conflict".
. "$(dirname "$0")/lib/common.bash"
H='row,line,action,outcome,httpStatus,integrationId,integrationLabel,attempts,elapsedMs,error,warning,fingerprint,changes'
{
	echo "$H"
	echo '1,2,create,would-create,,,new-a,0,0,,,f1,'
	echo '2,3,modify,would-modify,200,id-b,b,1,5,,,f2,kmsKey'
	echo '3,4,create,unchanged,200,id-c,c,1,5,,,f3,'
} > "$T/plan.results.csv"
set +e
"$S3SRC" report "$T/plan.results.csv" > "$T/rep.txt" 2>&1
code=$?
set -e
assert_eq "$code" 0 "exit code (forecasts only: $(cat "$T/rep.txt"))"
grep -q "still failing: none" "$T/rep.txt" || fail "forecasts counted as failing: $(cat "$T/rep.txt")"
grep -q "1 would-create" "$T/rep.txt" || fail "would-create not counted by name: $(cat "$T/rep.txt")"
grep -q "1 would-modify" "$T/rep.txt" || fail "would-modify not counted by name: $(cat "$T/rep.txt")"
if grep -q " other" "$T/rep.txt"; then fail "a plan outcome counted as other: $(cat "$T/rep.txt")"; fi

echo "4,5,create,conflict,200,,d,1,5,source 'x' already ingests s3://b/p/; nothing was sent,,f4," >> "$T/plan.results.csv"
set +e
"$S3SRC" report "$T/plan.results.csv" > "$T/rep2.txt" 2>&1
code=$?
set -e
assert_eq "$code" 1 "exit code with a conflict"
grep -q "still failing: 1" "$T/rep2.txt" || fail "conflict not failing: $(cat "$T/rep2.txt")"
grep -q "1 conflict" "$T/rep2.txt" || fail "conflict not counted by name: $(cat "$T/rep2.txt")"
echo "ok: report over a plan's results"
