#!/usr/bin/env bash
# validate, golden cases: each folder tests/e2e/validate/NAME/ holds an input,
# `cmd` (the arguments after `s3src validate`, run from that folder),
# `expected.stderr` and `expected.rc`; the output must match byte for byte.
# To add a case: make the folder, write input and cmd, review the output of
#   (cd tests/e2e/validate/NAME && eval "s3src validate $(cat cmd)")
# and save it as expected.stderr / expected.rc.
set -euo pipefail
: "${S3SRC:?set S3SRC to the s3src binary}"
: "${SRCDIR:?set SRCDIR to the source tree}"
T=$(mktemp -d "${TMPDIR:-/tmp}/s3src-validate.XXXXXX")
trap 'rm -rf "$T"' EXIT

failed=0 n=0
for dir in "$SRCDIR"/tests/e2e/validate/*/; do
	name=$(basename "$dir")
	n=$((n + 1))
	rc=0
	(cd "$dir" && eval "\"\$S3SRC\" validate $(cat cmd)") >"$T/$name.out" 2>"$T/$name.err" || rc=$?
	want_rc=$(cat "$dir/expected.rc")
	if [ "$rc" != "$want_rc" ]; then
		echo "FAIL: $name: exit $rc, expected $want_rc" >&2
		failed=$((failed + 1))
	elif ! diff -u "$dir/expected.stderr" "$T/$name.err" >&2; then
		echo "FAIL: $name: stderr differs (above)" >&2
		failed=$((failed + 1))
	elif [ -s "$T/$name.out" ]; then
		echo "FAIL: $name: unexpected stdout" >&2
		failed=$((failed + 1))
	else
		echo "ok: $name"
	fi
done
[ "$n" -gt 0 ] || { echo "FAIL: no cases found" >&2; exit 1; }
[ "$failed" -eq 0 ] || { echo "FAIL: $failed of $n cases" >&2; exit 1; }
echo "all $n validate cases passed"
