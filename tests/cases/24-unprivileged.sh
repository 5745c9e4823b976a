#!/usr/bin/env bash
# 24-unprivileged: run as nobody.  Root's fd table is unreadable: the process
# is reported with "error": "EACCES", the answer is incomplete (exit 1), no
# crash.  Nobody's own processes are readable and kcmp proves their sharing.
. "$TESTS/lib.sh"

start_scenario --as R dup
start_scenario --as N --user nobody fork-offset

check "the second scenario really runs as nobody" \
	test "$(stat -c %U "/proc/$N_parent")" = nobody

if fds_json --as nobody -p "$R_pid"; then
	rc_is "nobody, -p root's process: exit 1 (incomplete)" 1
	jcheck "complete is false" '.complete == false'
	jcheck "the process is listed with error EACCES" \
		'proc($p).error == "EACCES"' --argjson p "$R_pid"
	jcheck "its stat fields are still there: comm scenario, uid 0" \
		'proc($p) | .comm == "scenario" and .uid == 0' --argjson p "$R_pid"
	jcheck "no fd of it is made up" '[proc($p).fds[]?] | length == 0' --argjson p "$R_pid"
	jcheck "scan counts it as unreadable" '.scan.unreadable >= 1'
fi

fds_text --as nobody -p "$R_pid"
rc_is "nobody, text -p root's process: exit 1" 1
check "nobody, text -p root's process: stderr names it (pid and comm)" \
	grep -q "could not be read.*\b$R_pid (scenario)" <<<"$FDS_ERR"
fds_text --as nobody -p "$N_parent"
rc_is "nobody, text -p its own process: exit 0" 0
check "nobody, text -p its own process: stderr says sharing with root's is unknown" \
	grep -q "is unknown: .*\b$R_pid (scenario)" <<<"$FDS_ERR"
fds_text --as nobody --check -p "$N_parent"
check "nobody, --check -p its own process: not incomplete (status OK/WARNING/CRITICAL, no 'incomplete')" \
	bash -c '[ "$1" -le 2 ] && ! grep -q incomplete "$2"' _ "$FDS_RC" "$(fds_out_file)"

nargs=(--argjson p "$N_parent" --argjson c "$N_child" --argjson f "$N_fd" --argjson pos "$N_pos")
if fds_json --as nobody -p "$N_parent"; then
	# Root's processes stay unreadable: that sharing with them is unknown
	# is said in JSON and on stderr, not by the exit status (as lsof).
	rc_is "nobody, -p its own process read in full: exit 0" 0
	jcheck "selection_complete is true, complete false" \
		'.selection_complete == true and .complete == false'
	jcheck "unreadable lists root's scenario with its comm" \
		'any(.unreadable[]; .pid == $p and .comm == "scenario" and .error == "EACCES")' \
		--argjson p "$R_pid"
	check "stderr names root's scenario: pid and comm" \
		grep -q "is unknown: .*\b$R_pid (scenario)" <<<"$FDS_ERR"
	jcheck "its own process is read in full, without error" \
		'proc($p) | .partial == false and .error == null' "${nargs[@]}"
	jcheck "kcmp worked unprivileged" '.scan.kcmp == "ok" and .scan.kcmp_calls > 0'
	jcheck "parent and child share one ofd at pos $N_pos" \
		'ofd_of($p; $f) != null and ofd_of($c; $f) == ofd_of($p; $f) and fd($p; $f).pos == $pos' \
		"${nargs[@]}"
	jcheck "and kcmp proved it" \
		'ofd(ofd_of($p; $f)) | .verified == true and holds(.; $p; $f) and holds(.; $c; $f)' \
		"${nargs[@]}"
fi

if fds_json --as nobody; then
	rc_is "nobody, overview: exit 1 (root's processes unreadable)" 1
	jcheck "overview complete is false" '.complete == false'
	jcheck "overview: root's scenario has error EACCES" \
		'proc($p).error == "EACCES"' --argjson p "$R_pid"
	jcheck "overview: nobody's pair is still one verified ofd" \
		'ofd(ofd_of($p; $f)) | .verified == true and holds(.; $p; $f) and holds(.; $c; $f)' \
		"${nargs[@]}"
fi

stop_scenario
