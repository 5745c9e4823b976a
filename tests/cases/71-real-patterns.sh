#!/usr/bin/env bash
# 71-real-patterns: what an admin's host runs, started as it is started:
# a cron-like O_TMPFILE capture of a job's output, a bash coproc (with
# fdshare run from that bash too), the flock idiom twice on one lock file,
# "yes | head -c 1G | sleep 300", "cmd >file 2>&1 &" jobs, tail -f on a
# deleted log (with its writer, and alone) and 17 inotify watches.  Each
# must get the verdict it deserves, and the whole namespace's overview
# nothing but the two deleted-open infos: normal operation is no finding.
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"
. "$TESTS/lib_real.sh"

# Every command of a "bash -c" below ends with ":" so that bash does not
# exec its last command: it stays, as a script's shell does.

# ---- bash coproc: bash waits for "sleep" (wait4(-1)) and will write ----
bash -c 'coproc RD { head -n 1; }; echo "$RD_PID" >"$1.tmp"; mv "$1.tmp" "$1"; sleep 300; :' \
	_ "$T_DIR/coproc.pid" &
coproc_bash=$!
wait_for "the coproc" test -s "$T_DIR/coproc.pid"
coproc_sub=$(cat "$T_DIR/coproc.pid")
wait_for "head in the coproc" child_named "$coproc_sub" head
coproc_rd=$(child_named "$coproc_sub" head)
wait_for "head (the coproc) blocked reading" blocked "$coproc_rd"
wait_for "the coproc's bash blocked waiting" blocked "$coproc_bash"
silent pipe-eof-blocked "$coproc_bash,$coproc_sub,$coproc_rd"
if fds_json -p "$coproc_bash,$coproc_rd"; then
	jcheck "coproc: head reads a pipe whose write end the coproc's bash holds (so the rule saw it)" \
		'fd($r; 0) as $in | .processes[] | select(.pid == $b) | any(.fds[]; .type == "pipe"
		 and .mode == "w" and .ino == $in.ino)' --argjson r "$coproc_rd" --argjson b "$coproc_bash"
fi
# The issue's own reproduction: fdshare run by the bash that owns the
# coproc, which waits for fdshare (its only other child) meanwhile.
bash -c 'coproc RD { head -n 1; }
	for t in $(seq 100); do
		h=$(pgrep -x -P "$RD_PID" head) && [ "$(cut -d" " -f1 "/proc/$h/syscall")" = 0 ] && break
		sleep 0.05
	done
	"$FDSHARE" --json -p "$$,$RD_PID,$h" >"$1"; :' _ "$T_DIR/coproc.json"
check "coproc, fdshare run by its bash: no pipe-eof-blocked (fdshare's ancestors are no evidence)" \
	bash -c 'jq -e "[.findings[] | select(.code == \"pipe-eof-blocked\")] == []" "$1"' _ "$T_DIR/coproc.json"

# ---- the flock idiom, twice: the second waits for the lock ----
for i in 1 2; do
	bash -c 'exec 9>"$1"; flock 9; sleep 300; :' _ "$T_DIR/job.lock" &
	lockers[i]=$!
done
wait_for "one locker to hold the lock (its sleep)" \
	bash -c 'pgrep -x -P "$1" sleep || pgrep -x -P "$2" sleep' _ "${lockers[1]}" "${lockers[2]}"
wait_for "the other to wait in flock" \
	bash -c 'pgrep -x -P "$1" flock || pgrep -x -P "$2" flock' _ "${lockers[1]}" "${lockers[2]}"
lock_pids="${lockers[1]},${lockers[2]}"
for p in "${lockers[@]}"; do
	for c in sleep flock; do
		q=$(child_named "$p" "$c") && lock_pids="$lock_pids,$q"
	done
done
if fds_json -p "$lock_pids"; then
	jnone "flock idiom: no finding at all (exec-leak, shared-offset-write, write-clobber)" \
		'.findings[] | "\(.severity) \(.code): \(.message)"'
	jcheck "flock idiom: fd 9 of the shell is shared with what it runs (so the rules saw it)" \
		'[.processes[] | .fds[] | select(.fd == 9 and .shared)] | length >= 4'
fi

# ---- a pipeline that stalls ----
bash -c 'yes | head -c 1G | sleep 300' &
pipeline=$!
wait_for "the pipeline's sleep" child_named "$pipeline" sleep
yes_pid=$(child_named "$pipeline" yes)
head_pid=$(child_named "$pipeline" head)
wait_for "yes blocked writing" blocked "$yes_pid"
wait_for "head blocked writing" blocked "$head_pid"
if fds_json -p "$pipeline,$yes_pid,$head_pid,$(child_named "$pipeline" sleep)"; then
	jnone "yes | head -c 1G | sleep 300: no finding" '.findings[] | "\(.severity) \(.code): \(.message)"'
	jcheck "the pipeline: yes writes the pipe head reads (so the rules saw it)" \
		'fd($y; 1).type == "pipe" and fd($y; 1).ino == fd($h; 0).ino' \
		--argjson y "$yes_pid" --argjson h "$head_pid"
fi

# ---- jobs with their output redirected: cmd >file 2>&1 & ----
for i in 1 2 3; do
	sh -c 'sleep 300; :' >"$T_DIR/job$i.log" 2>&1 &
	jobs_pids="${jobs_pids:+$jobs_pids,}$!"
done
wait_for "the jobs' sleeps" bash -c 'for p in ${1//,/ }; do pgrep -x -P "$p" sleep >/dev/null || exit 1; done' _ "$jobs_pids"
for p in ${jobs_pids//,/ }; do jobs_pids="$jobs_pids,$(child_named "$p" sleep)"; done
if fds_json -p "$jobs_pids"; then
	jnone "cmd >file 2>&1 &: no finding for the jobs" '.findings[] | "\(.severity) \(.code): \(.message)"'
	jcheck "the jobs' processes share their stdout description (so the rules saw it)" \
		'[.processes[] | .fds[] | select(.fd == 1 and .shared)] | length >= 6'
fi

# ---- tail -f on a deleted log: with its writer, and alone ----
log=$T_DIR/app.log
: >"$log"   # before tail -f opens it
bash -c 'while :; do echo line; sleep 0.2; done; :' >>"$log" &
writer=$!
tail -f "$log" >/dev/null &
tailer=$!
log2=$T_DIR/old.log
seq 1000 >"$log2"
tail -f "$log2" >/dev/null &
tailer2=$!
wait_for "tail -f to open the logs" bash -c 'ls -l /proc/$1/fd /proc/$2/fd | grep -q "app.log" &&
	ls -l /proc/$2/fd | grep -q old.log' _ "$tailer" "$tailer2"
rm "$log" "$log2"
fired deleted-open info "$writer,$tailer"
if fds_json -p "$writer,$tailer"; then
	jcheck "deleted log with its writer: no truncating advice (it is that writer's output)" \
		'.findings[] | select(.code == "deleted-open") | (.hint | contains("/proc/") | not)
		 and (.hint | contains("still has it open for writing")) and .evidence.writers >= 1'
fi
fired deleted-open info "$tailer2"
if fds_json -p "$tailer2"; then
	jcheck "deleted log only tail -f holds: truncating through /proc offered" \
		'.findings[] | select(.code == "deleted-open") | .hint | contains(": > /proc/\($t)/fd/")' \
		--argjson t "$tailer2"
fi

# ---- a cron-like job: its output in an O_TMPFILE file ----
# (scenarios last: the jobs above would keep their stdin open)
start_scenario --as C f-tmpfile-capture
if fds_json -p "$C_keeper,$C_job"; then
	jnone "cron-like O_TMPFILE capture: no finding" '.findings[] | "\(.severity) \(.code): \(.message)"'
fi

# ---- 17 inotify watches: the kernel prints their numbers in hex ----
start_scenario --as I inotify-many
if fds_json -p "$I_pid"; then
	jcheck "inotify: 17 watches, numbers 1 to 17" \
		'[fd($p; $f).inotify_watches[].wd] | sort == [range(1; 18)]' --argjson p "$I_pid" --argjson f "$I_fd"
fi

# ---- the whole namespace: nothing but the two deleted logs ----
if fds_json; then
	jcheck "overview: the findings are the 2 deleted-open infos, nothing else" \
		'[.findings[] | "\(.severity) \(.code)"] == ["info deleted-open", "info deleted-open"]'
	jnone "overview: no finding about the cron-like capture" \
		'.findings[] | select(any(.pids[]; . == $k or . == $j))' --argjson k "$C_keeper" --argjson j "$C_job"
fi
fds_text --check
rc_is "--check of the whole namespace: OK" 0

stop_scenario
# The rest ends with this case's pid namespace.
