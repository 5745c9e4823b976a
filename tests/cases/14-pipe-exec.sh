#!/usr/bin/env bash
# 14-pipe-exec: the two ends of one pipe are two descriptions: the parent's
# write end and the child's stdin share the pipe inode but not the ofd.
. "$TESTS/lib.sh"

start_scenario pipe-exec
args=(--argjson p "$S_parent" --argjson c "$S_child" --argjson w "$S_wfd"
	--argjson r "$S_rfd" --arg ino "$S_inode")

if fds_json -p "$S_parent,$S_child"; then
	rc_is "-p parent,child exits 0" 0
	jcheck "parent's fd $S_wfd: pipe, mode w, pipe:[$S_inode]" \
		'fd($p; $w) | .type == "pipe" and .mode == "w" and .target == "pipe:[\($ino)]"
		 and .ino == ($ino | tonumber)' "${args[@]}"
	jcheck "child's fd 0: pipe, mode r, pipe:[$S_inode]" \
		'fd($c; $r) | .type == "pipe" and .mode == "r" and .target == "pipe:[\($ino)]"
		 and .ino == ($ino | tonumber)' "${args[@]}"
	jcheck "the child is cat" 'proc($c).comm == "cat"' "${args[@]}"
	jcheck "the two ends are different ofds" \
		'ofd_of($p; $w) != null and ofd_of($c; $r) != null and ofd_of($p; $w) != ofd_of($c; $r)' \
		"${args[@]}"
	jcheck "neither end is listed as shared (each has one holder)" \
		'ofd_of($p; $w) as $x | ofd_of($c; $r) as $y | all(.ofds[]; .id != $x and .id != $y)' \
		"${args[@]}"
fi

stop_scenario
