#!/usr/bin/env bash
# 22-path: "fdshare PATH" lists who holds a file, grouped by open file
# description.
. "$TESTS/lib.sh"

start_scenario --as F fork-offset
start_scenario --as T two-opens
fargs=(--argjson p "$F_parent" --argjson c "$F_child" --argjson f "$F_fd" --arg path "$F_path")
targs=(--argjson p "$T_pid" --argjson a "$T_fd_a" --argjson b "$T_fd_b" --arg path "$T_path")

if fds_json "$F_path"; then
	rc_is "PATH held by the fork-offset pair: exit 0" 0
	jcheck "both holders are listed with their fd on the file" \
		'[fd($p; $f), fd($c; $f) | select(.target == $path)] | length == 2' "${fargs[@]}"
	jcheck "one description, verified, held by both" \
		'ofd_of($p; $f) == ofd_of($c; $f)
		 and (ofd(ofd_of($p; $f)) | .verified == true and holds(.; $p; $f) and holds(.; $c; $f))' \
		"${fargs[@]}"
	jcheck "the two-opens process (holding another file) is not listed" \
		'[proc($t)] | length == 0' --argjson t "$T_pid"
fi

if fds_json "$T_path"; then
	rc_is "PATH held twice by one process: exit 0" 0
	jcheck "both fds are listed, on the file" \
		'[fd($p; ($a, $b)) | select(.target == $path)] | length == 2' "${targs[@]}"
	jcheck "as two descriptions" 'ofd_of($p; $a) != ofd_of($p; $b)' "${targs[@]}"
fi

if fds_json "$F_path" "$T_path"; then
	rc_is "two PATHs: exit 0" 0
	jcheck "two PATHs: all three processes are listed" \
		'[proc($p), proc($c), proc($t)] | length == 3' "${fargs[@]}" --argjson t "$T_pid"
fi

if fds_text "$F_path"; then
	rc_is "text PATH: exit 0" 0
	check "text PATH names the parent ($F_parent)" grep -qw "$F_parent" "$(fds_out_file)"
	check "text PATH names the child ($F_child)" grep -qw "$F_child" "$(fds_out_file)"
fi

unheld="$T_DIR/nobody-holds-me"
: >"$unheld"
fds_text "$unheld"
rc_is "a PATH nobody holds: exit 2" 2

stop_scenario
