#!/usr/bin/env bash
# fake_panther_api.sh - end-to-end test of fake-panther's four operations, its
# auth, its schema checks and its control endpoints, with curl and jq.
#
# Starts $FAKE_PANTHER on a free port (--port 0 --port-file), then checks every
# status the contract names: 201/200/204, 401, 400 (missing field, wrong type,
# bad enum, unknown field at each level), 404, 409 (create and modify), that a
# PUT keeps awsAccountId and s3Bucket, and that /_fake/state and /_fake/reset
# tell the truth. Exits non-zero on the first failed check.
set -euo pipefail

: "${FAKE_PANTHER:?set FAKE_PANTHER to the fake-panther binary}"
TMP=$(mktemp -d)
PID=
cleanup() {
	if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
	rm -rf "$TMP"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# --help lists the options; a bad option is a usage error
"$FAKE_PANTHER" --help | grep -q -- '--ghost-rate' || fail "--help does not list the options"
rc=0; "$FAKE_PANTHER" --no-such-option >/dev/null 2>"$TMP/bad.err" || rc=$?
[ "$rc" = 2 ] || fail "an unknown option exits $rc, not 2"
grep -qx "fake-panther: error: unknown option '--no-such-option'" "$TMP/bad.err" ||
	fail "unknown option: $(cat "$TMP/bad.err")"
[ "$(wc -l < "$TMP/bad.err")" = 2 ] || fail "an unknown option prints more than its error and hint"
rc=0; "$FAKE_PANTHER" --port >/dev/null 2>"$TMP/bad.err" || rc=$?
[ "$rc" = 2 ] || fail "a missing value exits $rc, not 2"
grep -qx "fake-panther: error: option '--port' needs a value" "$TMP/bad.err" ||
	fail "missing value: $(cat "$TMP/bad.err")"

TOKEN=api-test-token
"$FAKE_PANTHER" --port 0 --port-file "$TMP/port" --token "$TOKEN" >"$TMP/out" 2>"$TMP/err" &
PID=$!
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.05; done
[ -s "$TMP/port" ] || fail "no port file"
PORT=$(cat "$TMP/port")
BASE=http://127.0.0.1:$PORT
grep -qx "listening on 127.0.0.1:$PORT" "$TMP/out" || fail "no 'listening on' line"

# call METHOD PATH [BODY] [TOKEN]: prints the status, body in $TMP/body
call() {
	local method=$1 path=$2 body=${3-} tok=${4-$TOKEN}
	local args=(-s -o "$TMP/body" -w '%{http_code}' -X "$method")
	[ -n "$tok" ] && args+=(-H "X-API-Key: $tok")
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
	curl "${args[@]}" "$BASE$path"
}
# expect WANT METHOD PATH [BODY] [TOKEN]
expect() {
	local want=$1; shift
	local got
	got=$(call "$@")
	[ "$got" = "$want" ] || fail "$1 $2: want $want, got $got: $(cat "$TMP/body")"
}
# expect_msg WANT SUBSTRING METHOD PATH [BODY]: also checks {"message"} names it
expect_msg() {
	local want=$1 sub=$2; shift 2
	expect "$want" "$@"
	jq -e --arg s "$sub" '.message | type == "string" and contains($s)' "$TMP/body" >/dev/null ||
		fail "$1 $2: message does not mention '$sub': $(cat "$TMP/body")"
}

CREATE='{"awsAccountId":"123456789012","s3Bucket":"bucket-a","integrationLabel":"alpha",
 "s3PrefixLogTypes":[{"prefix":"logs/","logTypes":["AWS.CloudTrail"],"excludedPrefixes":["tmp/"]}],
 "managedBucketNotifications":true,"logProcessingRole":"arn:aws:iam::123456789012:role/r",
 "logStreamType":"JsonArray","logStreamTypeOptions":{"jsonArrayEnvelopeField":"Records"},
 "kmsKey":"arn:aws:kms:us-east-1:123456789012:key/k"}'
# with_field JSON JQ-EXPR: the body changed by a jq expression
with() { jq -c "$2" <<<"$1"; }

# --- auth ---
expect_msg 401 "" POST /log-sources/s3 "$CREATE" ""
expect_msg 401 "" POST /log-sources/s3 "$CREATE" wrong-token
expect 401 GET /log-sources/s3/whatever "" wrong-token

# --- create ---
expect 201 POST /log-sources/s3 "$CREATE"
ID=$(jq -r .integrationId "$TMP/body")
[[ $ID =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]] ||
	fail "integrationId '$ID' is not a UUID v4"
jq -e --argjson req "$CREATE" '. == ($req + {integrationId: .integrationId})' "$TMP/body" >/dev/null ||
	fail "201 body does not echo the request: $(cat "$TMP/body")"
expect 201 POST /log-sources/s3 "$(with "$CREATE" '.integrationLabel = "beta" | del(.kmsKey, .logStreamTypeOptions)')"
ID2=$(jq -r .integrationId "$TMP/body")
[ "$ID" != "$ID2" ] || fail "two sources got the same id"

# --- 400: schema ---
expect_msg 400 "'awsAccountId'" POST /log-sources/s3 "$(with "$CREATE" 'del(.awsAccountId) | .integrationLabel="x1"')"
expect_msg 400 "'s3PrefixLogTypes'" POST /log-sources/s3 "$(with "$CREATE" 'del(.s3PrefixLogTypes)')"
expect_msg 400 "'managedBucketNotifications'" POST /log-sources/s3 "$(with "$CREATE" '.managedBucketNotifications = "yes"')"
expect_msg 400 "'s3Bucket'" POST /log-sources/s3 "$(with "$CREATE" '.s3Bucket = 12')"
expect_msg 400 "'kmsKey'" POST /log-sources/s3 "$(with "$CREATE" '.kmsKey = null')"
expect_msg 400 "'logStreamType'" POST /log-sources/s3 "$(with "$CREATE" '.logStreamType = "Csv"')"
expect_msg 400 "unknown field 'kmsKeyy'" POST /log-sources/s3 "$(with "$CREATE" '.kmsKeyy = "k"')"
expect_msg 400 "unknown field 's3PrefixLogTypes[0].prefx'" POST /log-sources/s3 "$(with "$CREATE" '.s3PrefixLogTypes[0].prefx = "p"')"
expect_msg 400 "unknown field 'logStreamTypeOptions.xmlRoot'" POST /log-sources/s3 "$(with "$CREATE" '.logStreamTypeOptions.xmlRoot = "r"')"
expect_msg 400 "'s3PrefixLogTypes[0].logTypes[1]'" POST /log-sources/s3 "$(with "$CREATE" '.s3PrefixLogTypes[0].logTypes += [7]')"
expect_msg 400 "'logStreamTypeOptions.retainEnvelopeFields'" POST /log-sources/s3 "$(with "$CREATE" '.logStreamTypeOptions.retainEnvelopeFields = "true"')"
expect_msg 400 "JSON object" POST /log-sources/s3 '[1,2]'
expect_msg 400 "not valid JSON" POST /log-sources/s3 '{"awsAccountId":'
expect_msg 400 "unknown field 'awsAccountId'" PUT "/log-sources/s3/$ID" "$CREATE"
[ "$(curl -s "$BASE/_fake/state" | jq '.sources | length')" = 2 ] || fail "a rejected request changed the state"

# --- get ---
expect 200 GET "/log-sources/s3/$ID"
jq -e --arg id "$ID" '.integrationId == $id and .integrationLabel == "alpha"' "$TMP/body" >/dev/null ||
	fail "GET returned the wrong source: $(cat "$TMP/body")"
expect_msg 404 "not found" GET /log-sources/s3/00000000-0000-4000-8000-000000000000

# --- 409 on create and on modify ---
expect_msg 409 "'alpha'" POST /log-sources/s3 "$(with "$CREATE" '.s3Bucket = "other"')"
MODIFY=$(with "$CREATE" 'del(.awsAccountId, .s3Bucket) | .integrationLabel = "alpha-2" | .logStreamType = "Lines" | del(.kmsKey)')
expect_msg 409 "'beta'" PUT "/log-sources/s3/$ID" "$(with "$MODIFY" '.integrationLabel = "beta"')"

# --- modify keeps awsAccountId and s3Bucket, replaces the rest ---
expect 200 PUT "/log-sources/s3/$ID" "$MODIFY"
jq -e --arg id "$ID" '.integrationId == $id and .awsAccountId == "123456789012" and .s3Bucket == "bucket-a"
	and .integrationLabel == "alpha-2" and .logStreamType == "Lines" and (has("kmsKey") | not)' "$TMP/body" >/dev/null ||
	fail "PUT reply is wrong: $(cat "$TMP/body")"
# a PUT is a full replace, as the real API's: an optional field left out of it
# (kmsKey, logStreamTypeOptions, a mapping's excludedPrefixes) is gone, so a
# client that sends only part of a source is seen wiping the rest
BARE=$(with "$MODIFY" 'del(.logStreamTypeOptions) | .s3PrefixLogTypes = [{"prefix":"logs/","logTypes":["AWS.CloudTrail"]}]')
expect 200 PUT "/log-sources/s3/$ID" "$BARE"
expect 200 GET "/log-sources/s3/$ID"
jq -e -S --arg id "$ID" --argjson bare "$BARE" \
	'. == ($bare + {integrationId: $id, awsAccountId: "123456789012", s3Bucket: "bucket-a"})' "$TMP/body" >/dev/null ||
	fail "PUT did not replace the whole source: $(cat "$TMP/body")"
expect 200 PUT "/log-sources/s3/$ID" "$MODIFY"   # same label, same source: no conflict
expect_msg 404 "not found" PUT /log-sources/s3/nope "$(with "$MODIFY" '.integrationLabel = "fresh"')"
# the old label is free again, the new one taken
expect 201 POST /log-sources/s3 "$(with "$CREATE" '.integrationLabel = "alpha"')"
ID3=$(jq -r .integrationId "$TMP/body")
expect 409 POST /log-sources/s3 "$(with "$CREATE" '.integrationLabel = "alpha-2"')"

# --- delete: always 204 ---
expect 204 DELETE "/log-sources/s3/$ID2"
[ ! -s "$TMP/body" ] || fail "204 with a body"
expect 204 DELETE "/log-sources/s3/$ID2"
expect 204 DELETE /log-sources/s3/never-existed
expect 404 GET "/log-sources/s3/$ID2"
expect 201 POST /log-sources/s3 "$(with "$CREATE" '.integrationLabel = "beta"')" # label freed
ID4=$(jq -r .integrationId "$TMP/body")

# --- routes ---
expect 405 GET /log-sources/s3
expect 404 GET /log-sources/other

# --- state ---
curl -s "$BASE/_fake/state" >"$TMP/state"
jq -e --arg a "$ID" --arg b "$ID3" --arg c "$ID4" '
	([.sources[].integrationId] == [$a, $b, $c]) and
	([.sources[].integrationLabel] == ["alpha-2", "alpha", "beta"]) and
	.counts["201"] == 4 and .counts["409"] == 3 and .counts["204"] == 3 and .counts["401"] == 3 and
	.methods.DELETE == 3 and .postsByLabel.alpha == 15 and .postsByLabel.beta == 2 and .postsByLabel["alpha-2"] == 1 and .counts["400"] == 14 and
	.inFlight == 0 and .maxInFlight >= 1 and .ghosts == [] and .resets == 0 and .hangs == 0' \
	"$TMP/state" >/dev/null || fail "state is wrong: $(cat "$TMP/state")"

# --- reset ---
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/_fake/reset")" = 200 ] || fail "reset failed"
curl -s "$BASE/_fake/state" >"$TMP/state"
jq -e '.sources == [] and .counts == {} and .methods == {} and .postsByLabel == {}' "$TMP/state" >/dev/null ||
	fail "reset left state behind: $(cat "$TMP/state")"
expect 404 GET "/log-sources/s3/$ID"
expect 201 POST /log-sources/s3 "$CREATE"

# --- the token is never printed ---
kill "$PID"; wait "$PID" || fail "exit status $? on SIGTERM"
PID=
! grep -q "$TOKEN" "$TMP/out" "$TMP/err" || fail "the token was printed"
echo "fake_panther_api: ok"
