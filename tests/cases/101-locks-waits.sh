#!/usr/bin/env bash
# 101-locks-waits: who waits for whom.  A waiter is shown with its pid,
# thread and fd under the lock it waits for, beside what each holder is
# doing.  lock-wait when the holder is stopped; its twin (the holder only
# sleeps) stays silent.  lock-deadlock when two processes wait for each
# other's flock; its twin (a plain wait, no cycle) stays silent.  A chain (a
# waits for b, b for the stopped c) is followed to its end.  An OFD deadlock
# too, though /proc/locks names none of its waiters (pid -1).
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"
. "$TESTS/lib_locks.sh"

# ---- a waiter, its holder sleeping: the twin of both findings ----
start_scenario --as W l-waiter
a=(--argjson h "$W_holder" --argjson w "$W_waiter" --argjson hf "$W_hfd" --argjson wf "$W_wfd")
if fds_json -p "$W_holder,$W_waiter"; then
	jcheck "waiter: the holder's fd $W_hfd shows the flock with one waiter: pid, thread, fd $W_wfd" \
		'fd($h; $hf).locks | length == 1 and .[0].kind == "flock" and (.[0].waiters
		 | length == 1 and .[0].pid == $w and .[0].tid == $w and .[0].fd == $wf
		 and .[0].kind == "flock" and .[0].type == "write" and .[0].depth == 1)' "${a[@]}"
	jcheck "waiter: its own fd $W_wfd (another description) carries no lock" \
		'fd($w; $wf).locks == [] and ofd_of($w; $wf) != ofd_of($h; $hf)' "${a[@]}"
	jcheck "waiter: top level says the waiter is blocked in flock and the holder sleeps in pause" \
		'.locks[] | select(.kind == "flock") | (.waiters[0].activity | test("flock on fd [0-9]+"))
		 and (.holders[0].pid == $h) and (.holders[0].activity | test("^sleeping in "))' "${a[@]}"
fi
if fds_json "$W_path"; then
	lslocks_agree "waiter: lslocks -J lists the same held lock (its waiter as WRITE*)" "$W_path"
fi
if fds_text "$W_path"; then
	check "PATH text: a Waiting: line names the waiter, the lock and the holder's state" \
		grep -Eq "^  $W_waiter \\(scenario\\) fd $W_wfd waits for lock [0-9]+ \\(flock write\\), held by $W_holder \\(scenario\\): sleeping in " \
		"$(fds_out_file)"
fi
silent lock-wait "$W_holder,$W_waiter"
silent lock-deadlock "$W_holder,$W_waiter"
stop_scenario W

# ---- the holder is stopped: lock-wait ----
start_scenario --as S l-wait-stopped
fired lock-wait warning "$S_holder,$S_waiter"
if fds_json -p "$S_waiter"; then
	a=(--argjson h "$S_holder" --argjson w "$S_waiter")
	jcheck "lock-wait: a POSIX waiter (from /proc/locks) with its thread and fd" \
		'.locks[] | select(.kind == "posix") | .pid == $h and .waiters[0].pid == $w
		 and .waiters[0].tid == $w and .waiters[0].fd == $f' "${a[@]}" --argjson f "$S_wfd"
	jcheck "lock-wait: evidence blocking_pid is the holder, blocking_state 'stopped (T)'" \
		'.findings[] | select(.code == "lock-wait") | .evidence.blocking_pid == $h
		 and .evidence.blocking_state == "stopped (T)" and .evidence.kind == "posix"' "${a[@]}"
fi
if fds_text -p "$S_waiter"; then
	check "lock-wait text: names the waiter, the lock, the stopped holder and kill -CONT" \
		bash -c 'grep -Eq "^WARNING lock-wait: $1 \\(scenario\\) waits for lock [0-9]+ \\(posix write 0-EOF on .*stopped\\.lock\\) through fd $3, held by $2 \\(scenario\\), stopped \\(T\\)" "$4" &&
			grep -q "kill -CONT $2" "$4"' _ "$S_waiter" "$S_holder" "$S_wfd" "$(fds_out_file)"
fi
silent lock-deadlock "$S_holder,$S_waiter"
stop_scenario S

# ---- two flocks taken in opposite orders: lock-deadlock ----
start_scenario --as D l-deadlock
fired lock-deadlock critical "$D_a,$D_b"
if fds_json -p "$D_a"; then
	a=(--argjson a "$D_a" --argjson b "$D_b")
	jcheck "lock-deadlock: fds are each one's held and waiting fd" \
		'.findings[] | select(.code == "lock-deadlock") | .fds == [{pid: $a, fd: $a1}, {pid: $a, fd: $a2},
		 {pid: $b, fd: $b2}, {pid: $b, fd: $b1}] and .evidence.processes == 2
		 and .evidence.waiting_behind == 0' "${a[@]}" --argjson a1 "$D_a_fd1" --argjson a2 "$D_a_fd2" \
		--argjson b1 "$D_b_fd1" --argjson b2 "$D_b_fd2"
	jcheck "lock-deadlock: each lock's waiter is the other process" \
		'[.locks[] | select(.kind == "flock") | [.holders[0].pid, .waiters[0].pid]] | sort == ([[$a, $b], [$b, $a]] | sort)' "${a[@]}"
fi
if fds_text -p "$D_a"; then
	check "lock-deadlock text: both waits and 'none of them can go on'" \
		grep -Eq "^CRITICAL lock-deadlock: deadlock: $D_a \\(scenario\\) waits for lock [0-9]+ \\(flock write on .*two\\.lock\\) through fd $D_a_fd2, held by $D_b \\(scenario\\); $D_b \\(scenario\\) waits for lock [0-9]+ \\(flock write on .*one\\.lock\\) through fd $D_b_fd1, held by $D_a \\(scenario\\): none of them can go on" \
		"$(fds_out_file)"
fi
silent lock-wait "$D_a,$D_b"
stop_scenario D

# ---- a chain: a waits for b, b waits for the stopped c: lock-wait for both ----
start_scenario --as C l-wait-chain
fired lock-wait warning "$C_a,$C_b,$C_c"
if fds_json -p "$C_a"; then
	a=(--argjson a "$C_a" --argjson b "$C_b" --argjson c "$C_c")
	jcheck "chain: a's lock-wait ends at the stopped c (blocking_pid), naming a, b and c" \
		'[.findings[] | select(.code == "lock-wait" and (.pids | index($a)))] | length == 1
		 and .[0].evidence.blocking_pid == $c and .[0].evidence.blocking_state == "stopped (T)"
		 and .[0].pids == ([$a, $b, $c] | sort)' "${a[@]}"
fi
if fds_text -p "$C_a"; then
	check "chain text: a waits, held by b, which waits for a lock held by c, stopped (T)" \
		grep -Eq "^WARNING lock-wait: $C_a \\(scenario\\) waits for lock [0-9]+ \\(flock write on .*first\\.lock\\) through fd $C_a_fd, held by $C_b \\(scenario\\), which waits for lock [0-9]+ \\(flock write on .*second\\.lock\\) held by $C_c \\(scenario\\), stopped \\(T\\)" \
		"$(fds_out_file)"
fi
if fds_text "$C_path1"; then
	check "chain PATH text: a's Waiting line says its holder b is itself waiting for another lock" \
		grep -Eq "^  $C_a \\(scenario\\) fd $C_a_fd waits for lock [0-9]+ \\(flock write\\), held by $C_b \\(scenario\\): sleeping in flock on fd $C_b_fd2 .*, itself waiting for lock [0-9]+$" \
		"$(fds_out_file)"
fi
silent lock-deadlock "$C_a,$C_b,$C_c"
stop_scenario C

# ---- the same with OFD locks: /proc/locks prints their waiters as pid -1 ----
start_scenario --as O l-deadlock-ofd
fired lock-deadlock critical "$O_a,$O_b"
if fds_json -p "$O_a"; then
	jcheck "OFD deadlock: each OFD lock's waiter is named (pid, thread, fd) from its blocked thread" \
		'[.locks[] | select(.kind == "ofd" and (.waiters | length) > 0)
		  | [.holders[0].pid, .waiters[0].pid, .waiters[0].tid == .waiters[0].pid, .waiters[0].fd]]
		 | sort == ([[$a, $b, true, $b1], [$b, $a, true, $a2]] | sort)' \
		--argjson a "$O_a" --argjson b "$O_b" --argjson a2 "$O_a_fd2" --argjson b1 "$O_b_fd1"
fi
stop_scenario O
