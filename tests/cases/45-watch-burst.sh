#!/usr/bin/env bash
# 45-watch-burst: 3000 short-lived processes: fdshare keeps up or reports
# the loss, never crashes.  Then a loss forced on purpose (fdshare stopped,
# a tiny receive buffer, a few hundred processes): a "lost" event, /proc
# re-read, and it goes on.
# needs: host pid namespace
. "$TESTS/lib.sh"
. "$TESTS/watch.sh"

watch_start --events fork,exit,lost || exit 1
start_scenario watch-burst
args=(--argjson p "$S_parent" --argjson n "$S_count")
# (At least: a sanitizer build of the scenario forks a helper of its own.
# The burst may take long on a loaded machine: no timing is asserted.)
W_WAIT=100 watch_wait "all $S_count exits are seen, or a loss is reported" \
	'([ev("exit") | select(.ppid == $p)] | length) >= $n or ([ev("lost")] | length) > 0' "${args[@]}"
stop_scenario
watch_stop INT
check "fdshare exits 0 (status $W_RC)" test "$W_RC" = 0
check "every line is one JSON object" w_lines_parse
wcheck "forks and exits of the burst: all $S_count, or a lost event says why not" \
	'(([ev("fork") | select(.ppid == $p)] | length) >= $n
	  and ([ev("exit") | select(.ppid == $p)] | length) >= $n) or ([ev("lost")] | length) > 0' \
	"${args[@]}"
wnone "each exit of the burst is code 0" 'ev("exit") | select(.ppid == $p and .code != 0)' "${args[@]}"

# The forced loss: 4 KiB of buffer while fdshare is stopped.
FDSHARE_WATCH_RCVBUF=4096 watch_start || exit 1
wcheck "the small buffer was granted (at most 64 KiB)" '.[0].rcvbuf <= 65536'
kill -STOP "$W_PID"
for ((i = 0; i < 300; i++)); do /bin/true; done
kill -CONT "$W_PID"
watch_wait "a lost event comes" 'ev("lost")'
# The buffer stays tiny: on a busy machine the kernel may drop events again
# at any time, the lifecycle's among them (a "lost" line comes before the
# next event read).  A lifecycle counts only when no loss was reported
# while it ran; up to 5 tries.
for ((try = 1; ; try++)); do
	from=$(wc -l <"$W_OUT")
	start_scenario --as L watch-lifecycle
	largs=(--argjson from "$from" --argjson k "$L_killed")
	deadline=$((SECONDS + 20))
	until w_true '.[$from:] | any(.event == "lost" or (.event == "exit" and .pid == $k))' "${largs[@]}"; do
		[ "$SECONDS" -lt "$deadline" ] && kill -0 "$W_PID" 2>/dev/null || break
		sleep 0.05
	done
	stop_scenario L
	w_true '.[$from:] | (map(.event == "exit" and .pid == $k) | index(true)) as $i
		| $i != null and all(.[:$i][]; .event != "lost")' "${largs[@]}" && break
	if [ "$try" -ge 5 ]; then
		fail "a lifecycle ran with no loss during it (5 tries)"
		note "fdshare's output (last 30 lines):" "$(tail -n 30 "$W_OUT")"
		break
	fi
	note "try $try: events were lost again while the lifecycle ran; once more"
done
wcheck "after it, fdshare still sees new processes: the killed child's exit" \
	'evp("exit"; $k) | .signal == "SIGKILL"' --argjson k "$L_killed"
watch_stop INT
check "fdshare exits 0 (status $W_RC)" test "$W_RC" = 0
check "every line is one JSON object" w_lines_parse
wcheck "lost: the kernel's buffer, and the processes known after re-reading /proc" \
	'[ev("lost")][0] | .reason == "kernel" and (.processes | isint) and .processes > 0'
wcheck "the summary counts the lost events" \
	'.[-1].counts.lost == ([ev("lost")] | length) and .[-1].counts.lost >= 1'
wcheck "the lifecycle after the loss is complete: forks, an exec, exits" \
	'([$a, $b, $c][] as $k | ([evp("fork"; $k)] | length) == 1)
	 and ([evp("exec"; $b)] | length) == 1 and ([$a, $c][] as $k | ([evp("exit"; $k)] | length) == 1)' \
	--argjson a "$L_exiter" --argjson b "$L_execer" --argjson c "$L_killed"
