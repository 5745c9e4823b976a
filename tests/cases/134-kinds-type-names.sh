#!/usr/bin/env bash
# 134-kinds-type-names: --type accepts every kind and protocol name fdshare
# prints.  The names the binary knows (its usage error lists them) are
# offered by the bash, zsh and fish completions and listed in the man page;
# each name a completion offers is accepted; an unknown one is a usage
# error (exit 100).  With the kind scenarios running, every "type" and
# "protocol" value of the JSON, and every pty/tun kind, is a name --type
# accepts, and each fd's type agrees with what stat(1) says of it.
. "$TESTS/lib.sh"

top=$(cd "$TESTS/.." && pwd)

fds_text --type no-such-kind -p $$
rc_is "an unknown type is a usage error" 100
known=$(sed -n "s/.*unknown type (known: \(.*\)):.*/\1/p" <<<"$FDS_ERR" | tr -d ',')
check "the usage error lists the known types (found $(wc -w <<<"$known"))" test "$(wc -w <<<"$known")" -ge 40

# missing FILE NAME...: the names not in FILE as a whole word
missing() {
	local file=$1 w out=""
	shift
	for w in "$@"; do
		grep -qE -- "(^|[^a-z0-9_-])$w([^a-z0-9_-]|\$)" "$file" || out="$out $w"
	done
	printf '%s' "$out"
}
# shellcheck disable=SC2086
for f in completions/fdshare.bash completions/_fdshare completions/fdshare.fish; do
	m=$(missing "$top/$f" $known)
	check "$f offers every type${m:+ (missing:$m)}" test -z "$m"
done
sed -n '/^\.BR \\-\\-type " \\fIlist\\fP"/,/^\.TP/p' "$top/man/fdshare.1" | sed 's/\\-/-/g' >"$T_DIR/man_type"
# shellcheck disable=SC2086
m=$(missing "$T_DIR/man_type" $known)
check "the man page's --type lists every type${m:+ (missing:$m)}" test -z "$m"

offered=$(sed -n '/^_fdshare_types=(/,/)/p' "$top/completions/fdshare.bash" | tr -d '()' | sed 's/_fdshare_types=//')
# one run with them all: a refused one would be named by the usage error
fds_text --type "$(tr -s ' \n\t' ',' <<<"$offered" | sed 's/^,//; s/,$//')" -p $$ -o FD
rc_is "every type bash offers ($(wc -w <<<"$offered")) is accepted" 0

# Every value printed, with every kind scenario running that can here.
for sc in k-nsfs k-symlink k-mqueue k-io-uring k-pty k-signals k-bpf k-tun k-sockets; do
	"$SCENARIO" "$sc" </dev/null >/dev/null 2>&1
	[ $? = 77 ] && continue
	start_scenario --as "S$RANDOM" "$sc"
done
if fds_json; then
	printed=$(jq_fds '[.processes[].fds[] | .type, .protocol, (.pty.role | if . == "master" then "ptmx" elif . == "slave" then "pts" else null end), (if .tun then "tun" else null end)] | map(select(. != null)) | unique | .[]')
	bad=""
	for t in $printed; do
		grep -qw -- "$t" <<<"$known" || bad="$bad $t"
	done
	check "every type and protocol printed is a --type name (printed: $(tr '\n' ' ' <<<"$printed"); unknown:${bad:- none})" test -z "$bad"
	check "every fd's type agrees with stat of the open file (nsfs, mqueue, symlink too)" fd_types_agree
	for t in nsfs symlink mqueue io_uring ptmx pts; do
		check "the scenarios made a $t fd" grep -qx -- "$t" <<<"$printed"
	done
fi
stop_scenario
