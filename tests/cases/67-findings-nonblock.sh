#!/usr/bin/env bash
# 67-findings-nonblock: O_NONBLOCK on a description shared by processes
# running different programs is nonblock-shared (info); shared by a forked
# child of the same program (prefork workers, by design), it is not.
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"

start_scenario --as N f-nonblock
fired nonblock-shared info "$N_parent,$N_child"
if fds_json -p "$N_child"; then
	jcheck "nonblock: the parent's fd $N_fd and the child's stdin, pipe:[$N_inode]" \
		'.findings[] | select(.code == "nonblock-shared") | .fds == [{pid: $p, fd: $f}, {pid: $c, fd: 0}]
		 and .evidence.type == "pipe" and .evidence.target == "pipe:[\($i)]" and .evidence.processes == 2' \
		--argjson p "$N_parent" --argjson c "$N_child" --argjson f "$N_fd" --arg i "$N_inode"
fi
stop_scenario N

start_scenario --as S f-nonblock-same
silent nonblock-shared "$S_parent,$S_child"
if fds_json -p "$S_child"; then
	jcheck "same-program twin: the child's stdin is the parent's non-blocking description" \
		'ofd_of($p; $f) as $o | fd($c; 0) | .ofd == $o and (.flags | index("O_NONBLOCK")) != null' \
		--argjson p "$S_parent" --argjson c "$S_child" --argjson f "$S_fd"
fi
stop_scenario S
