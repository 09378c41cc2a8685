#!/usr/bin/env bash
# Backup and restore end to end: import 120 -> export by the results file ->
# every record equals the server's source, in order; a missing ID -> exit 1,
# the others written; export to CSV -> validate passes -> import changes
# nothing (every row unchanged, no PUT); delete 20 with a backup -> the server holds 100, the backup holds
# the 20 as they were; restore with --mode create -> 120 again.
. "$(dirname "$0")/lib/common.bash"
start_fake

gen_csv 120 bk > "$T/in.csv"
"$S3SRC" import "$T/in.csv" -j 8 --results "$T/import.results.csv" -q || fail "import exited $?"
state | jq -c '.sources[]' > "$T/server0.jsonl"
assert_eq "$(wc -l < "$T/server0.jsonl")" 120 "sources after import"

# export by the results file: the order of the results file, records equal to the server's
"$S3SRC" export --ids "$T/import.results.csv" -o "$T/b1.jsonl.gz" --results "$T/e1.jsonl" -q || fail "export exited $?"
ids_in_order=$(tail -n +2 "$T/import.results.csv" | cut -d, -f6)
assert_eq "$(zcat "$T/b1.jsonl.gz" | jq -r .integrationId)" "$ids_in_order" "export order"
zcat "$T/b1.jsonl.gz" | jq -S -c . | sort > "$T/b1.sorted"
jq -S -c . "$T/server0.jsonl" | sort > "$T/server0.sorted"
cmp -s "$T/b1.sorted" "$T/server0.sorted" || fail "exported records differ from the server's sources"
assert_eq "$(jcount "$T/e1.jsonl" '.outcome == "exported" and .action == "get"')" 120 "exported rows"
ok "export of 120 equals the server, in order"

# a missing ID among them: exit 1, the others written
first=$(echo "$ids_in_order" | head -1)
set +e
"$S3SRC" export "$first" 00000000-0000-4000-8000-00000000dead "$first" -o "$T/b2.jsonl" --results "$T/e2.jsonl" -q
code=$?
set -e
assert_eq "$code" 1 "exit code with a missing ID"
assert_eq "$(wc -l < "$T/b2.jsonl")" 1 "records written (duplicate fetched once)"
assert_eq "$(jcount "$T/e2.jsonl" '.outcome == "failed" and .httpStatus == 404')" 1 "the 404 row"
ok "missing ID: exit 1, the rest written"

# every ID failed: the good backup at PATH is kept, not replaced by an empty one;
# a default name is not even taken
cp "$T/b1.jsonl.gz" "$T/b1.before"
set +e
"$S3SRC" export 00000000-0000-4000-8000-00000000dead -o "$T/b1.jsonl.gz" --results "$T/e4.jsonl" -q 2> "$T/e4.err"
code=$?
set -e
assert_eq "$code" 1 "exit code when every ID failed"
cmp -s "$T/b1.jsonl.gz" "$T/b1.before" || fail "an export of nothing replaced the good backup"
grep -q "every ID failed: no backup written; '.*b1.jsonl.gz' left as it was" "$T/e4.err" ||
	{ cat "$T/e4.err" >&2; fail "no word on stderr that the backup was kept"; }
mkdir "$T/empty"
(cd "$T/empty" && "$S3SRC" export 00000000-0000-4000-8000-00000000dead --results "$T/e5.jsonl" -q 2>/dev/null) && fail "export of nothing exited 0"
(cd "$T/empty" && "$S3SRC" delete not-an-id --label no-such-label --yes --results "$T/d5.jsonl" -q 2>/dev/null) && fail "delete of nothing exited 0"
"$S3SRC" delete 00000000-0000-4000-8000-00000000dead --backup "$T/empty/del.jsonl.gz" --yes --results "$T/d6.jsonl" -q ||
	fail "delete of an absent ID exited $?"
assert_eq "$(ls -A "$T/empty")" "" "files written when nothing was exported or backed up"
ok "nothing exported or backed up: the previous backup kept, no empty backup file"

# CSV export -> validate -> import changes nothing
"$S3SRC" export --ids "$T/import.results.csv" -o "$T/b3.csv" --results "$T/e3.jsonl" -q || fail "CSV export exited $?"
"$S3SRC" validate "$T/b3.csv" 2> "$T/v.txt" || { cat "$T/v.txt" >&2; fail "the CSV export does not validate"; }
"$S3SRC" import "$T/b3.csv" --results "$T/i3.jsonl" -q || fail "re-import of the CSV export exited $?"
assert_eq "$(jcount "$T/i3.jsonl" '.outcome == "unchanged"')" 120 "unchanged rows"
assert_eq "$(state | jq '.methods.PUT // 0')" 0 "PUTs sent for an unchanged source"
ls s3-sources-before-import-* > /dev/null 2>&1 && fail "a backup was written though nothing was modified"
state | jq -S -c '.sources[]' | sort > "$T/server1.sorted"
cmp -s "$T/server0.sorted" "$T/server1.sorted" || fail "re-importing the CSV export changed the server"
ok "CSV export re-imports without change"

# the previous backup stays untouched by a failed run, and no temporary is left
cp "$T/b1.jsonl.gz" "$T/b1.copy"

# delete 20 with a backup
echo "$ids_in_order" | head -20 > "$T/del.txt"
"$S3SRC" delete --ids "$T/del.txt" --backup "$T/deleted.jsonl.gz" --yes --results "$T/d.jsonl" -q || fail "delete exited $?"
assert_eq "$(state | jq '.sources | length')" 100 "sources after delete"
assert_eq "$(jcount "$T/d.jsonl" '.outcome == "deleted" and .action == "delete"')" 20 "deleted rows"
zcat "$T/deleted.jsonl.gz" | jq -S -c . | sort > "$T/deleted.sorted"
grep -F -f "$T/del.txt" "$T/server0.sorted" | sort > "$T/expected.sorted"
cmp -s "$T/deleted.sorted" "$T/expected.sorted" || fail "the delete backup does not hold the 20 as they were"
ok "deleted 20, backup holds them as they were"

# without --yes and without a terminal: exit 2, nothing sent
set +e
"$S3SRC" delete "$first" --backup "$T/x.jsonl.gz" -q < /dev/null
code=$?
set -e
assert_eq "$code" 2 "delete without --yes"
[ ! -e "$T/x.jsonl.gz" ] || fail "a backup was written without confirmation"

# deleting an absent source: deleted, "already absent"
"$S3SRC" delete "$(head -1 "$T/del.txt")" --backup "$T/again.jsonl.gz" --yes --results "$T/d2.jsonl" -q || fail "second delete exited $?"
assert_eq "$(jcount "$T/d2.jsonl" '.outcome == "deleted" and (.warning | test("already absent"))')" 1 "already absent"

# restore the 20 with --mode create: 120 again, same content, new IDs
"$S3SRC" import "$T/deleted.jsonl.gz" --mode create --results "$T/restore.jsonl" -q || fail "restore exited $?"
assert_eq "$(jcount "$T/restore.jsonl" '.outcome == "created"')" 20 "restored rows"
state > "$T/s2.json"
assert_eq "$(jq '.sources | length' "$T/s2.json")" 120 "sources after restore"
jq -S -c '.sources[] | del(.integrationId)' "$T/s2.json" | sort > "$T/s2.noid"
jq -S -c 'del(.integrationId)' "$T/server0.jsonl" | sort > "$T/s0.noid"
cmp -s "$T/s2.noid" "$T/s0.noid" || fail "restored sources differ from the originals"
ok "restore with --mode create: 120 sources, same content"

cmp -s "$T/b1.jsonl.gz" "$T/b1.copy" || fail "an earlier backup changed"
# atomic.c's temporaries are ".NAME.XXXXXX" beside the target
if ls -A "$T" | grep -q '^\.'; then fail "temporary files left: $(ls -A "$T" | grep '^\.')"; fi
