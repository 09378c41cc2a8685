#!/usr/bin/env bash
# The manual pages say what the programs do: every long option that
# 's3src COMMAND --help' lists is documented for that command in s3src(1), and
# s3src(1) documents no option the help does not list; every command of
# 's3src --help' has its section; the same for fake-panther --help and
# fake-panther(1). Commands are discovered from 's3src --help', so a new
# command or option fails this test until the man page has it. Both pages
# render without a groff warning, and carry the program's version.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/options.bash"
man1=$SRCDIR/docs/man/s3src.1
man2=$SRCDIR/docs/man/fake-panther.1
bad=0
problem() { echo "FAIL: $*" >&2; bad=1; }

# --- rendering: groff's warnings (-ww) and man's, both must be silent ---
for page in "$man1" "$man2"; do
	[ -f "$page" ] || fail "no man page '$page'"
	groff -man -ww -z "$page" 2> "$T/groff.err" || problem "groff failed on $page"
	[ -s "$T/groff.err" ] && { cat "$T/groff.err" >&2; problem "groff warns about $page"; }
	if command -v man > /dev/null; then
		LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" > "$T/man.out" 2> "$T/man.err" ||
			problem "man -l failed on $page"
		[ -s "$T/man.err" ] && { cat "$T/man.err" >&2; problem "man --warnings complains about $page"; }
		grep -q '^NAME' "$T/man.out" || problem "man -l $page has no NAME section"
	fi
done
ok "both man pages render without warnings"

# --- every section a user looks for ---
for sec in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
	grep -q "^\.SH \"\?$sec\"\?\$" "$man1" || problem "s3src.1 has no $sec section"
done
for env in PANTHER_API_URL PANTHER_API_TOKEN; do
	grep -q "^\.B $env\$" "$man1" || problem "s3src.1 does not describe $env under ENVIRONMENT"
done

# --- s3src: the commands ---
help_commands > "$T/commands"
[ "$(wc -l < "$T/commands")" -ge 4 ] || fail "found no command list in 's3src --help'"
man_command_sections "$man1" | sort > "$T/man-commands"
sort "$T/commands" > "$T/commands.sorted"
for c in $(comm -23 "$T/commands.sorted" "$T/man-commands"); do
	problem "s3src.1 has no section for the command '$c' (a .SS under COMMANDS)"
done
for c in $(comm -13 "$T/commands.sorted" "$T/man-commands"); do
	problem "s3src.1 documents a command '$c' that 's3src --help' does not list"
done

# --- s3src: the options of each command, both ways (--help is everywhere) ---
n=0
while read -r c; do
	"$S3SRC" "$c" --help > "$T/help.$c" 2>&1 || problem "'s3src $c --help' failed"
	help_long_options < "$T/help.$c" | grep -vx -- --help > "$T/h.$c" || true
	man_command_options "$man1" "$c" | grep -vx -- --help > "$T/m.$c" || true
	[ -s "$T/h.$c" ] || problem "found no option in 's3src $c --help'"
	for o in $(comm -23 "$T/h.$c" "$T/m.$c"); do
		problem "'s3src $c --help' lists '$o' but s3src.1 does not document it for $c"
	done
	for o in $(comm -13 "$T/h.$c" "$T/m.$c"); do
		problem "s3src.1 documents '$o' for $c but 's3src $c --help' does not list it"
	done
	n=$((n + $(wc -l < "$T/h.$c")))
done < "$T/commands"
ok "s3src.1 documents the $n options of $(wc -l < "$T/commands") commands, and no other"

# --- s3src: the global options are the ones 's3src --help' names ---
"$S3SRC" --help > "$T/help.top"
man_items "$man1" | awk -F '\t' '$1 == "OPTIONS" && $2 !~ /\(/ { print $3 }' | sort -u > "$T/m.global"
grep -qx -- --version "$T/m.global" || problem "s3src.1 does not document --version"
for o in $(cat "$T/m.global"); do
	grep -q -- "$o\b" "$T/help.top" || problem "s3src.1 documents the global option '$o' but 's3src --help' does not name it"
done
# no option item outside COMMANDS and OPTIONS: the test would not check it
man_items "$man1" | awk -F '\t' '$1 != "COMMANDS" && $1 != "OPTIONS" { print $1 ": " $3 }' > "$T/stray"
[ -s "$T/stray" ] && problem "s3src.1 has option items outside COMMANDS and OPTIONS: $(tr '\n' ' ' < "$T/stray")"

# --- fake-panther ---
"$FAKE_PANTHER" --help > "$T/help.fake" 2>&1 || problem "'fake-panther --help' failed"
help_long_options < "$T/help.fake" > "$T/h.fake"
man_items "$man2" | awk -F '\t' '{ print $3 }' | sort -u > "$T/m.fake"
[ -s "$T/h.fake" ] || problem "found no option in 'fake-panther --help'"
for o in $(comm -23 "$T/h.fake" "$T/m.fake"); do
	problem "'fake-panther --help' lists '$o' but fake-panther.1 does not document it"
done
for o in $(comm -13 "$T/h.fake" "$T/m.fake"); do
	problem "fake-panther.1 documents '$o' but 'fake-panther --help' does not list it"
done
ok "fake-panther.1 documents the $(wc -l < "$T/h.fake") options of fake-panther --help, and no other"

# --- no stale option anywhere in the text (descriptions, examples) ---
cat "$T"/h.* "$T/m.global" | sort -u > "$T/all-options"
for page in "$man1" "$man2"; do
	sed 's/\\-/-/g; s/\\f[A-Z]//g; s/\\&//g' "$page" | grep -v '^\.\\"' |
		grep -o -- '--[a-z0-9][a-z0-9-]*' | sort -u > "$T/mentioned"
	for o in $(comm -23 "$T/mentioned" "$T/all-options"); do
		problem "$(basename "$page") mentions '$o', which no --help lists"
	done
done

# --- the version in the page footer is the program's ---
version=$("$S3SRC" --version | awk '{ print $2; exit }')
for page in "$man1" "$man2"; do
	grep -q "^\.TH .*\"s3src $version\"" "$page" || problem "$(basename "$page") does not say s3src $version in its .TH line"
done

[ "$bad" = 0 ] || exit 1
ok "the man pages match the programs"
