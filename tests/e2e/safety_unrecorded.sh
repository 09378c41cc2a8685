#!/usr/bin/env bash
# Output safety: when the results file stops being writable in the middle of
# a run, every later finished row that created something (the rows in flight
# at that moment included) is printed on stderr as "unrecorded" with its row,
# action, ID and label. Two ways: the results disk fills up (a 24 KiB tmpfs;
# needs root and mount, else that part is skipped), and the results go to a
# pipe whose reader leaves early (--results - | head -3). Either way every
# source the server holds is in the results or on stderr.
. "$(dirname "$0")/lib/common.bash"
N=300
start_fake --latency-ms 10
gen_csv $N unrec > "$T/in.csv"

# every_id_somewhere RECORDS STDERR WHAT: the server's IDs are all in one or the other
every_id_somewhere() {
	state | jq -r '.sources[].integrationId' | sort > "$T/server.txt"
	{ grep -o '"integrationId":"[^"]*"' "$1" | cut -d'"' -f4 || true
	  grep '^s3src: unrecorded: row [0-9]*: create: created' "$2" | sed "s/.* created '\([^']*\)'.*/\1/" || true
	} | sort -u > "$T/known.txt"
	local lost
	lost=$(comm -23 "$T/server.txt" "$T/known.txt" | wc -l)
	assert_eq "$lost" 0 "$3: created IDs in neither the results nor stderr"
}

mnt=$T/mnt
mounted=0
drill_cleanup() {
	[ "$mounted" = 1 ] && umount "$mnt" 2>/dev/null
	e2e_cleanup
}
trap drill_cleanup EXIT
mkdir -p "$mnt"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=24k,mode=0755 tmpfs "$mnt" 2>/dev/null; then
	mounted=1
	set +e
	"$S3SRC" import "$T/in.csv" -j 8 --results "$mnt/r.jsonl" --failed "$T/f.csv" --no-progress \
		> /dev/null 2> "$T/err.txt"
	code=$?
	set -e
	assert_eq "$code" 3 "exit code when the results disk fills"
	cp "$mnt/r.jsonl" "$T/r.jsonl"
	umount "$mnt"; mounted=0
	written=$(wc -l < "$T/r.jsonl")
	created=$(state | jq '.sources | length')
	[ "$created" -gt "$written" ] || fail "every create was recorded: the disk filled too late to test anything"
	grep -q "unrecorded: row" "$T/err.txt" || { tail "$T/err.txt" >&2; fail "no unrecorded row on stderr"; }
	every_id_somewhere "$T/r.jsonl" "$T/err.txt" "full disk"
	ok "full results disk: $written rows recorded, $((created - written)) created IDs printed on stderr"
else
	echo "note: cannot mount a tmpfs (not root or no mount permission): full-disk part skipped"
fi

# --results - | head -3: the reader leaves after three lines
reset_fake
set +e
"$S3SRC" import "$T/in.csv" -j 2 --results - --no-progress 2> "$T/err2.txt" | head -3 > "$T/head.txt"
code=${PIPESTATUS[0]}
set -e
assert_eq "$code" 3 "exit code when the results pipe closes"
assert_eq "$(wc -l < "$T/head.txt")" 3 "lines head printed"
created=$(state | jq '.sources | length')
[ "$created" -gt 3 ] || fail "only $created sources created"
grep -q "results pipe's reader has gone" "$T/err2.txt" || { tail "$T/err2.txt" >&2; fail "no warning about the pipe"; }
every_id_somewhere "$T/head.txt" "$T/err2.txt" "results pipe"
ok "--results - | head -3: all $created created IDs are on head's output or stderr"
