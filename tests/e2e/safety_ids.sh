#!/usr/bin/env bash
# Output safety for export and delete IDs: a UTF-16 --ids list (what
# PowerShell writes) is refused with exit 2 and no request, never read as
# garbage; an ID that is not UUID-shaped ('.', '..', 'a/b', a label) is its
# row's invalid outcome and is never sent (no "DELETE /log-sources/"); the
# IDs of repeated --ids files are all used; --failed writes the failed IDs as
# a file that --ids reads back; a GET answered with another source's ID is
# failed, never exported.
. "$(dirname "$0")/lib/common.bash"
start_fake
gen_csv 6 ids > "$T/in.csv"
"$S3SRC" import "$T/in.csv" --results "$T/r.jsonl" -q || fail "import exited $?"
state | jq -r '.sources[].integrationId' > "$T/ids.txt"

requests() { state | jq '.methods | add // 0'; }

# UTF-16 with a BOM, as PowerShell's Out-File writes
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE < "$T/ids.txt"; } > "$T/ids16.txt"
before=$(requests)
for cmd in delete export; do
	set +e
	if [ $cmd = delete ]; then
		"$S3SRC" delete --ids "$T/ids16.txt" --yes --backup "$T/b16.jsonl.gz" --results "$T/d16.jsonl" 2> "$T/err.txt"
	else
		"$S3SRC" export --ids "$T/ids16.txt" -o "$T/e16.jsonl.gz" --results "$T/e16.jsonl" 2> "$T/err.txt"
	fi
	code=$?
	set -e
	assert_eq "$code" 2 "$cmd --ids UTF-16"
	grep -q "is UTF-16 (little-endian) text; save it as UTF-8" "$T/err.txt" || { cat "$T/err.txt" >&2; fail "$cmd: no encoding message"; }
done
# UTF-16 without a BOM: its NUL bytes are refused the same way
iconv -f UTF-8 -t UTF-16LE < "$T/ids.txt" > "$T/ids16nobom.txt"
set +e
"$S3SRC" delete --ids "$T/ids16nobom.txt" --yes --backup "$T/b16b.jsonl.gz" --results "$T/d16b.jsonl" 2> "$T/err.txt"
code=$?
set -e
assert_eq "$code" 2 "delete --ids UTF-16 without a BOM"
grep -q "NUL byte; an IDs file must be UTF-8 text" "$T/err.txt" || { cat "$T/err.txt" >&2; fail "no NUL message"; }
assert_eq "$(requests)" "$before" "requests after the UTF-16 lists"
assert_eq "$(state | jq '.sources | length')" 6 "sources after the UTF-16 lists"
ok "UTF-16 --ids lists: exit 2, nothing sent"

# IDs that are not UUIDs are invalid rows, never sent
before=$(requests)
set +e
"$S3SRC" delete . .. a/b prod-x "%2e%2e" --yes --backup "$T/bd.jsonl.gz" --results "$T/dots.jsonl" 2> "$T/err.txt"
code=$?
set -e
assert_eq "$code" 1 "delete of non-UUID IDs"
assert_eq "$(jcount "$T/dots.jsonl" '.outcome == "invalid"')" 5 "invalid rows"
assert_eq "$(jcount "$T/dots.jsonl" '.error == "'"'prod-x' is not an integration ID; to delete by label use --label"'"')" 1 \
	"the message for a label"
assert_eq "$(requests)" "$before" "requests for non-UUID IDs"
assert_eq "$(state | jq '.sources | length')" 6 "sources after deleting '.' and '..'"
set +e
"$S3SRC" export .. --ids "$T/ids.txt" -o "$T/mixed.jsonl" --results "$T/mixed.jsonl.r.jsonl" -q
code=$?
set -e
assert_eq "$code" 1 "export of '..' with good IDs"
assert_eq "$(wc -l < "$T/mixed.jsonl")" 6 "the good IDs exported"
ok "'.', '..', 'a/b' and labels are invalid rows; nothing sent for them"

# repeated --ids: the union
head -2 "$T/ids.txt" > "$T/a.txt"
tail -2 "$T/ids.txt" > "$T/b.txt"
"$S3SRC" export --ids "$T/a.txt" --ids "$T/b.txt" -o "$T/ab.jsonl" --results "$T/ab.r.jsonl" -q || fail "export exited $?"
assert_eq "$(wc -l < "$T/ab.jsonl")" 4 "sources exported from two --ids files"
ok "repeated --ids: all four IDs exported"

# --failed for export and delete: the failed IDs, a file --ids reads back
missing=00000000-0000-4000-8000-00000000dead
set +e
"$S3SRC" export "$missing" $(head -1 "$T/ids.txt") -o "$T/f.jsonl" --results "$T/f.r.jsonl" --failed "$T/failed-ids.csv" -q
code=$?
set -e
assert_eq "$code" 1 "export with a missing ID"
assert_eq "$(head -1 "$T/failed-ids.csv")" "integrationId,error" "failed IDs header"
assert_eq "$(tail -n +2 "$T/failed-ids.csv" | cut -d, -f1)" "$missing" "failed IDs"
set +e
"$S3SRC" export --ids "$T/failed-ids.csv" -o "$T/f2.jsonl" --results "$T/f2.r.jsonl" -q
set -e
assert_eq "$(jq -r .integrationId "$T/f2.r.jsonl")" "$missing" "the failed-IDs file read back by --ids"
ok "--failed writes the failed IDs as an --ids file"

# a GET answered with another source's ID: failed, not exported, not in the backup
stop_fake
start_fake --bad-reply-rate 1 --bad-reply-kind otherid
"$S3SRC" import "$T/in.csv" --results "$T/r2.jsonl" -q --max-attempts 1 || true
id=$(state | jq -r '.sources[0].integrationId')
set +e
"$S3SRC" export "$id" -o "$T/other.jsonl" --results "$T/other.r.jsonl" -q
code=$?
set -e
assert_eq "$code" 1 "export answered with another ID"
assert_eq "$(jcount "$T/other.r.jsonl" '.outcome == "failed" and (.error | test("answered with source"))')" 1 "failed row"
assert_eq "$(cat "$T/other.jsonl" 2>/dev/null | wc -l)" 0 "records in the backup"
ok "a reply with another integrationId is failed, not exported"
