#!/usr/bin/env bash
# plan, then import: one 20-row sheet (5 new, 5 changed, 5 identical, 5
# invalid). plan sends no write (the listing and GETs only), sorts the rows so
# and exits 1 (invalid rows); import then makes exactly 10 writes (5 POST, 5
# PUT) with the same outcomes as the plan said; the same sheet again makes none
# and gets no 409 (label matching); a create on a bucket and prefix the server
# already ingests is a conflict; a listing that cannot be read stops the run
# before any write (exit 2, naming --match none); the terminal diff.
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

# writes the server received: POST, PUT, DELETE, less the listing's POSTs
writes() { state | jq '(.methods.POST // 0) - (.listPages // 0) + (.methods.PUT // 0) + (.methods.DELETE // 0)'; }
state | jq -S .sources > "$T/before.json"
w0=$(writes)
m0=$(state | jq -c .methods)
rc=0; "$S3SRC" plan "$T/sheet.csv" -q || rc=$?
assert_eq "$rc" 1 "plan exit code with invalid rows"
plan_results=$(ls "$T"/s3src-plan-*.results.csv)
[ -s "$plan_results" ] || fail "no default plan results file"
tail -n +2 "$plan_results" | cut -d, -f4 | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ' > "$T/plan.counts"
assert_eq "$(cat "$T/plan.counts")" "invalid=5 unchanged=5 would-create=5 would-modify=5 " "plan outcomes"
m1=$(state | jq -c .methods)
assert_eq "$(writes)" "$w0" "writes sent by plan"
assert_eq "$(jq -n --argjson a "$m0" --argjson b "$m1" '($b.GET // 0) - ($a.GET // 0)')" 15 "GETs sent by plan (one per modify row)"
cmp -s "$T/before.json" <(state | jq -S .sources) || fail "plan changed the server"
assert_eq "$(grep -c 'integrationLabel; s3PrefixLogTypes' "$plan_results")" 5 "plan's changes column"
ls "$T"/s3-sources-before-import-* > /dev/null 2>&1 && fail "plan wrote a backup"
ok "plan: no write, 5 would-create, 5 would-modify, 5 unchanged, 5 invalid"

# import does what the plan said, with exactly 10 writes
rc=0; "$S3SRC" import "$T/sheet.csv" --results "$T/import.jsonl" -q || rc=$?
assert_eq "$rc" 1 "import exit code with invalid rows"
assert_eq "$(writes)" "$((w0 + 10))" "writes sent by import"
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

# the same sheet again: the new rows' labels exist now, so they are modifies
# of those sources (label matching), and nothing has anything left to change
w1=$(writes)
rc=0; "$S3SRC" import "$T/sheet.csv" --results "$T/again.jsonl" -q || rc=$?
assert_eq "$rc" 1 "exit code (the invalid rows are still invalid)"
assert_eq "$(jcount "$T/again.jsonl" '.outcome == "unchanged"')" 15 "unchanged on the second run"
assert_eq "$(jcount "$T/again.jsonl" '.outcome == "unchanged" and .action == "modify" and (.integrationLabel | startswith("pl-new-"))')" 5 "new rows matched by label"
assert_eq "$(writes)" "$w1" "writes on the second run"
assert_eq "$(state | jq '.counts["409"] // 0')" 0 "409s"
ok "the same sheet again: no write, no 409"

# a create on a bucket and prefix the server already ingests: conflict
read -r label id bucket <<<"${rows[0]}"
{
	echo "$H"
	echo ",pl-clash,123456789012,$bucket,$ROLE,JSON,false,logs/,AWS.CloudTrail"
	echo ",pl-beside,123456789012,$bucket,$ROLE,JSON,false,other/,AWS.CloudTrail"
} > "$T/clash.csv"
rc=0; "$S3SRC" plan "$T/clash.csv" --results "$T/clash-plan.jsonl" -q || rc=$?
assert_eq "$rc" 1 "plan exit code with a conflict"
assert_eq "$(jq -r 'select(.outcome == "conflict") | .error' "$T/clash-plan.jsonl")" \
	"source '$label-v2' already ingests s3://$bucket/logs/; nothing was sent" "conflict row"
assert_eq "$(jcount "$T/clash-plan.jsonl" '.outcome == "would-create" and .integrationLabel == "pl-beside" and .attempts == 1')" 1 "another prefix on the same bucket"
w2=$(writes)
rc=0; "$S3SRC" import "$T/clash.csv" --results "$T/clash.jsonl" -q || rc=$?
assert_eq "$rc" 1 "import exit code with a conflict"
assert_eq "$(jcount "$T/clash.jsonl" '.outcome == "failed" and (.error | test("already ingests"))')" 1 "conflict row failed"
assert_eq "$(jcount "$T/clash.jsonl" '.outcome == "created" and .integrationLabel == "pl-beside"')" 1 "the other row created"
assert_eq "$(writes)" "$((w2 + 1))" "writes with a conflict"
ok "a create on an ingested bucket and prefix: conflict in plan, failed in import, not sent"

# on a terminal, plan prints each would-modify row's diff
head -1 "$T/sheet.csv" > "$T/one.csv"
read -r label id bucket <<<"${rows[0]}"
echo "$id,$label-v3,,,,,,," >> "$T/one.csv"
script -qec "\"$S3SRC\" plan \"$T/one.csv\" --results \"$T/tty.jsonl\" --no-progress" /dev/null > "$T/tty.txt" 2>&1 || true
grep -q "row 1, would modify '$label-v3' ($id):" "$T/tty.txt" || fail "no diff header on the terminal: $(cat "$T/tty.txt")"
grep -q "integrationLabel: $label-v2 -> $label-v3" "$T/tty.txt" || fail "no diff line on the terminal: $(cat "$T/tty.txt")"
assert_eq "$(jq -r .outcome "$T/tty.jsonl")" "would-modify" "tty plan outcome"
ok "plan shows the diff on a terminal"

# the listing cannot be read: nothing written, exit 2, --match none named
stop_fake
start_fake --listing-fail 403
rc=0; "$S3SRC" plan "$T/sheet.csv" --results "$T/nl.jsonl" -q 2> "$T/nl.err" || rc=$?
assert_eq "$rc" 2 "exit code when the listing fails"
grep -q -- '--match none' "$T/nl.err" || fail "the message does not name --match none: $(cat "$T/nl.err")"
rc=0; "$S3SRC" import "$T/sheet.csv" --results "$T/nl2.jsonl" -q 2> "$T/nl2.err" || rc=$?
assert_eq "$rc" 2 "import exit code when the listing fails"
# (the failed listing pages are POSTs too: count the creates by their labels)
assert_eq "$(state | jq '([.postsByLabel[]] | add // 0) + (.methods.PUT // 0) + (.methods.DELETE // 0)')" 0 "writes when the listing fails"
# the results files those runs created are gone (nothing was recorded), so
# the suggested retry may take the same name; an empty file given is left
# empty, a non-empty one (--overwrite) is not removed
[ ! -e "$T/nl.jsonl" ] || fail "plan left its unused results file"
[ ! -e "$T/nl2.jsonl" ] || fail "import left its unused results file"
: > "$T/empty.csv"
rc=0; "$S3SRC" import "$T/sheet.csv" --results "$T/empty.csv" -q 2> /dev/null || rc=$?
assert_eq "$rc" 2 "import exit code when the listing fails (empty --results)"
[ -f "$T/empty.csv" ] && [ ! -s "$T/empty.csv" ] || fail "an empty --results given is not left empty"
echo keep > "$T/full.jsonl"
rc=0; "$S3SRC" import "$T/sheet.csv" --results "$T/full.jsonl" --overwrite -q 2> /dev/null || rc=$?
assert_eq "$rc" 2 "import exit code when the listing fails (--overwrite)"
[ -e "$T/full.jsonl" ] || fail "a file that was there was removed"
rc=0; "$S3SRC" plan "$T/sheet.csv" --results "$T/nl.jsonl" --match none -q 2> "$T/nl3.err" || rc=$?
grep -q "exists" "$T/nl3.err" && fail "the retry with --match none is refused: $(cat "$T/nl3.err")"
[ -s "$T/nl.jsonl" ] || fail "the retry wrote no results (exit $rc): $(cat "$T/nl3.err")"
rc=0; "$S3SRC" import "$T/seed.csv" --match none --results "$T/nm.jsonl" -q || rc=$?
assert_eq "$rc" 0 "--match none without the listing"
assert_eq "$(jcount "$T/nm.jsonl" '.outcome == "created"')" 15 "created with --match none"
ok "no listing: exit 2 naming --match none; --match none goes on"

# a refused token at the listing: exit 3, every row recorded as not sent
stop_fake
start_fake --token "another-token"
rc=0; "$S3SRC" import "$T/seed.csv" --results "$T/tok.csv" -q 2> "$T/tok.err" || rc=$?
assert_eq "$rc" 3 "exit code when the listing is refused the token"
assert_eq "$(grep -c ',skipped,' "$T/tok.csv")" 15 "rows recorded skipped"
assert_eq "$(state | jq '(.methods.POST // 0)')" 1 "requests (the listing's only)"
ok "a refused token at the listing: exit 3, every row skipped"
