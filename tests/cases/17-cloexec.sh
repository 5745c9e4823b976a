#!/usr/bin/env bash
# 17-cloexec: close-on-exec belongs to the fd, not to the description: it is
# reported as "cloexec" and never among "flags".
. "$TESTS/lib.sh"

start_scenario cloexec
args=(--argjson p "$S_pid" --argjson c "$S_fd_cloexec" --argjson n "$S_fd_plain")

if fds_json -p "$S_pid"; then
	rc_is "-p exits 0" 0
	jcheck "fd $S_fd_cloexec (O_CLOEXEC): cloexec true" 'fd($p; $c).cloexec == true' "${args[@]}"
	jcheck "fd $S_fd_plain (plain): cloexec false" 'fd($p; $n).cloexec == false' "${args[@]}"
	jcheck "O_CLOEXEC is in neither fd's flags" \
		'[fd($p; ($c, $n))] | length == 2 and all(.[].flags[]; . != "O_CLOEXEC")' "${args[@]}"
	jcheck "both are mode r" '[fd($p; ($c, $n)) | .mode] == ["r", "r"]' "${args[@]}"
	jcheck "two opens: two ofd ids" 'ofd_of($p; $c) != ofd_of($p; $n)' "${args[@]}"
fi

if fds_text -p "$S_pid" -o FD,CLOEXEC -r -n; then
	# The CLOEXEC column's words are not in the contract: only ask that
	# the two rows differ.
	check "text: the CLOEXEC column tells the two fds apart" test \
		"$(grep -E "^$S_fd_cloexec " "$(fds_out_file)" | cut -d' ' -f2)" != \
		"$(grep -E "^$S_fd_plain " "$(fds_out_file)" | cut -d' ' -f2)"
fi

stop_scenario
