#!/usr/bin/env bash
# Fault drill: the results file's disk fills up in the middle of an import.
# A 24 KiB tmpfs is mounted for the results file (needs root and mount;
# without them the drill falls back to /dev/full, where the very first write
# fails). The run must stop starting requests, say why on stderr, exit 3, and
# leave a results file that is valid to the last byte: whole records only (no
# half record cut by the full disk), each one parsed by jq, and a re-run with
# --resume accepts it and does not send those rows again.
. "$(dirname "$0")/lib/common.bash"
N=400
J=4
mnt=$T/mnt
mounted=0
if small_disk "$mnt" 24k; then
	mounted=1
	results=$mnt/r.jsonl
	echo "results on a 24 KiB tmpfs"
else
	echo "note: cannot mount a tmpfs (not root or no mount permission): using /dev/full instead"
	ln -s /dev/full "$T/full.jsonl"
	results=$T/full.jsonl
fi

start_fake --latency-ms 5
gen_csv $N full > "$T/in.csv"
set +e
"$S3SRC" import "$T/in.csv" -j $J --results "$results" --failed "$T/f.csv" --no-progress \
	> "$T/out.txt" 2> "$T/err.txt"
code=$?
set -e
assert_eq "$code" 3 "exit code when the results disk is full"
grep -q "cannot write results file.*No space left on device" "$T/err.txt" ||
	{ cat "$T/err.txt" >&2; fail "stderr does not say the disk is full"; }
grep -q "stopping" "$T/err.txt" || fail "stderr does not say the run stops"
posts=$(state | jq '.methods.POST // 0')

if [ "$mounted" = 1 ]; then
	cp "$results" "$T/r.jsonl"
	written=$(wc -l < "$T/r.jsonl")
	# whole records only: the file ends with a newline and every line is JSON
	[ "$(tail -c1 "$T/r.jsonl" | od -An -tx1 | tr -d ' ')" = 0a ] || fail "the results file ends with a half record"
	jq -e . "$T/r.jsonl" > /dev/null || fail "a results line is not valid JSON"
	[ "$written" -ge 10 ] || fail "only $written records written before the disk filled"
	[ "$written" -lt $N ] || fail "the disk never filled"
	# the run stopped starting requests: at most one wave past what was recorded
	[ "$posts" -le $((written + 2 * J)) ] || fail "$posts requests sent for $written recorded rows: the run did not stop"
	# the server knows every created row recorded
	state | jq -r '.sources[].integrationId' | sort > "$T/server.txt"
	jq -r 'select(.outcome == "created") | .integrationId' "$T/r.jsonl" | sort > "$T/created.txt"
	assert_eq "$(comm -13 "$T/server.txt" "$T/created.txt" | wc -l)" 0 "created IDs unknown to the server"
	# the file is a valid --resume input: a re-run (results elsewhere) skips exactly those rows
	small_disk_release "$mnt"
	cp "$T/r.jsonl" "$T/prev.jsonl"
	set +e
	"$S3SRC" import "$T/in.csv" -j $J --resume "$T/prev.jsonl" --results "$T/r2.jsonl" --no-progress 2> "$T/err2.txt"
	code2=$?
	set -e
	[ "$code2" = 0 ] || [ "$code2" = 1 ] || { cat "$T/err2.txt" >&2; fail "re-run with --resume exit $code2"; }
	done_before=$(jcount "$T/r.jsonl" '.outcome == "created"')
	assert_eq "$(jcount "$T/r2.jsonl" '.outcome == "skipped"')" "$done_before" "rows skipped by --resume"
	assert_eq "$(jq -s length "$T/r2.jsonl")" $N "rows in the re-run"
	ok "disk full after $written records ($posts requests sent): exit 3, records valid, --resume skipped $done_before"
else
	[ "$posts" -le $((2 * J)) ] || fail "$posts requests sent although no result could be written"
	ok "/dev/full: exit 3 after $posts requests, stderr says why"
fi
