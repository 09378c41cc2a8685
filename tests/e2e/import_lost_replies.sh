#!/usr/bin/env bash
# import_lost_replies.sh - creates whose reply is lost after the write
# (fake-panther's ghost rate: a quarter of the writes applied, then the
# connection dropped) are found by their label: every row `created` with the
# server's ID, the found ones with the warning "the reply was lost; found by
# its label", no source on the server missing from the results file, no
# duplicate, exit 0. Then a lost reply whose label belongs to a source with
# another bucket stays `failed`, saying why; and with the listing failing, the
# rows fail as before, saying the lookup failed.
. "$(dirname "$0")/lib/common.bash"
start_fake --ghost-rate 0.25 --page-size 25 --other-sources 3 --seed 4

gen_csv 200 lost > "$T/in.csv"
"$S3SRC" import "$T/in.csv" -j 8 --results "$T/r.jsonl" 2> "$T/r.err" || { cat "$T/r.err" >&2; fail "import exited $?"; }
state > "$T/s.json"
ghosts=$(jq '[.ghosts[] | select(.method == "POST")] | length' "$T/s.json")
[ "$ghosts" -ge 30 ] || fail "only $ghosts ghost creates: the test proves too little"
assert_eq "$(jq '.sources | length' "$T/s.json")" 200 "sources on the server (no duplicate)"
assert_eq "$(jcount "$T/r.jsonl" '.outcome == "created"')" 200 "created rows"
found=$(jcount "$T/r.jsonl" '.outcome == "created" and .warning == "the reply was lost; found by its label"')
assert_eq "$found" "$ghosts" "rows found by their label = creates whose reply was lost"
# every row has the server's ID for its label; no server source missing
jq -r '"\(.integrationLabel) \(.integrationId)"' "$T/r.jsonl" | sort > "$T/results.pairs"
jq -r '.sources[] | "\(.integrationLabel) \(.integrationId)"' "$T/s.json" | sort > "$T/server.pairs"
cmp -s "$T/results.pairs" "$T/server.pairs" || { diff "$T/results.pairs" "$T/server.pairs" | head >&2; fail "results and server differ"; }
ok "200 rows created, $found of them found by label after a lost reply ($ghosts ghosts), each with the server's ID"

# a lost reply whose label is another source's (another bucket): failed, says why.
# The lost reply here is a reset after the request was sent (nothing applied);
# the retry's 409 is the other source's.
stop_fake
start_fake --reset-rate 0.5
gen_csv 1 clash > "$T/one.csv"
sed 's/clash-bucket-00001/other-bucket-00001/' "$T/one.csv" > "$T/other.csv"
"$S3SRC" import "$T/other.csv" --results "$T/o.jsonl" -q --max-attempts 20 || fail "setup import exited $?"
settled=""
for seed in $(seq 1 60); do
	curl -fsS -X POST --data "{\"seed\": $seed}" "$FAKE_URL/_fake/seed" > /dev/null
	rm -f "$T/c.jsonl"
	set +e
	# --match none: matched by its label, the row would be a modify of the
	# other-bucket source (invalid: another bucket), never a lost create
	"$S3SRC" import "$T/one.csv" --match none --results "$T/c.jsonl" -q -j 1 --max-attempts 20 2>/dev/null
	code=$?
	set -e
	if jq -e 'select(.error != null and (.error | test("reply was lost")))' "$T/c.jsonl" > /dev/null; then
		settled=$seed
		break
	fi
done
[ -n "$settled" ] || fail "no seed gave a lost reply followed by a 409"
assert_eq "$code" 1 "exit code of a lost reply not found"
assert_eq "$(jcount "$T/c.jsonl" '.outcome == "failed" and (.error | test("has account .123456789012. and bucket .other-bucket-00001.: not this row.s"))')" 1 "the mismatch is named"
assert_eq "$(state | jq '.sources | length')" 1 "no duplicate made"
ok "a lost reply whose label has another bucket: failed, naming the other source's bucket (seed $settled)"

# the listing failing: the rows fail as before, saying the lookup failed
stop_fake
start_fake --ghost-rate 0.5 --listing-fail 403 --seed 9
gen_csv 20 nolist > "$T/nl.csv"
set +e
"$S3SRC" import "$T/nl.csv" --match none --results "$T/nl.jsonl" 2> "$T/nl.err"
code=$?
set -e
assert_eq "$code" 1 "exit code when lost replies cannot be looked up"
lost=$(jcount "$T/nl.jsonl" '.outcome == "failed" and (.error | test("probably was created.*the lookup by label failed: the API refused the listing \\(HTTP 403"))')
[ "$lost" -gt 0 ] || fail "no row says the lookup failed: $(jq -c 'select(.outcome == "failed")' "$T/nl.jsonl" | head -2)"
assert_eq "$(jcount "$T/nl.jsonl" '.outcome == "created"')" $((20 - lost)) "the others are created"
grep -q "could not be looked up by label" "$T/nl.err" || fail "no warning on stderr"
ok "listing refused: $lost lost replies failed as before, naming the lookup's failure"

# a gateway's 502 after the write was applied (an HTML error page, the source
# stored): the retry gets 409, and the row is found by its label like a lost
# reply, never a failed row whose source exists with its ID recorded nowhere
stop_fake
start_fake --bad-reply-rate 0.3 --bad-reply-kind html --seed 5
gen_csv 40 gw > "$T/gw.csv"
"$S3SRC" import "$T/gw.csv" --match none --results "$T/gw.jsonl" -q 2> "$T/gw.err" ||
	{ cat "$T/gw.err" >&2; fail "import behind a failing gateway did not exit 0"; }
state > "$T/gw.json"
assert_eq "$(jq '.sources | length' "$T/gw.json")" 40 "sources on the server"
assert_eq "$(jcount "$T/gw.jsonl" '.outcome == "created"')" 40 "created rows"
gwfound=$(jcount "$T/gw.jsonl" '.warning == "the reply was lost; found by its label"')
[ "$gwfound" -gt 0 ] || fail "no row went through a 502 and a 409: the test proves nothing"
jq -r '"\(.integrationLabel) \(.integrationId)"' "$T/gw.jsonl" | sort > "$T/gw.pairs"
jq -r '.sources[] | "\(.integrationLabel) \(.integrationId)"' "$T/gw.json" | sort > "$T/gws.pairs"
cmp -s "$T/gw.pairs" "$T/gws.pairs" || { diff "$T/gw.pairs" "$T/gws.pairs" | head >&2; fail "results and server differ"; }
ok "502 after the write: 40 rows created, $gwfound found by label after the retry's 409"
