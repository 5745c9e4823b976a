#!/usr/bin/env bash
# 20-json-contract: the JSON of schema 1, key by key: types of every stable
# key, ofd ids, and the consistency of "ofds" with the fds that hold them.
. "$TESTS/lib.sh"

start_scenario --as D dup
start_scenario --as F fork-offset
start_scenario --as L server-fork
start_scenario --as P pipe-exec
start_scenario --as W weird-names

# contract_checks LABEL: everything the schema promises, on the last JSON.
contract_checks() {
	local l=$1
	jcheck "$l: top level: schema 1, complete, version, scan, processes, ofds, findings" \
		'.schema == 1 and (.complete | type) == "boolean" and (.version | type) == "string"
		 and (.scan | type) == "object" and (.processes | type) == "array"
		 and (.ofds | type) == "array" and (.findings | type) == "array"'
	jcheck "$l: scan: counts are integers, kcmp is ok|EPERM|ENOSYS|disabled" \
		'.scan | (.processes | isint) and (.fds | isint) and (.unreadable | isint)
		 and (.kcmp_calls | isint) and (.kcmp | IN("ok", "EPERM", "ENOSYS", "disabled"))'
	jnone "$l: every process has every stable key, well typed" \
		'.processes[] | select(
		    (.pid | isint) and (.ppid | isint) and (.tgid | isint) and (.comm | type) == "string"
		    and (.cmdline | type) == "array" and all(.cmdline[]; type == "string")
		    and (.state | type) == "string" and (.uid | isint) and (.user | str_or_null)
		    and (.threads | isint) and (.nspid | type) == "array" and all(.nspid[]; isint)
		    and (.start_time | isint) and (.error | str_or_null)
		    and (.partial | type) == "boolean" and (.fds | type) == "array" | not)
		  | {pid, comm}'
	jnone "$l: every fd has an integer fd and an integer ofd id" \
		'.processes[] | .pid as $p | .fds[] | select((.fd | isint) and (.ofd | isint) | not)
		 | {pid: $p, fd, ofd}'
	jnone "$l: every readable fd has every stable key, well typed" \
		'.processes[] | .pid as $p | .fds[] | select(.error == null) | select(
		    (.type | IN("reg", "dir", "chr", "blk", "fifo", "pipe", "socket", "eventfd", "epoll",
		                "signalfd", "timerfd", "inotify", "fanotify", "pidfd", "memfd", "anon",
		                "unknown"))
		    and (.target | type) == "string" and (.mode | IN("r", "w", "rw", "path"))
		    and (.pos | isint) and (.flags | type) == "array"
		    and all(.flags[]; type == "string" and startswith("O_"))
		    and (.flags_octal | type) == "string" and (.flags_octal | test("^0[0-7]*$"))
		    and (.cloexec | type) == "boolean" and (.mnt_id | isint) and (.ino | isint)
		    and (.deleted | type) == "boolean" | not)
		  | {pid: $p, fd}'
	jnone "$l: flags never hold the access mode or O_CLOEXEC" \
		'.processes[] | .pid as $p | .fds[]
		 | select(any(.flags[]?; IN("O_RDONLY", "O_WRONLY", "O_RDWR", "O_CLOEXEC")))
		 | {pid: $p, fd, flags}'
	# O_PATH 010000000, O_APPEND 02000: mode and flags must agree with the
	# octal word they were decoded from.
	jnone "$l: mode and O_APPEND agree with flags_octal" \
		'.processes[] | .pid as $p | .fds[] | select(.error == null)
		 | (.flags_octal | oct) as $o
		 | (if ($o / 2097152 | floor) % 2 == 1 then "path" else ["r", "w", "rw"][$o % 4] end) as $m
		 | select(.mode != $m or ((($o / 1024 | floor) % 2 == 1) != any(.flags[]; . == "O_APPEND")))
		 | {pid: $p, fd, mode, flags, flags_octal}'
	jnone "$l: every ofds entry is well typed, with 2+ holders" \
		'.ofds[] | select(
		    (.id | isint) and (.verified | type) == "boolean"
		    and (.unverified_reason | . == null or IN("EPERM", "ENOSYS", "disabled", "ESRCH"))
		    and ((.verified == true) == (.unverified_reason == null))
		    and (.type | type) == "string" and (.target | type) == "string"
		    and (.mode | type) == "string" and (.pos | isint) and (.processes | isint)
		    and (.holders | type) == "array" and (.holders | length) >= 2
		    and all(.holders[]; (.pid | isint) and (.fd | isint)) | not)
		  | {id, verified, unverified_reason, holders}'
	jcheck "$l: ofd ids in ofds are unique" '[.ofds[].id] | (unique | length) == length'
	jnone "$l: every holder's fd exists, once, with that ofd id" \
		'. as $r | .ofds[] | .id as $id | .holders[] | . as $h
		 | select([$r.processes[] | select(.pid == $h.pid) | .fds[]
		           | select(.fd == $h.fd and .ofd == $id)] | length != 1)
		 | {ofd: $id, holder: $h}'
	jnone "$l: no holder is listed twice; processes = distinct holder pids" \
		'.ofds[] | select((.holders | unique | length) != (.holders | length)
		                  or .processes != ([.holders[].pid] | unique | length))
		 | {id, processes, holders}'
	jnone "$l: each ofds entry agrees with its holders' fds (type, mode, pos, target)" \
		'. as $r | .ofds[] | . as $o | $r.processes[] | .fds[] | select(.ofd == $o.id)
		 | select(.type != $o.type or .mode != $o.mode or .pos != $o.pos or .target != $o.target)
		 | {ofd: $o.id, fd, type, mode, pos, target}'
	jnone "$l: fds with one ofd id agree on ino, mnt_id, pos, mode and flags" \
		'[.processes[] | .pid as $p | .fds[] | select(.error == null) | . + {pid: $p}]
		 | group_by(.ofd)[] | select(map({ino, mnt_id, pos, mode, flags}) | unique | length > 1)
		 | map({pid, fd, ofd, ino, pos, mode})'
	jnone "$l: every description held by 2+ listed fds is in ofds" \
		'. as $r | [.processes[] | .pid as $p | .fds[] | {pid: $p, fd, ofd}] | group_by(.ofd)[]
		 | select(length >= 2) | select(.[0].ofd as $id | all($r.ofds[]; .id != $id))'
	jcheck "$l: fdshare does not list itself" \
		'all(.processes[]; .cmdline[0]? != $self)' --arg self "$FDSHARE"
	jcheck "$l: scan counts cover what is listed" \
		'.scan.processes >= ([.processes[] | select(.partial == false)] | length)
		 and .scan.fds >= ([.processes[] | select(.partial == false) | .fds[]] | length)'
	check "$l: the output is valid UTF-8" iconv -f UTF-8 -t UTF-8 -o /dev/null "$FDS_FILE"
	check "$l: every fd's type agrees with stat of the open file" fd_types_agree
}

if fds_json; then
	rc_is "overview exits 0" 0
	jcheck "overview is complete" '.complete == true'
	jcheck "overview: kcmp ok" '.scan.kcmp == "ok"'
	contract_checks overview
	jcheck "overview: the fork-offset pair is one verified ofd" \
		'ofd(ofd_of($p; $f)) | .verified == true and holds(.; $p; $f) and holds(.; $c; $f)' \
		--argjson p "$F_parent" --argjson c "$F_child" --argjson f "$F_fd"
fi

if fds_json -p "$D_pid,$F_parent,$L_child"; then
	rc_is "-p (three processes) exits 0" 0
	contract_checks "-p"
	jcheck "-p: the selected processes are listed in full" \
		'[proc($a, $b, $c) | .partial] == [false, false, false]' \
		--argjson a "$D_pid" --argjson b "$F_parent" --argjson c "$L_child"
	jcheck "-p: the server's parent is listed as partial (it shares the listener)" \
		'proc($p).partial == true' --argjson p "$L_parent"
	jcheck "-p: a process sharing nothing with the selection is not listed" \
		'[proc($p)] | length == 0' --argjson p "$P_child"
fi

if fds_json -p "$W_pid"; then
	contract_checks "weird names"
fi

stop_scenario
