#!/usr/bin/env bash
# 111-findings-deleted-mapped: a process running a program deleted after it
# started, and one mapping a deleted library as code, are deleted-mapped
# (info), each naming its files; the look-alikes stay silent: a memfd
# mapped as code, shared anonymous memory (/dev/zero (deleted)), a deleted
# file mapped as data, a deleted file held through an fd only (that one is
# deleted-open), a file still on disk mapped as code.
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"

start_scenario --as D f-deleted-mapped
fired deleted-mapped info "$D_pid"
fired deleted-mapped info "$D_child"
if fds_json -p "$D_pid,$D_child"; then
	jcheck "one finding per process" \
		'[.findings[] | select(.code == "deleted-mapped") | .pids] | sort == ([[$p], [$c]] | sort)' \
		--argjson p "$D_pid" --argjson c "$D_child"
	jcheck "the child's is about its program" \
		'.findings[] | select(.code == "deleted-mapped" and .pids == [$c]) | .evidence.program == ($prog + " (deleted)")' \
		--argjson c "$D_child" --arg prog "$D_prog"
	jcheck "ours names the library, and no program" \
		'.findings[] | select(.code == "deleted-mapped" and .pids == [$p]) | .evidence.program == null and .evidence.file == ($lib + " (deleted)")' \
		--argjson p "$D_pid" --arg lib "$D_lib"
	jcheck "JSON holds: txt of the child, mem of ours, both deleted code" \
		'(proc($c).holds | any(.how == "txt" and .deleted_code)) and (proc($p).holds | any(.how == "mem" and .deleted_code))' \
		--argjson p "$D_pid" --argjson c "$D_child"
fi
if fds_text -p "$D_child"; then
	check "text: names the program as deleted" \
		grep -Eq "^INFO deleted-mapped: $D_child \(sleep-old\) runs code deleted from disk: its program .*/sleep-old \(deleted\)" "$(fds_out_file)"
fi
if fds_json "$D_dir"; then
	rc_is "PATH its directory: exit 0" 0
	jcheck "PATH its directory: the deleted program (txt) and library (mem) are shown" \
		'(proc($c).holds | any(.how == "txt" and .deleted and .path == ($prog + " (deleted)")))
		 and (proc($p).holds | any(.how == "mem" and .deleted and .path == ($lib + " (deleted)")))' \
		--argjson p "$D_pid" --argjson c "$D_child" --arg prog "$D_prog" --arg lib "$D_lib"
	jcheck "PATH its directory: and their deleted-mapped findings" \
		'[.findings[] | select(.code == "deleted-mapped") | .pids[0]] | sort == ([$p, $c] | sort)' \
		--argjson p "$D_pid" --argjson c "$D_child"
fi
fds_text --ignore deleted-mapped -p "$D_pid"
check "--ignore deleted-mapped leaves it out" bash -c '! grep -q "^INFO deleted-mapped" "$1"' _ "$(fds_out_file)"
stop_scenario D

start_scenario --as T f-deleted-mapped-twins
silent deleted-mapped "$T_pid"
if fds_json -p "$T_pid"; then
	jcheck "twins: the deleted file held as an fd is deleted-open instead" \
		'any(.findings[]; .code == "deleted-open" and .fds == [{pid: $p, fd: $f}])' \
		--argjson p "$T_pid" --argjson f "$T_fd"
	jcheck "twins: no hold is kept for them" '[proc($p).holds[]] == []' --argjson p "$T_pid"
fi
stop_scenario T
