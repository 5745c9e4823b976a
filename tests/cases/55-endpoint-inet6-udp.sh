#!/usr/bin/env bash
# 55-endpoint-inet6-udp: TCP over ::1 (protocol tcp6), a UDP pair connected
# to each other, and a UDP client connected to an unconnected UDP socket:
# each names the other end's holder.  --type tcp6 and --type udp.
. "$TESTS/lib.sh"

start_scenario ep-inet6-udp
ends='def ends($p; $f): [fd($p; $f) | .endpoints[]? | {pid, fd}] | sort_by(.pid, .fd);'
args=(--argjson p "$S_parent" --argjson c "$S_child" --argjson l "$S_lfd6" --argjson a "$S_afd6"
	--argjson cf "$S_cfd6" --argjson port "$S_port6" --argjson u "$S_ufd" --argjson uport "$S_uport"
	--argjson cu "$S_cufd" --argjson s "$S_sfd" --argjson c2 "$S_child2" --argjson c2f "$S_c2fd")

if fds_json -p "$S_parent,$S_child,$S_child2"; then
	rc_is "-p (three processes) exits 0" 0
	jcheck "tcp6 listener on [::1]:$S_port6" \
		'fd($p; $l) | .protocol == "tcp6" and .state == "LISTEN" and .local == {address: "::1", port: $port}' \
		"${args[@]}"
	jcheck "tcp6 client: to [::1]:$S_port6, leads to the accepted socket, and back" \
		"$ends"' fd($c; $cf).protocol == "tcp6" and fd($c; $cf).remote == {address: "::1", port: $port}
		 and ends($c; $cf) == [{pid: $p, fd: $a}] and ends($p; $a) == [{pid: $c, fd: $cf}]' "${args[@]}"
	jcheck "udp pair: ours is udp, ESTABLISHED on 127.0.0.1:$S_uport, leads to the child's socket" \
		"$ends"' fd($p; $u) | .protocol == "udp" and .state == "ESTABLISHED"
		 and .local == {address: "127.0.0.1", port: $uport}' "${args[@]}"
	jcheck "udp pair: each leads to the other" \
		"$ends"' ends($p; $u) == [{pid: $c, fd: $cu}] and ends($c; $cu) == [{pid: $p, fd: $u}]' \
		"${args[@]}"
	jcheck "unconnected udp socket: UNCONN, no remote, no known sender" \
		'fd($p; $s) | .state == "UNCONN" and .remote == null and .endpoints == []' "${args[@]}"
	jcheck "a udp client connected to it leads to it" \
		"$ends"' ends($c2; $c2f) == [{pid: $p, fd: $s}]' "${args[@]}"
fi

if fds_json -p "$S_parent" --type udp; then
	jcheck "--type udp: the parent's two udp sockets only" \
		'[proc($p).fds[] | .fd] == ([$u, $s] | sort)' "${args[@]}"
fi
if fds_json -p "$S_parent" --type tcp6; then
	jcheck "--type tcp6: the listener and the accepted socket only" \
		'[proc($p).fds[] | .fd] == ([$l, $a] | sort)' "${args[@]}"
fi
if fds_text -p "$S_child" -o FD,ENDPOINT --type tcp6; then
	check "text: '[::1]:N -> [::1]:$S_port6 ESTABLISHED, peer $S_parent (scenario) fd $S_afd6'" \
		grep -Eq "^ *$S_cfd6 +\[::1\]:[0-9]+ -> \[::1\]:$S_port6 ESTABLISHED, peer $S_parent \(scenario\) fd $S_afd6 *\$" \
		"$(fds_out_file)"
fi

stop_scenario
