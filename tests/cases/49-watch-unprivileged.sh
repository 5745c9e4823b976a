#!/usr/bin/env bash
# 49-watch-unprivileged: as an ordinary user, --watch either works (kernels
# from 6.6 let anyone subscribe; the receive buffer is then capped at
# rmem_max) or says what is missing (CAP_NET_ADMIN) and exits 111.
# needs: host pid namespace
. "$TESTS/lib.sh"
. "$TESTS/watch.sh"

probe=$(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
	"$FDSHARE" --watch --json --duration 1 2>"$T_DIR/nobody.err")
rc=$?
: >"$W_ERR"
if [ "$rc" = 111 ]; then
	check "refused: the message names CAP_NET_ADMIN" grep -q CAP_NET_ADMIN "$T_DIR/nobody.err"
else
	check "as nobody: exit 0 (status $rc)" test "$rc" = 0
	printf '%s\n' "$probe" >"$W_OUT"
	check "as nobody: every line is one JSON object" w_lines_parse
	wcheck "as nobody: a start line and a summary ended by the duration" \
		'.[0].event == "start" and .[-1].ended == "duration"'
	wcheck "as nobody: the receive buffer is not forced past rmem_max" \
		'.[0].rcvbuf <= 2 * $max' --argjson max "$(cat /proc/sys/net/core/rmem_max)"
fi
check "nothing crashed or leaked (no sanitizer report)" \
	sh -c '! grep -qE "Sanitizer|runtime error:" "$1" "$2"' sh "$T_DIR/nobody.err" "$W_ERR"
