#!/usr/bin/env bash
# 54-endpoint-tcp: a TCP listener on 127.0.0.1 inherited by a forked child,
# an established loopback connection (client in another process, accepted
# here) and a connection waiting in the backlog.  Local and remote address,
# state, and the holders of the other end, found by the reversed 4-tuple.
. "$TESTS/lib.sh"

start_scenario ep-tcp
ends='def ends($p; $f): [fd($p; $f) | .endpoints[]? | {pid, fd}] | sort_by(.pid, .fd);'
args=(--argjson p "$S_parent" --argjson lc "$S_lchild" --argjson l "$S_lfd" --argjson port "$S_port"
	--argjson backlog "$S_backlog" --argjson c "$S_client" --argjson cf "$S_cfd"
	--argjson a "$S_afd" --argjson pc "$S_pclient" --argjson pf "$S_pfd")

if fds_json -p "$S_parent,$S_lchild,$S_client,$S_pclient"; then
	rc_is "-p (four processes) exits 0" 0
	jcheck "listener: tcp, LISTEN on 127.0.0.1:$S_port, no remote, 1 pending, backlog $S_backlog" \
		'fd($p; $l) | .protocol == "tcp" and .state == "LISTEN" and .listening == true
		 and .local == {address: "127.0.0.1", port: $port} and .remote == null
		 and .pending == 1 and .backlog == $backlog' "${args[@]}"
	jcheck "listener: held by parent and child as one description" \
		'ofd_of($p; $l) == ofd_of($lc; $l) and ofd(ofd_of($p; $l)).verified' "${args[@]}"
	jcheck "listener: its other end is the waiting client (from both holders)" \
		"$ends"' ends($p; $l) == [{pid: $pc, fd: $pf}] and ends($lc; $l) == [{pid: $pc, fd: $pf}]' \
		"${args[@]}"
	jcheck "client: ESTABLISHED to 127.0.0.1:$S_port, other end the accepted socket" \
		"$ends"' fd($c; $cf) | .state == "ESTABLISHED" and .remote == {address: "127.0.0.1", port: $port}
		 and .awaiting_accept == false' "${args[@]}"
	jcheck "client leads to the accepted socket, and back" \
		"$ends"' ends($c; $cf) == [{pid: $p, fd: $a}] and ends($p; $a) == [{pid: $c, fd: $cf}]' \
		"${args[@]}"
	jcheck "accepted socket: local is the listener's address, remote the client's local" \
		'fd($p; $a).local == fd($p; $l).local and fd($p; $a).remote == fd($c; $cf).local' "${args[@]}"
	jcheck "waiting client: awaiting accept by both holders of the listener" \
		"$ends"' fd($pc; $pf).awaiting_accept == true
		 and ends($pc; $pf) == ([{pid: $p, fd: $l}, {pid: $lc, fd: $l}] | sort_by(.pid, .fd))' \
		"${args[@]}"
fi

if fds_text -p "$S_parent,$S_client" -o FD,ENDPOINT --type tcp; then
	out=$(fds_out_file)
	check "text: '127.0.0.1:$S_port LISTEN, 1 pending (backlog $S_backlog): $S_pclient (scenario) fd $S_pfd'" \
		grep -Eq "^ *$S_lfd +127\.0\.0\.1:$S_port LISTEN, 1 pending \(backlog $S_backlog\): $S_pclient \(scenario\) fd $S_pfd *\$" "$out"
	check "text: the client reads '127.0.0.1:N -> 127.0.0.1:$S_port ESTABLISHED, peer $S_parent (scenario) fd $S_afd'" \
		grep -Eq "^ *$S_cfd +127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:$S_port ESTABLISHED, peer $S_parent \(scenario\) fd $S_afd *\$" "$out"
fi

stop_scenario
