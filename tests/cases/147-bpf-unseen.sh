#!/usr/bin/env bash
# 147-bpf-unseen: a process /proc shows that the BPF task iterator did not
# (measured: a sandbox whose PID 1 no task iterator visits) is listed from
# /proc, its fds unread, and said: in .unreadable, "complete": false, exit
# status 1, a line on stderr that names it and says --source proc reads it
# (src/scan/bpf_unseen.h).  The kernel here shows every process, so the
# test drops one from the task records as such a kernel would
# (FDSHARE_TEST_UNLIST_PID, fdshare(1) ENVIRONMENT).  Twins: the same
# process not dropped is read in full; one dropped that started just before
# the scan (less than the second fork may need to show a task to iterators)
# is a newcomer, not in this scan, and not called unreadable; with -p of
# another process only sharing with it is unknown (exit status 0).  Where
# BPF does not load, the case says why and skips.
. "$TESTS/lib.sh"

fds_json --source bpf
if [ "$FDS_RC" = 111 ]; then
	skip_case "BPF does not load here: $FDS_ERR"
fi

start_scenario dup
pid=$S_main
other=$(sleep 1000 >/dev/null 2>&1 </dev/null & echo $!)
sleep 1.5   # both there well before the scans below

# the twin first: not dropped, read in full
fds_json --source bpf
rc_is "not dropped: the scan is complete" 0
jcheck "not dropped: pid $pid read (error null, its fds listed)" \
	'[.processes[] | select(.pid == $p)] | length == 1 and .[0].error == null and (.[0].fds | length) > 0' --argjson p "$pid"

FDSHARE_TEST_UNLIST_PID=$pid fds_json --source bpf
rc_is "dropped from the task records: exit status 1" 1
jcheck "dropped: pid $pid listed from /proc (comm, ppid, state) with its fds unread (EOPNOTSUPP)" \
	'[.processes[] | select(.pid == $p)]
	| length == 1 and .[0].error == "EOPNOTSUPP" and .[0].comm == "scenario"
	  and .[0].ppid == $pp and (.[0].state | test("^[SR]$")) and (.[0].fds | length) == 0' --argjson p "$pid" --argjson pp "$$"
jcheck "dropped: in .unreadable and counted, the scan not complete" \
	'([.unreadable[] | select(.pid == $p and .error == "EOPNOTSUPP")] | length) == 1
	and .scan.unreadable >= 1 and .complete == false' --argjson p "$pid"
check "dropped: stderr names it and says --source proc reads it" \
	grep -q "could not be read (not shown by the BPF iterators; --source proc reads them): $pid (scenario)" "$T_DIR/fds.err"

fds_text --source bpf
FDSHARE_TEST_UNLIST_PID=$pid fds_text --source bpf -p "$pid"
rc_is "dropped and selected: -p exit status 1" 1
check "dropped and selected: the text says its fds were not readable" \
	grep -q "fds not readable: EOPNOTSUPP" "$T_DIR/fds.out"

FDSHARE_TEST_UNLIST_PID=$pid fds_json --source bpf -p "$other"
rc_is "dropped, another selected: exit status 0 (only sharing with it is unknown)" 0
jcheck "dropped, another selected: selection complete, the dropped one in .unreadable" \
	'.selection_complete == true and ([.unreadable[] | select(.pid == $p)] | length) == 1' --argjson p "$pid"
check "dropped, another selected: stderr says sharing with it is unknown" \
	grep -q "sharing with 1 process not readable (not shown by the BPF iterators; --source proc reads them) is unknown: $pid (scenario)" "$T_DIR/fds.err"

# the other twin: started just now, dropped: a newcomer, not in this scan
new=$(sleep 1000 >/dev/null 2>&1 </dev/null & echo $!)
t0=$EPOCHREALTIME
FDSHARE_TEST_UNLIST_PID=$new fds_json --source bpf
took=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print (b - a < 0.8) ? "fast" : "slow" }')
if [ "$took" = fast ]; then
	jcheck "started just before the scan and dropped: a newcomer, neither listed nor unreadable" \
		'([.processes[] | select(.pid == $p)] | length) == 0
		and ([.unreadable[] | select(.pid == $p)] | length) == 0' --argjson p "$new"
else
	skip "the scan took more than 0.8 s: a newcomer could not be told from an unseen process"
fi
kill "$other" "$new"
