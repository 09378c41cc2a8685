#!/usr/bin/env bash
# samples/demo.sh - s3src from nothing to a finished migration, on this machine:
# installs what is missing, builds, starts fake-panther (the bundled stand-in
# for Panther's API) on a free loopback port, validates and imports
# samples/buckets.csv, exports a backup of what it created, changes two sources
# with a sheet of only the changed columns (plan, import, undo), shows the
# results and stops the server. Nothing leaves 127.0.0.1.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. tests/deps.sh
s3src_install_deps $S3SRC_BUILD_PKGS

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "building (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target s3src fake-panther -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
S3SRC=$top/build/s3src

out=$(mktemp -d "${TMPDIR:-/tmp}/s3src-demo.XXXXXX")
# a throwaway token for the throwaway server; given through the environment,
# as you would give the real one (never on the command line)
export FAKE_PANTHER_TOKEN="demo-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
export PANTHER_API_TOKEN=$FAKE_PANTHER_TOKEN

say "starting fake-panther: 20 ms latency, 5% transient 5xx errors, 3% throttled (429)"
build/fake-panther --port 0 --port-file "$out/port" --latency-ms 20 \
	--fail-rate 0.05 --throttle-rate 0.03 --retry-after 1 --seed 7 >"$out/fake-panther.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$out/port" ] && break; sleep 0.05; done
[ -s "$out/port" ] || { echo "fake-panther did not start:"; cat "$out/fake-panther.log"; exit 1; }
export PANTHER_API_URL="http://127.0.0.1:$(cat "$out/port")"
echo "PANTHER_API_URL=$PANTHER_API_URL"

say "s3src validate samples/buckets.csv   (offline; one row is wrong on purpose)"
"$S3SRC" validate samples/buckets.csv || true

say "s3src import samples/buckets.csv -j 8"
set +e
"$S3SRC" import samples/buckets.csv -j 8 --results "$out/import.results.csv" --no-progress
code=$?
set -e
echo "exit code $code (1: some row invalid or failed, as expected for the bad sample row)"

say "results file: $out/import.results.csv (first rows)"
if command -v column >/dev/null; then
	head -6 "$out/import.results.csv" | cut -d, -f1-9 | column -s, -t
else
	head -6 "$out/import.results.csv"
fi
if [ -s "$out/import.failed.csv" ]; then
	say "failed rows, in the input's own format, ready to fix and re-run: $out/import.failed.csv"
	cat "$out/import.failed.csv"
fi

if "$S3SRC" export --help >/dev/null 2>&1; then
	say "s3src export --ids $out/import.results.csv -o $out/backup.jsonl.gz"
	"$S3SRC" export --ids "$out/import.results.csv" -o "$out/backup.jsonl.gz" \
		--results "$out/export.results.csv" --no-progress || true
	say "zcat $out/backup.jsonl.gz | head -3"
	zcat "$out/backup.jsonl.gz" | head -3
fi

# a modify needs only integrationId and what it changes: the rest is fetched
# and kept; plan shows it first; import backs each source up before its PUT
ids=$(awk -F, '$4 == "created" { print $6 }' "$out/import.results.csv" | head -2)
if [ "$(echo "$ids" | wc -l)" = 2 ]; then
	{
		echo "integrationId,integrationLabel,kmsKey"
		echo "$(echo "$ids" | sed -n 1p),renamed-by-the-demo,"
		echo "$(echo "$ids" | sed -n 2p),,#N/A"
	} > "$out/change.csv"
	say "a sheet with only the changed columns ('#N/A' clears the KMS key):"
	cat "$out/change.csv"
	say "s3src plan $out/change.csv   (GET only: what import would change)"
	"$S3SRC" plan "$out/change.csv" --results "$out/plan.results.csv" --no-progress || true
	say "s3src import $out/change.csv --backup $out/before.jsonl.gz"
	"$S3SRC" import "$out/change.csv" --backup "$out/before.jsonl.gz" \
		--results "$out/change.results.csv" --no-progress || true
	if [ -s "$out/before.jsonl.gz" ]; then
		say "undo: s3src import $out/before.jsonl.gz --mode modify"
		"$S3SRC" import "$out/before.jsonl.gz" --mode modify --backup "$out/undo.jsonl.gz" \
			--results "$out/undo.results.csv" --no-progress || true
	fi
fi

say "the server now holds $(curl -s "$PANTHER_API_URL/_fake/state" | jq '.sources | length') sources"
echo "all outputs are in $out"
