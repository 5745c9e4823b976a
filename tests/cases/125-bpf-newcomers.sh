#!/usr/bin/env bash
# 125-bpf-newcomers: the BPF source lists the processes (task iterators)
# and reads their fds (task_file iterator) at the same time, on two
# threads.  A process started while they run may be listed after the fd
# iterator passed its PID (PIDs reused in a small pid namespace come back
# below where the iterator is): it is read again, never shown holding no
# fds.  Here a spawner holding 40 fds forks 600 long-lived children, one
# every 20 ms (each inherits the 40 fds and keeps them: none exits while
# fdshare runs), after PIDs were made to wrap, while fdshare --source bpf
# scans again and again; every child listed, not a zombie, must show its
# 40 fds.  The twin: a child that closed all its fds is listed with none.  Where BPF does not load, or the pid namespace has no
# pid_max of its own (Linux 6.14), the case says why and skips.
. "$TESTS/lib.sh"

fds_json --source bpf
if [ "$FDS_RC" = 111 ]; then
	skip_case "BPF does not load here: $FDS_ERR"
fi
if ! { printf '%s\n' 6.14 "$(uname -r)" | sort -V -C && echo 2000 >/proc/sys/kernel/pid_max 2>/dev/null; }; then
	skip_case "PIDs cannot be made to wrap here (a pid namespace's own pid_max needs Linux 6.14)"
fi

# the twin: a child without fds (all closed), long-lived
(
	for f in /proc/$BASHPID/fd/*; do
		eval "exec ${f##*/}>&-"
	done
	exec sleep 1000
) &
nofds=$!

# PIDs wrap: the next ones are reused numbers, below the highest in use
for ((i = 0; i < 2100; i++)); do /bin/true; done

files=$(mktemp -d "$T_DIR/files.XXXXXX")
mkfifo "$files/tick"
spawn() {
	local i
	for ((i = 10; i < 50; i++)); do
		eval "exec $i>\"$files/f$i\""
	done
	exec 9<>"$files/tick"
	for ((i = 0; i < 600; i++)); do
		sleep 1000 &
		read -r -t 0.02 -u 9   # a pause without a process that exits
	done
	wait
}
spawn </dev/null >/dev/null 2>&1 &
spawner=$!

# children of the spawner listed alive with fewer than its 40 extra fds
few='[.processes[] | select(.ppid == $s and .state != "Z")
	| select([.fds[] | select(.fd >= 10 and .fd < 50)] | length != 40)
	| "pid \(.pid) (\(.comm)): \([.fds[] | select(.fd >= 10 and .fd < 50)] | length) of the 40 fds"]
	| .[]'
scans=0 bad=0 children=0
end=$((SECONDS + 30))
while [ "$SECONDS" -lt "$end" ]; do
	fds_json --source bpf
	scans=$((scans + 1))
	[ "$FDS_RC" = 0 ] || { bad=$((bad + 1)); note "exit $FDS_RC: $FDS_ERR"; continue; }
	out=$(jq -r --argjson s "$spawner" "$few" "$FDS_FILE")
	if [ -n "$out" ]; then
		bad=$((bad + 1))
		note "$out"
	fi
	children=$(jq --argjson s "$spawner" '[.processes[] | select(.ppid == $s)] | length' "$FDS_FILE")
	[ "$children" -ge 600 ] && break
done
note "$scans scans while the spawner's children went up to $children"
check "every child listed alive shows the 40 fds it holds, in every scan" test "$bad" = 0
check "the scans ran while children were being started" test "$scans" -ge 2

fds_json --source bpf
check "the twin: a child that holds no fds is listed with none" \
	test "$(jq --argjson p "$nofds" '[.processes[] | select(.pid == $p) | .fds | length] | .[0]' "$FDS_FILE")" = 0

kill "$nofds" 2>/dev/null
kill $(pgrep -P "$spawner") 2>/dev/null
wait "$spawner" 2>/dev/null
