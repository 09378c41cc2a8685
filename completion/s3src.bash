# completion/s3src.bash - bash completion for s3src and fake-panther, installed
# as share/bash-completion/completions/s3src (and .../fake-panther, the same
# file), where bash-completion finds it by the command's name; or source it.
#
# Nothing here lists the commands or the options: they are read from the
# program's own 's3src --help' and 's3src COMMAND --help' at the moment of
# completion, so a new command or option is completed without touching this
# file. What an option's argument is comes from its placeholder in the help:
# 'csv|jsonl' offers those words, PATH, FILE and RESULTS offer files, filtered
# by extension where the option calls for it (below); N, SEC, URL offer nothing.
# tests/e2e/completion.sh checks it against every --help.

# _s3src_parse_help: reads a --help text, prints one line per option defined
# there (an indented line starting with '-'; its left column up to two blanks):
# "OPTION<TAB>PLACEHOLDER", short and long forms alike, placeholder empty for a
# flag.
_s3src_parse_help() {
	awk '/^[ \t]+-/ {
		l = $0; sub(/^[ \t]+/, "", l)
		i = index(l, "  "); if (i) l = substr(l, 1, i - 1)
		meta = l; gsub(/(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*/, " ", meta)
		gsub(/^[ ,]+|[ ,]+$/, "", meta)
		n = 0
		while (match(l, /(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*/)) {
			o = substr(l, RSTART, RLENGTH); sub(/^[ ,]/, "", o)
			print o "\t" meta; l = substr(l, RSTART + RLENGTH)
		}
	}'
}

# _s3src_files REGEX...: files whose name matches the first ERE that matches
# any (all files when none does, as bash-completion's own fallback), and folders.
_s3src_files() {
	local IFS=$'\n' f re files=() match=()
	compopt -o filenames 2>/dev/null
	for f in $(compgen -f -- "$cur"); do
		[ -d "$f" ] || files+=("$f")
	done
	for re in "$@"; do
		for f in "${files[@]}"; do
			[[ $f =~ $re ]] && match+=("$f")
		done
		[ ${#match[@]} -gt 0 ] && break
	done
	[ ${#match[@]} -eq 0 ] && match=("${files[@]}")
	COMPREPLY=($(compgen -d -- "$cur") "${match[@]}")
}

# _s3src_value OPTION PLACEHOLDER: completes the argument of OPTION.
_s3src_value() {
	local opt=$1 meta=$2
	case $opt in
	--delimiter) COMPREPLY=($(compgen -W "tab , '\\;'" -- "$cur")); return ;;
	--bad-reply-kind) COMPREPLY=($(compgen -W "html garbage huge truncated noid" -- "$cur")); return ;;
	esac
	if [[ $meta == *'|'* ]]; then
		COMPREPLY=($(compgen -W "${meta//|/ }" -- "$cur"))
		return
	fi
	case $meta in
	*PATH* | *FILE* | *RESULTS* | *DIR*) ;;
	*) return ;; # a number, a duration, a URL, a name: nothing to offer
	esac
	case $opt in
	--resume) _s3src_files '\.results\.(csv|jsonl)(\.gz)?$' '\.(csv|jsonl)(\.gz)?$' ;;
	--results | --failed) _s3src_files '\.(csv|jsonl)(\.gz)?$' ;;
	--ids) _s3src_files '\.(csv|jsonl|txt|ids)(\.gz)?$' ;;
	-o | --output | --backup) _s3src_files '\.(jsonl|csv)(\.gz)?$' ;;
	--cacert | --tls-cert | --tls-key) _s3src_files '\.(pem|crt|cer|key)$' ;;
	*) _s3src_files '' ;;
	esac
}

# _s3src_complete_options PROGRAM [COMMAND]: the option words and arguments.
# Returns 1 when the current word is a positional argument.
_s3src_complete_options() {
	local spec meta
	spec=$("$@" --help 2>/dev/null | _s3src_parse_help)
	if [[ $prev == -* && $prev != *=* ]]; then
		meta=$(awk -F '\t' -v o="$prev" '$1 == o { print $2; exit }' <<< "$spec")
		if [ -n "$meta" ]; then
			_s3src_value "$prev" "$meta"
			return 0
		fi
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(awk -F '\t' '$1 ~ /^--/ { print $1 }' <<< "$spec")" -- "$cur"))
		return 0
	fi
	return 1
}

_s3src() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local prog=${COMP_WORDS[0]} cmd="" i
	COMPREPLY=()
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in -*) ;; *) cmd=${COMP_WORDS[i]}; break ;; esac
	done
	if [ -z "$cmd" ]; then
		local cmds
		cmds=$("$prog" --help 2>/dev/null | awk '/^Commands:/ { on = 1; next } on && /^[ \t]*$/ { exit } on { print $1 }')
		COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
		return 0
	fi
	_s3src_complete_options "$prog" "$cmd" && return 0
	case $cmd in
	validate | import | plan) _s3src_files '\.(csv|jsonl)(\.gz)?$' ;; # the input
	report) _s3src_files '\.results\.(csv|jsonl)(\.gz)?$' '\.(csv|jsonl)(\.gz)?$' ;; # a results file
	*) ;;                                                                 # IDs
	esac
	return 0
}

_fake_panther() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	_s3src_complete_options "${COMP_WORDS[0]}" || true
	return 0
}

complete -F _s3src s3src
complete -F _fake_panther fake-panther
