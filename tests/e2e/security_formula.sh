#!/usr/bin/env bash
# Security: spreadsheet formula injection is neutralised in every CSV s3src
# writes, and the guard round-trips. Sources whose values begin with '=', '-',
# '@', '+' (and one that really begins with the guard character, "'=quoted")
# go through the server; then: the results CSV, the failed-rows CSV and the
# CSV export hold no cell that begins with = + - @ (each is written with a
# leading '), and re-importing the export (a modify of the same sources)
# leaves every value on the server exactly as it was, as does re-importing the
# failed-rows file once its error is fixed.
#
# The round trips rely on the CSV importer stripping one ' from a cell matching
# ^'+[=+-@\t\r\n] (the inverse of the writers' csv_cell_needs_guard).
# ROUNDTRIP=0 in the environment turns a round-trip mismatch into a report.
. "$(dirname "$0")/lib/common.bash"
ROUNDTRIP=${ROUNDTRIP:-1}
start_fake
role=arn:aws:iam::123456789012:role/PantherLogProcessing
src() {  # label, prefix, excluded prefix
	jq -cn --arg l "$1" --arg p "$2" --arg x "$3" --arg r "$role" '{integrationLabel: $l,
		awsAccountId: "123456789012", s3Bucket: ("bkt-" + ($l | ascii_downcase | gsub("[^a-z0-9]"; ""))),
		logProcessingRole: $r, logStreamType: "JSON", managedBucketNotifications: false,
		s3PrefixLogTypes: [{prefix: $p, logTypes: ["AWS.CloudTrail"], excludedPrefixes: [$x]}]}'
}
{
	src fx-eq "=cmd|' /C calc'!A0" "=HYPERLINK(\"http://x\")"
	src -fx-dash "-x/" "-2+3"
	src fx-at "@sum" "@x"
	src fx-plus "+1/" "+y"
	src fx-quote "'=quoted" "''-twice"
} > "$T/in.jsonl"
"$S3SRC" import "$T/in.jsonl" --results "$T/r.csv" --no-progress 2> "$T/err.txt" ||
	{ cat "$T/err.txt" >&2; fail "import of the JSONL sources failed"; }
state | jq -S '[.sources[] | {integrationLabel, s3PrefixLogTypes}] | sort_by(.integrationLabel)' > "$T/before.json"
assert_eq "$(jq '[.[].s3PrefixLogTypes[0].prefix] | sort | join(" ")' "$T/before.json")" \
	"\"'=quoted +1/ -x/ =cmd|' /C calc'!A0 @sum\"" "prefixes on the server"

# a cell beginning with = + - @ (optionally after a CSV quote) anywhere is unguarded
unguarded() { grep -nE '(^|,)"?[-=+@]' "$1" || true; }
# 1. results CSV: the label '-fx-dash' is guarded
[ -z "$(unguarded "$T/r.csv")" ] || fail "unguarded cell in the results CSV: $(unguarded "$T/r.csv")"
grep -qF ",'-fx-dash," "$T/r.csv" || fail "the label -fx-dash is not guarded in the results CSV"

# 2. failed-rows CSV: an invalid row (bucket too short) with formula cells
{
	echo "$CSV_HEADER"
	echo "-bad-row,123456789012,b,$role,JSON,false,=cmd|x,AWS.CloudTrail"
} > "$T/bad.csv"
set +e
"$S3SRC" import "$T/bad.csv" --results "$T/r2.csv" --failed "$T/f.csv" --no-progress 2> "$T/err2.txt"
code=$?
set -e
assert_eq "$code" 1 "exit code of the invalid row"
[ -s "$T/f.csv" ] || fail "no failed-rows file"
[ -z "$(unguarded "$T/f.csv")" ] || fail "unguarded cell in the failed-rows CSV: $(unguarded "$T/f.csv")"
grep -qF "'-bad-row" "$T/f.csv" && grep -qF "'=cmd|x" "$T/f.csv" || fail "failed-rows cells not guarded: $(cat "$T/f.csv")"
[ -z "$(unguarded "$T/r2.csv")" ] || fail "unguarded cell in the second results CSV"

# 3. CSV export
"$S3SRC" export --ids "$T/r.csv" -o "$T/e.csv" --results "$T/er.csv" --no-progress 2> "$T/err3.txt" ||
	{ cat "$T/err3.txt" >&2; fail "export failed"; }
assert_eq "$(($(wc -l < "$T/e.csv") - 1))" 5 "exported rows"
[ -z "$(unguarded "$T/e.csv")" ] || fail "unguarded cell in the CSV export: $(unguarded "$T/e.csv")"
for v in "'=cmd|' /C calc'!A0" "'-x/" "'@sum" "'+1/" "''=quoted" "'''-twice" "'=HYPERLINK("; do
	grep -qF -- "$v" "$T/e.csv" || fail "export does not hold the guarded cell $v"
done
[ -z "$(unguarded "$T/er.csv")" ] || fail "unguarded cell in the export's results CSV"
ncsv=5

# 4. round trips: re-import the export (modify, same IDs: every row unchanged) and the fixed failed rows
roundtrip_fail() {
	if [ "$ROUNDTRIP" = 1 ]; then fail "$1"; fi
	echo "KNOWN OPEN BUG (ROUNDTRIP=0): $1"
	rt_bug=1
}
rt_bug=0
set +e
"$S3SRC" import "$T/e.csv" --results "$T/r4.jsonl" --no-progress 2> "$T/err4.txt"
code=$?
set -e
if [ "$code" != 0 ] || [ "$(jcount "$T/r4.jsonl" '.outcome == "unchanged"')" != 5 ]; then
	roundtrip_fail "re-importing the CSV export: exit $code, $(jq -r 'select(.outcome != "unchanged") | .error' "$T/r4.jsonl" | head -1)"
fi
state | jq -S '[.sources[] | {integrationLabel, s3PrefixLogTypes}] | sort_by(.integrationLabel)' > "$T/after.json"
if ! cmp -s "$T/before.json" "$T/after.json"; then
	roundtrip_fail "re-importing the CSV export changed the server's values: $(diff "$T/before.json" "$T/after.json" | grep '^>' | head -3 | tr -s ' ')"
fi
sed 's/,123456789012,b,/,123456789012,bkt-fixed,/' "$T/f.csv" > "$T/fixed.csv"
set +e
"$S3SRC" import "$T/fixed.csv" --results "$T/r5.jsonl" --no-progress 2> "$T/err5.txt"
code=$?
set -e
case $code in 0|1) ;; *) cat "$T/err5.txt" >&2; fail "re-import of the fixed failed rows: exit $code";; esac
got=$(state | jq -r '.sources[] | select(.s3Bucket == "bkt-fixed") | "\(.integrationLabel) \(.s3PrefixLogTypes[0].prefix)"')
[ "$got" = "-bad-row =cmd|x" ] || roundtrip_fail "the fixed failed row re-imported as '$got', expected '-bad-row =cmd|x'"
ok "$ncsv sources with formula values: results, failed-rows and export CSVs guarded; round trips $([ $rt_bug = 0 ] && echo exact || echo 'NOT exact (known bug)')"
