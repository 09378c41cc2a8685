#!/usr/bin/env bash
# Security: the API token never shows. One session of every command (import
# with invalid and failing rows, results as CSV, JSONL and on stdout, the
# progress line, failed rows in CSV and JSONL; validate; export to .csv and
# .jsonl.gz; export --all; list as a table and to a file; delete with its
# backup; delete --label; a refused token), and then every file the
# session wrote, every stdout and stderr, and fake-panther's --verbose log are
# searched for the token (plain and gunzipped). Also: the token is not in the
# process's argv (read from /proc while a slow import runs), nor in its
# environment when it comes from --token-file; '--token' is refused without
# echoing its value; --token-file warns when the file is readable by group or
# others (and not when it is 0600 or 0400).
. "$(dirname "$0")/lib/common.bash"
start_fake --verbose --fail-rate 0.2 --seed 3 --latency-ms 2
unset PANTHER_API_TOKEN
tf=$T/token
printf '%s\n' "$TOKEN" > "$tf"
chmod 600 "$tf"
mkdir "$T/out"
O=$T/out
gen_csv 40 tok > "$T/in.csv"
printf 'not-a-label-row,1,,,,,,\n' >> "$T/in.csv"            # an invalid row
jq -c -R 'split(",") | {integrationLabel: (.[0] + "-j"), awsAccountId: .[1], s3Bucket: .[2],
	logProcessingRole: .[3], logStreamType: .[4], managedBucketNotifications: (.[5] == "true"),
	s3PrefixLogTypes: [{prefix: .[6], logTypes: [.[7]]}]}' < <(tail -n +2 "$T/in.csv" | head -20) > "$T/in.jsonl"
echo '{"integrationLabel": 5}' >> "$T/in.jsonl"

s() {  # name, s3src args...: runs with stdout/stderr kept in $O
	local name=$1
	shift
	set +e
	"$S3SRC" "$@" > "$O/$name.stdout" 2> "$O/$name.stderr"
	echo $? > "$O/$name.rc"
	set -e
}
s import_csv import "$T/in.csv" --match none --token-file "$tf" -j 4 --max-attempts 1 --progress \
	--results "$O/r.csv" --failed "$O/f.csv"
s import_jsonl import "$T/in.jsonl" --match none --token-file "$tf" --max-attempts 1 --results "$O/r.jsonl"
s import_stdout import "$T/in.csv" --token-file "$tf" --results - --failed "$O/f2.csv" --mode create
s validate validate "$T/in.csv"
jq -r 'select(.integrationId != "") | .integrationId' "$O/r.jsonl" > "$O/ids.txt"
s export_csv export --ids "$O/r.csv" -o "$O/backup.csv" --token-file "$tf" --results "$O/e.csv"
s export_gz export --ids "$O/ids.txt" -o "$O/backup.jsonl.gz" --token-file "$tf" --results "$O/e.jsonl"
s export_all export --all -o "$O/all.jsonl.gz" --token-file "$tf" --results "$O/ea.csv" --max-attempts 10
s list_table list --format table --token-file "$tf" --max-attempts 10
s list_file list -o "$O/list.jsonl" --token-file "$tf" --max-attempts 10
s delete_label delete --label tok-00001-j --label no-such-label --yes --backup "$O/dl.jsonl.gz" --token-file "$tf" --results "$O/dl.csv" --max-attempts 10
s delete delete --ids "$O/ids.txt" --yes --backup "$O/deleted.jsonl.gz" --token-file "$tf" --results "$O/d.csv"
printf 'wrong-%s\n' "$TOKEN" > "$T/wrong"; chmod 600 "$T/wrong"
s refused import "$T/in.csv" --token-file "$T/wrong" --results "$O/refused.csv"
assert_eq "$(cat "$O/import_csv.rc")" 1 "import exit code (invalid and failed rows)"
assert_eq "$(cat "$O/refused.rc")" 3 "import exit code with a refused token"
[ -s "$O/f.csv" ] || fail "no failed-rows file: the drill must cover it"
for r in import_jsonl validate export_csv export_gz export_all list_table list_file delete_label delete; do  # each really ran (not a usage error)
	case $(cat "$O/$r.rc") in 0|1) ;; *) cat "$O/$r.stderr" >&2; fail "$r: exit $(cat "$O/$r.rc")";; esac
done
[ -s "$O/backup.csv" ] && [ -s "$O/deleted.jsonl.gz" ] || fail "export or delete wrote no backup"

# argv and environment of a running import (slow server, token from a file)
stop_fake
start_fake --latency-ms 200
unset PANTHER_API_TOKEN
"$S3SRC" import "$T/in.csv" --token-file "$tf" -j 2 --results "$O/slow.csv" -q > /dev/null 2>&1 &
pid=$!
E2E_PIDS="$E2E_PIDS $pid"
wait_until 60 "the slow import's first request" fake_count_ge .methods.POST 1
kill -0 $pid 2>/dev/null || fail "the slow import ended too soon to be inspected"
tr '\0' '\n' < "/proc/$pid/cmdline" > "$O/cmdline.txt"
# s3src is not dumpable (no core dumps): only root may read its environ; for
# anyone else it is as unreadable as it is for other users
tr '\0' '\n' < "/proc/$pid/environ" > "$T/environ.txt" 2>/dev/null || : > "$T/environ.txt"
kill $pid; wait $pid 2>/dev/null || true
grep -q -- "--token-file" "$O/cmdline.txt" || fail "could not read the process's argv"
if grep -aqF -- "$TOKEN" "$T/environ.txt"; then fail "the token is in the environment of s3src"; fi

# '--token VALUE' is refused and the value not echoed
s argv_token import "$T/in.csv" --token "$TOKEN" --results "$O/argv.csv"
assert_eq "$(cat "$O/argv_token.rc")" 2 "exit code of --token"
grep -q "never given on the command line" "$O/argv_token.stderr" || fail "--token refusal does not explain"

# --token-file permissions
nwarn=0
for mode in 644 640 604 600 400; do
	chmod "$mode" "$tf"
	s "perm$mode" import "$T/in.csv" --token-file "$tf" --results "$O/p$mode.csv" -q
	if grep -q "readable by group or others" "$O/perm$mode.stderr"; then w=1; else w=0; fi
	case $mode in 600|400) assert_eq "$w" 0 "warning for mode $mode";; *) assert_eq "$w" 1 "warning for mode $mode";; esac
	nwarn=$((nwarn + w))
done
chmod 600 "$tf"

# every output of the session
files=("$O"/* "$T/fake.log")
assert_no_token "${files[@]}"
# and the wrong token too
for f in "${files[@]}"; do
	if zcat -f -- "$f" 2>/dev/null | grep -aqF -- "wrong-$TOKEN"; then fail "the refused token appears in $f"; fi
done
ok "${#files[@]} outputs of 14 runs searched: no token; not in argv or environ; $nwarn permission warnings for 3 open modes"
