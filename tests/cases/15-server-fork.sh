#!/usr/bin/env bash
# 15-server-fork: a listening socket inherited by a forked child that never
# closed it: one description held by both processes.
. "$TESTS/lib.sh"

start_scenario server-fork
args=(--argjson p "$S_parent" --argjson c "$S_child" --argjson l "$S_lfd"
	--arg ino "$S_inode")

if fds_json -p "$S_parent"; then
	rc_is "-p parent exits 0" 0
	jcheck "parent's fd $S_lfd: socket, socket:[$S_inode], rw" \
		'fd($p; $l) | .type == "socket" and .target == "socket:[\($ino)]" and .mode == "rw"' \
		"${args[@]}"
	jcheck "the child's fd $S_lfd has the parent's ofd id" \
		'ofd_of($p; $l) != null and ofd_of($c; $l) == ofd_of($p; $l)' "${args[@]}"
	jcheck "that ofd is a verified socket held by both" \
		'ofd(ofd_of($p; $l)) | .verified == true and .type == "socket" and .processes == 2
		 and holds(.; $p; $l) and holds(.; $c; $l)' "${args[@]}"
fi

if fds_text -p "$S_parent" -o FD,SHARED; then
	check "text SHARED of fd $S_lfd names the child: $S_child (scenario) fd $S_lfd" \
		grep -Eq "^ *$S_lfd +(.*[ ,])?$S_child \(scenario\) fd $S_lfd([ ,]|\$)" "$(fds_out_file)"
fi

stop_scenario
