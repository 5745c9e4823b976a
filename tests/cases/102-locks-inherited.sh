#!/usr/bin/env bash
# 102-locks-inherited: a daemon's pidfile flock kept alive by a helper it
# exec'd after the daemon ended is lock-inherited; the twins stay silent:
# prefork workers sharing the master's flock (the master that took it still
# holds it), and the shell idiom "exec 9>lock; flock 9; cmd" while the
# script runs (the shell holds fd 9; its commands inherit it on purpose),
# also when that shell was itself re-parented.
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"

start_scenario --as P l-pidfile
fired lock-inherited warning "$P_helper"
if fds_json -p "$P_helper"; then
	a=(--argjson h "$P_helper" --argjson f "$P_fd" --arg path "$P_path")
	jcheck "lock-inherited: the helper's fd $P_fd carries the flock" \
		'fd($h; $f).locks | length == 1 and .[0].kind == "flock"' "${a[@]}"
	jcheck "lock-inherited: fds, evidence target, ofd, holder_exe (sleep)" \
		'ofd_of($h; $f) as $o | .findings[] | select(.code == "lock-inherited")
		 | .fds == [{pid: $h, fd: $f}] and .evidence.target == $path and .evidence.ofd == $o
		 and (.evidence.holder_exe | endswith("/sleep"))' "${a[@]}"
fi
if fds_text -p "$P_helper"; then
	check "lock-inherited text: names the helper, its fd, and how it is released" \
		bash -c 'grep -Eq "^WARNING lock-inherited: lock [0-9]+ \\(flock write on .*daemon\\.pid\\) is kept by $1 \\(sleep\\) fd $2, which inherited it" "$3" &&
			grep -Eq "^    hint: the lock is released when $1 \\(sleep\\) closes fd $2 or ends" "$3"' \
		_ "$P_helper" "$P_fd" "$(fds_out_file)"
fi
stop_scenario P

# Twin: prefork workers share the flock the master took and still holds.
start_scenario --as F l-flock-fork
silent lock-inherited "$F_parent,$F_workers"
stop_scenario F

# Twin: the shell idiom, while the script runs.
lockf=$(mktemp "$T_DIR/shell-lock.XXXXXX")
(
	exec 9>"$lockf"
	flock 9
	sleep 300 &
	echo $! >"$T_DIR/sleep.pid"
	wait
) &
shell=$!
for _ in $(seq 100); do [ -s "$T_DIR/sleep.pid" ] && break; sleep 0.05; done
sleeper=$(cat "$T_DIR/sleep.pid")
if fds_json -p "$shell,$sleeper"; then
	jcheck "shell idiom: the flock shows on fd 9 of the shell and of its command" \
		'[fd($s; 9), fd($c; 9)] | length == 2 and all(.[]; .locks[0].kind == "flock")' \
		--argjson s "$shell" --argjson c "$sleeper"
fi
silent lock-inherited "$shell,$sleeper"
kill "$sleeper" 2>/dev/null
wait "$shell" 2>/dev/null

# Twin: the same idiom in a shell whose parent has ended (started under
# setsid, its parent gone): re-parented, but a shell at the top is the
# lock's owner, not an heir.
lockf2=$(mktemp "$T_DIR/shell-lock2.XXXXXX")
setsid -f bash -c '(
	exec 9>"$1"
	flock 9
	sleep 300 &
	echo $! >"$2.tmp" && mv "$2.tmp" "$2"
	echo $BASHPID >"$3.tmp" && mv "$3.tmp" "$3"
	wait
) &' _ "$lockf2" "$T_DIR/sleep2.pid" "$T_DIR/shell2.pid" </dev/null >/dev/null 2>&1
for _ in $(seq 100); do [ -s "$T_DIR/sleep2.pid" ] && [ -s "$T_DIR/shell2.pid" ] && break; sleep 0.05; done
sleeper2=$(cat "$T_DIR/sleep2.pid")
shell2=$(cat "$T_DIR/shell2.pid")
if fds_json -p "$shell2,$sleeper2"; then
	jcheck "re-parented shell idiom: the shell is proven re-parented and holds the flock on fd 9" \
		'proc($s).reparented == true and (fd($s; 9).locks[0].kind == "flock")
		 and (fd($c; 9).locks[0].kind == "flock")' --argjson s "$shell2" --argjson c "$sleeper2"
fi
silent lock-inherited "$shell2,$sleeper2"
kill "$sleeper2" 2>/dev/null
for _ in $(seq 100); do kill -0 "$shell2" 2>/dev/null || break; sleep 0.05; done
