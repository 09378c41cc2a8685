#!/usr/bin/env bash
# Backups are atomic: SIGKILL in the middle of an export leaves no file at a
# new PATH and an earlier backup at PATH untouched; SIGINT exits 3, writes no
# backup and leaves no temporary file; a normal run leaves no temporary file.
. "$(dirname "$0")/lib/common.bash"
start_fake

gen_csv 200 atom > "$T/in.csv"
"$S3SRC" import "$T/in.csv" -j 16 --results "$T/ids.csv" -q || fail "import exited $?"
mkdir "$T/out"
"$S3SRC" export --ids "$T/ids.csv" -o "$T/out/backup.jsonl.gz" --results "$T/e0.csv" -q || fail "export exited $?"
cp "$T/out/backup.jsonl.gz" "$T/prev.gz"
assert_eq "$(zcat "$T/out/backup.jsonl.gz" | wc -l)" 200 "first backup"
[ -z "$(ls -A "$T/out" | grep '^\.' || true)" ] || fail "temporary left after a normal run"

# slow the server down so the next exports are still running when killed
stop_fake
start_fake --latency-ms 40
# fake-panther's state is in memory: recreate the sources with the same IDs is not
# possible, so export IDs that the new server does not know; each is a 404 row,
# which still goes through the whole write path.
# under_way SIG N: both temporaries exist and the server has answered N 404s
under_way() {
	compgen -G "$T/out/.backup*" >/dev/null && compgen -G "$T/out/.new-$1*" >/dev/null &&
		fake_count_ge '.counts["404"]' "$2"
}
for sig in KILL INT; do
	"$S3SRC" export --ids "$T/ids.csv" -o "$T/out/backup.jsonl.gz" -j 2 --max-attempts 1 --results "$T/e-$sig.csv" -q &
	pid=$!
	"$S3SRC" export --ids "$T/ids.csv" -o "$T/out/new-$sig.jsonl.gz" -j 2 --max-attempts 1 --results "$T/n-$sig.csv" -q &
	pid2=$!
	# both mid-run: their temporaries exist and the server answered a few of
	# their GETs (200 at 40 ms, -j 2: each export takes about 4 s)
	got=$(state | jq '.counts["404"] // 0')
	wait_until 60 "both exports to be under way" under_way "$sig" $((got + 8))
	kill -0 "$pid" 2>/dev/null && kill -0 "$pid2" 2>/dev/null || fail "SIG$sig: an export ended before the signal"
	kill -"$sig" "$pid" "$pid2"
	set +e
	wait "$pid"; c1=$?
	wait "$pid2"; c2=$?
	set -e
	cmp -s "$T/out/backup.jsonl.gz" "$T/prev.gz" || fail "SIG$sig: the earlier backup at PATH changed"
	[ ! -e "$T/out/new-$sig.jsonl.gz" ] || fail "SIG$sig: a partial backup appeared at a new PATH"
	if [ "$sig" = INT ]; then
		assert_eq "$c1" 3 "exit code after SIGINT"
		assert_eq "$c2" 3 "exit code after SIGINT"
		[ -z "$(ls -A "$T/out" | grep '^\.' || true)" ] || fail "SIGINT left a temporary: $(ls -A "$T/out")"
		assert_eq "$(($(wc -l < "$T/e-INT.csv") - 1))" 200 "rows recorded after SIGINT"
	else
		rm -f "$T"/out/.backup* "$T"/out/.new-* # SIGKILL cannot clean up: the temporary is all that remains
	fi
	ok "SIG$sig: earlier backup untouched, no partial file"
done
