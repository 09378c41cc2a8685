#!/usr/bin/env bash
# tests/valgrind.sh - the unit tests and the main end-to-end cases once under
# valgrind memcheck (a plain Debug build: valgrind and ASan do not mix).
# Any memcheck error or definite leak fails the run.
#
#   tests/valgrind.sh            unit tests + import/export e2e cases
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. tests/deps.sh
s3src_install_deps $S3SRC_BUILD_PKGS valgrind

cmake -S . -B build-vg -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-vg -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
wrap=$(mktemp -d)
trap 'rm -rf "$wrap"' EXIT
vg="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --track-fds=no"
for b in s3src fake-panther; do
	printf '#!/bin/sh\nexec %s %q "$@"\n' "$vg" "$top/build-vg/$b" > "$wrap/$b"
	chmod +x "$wrap/$b"
done

fails=0
echo "== unit tests under memcheck"
for t in build-vg/tests/test_*; do
	if (cd tests/unit && $vg "$top/$t" >/dev/null 2>"$wrap/out.txt"); then
		echo "ok   $(basename "$t")"
	else
		echo "FAIL $(basename "$t")"; tail -30 "$wrap/out.txt"; fails=$((fails + 1))
	fi
done
echo "== end-to-end cases under memcheck (s3src and fake-panther both wrapped)"
for c in import_happy export_delete import_auth; do
	if S3SRC=$wrap/s3src FAKE_PANTHER=$wrap/fake-panther SRCDIR=$top bash "tests/e2e/$c.sh" >"$wrap/out.txt" 2>&1; then
		echo "ok   $c"
	else
		echo "FAIL $c"; tail -30 "$wrap/out.txt"; fails=$((fails + 1))
	fi
done
echo "$(( $(ls build-vg/tests/test_* | wc -l) + 3 - fails )) passed, $fails failed"
[ "$fails" = 0 ]
