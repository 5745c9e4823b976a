#!/usr/bin/env bash
# 93-fd-limit: the scan's own fd use stays bounded whatever the process
# count: with 300 processes and a hard limit of 64 fds every process is read
# in full (each /proc/PID is pinned, read and unpinned in turn).  With a
# limit so tight that the scan does run out, EMFILE is reported as itself
# (never as "permission denied"), JSON names it per process, the exit status
# says incomplete, and --check says UNKNOWN; the same scan under the normal
# limit, its twin, is complete.
. "$TESTS/lib.sh"

sleepers=()
for ((i = 0; i < 300; i++)); do
	sleep 1000 &
	sleepers+=($!)
done
last=${sleepers[-1]}

# limited N ARGS: fdshare ARGS with soft and hard RLIMIT_NOFILE N; output
# into FDS_FILE (or the text file), FDS_RC, FDS_ERR.
limited() {
	local n=$1
	shift
	FDS_RC=0
	bash -c 'ulimit -n "$1" && shift && exec "$@"' _ "$n" "$FDSHARE" "$@" \
		>"$FDS_FILE" 2>"$T_DIR/fds.err" || FDS_RC=$?
	FDS_ERR=$(cat "$T_DIR/fds.err")
	lib_check_crash "(ulimit -n $n) $*"
}

limited 64 --json
rc_is "ulimit -n 64, 300 processes, --json: complete (0)" 0
jcheck "ulimit -n 64: no process unreadable" '.scan.unreadable == 0 and .unreadable == []'
jcheck "ulimit -n 64: all 300 sleepers read, each with its fds" \
	'[.processes[] | select(.comm == "sleep" and .error == null and .fd_count > 0)] | length == 300'
limited 64 --json -p "$last"
rc_is "ulimit -n 64, -p of the last process scanned: 0" 0
jcheck "ulimit -n 64, -p: its fds are read" \
	'proc($p) | .error == null and (.fds | length) > 0' --argjson p "$last"

# The tightest limit under which the process table is still read (it needs
# a few fds itself) but the scan is not: found, not assumed.
tight=""
for n in 8 7 6 5 4; do
	limited "$n" --json
	if [ "$FDS_RC" = 1 ] && grep -q EMFILE "$T_DIR/fds.err"; then
		tight=$n
		break
	fi
done
if [ -z "$tight" ]; then
	fail "some limit from 8 down to 4 makes the scan run out of fds (exit 1, EMFILE)"
	note "$FDS_ERR"
	exit 1
fi
pass "ulimit -n $tight: the scan runs out of fds, exit status 1 (incomplete)"
check "ulimit -n $tight: stderr says EMFILE, Too many open files" \
	grep -q "EMFILE, Too many open files" "$T_DIR/fds.err"
check "ulimit -n $tight: stderr never says permission denied" \
	bash -c '! grep -qi "permission denied" "$1"' _ "$T_DIR/fds.err"
jcheck "ulimit -n $tight: JSON names EMFILE for what could not be read" \
	'[.unreadable[].error] | length > 0 and all(. == "EMFILE")'
limited "$tight" -p "$last"
rc_is "ulimit -n $tight, -p: incomplete (1)" 1
check "ulimit -n $tight, -p: stderr says EMFILE" grep -q EMFILE "$T_DIR/fds.err"

limited "$tight" --check
rc_is "ulimit -n $tight, --check: UNKNOWN (3)" 3
check "--check: exactly one line, FDSHARE UNKNOWN naming EMFILE" \
	bash -c '[ "$(wc -l <"$1")" = 1 ] && grep -q "^FDSHARE UNKNOWN - .*EMFILE" "$1"' _ "$FDS_FILE"
limited 64 --check
check "twin: ulimit -n 64, --check is not UNKNOWN (0, 1 or 2)" test "$FDS_RC" -le 2
check "twin: --check prints one status line, not UNKNOWN" \
	bash -c '[ "$(wc -l <"$1")" = 1 ] && grep -Eq "^FDSHARE (OK|WARNING|CRITICAL) " "$1"' _ "$FDS_FILE"

kill "${sleepers[@]}"
wait 2>/dev/null
exit 0
