#!/usr/bin/env bash
# plan, then import: one 20-row sheet (5 new, 5 changed, 5 identical, 5
# invalid). plan sends no write (GETs only), sorts the rows so and exits 1
# (invalid rows); import then makes exactly 10 writes (5 POST, 5 PUT) with the
# same outcomes as the plan said; the default results name; the terminal diff.
. "$(dirname "$0")/lib/common.bash"
start_fake

ROLE=arn:aws:iam::123456789012:role/PantherLogProcessing
gen_csv 15 pl > "$T/seed.csv"
"$S3SRC" import "$T/seed.csv" --results "$T/seed.jsonl" -q || fail "seed import exited $?"
state | jq -r '.sources[] | "\(.integrationLabel) \(.integrationId) \(.s3Bucket)"' | sort > "$T/ids.txt"
mapfile -t rows < "$T/ids.txt"

H="integrationId,integrationLabel,awsAccountId,s3Bucket,logProcessingRole,logStreamType,managedBucketNotifications,prefix,logTypes"
{
	echo "$H"
	for i in 1 2 3 4 5; do            # new: creates
		echo ",pl-new-$i,123456789012,pl-new-bucket-$i,$ROLE,JSON,false,logs/,AWS.CloudTrail"
	done
	for i in 0 1 2 3 4; do            # changed: a new label and log type, nothing else given
		read -r label id bucket <<<"${rows[$i]}"
		echo "$id,$label-v2,,,,,,logs/,AWS.S3ServerAccess"
	done
	for i in 5 6 7 8 9; do            # identical: what the server has
		read -r label id bucket <<<"${rows[$i]}"
		echo "$id,$label,123456789012,$bucket,$ROLE,json,false,logs/,AWS.CloudTrail"
	done
	for i in 10 11 12 13 14; do       # invalid: another bucket
		read -r label id bucket <<<"${rows[$i]}"
		echo "$id,$label,,$bucket-moved,,,,,"
	done
} > "$T/sheet.csv"

state | jq -S .sources > "$T/before.json"
m0=$(state | jq -c .methods)
rc=0; "$S3SRC" plan "$T/sheet.csv" -q || rc=$?
assert_eq "$rc" 1 "plan exit code with invalid rows"
plan_results=$(ls "$T"/s3src-plan-*.results.csv)
[ -s "$plan_results" ] || fail "no default plan results file"
tail -n +2 "$plan_results" | cut -d, -f4 | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ' > "$T/plan.counts"
assert_eq "$(cat "$T/plan.counts")" "invalid=5 unchanged=5 would-create=5 would-modify=5 " "plan outcomes"
m1=$(state | jq -c .methods)
assert_eq "$(jq -n --argjson a "$m0" --argjson b "$m1" '[($b | keys[]) | select(. != "GET") | select(($b[.] // 0) != ($a[.] // 0))] | length')" 0 "writes sent by plan"
assert_eq "$(jq -n --argjson a "$m0" --argjson b "$m1" '($b.GET // 0) - ($a.GET // 0)')" 15 "GETs sent by plan (one per modify row)"
cmp -s "$T/before.json" <(state | jq -S .sources) || fail "plan changed the server"
assert_eq "$(grep -c 'integrationLabel; s3PrefixLogTypes' "$plan_results")" 5 "plan's changes column"
ls "$T"/s3-sources-before-import-* > /dev/null 2>&1 && fail "plan wrote a backup"
ok "plan: no write, 5 would-create, 5 would-modify, 5 unchanged, 5 invalid"

# import does what the plan said, with exactly 10 writes
rc=0; "$S3SRC" import "$T/sheet.csv" --results "$T/import.jsonl" -q || rc=$?
assert_eq "$rc" 1 "import exit code with invalid rows"
m2=$(state | jq -c .methods)
assert_eq "$(jq -n --argjson a "$m1" --argjson b "$m2" '(($b.POST // 0) - ($a.POST // 0)) + (($b.PUT // 0) - ($a.PUT // 0)) + (($b.DELETE // 0) - ($a.DELETE // 0))')" 10 "writes sent by import"
jq -r '.outcome' "$T/import.jsonl" | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ' > "$T/import.counts"
assert_eq "$(cat "$T/import.counts")" "created=5 invalid=5 modified=5 unchanged=5 " "import outcomes"
# row by row, the plan's word is the import's deed
paste -d' ' <(tail -n +2 "$plan_results" | cut -d, -f1,4 | sort -t, -k1,1n | cut -d, -f2) \
	<(jq -r '"\(.row) \(.outcome)"' "$T/import.jsonl" | sort -k1,1n | cut -d' ' -f2) |
	sed 's/would-create created/ok/; s/would-modify modified/ok/; s/unchanged unchanged/ok/; s/invalid invalid/ok/' |
	sort -u > "$T/agree.txt"
assert_eq "$(cat "$T/agree.txt")" "ok" "plan and import agree row by row"
assert_eq "$(state | jq '[.sources[] | select(.s3PrefixLogTypes[0].logTypes == ["AWS.S3ServerAccess"])] | length')" 5 "changed on the server"
ok "import: 10 writes, the outcomes the plan announced"

# the modify half of the sheet again: nothing to write
grep -v '^,' "$T/sheet.csv" > "$T/modify-half.csv"
m3=$(state | jq -c .methods)
rc=0; "$S3SRC" import "$T/modify-half.csv" --results "$T/again.jsonl" -q || rc=$?
assert_eq "$rc" 1 "exit code (the invalid rows are still invalid)"
assert_eq "$(jcount "$T/again.jsonl" '.outcome == "unchanged"')" 10 "unchanged on the second run"
assert_eq "$(state | jq -c .methods | jq --argjson a "$m3" '(.PUT // 0) - ($a.PUT // 0)')" 0 "PUTs on the second run"
ok "a second run of the modify rows writes nothing"

# on a terminal, plan prints each would-modify row's diff
head -1 "$T/sheet.csv" > "$T/one.csv"
read -r label id bucket <<<"${rows[0]}"
echo "$id,$label-v3,,,,,,," >> "$T/one.csv"
script -qec "\"$S3SRC\" plan \"$T/one.csv\" --results \"$T/tty.jsonl\" --no-progress" /dev/null > "$T/tty.txt" 2>&1 || true
grep -q "row 1, would modify '$label-v3' ($id):" "$T/tty.txt" || fail "no diff header on the terminal: $(cat "$T/tty.txt")"
grep -q "integrationLabel: $label-v2 -> $label-v3" "$T/tty.txt" || fail "no diff line on the terminal: $(cat "$T/tty.txt")"
assert_eq "$(jq -r .outcome "$T/tty.jsonl")" "would-modify" "tty plan outcome"
ok "plan shows the diff on a terminal"
