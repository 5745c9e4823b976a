#!/usr/bin/env bash
# 11-fork-offset: fork() shares the open file description, and with it the
# offset: the child's read of 29 bytes shows as pos 29 in the parent.
. "$TESTS/lib.sh"

start_scenario fork-offset
args=(--argjson p "$S_parent" --argjson c "$S_child" --argjson f "$S_fd"
	--argjson pos "$S_pos" --arg path "$S_path")

if fds_json -p "$S_parent"; then
	rc_is "-p parent exits 0" 0
	jcheck "the answer is complete" '.complete == true'
	jcheck "the parent is listed in full" 'proc($p) | .partial == false' "${args[@]}"
	jcheck "parent's fd $S_fd: reg, r, the file, pos $S_pos (moved by the child)" \
		'fd($p; $f) | .type == "reg" and .mode == "r" and .target == $path and .pos == $pos' \
		"${args[@]}"
	jcheck "the child is listed too, as partial, with ppid = parent" \
		'proc($c) | .partial == true and .ppid == $p' "${args[@]}"
	jcheck "child's fd $S_fd has the parent's ofd id" \
		'ofd_of($p; $f) != null and ofd_of($c; $f) == ofd_of($p; $f)' "${args[@]}"
	jcheck "that ofd is verified, held by both processes, at pos $S_pos" \
		'ofd(ofd_of($p; $f)) | .verified == true and .processes == 2 and .pos == $pos
		 and holds(.; $p; $f) and holds(.; $c; $f) and (.holders | length) == 2' "${args[@]}"
fi

if fds_json -p "$S_parent,$S_child"; then
	rc_is "-p parent,child exits 0" 0
	jcheck "with both selected, both are listed in full" \
		'[proc($p, $c) | .partial] == [false, false]' "${args[@]}"
	jcheck "and they still share one verified ofd" \
		'ofd_of($c; $f) == ofd_of($p; $f) and ofd(ofd_of($p; $f)).verified == true' "${args[@]}"
fi

if fds_json -p "$S_parent" -p "$S_child"; then
	jcheck "-p given twice selects both" \
		'[proc($p, $c) | .partial] == [false, false]' "${args[@]}"
fi

stop_scenario
