#!/usr/bin/env bash
# Export and delete memory is bounded by -j, not by the list: while an early
# ID hangs, the fetch stops handing out IDs once the backup holds 4 x -j
# records waiting for it (fetch.c: the engine's pull answers "not now" until
# a request finishes), so the reorder depth the summary reports
# never passes 4 x -j plus the rows the engine still has (2 x -j). The backup
# stays complete and in the order given, and every ID gets its row.
. "$(dirname "$0")/lib/common.bash"
J=2
N=1500
start_fake --hang-rate 0.01 --hang-max-ms 300 --seed 7

gen_csv "$N" bound > "$T/in.csv"
"$S3SRC" import "$T/in.csv" -j 8 --results "$T/ids.csv" -q || fail "import exited $?"
ids_in_order=$(tail -n +2 "$T/ids.csv" | cut -d, -f6)
assert_eq "$(echo "$ids_in_order" | grep -c .)" "$N" "imported IDs"

for cmd in export delete; do
	hangs0=$(state | jq .hangs)
	if [ "$cmd" = export ]; then
		"$S3SRC" export --ids "$T/ids.csv" -o "$T/$cmd.jsonl" -j "$J" --results "$T/$cmd.results.jsonl" 2>"$T/$cmd.err" ||
			fail "export exited $?: $(cat "$T/$cmd.err")"
		want=exported
	else
		"$S3SRC" delete --ids "$T/ids.csv" --backup "$T/$cmd.jsonl" --yes -j "$J" --results "$T/$cmd.results.jsonl" 2>"$T/$cmd.err" ||
			fail "delete exited $?: $(cat "$T/$cmd.err")"
		want=deleted
	fi
	hangs=$(($(state | jq .hangs) - hangs0))
	[ "$hangs" -gt 0 ] || fail "$cmd: the server hung no request (the test proves nothing)"
	assert_eq "$(jq -r .integrationId "$T/$cmd.jsonl")" "$ids_in_order" "$cmd: backup order"
	assert_eq "$(jcount "$T/$cmd.results.jsonl" ".outcome == \"$want\"")" "$N" "$cmd: rows $want"
	line=$(grep -o 'paused [0-9]* times\? for an earlier ID, at most [0-9]* records held' "$T/$cmd.err") ||
		fail "$cmd: $hangs hung requests and no pause reported: $(cat "$T/$cmd.err")"
	held=$(echo "$line" | sed 's/.*at most \([0-9]*\) records.*/\1/')
	[ "$held" -le $((6 * J)) ] || fail "$cmd: $held records held, more than 6 x -j: $line"
	ok "$cmd: $hangs hangs, $line, backup complete and in order"
done
[ "$(state | jq '.sources | length')" = 0 ] || fail "sources left after the delete"
