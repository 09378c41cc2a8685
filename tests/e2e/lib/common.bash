# tests/e2e/lib/common.bash - shared by the end-to-end scripts: a scratch folder
# (the scripts run in it),
# starting fake-panther on a free loopback port, reading its state, generating
# inputs, and assertions. Everything started here is stopped on exit.
set -euo pipefail
: "${S3SRC:?set S3SRC to the s3src binary}"
: "${FAKE_PANTHER:?set FAKE_PANTHER to the fake-panther binary}"
: "${SRCDIR:?set SRCDIR to the source tree}"

T=$(mktemp -d "${TMPDIR:-/tmp}/s3src-e2e.XXXXXX")
E2E_PIDS=""
E2E_MOUNTS=""
TOKEN="e2e-token-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
e2e_cleanup() {
	local p
	for p in $E2E_PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $E2E_PIDS; do wait "$p" 2>/dev/null || true; done
	for p in $E2E_MOUNTS; do umount "$p" 2>/dev/null || true; done
	rm -rf "$T"
}
trap e2e_cleanup EXIT
# default output names (results, import's backup) land in the scratch folder,
# never in the build tree
cd "$T"

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

# start_fake [fake-panther options...]: sets FAKE_URL, FAKE_PID and the
# PANTHER_API_URL / PANTHER_API_TOKEN that s3src reads.
start_fake() {
	local pf="$T/port.$RANDOM$RANDOM"
	FAKE_PANTHER_TOKEN=$TOKEN "$FAKE_PANTHER" --port 0 --port-file "$pf" "$@" >>"$T/fake.log" 2>&1 &
	FAKE_PID=$!
	E2E_PIDS="$E2E_PIDS $FAKE_PID"
	local i
	for i in $(seq 200); do
		[ -s "$pf" ] && break
		kill -0 "$FAKE_PID" 2>/dev/null || { cat "$T/fake.log" >&2; fail "fake-panther exited"; }
		sleep 0.05
	done
	[ -s "$pf" ] || fail "fake-panther did not report its port"
	FAKE_URL="http://127.0.0.1:$(cat "$pf")"
	export PANTHER_API_URL=$FAKE_URL PANTHER_API_TOKEN=$TOKEN
}

stop_fake() {
	kill "$FAKE_PID" 2>/dev/null || true
	wait "$FAKE_PID" 2>/dev/null || true
}

state() { curl -fsS "$FAKE_URL/_fake/state"; }
reset_fake() { curl -fsS -X POST "$FAKE_URL/_fake/reset" >/dev/null; }

CSV_HEADER="integrationLabel,awsAccountId,s3Bucket,logProcessingRole,logStreamType,managedBucketNotifications,prefix,logTypes"
# gen_csv N [LABEL_PREFIX]: N valid create rows on stdout.
gen_csv() {
	local n=$1 p=${2:-e2e} i
	echo "$CSV_HEADER"
	for ((i = 1; i <= n; i++)); do
		printf '%s-%05d,123456789012,%s-bucket-%05d,arn:aws:iam::123456789012:role/PantherLogProcessing,JSON,false,logs/,AWS.CloudTrail\n' \
			"$p" "$i" "$p" "$i"
	done
}

# count of records in a JSONL results file matching a jq filter
jcount() { jq -s "[.[] | select($2)] | length" "$1"; }

assert_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }

# usage_error WHAT PATTERN -- ARGS...: s3src ARGS (stdin /dev/null) exits 2
# with a line matching PATTERN (ERE) on stderr; its output is in $T/out.txt
# and $T/err.txt for the caller's further checks.
usage_error() {
	local what=$1 pattern=$2
	shift 3
	set +e
	"$S3SRC" "$@" > "$T/out.txt" 2> "$T/err.txt" < /dev/null
	local code=$?
	set -e
	assert_eq "$code" 2 "$what: exit code"
	grep -qE -- "$pattern" "$T/err.txt" || { cat "$T/err.txt" >&2; fail "$what: message does not match '$pattern'"; }
}

# assert_no_token FILE...: the token appears in none of them
assert_no_token() {
	local f
	for f in "$@"; do
		[ -e "$f" ] || continue
		if grep -aqF -- "$TOKEN" "$f"; then fail "the token appears in $f"; fi
		if zcat -f -- "$f" 2>/dev/null | grep -aqF -- "$TOKEN"; then fail "the token appears in $f (decompressed)"; fi
	done
}

# wait_until SECONDS WHAT CMD...: polls CMD every 50 ms until it succeeds;
# fails naming WHAT after SECONDS. A state is waited for, never slept for.
wait_until() {
	local secs=$1 what=$2 i
	shift 2
	for ((i = 0; i < secs * 20; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	fail "timed out after ${secs} s waiting for $what"
}

# fake_count_ge KEY N: the fake-panther's state has at least N at .KEY (jq path)
fake_count_ge() { [ "$(state | jq "$1 // 0")" -ge "$2" ]; }

# small_disk DIR SIZE: mounts a tmpfs of SIZE (e.g. 24k) at DIR, unmounted on
# exit or by small_disk_release; fails (status 1, nothing mounted) when this
# is not root or mount is refused, so the caller can skip that part and say so.
small_disk() {
	mkdir -p "$1"
	[ "$(id -u)" = 0 ] && mount -t tmpfs -o "size=$2,mode=0755" tmpfs "$1" 2>/dev/null || return 1
	E2E_MOUNTS="$E2E_MOUNTS $1"
}
small_disk_release() { umount "$1"; E2E_MOUNTS=${E2E_MOUNTS/ $1/}; }
