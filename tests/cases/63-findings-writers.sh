#!/usr/bin/env bash
# 63-findings-writers: processes writing one regular file.  Two SEPARATE
# descriptions of one file (a parent and a child each open() one log), one
# of them without O_APPEND, overwrite each other: write-clobber, a warning,
# with each description's offset.  The twins: the same with O_APPEND
# (nothing); one description shared after fork (write() moves a shared
# offset atomically: shared-offset-write, info only); a job's stdout
# redirected to a file (the harness's fds 1 and 2: nothing); a parent and
# child reading through one description (the seed's split read: nothing,
# see fdshare(1)).
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"

start_scenario --as C f-clobber
fired write-clobber warning "$C_parent,$C_child"
check "clobber: the child's line overwrote the parent's (the file is child, newline, newline)" \
	test "$(od -An -c "$C_path" | tr -s ' ')" = " c h i l d \n \n"
if fds_json -p "$C_child"; then
	jcheck "write-clobber: fds $C_parent:$C_fd and $C_child:$C_cfd, 2 descriptions, offsets 7 and 6" \
		'.findings[] | select(.code == "write-clobber") | any(.fds[]; .pid == $p and .fd == $f)
		 and any(.fds[]; .pid == $c and .fd == $cf) and .evidence.descriptions == 2
		 and .evidence.offsets == "7,6" and .evidence.target == $t' \
		--argjson p "$C_parent" --argjson c "$C_child" --argjson f "$C_fd" --argjson cf "$C_cfd" --arg t "$C_path"
fi
if fds_text "$C_path"; then
	check "PATH mode: the write-clobber finding about that file closes the output" \
		grep -Eq "^WARNING write-clobber: ${C_path//./\\.} is open for writing through 2 separate open file descriptions without O_APPEND \\($C_parent \\(scenario\\) fd $C_fd at offset 7, $C_child \\(scenario\\) fd $C_cfd at offset 6\\)" \
		"$(fds_out_file)"
fi
stop_scenario C

start_scenario --as A f-clobber-append
silent write-clobber "$A_parent,$A_child"
check "append twin: both lines kept" test "$(cat "$A_path")" = "$(printf 'parent\nchild')"
if fds_json -p "$A_child"; then
	jnone "append twin: no finding of any severity about $A_path" \
		'.findings[] | select(.evidence.target? == $t)' --arg t "$A_path"
	jcheck "append twin: two descriptions of the file (so the rule saw them)" \
		'ofd_of($p; $f) != ofd_of($c; $cf)' --argjson p "$A_parent" --argjson c "$A_child" \
		--argjson f "$A_fd" --argjson cf "$A_cfd"
fi
stop_scenario A

start_scenario --as W f-writers
fired shared-offset-write info "$W_parent,$W_child"
silent write-clobber "$W_parent,$W_child"
if fds_json -p "$W_child"; then
	jcheck "shared: fd $W_fd of both, evidence mode w, pos 7, 2 processes, severity info" \
		'.findings[] | select(.code == "shared-offset-write" and .evidence.target == $t)
		 | .fds == [{pid: $p, fd: $f}, {pid: $c, fd: $f}] and .severity == "info"
		 and .evidence.mode == "w" and .evidence.pos == 7 and .evidence.processes == 2' \
		--argjson p "$W_parent" --argjson c "$W_child" --argjson f "$W_fd" --arg t "$W_path"
	jnone "the shared redirected stdout and stderr (fds 1, 2) are no finding" \
		'.findings[] | select(all(.fds[]; .fd <= 2))'
fi
fds_text --check -p "$W_parent,$W_child"
rc_is "--check: one shared description is OK (info only)" 0
stop_scenario W

start_scenario --as A f-writers-append
silent shared-offset-write "$A_parent,$A_child"
if fds_json -p "$A_child"; then
	jcheck "append twin: the description is shared and has O_APPEND (so the rule saw it)" \
		'fd($c; $f) | .shared == true and (.flags | index("O_APPEND")) != null' \
		--argjson c "$A_child" --argjson f "$A_fd"
fi
stop_scenario A

start_scenario --as R fork-offset
if fds_json -p "$R_parent,$R_child"; then
	jcheck "readers: parent and child read through one description, at offset $R_pos" \
		'fd($p; $f).pos == $pos and ofd_of($p; $f) == ofd_of($c; $f)' \
		--argjson p "$R_parent" --argjson c "$R_child" --argjson f "$R_fd" --argjson pos "$R_pos"
	jnone "readers sharing one offset: no finding (documented in fdshare(1))" '.findings[]'
fi
stop_scenario R
