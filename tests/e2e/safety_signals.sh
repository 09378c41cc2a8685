#!/usr/bin/env bash
# Output safety: SIGHUP (a dropped SSH session), SIGTERM and SIGINT all stop
# an import the same way: no new request, the requests in flight finish and
# are recorded, every row not sent is recorded skipped, exit 3. So every row
# is in the results file and every source the server created is in it as
# created, with its ID. While it runs, core dumps are off (the token is in
# memory): the process's core-size limit is 0.
. "$(dirname "$0")/lib/common.bash"
N=300
start_fake --latency-ms 40
gen_csv $N sig > "$T/in.csv"
for sig in HUP TERM INT; do
	reset_fake
	rm -f "$T/r.jsonl"
	ulimit -c unlimited 2>/dev/null || true
	"$S3SRC" import "$T/in.csv" -j 4 --results "$T/r.jsonl" --no-progress \
		> "$T/out.txt" 2> "$T/err.txt" &
	pid=$!
	for _ in $(seq 100); do
		[ -s "$T/r.jsonl" ] && break
		sleep 0.05
	done
	if [ $sig = HUP ]; then
		limit=$(awk '/^Max core file size/ {print $5}' "/proc/$pid/limits")
		assert_eq "$limit" 0 "core file size limit while running"
	fi
	kill -s $sig $pid
	set +e
	wait $pid
	code=$?
	set -e
	assert_eq "$code" 3 "exit code after SIG$sig"
	assert_eq "$(wc -l < "$T/r.jsonl")" $N "rows in the results file after SIG$sig"
	state | jq -r '.sources[].integrationId' | sort > "$T/server.txt"
	jq -r 'select(.outcome == "created") | .integrationId' "$T/r.jsonl" | sort > "$T/created.txt"
	[ -s "$T/server.txt" ] || fail "SIG$sig came before any create"
	cmp -s "$T/server.txt" "$T/created.txt" ||
		fail "after SIG$sig the server's sources and the created rows differ"
	[ "$(jcount "$T/r.jsonl" '.outcome == "skipped"')" -gt 0 ] || fail "SIG$sig did not stop the run"
	# the summary gives the command that continues the run; it works
	hint=$(sed -n "s/^  to continue: \(s3src import '.*' --resume '.*'\) (with the same options.*/\1/p" "$T/err.txt")
	assert_eq "$hint" "s3src import '$T/in.csv' --resume '$T/r.jsonl'" "SIG$sig: the --resume hint"
	eval "\"\$S3SRC\" ${hint#s3src } --results \"\$T/r2-$sig.jsonl\" -q" || fail "SIG$sig: the hinted command exited $?"
	assert_eq "$(state | jq '.sources | length')" $N "SIG$sig: sources after the hinted resume"
	ok "SIG$sig: exit 3, $N rows recorded, $(wc -l < "$T/created.txt") created IDs all in the results"
done

# a second signal abandons the requests in flight: each such row says so in
# one sentence (no "abandoned in flight" twice, no doubled cause)
stop_fake
start_fake --latency-ms 3000
gen_csv 6 slow > "$T/slow.csv"
# --match none: the signals must meet the creates in flight, not the listing
"$S3SRC" import "$T/slow.csv" --match none -j 4 --results "$T/slow.jsonl" --no-progress > /dev/null 2> "$T/slow.err" &
pid=$!
for _ in $(seq 100); do
	[ "$(state | jq '.methods.POST // 0')" -ge 1 ] && break
	sleep 0.05
done
kill -INT $pid; sleep 0.2; kill -INT $pid
set +e
wait $pid
code=$?
set -e
assert_eq "$code" 3 "exit code after two SIGINTs"
jq -r 'select(.outcome == "failed") | .error' "$T/slow.jsonl" > "$T/abandoned.txt"
[ -s "$T/abandoned.txt" ] || fail "no row abandoned in flight"
while read -r e; do
	assert_eq "$(grep -o "abandoned in flight" <<< "$e" | wc -l)" 1 "'abandoned in flight' in: $e"
	[[ $e == "abandoned in flight when the run was aborted: source 'slow-"*"' may have been created; check it in Panther before re-running this row" ]] ||
		fail "abandoned row's error: $e"
done < "$T/abandoned.txt"
ok "two SIGINTs: $(wc -l < "$T/abandoned.txt") rows abandoned in flight, each said once"
