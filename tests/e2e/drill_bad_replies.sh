#!/usr/bin/env bash
# Fault drill: a server whose every reply is broken (fake-panther
# --bad-reply-rate 1): an HTML error page (502), a body that is not JSON, an
# 8 MiB body (s3src caps what it reads at 1 MiB), half a JSON body, and a
# 201 without integrationId. Each time every row gets a clear error in the
# results (never "created" without the server's ID), exit 1, no crash (the
# e2e suite runs under ASan + UBSan), and the same for export's GETs.
. "$(dirname "$0")/lib/common.bash"
N=12
gen_csv $N bad > "$T/in.csv"
total=0
check_kind() {  # kind, jq regex the error must match
	local kind=$1 re=$2
	start_fake --bad-reply-rate 1 --bad-reply-kind "$kind"
	set +e
	"$S3SRC" import "$T/in.csv" --match none -j 4 --max-attempts 2 --timeout 10 --results "$T/$kind.jsonl" \
		--no-progress > "$T/out.txt" 2> "$T/err.txt"
	local code=$?
	set -e
	[ "$code" = 1 ] || { cat "$T/err.txt" >&2; fail "$kind: exit code $code, expected 1"; }
	assert_eq "$(jq -s length "$T/$kind.jsonl")" $N "$kind: result records"
	assert_eq "$(jcount "$T/$kind.jsonl" '.outcome == "failed"')" $N "$kind: failed rows"
	local bad
	bad=$(jq -r --arg re "$re" 'select(.error | test($re) | not) | .error' "$T/$kind.jsonl" | head -1)
	[ -z "$bad" ] || fail "$kind: unclear error '$bad' (expected /$re/)"
	local maxlen
	maxlen=$(jq -s 'map(.error | length) | max' "$T/$kind.jsonl")
	[ "$maxlen" -le 800 ] || fail "$kind: an error of $maxlen characters (the body should be cut)"
	# export's GET path gets the same treatment (IDs unknown: 404s, mangled)
	set +e
	"$S3SRC" export 3f2a1c9e-0000-4000-8000-00000000000{1,2,3} -o "$T/$kind-b.jsonl" --max-attempts 2 \
		--results "$T/$kind-e.jsonl" --no-progress 2> "$T/err-e.txt"
	code=$?
	set -e
	case $code in 1|3) ;; *) cat "$T/err-e.txt" >&2; fail "$kind: export exit code $code";; esac
	assert_eq "$(jcount "$T/$kind-e.jsonl" '.outcome == "failed"')" 3 "$kind: export failed rows"
	assert_no_token "$T/out.txt" "$T/err.txt" "$T/err-e.txt" "$T/$kind.jsonl" "$T/$kind-e.jsonl"
	echo "  $kind: $N rows failed with: $(jq -r .error "$T/$kind.jsonl" | head -1 | cut -c1-100)"
	total=$((total + N))
	stop_fake
}
check_kind html 'HTTP 502: unexpected reply: <'
check_kind garbage '201 without an integrationId.*probably created'
check_kind huge 'answered 201 but its reply could not be read [(]response body larger than 1 MiB[)].*probably created'
check_kind truncated '201 without an integrationId.*probably created'
check_kind noid '201 without an integrationId'
ok "5 broken reply kinds, $total rows: each failed with a clear error, no crash"
