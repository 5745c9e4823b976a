# lib_real.sh - helpers for the real-daemon tier (tests/cases/7x-real-*.sh),
# which start real programs and wait for them to reach a state; source it
# after lib.sh:
#
#   wait_for WHAT CMD...   until CMD succeeds (10 s at most; its output is
#                          dropped); on timeout a fail line naming WHAT, with
#                          the last lines of $WAIT_LOG if set
#   blocked PID            PID sleeps in a system call (state S, a call shown)
#   child_named PARENT COMM   the pids of PARENT's children running COMM

wait_for() {
	local what=$1 t
	shift
	for ((t = 0; t < 200; t++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	fail "timed out waiting for $what"
	[ -n "${WAIT_LOG-}" ] && note "$(tail -n 5 "$WAIT_LOG" 2>/dev/null)"
	return 1
}

blocked() {
	[ "$(cut -d' ' -f1 "/proc/$1/syscall")" -ge 0 ] && grep -q '^State:.*S' "/proc/$1/status"
}

child_named() { pgrep -x -P "$1" "$2"; }
