#!/usr/bin/env bash
# 21-overview: the no-argument run sees the whole (namespace's) system,
# completely, and finds the sharing the scenarios built.
. "$TESTS/lib.sh"

start_scenario --as D dup
start_scenario --as F fork-offset
start_scenario --as T threads
# Processes we know exist: this shell (pid 1) and the scenarios' ones.
known="1,$D_pid,$F_parent,$F_child,$T_pid"

if fds_json; then
	rc_is "overview exits 0" 0
	jcheck "complete is true" '.complete == true'
	jcheck "scan counts > 0, none unreadable" \
		'.scan.processes > 0 and .scan.fds > 0 and .scan.unreadable == 0'
	jcheck "scan saw at least the 5 known processes" '.scan.processes >= 5'
	jcheck "sharing proven: by the kernel (the BPF source) or with kcmp, ok and used" \
		'(.scan.source == "bpf" and all(.ofds[]; .proof == "kernel")) or (.scan.kcmp == "ok" and .scan.kcmp_calls > 0)'
	jcheck "every known process is listed ($known)" \
		'[.processes[].pid] as $l | all($k[]; . as $x | $l | index($x))' --argjson k "[$known]"
	jcheck "the fork-offset pair is one verified ofd" \
		'ofd(ofd_of($p; $f)) | .verified == true and holds(.; $p; $f) and holds(.; $c; $f)' \
		--argjson p "$F_parent" --argjson c "$F_child" --argjson f "$F_fd"
	jcheck "the dup trio is one verified ofd" \
		'ofd(ofd_of($p; $a)) | .verified == true and (.holders | length) == 3
		 and holds(.; $p; $b) and holds(.; $p; $c)' \
		--argjson p "$D_pid" --argjson a "$D_fd" --argjson b "$D_dupfd" --argjson c "$D_fd2"
fi

if fds_text; then
	rc_is "text overview exits 0" 0
	out=$(fds_out_file)
	check "text overview is not empty" test -s "$out"
	check "text overview is valid UTF-8" iconv -f UTF-8 -t UTF-8 -o /dev/null "$out"
	check "text overview holds no control character but newline" \
		bash -c '! LC_ALL=C grep -q "[[:cntrl:]]" "$1"' _ "$out"
	check "text overview names the fork-offset parent ($F_parent)" grep -qw "$F_parent" "$out"
	check "text overview names the fork-offset child ($F_child)" grep -qw "$F_child" "$out"
	check "text overview has no (null)" bash -c '! grep -q "(null)" "$1"' _ "$out"
fi

stop_scenario
