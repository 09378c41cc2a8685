#!/usr/bin/env bash
# Shell completion offers what the programs accept: the bash completion
# (completion/s3src.bash) is run as bash runs it, with COMP_WORDS, and must
# offer every command of 's3src --help', exactly the long options of each
# 's3src COMMAND --help' and of 'fake-panther --help', the choices of an
# option ('--format csv|jsonl'), and files by extension (inputs, results files,
# backups). The zsh completion (completion/_s3src) must parse, and its
# _arguments specs must name exactly the same options, with the same choices
# and file patterns; zsh's own completion engine needs a terminal, so it is
# only exercised when zsh is installed (tests/deps.sh installs it).
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/options.bash"
bashcomp=$SRCDIR/completion/s3src.bash
zshcomp=$SRCDIR/completion/_s3src

# the programs under test are found as 's3src' and 'fake-panther', as a user's are
mkdir "$T/bin" "$T/files" "$T/files/sub"
ln -s "$S3SRC" "$T/bin/s3src"
ln -s "$FAKE_PANTHER" "$T/bin/fake-panther"
export PATH="$T/bin:$PATH"
cd "$T/files"
touch in.csv in.jsonl in.csv.gz in.jsonl.gz notes.txt run1.results.csv run2.results.jsonl \
	backup.jsonl.gz ca.pem token

# complete LINE: what bash's completion offers for LINE (cursor at the end),
# sorted, one per line.
complete_line() {
	bash -c '
		. "$1"
		read -ra COMP_WORDS <<< "$2"
		[[ $2 == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$2 COMP_POINT=${#2}
		f=$(complete -p "${COMP_WORDS[0]}" | awk "{ print \$3 }")
		"$f" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$bashcomp" "$1" | sed '/^$/d' | sort
}
expect() { # expect LINE WORD...: exactly these words are offered
	local line=$1 got want
	shift
	got=$(complete_line "$line" | tr '\n' ' ')
	want=""
	[ $# -gt 0 ] && want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "completing '$line': offered [$got], expected [$want]"
}

# --- bash: commands and options, derived from --help ---
help_commands | sort > "$T/commands"
complete_line "s3src " > "$T/offered"
printf '%s\n' --help --version | sort -o "$T/extra"
sort -m "$T/commands" "$T/extra" > "$T/want"
diff "$T/want" "$T/offered" || fail "'s3src <TAB>' does not offer the commands of 's3src --help'"
n=0
while read -r c; do
	s3src "$c" --help | help_long_options > "$T/want"
	complete_line "s3src $c --" > "$T/offered"
	diff "$T/want" "$T/offered" || fail "'s3src $c --<TAB>' does not offer exactly the options of 's3src $c --help'"
	n=$((n + 1))
done < "$T/commands"
fake-panther --help | help_long_options > "$T/want"
complete_line "fake-panther --" > "$T/offered"
diff "$T/want" "$T/offered" || fail "'fake-panther --<TAB>' does not offer exactly its options"
ok "bash: the commands, and the options of $n commands and fake-panther, as their --help lists them"

# --- bash: arguments ---
expect "s3src imp" import
expect "s3src import --format " csv jsonl
expect "s3src validate --mode c" create
expect "s3src import " in.csv in.jsonl in.csv.gz in.jsonl.gz run1.results.csv run2.results.jsonl backup.jsonl.gz sub
expect "s3src import --resume " run1.results.csv run2.results.jsonl sub
expect "s3src export -o " in.csv in.jsonl in.csv.gz in.jsonl.gz run1.results.csv run2.results.jsonl backup.jsonl.gz sub
expect "s3src delete --backup b" backup.jsonl.gz
expect "s3src import --cacert " ca.pem sub
expect "s3src import --token-file t" token
expect "s3src import -j "
expect "s3src export --timeout "
expect "fake-panther --bad-reply-kind t" truncated
expect "fake-panther --latency-ms "
ok "bash: option values, and files by extension"

# --- zsh ---
if ! command -v zsh > /dev/null; then
	echo "skip: zsh is not installed: only the bash completion was checked"
	exit 0
fi
zsh -n "$zshcomp" || fail "zsh cannot parse $zshcomp"
zspecs() { zsh -f -c '. "$1"; shift; _s3src_specs "$@"' _ "$zshcomp" "$@"; }
while read -r c; do
	zspecs s3src "$c" > "$T/zspecs.$c"
	s3src "$c" --help | help_long_options > "$T/want"
	sed 's/^([^)]*)//; s/^\*//; s/\[.*//' "$T/zspecs.$c" | grep -- '^--' | sort -u > "$T/offered"
	diff "$T/want" "$T/offered" || fail "zsh: the specs of 's3src $c' do not name exactly the options of its --help"
done < "$T/commands"
zspecs fake-panther > "$T/zspecs.fake"
fake-panther --help | help_long_options > "$T/want"
sed 's/^([^)]*)//; s/^\*//; s/\[.*//' "$T/zspecs.fake" | grep -- '^--' | sort -u > "$T/offered"
diff "$T/want" "$T/offered" || fail "zsh: the specs of fake-panther do not name exactly the options of its --help"
grep -q -- '--format\[.*\]:csv|jsonl:(csv jsonl)$' "$T/zspecs.import" || fail "zsh: --format does not offer csv and jsonl"
grep -q -- '--resume\[.*\]:RESULTS:_files -g "\*\.(csv|jsonl)(|\.gz)(-\.)"$' "$T/zspecs.import" ||
	fail "zsh: --resume does not offer results files"
grep -q -- '^(-j --concurrency)-j\[.*\]:N: $' "$T/zspecs.import" || fail "zsh: -j is not an option with a number"
ok "zsh: the completion parses and its specs match every --help"
