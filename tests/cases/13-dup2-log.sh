#!/usr/bin/env bash
# 13-dup2-log: a log opened O_APPEND by the parent becomes the child's stdout
# (dup2 onto fd 1, then exec): one description across the two processes.
. "$TESTS/lib.sh"

start_scenario dup2-log
args=(--argjson p "$S_parent" --argjson c "$S_child" --argjson f "$S_fd"
	--argjson cf "$S_child_fd" --arg log "$S_log")

check "the child wrote its line through fd 1 into the log" grep -qx "child started" "$S_log"

if fds_json -p "$S_parent"; then
	rc_is "-p parent exits 0" 0
	jcheck "parent's fd $S_fd: the log, reg, mode w, O_APPEND, not cloexec" \
		'fd($p; $f) | .type == "reg" and .target == $log and .mode == "w"
		 and any(.flags[]; . == "O_APPEND") and .cloexec == false' "${args[@]}"
	jcheck "flags hold neither the access mode nor O_CLOEXEC" \
		'all(fd($p; $f).flags[]; IN("O_RDONLY", "O_WRONLY", "O_RDWR", "O_CLOEXEC") | not)' \
		"${args[@]}"
	jcheck "the child (now sleep) is listed" 'proc($c).comm == "sleep"' "${args[@]}"
	jcheck "child's fd 1: the log, mode w, O_APPEND" \
		'fd($c; $cf) | .target == $log and .mode == "w" and any(.flags[]; . == "O_APPEND")' \
		"${args[@]}"
	jcheck "child's fd 1 and parent's fd $S_fd share one ofd id" \
		'ofd_of($p; $f) != null and ofd_of($c; $cf) == ofd_of($p; $f)' "${args[@]}"
	jcheck "that ofd is verified, holders parent fd $S_fd and child fd 1, mode w" \
		'ofd(ofd_of($p; $f)) | .verified == true and .mode == "w" and .processes == 2
		 and holds(.; $p; $f) and holds(.; $c; $cf)' "${args[@]}"
fi

stop_scenario
