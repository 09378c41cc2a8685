#!/usr/bin/env bash
# tests/run.sh - the one command that proves s3src: installs what is missing,
# builds with AddressSanitizer + UndefinedBehaviorSanitizer, runs every test
# (cmocka unit tests, fuzz-corpus replays and end-to-end tests against
# fake-panther) with ctest, after running each libFuzzer harness for 5 s.
# Also builds once without sanitizers with the other compiler, so both gcc and
# clang see -Wall -Wextra -Werror, and installs and packages that build
# (tests/package.sh). Exits non-zero on any failure.
#
#   tests/run.sh              everything
#   tests/run.sh -R e2e_      only tests whose name matches (ctest -R)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. tests/deps.sh
s3src_install_deps $S3SRC_BUILD_PKGS $S3SRC_TEST_PKGS

jobs=$(nproc 2>/dev/null || echo 2)

# Stoplight Prism, the independent OpenAPI mock the conformance test runs
# against, from the npm registry into a cache folder (not the repository).
prism_dir=${XDG_CACHE_HOME:-$HOME/.cache}/s3src-prism
export PRISM=$prism_dir/node_modules/.bin/prism
if [ ! -x "$PRISM" ]; then
	command -v npm >/dev/null 2>&1 || s3src_install_deps nodejs npm
	echo "== installing @stoplight/prism-cli into $prism_dir"
	npm install --prefix "$prism_dir" --no-audit --no-fund --loglevel=error @stoplight/prism-cli@5 >/dev/null
fi

echo "== warnings build (gcc, -Werror)"
cmake -S . -B build-gcc -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-gcc -j"$jobs" >/dev/null

echo "== install and Debian package (from the gcc Release build: DESTDIR install, cpack -G DEB)"
tests/package.sh build-gcc

echo "== sanitizer build (clang, ASan + UBSan)"
cmake -S . -B build-san -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DS3SRC_SANITIZE=ON >/dev/null
cmake --build build-san -j"$jobs" >/dev/null

echo "== fuzz harnesses (libFuzzer + ASan/UBSan, 5 s each; tests/fuzz/run.sh 300 for the long run)"
tests/fuzz/run.sh 5

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
echo "== tests"
cd build-san
ctest --output-on-failure -j"$jobs" "$@"
