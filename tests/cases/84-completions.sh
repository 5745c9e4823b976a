#!/usr/bin/env bash
# 84-completions: the three completion files against what the binary says:
# every option --help lists (long and short) and every column -l lists is
# offered by bash, zsh and fish; fish offers no option --help lacks.  A new
# option is a row of src/options.c: this case fails until each completion
# has it too.  Also: bash completes --color= and the new columns for real.
. "$TESTS/lib.sh"

top=$(cd "$TESTS/.." && pwd)
fds_text --help
longs=$(grep -oE -- '--[a-z][a-z-]+' "$(fds_out_file)" | sort -u)
shorts=$(grep -oE -- '^  -[A-Za-z],' "$(fds_out_file)" | tr -d ' ,-' | sort -u)
check "--help lists long options (found $(wc -w <<<"$longs"))" test "$(wc -w <<<"$longs")" -ge 25
check "--help lists short options (found $(wc -w <<<"$shorts"))" test "$(wc -w <<<"$shorts")" -ge 10
fds_text -l
columns=$(awk '{ print $1 }' "$(fds_out_file)")
check "-l lists columns (found $(wc -w <<<"$columns"))" test "$(wc -w <<<"$columns")" -ge 19

# missing FILE PATTERN-PRINTF WORD...: the words whose pattern is not in FILE.
missing() {
	local file=$1 fmt=$2 w
	shift 2
	for w in "$@"; do
		# shellcheck disable=SC2059
		grep -qE -- "$(printf "$fmt" "$w")" "$file" || printf '%s ' "$w"
	done
}

bash_f="$top/completions/fdshare.bash"
zsh_f="$top/completions/_fdshare"
fish_f="$top/completions/fdshare.fish"
# shellcheck disable=SC2086
{
m=$(missing "$bash_f" '(^|[^a-z-])%s([^a-z-]|$)' $longs)
check "bash offers every long option of --help${m:+ (missing: $m)}" test -z "$m"
m=$(missing "$zsh_f" "(^|[^a-z-])%s([^a-z-]|$)" $longs)
check "zsh offers every long option of --help${m:+ (missing: $m)}" test -z "$m"
m=$(missing "$fish_f" "-l %s( |$)" $(sed 's/^--//' <<<"$longs"))
check "fish offers every long option of --help${m:+ (missing: $m)}" test -z "$m"
m=$(missing "$bash_f" '(^|[^a-zA-Z-])-%s([^a-zA-Z-]|$)' $shorts)
check "bash offers every short option${m:+ (missing: $m)}" test -z "$m"
m=$(missing "$zsh_f" '(^|[^a-zA-Z-])-%s[+,}]' $shorts)
check "zsh offers every short option${m:+ (missing: $m)}" test -z "$m"
m=$(missing "$fish_f" '-s %s ' $shorts)
check "fish offers every short option${m:+ (missing: $m)}" test -z "$m"
for f in "$bash_f" "$zsh_f" "$fish_f"; do
	m=$(missing "$f" '(^|[^A-Z])%s([^A-Z]|$)' $columns)
	check "$(basename "$f") offers every column of -l${m:+ (missing: $m)}" test -z "$m"
done
stale=$(grep '^complete -c fdshare' "$fish_f" | grep -oE -- '-l [a-z][a-z-]+' | awk '{ print "--" $2 }' | sort -u | grep -vxF -f <(printf '%s\n' $longs))
check "fish offers no option --help lacks${stale:+ (stale: $stale)}" test -z "$stale"
}

# bash, for real: complete "fdshare --color=" and "fdshare -o HOL".
complete_words() {
	bash -c '
		. "$1"
		shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_fdshare
		printf "%s\n" "${COMPREPLY[@]}"' _ "$bash_f" "$@"
}
check "bash: fdshare --color=<TAB> offers --color=auto, always, never" \
	test "$(COMP_WORDBREAKS=' ' complete_words fdshare --color= | sort | tr '\n' ' ')" = \
	"--color=always --color=auto --color=never "
check "bash: fdshare -o HOL<TAB> offers HOLDERS" test "$(complete_words fdshare -o HOL)" = HOLDERS
check "bash: fdshare --find<TAB> offers --findings" test "$(complete_words fdshare --find)" = --findings
