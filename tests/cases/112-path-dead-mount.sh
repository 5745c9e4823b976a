#!/usr/bin/env bash
# 112-path-dead-mount: a FUSE file system whose daemon is stopped (SIGSTOP)
# blocks every lookup and stat on it, as a dead NFS server does.  fdshare
# PATH resolves the user's PATH within --path-timeout, says it could not
# check it, matches holders by name only and exits 1; the scan itself never
# stats a file there, so -p and a PATH elsewhere answer at once.  The twin:
# the same PATH on the live daemon resolves and exits 0.
. "$TESTS/lib.sh"

FUSE_STUCK=$(dirname "$SCENARIO")/fuse_stuck
[ -c /dev/fuse ] || modprobe fuse 2>/dev/null
mnt="$T_DIR/fuse"
mkdir "$mnt"
"$FUSE_STUCK" "$mnt" >"$T_DIR/fuse.out" 2>&1 &
daemon=$!
for _ in $(seq 100); do grep -qx ready "$T_DIR/fuse.out" && break; sleep 0.05; done
if ! grep -qx ready "$T_DIR/fuse.out"; then
	fail "the FUSE daemon mounted $mnt"
	note "$(cat "$T_DIR/fuse.out")"
	exit 1
fi
check "the FUSE file reads through the live daemon" test "$(head -c 4 "$mnt/file")" = ffff
# A holder: its cwd and fd 7 on the FUSE mount.
(cd "$mnt" && exec sleep 300 7<file) &
holder=$!
sleep 0.3
kill -STOP "$daemon"

# dead_mount_cleanup: wake the daemon, end the holder, unmount.
dead_mount_cleanup() {
	kill -CONT "$daemon" 2>/dev/null
	kill "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
	umount -l "$mnt" 2>/dev/null
	kill "$daemon" 2>/dev/null
	wait "$daemon" 2>/dev/null
	return 0
}

# Text, not JSON, where the output lists an fd on the FUSE mount: the JSON
# of such an fd is issue 10's (its stat_skipped) and tested there.
started=$SECONDS
if fds_text --path-timeout 1 "$mnt/file"; then
	check "PATH on the stopped daemon: answered within 10 s" test $((SECONDS - started)) -lt 10
	rc_is "PATH not resolved in time: exit 1 (incomplete)" 1
	check "stderr says it was not resolved within 1 s" grep -q "not resolved within 1 s" "$T_DIR/fds.err"
	check "the holder's fd 7 is still found, by name" \
		grep -Eq "^ *[0-9]+ +$holder +sleep +7 .* $mnt/file\$" "$(fds_out_file)"
fi
started=$SECONDS
if fds_text --path-timeout 1 "$mnt"; then
	check "the stopped mount point: answered within 10 s" test $((SECONDS - started)) -lt 10
	rc_is "the stopped mount point: exit 1" 1
	check "text says it was matched by name only" grep -q "matched by name only" "$(fds_out_file)"
	check "text lists the holder's cwd" grep -Eq "^ *$holder +sleep +cwd " "$(fds_out_file)"
fi
started=$SECONDS
if fds_text -p "$holder" -o FD,TARGET; then
	check "-p of the holder: answered within 10 s" test $((SECONDS - started)) -lt 10
	rc_is "-p of the holder: exit 0" 0
	check "its fd 7 is listed" grep -Eq "^ *7 +$mnt/file\$" "$(fds_out_file)"
fi
: >"$T_DIR/local"
started=$SECONDS
fds_text "$T_DIR/local"
check "a local PATH while the holder's cwd is on the stopped mount: answered within 10 s" \
	test $((SECONDS - started)) -lt 10
rc_is "a local PATH nobody holds: exit 2" 2

kill -CONT "$daemon"
if fds_text --path-timeout 5 "$mnt/file"; then
	rc_is "twin: the same PATH on the live daemon: exit 0" 0
	check "twin: resolved, nothing said on stderr" test -z "$FDS_ERR"
	check "twin: fd 7 found" grep -Eq "^ *[0-9]+ +$holder +sleep +7 .* $mnt/file\$" "$(fds_out_file)"
fi
if fds_text --path-timeout 5 "$mnt"; then
	rc_is "twin: the live mount point: exit 0" 0
	check "twin: it is a mount point of fuse.fuse_stuck" grep -q "^$mnt: mount point (fuse.fuse_stuck" "$(fds_out_file)"
	check "twin: fd 7 on it, by the mount's device (never a stat)" \
		grep -Eq "^ *[0-9]+ +$holder +sleep +7 .* $mnt/file\$" "$(fds_out_file)"
	check "twin: the holder's cwd on it" grep -Eq "^ *$holder +sleep +cwd " "$(fds_out_file)"
fi
dead_mount_cleanup
