#!/usr/bin/env bash
# fake_panther_rate_limit.sh - end-to-end test of fake-panther's --rate-limit,
# with curl and jq: what it protects is that the limit is a server-wide rate.
#
#  1. 60 POSTs, 20 at a time, against --rate-limit 1 --rate-burst 5: at most
#     the burst plus one per second elapsed get through (no lower bound on
#     time: the count is what is asserted), the rest are 429 without
#     Retry-After (the default), nothing of a refused request is applied, and
#     the server's counts agree with what the clients saw.
#  2. Every API route is limited (GET of an unknown path included); the
#     control endpoints never are; POST /_fake/reset refills the bucket.
#  3. --rate-limit-retry-after 3 and auto put a Retry-After on those 429s.
#  4. Bad values and --rate-burst without --rate-limit are refused.
set -euo pipefail

. "$(dirname "$0")/lib/fake_server.bash"

# post LABEL: prints "LABEL HTTP_CODE RETRY_AFTER"
post() {
	local code
	code=$(curl -s -o /dev/null -D "$TMP/h.$1" -w '%{http_code}' --max-time 10 \
		-H 'X-API-Key: test-token' -H 'Content-Type: application/json' \
		--data-binary "{\"awsAccountId\":\"123456789012\",\"s3Bucket\":\"b\",\"integrationLabel\":\"$1\",\"s3PrefixLogTypes\":[],\"managedBucketNotifications\":false,\"logProcessingRole\":\"arn:aws:iam::1:role/r\",\"logStreamType\":\"Auto\"}" \
		"$BASE/log-sources/s3") || true
	echo "$1 ${code:-000} $(tr -d '\r' <"$TMP/h.$1" | awk -F': ' 'tolower($1)=="retry-after"{print $2}' | grep . || echo -)"
}
export -f post
export TMP

# ------------------------------------------------------------ 1. a burst
start burst --rate-limit 1 --rate-burst 5
export BASE
t0=$(date +%s%N)
seq 60 | sed 's/^/L-/' | xargs -P 20 -I{} bash -c 'post {}' >"$TMP/burst.txt"
t1=$(date +%s%N)
[ "$(wc -l <"$TMP/burst.txt")" = 60 ] || fail "lost client results"
secs=$(( (t1 - t0 + 999999999) / 1000000000 ))
n_201=$(awk '$2 == 201' "$TMP/burst.txt" | wc -l)
n_429=$(awk '$2 == 429' "$TMP/burst.txt" | wc -l)
echo "60 POSTs in about ${secs} s: 201=$n_201 429=$n_429"
[ $((n_201 + n_429)) = 60 ] || fail "replies other than 201 and 429: $(awk '$2 != 201 && $2 != 429' "$TMP/burst.txt" | head -3)"
[ "$n_201" -ge 5 ] || fail "the burst of 5 was not granted: $n_201 created"
[ "$n_201" -le $((5 + secs)) ] || fail "$n_201 created in ${secs} s at 1/s with a burst of 5"
[ -z "$(awk '$2 == 429 && $3 != "-"' "$TMP/burst.txt")" ] || fail "a 429 with Retry-After though none was asked for"
state >"$TMP/burst.json"
jq -e --argjson c "$n_201" --argjson t "$n_429" \
	'(.sources | length) == $c and .counts["201"] == $c and .counts["429"] == $t and .methods.POST == 60' \
	"$TMP/burst.json" >/dev/null || fail "state disagrees: $(jq -c '{n: (.sources | length), counts, methods}' "$TMP/burst.json")"
for label in $(awk '$2 == 429 {print $1}' "$TMP/burst.txt"); do
	jq -e --arg l "$label" 'any(.sources[]; .integrationLabel == $l) | not' "$TMP/burst.json" >/dev/null ||
		fail "$label was refused with 429 but applied"
done

# ------------------------------------------------------- 2. every route
start routes --rate-limit 0.01 --rate-burst 2
for _ in $(seq 30); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/_fake/state")" = 200 ] || fail "a control endpoint was limited"
done
codes=""
for path in /log-sources/s3/x /nowhere /log-sources/s3/y /nowhere; do
	codes="$codes $(curl -s -o /dev/null -w '%{http_code}' -H 'X-API-Key: test-token' "$BASE$path")"
done
[ "$codes" = " 404 404 429 429" ] || fail "routes: want 404 404 429 429, got$codes"
curl -s -X POST "$BASE/_fake/reset" >/dev/null
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-API-Key: test-token' "$BASE/nowhere")" = 404 ] ||
	fail "POST /_fake/reset did not refill the bucket"

# ------------------------------------------------------- 3. Retry-After
start ra --rate-limit 0.01 --rate-burst 1 --rate-limit-retry-after 3
export BASE
post A-1 >"$TMP/ra.txt"; post A-2 >>"$TMP/ra.txt"
[ "$(awk '{print $2, $3}' "$TMP/ra.txt" | tr '\n' ' ')" = "201 - 429 3 " ] || fail "retry-after 3: $(cat "$TMP/ra.txt")"
start auto --rate-limit 0.01 --rate-burst 1 --rate-limit-retry-after auto
export BASE
post B-1 >"$TMP/auto.txt"; post B-2 >>"$TMP/auto.txt"
# a token every 100 s: the next one is 99 or 100 s away
awk 'NR == 2 && $2 == 429 && ($3 == 100 || $3 == 99) {ok = 1} END {exit !ok}' "$TMP/auto.txt" ||
	fail "retry-after auto: $(cat "$TMP/auto.txt")"

# ------------------------------------------------------- 4. bad options
for args in "--rate-limit 0" "--rate-limit -3" "--rate-limit x" "--rate-burst 5" \
	"--rate-limit 5 --rate-limit-retry-after soon"; do
	rc=0
	# shellcheck disable=SC2086
	"$FAKE_PANTHER" --port 0 $args >/dev/null 2>"$TMP/bad.err" || rc=$?
	[ "$rc" = 2 ] && grep -q "rate" "$TMP/bad.err" || fail "'$args' accepted (exit $rc): $(cat "$TMP/bad.err")"
done

echo "fake_panther_rate_limit: ok"
