#!/usr/bin/env bash
# export_all.sh - the nightly backup: `s3src export --all` on a server with 230
# S3 sources and 7 of other kinds, listing pages of 25, 5% injected 5xx on
# every request (pages and GETs alike): the backup holds exactly the 230, field
# for field, exit 0; `s3src list` gives the same 230 IDs. Then the failure
# modes: a listing refused (403: exit 3) or failing (GraphQL error: exit 1)
# writes no backup and leaves the previous one as it was; --all with IDs is a
# usage error.
. "$(dirname "$0")/lib/common.bash"
start_fake --page-size 25 --other-sources 7 --fail-rate 0.05 --seed 230

gen_csv 230 nightly > "$T/in.csv"
"$S3SRC" import "$T/in.csv" -j 8 --results "$T/import.jsonl" -q || fail "import exited $?"
state > "$T/s0.json"
assert_eq "$(jq '.sources | length' "$T/s0.json")" 230 "S3 sources on the server"
assert_eq "$(jq '.otherSources | length' "$T/s0.json")" 7 "other sources on the server"
jq -S -c '.sources[]' "$T/s0.json" | sort > "$T/server.sorted"
fails0=$(jq .fails "$T/s0.json")
pages0=$(jq .listPages "$T/s0.json")

"$S3SRC" export --all -o "$T/nightly.jsonl.gz" --results "$T/export.jsonl" 2> "$T/export.err" \
	|| { cat "$T/export.err" >&2; fail "export --all exited $?"; }
zcat "$T/nightly.jsonl.gz" | jq -S -c . | sort > "$T/backup.sorted"
assert_eq "$(wc -l < "$T/backup.sorted")" 230 "sources in the backup"
cmp -s "$T/backup.sorted" "$T/server.sorted" || { diff "$T/backup.sorted" "$T/server.sorted" | head -5 >&2; fail "the backup differs from the server"; }
assert_eq "$(jcount "$T/export.jsonl" '.outcome == "exported"')" 230 "exported rows"
grep -q "the listing shows 230 S3 sources (7 of other kinds left out)" "$T/export.err" || fail "no listing line: $(cat "$T/export.err")"
s1=$(state)
pages=$(( $(echo "$s1" | jq .listPages) - pages0 ))
assert_eq "$pages" 10 "listing pages (237 sources at 25 a page)"
fails=$(( $(echo "$s1" | jq .fails) - fails0 ))
[ "$fails" -gt 0 ] || fail "no fault was injected during the export: the test proves nothing"
ok "export --all: 230 of 237 sources, field for field, exit 0 ($fails injected 5xx retried, $pages pages)"

"$S3SRC" list > "$T/list.csv" 2>/dev/null || fail "list exited $?"
assert_eq "$(tail -n +2 "$T/list.csv" | cut -d, -f1 | sort)" "$(zcat "$T/nightly.jsonl.gz" | jq -r .integrationId | sort)" "list IDs = backup IDs"
assert_eq "$(tail -n +2 "$T/list.csv" | wc -l)" 230 "list lines"
ok "list gives the same 230 IDs"


# failure modes: the previous backup is kept
cp "$T/nightly.jsonl.gz" "$T/prev.jsonl.gz"
stop_fake
start_fake --listing-fail 403
set +e; "$S3SRC" export --all -o "$T/nightly.jsonl.gz" --results "$T/e403.jsonl" 2> "$T/e.err"; code=$?; set -e
assert_eq "$code" 3 "export --all on a 403 listing"
grep -q "the API refused the listing (HTTP 403.*nothing was exported" "$T/e.err" || fail "403 message: $(cat "$T/e.err")"
cmp -s "$T/nightly.jsonl.gz" "$T/prev.jsonl.gz" || fail "a refused listing changed the backup"
assert_eq "$(state | jq '.methods.GET // 0')" 0 "GETs after a refused listing"
stop_fake
start_fake --listing-fail errors
set +e; "$S3SRC" export --all -o "$T/nightly.jsonl.gz" -q 2> "$T/e.err"; code=$?; set -e
assert_eq "$code" 1 "export --all on a GraphQL error"
grep -q "GraphQL error" "$T/e.err" || fail "errors message: $(cat "$T/e.err")"
cmp -s "$T/nightly.jsonl.gz" "$T/prev.jsonl.gz" || fail "a failed listing changed the backup"
ok "listing refused (3) or failed (1): no backup written, the previous one kept"

set +e; "$S3SRC" export --all 00000000-0000-4000-8000-000000000001 -q 2> "$T/e.err"; code=$?; set -e
assert_eq "$code" 2 "--all with an ID"
grep -q "takes no IDs" "$T/e.err" || fail "message: $(cat "$T/e.err")"
ok "--all with an ID: exit 2"
