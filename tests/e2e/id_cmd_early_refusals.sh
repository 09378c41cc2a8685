#!/usr/bin/env bash
# export --all and delete --label read the server's listing; every usage error
# that does not need it is refused before it is read (exit 2, zero requests):
# an unsupported backup extension, -o - (a backup is only ever written whole),
# and delete without --yes when stdin is not a terminal.
. "$(dirname "$0")/lib/common.bash"
start_fake --page-size 2
gen_csv 6 early > "$T/in.csv"
n=0

# refused WHAT PATTERN -- s3src ARGS...: exit 2, the pattern on stderr, no request
refused() {
	local what=$1
	reset_fake
	usage_error "$@"
	grep -q "the listing shows" "$T/err.txt" && { cat "$T/err.txt" >&2; fail "$what: the listing was read"; }
	state > "$T/s.json"
	assert_eq "$(jq '.listPages // 0' "$T/s.json")" 0 "$what: listing pages read"
	assert_eq "$(jq '.methods | add // 0' "$T/s.json")" 0 "$what: API requests"
	n=$((n + 1))
}

refused "export --all -o x.txt" "unsupported extension" -- export --all -o "$T/x.txt" --results "$T/e1.jsonl"
refused "export --all -o -" "only ever written whole" -- export --all -o - --results "$T/e2.jsonl"
refused "export ID -o -" "only ever written whole" -- \
	export 00000000-0000-4000-8000-000000000001 -o - --results "$T/e3.jsonl"
refused "delete --label --backup y.txt" "unsupported extension" -- \
	delete --label early-00001 --backup "$T/y.txt" --yes --results "$T/d1.jsonl"
refused "delete --label without --yes, stdin not a terminal" \
	"delete needs --yes when stdin is not a terminal \(nothing was sent\)" -- \
	delete --label early-00001 --results "$T/d2.jsonl"
ok "$n usage errors of export --all and delete --label refused before the listing"

# still works: the same commands done right (a reset empties the server)
reset_fake
"$S3SRC" import "$T/in.csv" --results "$T/r2.jsonl" -q || fail "import exited $?"
"$S3SRC" delete --label early-00001 --yes --backup "$T/ok.jsonl.gz" --results "$T/d3.jsonl" -q < /dev/null ||
	fail "delete --label --yes exited $?"
assert_eq "$(jcount "$T/d3.jsonl" '.outcome == "deleted"')" 1 "deleted with --label --yes"
set +e
"$S3SRC" delete not-an-id --results "$T/d4.jsonl" -q < /dev/null 2> "$T/d4.err"
code=$?
set -e
assert_eq "$code" 1 "delete of an invalid ID only, no --yes: exit code"
grep -q "needs --yes" "$T/d4.err" && fail "an invalid ID only asked for --yes"
ok "delete --label --yes, and an invalid ID without --yes, as before"
