# tests/e2e/lib/options.bash - reads the option lists out of the programs'
# --help texts and out of the manual pages, for the tests that keep the man
# pages and the shell completions in step with the programs
# (man_options.sh, completion.sh). Sourced after common.bash.

# help_commands: the command names of 's3src --help' (the lines after
# "Commands:" up to the first blank line), one per line.
help_commands() {
	"$S3SRC" --help | awk '/^Commands:/ { on = 1; next } on && /^[ \t]*$/ { exit } on { print $1 }'
}

# help_long_options: the long options defined by a --help text on stdin, one
# per line, sorted. Only option lines count (indented, starting with '-'), and
# only their left column (up to the first run of two blanks), so an option
# named in a description ("... or --hang-max-ms") is not taken as defined there.
help_long_options() {
	awk '/^[ \t]+-/ {
		l = $0; sub(/^[ \t]+/, "", l)
		i = index(l, "  "); if (i) l = substr(l, 1, i - 1)
		while (match(l, /--[a-z0-9][a-z0-9-]*/)) {
			print substr(l, RSTART, RLENGTH); l = substr(l, RSTART + RLENGTH)
		}
	}' | sort -u
}

# man_items FILE: the long options of every .TP item of a man page, one line
# each as "SECTION<TAB>SUBSECTION<TAB>--option". The item's tag line is made
# plain first: roff's \- becomes -, font escapes (\fB \fI \fR \fP \f(CW) and
# \& go, quotes go.
man_items() {
	awk '
	function plain(s) {
		gsub(/\\-/, "-", s); gsub(/\\f\(../, "", s); gsub(/\\f[A-Z]/, "", s)
		gsub(/\\&/, "", s); gsub(/"/, "", s)
		return s
	}
	/^\.SH/ { sh = plain(substr($0, 5)); ss = ""; next }
	/^\.SS/ { ss = plain(substr($0, 5)); next }
	/^\.TP/ { tag = 1; next }
	tag {
		tag = 0
		if ($0 ~ /^\.TQ/) next
		l = plain($0)
		while (match(l, /--[a-z0-9][a-z0-9-]*/)) {
			print sh "\t" ss "\t" substr(l, RSTART, RLENGTH); l = substr(l, RSTART + RLENGTH)
		}
	}' "$1"
}

# man_command_options FILE COMMAND: the long options the man page documents
# for COMMAND: the items of its subsection under COMMANDS (titled by the
# command's name) and of every OPTIONS subsection whose title names it in
# parentheses, e.g. 'Output options (import, export, delete)'. Sorted.
man_command_options() {
	man_items "$1" | awk -F '\t' -v c="$2" '
	$1 == "COMMANDS" { split($2, w, " "); if (w[1] == c) print $3; next }
	$1 == "OPTIONS" && match($2, /\(.*\)/) {
		n = split(substr($2, RSTART + 1, RLENGTH - 2), cs, /[ ,]+/)
		for (i = 1; i <= n; i++) if (cs[i] == c) print $3
	}' | sort -u
}

# man_command_sections FILE: the first word of each subsection title under
# COMMANDS, one per line.
man_command_sections() {
	awk '/^\.SH/ { sh = $2; next } sh == "COMMANDS" && /^\.SS/ {
		t = substr($0, 5); gsub(/"/, "", t); split(t, w, " "); print w[1] }' "$1"
}
