#!/usr/bin/env bash
# fake_panther_faults.sh - end-to-end test of fake-panther's fault injection,
# with curl and jq.
#
#  1. 200 POSTs, 16 at a time, with a seed and every fault at 0.12: each kind
#     shows up within a generous band, what the clients saw matches the
#     server's counters, every ghost write is in the state while its client got
#     no reply, every reset left nothing behind, hangs end when clients give up,
#     429 carries Retry-After, the control endpoints are never faulted.
#  2. The same requests in the same order after a reset give the same faults
#     and ids (seeded and repeatable); another seed gives other faults.
#  3. --latency-ms 200 on 10 parallel requests: they overlap (maxInFlight, and
#     a wall time well under 10 x 200 ms).
#  4. Each --bad-reply-kind does what it says.
#  5. Rates adding up to more than 1 are refused.
#  6. SIGTERM while requests hang and sleep: a clean, prompt exit with status 0
#     (under ASan this also proves nothing leaked).
set -euo pipefail

. "$(dirname "$0")/lib/fake_server.bash"

body() {
	printf '{"awsAccountId":"123456789012","s3Bucket":"b","integrationLabel":"%s","s3PrefixLogTypes":[],"managedBucketNotifications":false,"logProcessingRole":"arn:aws:iam::1:role/r","logStreamType":"Auto"}' "$1"
}
export -f body
# post LABEL MAXTIME: prints "LABEL HTTP_CODE CURL_EXIT RETRY_AFTER"
post() {
	local code rc=0
	code=$(curl -s -o /dev/null -D "$TMP/h.$1" -w '%{http_code}' --max-time "$2" \
		-H 'X-API-Key: test-token' -H 'Content-Type: application/json' \
		--data-binary "$(body "$1")" "$BASE/log-sources/s3") || rc=$?
	local ra
	ra=$(tr -d '\r' <"$TMP/h.$1" 2>/dev/null | awk -F': ' 'tolower($1)=="retry-after"{print $2}')
	echo "$1 ${code:-000} $rc ${ra:--}"
}
export -f post
export TMP

# ---------------------------------------------------------------- 1. mix
start mix --seed 42 --fail-rate 0.12 --throttle-rate 0.12 --reset-rate 0.12 \
	--ghost-rate 0.12 --hang-rate 0.12 --retry-after 7 --hang-max-ms 20000
export BASE
seq 200 | sed 's/^/L-/' | xargs -P 16 -I{} bash -c 'post {} 2' >"$TMP/mix.txt"
[ "$(wc -l <"$TMP/mix.txt")" = 200 ] || fail "lost client results"

# the control endpoints are never faulted
for _ in $(seq 20); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/_fake/state")" = 200 ] ||
		fail "/_fake/state was faulted"
done
# hangs end once their clients gave up
for _ in $(seq 50); do [ "$(state | jq .inFlight)" = 0 ] && break; sleep 0.1; done
state >"$TMP/mix.json"
jq -e '.inFlight == 0' "$TMP/mix.json" >/dev/null || fail "requests still in flight: $(jq -c '{inFlight}' "$TMP/mix.json")"

n_429=$(awk '$2==429' "$TMP/mix.txt" | wc -l)
n_5xx=$(awk '$2 ~ /^50[0234]$/' "$TMP/mix.txt" | wc -l)
n_201=$(awk '$2==201' "$TMP/mix.txt" | wc -l)
n_hang=$(awk '$2=="000" && $3==28' "$TMP/mix.txt" | wc -l)
n_drop=$(awk '$2=="000" && ($3==52 || $3==56)' "$TMP/mix.txt" | wc -l)
n_other=$((200 - n_429 - n_5xx - n_201 - n_hang - n_drop))
read -r s_thr s_fail s_hang s_reset s_ghost s_src <<<"$(jq -r '[.throttles, .fails, .hangs, .resets, (.ghosts|length), (.sources|length)] | @tsv' "$TMP/mix.json")"
echo "client: 201=$n_201 429=$n_429 5xx=$n_5xx hang=$n_hang drop=$n_drop other=$n_other"
echo "server: throttles=$s_thr fails=$s_fail hangs=$s_hang resets=$s_reset ghosts=$s_ghost sources=$s_src"

[ "$n_other" = 0 ] || fail "unexpected client results: $(awk '$2!~/^(201|429|50[0234]|000)$/' "$TMP/mix.txt" | head)"
band() { [ "$2" -ge 8 ] && [ "$2" -le 45 ] || fail "$1: $2 of 200 is outside 8..45 for a rate of 0.12"; }
band throttle "$n_429"; band fail "$n_5xx"; band hang "$n_hang"; band reset "$s_reset"; band ghost "$s_ghost"
[ "$n_429" = "$s_thr" ] || fail "clients saw $n_429 429s, server counted $s_thr"
[ "$n_5xx" = "$s_fail" ] || fail "clients saw $n_5xx 5xx, server counted $s_fail"
[ "$n_hang" = "$s_hang" ] || fail "clients timed out $n_hang times, server counted $s_hang hangs"
[ "$n_drop" = $((s_reset + s_ghost)) ] || fail "clients saw $n_drop drops, server $s_reset resets + $s_ghost ghosts"
[ "$s_src" = $((n_201 + s_ghost)) ] || fail "$s_src sources for $n_201 201s and $s_ghost ghosts"
[ "$(awk '$2 ~ /^50/ {print $2}' "$TMP/mix.txt" | sort -u | wc -l)" -ge 2 ] || fail "a single 5xx status"
[ -z "$(awk '$2==429 && $4!="7"' "$TMP/mix.txt")" ] || fail "429 without Retry-After: 7"
jq -e '[.counts | to_entries[] | .value] | add == ($n|tonumber)' --arg n $((n_201 + n_429 + n_5xx)) "$TMP/mix.json" >/dev/null ||
	fail "counts do not add up to the replies sent: $(jq -c .counts "$TMP/mix.json")"
jq -e '.methods.POST == 200 and ([.postsByLabel[]] | length == 200 and all(. == 1))' "$TMP/mix.json" >/dev/null ||
	fail "methods/postsByLabel wrong"
# every ghost: applied (in sources) while its client got no reply
for label in $(jq -r '.ghosts[] | select(.method == "POST") | .integrationLabel' "$TMP/mix.json"); do
	grep -q "^$label 000 5[26] " "$TMP/mix.txt" || fail "ghost $label: the client got a reply: $(grep "^$label " "$TMP/mix.txt")"
	jq -e --arg l "$label" 'any(.sources[]; .integrationLabel == $l)' "$TMP/mix.json" >/dev/null ||
		fail "ghost $label is not in the state"
done
jq -e '. as $s | [.ghosts[] | .integrationId as $id | any($s.sources[]; .integrationId == $id)] | all' "$TMP/mix.json" >/dev/null ||
	fail "a ghost id is not in the state"
# every other dropped, timed out or failed request left nothing behind
for label in $(awk '$2 != 201 {print $1}' "$TMP/mix.txt"); do
	jq -e --arg l "$label" 'any(.ghosts[]; .integrationLabel == $l) or (any(.sources[]; .integrationLabel == $l) | not)' \
		"$TMP/mix.json" >/dev/null || fail "$label failed but was applied, and is not a ghost"
done

# ---------------------------------------------------------- 2. repeatable
run_seq() {
	curl -s -X POST "$BASE/_fake/reset" >/dev/null
	for i in $(seq 40); do post "R-$i" 1; done | awk '{print $1, $2}'
	state | jq -c '[.sources[].integrationId]'
}
run_seq >"$TMP/seq1"
run_seq >"$TMP/seq2"
cmp -s "$TMP/seq1" "$TMP/seq2" || fail "same seed, different faults: $(diff "$TMP/seq1" "$TMP/seq2" | head)"
[ "$(awk '$2 != 201' "$TMP/seq1" | wc -l)" -ge 5 ] || fail "no faults in the repeat run"
curl -s -X POST -d '{"seed": 7}' "$BASE/_fake/seed" >/dev/null
run_seq >"$TMP/seq3"
! cmp -s "$TMP/seq1" "$TMP/seq3" || fail "another seed gave the same faults"

# ------------------------------------------------------------- 3. latency
start slow --latency-ms 200
t0=$(date +%s%N)
CURLS=()
for i in $(seq 10); do
	curl -s -o /dev/null -w '%{time_total}\n' -H 'X-API-Key: test-token' "$BASE/log-sources/s3/id-$i" >>"$TMP/times" &
	CURLS+=($!)
done
wait "${CURLS[@]}"
t1=$(date +%s%N)
elapsed=$(( (t1 - t0) / 1000000 ))
echo "latency: 10 parallel requests at 200 ms took ${elapsed} ms"
[ "$(wc -l <"$TMP/times")" = 10 ] || fail "lost latency results"
awk '$1 < 0.19 {exit 1}' "$TMP/times" || fail "a reply came before the 200 ms latency: $(sort -n "$TMP/times" | head -1)"
state | jq -e '.maxInFlight >= 5 and .counts["404"] == 10' >/dev/null || fail "latency serialized requests: $(state | jq -c '{maxInFlight, counts}')"
[ "$elapsed" -lt 1200 ] || fail "10 parallel requests at 200 ms took $elapsed ms: latency serializes"

# ---------------------------------------------------------- 4. bad replies
for kind in html garbage huge truncated noid; do
	start "bad-$kind" --bad-reply-rate 1 --bad-reply-kind "$kind"
	code=$(curl -s -o "$TMP/bad" -D "$TMP/badh" -w '%{http_code}' -H 'X-API-Key: test-token' \
		--data-binary "$(body "B-$kind")" "$BASE/log-sources/s3")
	size=$(stat -c %s "$TMP/bad")
	case $kind in
	html) [ "$code" = 502 ] && grep -qi '^content-type: text/html' "$TMP/badh" && grep -q '<html>' "$TMP/bad" ;;
	garbage) [ "$code" = 201 ] && ! jq -e . "$TMP/bad" >/dev/null 2>&1 ;;
	huge) [ "$code" = 201 ] && [ "$size" -gt $((4 * 1024 * 1024)) ] ;;
	truncated) [ "$code" = 201 ] && [ "$size" -gt 10 ] && ! jq -e . "$TMP/bad" >/dev/null 2>&1 ;;
	noid) [ "$code" = 201 ] && jq -e '(has("integrationId") | not) and .integrationLabel == "B-noid"' "$TMP/bad" >/dev/null ;;
	esac || fail "bad reply '$kind': status $code, $size bytes"
	state | jq -e '.badReplies == 1 and (.sources | length) == 1' >/dev/null || fail "bad reply '$kind': state wrong"
done

# ------------------------------------------------------------ 5. bad rates
rc=0
"$FAKE_PANTHER" --port 0 --fail-rate 0.7 --reset-rate 0.7 >/dev/null 2>"$TMP/rates.err" || rc=$?
[ "$rc" = 2 ] && grep -q "more than 1" "$TMP/rates.err" || fail "rates over 1 accepted (exit $rc)"

# ---------------------------------------------------------------- 6. stop
start stop --hang-rate 0.5 --latency-ms 300
CURLS=()
for i in $(seq 6); do
	curl -s -o /dev/null --max-time 20 -H 'X-API-Key: test-token' \
		--data-binary "$(body "S-$i")" "$BASE/log-sources/s3" &
	CURLS+=($!)
done
for _ in $(seq 50); do [ "$(state | jq .hangs)" -ge 1 ] && break; sleep 0.1; done
state | jq -e '.hangs >= 1 and .inFlight >= 1' >/dev/null || fail "no hang to interrupt: $(state | jq -c '{hangs, inFlight}')"
SERVER=${PIDS[-1]}
kill -TERM "$SERVER"
rc=0
timeout 10 tail --pid="$SERVER" -f /dev/null || fail "fake-panther did not stop within 10 s of SIGTERM"
wait "$SERVER" || rc=$?
unset 'PIDS[-1]'
[ "$rc" = 0 ] || fail "exit status $rc on SIGTERM: $(tail -5 "$TMP/stop.err")"
for p in "${CURLS[@]}"; do wait "$p" || true; done
# the earlier servers stop cleanly too
for p in "${PIDS[@]}"; do
	kill -TERM "$p"
	rc=0; wait "$p" || rc=$?
	[ "$rc" = 0 ] || fail "a server exited with status $rc on SIGTERM"
done
PIDS=()

echo "fake_panther_faults: ok"
