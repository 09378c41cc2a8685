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
	local what=$1 pattern=$2
	shift 3
	set +e
	"$S3SRC" "$@" > "$T/out.txt" 2> "$T/err.txt" < /dev/null
	local code=$?
	set -e
	assert_eq "$code" 2 "$what: exit code"
	grep -qE -- "$pattern" "$T/err.txt" || { cat "$T/err.txt" >&2; fail "$what: message does not match '$pattern'"; }
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
