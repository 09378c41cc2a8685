#!/usr/bin/env bash
# Output safety: a default output name never replaces a file, and a backup is
# never replaced. Two runs in the same second must not share a results file,
# a failed-rows file or a delete backup: the files a first run wrote under
# this second's default names (made here for the next seconds, so the clash
# is certain) stay byte for byte, and the new run writes "-2" names. An
# explicit --backup that exists is exit 2 before any request, and so is the
# re-run of a delete with the backup of the first one.
. "$(dirname "$0")/lib/common.bash"
start_fake
mkdir "$T/w"
cd "$T/w"
gen_csv 6 dflt > in.csv
printf 'integrationLabel,awsAccountId\nbad,1\n' > bad.csv
# the default names of the next 40 seconds (a loaded machine is slow), taken
# by "an earlier run" (from one start: a loop that read the clock at each
# step skipped a second whenever it crossed one, and a run in that second
# took a plain name)
base=$(date +%s)
stamps=$(for s in $(seq 0 40); do date -u -d "@$(( base + s ))" +%Y%m%dT%H%M%SZ; done)
earlier=""
for st in $stamps; do
	for f in "s3src-import-$st.results.csv" "s3src-import-$st.failed.csv" "s3-sources-deleted-$st.jsonl.gz"; do
		echo "run 1 $st" > "$f"
		earlier="$earlier $f"
	done
done
# shellcheck disable=SC2086
sum0=$(cat $earlier | sha256sum)

"$S3SRC" import in.csv -q || fail "import with default names exited $?"
set +e
"$S3SRC" import bad.csv -q
code=$?
set -e
assert_eq "$code" 1 "import of an invalid row"
assert_eq "$(cat s3src-import-* s3-sources-deleted-* | grep -c '^run 1 ')" "$(echo $earlier | wc -w)" "earlier files kept"
new=$(ls s3src-import-*Z-[0-9].results.csv | wc -l)
assert_eq "$new" 2 "'-N' results files of the two imports"
f2=$(ls s3src-import-*Z-[0-9].failed.csv)
grep -q '^bad,' "$f2" || { cat "$f2" >&2; fail "the failed row is not in '$f2'"; }
created=$(cat s3src-import-*Z-[0-9].results.csv | grep -c ',created,')
assert_eq "$created" 6 "created rows recorded in the '-N' files"
ok "default names: earlier files kept, new runs write '-2', '-3' names"

# re-running a failed-rows file whose default failed-rows name is the input itself
cp bad.csv x.failed.csv
sumx=$(sha256sum < x.failed.csv)
set +e
"$S3SRC" import x.failed.csv --results x.results.csv -q 2> err.txt
code=$?
set -e
assert_eq "$code" 1 "re-run of a failed-rows file"
assert_eq "$(sha256sum < x.failed.csv)" "$sumx" "the input of the re-run"
grep -q '^bad,' x-2.failed.csv || fail "the failed row is not in 'x-2.failed.csv'"
ok "a default failed-rows name that is the input: written as '-2', the input kept"

# a delete's default backup never replaces the first run's backup
state | jq -r '.sources[].integrationId' > ids.txt
head -3 ids.txt > del1.txt
"$S3SRC" delete --ids del1.txt --yes --results d1.jsonl -q || fail "delete exited $?"
b=$(ls s3-sources-deleted-*-2.jsonl.gz)
assert_eq "$(zcat "$b" | wc -l)" 3 "sources in the delete's '-2' backup"
# shellcheck disable=SC2086
assert_eq "$(cat $earlier | sha256sum)" "$sum0" "the earlier files after the delete"
ok "delete: default backup written to '$b', the earlier one kept"

# an explicit --backup that exists: exit 2, nothing sent, the backup as it was
tail -3 ids.txt > del2.txt
cp "$b" mine.jsonl.gz
sum1=$(sha256sum < mine.jsonl.gz)
before=$(state | jq '.methods | add // 0')
set +e
"$S3SRC" delete --ids del2.txt --yes --backup mine.jsonl.gz --results d2.jsonl 2> err.txt
code=$?
set -e
assert_eq "$code" 2 "delete with an existing --backup"
grep -q "'mine.jsonl.gz' exists; a backup is never replaced" err.txt || { cat err.txt >&2; fail "no message"; }
assert_eq "$(state | jq '.methods | add // 0')" "$before" "requests after the refused delete"
assert_eq "$(sha256sum < mine.jsonl.gz)" "$sum1" "the existing backup"
# the same with --overwrite: a backup is never replaced
set +e
"$S3SRC" delete --ids del2.txt --yes --backup mine.jsonl.gz --results d3.jsonl --overwrite 2> err.txt
code=$?
set -e
assert_eq "$code" 2 "delete with an existing --backup and --overwrite"
# re-running an interrupted delete with the same --backup: refused as well
"$S3SRC" delete --ids del2.txt --yes --backup run.jsonl.gz --results d4.jsonl -q || fail "delete exited $?"
sum2=$(sha256sum < run.jsonl.gz)
set +e
"$S3SRC" delete --ids del2.txt --yes --backup run.jsonl.gz --results d5.jsonl 2> err.txt
code=$?
set -e
assert_eq "$code" 2 "re-run of a delete with the same --backup"
assert_eq "$(sha256sum < run.jsonl.gz)" "$sum2" "the first run's backup"
assert_eq "$(zcat run.jsonl.gz | wc -l)" 3 "sources in the first run's backup"
ok "an existing --backup is never replaced (exit 2, zero requests), with or without --overwrite"

# export -o replaces its backup atomically: a nightly backup keeps its name
# (the sources still on the server: a run that exports nothing keeps the file)
gen_csv 2 night > night.csv
"$S3SRC" import night.csv --results night.results.csv -q || fail "import of night.csv exited $?"
state | jq -r '.sources[].integrationId' > left.txt
"$S3SRC" export --ids left.txt -o nightly.jsonl.gz --results e1.jsonl -q || fail "export exited $?"
"$S3SRC" export --ids left.txt -o nightly.jsonl.gz --results e2.jsonl -q || fail "re-export exited $?"
[ -s nightly.jsonl.gz ] || fail "export -o did not write its backup"
[ ! -e nightly-2.jsonl.gz ] || fail "export -o did not replace its backup"
ok "export -o replaces its backup"
