#!/usr/bin/env bash
# Contract conformance: the same import against Stoplight Prism's mock of the
# OpenAPI contract (docs/api/panther-s3-sources.openapi.json). Prism
# checks every request (path, method, X-API-Key, body against the schema) and
# answers 400 with an sl-violations header to anything that does not conform;
# every row must succeed. tests/run.sh installs Prism with npm into a cache
# folder and exports PRISM.
. "$(dirname "$0")/lib/common.bash"
# CONTRACT overrides the repository's copy, e.g. to try a newer API description.
contract=${CONTRACT:-$SRCDIR/docs/api/panther-s3-sources.openapi.json}
[ -f "$contract" ] || fail "the API contract '$contract' was not found"
PRISM=${PRISM:-${XDG_CACHE_HOME:-$HOME/.cache}/s3src-prism/node_modules/.bin/prism}
[ -x "$PRISM" ] || fail "Prism not installed at $PRISM (tests/run.sh installs it)"

# Prism dies at start when its port is taken (it checks nothing else), so a
# port is picked below the kernel's ephemeral range (where client sockets and
# fake-panther's --port 0 live) and a start that exits is retried elsewhere.
start_prism() {
	local p
	for p in $(shuf -i 20000-32000 -n 10); do
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
		"$PRISM" mock -h 127.0.0.1 -p "$p" --errors "$contract" > "$T/prism.log" 2>&1 &
		local pid=$!
		for _ in $(seq 300); do
			if curl -s -o /dev/null "http://127.0.0.1:$p/log-sources/s3/x"; then
				E2E_PIDS="$E2E_PIDS $pid"
				port=$p
				return 0
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	cat "$T/prism.log" >&2
	return 1
}
port=""
start_prism || fail "Prism did not start (its last log is above)"
export PANTHER_API_URL="http://127.0.0.1:$port" PANTHER_API_TOKEN=$TOKEN

# creates in flat form, with KMS keys, options and continuation rows, and modifies
cat > "$T/in.csv" <<'CSV'
action,integrationId,integrationLabel,awsAccountId,s3Bucket,kmsKey,logProcessingRole,logStreamType,managedBucketNotifications,prefix,logTypes,excludedPrefixes,jsonArrayEnvelopeField,retainEnvelopeFields,xmlRootElement
create,,prism-1,123456789012,prism-bucket-1,arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab,arn:aws:iam::123456789012:role/PantherLogProcessing,JSON,false,logs/,AWS.CloudTrail,logs/tmp/,,,
,,,,,,,,,audit/,"AWS.S3ServerAccess,AWS.VPCFlow",,,,
create,,prism-2,123456789012,prism-bucket-2,,arn:aws:iam::123456789012:role/PantherLogProcessing,JsonArray,true,,Custom.Events,,records,,
create,,prism-3,123456789012,prism-bucket-3,,arn:aws:iam::123456789012:role/PantherLogProcessing,CloudWatchLogs,true,cw/,AWS.CloudTrail,,,true,
create,,prism-4,123456789012,prism-bucket-4,,arn:aws:iam::123456789012:role/PantherLogProcessing,xml,no,x/,Custom.Xml,,,,Events
modify,6f1c2d9e-0000-4000-8000-000000000001,prism-5,,,,arn:aws:iam::123456789012:role/PantherLogProcessing,Lines,yes,,Custom.Lines,,,,
modify,6f1c2d9e-0000-4000-8000-000000000002,prism-6,,,,arn:aws:iam::123456789012:role/PantherLogProcessing,Auto,0,a/,AWS.ALB,a/tmp/*,,,
CSV
set +e
"$S3SRC" import "$T/in.csv" -j 4 --max-attempts 1 --results "$T/r.jsonl" -q 2> "$T/err.txt"
code=$?
set -e
if [ "$code" != 0 ]; then
	cat "$T/err.txt" >&2
	jq -c 'select(.outcome != "created" and .outcome != "modified")' "$T/r.jsonl" >&2 || true
	grep -i violation "$T/prism.log" | head -5 >&2 || true
	fail "import against Prism exited $code"
fi
assert_eq "$(jcount "$T/r.jsonl" '.outcome == "created"')" 4 "created rows"
assert_eq "$(jcount "$T/r.jsonl" '.outcome == "modified"')" 2 "modified rows"
ok "every import request conforms to the contract"

# Prism's GET answers a generated example whose integrationId is not the
# one asked for: s3src must record such a reply failed (never exported,
# never deleted), so Prism sees no DELETE; any other failure is a
# conformance problem
set +e
"$S3SRC" export 6f1c2d9e-0000-4000-8000-000000000001 6f1c2d9e-0000-4000-8000-000000000002 \
	-o "$T/backup.jsonl" --results "$T/e.jsonl" -q 2> "$T/err.txt"
code=$?
set -e
[ "$code" = 0 ] || [ "$code" = 1 ] || { cat "$T/err.txt" >&2; fail "export against Prism exited $code"; }
assert_eq "$(jcount "$T/e.jsonl" '.outcome == "failed" and (.error | test("answered with source") | not)')" 0 \
	"export rows failed for another reason than the other ID"
assert_eq "$(jcount "$T/e.jsonl" '.outcome == "exported" or .outcome == "failed"')" 2 "export rows"
assert_eq "$(cat "$T/backup.jsonl" 2>/dev/null | wc -l)" "$(jcount "$T/e.jsonl" '.outcome == "exported"')" \
	"exported records"
set +e
"$S3SRC" delete 6f1c2d9e-0000-4000-8000-000000000001 --backup "$T/deleted.jsonl.gz" --yes \
	--results "$T/d.jsonl" -q 2> "$T/err.txt"
code=$?
set -e
[ "$code" = 0 ] || [ "$code" = 1 ] || { cat "$T/err.txt" >&2; fail "delete against Prism exited $code"; }
assert_eq "$(jcount "$T/d.jsonl" '.outcome == "deleted" or (.outcome == "failed" and (.error | test("answered with source")))')" 1 \
	"delete row deleted, or failed on the other ID"
ok "every export and delete request conforms to the contract"
