#!/usr/bin/env bash
# 103-waits-read-once: what threads wait in is read once per process, and
# only for the processes a finding or an output field needs (lock holders
# while the source has them pinned; lock waiters, listener holders, pipe
# readers whose EOF may never come and their waiting ancestors after), with
# both sources.  Each reader that is read has its finding: a lock waiter
# (not a holder) shows what it is blocked in, lock-wait fires behind a
# stopped holder, pipe-eof-blocked fires for a reader whose writer is its
# parent waiting for it, listener-leak for a handler that kept the
# listener.  The look-alikes stay silent: a waiter behind a sleeping holder,
# and a reader whose writer is its sibling waiting for a child of its own
# (not an ancestor: its waits are not even read).
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"

for src in auto proc; do
	s=(--source "$src")

	start_scenario --as W l-waiter
	if fds_json "${s[@]}" -p "$W_holder,$W_waiter"; then
		jcheck "$src: a waiter that holds no lock is shown blocked in flock, its holder sleeping" \
			'.locks[] | select(.kind == "flock") | (.waiters[0].pid == $w)
			 and (.waiters[0].activity | test("flock on fd [0-9]+"))
			 and (.holders[0].pid == $h) and (.holders[0].activity | test("^sleeping in "))' \
			--argjson h "$W_holder" --argjson w "$W_waiter"
	fi
	wchan=$(cat "/proc/$W_waiter/wchan" 2>/dev/null)
	if [ -n "$wchan" ] && [ "$wchan" != 0 ] && fds_json "${s[@]}" -p "$W_waiter"; then
		jcheck "$src: the waiter's activity names the kernel function it sleeps in ($wchan)" \
			'.locks[] | select(.kind == "flock") | .waiters[0].activity | endswith("(" + $c + ")")' \
			--arg c "$wchan"
	fi
	silent lock-wait "$W_holder,$W_waiter" "${s[@]}"
	stop_scenario W

	start_scenario --as S l-wait-stopped
	fired lock-wait warning "$S_holder,$S_waiter" "${s[@]}"
	if fds_json "${s[@]}" -p "$S_waiter"; then
		jcheck "$src: lock-wait: the waiter's thread and fd, the holder stopped (T)" \
			'(.locks[] | select(.kind == "posix") | .waiters[0].pid == $w and .waiters[0].tid == $w)
			 and (.findings[] | select(.code == "lock-wait") | .evidence.blocking_state == "stopped (T)")' \
			--argjson w "$S_waiter"
	fi
	stop_scenario S

	start_scenario --as P f-pipe-wait
	fired pipe-eof-blocked warning "$P_writer,$P_reader" "${s[@]}"
	stop_scenario P

	start_scenario --as B f-pipe-sibling-wait
	silent pipe-eof-blocked "$B_writer,$B_reader" "${s[@]}"
	if fds_json "${s[@]}" -p "$B_writer,$B_reader"; then
		jcheck "$src: sibling twin: the sibling holds the write end of the pipe cat reads" \
			'any(proc($w) | .fds[]; .target == "pipe:[\($i)]" and .mode == "w")
			 and fd($r; 0).target == "pipe:[\($i)]"' \
			--argjson w "$B_writer" --argjson r "$B_reader" --arg i "$B_inode"
		jcheck "$src: sibling twin: the writer is not the reader's parent" \
			'[.processes[] | select(.pid == $r) | .ppid != $w] == [true]' \
			--argjson r "$B_reader" --argjson w "$B_writer"
	fi
	stop_scenario B

	start_scenario --as L f-listener-leak
	fired listener-leak warning "$L_server,$L_handler" "${s[@]}"
	stop_scenario L
done
