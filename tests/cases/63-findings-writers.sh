#!/usr/bin/env bash
# 63-findings-writers: two processes writing a file through one description
# without O_APPEND share one offset (shared-offset-write, a warning); with
# O_APPEND every write goes to the end, and that is not a finding.  The
# harness sends each scenario's stdout and stderr to files, which the
# scenario's processes share as fds 1 and 2: those are info findings (a
# job's redirected output), so the outputs are compared at warning and up.
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"

start_scenario --as W f-writers
fired shared-offset-write warning "$W_parent,$W_child" --min-severity warning
if fds_json -p "$W_child"; then
	jcheck "writers: fd $W_fd of both, evidence mode w, the file, 2 processes" \
		'.findings[] | select(.code == "shared-offset-write" and .evidence.target == $t)
		 | .fds == [{pid: $p, fd: $f}, {pid: $c, fd: $f}] and .severity == "warning"
		 and .evidence.mode == "w" and .evidence.processes == 2' \
		--argjson p "$W_parent" --argjson c "$W_child" --argjson f "$W_fd" --arg t "$W_path"
	jcheck "writers: the shared redirected stdout (fd 1 only) is info" \
		'[.findings[] | select(.code == "shared-offset-write" and all(.fds[]; .fd == 1)) | .severity]
		 == ["info"]'
fi
if fds_text "$W_path"; then
	check "PATH mode: the finding about that file closes the output" \
		grep -Eq "^WARNING shared-offset-write: ${W_path//./\\.} is open for writing" "$(fds_out_file)"
fi
if fds_json "$W_path"; then
	jcheck "PATH mode JSON: the findings are those about that file's fds" \
		'.findings | length >= 1 and all(.[]; any(.fds[]; .fd == $f and (.pid == $p or .pid == $c)))' \
		--argjson p "$W_parent" --argjson c "$W_child" --argjson f "$W_fd"
fi
stop_scenario W

start_scenario --as A f-writers-append
silent shared-offset-write "$A_parent,$A_child" --min-severity warning
if fds_json -p "$A_child"; then
	jnone "append twin: no finding of any severity about $A_path" \
		'.findings[] | select(.evidence.target? == $t)' --arg t "$A_path"
	jcheck "append twin: the description is shared and has O_APPEND (so the rule saw it)" \
		'fd($c; $f) | .shared == true and (.flags | index("O_APPEND")) != null' \
		--argjson c "$A_child" --argjson f "$A_fd"
fi
stop_scenario A
