#!/usr/bin/env bash
# Security: plain http:// to a host that is not loopback is refused before any
# network access (the token would travel in clear text). 192.0.2.1 is
# TEST-NET-1 (RFC 5737), never routed: the policy must refuse first, so the
# command exits 2 at once (well before any connect timeout) for import,
# export and delete, and --insecure-http is deliberately not used here.
. "$(dirname "$0")/lib/common.bash"
export PANTHER_API_TOKEN=$TOKEN
gen_csv 3 http > "$T/in.csv"
n=0
for url in http://192.0.2.1 http://192.0.2.1:8080/api http://example.invalid; do
	for cmd in import export delete; do
		case $cmd in
		import) args=("$T/in.csv" --results "$T/r.csv") ;;
		export) args=(some-id -o "$T/b.jsonl" --results "$T/r.csv") ;;
		delete) args=(some-id --yes --backup "$T/b2.jsonl" --results "$T/r.csv") ;;
		esac
		start=$(date +%s%N)
		set +e
		timeout 20 "$S3SRC" "$cmd" "${args[@]}" --api-url "$url" --timeout 10 > "$T/out.txt" 2> "$T/err.txt"
		code=$?
		set -e
		ms=$(( ($(date +%s%N) - start) / 1000000 ))
		assert_eq "$code" 2 "$cmd against $url: exit code"
		grep -q "refusing plain http://" "$T/err.txt" || { cat "$T/err.txt" >&2; fail "$cmd against $url: no refusal message"; }
		[ "$ms" -lt 2000 ] || fail "$cmd against $url took $ms ms: did it try to connect?"
		[ ! -e "$T/r.csv" ] || fail "$cmd against $url created a results file"
		assert_no_token "$T/out.txt" "$T/err.txt"
		n=$((n + 1))
	done
done
# where strace works, show it: not one socket is opened
if command -v strace >/dev/null && strace -f -qq -o /dev/null true 2>/dev/null; then
	set +e
	strace -f -qq -e trace=socket,connect -o "$T/trace.txt" \
		"$S3SRC" import "$T/in.csv" --api-url http://192.0.2.1 --results "$T/r.csv" 2> /dev/null
	set -e
	! grep -q "AF_INET\|192.0.2.1" "$T/trace.txt" || { cat "$T/trace.txt" >&2; fail "a socket was opened"; }
	echo "strace: no socket opened"
else
	echo "note: strace not usable here: the socket check is skipped"
fi
# the same URL from the environment is refused the same way
set +e
PANTHER_API_URL=http://192.0.2.1 "$S3SRC" import "$T/in.csv" --results "$T/r.csv" 2> "$T/err.txt"
code=$?
set -e
assert_eq "$code" 2 "PANTHER_API_URL=http://192.0.2.1: exit code"
ok "$((n + 1)) refusals of plain http:// to a non-loopback host, exit 2, nothing sent"
