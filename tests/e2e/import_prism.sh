#!/usr/bin/env bash
# Contract conformance: Stoplight Prism, an independent implementation of the
# OpenAPI contract (docs/api/panther-s3-sources.openapi.json), as a validating
# proxy in front of fake-panther. Prism checks every request s3src sends (path,
# method, X-API-Key, body against the schema) and every reply fake-panther
# gives, and answers 422/500 with its violations to anything that does not
# conform; every row of an import (creates, then modifies of what it created),
# an export and a delete must succeed through it. tests/run.sh installs Prism
# with npm into a cache folder and exports PRISM.
. "$(dirname "$0")/lib/common.bash"
contract=${CONTRACT:-$SRCDIR/docs/api/panther-s3-sources.openapi.json}
[ -f "$contract" ] || fail "the API contract '$contract' was not found"
PRISM=${PRISM:-${XDG_CACHE_HOME:-$HOME/.cache}/s3src-prism/node_modules/.bin/prism}
[ -x "$PRISM" ] || fail "Prism not installed at $PRISM (tests/run.sh installs it)"
start_fake

# Prism dies at start when its port is taken (it checks nothing else), so a
# port is picked below the kernel's ephemeral range (where client sockets and
# fake-panther's --port 0 live) and a start that exits is retried elsewhere.
start_prism() {
	local p
	for p in $(shuf -i 20000-32000 -n 10); do
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
		"$PRISM" proxy -h 127.0.0.1 -p "$p" --errors "$contract" "$FAKE_URL" > "$T/prism.log" 2>&1 &
		local pid=$!
		for _ in $(seq 300); do
			if curl -s -o /dev/null -H "X-API-Key: $TOKEN" "http://127.0.0.1:$p/log-sources/s3/x"; then
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

# creates in flat form, with KMS keys, options and continuation rows
cat > "$T/in.csv" <<'CSV'
action,integrationId,integrationLabel,awsAccountId,s3Bucket,kmsKey,logProcessingRole,logStreamType,managedBucketNotifications,prefix,logTypes,excludedPrefixes,jsonArrayEnvelopeField,retainEnvelopeFields,xmlRootElement
create,,prism-1,123456789012,prism-bucket-1,arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab,arn:aws:iam::123456789012:role/PantherLogProcessing,JSON,false,logs/,AWS.CloudTrail,logs/tmp/,,,
,,,,,,,,,audit/,"AWS.S3ServerAccess,AWS.VPCFlow",,,,
create,,prism-2,123456789012,prism-bucket-2,,arn:aws:iam::123456789012:role/PantherLogProcessing,JsonArray,true,,Custom.Events,,records,,
create,,prism-3,123456789012,prism-bucket-3,,arn:aws:iam::123456789012:role/PantherLogProcessing,CloudWatchLogs,true,cw/,AWS.CloudTrail,,,true,
create,,prism-4,123456789012,prism-bucket-4,,arn:aws:iam::123456789012:role/PantherLogProcessing,xml,no,x/,Custom.Xml,,,,Events
CSV
# through_prism NAME COMMAND...: runs s3src, which must exit 0 with no
# violation in Prism's log
through_prism() {
	local name=$1
	shift
	set +e
	"$@" -q 2> "$T/err.txt"
	local code=$?
	set -e
	if [ "$code" != 0 ] || grep -qi violation "$T/prism.log"; then
		cat "$T/err.txt" >&2
		grep -i -A3 violation "$T/prism.log" | head -20 >&2 || true
		fail "$name through Prism exited $code"
	fi
}
# --match none: the GraphQL listing is not in the REST contract Prism checks
through_prism "import (creates)" "$S3SRC" import "$T/in.csv" --match none -j 4 --max-attempts 1 --results "$T/r.jsonl"
assert_eq "$(jcount "$T/r.jsonl" '.outcome == "created"')" 4 "created rows"
id1=$(jq -r 'select(.integrationLabel == "prism-1") | .integrationId' "$T/r.jsonl")
id2=$(jq -r 'select(.integrationLabel == "prism-2") | .integrationId' "$T/r.jsonl")

cat > "$T/mod.csv" <<CSV
action,integrationId,integrationLabel,logProcessingRole,logStreamType,managedBucketNotifications,prefix,logTypes,excludedPrefixes,jsonArrayEnvelopeField,kmsKey
modify,$id1,prism-5,arn:aws:iam::123456789012:role/PantherLogProcessing,Lines,yes,,Custom.Lines,,,#N/A
modify,$id2,prism-6,arn:aws:iam::123456789012:role/PantherLogProcessing,Auto,0,a/,AWS.ALB,a/tmp/*,#N/A,
CSV
through_prism "import (modifies)" "$S3SRC" import "$T/mod.csv" --match none -j 4 --max-attempts 1 --results "$T/m.jsonl"
assert_eq "$(jcount "$T/m.jsonl" '.outcome == "modified"')" 2 "modified rows"
ok "every import request and reply conforms to the contract"

through_prism export "$S3SRC" export "$id1" "$id2" -o "$T/backup.jsonl" --results "$T/e.jsonl"
assert_eq "$(wc -l < "$T/backup.jsonl")" 2 "exported records"
through_prism delete "$S3SRC" delete "$id1" --backup "$T/deleted.jsonl.gz" --yes --results "$T/d.jsonl"
assert_eq "$(jcount "$T/d.jsonl" '.outcome == "deleted"')" 1 "deleted rows"
assert_eq "$(state | jq '.sources | length')" 3 "sources left on the server"
ok "every export and delete request and reply conforms to the contract"
