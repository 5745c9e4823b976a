#!/usr/bin/env bash
# 48-watch-thread: a process whose main thread forks a child and ends with
# pthread_exit() while another thread lives: the child is adopted by a
# thread of the same group (reparent, adopter "thread"), and the process
# has not exited; it exits when its last thread does.
# needs: host pid namespace
. "$TESTS/lib.sh"
. "$TESTS/watch.sh"

watch_start -p $$ || exit 1
start_scenario watch-thread-orphan
args=(--argjson p "$S_parent" --argjson q "$S_process" --argjson k "$S_child")
watch_wait "the child's reparent shows up" 'evp("reparent"; $k)' "${args[@]}"
wnone "no exit of the process while its other thread lives" 'evp("exit"; $q)' "${args[@]}"
stop_scenario
watch_wait "the process's exit shows up once the scenario ends it" 'evp("exit"; $q)' "${args[@]}"
watch_stop INT
check "fdshare exits 0 (status $W_RC)" test "$W_RC" = 0
check "every line is one JSON object" w_lines_parse
wcheck "fork: the process forked the child from its main thread" \
	'[evp("fork"; $k)] | length == 1 and .[0].ppid == $q and .[0].parent_tid == $q' "${args[@]}"
wcheck "reparent: adopted by another thread of the same process, born of it" \
	'[evp("reparent"; $k)][0] | .adopter == "thread" and .ppid == $q
	 and .old_ppid == $q and .birth_ppid == $q' "${args[@]}"
wcheck "the thread adoption came before the process exited" \
	'[.[] | select((.event == "reparent" and .pid == $k) or (.event == "exit" and .pid == $q))
	  | .event][0:2] == ["reparent", "exit"]' "${args[@]}"
wcheck "exit: the process, once, killed by SIGTERM" \
	'[evp("exit"; $q)] | length == 1 and .[0].signal == "SIGTERM" and .[0].ppid == $p' "${args[@]}"
