#!/usr/bin/env bash
# 16-threads: threads share one fd table: the process is listed once, with
# its thread count, never once per thread.
. "$TESTS/lib.sh"

start_scenario threads
args=(--argjson p "$S_pid" --argjson f "$S_fd" --argjson n "$S_threads" --arg path "$S_path")
# The thread ids, from /proc, not from fdshare.
tids=$(ls "/proc/$S_pid/task" | grep -vx "$S_pid" | paste -sd, -)
check "the scenario really has $S_threads threads" \
	test "$(ls "/proc/$S_pid/task" | wc -l)" -eq "$S_threads"

if fds_json -p "$S_pid"; then
	rc_is "-p exits 0" 0
	jcheck "threads is $S_threads" 'proc($p).threads == $n' "${args[@]}"
	jcheck "the process appears once, tgid = pid" \
		'[proc($p)] | length == 1 and .[0].tgid == $p' "${args[@]}"
	jcheck "its fd $S_fd is listed once" \
		'[fd($p; $f)] | length == 1 and .[0].target == $path' "${args[@]}"
	jcheck "the fd is not shared with the threads (one fd table)" \
		'all(.ofds[]; holds(.; $p; $f) | not)' "${args[@]}"
fi

# -p with a thread id shows the process (threads share its fd table)
tid=${tids%%,*}
if [ -n "$tid" ] && fds_json -p "$tid"; then
	rc_is "-p THREAD-ID exits 0" 0
	jcheck "-p $tid (a thread) lists its process $S_pid with fd $S_fd" \
		'[.processes[] | select(.partial == false) | .pid] == [$p] and ([fd($p; $f)] | length == 1)' "${args[@]}"
fi

if fds_json; then
	jcheck "overview: the process appears once" '[proc($p)] | length == 1' "${args[@]}"
	jcheck "overview: no thread id ($tids) is listed as a process" \
		'all(.processes[]; .pid as $x | $tids | index($x) | not)' \
		"${args[@]}" --argjson tids "[$tids]"
	jcheck "overview: every process has pid = tgid" 'all(.processes[]; .pid == .tgid)'
fi

stop_scenario
