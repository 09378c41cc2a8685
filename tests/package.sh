#!/usr/bin/env bash
# tests/package.sh - proves the install and the Debian package from a built,
# non-sanitizer folder (tests/run.sh passes build-gcc, a Release build):
# 'DESTDIR=... cmake --install' must give both programs, both man pages (which
# man renders without a warning) and the bash and zsh completion; 'cpack -G DEB'
# must build a .deb holding the same files whose Depends names the libraries
# the programs are linked with. Prints what it checked; exits non-zero on the
# first thing missing. Takes a few seconds.
#
#   tests/package.sh [BUILD_DIR]      (default build-gcc)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build-gcc}" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/s3src-package.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

want_files="
bin/s3src
bin/fake-panther
share/man/man1/s3src.1.gz
share/man/man1/fake-panther.1.gz
share/bash-completion/completions/s3src
share/bash-completion/completions/fake-panther
share/zsh/site-functions/_s3src
share/doc/s3src/README.md
share/doc/s3src/api/panther-s3-sources.openapi.json
"

# --- cmake --install with DESTDIR and a prefix ---
DESTDIR=$tmp/root cmake --install "$build" --prefix /usr > "$tmp/install.log"
for f in $want_files; do
	[ -f "$tmp/root/usr/$f" ] || fail "cmake --install did not install /usr/$f"
done
"$tmp/root/usr/bin/s3src" --version > /dev/null || fail "the installed s3src does not run"
"$tmp/root/usr/bin/fake-panther" --help > /dev/null || fail "the installed fake-panther does not run"
for page in s3src fake-panther; do
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$tmp/root/usr/share/man/man1/$page.1.gz" \
		> "$tmp/$page.txt" 2> "$tmp/$page.err" || fail "man -l cannot render the installed $page.1.gz"
	[ -s "$tmp/$page.err" ] && { cat "$tmp/$page.err" >&2; fail "man warns about the installed $page.1.gz"; }
	grep -q '^NAME' "$tmp/$page.txt" || fail "the installed $page.1.gz renders without a NAME section"
done
echo "ok: DESTDIR install: $(find "$tmp/root" -type f | wc -l) files, programs run, man pages render"

# --- cpack -G DEB ---
rm -f "$build"/s3src_*.deb
(cd "$build" && cpack -G DEB > "$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log" >&2; fail "cpack -G DEB failed"; }
deb=$(ls "$build"/s3src_*.deb)
dpkg-deb -c "$deb" > "$tmp/contents"
for f in $want_files; do
	grep -q " \./usr/$f\$" "$tmp/contents" || fail "$(basename "$deb") does not hold /usr/$f"
done
if grep -v ' \./usr/' "$tmp/contents" | grep -q .; then
	fail "$(basename "$deb") holds files outside /usr: $(grep -v ' \./usr/' "$tmp/contents" | head -3)"
fi
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libcurl4 libcsv3 libjansson4 zlib1g libssl3 libmicrohttpd12; do
	[[ ", $depends," == *", $lib "* || ", $depends," == *", $lib,"* ]] ||
		fail "$(basename "$deb") Depends does not name $lib: $depends"
done
echo "ok: $(basename "$deb"): $(grep -c -v '/$' "$tmp/contents") files"
echo "    Depends: $depends"
grep -E '/(bin|man1|completions|site-functions)/[^/]+$' "$tmp/contents" | awk '{ print "    " $NF }'
