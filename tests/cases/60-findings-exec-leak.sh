#!/usr/bin/env bash
# 60-findings-exec-leak: an fd without close-on-exec inherited across fork
# and exec of another program is an exec-leak; the twins are not: an fd
# opened with O_CLOEXEC (gone at exec), an fd shared with a forked child of
# the same program, and stdio shared with both.  Two chains of one
# description from a process that has ended are two findings that name no
# source.  flock(1) runs its command with the lock's fd on purpose
# ("flock -n job.lock cmd", cron's idiom): no exec-leak.  (The shell lock
# idiom: tests/cases/71-real-patterns.sh.)
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"
. "$TESTS/lib_real.sh"

start_scenario --as L f-exec-leak
fired exec-leak warning "$L_parent,$L_child"
if fds_json -p "$L_child"; then
	a=(--argjson p "$L_parent" --argjson c "$L_child" --argjson f "$L_fd")
	jcheck "exec-leak: fds are the parent's and the child's fd $L_fd" \
		'.findings[] | select(.code == "exec-leak") | .fds == [{pid: $p, fd: $f}, {pid: $c, fd: $f}]' "${a[@]}"
	jcheck "exec-leak: evidence source_pid, source_exe, holder_exe (sleep), the file" \
		'ofd_of($p; $f) as $o | .findings[] | select(.code == "exec-leak") | .evidence
		 | .source_pid == $p and (.source_exe | endswith("/scenario"))
		 and (.holder_exe | endswith("/sleep")) and .target == $t and .ofd == $o' \
		"${a[@]}" --arg t "$L_path"
	jcheck "every finding has the contract's keys and types" \
		'.findings | length > 0 and all(.[]; (.code | type) == "string"
		 and (.severity | IN("info", "warning", "critical")) and all(.pids[]; isint)
		 and all(.fds[]; (.pid | isint) and (.fd | isint)) and (.message | type) == "string"
		 and (.hint | type) == "string" and (.evidence | type) == "object")'
fi
if fds_text -p "$L_child"; then
	check "text: the message names the file and both processes" \
		grep -Eq "^WARNING exec-leak: fd $L_fd \\(.*leak\\.txt\\) of $L_parent \\(scenario\\) .* $L_child \\(sleep\\)" \
		"$(fds_out_file)"
	check "text: a hint line" grep -Eq '^    hint: .*O_CLOEXEC' "$(fds_out_file)"
fi
if fds_text; then
	check "overview: the findings close the output" grep -Eq '^Findings: [0-9]+ critical, [0-9]+ warning, [0-9]+ info$' "$(fds_out_file)"
fi
stop_scenario L

start_scenario --as T f-exec-leak-cloexec
silent exec-leak "$T_parent,$T_execer,$T_forker"
if fds_json -p "$T_forker"; then
	jcheck "twin: the forked child does share fd $T_fd_plain with the parent (so the rule saw it)" \
		'ofd_of($f; $n) == ofd_of($p; $n)' --argjson f "$T_forker" --argjson p "$T_parent" --argjson n "$T_fd_plain"
fi
stop_scenario T

start_scenario --as E f-exec-leak-ended
fired exec-leak warning "$E_first,$E_first_sleep"
if fds_json -p "$E_first,$E_second"; then
	jcheck "ended origin: one finding per chain, each its passer and its sleep" \
		'[.findings[] | select(.code == "exec-leak") | .fds] | sort
		 == [[{pid: $a, fd: $f}, {pid: $sa, fd: $f}], [{pid: $b, fd: $f}, {pid: $bs, fd: $f}]]' \
		--argjson a "$E_first" --argjson sa "$E_first_sleep" --argjson b "$E_second" \
		--argjson bs "$E_second_sleep" --argjson f "$E_fd"
	jcheck "ended origin: source_pid null, origin ended, passed_by the chain's top" \
		'[.findings[] | select(.code == "exec-leak") | .evidence
		  | .source_pid == null and .origin == "ended" and (.passed_by == $a or .passed_by == $b)]
		 | length == 2 and all' --argjson a "$E_first" --argjson b "$E_second"
fi
if fds_text -p "$E_first"; then
	check "text: 'came from a process that has ended', no O_CLOEXEC fix for the passer" \
		bash -c 'grep -Eq "^WARNING exec-leak: fd $1 .* came from a process that has ended" "$2" &&
			! grep -Eq "hint: open it with O_CLOEXEC" "$2"' _ "$E_fd" "$(fds_out_file)"
fi
stop_scenario E

# flock(1) keeps the lock's fd open in the command it runs (unless -o).
flock -n "$T_DIR/job.lock" sleep 300 &
flocker=$!
wait_for "flock's sleep" child_named "$flocker" sleep
flocked=$(child_named "$flocker" sleep)
silent exec-leak "$flocker,$flocked"
if fds_json -p "$flocker,$flocked"; then
	jcheck "flock FILE cmd: sleep shares flock's lock fd 3 without close-on-exec (so the rule saw it)" \
		'ofd_of($f; 3) == ofd_of($s; 3) and fd($s; 3).cloexec == false' \
		--argjson f "$flocker" --argjson s "$flocked"
fi
kill "$flocked"
