#!/usr/bin/env bash
# Fault drill: the results path cannot be written when the run starts (its
# folder does not exist, it is a folder, its extension is not one s3src
# writes). Each time: exit 2 at once, a message naming the path, and nothing
# sent (fake-panther counts zero API requests).
. "$(dirname "$0")/lib/common.bash"
start_fake
gen_csv 20 unwritable > "$T/in.csv"
mkdir "$T/dir.csv"
n=0
for results in "$T/no/such/folder/r.csv" "$T/dir.csv" "$T/r.txt"; do
	set +e
	"$S3SRC" import "$T/in.csv" --results "$results" --no-progress > "$T/out.txt" 2> "$T/err.txt"
	code=$?
	set -e
	assert_eq "$code" 2 "exit code for --results '$results'"
	grep -qF "$results" "$T/err.txt" || { cat "$T/err.txt" >&2; fail "the message does not name '$results'"; }
	assert_eq "$(state | jq '.methods | add // 0')" 0 "API requests after --results '$results'"
	n=$((n + 1))
done
# export and delete refuse the same way before any fetch
for cmd in export delete; do
	set +e
	if [ $cmd = export ]; then
		"$S3SRC" export some-id -o "$T/b.jsonl" --results "$T/no/such/r.csv" 2> "$T/err.txt"
	else
		"$S3SRC" delete some-id --backup "$T/b2.jsonl" --yes --results "$T/no/such/r.csv" 2> "$T/err.txt"
	fi
	code=$?
	set -e
	assert_eq "$code" 2 "$cmd exit code with an unwritable results path"
	assert_eq "$(state | jq '.methods | add // 0')" 0 "API requests after $cmd"
	n=$((n + 1))
done
assert_no_token "$T/out.txt" "$T/err.txt"
ok "$n unwritable results paths: exit 2, zero requests"
