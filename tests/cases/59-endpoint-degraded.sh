#!/usr/bin/env bash
# 59-endpoint-degraded: unprivileged, and without sock_diag.  As nobody,
# pipes resolve from /proc and sockets of nobody's own network namespace
# from sock_diag, but a namespace nobody cannot enter leaves its sockets
# with "endpoint_error": "EPERM".  With sock_diag refused (a seccomp filter
# answers EPROTONOSUPPORT, as a kernel without it does), pipes still
# resolve and every socket says why its other end is unknown.
. "$TESTS/lib.sh"

nosockdiag="$(dirname "$SCENARIO")/no_sock_diag"
start_scenario --user nobody ep-userns
ends='def ends($p; $f): [fd($p; $f) | .endpoints[]? | {pid, fd}] | sort_by(.pid, .fd);'
args=(--argjson p "$S_pid" --argjson c "$S_child" --argjson w "$S_wfd" --argjson r "$S_rfd"
	--argjson sp "$S_spfd" --argjson csp "$S_cspfd" --argjson n "$S_nschild"
	--argjson n0 "$S_nsfd0" --argjson n1 "$S_nsfd1")

check "the scenario runs as nobody, its second child in another network namespace" \
	bash -c '[ "$(stat -c %U "/proc/$1")" = nobody ] &&
		[ "$(stat -L -c %i "/proc/$1/ns/net")" != "$(stat -L -c %i "/proc/$2/ns/net")" ]' _ \
	"$S_pid" "$S_nschild"

if fds_json --as nobody -p "$S_pid,$S_child,$S_nschild"; then
	check "nobody: exit 0 or 1 (root's processes are unreadable)" test "$FDS_RC" = 0 -o "$FDS_RC" = 1
	jcheck "nobody: the pipe resolves both ways" \
		"$ends"' ends($p; $w) == [{pid: $c, fd: $r}] and ends($c; $r) == [{pid: $p, fd: $w}]' "${args[@]}"
	jcheck "nobody: the socketpair in its own namespace resolves (sock_diag works unprivileged)" \
		"$ends"' ends($p; $sp) == [{pid: $c, fd: $csp}] and fd($p; $sp).endpoint_error == null' \
		"${args[@]}"
	jcheck "nobody: sockets of the namespace it cannot enter: endpoints null, EPERM" \
		'[fd($n; $n0, $n1)] | length == 2 and all(.[]; .endpoints == null
		 and .endpoint_error == "EPERM" and .protocol == "unix" and .state == null)' "${args[@]}"
fi
if fds_text --as nobody -p "$S_nschild" -o FD,ENDPOINT; then
	check "nobody, text: '? peer unknown: EPERM ...'" \
		grep -Eq "^ *$S_nsfd0 +\? peer unknown: EPERM " "$(fds_out_file)"
fi

if fds_json -p "$S_nschild"; then
	jcheck "root enters that namespace: the socketpair resolves" \
		"$ends"' ends($n; $n0) == [{pid: $n, fd: $n1}] and fd($n; $n0).endpoint_error == null' "${args[@]}"
fi

# Without sock_diag (as root): fdshare must not fail, pipes still resolve.
FDS_RC=0
"$nosockdiag" "$FDSHARE" --json -p "$S_pid,$S_child" >"$FDS_FILE" 2>"$T_DIR/fds.err" || FDS_RC=$?
lib_check_crash "--json (no sock_diag)"
rc_is "no sock_diag: exit 0 (the fds were all read)" 0
jcheck "no sock_diag: the pipe still resolves" \
	"$ends"' ends($p; $w) == [{pid: $c, fd: $r}]' "${args[@]}"
jcheck "no sock_diag: the socket says EPROTONOSUPPORT, endpoints null, protocol still known" \
	'fd($p; $sp) | .endpoints == null and .endpoint_error == "EPROTONOSUPPORT" and .protocol == "unix"' \
	"${args[@]}"
FDS_RC=0
"$nosockdiag" "$FDSHARE" -p "$S_pid" -o FD,ENDPOINT >"$T_DIR/fds.out" 2>"$T_DIR/fds.err" || FDS_RC=$?
lib_check_crash "-p (no sock_diag)"
check "no sock_diag, text: the socket says why" \
	grep -Eq "^ *$S_spfd +\? peer unknown: EPROTONOSUPPORT \(no netlink sock_diag in this kernel\) *\$" \
	"$T_DIR/fds.out"
check "no sock_diag, text: the pipe still reads '-> $S_child (scenario) fd $S_rfd'" \
	grep -Eq "^ *$S_wfd +-> $S_child \(scenario\) fd $S_rfd *\$" "$T_DIR/fds.out"

stop_scenario
