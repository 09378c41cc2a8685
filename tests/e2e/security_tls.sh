#!/usr/bin/env bash
# Security: TLS verification is always on. fake-panther serves HTTPS with a
# self-signed certificate made here (subjectAltName 127.0.0.1 and localhost):
# without --cacert every row fails on the certificate and the server sees no
# API request (the handshake fails first); with --cacert the same import
# succeeds, by IP and by name; a certificate for another name fails even
# with --cacert (host name verification), and there is no option to switch
# verification off.
. "$(dirname "$0")/lib/common.bash"
command -v openssl >/dev/null || fail "openssl is needed (apt-get install openssl)"
mkcert() {  # name, subjectAltName
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$1" \
		-addext "subjectAltName=$2" -keyout "$T/$1.key" -out "$T/$1.pem" 2>/dev/null ||
		fail "openssl cannot make a certificate"
	chmod 600 "$T/$1.key"
}
mkcert s3src-test "IP:127.0.0.1,DNS:localhost"
mkcert other "DNS:other.example"

start_fake --tls-cert "$T/s3src-test.pem" --tls-key "$T/s3src-test.key"
port=${FAKE_URL##*:}
grep -q "(https)" "$T/fake.log" || fail "fake-panther does not say it serves https"
tstate() { curl -fsS --cacert "$T/s3src-test.pem" "https://127.0.0.1:$port/_fake/state"; }
tstate > /dev/null || fail "curl cannot reach the https fake with its certificate"
gen_csv 10 tls > "$T/in.csv"

run() {  # results name, url, extra options...
	local r=$1 url=$2
	shift 2
	set +e
	"$S3SRC" import "$T/in.csv" --match none --api-url "$url" --max-attempts 2 --results "$T/$r.jsonl" \
		--no-progress "$@" > "$T/$r.out" 2> "$T/$r.err"
	code=$?
	set -e
}
# 1. no --cacert: the self-signed certificate is refused
run nocacert "https://127.0.0.1:$port"
[ "$code" != 0 ] || fail "import succeeded against an untrusted certificate"
assert_eq "$(jcount "$T/nocacert.jsonl" '.outcome == "created"')" 0 "rows created without --cacert"
jq -r .error "$T/nocacert.jsonl" | grep -qi "certificate\|SSL\|TLS" || {
	head -3 "$T/nocacert.jsonl" >&2; fail "the error does not name the certificate problem"; }
assert_eq "$(tstate | jq '.methods | add // 0')" 0 "API requests that got past the refused handshake"
err1=$(jq -r .error "$T/nocacert.jsonl" | head -1)
# 2. with --cacert: by IP and by name
run cacert "https://127.0.0.1:$port" --cacert "$T/s3src-test.pem"
[ "$code" = 0 ] || { cat "$T/cacert.err" >&2; fail "import with --cacert: exit $code"; }
assert_eq "$(jcount "$T/cacert.jsonl" '.outcome == "created"')" 10 "rows created with --cacert"
gen_csv 10 tlsname > "$T/in.csv"
run byname "https://localhost:$port" --cacert "$T/s3src-test.pem"
[ "$code" = 0 ] || { cat "$T/byname.err" >&2; fail "import by name with --cacert: exit $code"; }
stop_fake
# 3. a trusted certificate for another name: refused (host name checked)
start_fake --tls-cert "$T/other.pem" --tls-key "$T/other.key"
port=${FAKE_URL##*:}
run wrongname "https://127.0.0.1:$port" --cacert "$T/other.pem"
[ "$code" != 0 ] || fail "import succeeded with a certificate for another host name"
assert_eq "$(jcount "$T/wrongname.jsonl" '.outcome == "created"')" 0 "rows created with a wrong-name certificate"
# 4. no switch turns verification off (curl's -k/--insecure is not an option;
#    note getopt takes --insecure as an abbreviation of --insecure-http, which
#    only concerns plain http:// and leaves TLS verification on)
for opt in --insecure -k --no-verify --no-check-certificate --insecure-http; do
	run "opt$opt" "https://127.0.0.1:$port" --cacert "$T/s3src-test.pem" "$opt"
	[ "$code" != 0 ] || fail "import succeeded against a wrong-name certificate with $opt"
	[ ! -e "$T/opt$opt.jsonl" ] || assert_eq "$(jcount "$T/opt$opt.jsonl" '.outcome == "created"')" 0 "rows created with $opt"
done
assert_no_token "$T"/*.out "$T"/*.err "$T"/*.jsonl "$T/fake.log"
ok "untrusted certificate refused ($err1), --cacert accepted by IP and name, wrong name refused"
