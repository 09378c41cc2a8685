#!/usr/bin/env bash
# modify is fetch, merge, compare: on sources that use every optional field
# (KMS keys, each logStreamTypeOptions field, excludedPrefixes, several
# mappings), a sheet with only integrationId, integrationLabel and kmsKey
# changes exactly those, field by field; '#N/A' clears; identical rows send no
# PUT; a changed bucket is invalid and nothing is sent; an unknown ID fails
# with a clear message; a JSONL row with only what it changes; the backup holds
# every source as it was, is complete even when the run is killed during its
# PUTs, and 'import BACKUP --mode modify' undoes the run field for field.
. "$(dirname "$0")/lib/common.bash"
start_fake

ROLE=arn:aws:iam::123456789012:role/PantherLogProcessing
KMS=arn:aws:kms:us-east-1:123456789012:key
{
	jq -n -c --arg r "$ROLE" --arg k "$KMS/a1" '{integrationLabel:"mm-1", awsAccountId:"123456789012",
		s3Bucket:"mm-bucket-1", kmsKey:$k, logProcessingRole:$r, logStreamType:"JsonArray",
		logStreamTypeOptions:{jsonArrayEnvelopeField:"Records"}, managedBucketNotifications:true,
		s3PrefixLogTypes:[{prefix:"AWSLogs/", logTypes:["AWS.CloudTrail"], excludedPrefixes:["AWSLogs/*/Digest/"]},
		                  {prefix:"vpc/", logTypes:["AWS.VPCFlow","AWS.ALB"], excludedPrefixes:["vpc/tmp/"]}]}'
	jq -n -c --arg r "$ROLE" --arg k "$KMS/a2" '{integrationLabel:"mm-2", awsAccountId:"123456789012",
		s3Bucket:"mm-bucket-2", kmsKey:$k, logProcessingRole:$r, logStreamType:"CloudWatchLogs",
		logStreamTypeOptions:{retainEnvelopeFields:true}, managedBucketNotifications:false,
		s3PrefixLogTypes:[{prefix:"cw/", logTypes:["AWS.CloudTrail"], excludedPrefixes:["cw/a/","cw/b/"]},
		                  {prefix:"x/", logTypes:["Custom.X"], excludedPrefixes:[]},
		                  {prefix:"", logTypes:["Custom.All"], excludedPrefixes:["tmp/"]}]}'
	jq -n -c --arg r "$ROLE" --arg k "$KMS/a3" '{integrationLabel:"mm-3", awsAccountId:"123456789012",
		s3Bucket:"mm-bucket-3", kmsKey:$k, logProcessingRole:$r, logStreamType:"XML",
		logStreamTypeOptions:{xmlRootElement:"Events"}, managedBucketNotifications:true,
		s3PrefixLogTypes:[{prefix:"xml/", logTypes:["Custom.Xml"], excludedPrefixes:["xml/old/"]}]}'
	jq -n -c --arg r "$ROLE" '{integrationLabel:"mm-4", awsAccountId:"123456789012",
		s3Bucket:"mm-bucket-4", logProcessingRole:$r, logStreamType:"JSON", managedBucketNotifications:true,
		s3PrefixLogTypes:[{prefix:"a/", logTypes:["Custom.A"], excludedPrefixes:["a/x/"]},
		                  {prefix:"b/", logTypes:["Custom.B"], excludedPrefixes:[]}]}'
} > "$T/create.jsonl"
"$S3SRC" import "$T/create.jsonl" --results "$T/c.jsonl" -q || fail "create exited $?"
state | jq -S '.sources | sort_by(.integrationId)' > "$T/before.json"
assert_eq "$(jq length "$T/before.json")" 4 "sources created"
jq -r '.[] | "\(.integrationLabel) \(.integrationId)"' "$T/before.json" > "$T/ids.txt"
id_of() { awk -v l="$1" '$1 == l { print $2 }' "$T/ids.txt"; }
puts() { state | jq '.methods.PUT // 0'; }

# 1. only integrationId, integrationLabel, kmsKey: exactly those change
{
	echo "integrationId,integrationLabel,kmsKey"
	for i in 1 2 3 4; do echo "$(id_of mm-$i),mm-new-$i,$KMS/b$i"; done
} > "$T/labels.csv"
"$S3SRC" import "$T/labels.csv" --backup "$T/b1.jsonl.gz" --results "$T/r1.jsonl" -q || fail "modify exited $?"
assert_eq "$(jcount "$T/r1.jsonl" '.outcome == "modified" and .httpStatus == 200 and .attempts == 2')" 4 "modified rows (GET + PUT each)"
assert_eq "$(jq -r .changes "$T/r1.jsonl" | sort -u)" "integrationLabel; kmsKey" "changes column"
state | jq -S '.sources | sort_by(.integrationId)' > "$T/after1.json"
jq -S --arg k "$KMS" '[.[] | .integrationLabel |= sub("mm-"; "mm-new-") | .kmsKey = ($k + "/b" + (.integrationLabel | ltrimstr("mm-new-")))]' \
	"$T/before.json" > "$T/expected1.json"
cmp -s "$T/expected1.json" "$T/after1.json" || { diff "$T/expected1.json" "$T/after1.json" >&2; fail "fields other than label and kmsKey changed"; }
ok "label and kmsKey changed, every other field as it was (KMS added to the source that had none)"

# the backup holds the four sources exactly as they were before their PUT
zcat "$T/b1.jsonl.gz" | jq -s -S 'sort_by(.integrationId)' > "$T/b1.json"
cmp -s "$T/b1.json" "$T/before.json" || fail "the backup does not hold the sources as they were"
ok "backup holds the state before"

# 2. the same sheet again: every row unchanged, no PUT, no backup written
p0=$(puts)
"$S3SRC" import "$T/labels.csv" --backup "$T/b2.jsonl.gz" --results "$T/r2.jsonl" -q || fail "re-run exited $?"
assert_eq "$(jcount "$T/r2.jsonl" '.outcome == "unchanged" and .attempts == 1 and .changes == ""')" 4 "unchanged rows"
assert_eq "$(puts)" "$p0" "PUTs for identical rows"
[ ! -e "$T/b2.jsonl.gz" ] || fail "a backup was written though nothing changed"
# --force sends them anyway
"$S3SRC" import "$T/labels.csv" --force --backup "$T/b2f.jsonl.gz" --results "$T/r2f.jsonl" -q || fail "--force exited $?"
assert_eq "$(jcount "$T/r2f.jsonl" '.outcome == "modified"')" 4 "--force modifies"
assert_eq "$(puts)" "$((p0 + 4))" "PUTs with --force"
ok "identical rows send no PUT (--force does)"

# 3. undo: importing the backup restores every field of every source
"$S3SRC" import "$T/b1.jsonl.gz" --mode modify --backup "$T/undo.jsonl.gz" --results "$T/u.jsonl" -q || fail "undo exited $?"
assert_eq "$(jcount "$T/u.jsonl" '.outcome == "modified"')" 4 "undone rows"
state | jq -S '.sources | sort_by(.integrationId)' > "$T/undone.json"
cmp -s "$T/undone.json" "$T/before.json" || { diff "$T/before.json" "$T/undone.json" >&2; fail "the undo did not restore every field"; }
ok "undo restores every field (the added KMS key removed again)"

# 4. '#N/A' clears: kmsKey, an option, a mapping's excludedPrefixes
{
	echo "integrationId,kmsKey,logStreamType,jsonArrayEnvelopeField,prefix,excludedPrefixes"
	echo "$(id_of mm-1),#N/A,JSON,#N/A,,"
	echo "$(id_of mm-3),#N/A,,,xml/,#N/A"
} > "$T/clear.csv"
"$S3SRC" import "$T/clear.csv" --backup "$T/b4.jsonl.gz" --results "$T/r4.jsonl" -q || fail "#N/A import exited $?"
assert_eq "$(jq -r .integrationLabel "$T/r4.jsonl" | sort | tr '\n' ' ')" "mm-1 mm-3 " "labels from the server for rows without one"
assert_eq "$(jq -r .changes "$T/r4.jsonl" | sort | tr '\n' '|')" \
	"kmsKey (cleared); logStreamType; jsonArrayEnvelopeField (cleared)|kmsKey (cleared); s3PrefixLogTypes|" "changes of the clears"
state | jq -S '.sources | sort_by(.integrationId)' > "$T/after4.json"
jq -S --arg a "$(id_of mm-1)" --arg c "$(id_of mm-3)" '[.[] |
	if .integrationId == $a then del(.kmsKey, .logStreamTypeOptions) | .logStreamType = "JSON"
	elif .integrationId == $c then del(.kmsKey) | .s3PrefixLogTypes[0].excludedPrefixes = []
	else . end]' "$T/before.json" > "$T/expected4.json"
cmp -s "$T/expected4.json" "$T/after4.json" || { diff "$T/expected4.json" "$T/after4.json" >&2; fail "'#N/A' did not clear exactly those"; }
ok "'#N/A' clears kmsKey, an option and excludedPrefixes, nothing else"
"$S3SRC" import "$T/b4.jsonl.gz" --mode modify --backup "$T/undo4.jsonl.gz" -q --results "$T/u4.jsonl" || fail "undo 4 exited $?"

# 5. a changed bucket: invalid, exit 1, server untouched; an unknown ID fails
p0=$(puts)
state | jq -S .sources > "$T/s5.json"
{
	echo "integrationId,s3Bucket,integrationLabel"
	echo "$(id_of mm-2),other-bucket,mm-moved"
	echo "$(id_of mm-3),mm-bucket-3,mm-3"
	echo "00000000-0000-4000-8000-00000000dead,,ghost"
} > "$T/bucket.csv"
rc=0; "$S3SRC" import "$T/bucket.csv" --backup "$T/b5.jsonl.gz" --results "$T/r5.jsonl" -q || rc=$?
assert_eq "$rc" 1 "exit code with a changed bucket"
assert_eq "$(jq -r 'select(.outcome == "invalid") | .error' "$T/r5.jsonl")" \
	"s3Bucket: cannot change s3Bucket from 'mm-bucket-2' to 'other-bucket'; create a new source" "bucket error"
assert_eq "$(jcount "$T/r5.jsonl" '.outcome == "unchanged" and .integrationLabel == "mm-3"')" 1 "same bucket passes silently"
assert_eq "$(jq -r 'select(.outcome == "failed") | "\(.httpStatus) \(.error)"' "$T/r5.jsonl")" \
	"404 integrationId: no S3 source has the ID '00000000-0000-4000-8000-00000000dead' (GET answered 404); nothing was sent" "404 row"
assert_eq "$(puts)" "$p0" "PUTs for an invalid row"
cmp -s "$T/s5.json" <(state | jq -S .sources) || fail "the server changed"
[ ! -e "$T/b5.jsonl.gz" ] || fail "a backup was written though nothing was modified"
ok "changed bucket invalid, exit 1, server untouched; unknown ID failed"

# 6. a JSONL row with only what it changes
printf '{"integrationId":"%s","integrationLabel":"mm-jsonl"}\n' "$(id_of mm-2)" > "$T/one.jsonl"
"$S3SRC" import "$T/one.jsonl" --backup "$T/b6.jsonl" --results "$T/r6.jsonl" -q || fail "JSONL modify exited $?"
assert_eq "$(jq -r .changes "$T/r6.jsonl")" "integrationLabel" "JSONL changes"
assert_eq "$(state | jq -S --arg i "$(id_of mm-2)" '.sources[] | select(.integrationId == $i) | del(.integrationLabel)')" \
	"$(jq -S --arg i "$(id_of mm-2)" '.[] | select(.integrationId == $i) | del(.integrationLabel)' "$T/before.json")" "JSONL row kept the rest"
ok "JSONL row with only a label"

# 7. the backup is on disk before each PUT: killed while its PUTs are in
# flight (slow server), the run leaves a complete backup of every source whose
# PUT reached the server
stop_fake
start_fake --latency-ms 1500
"$S3SRC" import "$T/create.jsonl" --results "$T/c7.jsonl" -q -j 4 || fail "create 7 exited $?"
state | jq -S -c '.sources[]' | sort > "$T/before7.txt"
{
	echo "integrationId,integrationLabel"
	state | jq -r '.sources[] | "\(.integrationId),\(.integrationLabel)-k"'
} > "$T/kill.csv"
"$S3SRC" import "$T/kill.csv" -j 4 --backup "$T/b7.jsonl.gz" --results "$T/r7.jsonl" -q &
pid=$!
for _ in $(seq 200); do
	[ "$(state | jq '.methods.PUT // 0')" = 4 ] && break
	sleep 0.05
done
assert_eq "$(state | jq '.methods.PUT // 0')" 4 "PUTs reached the server"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
zcat "$T/b7.jsonl.gz" > "$T/b7.txt" || fail "the backup of a killed run is not a valid gzip file"
jq -S -c . "$T/b7.txt" | sort > "$T/b7.sorted"
cmp -s "$T/b7.sorted" "$T/before7.txt" || fail "the killed run's backup does not hold the 4 sources as they were"
ok "killed during its PUTs: the backup is complete"
