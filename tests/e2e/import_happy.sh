#!/usr/bin/env bash
# import, happy path: creates then modifies; the results match the server's
# state (IDs, labels); an invalid row is reported, written to the failed-rows
# file, fixed and re-run.
. "$(dirname "$0")/lib/common.bash"
start_fake

gen_csv 60 happy > "$T/in.csv"
"$S3SRC" import "$T/in.csv" -j 8 --results "$T/r1.jsonl" -q || fail "import exited $?"
assert_eq "$(jq -s length "$T/r1.jsonl")" 60 "result records"
assert_eq "$(jcount "$T/r1.jsonl" '.outcome == "created" and .action == "create" and .httpStatus == 201')" 60 "created rows"
assert_eq "$(jq -s '[.[].row] | sort | . == [range(1;61)]' "$T/r1.jsonl")" true "every row once"
state > "$T/s1.json"
assert_eq "$(jq '.sources | length' "$T/s1.json")" 60 "server sources"
# every created ID is the server's ID for that label
jq -r '.sources[] | "\(.integrationLabel) \(.integrationId)"' "$T/s1.json" | sort > "$T/server.txt"
jq -r '"\(.integrationLabel) \(.integrationId)"' "$T/r1.jsonl" | sort > "$T/results.txt"
cmp -s "$T/server.txt" "$T/results.txt" || fail "results IDs differ from the server's"
ok "60 creates match the server"

# modify 10 of them: by ID, new stream type and mapping
{
	echo "integrationId,integrationLabel,logProcessingRole,logStreamType,managedBucketNotifications,prefix,logTypes"
	head -10 "$T/server.txt" | while read -r label id; do
		echo "$id,$label,arn:aws:iam::123456789012:role/PantherLogProcessing,Lines,true,new/,AWS.S3ServerAccess"
	done
} > "$T/mod.csv"
"$S3SRC" import "$T/mod.csv" --results "$T/r2.jsonl" -q || fail "modify import exited $?"
assert_eq "$(jcount "$T/r2.jsonl" '.outcome == "modified" and .action == "modify" and .httpStatus == 200')" 10 "modified rows"
state > "$T/s2.json"
assert_eq "$(jq '[.sources[] | select(.logStreamType == "Lines" and .managedBucketNotifications == true and .s3PrefixLogTypes[0].prefix == "new/")] | length' "$T/s2.json")" 10 "modified on the server"
assert_eq "$(jq '[.sources[] | select(.awsAccountId == "123456789012")] | length' "$T/s2.json")" 60 "account kept"
ok "10 modifies applied"

# a file with one invalid row: exit 1, that row in the failed-rows file, the rest created
{
	echo "$CSV_HEADER"
	echo "mixed-1,123456789012,mixed-bucket-1,arn:aws:iam::123456789012:role/R,JSON,false,logs/,AWS.CloudTrail"
	echo "mixed 2!,123456789012,mixed-bucket-2,arn:aws:iam::123456789012:role/R,JSON,false,logs/,AWS.CloudTrail"
	echo "mixed-3,123456789012,mixed-bucket-3,arn:aws:iam::123456789012:role/R,JSON,false,logs/,AWS.CloudTrail"
} > "$T/mixed.csv"
set +e
(cd "$T" && "$S3SRC" import mixed.csv --results mixed.results.csv -q)
code=$?
set -e
assert_eq "$code" 1 "exit code with an invalid row"
[ -s "$T/mixed.failed.csv" ] || fail "no failed-rows file next to the results"
assert_eq "$(wc -l < "$T/mixed.failed.csv")" 2 "failed-rows lines (header + 1)"
grep -q '^integrationLabel,.*,error$' "$T/mixed.failed.csv" || fail "failed-rows header has no error column"
grep -q 'integrationLabel' <(sed -n 2p "$T/mixed.failed.csv") || fail "the error does not name the field"
head -1 "$T/mixed.results.csv" | grep -qx 'row,line,action,outcome,httpStatus,integrationId,integrationLabel,attempts,elapsedMs,error,warning,fingerprint,changes' ||
	fail "results CSV header"
# fix the row in the failed-rows file and re-run only it
sed -i 's/mixed 2!/mixed-2/' "$T/mixed.failed.csv"
"$S3SRC" import "$T/mixed.failed.csv" --results "$T/r3.jsonl" -q || fail "re-run of the fixed row exited $?"
assert_eq "$(jcount "$T/r3.jsonl" '.outcome == "created" and .integrationLabel == "mixed-2"')" 1 "fixed row created"
assert_eq "$(state | jq '.sources | length')" 63 "server sources after the re-run"
ok "failed-rows round trip"
