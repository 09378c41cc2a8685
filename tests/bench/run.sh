#!/usr/bin/env bash
# tests/bench/run.sh - the benchmark of issue 6: how s3src compares with libcurl's
# own parallel command-line tool (curl --parallel) sending the same requests to
# the same local server, and with the ideal rows x latency / concurrency.
#
# One command: installs what is missing, builds a Release s3src and fake-panther
# (in build-bench/), generates the inputs once into a temporary folder, starts
# fake-panther (one at --latency-ms 20, one at 0), and prints a table. Each
# figure is the median of BENCH_RUNS runs (default 5), s3src and curl
# alternating on the same server, which is reset between runs so that labels
# never collide. Every run is checked (exit status, the server's reply counts),
# so a figure never comes from a run that failed. It is not a pass/fail test:
# the timings belong in docs/performance.md, never in ctest.
#
#   tests/bench/run.sh                 everything (about 7 minutes on 2 cores)
#   BENCH_RUNS=3 tests/bench/run.sh    fewer runs per figure
#   BENCH_CASES=import,ratelimit       only these cases (import: 5,000 creates
#                                      at 20 and 0 ms against curl; export;
#                                      validate; rss; ratelimit: 1,000 creates
#                                      against fake-panther --rate-limit 50
#                                      --latency-ms 50 at -j 8 and -j 32)
#   BENCH_RL_RUNS=N                    runs of each rate-limited case (default 3)
#   BENCH_PLOT=FILE                    where the rate-limited case draws its SVG
#                                      (default docs/pacing.svg)
#   BENCH_BIG_RUNS=N                   runs of the 100,000-row import (default 3)
#   BENCH_BUILD=DIR                    build folder (default build-bench)
#   BENCH_KEEP=1                       keep the temporary folder (printed)
#   BENCH_BIN=DIR                      use DIR/s3src and DIR/fake-panther, build nothing
#   BENCH_ONLY=export-hangs            only the export memory case (below), about 1 minute
#
# The export memory case (issue 14): 20,000 exports at -j 32 from a server
# that hangs a few requests (--hang-rate 0.001, each hang 500 ms, then the
# connection drops and the GET is retried) against the same export from a
# server without hangs; the target is peak RSS within 2 MiB of the run
# without hangs (BENCH_HANG_RUNS runs of each, default 3).
#
# Wall time, user and system CPU and peak RSS come from GNU time
# (/usr/bin/time -f '%e %U %S %M'). Connections opened by a run are counted as
# the loopback TCP sockets to the server's port that appear during the run
# (`ss`: a connection the client closed stays in TIME-WAIT for 60 s).
# The machine should be otherwise idle: the load average is printed before and
# after, and other work on the 2 cores shows up in the wall times first.
# The figures are stored in variables named at run time (printf -v URL_$name,
# W_$tool...), which shellcheck cannot follow; the package list is split on purpose.
# shellcheck disable=SC2154,SC2034,SC2086
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/deps.sh
s3src_install_deps $S3SRC_BUILD_PKGS time procps iproute2 perl

RUNS=${BENCH_RUNS:-5}
BIG_RUNS=${BENCH_BIG_RUNS:-3}
BUILD=${BENCH_BUILD:-$top/build-bench}
J=32
LAT=20
N=5000
RL_RUNS=${BENCH_RL_RUNS:-3}
RL_RATE=50 RL_LAT=50 RL_N=1000
PLOT=${BENCH_PLOT:-$top/docs/pacing.svg}
CASES=${BENCH_CASES:-all}
# want CASE: is CASE among those asked for
want() { [[ ",$CASES," == *",all,"* || ",$CASES," == *",$1,"* ]]; }

if [ -n "${BENCH_BIN:-}" ]; then
	echo "== using the binaries in $BENCH_BIN (no build)" >&2
	S3SRC=$BENCH_BIN/s3src FAKE=$BENCH_BIN/fake-panther
else
	echo "== building Release s3src and fake-panther in $BUILD" >&2
	cmake -S "$top" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$BUILD" --target s3src fake-panther -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
	S3SRC=$BUILD/s3src FAKE=$BUILD/fake-panther
fi
if [ ! -x "$S3SRC" ] || [ ! -x "$FAKE" ]; then
	echo "bench: error: no $S3SRC or $FAKE" >&2
	exit 1
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/s3src-bench.XXXXXX")
chmod 700 "$T"
PIDS=""
cleanup() {
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT
die() { echo "bench: error: $*" >&2; exit 1; }

# A throwaway token for the local server only. It has to be in curl's config
# file (mode 600, in the private temporary folder, removed on exit).
TOKEN="bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
export PANTHER_API_TOKEN=$TOKEN

# start_fake NAME LATENCY [OPTION...]: sets URL_NAME and PORT_NAME
start_fake() {
	local name=$1 lat=$2 pf="$T/port.$1" i
	shift 2
	FAKE_PANTHER_TOKEN=$TOKEN "$FAKE" --port 0 --port-file "$pf" --latency-ms "$lat" "$@" >"$T/fake.$name.log" 2>&1 &
	PIDS="$PIDS $!"
	for i in $(seq 200); do [ -s "$pf" ] && break; sleep 0.05; done
	[ -s "$pf" ] || die "fake-panther did not start (see $T/fake.$name.log)"
	printf -v "PORT_$name" '%s' "$(cat "$pf")"
	printf -v "URL_$name" 'http://127.0.0.1:%s' "$(cat "$pf")"
}

# gen N PREFIX: N valid create rows (the layout of tests/e2e/lib/common.bash)
gen() {
	awk -v n="$1" -v p="$2" 'BEGIN {
		print "integrationLabel,awsAccountId,s3Bucket,logProcessingRole,logStreamType,managedBucketNotifications,prefix,logTypes"
		for (i = 1; i <= n; i++)
			printf "%s-%05d,123456789012,%s-bucket-%05d,arn:aws:iam::123456789012:role/PantherLogProcessing,JSON,false,logs/,AWS.CloudTrail\n", p, i, p, i
	}'
}

reset() { curl -fsS -X POST "$1/_fake/reset" >/dev/null; }
count() { curl -fsS "$1/_fake/state" | jq -r --arg s "$2" '.counts[$s] // 0'; }
# client-side sockets to the server's port left in TIME-WAIT: one per
# connection the client opened and closed (it closes them all when it exits)
conns() { sleep 0.3; ss -Htan state time-wait "( dport = :$1 )" 2>/dev/null | wc -l; }

# measure TAG CMD...: runs CMD under GNU time; appends "wall user sys maxrss_kib" to $T/m.TAG
measure() {
	local tag=$1
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$T/time.out" "$@" >"$T/cmd.out" 2>"$T/cmd.err" ||
		{ cat "$T/cmd.err" >&2; die "run '$tag' failed: $*"; }
	tail -n 1 "$T/time.out" >>"$T/m.$tag"
}

# median TAG FIELD: median of one field (1 wall, 2 user, 3 sys, 4 rss, 5 user+sys)
median() {
	awk -v f="$2" '{ v = (f == 5) ? $2 + $3 : $f; print v }' "$T/m.$1" | sort -g |
		awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- export memory with hung requests (issue 14) ----
export_hangs() {
	local n=20000 runs=${BENCH_HANG_RUNS:-3} name url i h0
	gen "$n" x >"$T/in20k.csv"
	start_fake nohang 0
	start_fake hang 0 --hang-rate 0.001 --hang-max-ms 500 --seed 3
	for name in nohang hang; do
		url=URL_$name url=${!url}
		PANTHER_API_URL=$url "$S3SRC" import "$T/in20k.csv" -j "$J" --results "$T/x.$name.csv" -q ||
			die "import of $n on $name failed"
		tail -n +2 "$T/x.$name.csv" | cut -d, -f6 >"$T/x.$name.ids"
		[ "$(grep -c . "$T/x.$name.ids")" = "$n" ] || die "expected $n ids on $name"
	done
	echo "== export $n, -j $J, with and without hung requests ($runs runs each)" >&2
	for i in $(seq "$runs"); do
		for name in nohang hang; do
			url=URL_$name url=${!url}
			h0=$(curl -fsS "$url/_fake/state" | jq .hangs)
			PANTHER_API_URL=$url measure "xh.$name" "$S3SRC" export --ids "$T/x.$name.ids" -o "$T/x.jsonl" \
				-j "$J" --results "$T/xr.csv" --overwrite -q
			[ "$(wc -l <"$T/x.jsonl")" = "$n" ] || die "export on $name: backup is not $n lines"
			echo $(($(curl -fsS "$url/_fake/state" | jq .hangs) - h0)) >>"$T/xh.$name.hangs"
			rm -f "$T/x.jsonl"
		done
	done
	local r0 r1 d
	r0=$(median xh.nohang 4) r1=$(median xh.hang 4)
	d=$(awk -v a="$r1" -v b="$r0" 'BEGIN { printf "%.2f", (a - b) / 1024 }')
	printf '%-44s %12s\n' "export $n, -j $J, no hangs: peak RSS (MiB)" "$(awk -v v="$r0" 'BEGIN { printf "%.1f", v / 1024 }')"
	printf '%-44s %12s\n' "  wall (s)" "$(median xh.nohang 1)"
	printf '%-44s %12s\n' "export $n, hung requests: peak RSS (MiB)" "$(awk -v v="$r1" 'BEGIN { printf "%.1f", v / 1024 }')"
	printf '%-44s %12s\n' "  wall (s)" "$(median xh.hang 1)"
	printf '%-44s %12s\n' "  hangs per run" "$(paste -sd, "$T/xh.hang.hangs")"
	printf '%-62s %-26s %s\n' "export RSS with hangs - without <= 2 MiB" "+$d MiB" \
		"$(awk -v d="$d" 'BEGIN { print (d <= 2) ? "met" : "NOT MET" }')"
}
if [ "${BENCH_ONLY:-}" = export-hangs ]; then
	export_hangs
	exit 0
fi

echo "== generating inputs in $T" >&2
gen "$N" b >"$T/in5k.csv"
gen 1000 s >"$T/in1k.csv"
gen 100000 h >"$T/in100k.csv"
gen 2000 v >"$T/in2k.csv"
gen 200000 v >"$T/in200k.csv"

start_fake slow "$LAT"
start_fake fast 0

if want import || want export; then
# The bodies curl sends are exactly s3src's: a first, unmeasured s3src import
# creates the 5,000 sources, and each stored source is integrationId followed by
# the request's fields in order (docs/fake-panther.md), so dropping
# integrationId gives back the compact, key-sorted body s3src sent.
echo "== capturing the request bodies" >&2
PANTHER_API_URL=$URL_fast "$S3SRC" import "$T/in5k.csv" -j "$J" --results "$T/warm.csv" -q ||
	die "warm-up import failed"
curl -fsS "$URL_fast/_fake/state" |
	jq -c '.sources | sort_by(.integrationLabel) | .[] | del(.integrationId)' >"$T/bodies.jsonl"
[ "$(wc -l <"$T/bodies.jsonl")" = "$N" ] || die "expected $N bodies"

# curl_post_config URL: one transfer per body; `next` separates them and
# resets the per-transfer options, so headers and output are repeated. curl's
# -s does not silence the --parallel progress meter; --no-progress-meter does.
curl_post_config() {
	jq -r --arg u "$1/log-sources/s3" --arg k "$TOKEN" '
		"url = \"" + $u + "\"\n" +
		"data-binary = " + (tojson | tojson) + "\n" +
		"header = \"X-API-Key: " + $k + "\"\n" +
		"header = \"Content-Type: application/json\"\n" +
		"header = \"Accept: application/json\"\n" +
		"output = \"/dev/null\"\nnext"' "$T/bodies.jsonl" | sed '$d' # no `next` after the last
}
(umask 077 && curl_post_config "$URL_slow" >"$T/post.slow.cfg" && curl_post_config "$URL_fast" >"$T/post.fast.cfg")

# one import run and one curl run on server NAME, each on a freshly reset server
import_pair() {
	local name=$1 url port before
	url=URL_$name url=${!url}
	port=PORT_$name port=${!port}
	reset "$url"
	before=$(conns "$port")
	PANTHER_API_URL=$url measure "s3src.$name" "$S3SRC" import "$T/in5k.csv" -j "$J" --results "$T/r.csv" --overwrite -q
	echo $(($(conns "$port") - before)) >>"$T/c.s3src.$name"
	[ "$(count "$url" 201)" = "$N" ] || die "s3src import on $name: not $N sources created"
	reset "$url"
	before=$(conns "$port")
	measure "curl.$name" curl --no-progress-meter --fail --parallel --parallel-max "$J" -K "$T/post.$name.cfg"
	echo $(($(conns "$port") - before)) >>"$T/c.curl.$name"
	[ "$(count "$url" 201)" = "$N" ] || die "curl on $name: not $N sources created"
}

fi
if want import; then
echo "== import, $N rows, ${LAT} ms latency, $J in flight ($RUNS runs each)" >&2
for i in $(seq "$RUNS"); do import_pair slow; done
echo "== import, $N rows, 0 ms latency, $J in flight ($RUNS runs each)" >&2
for i in $(seq "$RUNS"); do import_pair fast; done
fi

if want export; then
echo "== export, $N GETs, ${LAT} ms latency, $J in flight ($RUNS runs each)" >&2
reset "$URL_slow"
PANTHER_API_URL=$URL_slow "$S3SRC" import "$T/in5k.csv" -j "$J" --results "$T/ex.csv" -q || die "import before export failed"
tail -n +2 "$T/ex.csv" | cut -d, -f6 >"$T/ids.txt"
[ "$(grep -c . "$T/ids.txt")" = "$N" ] || die "expected $N ids"
(umask 077 && jq -rR --arg u "$URL_slow/log-sources/s3/" --arg k "$TOKEN" '
	"url = \"" + $u + . + "\"\n" +
	"header = \"X-API-Key: " + $k + "\"\n" +
	"header = \"Accept: application/json\"\n" +
	"output = \"/dev/null\"\nnext"' "$T/ids.txt" | sed '$d' >"$T/get.cfg")
for i in $(seq "$RUNS"); do
	c0=$(count "$URL_slow" 200)
	PANTHER_API_URL=$URL_slow measure s3src.export "$S3SRC" export --ids "$T/ids.txt" -o "$T/backup.jsonl" \
		-j "$J" --results "$T/er.csv" --overwrite -q
	c1=$(count "$URL_slow" 200)
	[ $((c1 - c0)) = "$N" ] || die "s3src export: $((c1 - c0)) replies 200, not $N"
	[ "$(wc -l <"$T/backup.jsonl")" = "$N" ] || die "s3src export: backup is not $N lines"
	measure curl.export curl --no-progress-meter --fail --parallel --parallel-max "$J" -K "$T/get.cfg"
	[ $(($(count "$URL_slow" 200) - c1)) = "$N" ] || die "curl export: not $N replies 200"
done
reset "$URL_slow"
fi

if want validate; then
echo "== validate, 2,000 and 200,000 rows ($RUNS runs each)" >&2
for i in $(seq "$RUNS"); do
	measure validate.200k "$S3SRC" validate "$T/in200k.csv"
	measure validate.2k "$S3SRC" validate "$T/in2k.csv"
done
fi

if want rss; then
echo "== import peak RSS, 1,000 rows ($RUNS runs) and 100,000 rows ($BIG_RUNS), 0 ms latency" >&2
for i in $(seq "$RUNS"); do
	reset "$URL_fast"
	PANTHER_API_URL=$URL_fast measure import.1k "$S3SRC" import "$T/in1k.csv" -j "$J" --results "$T/r.csv" --overwrite -q
done
for i in $(seq "$BIG_RUNS"); do
	reset "$URL_fast"
	PANTHER_API_URL=$URL_fast measure import.100k "$S3SRC" import "$T/in100k.csv" -j "$J" --results "$T/r.csv" --overwrite -q
	[ "$(count "$URL_fast" 201)" = 100000 ] || die "100,000-row import: not every source created"
done
reset "$URL_fast"
fi

# ---- the rate-limited case: a limit s3src is not told about ----
# fake-panther logs every API request (--verbose) and perl stamps each line
# with the time, so the plot can count sends and 429s per second of each run.
if want ratelimit; then
	echo "== import, $RL_N rows, ${RL_LAT} ms latency, server limit $RL_RATE/s, -j 8 and -j 32 ($RL_RUNS runs each)" >&2
	pf="$T/port.rl"
	FAKE_PANTHER_TOKEN=$TOKEN "$FAKE" --port 0 --port-file "$pf" --latency-ms "$RL_LAT" \
		--rate-limit "$RL_RATE" --verbose >/dev/null \
		2> >(perl -MTime::HiRes=time -ne '$| = 1; printf "%.3f %s", time, $_' >"$T/rl.log") &
	PIDS="$PIDS $!"
	for i in $(seq 200); do [ -s "$pf" ] && break; sleep 0.05; done
	[ -s "$pf" ] || die "fake-panther --rate-limit did not start"
	URL_rl=http://127.0.0.1:$(cat "$pf")
	stamp() { perl -MTime::HiRes=time -e 'printf "%.3f\n", time'; }
	for i in $(seq "$RL_RUNS"); do
		for j in 8 32; do
			reset "$URL_rl"
			t0=$(stamp)
			PANTHER_API_URL=$URL_rl measure "rl.$j" "$S3SRC" import "$T/in1k.csv" -j "$j" --results "$T/rl.csv" --overwrite -q
			t1=$(stamp)
			c201=$(count "$URL_rl" 201) c429=$(count "$URL_rl" 429)
			[ "$c201" = "$RL_N" ] || die "rate-limited import at -j $j: $c201 of $RL_N created"
			echo "$c429 $((c201 + c429))" >>"$T/q.rl.$j"
			[ "$i" = 1 ] && echo "$t0 $t1" >"$T/win.rl.$j"
		done
	done
	# the plot: sends per second (accepted and 429) over the first run of each -j
	sleep 0.2
	for j in 8 32; do
		read -r t0 t1 <"$T/win.rl.$j"
		awk -v t0="$t0" -v t1="$t1" '$1 >= t0 && $1 <= t1 && / -> / {
			s = int($1 - t0); if (s > max) max = s
			if (/-> 429/) q[s]++; else ok[s]++
		} END { for (i = 0; i <= max; i++) printf "%d %d %d\n", i, ok[i] + 0, q[i] + 0 }' "$T/rl.log" >"$T/plot.$j"
	done
	# a small SVG writer: two panels, stacked bars of accepted and refused sends per second
	awk -v rate="$RL_RATE" -v n="$RL_N" -v lat="$RL_LAT" '
	FNR == 1 { p++ }
	{ ok[p, $1] = $2; q[p, $1] = $3; if ($1 + 1 > secs) secs = $1 + 1; if ($2 + $3 > ymax) ymax = $2 + $3 }
	END {
		if (ymax < 2 * rate) ymax = 2 * rate
		ymax = int((ymax + 24) / 25) * 25
		W = 780; H = 230; L = 50; T = 30; PW = W - L - 20; PH = H - T - 40
		printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", W, 2 * H + 30
		printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		printf "<text x=\"%d\" y=\"18\" font-size=\"14\">s3src import of %d rows against a %d/s limit (burst %d), %d ms latency: requests per second</text>\n", L, n, rate, rate, lat
		split("8 32", js, " ")
		for (k = 1; k <= 2; k++) {
			oy = 30 + (k - 1) * H; bw = PW / secs
			printf "<g transform=\"translate(0,%d)\">\n", oy
			printf "<text x=\"%d\" y=\"%d\">-j %s</text>\n", L, T - 8, js[k]
			for (y = 0; y <= ymax; y += 25) {
				yy = T + PH - y / ymax * PH
				printf "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>", L, L + PW, yy, yy
				printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>\n", L - 5, yy + 4, y
			}
			for (i = 0; i < secs; i++) {
				a = ok[k, i] + 0; b = q[k, i] + 0; x = L + i * bw
				ha = a / ymax * PH; hb = b / ymax * PH
				printf "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a7bb7\"/>", x + 1, T + PH - ha, bw - 2, ha
				if (b) printf "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#d9534f\"/>", x + 1, T + PH - ha - hb, bw - 2, hb
				if (i % 5 == 0) printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d s</text>", x + bw / 2, T + PH + 15, i
				printf "\n"
			}
			yy = T + PH - rate / ymax * PH
			printf "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"black\" stroke-dasharray=\"4 3\"/>\n", L, L + PW, yy, yy
			printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">limit</text>\n", L + PW, yy - 4
			printf "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"#4a7bb7\"/><text x=\"%d\" y=\"%d\">accepted</text>", L + PW - 190, T - 18, L + PW - 176, T - 9
			printf "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"#d9534f\"/><text x=\"%d\" y=\"%d\">answered 429</text>\n", L + PW - 100, T - 18, L + PW - 86, T - 9
			printf "</g>\n"
		}
		printf "</svg>\n"
	}' "$T/plot.8" "$T/plot.32" >"$PLOT"
	echo "== plot written to $PLOT" >&2
fi

# ---- the table ----
ideal=$(awk -v n="$N" -v l="$LAT" -v j="$J" 'BEGIN { printf "%.3f", n * l / 1000 / j }')
f() { awk -v v="$1" -v d="${2:-2}" 'BEGIN { printf "%.*f", d, v }'; }
mib() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1024 }'; }
cpurow() { awk -v v="$1" -v n="$2" 'BEGIN { printf "%.1f", v / n * 1e6 }'; } # microseconds
cmed() { sort -n "$T/c.$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

for t in s3src.slow curl.slow s3src.fast curl.fast s3src.export curl.export; do
	[ -s "$T/m.$t" ] || continue
	printf -v "W_${t//./_}" '%s' "$(median "$t" 1)"
	printf -v "C_${t//./_}" '%s' "$(median "$t" 5)"
	printf -v "R_${t//./_}" '%s' "$(median "$t" 4)"
done

echo
echo "s3src benchmark: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(curl --version | head -n1 | cut -d' ' -f1-2)"
echo "median of $RUNS runs; CPU = user + sys of the whole process; ideal = rows x latency / concurrency"
echo "load average before: $load0, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-44s %12s %12s %8s\n' "figure" "s3src" "curl" "ratio"
row() { printf '%-44s %12s %12s %8s\n' "$@"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
if want import; then
row "import $N, ${LAT} ms, -j $J: wall (s)" "$(f "$W_s3src_slow")" "$(f "$W_curl_slow")" "$(ratio "$W_s3src_slow" "$W_curl_slow")"
row "  wall / ideal ($ideal s)" "$(ratio "$W_s3src_slow" "$ideal")" "$(ratio "$W_curl_slow" "$ideal")" ""
row "  CPU per row (us)" "$(cpurow "$C_s3src_slow" "$N")" "$(cpurow "$C_curl_slow" "$N")" "$(ratio "$C_s3src_slow" "$C_curl_slow")"
row "  peak RSS (MiB)" "$(mib "$R_s3src_slow")" "$(mib "$R_curl_slow")" ""
row "  connections opened (median)" "$(cmed s3src.slow)" "$(cmed curl.slow)" ""
row "import $N, 0 ms, -j $J: wall (s)" "$(f "$W_s3src_fast")" "$(f "$W_curl_fast")" "$(ratio "$W_s3src_fast" "$W_curl_fast")"
row "  rows per second" "$(awk -v n="$N" -v w="$W_s3src_fast" 'BEGIN { printf "%.0f", n / w }')" \
	"$(awk -v n="$N" -v w="$W_curl_fast" 'BEGIN { printf "%.0f", n / w }')" ""
row "  CPU per row (us)" "$(cpurow "$C_s3src_fast" "$N")" "$(cpurow "$C_curl_fast" "$N")" "$(ratio "$C_s3src_fast" "$C_curl_fast")"
row "  peak RSS (MiB)" "$(mib "$R_s3src_fast")" "$(mib "$R_curl_fast")" ""
row "  connections opened (median)" "$(cmed s3src.fast)" "$(cmed curl.fast)" ""
fi
if want export; then
row "export $N GETs, ${LAT} ms, -j $J: wall (s)" "$(f "$W_s3src_export")" "$(f "$W_curl_export")" "$(ratio "$W_s3src_export" "$W_curl_export")"
row "  wall / ideal ($ideal s)" "$(ratio "$W_s3src_export" "$ideal")" "$(ratio "$W_curl_export" "$ideal")" ""
row "  CPU per row (us)" "$(cpurow "$C_s3src_export" "$N")" "$(cpurow "$C_curl_export" "$N")" "$(ratio "$C_s3src_export" "$C_curl_export")"
row "  peak RSS (MiB)" "$(mib "$R_s3src_export")" "$(mib "$R_curl_export")" ""
fi
if want ratelimit; then
	rl_ideal=$(awk -v n="$RL_N" -v r="$RL_RATE" 'BEGIN { printf "%.0f", n / r }')
	for j in 8 32; do
		printf -v "RLW_$j" '%s' "$(median "rl.$j" 1)"
		printf -v "RLQ_$j" '%s' "$(awk '{ a += $1; b += $2 } END { printf "%.1f", b ? 100 * a / b : 0 }' "$T/q.rl.$j")"
	done
	row "import $RL_N, ${RL_LAT} ms, limit $RL_RATE/s: wall -j 8 (s)" "$(f "$RLW_8")" "" ""
	row "  wall / ideal ($rl_ideal s)" "$(ratio "$RLW_8" "$rl_ideal")" "" ""
	row "  requests answered 429 (%, all runs)" "$RLQ_8" "" ""
	row "  wall -j 32 (s)" "$(f "$RLW_32")" "" ""
	row "  wall / ideal ($rl_ideal s)" "$(ratio "$RLW_32" "$rl_ideal")" "" ""
	row "  requests answered 429 (%, all runs)" "$RLQ_32" "" ""
fi
echo
if want validate && want rss; then
v200w=$(median validate.200k 1) v200r=$(median validate.200k 4) v2r=$(median validate.2k 4)
i1r=$(median import.1k 4) i100r=$(median import.100k 4) i100w=$(median import.100k 1)
printf '%-44s %12s\n' "validate 200,000 rows: wall (s)" "$(f "$v200w")"
printf '%-44s %12s\n' "  CPU (s)" "$(f "$(median validate.200k 5)")"
printf '%-44s %12s\n' "  peak RSS (MiB)" "$(mib "$v200r")"
printf '%-44s %12s\n' "validate 2,000 rows: peak RSS (MiB)" "$(mib "$v2r")"
printf '%-44s %12s\n' "import 1,000 rows, 0 ms: peak RSS (MiB)" "$(mib "$i1r")"
printf '%-44s %12s\n' "import 100,000 rows, 0 ms: peak RSS (MiB)" "$(mib "$i100r") ($BIG_RUNS runs)"
printf '%-44s %12s\n' "  wall (s), rows per second" "$(f "$i100w"), $(awk -v w="$i100w" 'BEGIN { printf "%.0f", 100000 / w }')"
fi

# ---- the targets (issue 6 and the foundation issue) ----
echo
target() { # DESCRIPTION FIGURE OK(0|1)
	printf '%-62s %-26s %s\n' "$1" "$2" "$([ "$3" = 1 ] && echo met || echo 'NOT MET')"
}
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? 1 : 0 }'; }
if want import; then
r=$(ratio "$W_s3src_slow" "$W_curl_slow")
target "wall at ${LAT} ms <= curl's (ratio <= 1.00)" "ratio $r" "$(le "$r" 1.00)"
r=$(ratio "$W_s3src_slow" "$ideal")
target "wall at ${LAT} ms within 10% of ideal (<= 1.10)" "$r x ideal" "$(le "$r" 1.10)"
r=$(ratio "$C_s3src_slow" "$C_curl_slow")
target "CPU per row at ${LAT} ms <= curl's" "ratio $r" "$(le "$r" 1.00)"
r=$(ratio "$C_s3src_fast" "$C_curl_fast")
target "CPU per row at 0 ms <= curl's" "ratio $r" "$(le "$r" 1.00)"
r=$(cpurow "$C_s3src_slow" "$N")
target "CPU per row at ${LAT} ms <= 55 us (issue 16)" "$r us" "$(le "$r" 55)"
fi
if want ratelimit; then
	for j in 8 32; do
		w=RLW_$j q=RLQ_$j
		r=$(ratio "${!w}" "$rl_ideal")
		target "rate-limited -j $j: wall <= 1.10 x ideal ($rl_ideal s)" "$r x ideal" "$(le "$r" 1.10)"
		target "rate-limited -j $j: at most 5% answered 429" "${!q}%" "$(le "${!q}" 5)"
	done
fi
if want validate && want rss; then
d=$(awk -v a="$i100r" -v b="$i1r" 'BEGIN { printf "%.2f", (a - b) / 1024 }')
target "import RSS 100,000 rows - 1,000 rows <= 2 MiB" "+$d MiB" "$(le "$d" 2)"
target "import RSS 100,000 rows < 16 MiB" "$(mib "$i100r") MiB" "$(le "$i100r" 16383)"
target "validate 200,000 rows < 1 s" "$(f "$v200w") s" "$(le "$v200w" 0.999)"
target "validate 200,000 rows peak RSS < 20 MiB" "$(mib "$v200r") MiB" "$(le "$v200r" 20479)"
d=$(awk -v a="$v200r" -v b="$v2r" 'BEGIN { printf "%.2f", (a - b) / 1024 }')
target "validate RSS 200,000 rows - 2,000 rows <= 6 MiB" "+$d MiB" "$(le "$d" 6)"
fi

if want export; then
	echo
	export_hangs
fi
