#!/usr/bin/env bash
# report over a run whose creates failed without an ID (the reply was lost,
# the API answered 201 without an integrationId, the run was interrupted) and
# a re-run that found each source by its label and recorded a modify of it
# with its ID (hand-written results files, no server): the modify supersedes
# the failed create, so each source is one entry with its latest outcome, none
# is still failing, and its ID is in --ids-out. A label that already has an
# ID is another source: a modify of the same label with another ID stays apart.
# A record matching both an earlier ID and an earlier ID-less label joins them.
. "$(dirname "$0")/lib/common.bash"
H='row,line,action,outcome,httpStatus,integrationId,integrationLabel,attempts,elapsedMs,error,warning,fingerprint'
{
	echo "$H"
	echo '1,2,create,failed,,,lost,3,9,no reply (after 3 attempts),,f1'
	echo '2,3,create,failed,201,,no-id,1,5,the API answered 201 without an integrationId,,f2'
	echo "3,4,create,failed,,,cut,1,9,abandoned in flight when the run was aborted: source 'cut' may have been created,,f3"
	echo '4,5,create,created,201,id-kept,kept,1,5,,,f4'
	echo '5,6,modify,failed,503,id-both,,5,9,HTTP 503 (after 5 attempts),,f5'
	echo '6,7,create,failed,,,both,3,9,no reply (after 3 attempts),,f6'
} > "$T/run1.results.csv"
{
	echo "$H"
	echo '1,2,modify,unchanged,200,id-lost,lost,1,5,,,g1'
	echo '2,3,modify,modified,200,id-no-id,no-id,1,5,,,g2'
	echo '3,4,modify,unchanged,200,id-cut,cut,1,5,,,g3'
	echo '4,5,modify,modified,200,id-other,kept,1,5,,,g4'
	echo '5,6,modify,modified,200,id-both,both,1,5,,,g5'
} > "$T/run2.results.csv"

set +e
"$S3SRC" report "$T/run1.results.csv" "$T/run2.results.csv" --format jsonl \
	--ids-out "$T/ids.txt" > "$T/rep.jsonl"
code=$?
set -e
assert_eq "$code" 0 "exit code (every source's latest record is a success)"
assert_eq "$(jq -s length "$T/rep.jsonl")" 6 "sources: lost, no-id, cut, kept (id-kept), kept (id-other), both"
get() { jq -r --arg i "$1" --arg k "$2" 'select(.integrationId == $i) | .[$k] // ""' "$T/rep.jsonl"; }
assert_eq "$(get id-lost outcome)/$(get id-lost action)/$(get id-lost runs)" unchanged/modify/2 "lost: failed create, then unchanged"
assert_eq "$(get id-no-id outcome)/$(get id-no-id runs)" modified/2 "no-id: failed create, then modified"
assert_eq "$(get id-cut outcome)/$(get id-cut runs)" unchanged/2 "cut: abandoned create, then unchanged"
assert_eq "$(get id-kept outcome)/$(get id-kept runs)" created/1 "kept: created with its own ID"
assert_eq "$(get id-other outcome)/$(get id-other runs)" modified/1 "another source with kept's label"
assert_eq "$(get id-both outcome)/$(get id-both runs)" modified/3 "both: its ID's modify and its label's create joined"
assert_eq "$(jq -r 'select(.integrationId == null) | .integrationLabel' "$T/rep.jsonl")" "" "no entry left without an ID"
assert_eq "$(grep -v '^#' "$T/ids.txt" | sort | tr '\n' ' ')" "id-both id-cut id-kept id-lost id-no-id id-other " "IDs created or modified"

"$S3SRC" report "$T/run1.results.csv" "$T/run2.results.csv" > "$T/rep.txt" ||
	{ cat "$T/rep.txt" >&2; fail "table: exit code"; }
grep -q '^report: 2 results files, 11 records, 6 sources$' "$T/rep.txt" || { cat "$T/rep.txt" >&2; fail "table: sources"; }
grep -q '^latest outcome: 1 created, 3 modified, 2 unchanged$' "$T/rep.txt" || fail "table: counts"
grep -q '^still failing: none$' "$T/rep.txt" || fail "table: still failing"

# the files in the other order: the failed creates are the latest records
set +e
"$S3SRC" report "$T/run2.results.csv" "$T/run1.results.csv" --format jsonl > "$T/rev.jsonl"
code=$?
set -e
assert_eq "$code" 1 "reversed: the failed creates come last"
assert_eq "$(jq -r 'select(.integrationLabel == "lost" and .action == "create") | .outcome' "$T/rev.jsonl")" failed "reversed: lost's create is the latest record"
ok "a re-run's modify (label and ID) supersedes the failed create of its label"

# a failed modify between the failed create and the success: the create may
# still have made the source, so its ID is still in --ids-out
{ echo "$H"; echo '1,2,create,failed,201,,src-a,1,5,the API answered 201 without an integrationId,,h1'; } > "$T/m1.results.csv"
{ echo "$H"; echo '1,2,modify,failed,503,id-a,src-a,5,9,HTTP 503 (after 5 attempts),,h2'; } > "$T/m2.results.csv"
{ echo "$H"; echo '1,2,modify,unchanged,200,id-a,src-a,1,5,,,h3'; } > "$T/m3.results.csv"
"$S3SRC" report "$T/m1.results.csv" "$T/m2.results.csv" "$T/m3.results.csv" --ids-out "$T/m.ids" \
	> "$T/m.txt" || { cat "$T/m.txt" >&2; fail "three runs: exit code"; }
assert_eq "$(grep -v '^#' "$T/m.ids" | tr '\n' ' ')" "id-a " "three runs: the failed create's ID"
grep -q '^report: 3 results files, 3 records, 1 source$' "$T/m.txt" || { cat "$T/m.txt" >&2; fail "three runs: one source"; }
ok "a failed modify in between keeps the failed create's ID in --ids-out"
