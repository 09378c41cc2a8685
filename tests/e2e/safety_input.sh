#!/usr/bin/env bash
# Output safety on the input side: no cell and no row is silently lost.
#  - A column with an empty header name and data in a cell: exit 2 naming the
#    column and line, before any request (a file is checked whole first);
#    from stdin, the row with the data is invalid and never sent. An unnamed
#    column whose cells are all empty is ignored.
#  - A CSV parse error (a stray quote on the last row, in the middle, an
#    unterminated quote at the end) makes that row invalid, in the results and
#    the failed-rows file with its text; the other rows run; exit 1.
#  - Repeated --resume files: the union is skipped.
#  - A create answered 200 (not 201) with an integrationId is created.
#  - A row error never carries libcurl's own words.
. "$(dirname "$0")/lib/common.bash"
start_fake
requests() { state | jq '.methods | add // 0'; }
KMS=arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab

# an unnamed column (the last) with a KMS key on line 4 only
gen_csv 5 unnamed | sed '1s/$/,/; 2,3s/$/,/; 4s|$|,'"$KMS"'|; 5,$s/$/,/' > "$T/un.csv"
sum0=$(sha256sum < "$T/un.csv")
set +e
"$S3SRC" import "$T/un.csv" --results "$T/un.jsonl" 2> "$T/err.txt"
code=$?
set -e
assert_eq "$code" 2 "import with data in an unnamed column"
grep -q "un.csv:4: column 9 (I) has no name in the header but holds '$KMS'" "$T/err.txt" ||
	{ cat "$T/err.txt" >&2; fail "the message does not name the column and line"; }
assert_eq "$(requests)" 0 "requests for a file with an unnamed column's data"
assert_eq "$(sha256sum < "$T/un.csv")" "$sum0" "the input"
set +e
"$S3SRC" import - --results "$T/un2.jsonl" -q < "$T/un.csv" 2> "$T/err.txt"
code=$?
set -e
assert_eq "$code" 1 "import from stdin with data in an unnamed column"
assert_eq "$(jcount "$T/un2.jsonl" '.outcome == "invalid" and .line == 4 and (.error | test("has no name"))')" 1 \
	"the invalid row"
assert_eq "$(jcount "$T/un2.jsonl" '.outcome == "created"')" 4 "the other rows"
assert_eq "$(state | jq '[.sources[] | select(.integrationLabel == "unnamed-00003")] | length')" 0 \
	"the row with the data was sent"
# all cells of the unnamed column empty: ignored
reset_fake
gen_csv 3 empty | sed 's/$/,/' > "$T/empty-col.csv"
"$S3SRC" import "$T/empty-col.csv" --results "$T/ec.jsonl" -q || fail "an empty unnamed column is not ignored"
ok "unnamed column: data is exit 2 (file) or an invalid row (stdin); empty is ignored"

# CSV parse errors are rows, not aborts
for where in last middle unterminated; do
	reset_fake
	gen_csv 6 "q$where" > "$T/q.csv"
	case $where in
	last) sed -i '$s/,logs\//,lo"gs\//' "$T/q.csv"; bad=7 ;;
	middle) sed -i '4s/,logs\//,lo"gs\//' "$T/q.csv"; bad=4 ;;
	unterminated) sed -i '$s/,logs\//,"logs\//' "$T/q.csv"; bad=7 ;;
	esac
	sum0=$(sha256sum < "$T/q.csv")
	rm -f "$T/q.jsonl" "$T/q.failed.csv"
	set +e
	"$S3SRC" import "$T/q.csv" --results "$T/q.jsonl" --failed "$T/q.failed.csv" -q 2> "$T/err.txt"
	code=$?
	set -e
	assert_eq "$code" 1 "stray quote ($where): exit code"
	assert_eq "$(wc -l < "$T/q.jsonl")" 6 "stray quote ($where): rows recorded"
	assert_eq "$(jcount "$T/q.jsonl" '.outcome == "invalid" and .line == '$bad' and (.error | test("quote"))')" 1 \
		"stray quote ($where): the invalid row"
	assert_eq "$(jcount "$T/q.jsonl" '.outcome == "created"')" 5 "stray quote ($where): created rows"
	grep -q "q$where-0000" "$T/q.failed.csv" || { cat "$T/q.failed.csv" >&2; fail "stray quote ($where): the row is not in the failed-rows file"; }
	assert_eq "$(sha256sum < "$T/q.csv")" "$sum0" "stray quote ($where): the input"
done
ok "a stray quote (last row, middle) and an unterminated one: that row invalid and in the failed-rows file, exit 1"

# repeated --resume: the union
reset_fake
gen_csv 6 res > "$T/res.csv"
head -3 "$T/res.csv" > "$T/res-a.csv"
{ head -1 "$T/res.csv"; sed -n '4,5p' "$T/res.csv"; } > "$T/res-b.csv"
"$S3SRC" import "$T/res-a.csv" --results "$T/ra.jsonl" -q || fail "import a exited $?"
"$S3SRC" import "$T/res-b.csv" --results "$T/rb.csv" -q || fail "import b exited $?"
"$S3SRC" import "$T/res.csv" --resume "$T/ra.jsonl" --resume "$T/rb.csv" --results "$T/rall.jsonl" -q ||
	fail "import with two --resume exited $?"
assert_eq "$(jcount "$T/rall.jsonl" '.outcome == "skipped"')" 4 "rows skipped from two --resume files"
assert_eq "$(state | jq '.sources | length')" 6 "sources after the resumed run"
ok "repeated --resume: the union of the files is skipped"

# a create answered 200 with an integrationId is created
stop_fake
start_fake --bad-reply-rate 1 --bad-reply-kind status200
gen_csv 4 ok200 > "$T/ok200.csv"
"$S3SRC" import "$T/ok200.csv" --results "$T/ok200.jsonl" -q --max-attempts 1 || fail "import answered 200 exited $?"
assert_eq "$(jcount "$T/ok200.jsonl" '.outcome == "created" and .httpStatus == 200 and (.integrationId | length) == 36')" 4 \
	"rows created with a 200"
ok "a create answered 200 with an integrationId is created"

# connection resets: our words in the error column, never libcurl's
stop_fake
start_fake --reset-rate 1
gen_csv 2 reset > "$T/reset.csv"
set +e
# --match none: with every connection reset, the listing would stop the run first
"$S3SRC" import "$T/reset.csv" --match none --results "$T/reset.jsonl" -q --max-attempts 1 2> "$T/err.txt"
set -e
assert_eq "$(jcount "$T/reset.jsonl" '.outcome == "failed"')" 2 "rows failed on a reset"
jq -r .error "$T/reset.jsonl" > "$T/errors.txt"
if grep -qiE "Recv failure|Empty reply|Connection reset by peer|rewind|Failure when receiving" "$T/errors.txt" "$T/err.txt"; then
	cat "$T/errors.txt" >&2
	fail "libcurl's own text in a row error"
fi
grep -qE "the connection (was reset|closed|dropped)" "$T/errors.txt" || { cat "$T/errors.txt" >&2; fail "not our words"; }
# half the connections reset, kept-alive ones among them (libcurl's hidden
# re-send is refused): with --max-attempts 1 nothing was due to be re-sent,
# so no error may say so; the dropped kept-alive connection is said as such
stop_fake
start_fake --reset-rate 0.5
gen_csv 40 rw > "$T/rw.csv"
set +e
"$S3SRC" import "$T/rw.csv" -j 2 --results "$T/rw.jsonl" -q --max-attempts 1 2> "$T/err.txt"
set -e
jq -r 'select(.error != null) | .error' "$T/rw.jsonl" > "$T/errors.txt"
[ -s "$T/errors.txt" ] || fail "no row failed at --reset-rate 0.5"
if grep -q "re-sent" "$T/errors.txt"; then cat "$T/errors.txt" >&2; fail "a re-send named with --max-attempts 1"; fi
grep -q "the connection dropped before the reply" "$T/errors.txt" || { cat "$T/errors.txt" >&2; fail "no dropped kept-alive connection seen"; }
ok "row errors are in our words"
