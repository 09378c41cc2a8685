#!/usr/bin/env bash
# Output safety: no output may be the input or another output. Each pairing a
# hostile user can type (the same path, a symbolic link, a hard link, a file
# not yet there named twice through "..") ends with exit 2 before any request,
# a message naming both options, and the input byte for byte as it was. Also:
# an existing non-empty --results/--failed is refused unless --overwrite; an
# output in a missing folder is refused before any request.
. "$(dirname "$0")/lib/common.bash"
start_fake
gen_csv 30 paths > "$T/d.csv"
sum0=$(sha256sum < "$T/d.csv")
ID=00000000-0000-4000-8000-000000000001
mkdir -p "$T/sub"
ln -s "$T/d.csv" "$T/link.csv"
ln "$T/d.csv" "$T/hard.csv"
n=0

# expect_refused WHAT PATTERN -- s3src ARGS...: exit 2, the pattern on stderr,
# zero API requests, the input unchanged, no results file created from nothing
expect_refused() {
	local what=$1
	usage_error "$@"
	assert_eq "$(state | jq '.methods | add // 0')" 0 "$what: API requests"
	assert_eq "$(sha256sum < "$T/d.csv")" "$sum0" "$what: the input changed"
	n=$((n + 1))
}

expect_refused "--results = input" "--results and the input|the input and --results" -- \
	import "$T/d.csv" --results "$T/d.csv"
expect_refused "--results = input via a symlink" "are the same file" -- \
	import "$T/d.csv" --results "$T/link.csv"
expect_refused "--results = input via a hard link" "are the same file" -- \
	import "$T/d.csv" --results "$T/hard.csv"
expect_refused "--results = input via .." "are the same file" -- \
	import "$T/d.csv" --results "$T/sub/../d.csv"
expect_refused "--failed = input" "the input.*--failed|--failed.*the input" -- \
	import "$T/d.csv" --results "$T/r.csv" --failed "$T/d.csv"
expect_refused "--results X --failed X (new file)" "--results and --failed name the same file" -- \
	import "$T/d.csv" --results "$T/x.csv" --failed "$T/x.csv"
expect_refused "--results X --failed X through .." "are the same file" -- \
	import "$T/d.csv" --results "$T/x.csv" --failed "$T/sub/../x.csv"
expect_refused "--resume = --results" "--resume and --results" -- \
	import "$T/d.csv" --resume "$T/prev.csv" --results "$T/prev.csv"
expect_refused "validate --results = input" "the input and --results" -- \
	validate "$T/d.csv" --results "$T/d.csv"
expect_refused "export -o X --results X" "--results and -o|-o and --results" -- \
	export $ID -o "$T/b.csv" --results "$T/b.csv"
expect_refused "delete --backup X --results X" "--backup and --results" -- \
	delete $ID --yes --backup "$T/b.jsonl" --results "$T/b.jsonl"
expect_refused "delete --ids X --results X" "--ids and --results" -- \
	delete --ids "$T/ids.txt" --yes --backup "$T/b.jsonl.gz" --results "$T/ids.txt"
expect_refused "export --failed = --ids" "--ids and --failed" -- \
	export --ids "$T/d.csv" -o "$T/b.jsonl" --results "$T/e.csv" --failed "$T/d.csv"
expect_refused "--failed -" "--failed needs a file name" -- \
	import "$T/d.csv" --results - --failed -
[ ! -e "$T/x.csv" ] || fail "a refused run created '$T/x.csv'"

# an existing, non-empty results or failed-rows file is not replaced by accident
echo "row,outcome" > "$T/old.csv"
echo "precious" > "$T/oldf.csv"
expect_refused "--results exists" "'.*old.csv' exists; choose another name or pass --overwrite" -- \
	import "$T/d.csv" --results "$T/old.csv"
expect_refused "--failed exists" "'.*oldf.csv' exists; choose another name or pass --overwrite" -- \
	import "$T/d.csv" --results "$T/new.csv" --failed "$T/oldf.csv"
expect_refused "export --results exists" "exists; choose another name or pass --overwrite" -- \
	export $ID -o "$T/b.jsonl" --results "$T/old.csv"
assert_eq "$(cat "$T/old.csv")" "row,outcome" "the old results file"
# every output checked writable before the first request
expect_refused "--failed in a missing folder" "--failed '.*/no/such/f.csv': folder '.*/no/such' does not exist" -- \
	import "$T/d.csv" --results "$T/r2.csv" --failed "$T/no/such/f.csv"
expect_refused "--results a folder" "is a folder" -- \
	import "$T/d.csv" --results "$T/sub"
expect_refused "export -o in a missing folder" "folder .* does not exist" -- \
	export $ID -o "$T/no/b.jsonl" --results "$T/r3.csv"
expect_refused "delete --failed in a missing folder" "does not exist" -- \
	delete $ID --yes --backup "$T/b4.jsonl" --results "$T/r4.csv" --failed "$T/no/f.csv"
ok "$n unsafe path combinations: exit 2, zero requests, input untouched"

# --overwrite replaces an explicit results file; an empty one needs nothing
"$S3SRC" import "$T/d.csv" --results "$T/old.csv" --overwrite -q || fail "import with --overwrite exited $?"
assert_eq "$(grep -c ',created,' "$T/old.csv")" 30 "created rows in the overwritten results file"
: > "$T/empty.csv"
"$S3SRC" validate "$T/d.csv" --results "$T/empty.csv" -q || fail "validate into an empty results file exited $?"
assert_eq "$(sha256sum < "$T/d.csv")" "$sum0" "the input after the runs"
ok "--overwrite replaces an explicit results file; an empty one is used as is"

# outputs replaced atomically on a re-run (export -o, list -o, report -o,
# report --ids-out) replace only their own kind of file: a results file, a
# spreadsheet or any other file at that name is exit 2 before any request
# unless --overwrite; an earlier run's output is replaced as before
reqs() { state | jq '.methods | add // 0'; }
# expect_kept WHAT PATTERN FILE -- ARGS...: exit 2, pattern, FILE unchanged, no request
expect_kept() {
	local what=$1 pattern=$2 file=$3 before sum
	shift 4
	before=$(reqs)
	sum=$(sha256sum < "$file")
	usage_error "$what" "$pattern" -- "$@"
	assert_eq "$(reqs)" "$before" "$what: API requests"
	assert_eq "$(sha256sum < "$file")" "$sum" "$what: '$file' changed"
	n=$((n + 1))
}
n=0
printf 'Source Name,Account ID\nmine,1\n' > "$T/sheet.csv"
cp "$T/old.csv" "$T/run1.results.csv"
expect_kept "export --all -o a results file" "'.*run1.results.csv' exists and is not an s3src backup; choose another name or pass --overwrite" \
	"$T/run1.results.csv" -- export --all -o "$T/run1.results.csv" --results "$T/x2.csv"
expect_kept "export -o a spreadsheet" "'.*sheet.csv' exists and is not an s3src backup" "$T/sheet.csv" -- \
	export $ID -o "$T/sheet.csv" --results "$T/x3.csv"
echo '{"integrationId":"x","s3Bucket":"b","outcome":"created"}' | gzip > "$T/res.jsonl.gz"
expect_kept "export -o a gzipped results file" "is not an s3src backup" "$T/res.jsonl.gz" -- \
	export $ID -o "$T/res.jsonl.gz" --results "$T/x4.csv"
expect_kept "list -o a spreadsheet" "'.*sheet.csv' exists and is not an s3src listing" "$T/sheet.csv" -- \
	list -o "$T/sheet.csv"
expect_kept "report -o a spreadsheet" "'.*sheet.csv' exists and is not an s3src report" "$T/sheet.csv" -- \
	report "$T/old.csv" -o "$T/sheet.csv"
expect_kept "report --ids-out a spreadsheet" "--ids-out '.*sheet.csv' exists and is not an s3src ID list" "$T/sheet.csv" -- \
	report "$T/old.csv" --ids-out "$T/sheet.csv"
"$S3SRC" export --all -o "$T/s3-sources-deleted-20260101T000000Z.jsonl.gz" --results "$T/x6.csv" -q --overwrite ||
	fail "export into a delete backup's name with --overwrite exited $?"
expect_kept "export -o a delete backup" "exists and is a delete backup; choose another name or pass --overwrite" \
	"$T/s3-sources-deleted-20260101T000000Z.jsonl.gz" -- \
	export --all -o "$T/s3-sources-deleted-20260101T000000Z.jsonl.gz" --results "$T/x7.csv"
ok "$n outputs that are not their command's own kind of file: exit 2, zero requests, kept"

# their own earlier output is replaced (a nightly backup keeps its name)
for f in b.jsonl.gz b.jsonl b.csv; do
	"$S3SRC" export --all -o "$T/nightly-$f" --results "$T/e1-$f.csv" -q || fail "export $f exited $?"
	"$S3SRC" export --all -o "$T/nightly-$f" --results "$T/e2-$f.csv" -q || fail "re-export into $f exited $?"
done
assert_eq "$(zcat "$T/nightly-b.jsonl.gz" | wc -l)" 30 "records in the refreshed backup"
for fmt in csv jsonl table; do
	"$S3SRC" list -o "$T/list-$fmt.out" --format $fmt -q || fail "list --format $fmt exited $?"
	"$S3SRC" list -o "$T/list-$fmt.out" --format $fmt -q || fail "list into its own $fmt exited $?"
done
"$S3SRC" report "$T/old.csv" -o "$T/rep.txt" --ids-out "$T/ids-out.txt" > /dev/null || true
"$S3SRC" report "$T/old.csv" -o "$T/rep.txt" --ids-out "$T/ids-out.txt" > /dev/null || fail "report into its own outputs exited $?"
for fmt in csv jsonl; do
	"$S3SRC" report "$T/old.csv" -o "$T/rep.$fmt" > /dev/null || true
	"$S3SRC" report "$T/old.csv" -o "$T/rep.$fmt" > /dev/null || fail "report into its own .$fmt exited $?"
done
# --overwrite forces it
"$S3SRC" export --all -o "$T/sheet.csv" --results "$T/x5.csv" --overwrite -q || fail "export --overwrite exited $?"
head -1 "$T/sheet.csv" | grep -q '^integrationId,integrationLabel' || fail "export --overwrite did not replace the spreadsheet"
printf 'Source Name\nmine\n' > "$T/sheet2.csv"
"$S3SRC" list -o "$T/sheet2.csv" --overwrite -q || fail "list --overwrite exited $?"
printf 'Source Name\nmine\n' > "$T/sheet3.csv"
"$S3SRC" report "$T/old.csv" --ids-out "$T/sheet3.csv" --overwrite > /dev/null || fail "report --overwrite exited $?"
ok "an earlier run's backup, listing and report are replaced; --overwrite replaces any file"
