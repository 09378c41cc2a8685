#!/usr/bin/env bash
# A team's own spreadsheet, as Excel on Windows writes it (BOM, CRLF): human
# headers (`Source Name`, `Account ID`, `Role ARN`, ...), two columns of its
# own, a two-line prefix cell, an account whose leading zero was dropped, a
# second source on the same bucket + prefix, a label too long and a role that
# is not an ARN. One run names both extra columns at once (exit 2); with them
# ignored every row is judged right, the two-line cell is two mappings and the
# padded account is what reaches the server; the failed rows keep BOM and CRLF.
. "$(dirname "$0")/lib/common.bash"
start_fake

{
	printf '\xEF\xBB\xBF'
	printf '%s\r\n' \
	'Source Name,Account ID,Bucket,Role ARN,Stream Type,Managed Notifications,Prefix,Log Types,Owner,Notes' \
	'web-lb,123456789012,acme-lb,arn:aws:iam::123456789012:role/PantherRole,JSON,yes,"elb/' \
	'alb/",AWS.ALB,alice,two prefixes' \
	'dropped-zero,23456789012,acme-dz,arn:aws:iam::023456789012:role/PantherRole,Lines,no,logs/,AWS.CloudTrail,bob,' \
	'copy-of-lb,123456789012,acme-lb,arn:aws:iam::123456789012:role/PantherRole,JSON,yes,alb/,AWS.ALB,carol,same bucket and prefix' \
	'this-label-is-far-too-long-for-panther,123456789012,acme-long,arn:aws:iam::123456789012:role/PantherRole,JSON,yes,,AWS.S3ServerAccess,dave,' \
	'bad-role,123456789012,acme-role,PantherRole,JSON,yes,,AWS.S3ServerAccess,Zoë,' \
	'plain,123456789012,acme-plain,arn:aws:iam::123456789012:role/PantherRole,JSON,true,logs/,AWS.CloudTrail,frank,'
} > "$T/team.csv"

# 1. one run names both extra columns, nothing is sent
set +e
"$S3SRC" import "$T/team.csv" --results "$T/r0.jsonl" --no-progress 2> "$T/err0.txt"
code=$?
set -e
assert_eq "$code" 2 "exit code with unknown columns"
grep -q "2 unknown columns: 'Owner', 'Notes'" "$T/err0.txt" || { cat "$T/err0.txt" >&2; fail "both extra columns not named in one message"; }
grep -q "\-\-ignore-column 'Owner' --ignore-column 'Notes'" "$T/err0.txt" || fail "no --ignore-column hint"
assert_eq "$(state | jq '.sources | length')" 0 "sources after the refused run"

# 2. with them ignored: every row judged right
set +e
"$S3SRC" import "$T/team.csv" --ignore-column Owner --ignore-column notes \
	--results "$T/r1.jsonl" --failed "$T/failed.csv" --no-progress 2> "$T/err1.txt"
code=$?
set -e
assert_eq "$code" 1 "exit code with invalid rows"
outcome() { jq -r --arg l "$1" 'select(.integrationLabel == $l) | .outcome' "$T/r1.jsonl"; }
field() { jq -r --arg l "$1" --arg f "$2" 'select(.integrationLabel == $l) | .[$f] // ""' "$T/r1.jsonl"; }
assert_eq "$(outcome web-lb)" created "two-line prefix row"
assert_eq "$(outcome dropped-zero)" created "dropped zero row"
assert_eq "$(outcome plain)" created "plain row"
assert_eq "$(outcome copy-of-lb)" invalid "duplicate bucket+prefix row"
assert_eq "$(outcome this-label-is-far-too-long-for-panther)" invalid "too-long label row"
assert_eq "$(outcome bad-role)" invalid "bad role row"
case "$(field web-lb warning)" in
*"2 mappings ('elb/', 'alb/')"*) ;; *) fail "no warning naming the two prefixes: $(field web-lb warning)";; esac
case "$(field dropped-zero warning)" in
*"'23456789012' padded to '023456789012'"*) ;; *) fail "no padding warning";; esac
case "$(field copy-of-lb error)" in
"prefix: s3://acme-lb/alb/ in account 123456789012 is already ingested by the source on line 2"*) ;;
*) fail "duplicate not named with the earlier line: $(field copy-of-lb error)";; esac
case "$(field this-label-is-far-too-long-for-panther error)" in
"integrationLabel: "*"is 38 characters long, the limit is 32") ;; *) fail "label error";; esac
case "$(field bad-role error)" in
"logProcessingRole: 'PantherRole' is not an IAM role ARN"*) ;; *) fail "role error";; esac

# on the wire: two mappings, the padded account
state > "$T/s.json"
assert_eq "$(jq -c '.sources[] | select(.integrationLabel == "web-lb") | [.s3PrefixLogTypes[] | .prefix]' "$T/s.json")" \
	'["elb/","alb/"]' "mappings of the two-line cell"
assert_eq "$(jq -r '.sources[] | select(.integrationLabel == "dropped-zero") | .awsAccountId' "$T/s.json")" \
	023456789012 "account on the wire"
assert_eq "$(jq '.sources | length' "$T/s.json")" 3 "sources created"

# the summary splits the invalid rows by field
grep -q '^  invalid: 3 rows' "$T/err1.txt" || { cat "$T/err1.txt" >&2; fail "no invalid count by cause"; }
grep -q '^    integrationLabel: 1 (line 6)' "$T/err1.txt" || fail "no integrationLabel group"

# the failed rows look like the input: BOM, CRLF, cells verbatim
head -c 3 "$T/failed.csv" | od -An -tx1 | grep -q 'ef bb bf' || fail "the failed-rows file lost the BOM"
[ "$(grep -c $'\r$' "$T/failed.csv")" -eq "$(wc -l < "$T/failed.csv")" ] || fail "the failed-rows file lost CRLF"
grep -q 'Zoë' "$T/failed.csv" || fail "the failed-rows file changed a cell"
ok "unknown columns named at once; 3 created, 3 invalid for the right reasons; 2 mappings, padded account; BOM and CRLF kept"
