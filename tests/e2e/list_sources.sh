#!/usr/bin/env bash
# list_sources.sh - `s3src list`: exactly the server's S3 sources (other kinds
# left out) across pages; CSV on a pipe, table, JSONL, -o written atomically;
# the CSV and JSONL are valid --ids files; the --api-url forms; the failure
# modes of the listing (403 -> 3, 404 and GraphQL errors -> 1, each with its
# message), an unwritable -o refused before any request, the token in no output.
. "$(dirname "$0")/lib/common.bash"
start_fake --page-size 7 --other-sources 5

gen_csv 40 ls > "$T/in.csv"
"$S3SRC" import "$T/in.csv" --match none --results "$T/r.jsonl" -q || fail "import exited $?"
state | jq -r '.sources[] | [.integrationId, .integrationLabel, .awsAccountId, .s3Bucket] | @csv' | tr -d '"' | sort > "$T/server.csv"

# CSV on a pipe: the header and one line per S3 source, nothing else
"$S3SRC" list > "$T/l.csv" 2> "$T/l.err" || fail "list exited $?"
assert_eq "$(head -1 "$T/l.csv")" "integrationId,integrationLabel,awsAccountId,s3Bucket" "CSV header"
tail -n +2 "$T/l.csv" | sort > "$T/l.sorted"
cmp -s "$T/l.sorted" "$T/server.csv" || { diff "$T/l.sorted" "$T/server.csv" | head >&2; fail "list differs from the server"; }
grep -q "list: 40 S3 sources (5 sources of other kinds left out)" "$T/l.err" || fail "summary: $(cat "$T/l.err")"
grep -q "7 pages" "$T/l.err" || fail "45 sources at 7 per page are 7 pages: $(cat "$T/l.err")"
assert_eq "$(state | jq .listPages)" 7 "pages the server answered"
ok "list: 40 S3 sources of 45, 7 pages, equal to the server"

# the --api-url forms: trailing / and /public/graphql are stripped
for u in "$FAKE_URL/" "$FAKE_URL/public/graphql" "$FAKE_URL/public/graphql/"; do
	"$S3SRC" list --api-url "$u" -q | tail -n +2 | sort | cmp -s - "$T/server.csv" || fail "list with --api-url $u"
done
ok "--api-url with / and /public/graphql"

# table and JSONL
"$S3SRC" list --format table -q > "$T/l.txt"
assert_eq "$(head -1 "$T/l.txt" | tr -s ' ')" "integrationId integrationLabel awsAccountId s3Bucket" "table header"
assert_eq "$(tail -n +2 "$T/l.txt" | awk '{print $1","$2","$3","$4}' | sort)" "$(cat "$T/server.csv")" "table rows"
"$S3SRC" list --format jsonl -q > "$T/l.jsonl"
assert_eq "$(jq -r '[.integrationId, .integrationLabel, .awsAccountId, .s3Bucket] | join(",")' "$T/l.jsonl" | sort)" "$(cat "$T/server.csv")" "JSONL rows"
ok "table and JSONL"

# -o: by extension, atomically, and a valid --ids file for export
"$S3SRC" list -o "$T/out.csv" -q || fail "list -o exited $?"
cmp -s "$T/out.csv" "$T/l.csv" || fail "-o out.csv differs from stdout"
"$S3SRC" list -o "$T/out.jsonl.gz" -q || fail "list -o .jsonl.gz exited $?"
assert_eq "$(zcat "$T/out.jsonl.gz" | wc -l)" 40 "gzip JSONL lines"
"$S3SRC" export --ids "$T/out.csv" -o "$T/b.jsonl" -q || fail "export --ids list.csv exited $?"
"$S3SRC" export --ids "$T/out.jsonl.gz" -o "$T/b2.jsonl" -q || fail "export --ids list.jsonl.gz exited $?"
assert_eq "$(jq -r .integrationId "$T/b.jsonl" | sort)" "$(cut -d, -f1 "$T/server.csv")" "export by the list's CSV"
assert_eq "$(jq -r .integrationId "$T/b2.jsonl" | sort)" "$(cut -d, -f1 "$T/server.csv")" "export by the list's JSONL"
ls "$T" | grep -q '\.tmp' && fail "a temporary file was left"
ok "-o .csv and .jsonl.gz; both are --ids files"

# usage errors: nothing sent
pages=$(state | jq .listPages)
for args in "-o $T/x.bin" "--format xml" "extra" "-o $T/missing/dir/x.csv"; do
	set +e
	# shellcheck disable=SC2086
	"$S3SRC" list $args > /dev/null 2> "$T/u.err"
	code=$?
	set -e
	assert_eq "$code" 2 "list $args"
done
grep -q "missing/dir" "$T/u.err" || fail "the unwritable -o is not named: $(cat "$T/u.err")"
assert_eq "$(state | jq .listPages)" "$pages" "pages after usage errors"
ok "usage errors exit 2 before any request"

# the listing's failure modes
stop_fake
start_fake --listing-fail 403
set +e; "$S3SRC" list -o "$T/out.csv" > /dev/null 2> "$T/f.err"; code=$?; set -e
assert_eq "$code" 3 "403"
grep -q "the API refused the listing (HTTP 403" "$T/f.err" || fail "403 message: $(cat "$T/f.err")"
cmp -s "$T/out.csv" "$T/l.csv" || fail "a failed listing changed -o"
stop_fake
start_fake --listing-fail 404
set +e; "$S3SRC" list > /dev/null 2> "$T/f.err"; code=$?; set -e
assert_eq "$code" 1 "404"
grep -q "the API refused the listing (HTTP 404.*check --api-url" "$T/f.err" || fail "404 message: $(cat "$T/f.err")"
stop_fake
start_fake --listing-fail errors
set +e; "$S3SRC" list > "$T/f.out" 2> "$T/f.err"; code=$?; set -e
assert_eq "$code" 1 "GraphQL errors"
grep -q "GraphQL error 'internal error while listing sources (injected)'" "$T/f.err" || fail "errors message: $(cat "$T/f.err")"
[ ! -s "$T/f.out" ] || fail "a failed listing printed lines"
stop_fake
start_fake
set +e; PANTHER_API_TOKEN=wrong-token "$S3SRC" list > /dev/null 2> "$T/f.err"; code=$?; set -e
assert_eq "$code" 3 "401"
grep -q "refused the token" "$T/f.err" || fail "401 message: $(cat "$T/f.err")"
ok "403 -> 3, 404 -> 1, GraphQL error -> 1, 401 -> 3, each with its message; -o kept"

# retries: pages under 5xx and resets are retried, the listing is complete
stop_fake
start_fake --page-size 5 --other-sources 3 --fail-rate 0.2 --reset-rate 0.1 --seed 11
"$S3SRC" import "$T/in.csv" --match none --results "$T/r2.jsonl" -q --max-attempts 10 || fail "import under faults exited $?"
"$S3SRC" list --max-attempts 10 > "$T/l2.csv" 2> "$T/l2.err" || fail "list under faults exited $?: $(cat "$T/l2.err")"
assert_eq "$(tail -n +2 "$T/l2.csv" | cut -d, -f1 | sort)" "$(state | jq -r '.sources[].integrationId' | sort)" "IDs under faults"
grep -qE 'retr(y|ies)' "$T/l2.err" || fail "no summary"
ok "list under 20% 5xx + 10% resets: complete ($(grep -oE '[0-9]+ retr(y|ies)' "$T/l2.err"))"

assert_no_token "$T"/*
