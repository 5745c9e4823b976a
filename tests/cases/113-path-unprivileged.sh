#!/usr/bin/env bash
# 113-path-unprivileged: as nobody, root's processes cannot be read, so "no
# holder among those read" is not "held by nobody": a PATH that only
# root's process holds exits 1 (incomplete), saying what could not be
# read, never 2.  Twin: root, who reads everyone, gets 2 for a PATH nobody
# holds and 0 for the held one.
. "$TESTS/lib.sh"

start_scenario --as R dup
chmod 755 "$R_dir"
chmod 644 "$R_path"

fds_text --as nobody "$R_path"
rc_is "nobody, PATH held only by root's process: exit 1" 1
check "stderr: not held by any process that could be read, and how many could not" \
	grep -Eq "not held by any process that could be read; [1-9][0-9]* could not be read" "$T_DIR/fds.err"
if fds_json --as nobody "$R_path"; then
	rc_is "nobody, JSON: exit 1" 1
	jcheck "complete is false" '.complete == false'
	jcheck "root's scenario is listed as unreadable" \
		'any(.unreadable[]; .pid == $p and .error == "EACCES")' --argjson p "$R_pid"
fi

fds_text "$R_path"
rc_is "twin: root, the same PATH: exit 0" 0
: >"$T_DIR/unheld"
fds_text "$T_DIR/unheld"
rc_is "twin: root, a PATH nobody holds: exit 2" 2
stop_scenario
fds_text --path-timeout x /
rc_is "--path-timeout x: usage error 100" 100
fds_text --path-timeout 0 /
rc_is "--path-timeout 0: usage error 100" 100
