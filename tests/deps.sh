# tests/deps.sh - installs the Debian packages s3src needs to build and test,
# only those that are missing. Sourced by tests/run.sh and samples/demo.sh.
# Works as root without sudo, or as a user with sudo.

S3SRC_BUILD_PKGS="cmake make gcc pkg-config libcurl4-openssl-dev libcsv-dev libjansson-dev zlib1g-dev libssl-dev libmicrohttpd-dev libcmocka-dev curl jq"
S3SRC_TEST_PKGS="clang libclang-rt-14-dev procps openssl strace groff-base man-db zsh dpkg-dev file"

s3src_install_deps() {
	local want="$*" missing="" p
	for p in $want; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "installing:$missing" >&2
	local sudo=""
	if [ "$(id -u)" != 0 ]; then
		if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
			echo "error: missing packages:$missing; run as root or install sudo" >&2
			return 1
		fi
	fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq >/dev/null || { echo "error: apt-get update failed" >&2; return 1; }
	# shellcheck disable=SC2086
	$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
		{ echo "error: apt-get install$missing failed" >&2; return 1; }
}
