#!/usr/bin/env bash
# a modify found by its label (--match label, the default in --mode auto): a
# sheet with only a label and kmsKey is, for a label the server has, a modify
# of that source (plan: would-modify with changes kmsKey; import: modified,
# every other field as it was; again: unchanged); for a label the server does
# not have, or with --match none, invalid with a create's missing-field
# messages; a modify row (action column) without integrationId is matched the
# same way, and one whose label the server lacks says so.
. "$(dirname "$0")/lib/common.bash"
start_fake

KMS=arn:aws:kms:us-east-1:123456789012:key
ROLE=arn:aws:iam::123456789012:role/PantherLogProcessing
jq -n -c --arg r "$ROLE" --arg k "$KMS/old" '{integrationLabel:"sec-logs-07", awsAccountId:"123456789012",
	s3Bucket:"lm-bucket-7", kmsKey:$k, logProcessingRole:$r, logStreamType:"JSON",
	managedBucketNotifications:true,
	s3PrefixLogTypes:[{prefix:"logs/", logTypes:["AWS.CloudTrail"], excludedPrefixes:["logs/tmp/"]}]}' \
	> "$T/seed.jsonl"
"$S3SRC" import "$T/seed.jsonl" --results "$T/seed.results.jsonl" -q || fail "seed import exited $?"
state | jq -S '.sources' > "$T/before.json"
assert_eq "$(jq length "$T/before.json")" 1 "seeded sources"
id=$(jq -r '.[0].integrationId' "$T/before.json")
writes() { state | jq '(.methods.POST // 0) - (.listPages // 0) + (.methods.PUT // 0)'; }

printf 'Name,KMS Key\nsec-logs-07,%s/lbl\n' "$KMS" > "$T/sheet.csv"

# plan: would-modify, changes kmsKey, nothing written
w0=$(writes)
"$S3SRC" plan "$T/sheet.csv" --results "$T/plan.jsonl" -q || fail "plan exited $?"
assert_eq "$(jcount "$T/plan.jsonl" '.outcome == "would-modify" and .changes == "kmsKey"')" 1 \
	"plan: would-modify with changes kmsKey"
assert_eq "$(jq -r .integrationId "$T/plan.jsonl")" "$id" "plan: the source found by its label"
assert_eq "$(writes)" "$w0" "writes sent by plan"
ok "plan: a label-only row is a would-modify of the source with that label"

# import: modified, only kmsKey changed, the fetched source in the backup
"$S3SRC" import "$T/sheet.csv" --backup "$T/b.jsonl.gz" --results "$T/r1.jsonl" -q || fail "import exited $?"
assert_eq "$(jcount "$T/r1.jsonl" '.outcome == "modified" and .changes == "kmsKey" and .action == "modify"')" 1 \
	"import: modified"
state | jq -S '.sources' > "$T/after.json"
jq -S --arg k "$KMS/lbl" '[.[] | .kmsKey = $k]' "$T/before.json" > "$T/expected.json"
cmp -s "$T/expected.json" "$T/after.json" || { diff "$T/expected.json" "$T/after.json" >&2; fail "fields other than kmsKey changed"; }
zcat "$T/b.jsonl.gz" | jq -s -S . > "$T/b.json"
cmp -s "$T/b.json" "$T/before.json" || fail "the backup does not hold the source as it was"
ok "import: kmsKey changed, every other field as it was, the source backed up first"

# again: unchanged, no write
w1=$(writes)
"$S3SRC" import "$T/sheet.csv" --results "$T/r2.jsonl" -q || fail "re-run exited $?"
assert_eq "$(jcount "$T/r2.jsonl" '.outcome == "unchanged"')" 1 "re-run: unchanged"
assert_eq "$(writes)" "$w1" "writes sent by the re-run"
ok "the same sheet again is unchanged"

# a label the server does not have: a create's missing fields, exit 1
printf 'Name,KMS Key\nno-such-label,%s/lbl\n' "$KMS" > "$T/unknown.csv"
for cmd in plan import; do
	rc=0; "$S3SRC" $cmd "$T/unknown.csv" --results "$T/u-$cmd.jsonl" -q || rc=$?
	assert_eq "$rc" 1 "$cmd exit code for an unknown label"
	assert_eq "$(jcount "$T/u-$cmd.jsonl" '.outcome == "invalid"')" 1 "$cmd: unknown label invalid"
	for f in awsAccountId s3Bucket logProcessingRole logStreamType managedBucketNotifications; do
		jq -e --arg f "$f" '.error | contains($f + ": missing, a create needs it")' "$T/u-$cmd.jsonl" > /dev/null ||
			fail "$cmd: no missing-field message for $f: $(jq -r .error "$T/u-$cmd.jsonl")"
	done
done
ok "a label the server does not have: invalid, the create's missing fields named"

# --match none: invalid, nothing matched, nothing written
w2=$(writes)
rc=0; "$S3SRC" import "$T/sheet.csv" --match none --results "$T/n.jsonl" -q || rc=$?
assert_eq "$rc" 1 "--match none exit code"
assert_eq "$(jcount "$T/n.jsonl" '.outcome == "invalid" and (.error | contains("awsAccountId: missing"))')" 1 \
	"--match none: invalid"
assert_eq "$(writes)" "$w2" "writes sent with --match none"
ok "--match none: a label-only row is invalid"

# a modify row without integrationId: matched by its label; an unknown one says so
printf 'action,integrationLabel,kmsKey\nmodify,sec-logs-07,%s/mod\nmodify,no-such-label,%s/mod\n' "$KMS" "$KMS" \
	> "$T/modify.csv"
rc=0; "$S3SRC" import "$T/modify.csv" --results "$T/m.jsonl" -q || rc=$?
assert_eq "$rc" 1 "modify rows: exit code with an unknown label"
assert_eq "$(jcount "$T/m.jsonl" '.integrationLabel == "sec-logs-07" and .outcome == "modified" and .changes == "kmsKey"')" 1 \
	"modify row matched by its label"
assert_eq "$(jq -r 'select(.integrationLabel == "no-such-label") | .outcome + ": " + .error' "$T/m.jsonl")" \
	"invalid: integrationId: missing, and no S3 source is labelled 'no-such-label' (--match label)" \
	"modify row with an unknown label"
assert_eq "$(state | jq -r '.sources[0].kmsKey')" "$KMS/mod" "kmsKey after the modify row"
ok "a modify row without integrationId is matched by its label"

# two rows of one run for one source (both by label, or one by ID and one by
# label): the first wins, the second is invalid and nothing of it is sent
# (both would fetch the same state and the second PUT would undo the first)
printf 'Name,KMS Key,Role\nsec-logs-07,%s/two,\nsec-logs-07,,%s-new\n' "$KMS" "$ROLE" > "$T/twice.csv"
printf 'ID,Name,KMS Key\n%s,,%s/three\n,sec-logs-07,%s/four\n' "$id" "$KMS" "$KMS" > "$T/idlabel.csv"
for sheet in twice idlabel; do
	for cmd in plan import; do
		rc=0; "$S3SRC" $cmd "$T/$sheet.csv" --results "$T/$sheet-$cmd.jsonl" -q 2>/dev/null || rc=$?
		assert_eq "$rc" 1 "$sheet $cmd: exit code"
		assert_eq "$(jcount "$T/$sheet-$cmd.jsonl" '.outcome == "invalid" and .line == 3 and (.error | startswith("integrationId: '"'$id'"' (the source labelled '"'sec-logs-07'"') is modified by line 2 already"))')" 1 \
			"$sheet $cmd: the second row for the source"
	done
done
state | jq -r '.sources[0].kmsKey, .sources[0].logProcessingRole' > "$T/final.txt"
assert_eq "$(tr '\n' ' ' < "$T/final.txt")" "$KMS/three $ROLE " "the first row of each run applied, the second not"
ok "a second row for a source already modified in the run is invalid, not a PUT that undoes the first"
