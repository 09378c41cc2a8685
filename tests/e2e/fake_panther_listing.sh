#!/usr/bin/env bash
# fake_panther_listing.sh - fake-panther's GraphQL `sources` listing, with curl
# and jq: every source of every kind once, cursor-paged at --page-size, S3
# nodes with account and bucket, other kinds (--other-sources) only in the
# listing; bad cursors and unknown fields answered like GraphQL (200 with
# errors); a body that is not JSON 400; auth; --listing-fail; faults apply.
. "$(dirname "$0")/lib/common.bash"

Q='query Sources($input: SourcesInput) { sources(input: $input) { edges { node { integrationId integrationLabel integrationType ... on S3LogIntegration { awsAccountId s3Bucket } } } pageInfo { hasNextPage endCursor } } }'
# gql [CURSOR]: one page's reply on stdout; the HTTP status in $T/status
gql() {
	local body
	if [ $# -gt 0 ]; then
		body=$(jq -cn --arg q "$Q" --arg c "$1" '{query: $q, variables: {input: {cursor: $c}}}')
	else
		body=$(jq -cn --arg q "$Q" '{query: $q}')
	fi
	curl -sS -o "$T/reply" -w '%{http_code}' -H "X-API-Key: $TOKEN" -H 'Content-Type: application/json' \
		--data-binary "$body" "$FAKE_URL/public/graphql" > "$T/status"
	cat "$T/reply"
}

start_fake --page-size 4 --other-sources 3
gen_csv 10 ls > "$T/in.csv"
"$S3SRC" import "$T/in.csv" --match none --results "$T/r.jsonl" -q || fail "import exited $?"

# page through: 13 nodes, 4 pages of at most 4
: > "$T/nodes"
cursor=""
pages=0
while :; do
	if [ -z "$cursor" ]; then gql > "$T/page"; else gql "$cursor" > "$T/page"; fi
	assert_eq "$(cat "$T/status")" 200 "page status"
	pages=$((pages + 1))
	[ "$(jq '.data.sources.edges | length' "$T/page")" -le 4 ] || fail "a page holds more than --page-size"
	jq -c '.data.sources.edges[].node' "$T/page" >> "$T/nodes"
	[ "$(jq '.data.sources.pageInfo.hasNextPage' "$T/page")" = true ] || break
	cursor=$(jq -r '.data.sources.pageInfo.endCursor' "$T/page")
done
assert_eq "$pages" 4 "pages"
assert_eq "$(wc -l < "$T/nodes")" 13 "nodes listed"
assert_eq "$(jq -r .integrationId "$T/nodes" | sort -u | wc -l)" 13 "distinct nodes"
assert_eq "$(jq -r .integrationId "$T/nodes" | LC_ALL=C sort -c && echo sorted)" sorted "listing order"
assert_eq "$(jq -s '[.[] | select(.integrationType == "aws-s3")] | length' "$T/nodes")" 10 "S3 nodes"
assert_eq "$(jq -s '[.[] | select(.integrationType == "aws-sqs" or .integrationType == "http")] | length' "$T/nodes")" 3 "other nodes"
# the S3 nodes are the server's sources, account and bucket included
jq -c 'select(.integrationType == "aws-s3") | {integrationId, integrationLabel, awsAccountId, s3Bucket}' "$T/nodes" | jq -S -c . | sort > "$T/listed"
state | jq -S -c '.sources[] | {integrationId, integrationLabel, awsAccountId, s3Bucket}' | sort > "$T/server"
cmp -s "$T/listed" "$T/server" || fail "the S3 nodes differ from the server's sources"
# the other kinds exist only in the listing
assert_eq "$(state | jq '.otherSources | length')" 3 "otherSources in the state"
other=$(jq -r 'select(.integrationType != "aws-s3") | .integrationId' "$T/nodes" | head -1)
assert_eq "$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $TOKEN" "$FAKE_URL/log-sources/s3/$other")" 404 "REST GET of another kind"
assert_eq "$(state | jq .listPages)" 4 "listPages counter"
ok "13 nodes in 4 pages of 4, 10 S3 equal to the server, 3 others"

# GraphQL errors: 200 with errors
gql "not-a-cursor" > /dev/null
assert_eq "$(cat "$T/status")" 200 "bad cursor status"
assert_eq "$(jq -r '.errors[0].message' "$T/reply")" "invalid cursor 'not-a-cursor'" "bad cursor message"
curl -sS -o "$T/reply" -w '%{http_code}' -H "X-API-Key: $TOKEN" --data-binary '{"query":"{ users { id } }"}' \
	"$FAKE_URL/public/graphql" > "$T/status"
assert_eq "$(cat "$T/status")" 200 "unknown field status"
assert_eq "$(jq -r '.errors[0].message' "$T/reply")" 'Cannot query field "users" on type "Query".' "unknown field"
curl -sS -o "$T/reply" -w '%{http_code}' -H "X-API-Key: $TOKEN" --data-binary '{"query":"'"$Q"'","variables":{"input":{"cursor":7}}}' \
	"$FAKE_URL/public/graphql" > "$T/status"
assert_eq "$(jq -r '.errors[0].message | test("Variable")' "$T/reply")" true "bad variable"
curl -sS -o "$T/reply" -w '%{http_code}' -H "X-API-Key: $TOKEN" --data-binary 'nope' "$FAKE_URL/public/graphql" > "$T/status"
assert_eq "$(cat "$T/status")" 400 "not JSON"
jq -e '.errors[0].message' "$T/reply" > /dev/null || fail "no errors member for a body that is not JSON"
assert_eq "$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $TOKEN" "$FAKE_URL/public/graphql")" 405 "GET"
assert_eq "$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: wrong" --data-binary '{"query":"{ sources { edges { node { integrationId } } } }"}' "$FAKE_URL/public/graphql")" 401 "bad token"
ok "GraphQL errors: bad cursor, unknown field, bad variable (200), not JSON (400), GET (405), token (401)"

# --listing-fail
stop_fake
start_fake --listing-fail 403
gql > /dev/null; assert_eq "$(cat "$T/status")" 403 "--listing-fail 403"
stop_fake
start_fake --listing-fail errors
gql > /dev/null; assert_eq "$(cat "$T/status")" 200 "--listing-fail errors"
jq -e '.errors[0].message' "$T/reply" > /dev/null || fail "--listing-fail errors has no errors"
stop_fake
ok "--listing-fail 403 and errors"

# faults apply to the listing (not ghosts: it writes nothing)
start_fake --fail-rate 0.5 --seed 3
codes=""
for i in $(seq 20); do gql > /dev/null; codes="$codes $(cat "$T/status")"; done
echo "$codes" | grep -q ' 200' || fail "no listing page answered under --fail-rate 0.5"
echo "$codes" | grep -Eq ' 50[0234]' || fail "--fail-rate does not apply to the listing"
stop_fake
start_fake --ghost-rate 1
gql > /dev/null; assert_eq "$(cat "$T/status")" 200 "a ghost decision on the listing"
ok "faults apply to the listing, ghosts do not"
