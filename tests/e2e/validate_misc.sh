#!/usr/bin/env bash
# validate, the rest: gzip and stdin input give the same report as the plain
# file; --results (JSONL and CSV) has one record per source with outcome
# valid/invalid, a fingerprint, 0 attempts, and a continuation row inside its
# source's record; -q keeps only the errors; usage errors exit 2; --help.
set -euo pipefail
: "${S3SRC:?set S3SRC to the s3src binary}"
: "${SRCDIR:?set SRCDIR to the source tree}"
T=$(mktemp -d "${TMPDIR:-/tmp}/s3src-validate.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
assert_eq() { [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"; }

cp "$SRCDIR/samples/buckets.csv" "$T/b.csv"
cd "$T"

rc=0; "$S3SRC" validate b.csv 2>plain.err || rc=$?
assert_eq "$rc" 1 "plain exit"
gzip -c b.csv > b.data   # gzip is found by its magic bytes, whatever the name
rc=0; "$S3SRC" validate b.data --format csv 2>gz.err || rc=$?
assert_eq "$rc" 1 "gzip exit"
sed 's/^b\.data:/b.csv:/' gz.err | cmp -s - plain.err || fail "gzip report differs"
rc=0; "$S3SRC" validate - < b.csv 2>stdin.err || rc=$?
assert_eq "$rc" 1 "stdin exit"
grep -q '^<stdin>:16: integrationLabel: ' stdin.err || fail "stdin report: $(cat stdin.err)"
ok "gzip and stdin"

# results, JSONL
rc=0; "$S3SRC" validate b.csv --results r.jsonl 2>/dev/null || rc=$?
assert_eq "$rc" 1 "results exit"
assert_eq "$(jq -s length r.jsonl)" 24 "one record per source"
assert_eq "$(jq -s '[.[] | select(.outcome == "valid")] | length' r.jsonl)" 23 "valid records"
assert_eq "$(jq -r 'select(.outcome == "invalid") | "\(.row) \(.line) \(.action) \(.integrationLabel)"' r.jsonl)" \
	"15 16 create payments_api-logs" "the invalid record"
assert_eq "$(jq -s '[.[] | select((.fingerprint | length) == 64 and .attempts == 0)] | length' r.jsonl)" 24 "fingerprints"
assert_eq "$(jq -s '[.[].fingerprint] | unique | length' r.jsonl)" 24 "distinct fingerprints"
# prod-alb (line 4) has two continuation rows (lines 5, 6); the next source is row 6, line 7
assert_eq "$(jq -r 'select(.integrationLabel == "prod-alb" or .integrationLabel == "prod-s3-access") | "\(.row):\(.line)"' r.jsonl | tr '\n' ' ')" \
	"3:4 6:7 " "continuation rows inside their source"
assert_eq "$(jq -r 'select(.warning != "" and .warning != null) | .warning' r.jsonl)" \
	"awsAccountId: '56789012345' padded to '056789012345' (a spreadsheet dropped the leading zeros)" "warning"
ok "results jsonl"

# results, CSV: same fingerprints as JSONL
"$S3SRC" validate b.csv --results r.csv 2>/dev/null || true
assert_eq "$(head -1 r.csv)" "row,line,action,outcome,httpStatus,integrationId,integrationLabel,attempts,elapsedMs,error,warning,fingerprint,changes" "csv header"
assert_eq "$(tail -n +2 r.csv | awk -F, '{print $(NF-1)}' | sort | tr -d '\r' | md5sum)" \
	"$(jq -r .fingerprint r.jsonl | sort | md5sum)" "csv and jsonl fingerprints"
ok "results csv"

# the fingerprint does not depend on how the cells were written
printf 'integrationLabel,awsAccountId,s3Bucket,logProcessingRole,logStreamType,managedBucketNotifications,logTypes\nx,123456789012,x-logs,arn:aws:iam::123456789012:role/R,json,TRUE,"AWS.A;AWS.B"\n' > f1.csv
printf 'Integration Label;AWS Account ID;S3 Bucket;Log Processing Role;Log Stream Type;Managed Bucket Notifications;Log Types\nx;123456789012;x-logs;arn:aws:iam::123456789012:role/R;JSON;yes;"[""AWS.A"",""AWS.B""]"\n' > f2.csv
"$S3SRC" validate f1.csv --results f1.jsonl -q
"$S3SRC" validate f2.csv --results f2.jsonl -q
assert_eq "$(jq -r .fingerprint f1.jsonl)" "$(jq -r .fingerprint f2.jsonl)" "same source, same fingerprint"
ok "fingerprint stable"

# -q: errors only
rc=0; "$S3SRC" validate b.csv -q 2>q.err || rc=$?
assert_eq "$rc" 1 "-q exit"
assert_eq "$(wc -l < q.err | tr -d ' ')" 1 "-q prints only the invalid row"
grep -q '^b.csv:16: integrationLabel: ' q.err || fail "-q output: $(cat q.err)"
ok "-q"

# usage errors: exit 2
for args in "" "b.csv extra.csv" "b.csv --bogus" "b.csv --format xml" "b.csv --delimiter xx" "missing.csv" "b.csv --set nothing=1" "b.csv --results r.txt"; do
	rc=0; eval "\"\$S3SRC\" validate $args" >/dev/null 2>&1 || rc=$?
	assert_eq "$rc" 2 "validate $args"
done
ok "usage errors exit 2"

"$S3SRC" validate --help > help.txt
grep -q -- '--set FIELD=VALUE' help.txt || fail "help lacks --set"
grep -q -- '--results PATH' help.txt || fail "help lacks --results"
for cmd in validate import; do
	"$S3SRC" $cmd --help | grep -q -- "--delimiter C .*',' ';' '|' or 'tab'" || fail "$cmd --help does not list '|' as a delimiter"
done
ok "--help"

# one unknown column with a single ';' is a column of the user's, not a hint
# to change the delimiter (that is for a header holding it twice or more)
printf 'integrationLabel,Notes; misc\nx,y\n' > semi.csv
rc=0; "$S3SRC" validate semi.csv 2> semi.err || rc=$?
assert_eq "$rc" 2 "unknown column 'Notes; misc'"
grep -q "unknown column 'Notes; misc'; rename it" semi.err || fail "usual advice expected: $(cat semi.err)"
if grep -q "separated?" semi.err; then fail "a delimiter hint for one ';': $(cat semi.err)"; fi
ok "a single delimiter in an unknown column keeps the usual advice"

# a JSONL export is valid input; valid files exit 0
rc=0; "$S3SRC" validate "$SRCDIR/samples/buckets.jsonl" 2>j.err || rc=$?
assert_eq "$rc" 0 "samples/buckets.jsonl: $(cat j.err)"
ok "jsonl sample valid"

# --results - into a reader that goes away: the broken pipe is said once
for i in $(seq 1 3000); do
	echo "l$i,123456789012,bucket-$i,arn:aws:iam::123456789012:role/R,JSON,true,p/,AWS.ALB"
done | sed '1i integrationLabel,awsAccountId,s3Bucket,logProcessingRole,logStreamType,managedBucketNotifications,prefix,logTypes' > many.csv
set +o pipefail
"$S3SRC" validate many.csv --results - 2>pipe.err | head -1 >/dev/null
set -o pipefail
assert_eq "$(grep -c "cannot write results file" pipe.err)" 1 "broken pipe messages: $(cat pipe.err)"
grep -q "cannot write results file '<stdout>': Broken pipe" pipe.err || fail "broken pipe: $(cat pipe.err)"
ok "a broken pipe on --results - is said once"
