#!/usr/bin/env bash
# 18-unix-pair: the two sockets of a socketpair, split across fork, are two
# descriptions (two inodes), not one shared.
. "$TESTS/lib.sh"

start_scenario unix-pair
args=(--argjson p "$S_parent" --argjson c "$S_child" --argjson pf "$S_pfd"
	--argjson cf "$S_cfd" --arg pino "$S_pino" --arg cino "$S_cino")

if fds_json -p "$S_parent,$S_child"; then
	rc_is "-p parent,child exits 0" 0
	jcheck "parent's fd $S_pfd: socket:[$S_pino], rw" \
		'fd($p; $pf) | .type == "socket" and .target == "socket:[\($pino)]" and .mode == "rw"' \
		"${args[@]}"
	jcheck "child's fd $S_cfd: socket:[$S_cino], rw" \
		'fd($c; $cf) | .type == "socket" and .target == "socket:[\($cino)]" and .mode == "rw"' \
		"${args[@]}"
	jcheck "each closed the other end after fork" \
		'([fd($p; $cf)] | length) == 0 and ([fd($c; $pf)] | length) == 0' "${args[@]}"
	jcheck "the two ends are different ofds, neither listed as shared" \
		'ofd_of($p; $pf) as $x | ofd_of($c; $cf) as $y
		 | $x != null and $y != null and $x != $y and all(.ofds[]; .id != $x and .id != $y)' \
		"${args[@]}"
	jcheck "fork still shares stdin between them (verified)" \
		'ofd_of($p; 0) == ofd_of($c; 0) and ofd(ofd_of($p; 0)).verified == true' "${args[@]}"
fi

stop_scenario
