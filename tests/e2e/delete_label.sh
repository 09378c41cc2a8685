#!/usr/bin/env bash
# delete_label.sh - `s3src delete --label L` resolved through the listing: the
# labelled sources are backed up and deleted; an unknown label is that row's
# failed ("no S3 source is labelled 'L'"); an ID argument that is not a UUID is
# invalid with the hint to use --label and is never sent (the bug this
# protects: `delete prod-cloudtrail-000` said "1 deleted", exit 0); a label of
# a source of another kind does not resolve; a label given with its own ID is
# deleted once; the listing failing deletes nothing.
. "$(dirname "$0")/lib/common.bash"
start_fake --page-size 4 --other-sources 2

gen_csv 12 prod-cloudtrail > "$T/in.csv"
"$S3SRC" import "$T/in.csv" --results "$T/r.jsonl" -q || fail "import exited $?"
id_of() { state | jq -r --arg l "$1" '.sources[] | select(.integrationLabel == $l) | .integrationId'; }
id3=$(id_of prod-cloudtrail-00003)
other_label=$(state | jq -r '.otherSources[0].integrationLabel')

set +e
"$S3SRC" delete --label prod-cloudtrail-00001 --label prod-cloudtrail-00002 --label no-such-label \
	--label "$other_label" --label prod-cloudtrail-00003 "$id3" prod-cloudtrail-00004 \
	--backup "$T/del.jsonl.gz" --yes --results "$T/d.jsonl" 2> "$T/d.err"
code=$?
set -e
assert_eq "$code" 1 "exit code with an unknown label and a non-ID"
assert_eq "$(jcount "$T/d.jsonl" '.outcome == "deleted"')" 3 "deleted rows"
assert_eq "$(jcount "$T/d.jsonl" '.outcome == "failed" and .error == "no S3 source is labelled '"'"'no-such-label'"'"'"')" 1 "unknown label row"
assert_eq "$(jcount "$T/d.jsonl" '.outcome == "failed" and .integrationLabel == "'"$other_label"'" and (.error | test("no S3 source is labelled"))')" 1 "another kind's label"
assert_eq "$(jcount "$T/d.jsonl" '.outcome == "invalid" and .integrationId == "prod-cloudtrail-00004" and .error == "'"'"'prod-cloudtrail-00004'"'"' is not an integration ID; to delete by label use --label"')" 1 "non-ID row"
assert_eq "$(jq -s length "$T/d.jsonl")" 6 "rows (the label of $id3 and the ID itself are one)"
grep -q "1 duplicate ID taken once" "$T/d.err" || fail "no duplicate warning: $(cat "$T/d.err")"
state > "$T/s.json"
assert_eq "$(jq '.sources | length' "$T/s.json")" 9 "sources left"
for l in prod-cloudtrail-00001 prod-cloudtrail-00002 prod-cloudtrail-00003; do
	assert_eq "$(jq --arg l "$l" '[.sources[] | select(.integrationLabel == $l)] | length' "$T/s.json")" 0 "$l gone"
done
assert_eq "$(jq '.otherSources | length' "$T/s.json")" 2 "other kinds untouched"
assert_eq "$(zcat "$T/del.jsonl.gz" | jq -r .integrationLabel | sort | tr '\n' ' ')" \
	"prod-cloudtrail-00001 prod-cloudtrail-00002 prod-cloudtrail-00003 " "backup"
assert_eq "$(jq '[.ghosts[]] | length' "$T/s.json")" 0 "ghosts"
# prod-cloudtrail-00004 was never sent
assert_eq "$(jq '.methods.DELETE' "$T/s.json")" 3 "DELETEs sent"
ok "--label: 3 deleted and backed up; unknown label failed; other kind not resolved; non-ID invalid, never sent"

# the summary names rows given on the command line by their label or ID (no
# "line 0"), and an unknown label is its own cause, not the server's refusal;
# report groups it the same way
if grep -q "line 0" "$T/d.err"; then fail "the summary says 'line 0': $(cat "$T/d.err")"; fi
grep -q "rejected by the server" "$T/d.err" && fail "an unknown label is called rejected by the server"
grep -q "^  not found in the listing: 2 rows (label 'no-such-label', label '$other_label')" "$T/d.err" ||
	fail "no 'not found in the listing' cause naming the labels"
grep -q "ID 'prod-cloudtrail-00004'" "$T/d.err" || fail "the invalid ID argument is not named"
"$S3SRC" report "$T/d.jsonl" > "$T/rep.txt" || true
grep -q "^  not found in the listing: 2 rows" "$T/rep.txt" || { cat "$T/rep.txt" >&2; fail "report: no 'not found in the listing' cause"; }
if grep -q "line 0" "$T/rep.txt"; then fail "report says 'line 0': $(cat "$T/rep.txt")"; fi
ok "summary and report: command-line rows named by label or ID; unknown labels not found in the listing"

# a non-UUID alone: nothing asked, nothing sent, exit 1 (not "1 deleted", exit 0)
set +e
"$S3SRC" delete prod-cloudtrail-00005 --backup "$T/d2.jsonl.gz" --results "$T/d2.jsonl" -q < /dev/null
code=$?
set -e
assert_eq "$code" 1 "a label typed where an ID goes"
assert_eq "$(jcount "$T/d2.jsonl" '.outcome == "invalid"')" 1 "invalid row"
assert_eq "$(state | jq '.sources | length')" 9 "nothing deleted"
ok "'delete prod-cloudtrail-00005' (a label as an ID): invalid, exit 1, nothing deleted"

# without --yes and without a terminal, --label still needs --yes
set +e
"$S3SRC" delete --label prod-cloudtrail-00006 --backup "$T/d3.jsonl.gz" -q < /dev/null 2> "$T/d3.err"
code=$?
set -e
assert_eq "$code" 2 "--label without --yes"
assert_eq "$(state | jq '.sources | length')" 9 "nothing deleted without --yes"

# the listing failing: nothing deleted
stop_fake
start_fake --listing-fail errors
"$S3SRC" import "$T/in.csv" --match none --results "$T/r2.jsonl" -q || fail "re-import exited $?"
set +e
"$S3SRC" delete --label prod-cloudtrail-00001 --backup "$T/d4.jsonl.gz" --yes -q 2> "$T/d4.err"
code=$?
set -e
assert_eq "$code" 1 "--label with a failing listing"
grep -q "GraphQL error.*nothing was deleted" "$T/d4.err" || fail "message: $(cat "$T/d4.err")"
assert_eq "$(state | jq '.sources | length')" 12 "nothing deleted when the listing fails"
[ ! -e "$T/d4.jsonl.gz" ] || fail "a backup was written"
ok "a failing listing: exit 1, nothing deleted, no backup"
