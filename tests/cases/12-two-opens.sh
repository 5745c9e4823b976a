#!/usr/bin/env bash
# 12-two-opens: two open() calls of one file make two descriptions, each with
# its own offset; same file is not same description.
. "$TESTS/lib.sh"

start_scenario two-opens
args=(--argjson p "$S_pid" --argjson a "$S_fd_a" --argjson b "$S_fd_b"
	--argjson pa "$S_pos_a" --argjson pb "$S_pos_b" --arg path "$S_path")

if fds_json -p "$S_pid"; then
	rc_is "-p exits 0" 0
	jcheck "both fds are the scenario's file" \
		'[fd($p; ($a, $b)) | select(.type == "reg" and .target == $path)] | length == 2' "${args[@]}"
	jcheck "fd $S_fd_a at pos $S_pos_a, fd $S_fd_b at pos $S_pos_b" \
		'fd($p; $a).pos == $pa and fd($p; $b).pos == $pb' "${args[@]}"
	jcheck "they have different ofd ids" \
		'ofd_of($p; $a) != null and ofd_of($p; $b) != null and ofd_of($p; $a) != ofd_of($p; $b)' \
		"${args[@]}"
	jcheck "neither description is listed as shared" \
		'ofd_of($p; $a) as $x | ofd_of($p; $b) as $y | all(.ofds[]; .id != $x and .id != $y)' \
		"${args[@]}"
	jcheck "same file: same ino and mnt_id" \
		'fd($p; $a).ino == fd($p; $b).ino and fd($p; $a).mnt_id == fd($p; $b).mnt_id' "${args[@]}"
fi

if fds_text -p "$S_pid" -o FD,SHARED; then
	rc_is "text -p exits 0" 0
	check "SHARED of fd $S_fd_a: no: fd $S_fd_b opens the same file separately" \
		grep -Eq "^ *$S_fd_a +no: fd $S_fd_b opens the same file separately *\$" "$(fds_out_file)"
	check "SHARED of fd $S_fd_b: no: fd $S_fd_a opens the same file separately" \
		grep -Eq "^ *$S_fd_b +no: fd $S_fd_a opens the same file separately *\$" "$(fds_out_file)"
fi

stop_scenario
