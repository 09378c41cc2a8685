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
