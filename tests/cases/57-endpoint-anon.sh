#!/usr/bin/env bash
# 57-endpoint-anon: what the other anon-inode kinds refer to: a signalfd's
# signals, a timerfd's clock and timer, the inode an inotify fd watches,
# and the process a pidfd refers to before it ends, as a zombie, and once
# reaped.
. "$TESTS/lib.sh"

start_scenario --as N ep-anon
start_scenario --as D ep-pidfd
nargs=(--argjson p "$N_pid" --argjson s "$N_sfd" --argjson t "$N_tfd" --argjson i "$N_idle"
	--argjson n "$N_ifd" --argjson dino "$N_dir_ino" --arg dev "$(stat -c '%Hd:%Ld' "$N_dir")")
dargs=(--argjson p "$D_pid" --argjson f "$D_pfd" --argjson c "$D_child")

if fds_json -p "$N_pid"; then
	rc_is "ep-anon: exits 0" 0
	jcheck "signalfd: signals SIGUSR1 and SIGUSR2, no endpoints" \
		'fd($p; $s) | .type == "signalfd" and .signals == ["SIGUSR1", "SIGUSR2"] and .endpoints == null' \
		"${nargs[@]}"
	jcheck "timerfd: CLOCK_MONOTONIC, every 5 s, next within 100 s" \
		'fd($p; $t) | .clock == "CLOCK_MONOTONIC" and .timer.interval_ns == 5000000000
		 and .timer.value_ns > 0 and .timer.value_ns <= 100000000000 and (.timer.ticks | isint)' \
		"${nargs[@]}"
	jcheck "idle timerfd: CLOCK_REALTIME, disarmed" \
		'fd($p; $i) | .clock == "CLOCK_REALTIME" and .timer.value_ns == 0 and .timer.interval_ns == 0' \
		"${nargs[@]}"
	jcheck "inotify: one watch, on the temp dir's inode and device" \
		'fd($p; $n).inotify_watches | length == 1 and .[0].ino == $dino and .[0].dev == $dev
		 and (.[0].wd | isint)' "${nargs[@]}"
fi
if fds_text -p "$N_pid" -o FD,ENDPOINT; then
	out=$(fds_out_file)
	check "text: 'signals USR1,USR2'" grep -Eq "^ *$N_sfd +signals USR1,USR2 *\$" "$out"
	check "text: 'MONOTONIC, next in N.NNNs, every 5.000s, 0 ticks'" \
		grep -Eq "^ *$N_tfd +MONOTONIC, next in [0-9]+\.[0-9]{3}s, every 5\.000s, 0 ticks *\$" "$out"
	check "text: 'REALTIME, disarmed, 0 ticks'" grep -Eq "^ *$N_idle +REALTIME, disarmed, 0 ticks *\$" "$out"
	check "text: '1 watch: ino $N_dir_ino on ...'" \
		grep -Eq "^ *$N_ifd +1 watch: ino $N_dir_ino on [0-9]+:[0-9]+ *\$" "$out"
fi

# pidfd: alive, then a zombie, then reaped
if fds_json -p "$D_pid"; then
	jcheck "pidfd of a live child: pidfd_pid is the child" 'fd($p; $f).pidfd_pid == $c' "${dargs[@]}"
fi
if fds_text -p "$D_pid" -o FD,ENDPOINT --type pidfd; then
	check "text: 'pid $D_child (scenario)'" grep -Eq "^ *$D_pfd +pid $D_child \(scenario\) *\$" "$(fds_out_file)"
fi
kill -USR1 "$D_pid"
for ((t = 0; t < 100; t++)); do
	[ "$(cut -d' ' -f3 "/proc/$D_child/stat" 2>/dev/null)" = Z ] && break
	sleep 0.05
done
check "the child is a zombie now" test "$(cut -d' ' -f3 "/proc/$D_child/stat")" = Z
if fds_json -p "$D_pid"; then
	jcheck "pidfd of a zombie: still its pid" 'fd($p; $f).pidfd_pid == $c' "${dargs[@]}"
fi
if fds_text -p "$D_pid" -o FD,ENDPOINT --type pidfd; then
	check "text: 'pid $D_child (scenario), zombie'" \
		grep -Eq "^ *$D_pfd +pid $D_child \(scenario\), zombie *\$" "$(fds_out_file)"
fi
kill -USR2 "$D_pid"
for ((t = 0; t < 100; t++)); do
	kill -0 "$D_child" 2>/dev/null || break
	sleep 0.05
done
check "the child is reaped now" bash -c '! kill -0 "$1" 2>/dev/null' _ "$D_child"
if fds_json -p "$D_pid"; then
	jcheck "pidfd of a reaped child: pidfd_pid null" \
		'fd($p; $f) | .type == "pidfd" and .pidfd_pid == null' "${dargs[@]}"
fi
if fds_text -p "$D_pid" -o FD,ENDPOINT --type pidfd; then
	check "text: 'reaped'" grep -Eq "^ *$D_pfd +reaped *\$" "$(fds_out_file)"
fi

stop_scenario
