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
if small_disk "$mnt" 24k; then
	set +e
	"$S3SRC" import "$T/in.csv" -j 8 --results "$mnt/r.jsonl" --failed "$T/f.csv" --no-progress \
		> /dev/null 2> "$T/err.txt"
	code=$?
	set -e
	assert_eq "$code" 3 "exit code when the results disk fills"
	cp "$mnt/r.jsonl" "$T/r.jsonl"
	small_disk_release "$mnt"
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

# the summary accounts for every input row: those never sent because the
# results output closed are counted and said; the warning's count is the
# number of rows it repeats right below it
reset_fake
gen_csv 30 hd > "$T/hd.csv"
set +e
"$S3SRC" import "$T/hd.csv" -j 2 --results - --no-progress 2> "$T/err3.txt" | head -2 > /dev/null
set -e
grep -q "^import: 30 rows in " "$T/err3.txt" || { cat "$T/err3.txt" >&2; fail "the summary does not count the 30 input rows"; }
recorded=$(sed -n 's/^import: 30 rows in [0-9.]* s: \([0-9]*\) created.*/\1/p' "$T/err3.txt")
notsent=$(sed -n 's/^  \([0-9]*\) rows\? not sent: the results output was closed$/\1/p' "$T/err3.txt")
[ -n "$notsent" ] || { cat "$T/err3.txt" >&2; fail "no 'rows not sent: the results output was closed' line"; }
assert_eq "$((recorded + notsent))" 30 "created + not sent"
said=$(sed -n "s/.*results pipe's reader has gone: \([0-9]*\) rows\? .*/\1/p" "$T/err3.txt")
[ -n "$said" ] || { cat "$T/err3.txt" >&2; fail "no pipe warning"; }
after=$(awk '/results pipe.s reader has gone/ {on = 1; next} on && /^s3src: unrecorded:/ {n++; next} on {exit} END {print n + 0}' "$T/err3.txt")
[ "$after" -ge "$said" ] || fail "the warning said $said rows, $after followed it"
grep -q "any later one is printed as it finishes" "$T/err3.txt" || fail "the warning does not say later rows follow"
assert_eq "$(grep -c '^s3src: unrecorded:' "$T/err3.txt")" "$(sed -n 's/^  \([0-9]*\) rows\? that changed something printed above.*/\1/p' "$T/err3.txt")" "unrecorded rows printed vs counted"
ok "--results - | head -2: 30 rows accounted for ($recorded created, $notsent not sent)"

# --results - writes no failed-rows file by default: the summary says so
printf '%s\nbad label!,1,b,r,JSON,false,x/,AWS.ALB\n' "$CSV_HEADER" > "$T/bad.csv"
set +e
"$S3SRC" import "$T/bad.csv" --results - --no-progress > /dev/null 2> "$T/err4.txt"
set -e
grep -q "^  failed rows not written: --results is stdout; pass --failed PATH$" "$T/err4.txt" ||
	{ cat "$T/err4.txt" >&2; fail "no word that the failed rows were not written"; }
ok "--results -: the summary says the failed rows were not written"
