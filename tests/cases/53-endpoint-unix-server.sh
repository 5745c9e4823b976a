#!/usr/bin/env bash
# 53-endpoint-unix-server: a unix stream server on a path, client A
# accepted, client B still in the backlog, each client another process.
# The listener names its pending client; the accepted socket and A name
# each other; B is "awaiting accept" by the listener's holder.  "fdshare
# SOCKET-PATH" finds the sockets bound to that file.
. "$TESTS/lib.sh"

start_scenario ep-unix-server
ends='def ends($p; $f): [fd($p; $f) | .endpoints[]? | {pid, fd}] | sort_by(.pid, .fd);'
args=(--argjson s "$S_pid" --argjson l "$S_lfd" --argjson a "$S_afd" --arg path "$S_path"
	--argjson ca "$S_client_a" --argjson fa "$S_fd_a" --argjson cb "$S_client_b"
	--argjson fb "$S_fd_b" --argjson aino "$S_aino" --argjson backlog "$S_backlog")

if fds_json -p "$S_pid,$S_client_a,$S_client_b"; then
	rc_is "-p server,A,B exits 0" 0
	jcheck "listener: its path, LISTEN, 1 pending, backlog $S_backlog" \
		'fd($s; $l) | .name == $path and .state == "LISTEN" and .listening == true
		 and .pending == 1 and .backlog == $backlog' "${args[@]}"
	jcheck "listener: its other end is B's socket, waiting in the backlog" \
		"$ends"' ends($s; $l) == [{pid: $cb, fd: $fb}]' "${args[@]}"
	jcheck "accepted socket: leads to A" "$ends"' ends($s; $a) == [{pid: $ca, fd: $fa}]' "${args[@]}"
	jcheck "A: peer_ino is the accepted socket, leads back to it, not awaiting accept" \
		"$ends"' fd($ca; $fa).peer_ino == $aino and ends($ca; $fa) == [{pid: $s, fd: $a}]
		 and fd($ca; $fa).awaiting_accept == false' "${args[@]}"
	jcheck "B: awaiting accept, its other end is the listener's holder" \
		"$ends"' fd($cb; $fb).awaiting_accept == true and ends($cb; $fb) == [{pid: $s, fd: $l}]' \
		"${args[@]}"
fi

if fds_text -p "$S_pid,$S_client_b" -o FD,ENDPOINT; then
	out=$(fds_out_file)
	check "text: the listener reads 'LISTEN <path>, 1 pending (backlog 4): $S_client_b (scenario) fd $S_fd_b'" \
		grep -Fq "LISTEN $S_path, 1 pending (backlog 4): $S_client_b (scenario) fd $S_fd_b" "$out"
	check "text: B reads 'awaiting accept by $S_pid (scenario) fd $S_lfd'" \
		grep -Eq "^ *$S_fd_b +awaiting accept by $S_pid \(scenario\) fd $S_lfd *\$" "$out"
fi

if fds_json "$S_path"; then
	rc_is "fdshare SOCKET-PATH exits 0" 0
	jcheck "PATH lists the listener and the accepted socket (both bound to the file)" \
		'[.processes[] | .pid as $p | .fds[] | {pid: $p, fd}] | sort_by(.pid, .fd)
		 == ([{pid: $s, fd: $l}, {pid: $s, fd: $a}] | sort_by(.fd))' "${args[@]}"
fi
if fds_text "$S_path" -o PID,FD,TYPE; then
	check "text PATH: the listener's row" grep -Eq "^ *$S_pid +$S_lfd +socket *\$" "$(fds_out_file)"
fi

stop_scenario
