# tests/e2e/lib/fake_server.bash - set-up shared by the scripts that drive
# fake-panther alone with curl (no s3src): a scratch folder $TMP, `start NAME
# ARGS...` which runs a server on a free loopback port and sets BASE, `state`,
# and `fail`. Every server started is stopped on exit.
set -euo pipefail

: "${FAKE_PANTHER:?set FAKE_PANTHER to the fake-panther binary}"
TMP=$(mktemp -d)
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# start NAME ARGS...: starts a server, sets BASE; its output is $TMP/NAME.out
# and $TMP/NAME.err
start() {
	local name=$1; shift
	"$FAKE_PANTHER" --port 0 --port-file "$TMP/$name.port" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	PIDS+=($!)
	for _ in $(seq 100); do [ -s "$TMP/$name.port" ] && break; sleep 0.05; done
	[ -s "$TMP/$name.port" ] || fail "$name: no port file: $(cat "$TMP/$name.err")"
	BASE=http://127.0.0.1:$(cat "$TMP/$name.port")
}
state() { curl -s --max-time 5 "$BASE/_fake/state"; }
