#!/usr/bin/env bash
# tests/structure.sh - the shape of the code, checked (docs/ARCHITECTURE.md,
# "Folders and what may use what"):
#
#   1. layering: a file of src/AREA/ includes only headers of the areas AREA
#      may use (the table below, the same as the doc's);
#   2. no cycle between files: no object file of the libraries needs (uses a
#      symbol defined by) one that needs it back, directly or through others
#      (nm over the built libraries, tsort finds the loops);
#   3. no function over 80 lines unless the comment above it says why, with
#      the words "long because".
#
#   tests/structure.sh BUILDDIR      (ctest runs it as 'structure')
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: tests/structure.sh BUILDDIR}
cd "$top"
fail=0

# 1. layering ---------------------------------------------------------------
declare -A may=(
	[util]="util"
	[reader]="util reader"
	[source]="util reader source"
	[engine]="util engine"
	[writers]="util reader source writers"
	[run]="util reader source engine writers run"
	[cmd]="util reader source engine writers run cmd"
	[fake-panther]="util fake-panther"
)
declare -A owner=()
for f in src/*/*.[ch]; do
	area=${f#src/}
	area=${area%%/*}
	base=$(basename "$f")
	owner[${base%.[ch]}.h]=$area
done
for area in "${!may[@]}"; do
	for f in src/"$area"/*.[ch]; do
		while read -r h; do
			o=${owner[$(basename "$h")]:-}
			[ -z "$o" ] && continue
			case " ${may[$area]} " in
			*" $o "*) ;;
			*) echo "FAIL: $f includes \"$h\" of area '$o' ($area may use: ${may[$area]})"; fail=1 ;;
			esac
		done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
	done
done

# 2. no cycle between object files -----------------------------------------
libs=$(find "$build" -maxdepth 1 -name 'libs3src_*.a' | sort)
if [ -z "$libs" ]; then
	echo "FAIL: no libs3src_*.a in $build (build first)"
	exit 1
fi
# "object symbol" lines for definitions and uses, then "user definer" edges
# shellcheck disable=SC2086
nm -A --defined-only $libs 2>/dev/null |
	awk 'NF >= 3 && $(NF-1) ~ /^[TDBR]$/ { split($1, p, ":"); print p[2], $NF }' | sort -u >"$build/structure.defs"
# shellcheck disable=SC2086
nm -A --undefined-only $libs 2>/dev/null |
	awk 'NF >= 2 { split($1, p, ":"); print p[2], $NF }' | sort -u >"$build/structure.uses"
awk 'NR == FNR { def[$2] = $1; next } ($2 in def) && def[$2] != $1 { print $1, def[$2] }' \
	"$build/structure.defs" "$build/structure.uses" | sort -u >"$build/structure.edges"
nedges=$(wc -l <"$build/structure.edges")
if [ "$nedges" -lt 20 ]; then
	echo "FAIL: only $nedges dependencies between object files found: is nm reading the libraries?"
	fail=1
fi
# tsort prints each loop's members on stderr and exits non-zero
if ! tsort "$build/structure.edges" >/dev/null 2>"$build/structure.loops"; then
	echo "FAIL: object files that depend on each other:"
	sed 's/^/  /' "$build/structure.loops"
	fail=1
fi

# 3. long functions -----------------------------------------------------------
# A function starts at a line "{" whose previous non-blank lines hold its
# name and parameters, and ends at the next "}" in column 0.
long=$(awk -v max=80 '
	FNR == 1 { start = 0; comment = "" }
	/^\/\*/ { comment = ""; incomment = 1 }
	incomment { comment = comment " " $0; if ($0 ~ /\*\//) incomment = 0; next }
	/^[A-Za-z_].*\(/ { sig = $0; sigline = FNR }
	/^\{$/ && sig != "" { start = sigline; name = sig; reason = (comment ~ /long because/) }
	/^}/ && start {
		n = FNR - start + 1
		if (n > max && !reason) {
			sub(/\(.*/, "", name); gsub(/.*[ *]/, "", name)
			printf "%s:%d: %s is %d lines\n", FILENAME, start, name, n
		}
		start = 0; sig = ""; comment = ""
	}
' src/*/*.c)
if [ -n "$long" ]; then
	echo "FAIL: functions over 80 lines with no reason ('long because') in the comment above them:"
	echo "${long//$'\n'/$'\n'  }" | sed '1s/^/  /'
	fail=1
fi

[ "$fail" = 0 ] && echo "ok: layering, $nedges dependencies between object files with no cycle, no function over 80 lines without a reason"
exit "$fail"
