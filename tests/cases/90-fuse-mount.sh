#!/usr/bin/env bash
# 90-fuse-mount: a process holds a file on a FUSE mount served by
# tests/tools/fusefile (raw /dev/fuse, one file).  fdshare never stat()s it
# and says why ("stat_skipped": the file system type) in every output mode,
# with no read of freed memory (the ASan run turns one into a crash); its
# twin, a file on a local file system, is stat()ed.  Then the daemon is
# stopped (SIGSTOP: every request to the mount now hangs, as with a dead
# server) and no scan may hang: each mode ends, in time, with the same answer.
. "$TESTS/lib.sh"

FUSEFILE=$(dirname "$SCENARIO")/fusefile
# /dev/fuse appears when the fuse module is loaded
[ -e /dev/fuse ] || modprobe fuse 2>/dev/null
mnt=$(mktemp -d "$T_DIR/mnt.XXXXXX")
"$FUSEFILE" "$mnt" >"$T_DIR/fuse.out" 2>"$T_DIR/fuse.err" &
fuse_pid=$!
for ((i = 0; i < 100; i++)); do
	grep -qx ready "$T_DIR/fuse.out" && break
	sleep 0.05
done
if ! grep -qx ready "$T_DIR/fuse.out"; then
	fail "the FUSE test daemon mounted $mnt"
	note "$(cat "$T_DIR/fuse.err")"
	exit 1
fi
check "the FUSE file reads through the daemon" grep -q "served by fusefile" "$mnt/file"

echo local >"$T_DIR/local"
sleep 1000 3<"$mnt/file" &
holder=$!
sleep 1000 3<"$T_DIR/local" &
twin=$!
for ((i = 0; i < 100; i++)); do
	[ -e "/proc/$holder/fd/3" ] && [ -e "/proc/$twin/fd/3" ] && break
	sleep 0.05
done

cleanup_fuse() {
	kill -CONT "$fuse_pid" 2>/dev/null
	kill "$holder" "$twin" 2>/dev/null
	wait "$holder" "$twin" 2>/dev/null
	umount -l "$mnt" 2>/dev/null
	kill "$fuse_pid" 2>/dev/null
	wait "$fuse_pid" 2>/dev/null
	return 0   # the daemon's status (SIGTERM) is no result of this case
}

args=(--argjson h "$holder" --argjson t "$twin")

# check_fuse_fd WHAT: the last JSON shows the FUSE fd unstat()ed, with its
# reason intact, and the twin stat()ed.
check_fuse_fd() {
	jcheck "$1: the FUSE fd says stat was skipped on fuse.fdsharetest" \
		'fd($h; 3) | .stat_skipped == "fuse.fdsharetest" and .size == null and .dev == null' \
		"${args[@]}"
	jcheck "$1: its target is the file's path" \
		'fd($h; 3).target | endswith("/file")' "${args[@]}"
}

for sel in "-p $holder,$twin" "-c sleep" ""; do
	# shellcheck disable=SC2086
	fds_json $sel || continue
	check_fuse_fd "--json ${sel:-(whole system)}"
	if [ -n "$sel" ]; then
		jcheck "--json $sel: the local twin was stat()ed (no stat_skipped, a size)" \
			'fd($t; 3) | .stat_skipped == null and .size == 6 and .type == "reg"' "${args[@]}"
	fi
done
fds_json --tree -p "$holder" && rc_is "--json --tree -p the holder exits 0" 0
fds_text -o +ERROR -p "$holder"
check "text -p: the FUSE fd's ERROR column says the stat was skipped" \
	grep -Eq "^ *3 .*stat skipped" "$(fds_out_file)"

# The daemon stops answering: every scan must still end, quickly.
kill -STOP "$fuse_pid"
sleep 0.2
check "the stopped daemon really blocks requests to the mount" \
	bash -c '! timeout 2 cat "$1" >/dev/null' _ "$mnt/file"

# in_time MODE ARGS: fdshare ARGS ends within 30 s (no hang).
in_time() {
	local what=$1 rc=0
	shift
	timeout -k 2 30 "$FDSHARE" "$@" >"$T_DIR/hang.out" 2>"$T_DIR/hang.err" || rc=$?
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		fail "$what does not hang on the stopped FUSE daemon (killed after 30 s)"
		return 1
	fi
	pass "$what does not hang on the stopped FUSE daemon (exit status $rc)"
}
in_time "text overview"
in_time "-p holder" -p "$holder"
in_time "--tree" --tree
in_time "--check" --check
in_time "--prometheus" --prometheus
in_time "--json" --json
if timeout -k 2 30 "$FDSHARE" --json -p "$holder" >"$FDS_FILE" 2>"$T_DIR/fds.err"; then
	check_fuse_fd "--json -p, daemon stopped"
else
	fail "--json -p the holder, daemon stopped, exits 0"
fi

cleanup_fuse
