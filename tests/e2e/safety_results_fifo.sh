#!/usr/bin/env bash
# Output safety: --results naming a FIFO is a pipe like "--results -". Its
# reader leaves early (head -c 600: the last line it got is cut off); every
# source the server created is then in a whole line the reader got or
# repeated on stderr as "unrecorded", the cut-off row's ID included.
. "$(dirname "$0")/lib/common.bash"
start_fake --latency-ms 10
gen_csv 40 fifo > "$T/in.csv"
mkfifo "$T/pipe.csv"
head -c 600 < "$T/pipe.csv" > "$T/got.txt" &
reader=$!
set +e
"$S3SRC" import "$T/in.csv" --results "$T/pipe.csv" -j 4 --no-progress > /dev/null 2> "$T/err.txt"
code=$?
set -e
wait "$reader" || true
assert_eq "$code" 3 "exit code when the FIFO's reader leaves"
assert_eq "$(wc -c < "$T/got.txt")" 600 "bytes the reader got"

# the reader's whole lines (a last line without its newline was cut off)
if [ "$(tail -c 1 "$T/got.txt" | od -An -tx1 | tr -d ' ')" = 0a ]; then
	cp "$T/got.txt" "$T/whole.txt"
else
	sed '$d' "$T/got.txt" > "$T/whole.txt"
fi
state | jq -r '.sources[].integrationId' | sort > "$T/server.txt"
[ "$(wc -l < "$T/server.txt")" -gt 3 ] || fail "too few sources created to test anything"
{ cut -d, -f6 "$T/whole.txt" | sed 1d
  sed -n "s/^s3src: unrecorded: row [0-9]*: create: created '\([^']*\)'.*/\1/p" "$T/err.txt"
} | sort -u > "$T/known.txt"
lost=$(comm -23 "$T/server.txt" "$T/known.txt")
[ -z "$lost" ] || { cat "$T/got.txt" "$T/err.txt" >&2; fail "created IDs in neither a whole line of the FIFO nor stderr: $lost"; }
grep -q "results pipe's reader has gone" "$T/err.txt" || { cat "$T/err.txt" >&2; fail "no warning about the pipe"; }
ok "--results FIFO whose reader leaves: all $(wc -l < "$T/server.txt") created IDs are in a whole line read or on stderr"

# --results /dev/null, or a FIFO whose name has no .csv/.jsonl: used as is, as
# CSV; the default failed-rows file of results on /dev/null is in the current
# folder, never in /dev. A regular file's wrong extension is still refused.
reset_fake
{ gen_csv 3 devnull; echo 'bad label!,1,b,r,JSON,false,x/,AWS.ALB'; } > "$T/dn.csv"
set +e
"$S3SRC" import "$T/dn.csv" --results /dev/null --no-progress > /dev/null 2> "$T/dn.err"
code=$?
set -e
grep -q "unsupported extension" "$T/dn.err" && { cat "$T/dn.err" >&2; fail "--results /dev/null refused"; }
assert_eq "$code" 1 "exit code of --results /dev/null with an invalid row"
assert_eq "$(state | jq '.sources | length')" 3 "sources created with --results /dev/null"
[ -c /dev/null ] || fail "/dev/null is no longer a character device"
ls "$T"/s3src-*.failed.csv > /dev/null 2>&1 || { cat "$T/dn.err" >&2; fail "no failed-rows file in the current folder"; }
ok "--results /dev/null: accepted; failed rows in the current folder"

# --results and --failed both /dev/null: not a clash, nothing written in /dev
# (this part never passes --overwrite: a regression must not replace /dev/null)
reset_fake
set +e
"$S3SRC" import "$T/dn.csv" --results /dev/null --failed /dev/null -q > /dev/null 2> "$T/dn2.err"
code=$?
set -e
leftover=$(ls -d /dev/null-[0-9]* 2> /dev/null || true)
[ -z "$leftover" ] || { rm -f $leftover; fail "--failed /dev/null wrote $leftover"; }
assert_eq "$code" 1 "exit code of --results /dev/null --failed /dev/null: $(cat "$T/dn2.err")"
[ -c /dev/null ] || fail "/dev/null is no longer a character device"
ok "--results /dev/null --failed /dev/null"

reset_fake
mkfifo "$T/noext"
cat < "$T/noext" > "$T/noext.txt" &
reader=$!
"$S3SRC" import "$T/in.csv" --results "$T/noext" --match none -q > /dev/null
wait "$reader"
assert_eq "$(head -c 4 "$T/noext.txt")" "row," "a FIFO without an extension gets CSV"
assert_eq "$(wc -l < "$T/noext.txt")" 41 "lines through a FIFO without an extension"
set +e
"$S3SRC" import "$T/in.csv" --results "$T/r.txt" -q > /dev/null 2> "$T/txt.err"
code=$?
set -e
assert_eq "$code" 2 "exit code of --results r.txt"
grep -q "unsupported extension" "$T/txt.err" || { cat "$T/txt.err" >&2; fail "r.txt not refused for its extension"; }
ok "--results FIFO without an extension: CSV; r.txt still refused"

# --failed naming a FIFO (as /dev/null) is written in place, with --overwrite
# too: never a "-2" name beside it, never replaced by a regular file
mkfifo "$T/f.csv"
for ow in "" --overwrite; do
	rm -f "$T/fr.csv" "$T/f-2.csv"
	cat < "$T/f.csv" > "$T/got_f.txt" &
	reader=$!
	sleep 0.3   # the reader is there when s3src opens the FIFO (no reader: an error)
	set +e
	"$S3SRC" import "$T/dn.csv" --match none --results "$T/fr.csv" --failed "$T/f.csv" $ow -q 2> "$T/f.err"
	code=$?
	set -e
	kill "$reader" 2> /dev/null || true
	wait "$reader" 2> /dev/null || true
	assert_eq "$code" 1 "exit code with an invalid row, --failed FIFO $ow"
	[ -p "$T/f.csv" ] || fail "--failed FIFO $ow: the FIFO was replaced"
	[ ! -e "$T/f-2.csv" ] || fail "--failed FIFO $ow: written beside it"
	grep -q "^bad label!," "$T/got_f.txt" || { cat "$T/f.err" >&2; fail "--failed FIFO $ow: the reader did not get the failed row"; }
done
ok "--failed FIFO: written in place, with or without --overwrite"
