#!/usr/bin/env bash
# 52-endpoint-unix: a socketpair split across fork names the other process
# as its peer (UNIX_DIAG_PEER); an abstract-name listener shows its name
# as "@name", its state and backlog, and the accepted socket its client.
. "$TESTS/lib.sh"

start_scenario --as U unix-pair
start_scenario --as A ep-abstract
ends='def ends($p; $f): [fd($p; $f) | .endpoints[]? | {pid, fd}] | sort_by(.pid, .fd);'
uargs=(--argjson p "$U_parent" --argjson c "$U_child" --argjson pf "$U_pfd" --argjson cf "$U_cfd"
	--argjson pino "$U_pino" --argjson cino "$U_cino")
aargs=(--argjson p "$A_pid" --argjson l "$A_lfd" --argjson a "$A_afd" --argjson c "$A_child"
	--argjson cf "$A_cfd" --arg name "@$A_name")

if fds_json -p "$U_parent,$U_child"; then
	rc_is "socketpair: -p parent,child exits 0" 0
	jcheck "parent's end: unix stream, ESTABLISHED, peer_ino is the child's socket" \
		'fd($p; $pf) | .protocol == "unix" and .socket_type == "stream" and .state == "ESTABLISHED"
		 and .peer_ino == $cino and .listening == false and .pending == null and .name == null
		 and .local == null and .endpoint_error == null' "${uargs[@]}"
	jcheck "parent's end leads to the child's fd $U_cfd" "$ends"' ends($p; $pf) == [{pid: $c, fd: $cf}]' \
		"${uargs[@]}"
	jcheck "child's end: peer_ino is the parent's socket, and leads back to fd $U_pfd" \
		"$ends"' fd($c; $cf).peer_ino == $pino and ends($c; $cf) == [{pid: $p, fd: $pf}]' "${uargs[@]}"
fi
if fds_text -p "$U_parent" -o FD,ENDPOINT; then
	check "text: 'peer $U_child (scenario) fd $U_cfd'" \
		grep -Eq "^ *$U_pfd +peer $U_child \(scenario\) fd $U_cfd *\$" "$(fds_out_file)"
fi
if fds_json -p "$U_parent" --type unix; then
	jcheck "--type unix lists the socket, and only sockets" \
		'[proc($p).fds[] | .fd] == [$pf] and fd($p; $pf).type == "socket"' "${uargs[@]}"
fi
if fds_json -p "$U_parent" --type tcp,udp; then
	jcheck "--type tcp,udp leaves the unix socket out" '[proc($p).fds[]] == []' "${uargs[@]}"
fi

if fds_json -p "$A_pid,$A_child"; then
	rc_is "abstract: exits 0" 0
	jcheck "the listener: name @$A_name, LISTEN, 0 pending, backlog 4, no endpoint" \
		'fd($p; $l) | .name == $name and .state == "LISTEN" and .listening == true
		 and .pending == 0 and .backlog == 4 and .endpoints == []' "${aargs[@]}"
	jcheck "the accepted socket has the listener's name and leads to the child's fd $A_cfd" \
		"$ends"' fd($p; $a).name == $name and ends($p; $a) == [{pid: $c, fd: $cf}]
		 and fd($p; $a).peer_ino == fd($c; $cf).ino' "${aargs[@]}"
	jcheck "the client (unnamed) leads to the accepted socket" \
		"$ends"' fd($c; $cf).name == null and ends($c; $cf) == [{pid: $p, fd: $a}]' "${aargs[@]}"
fi
if fds_text -p "$A_pid" -o FD,ENDPOINT; then
	out=$(fds_out_file)
	check "text: 'LISTEN @$A_name, 0 pending (backlog 4)'" \
		grep -Eq "^ *$A_lfd +LISTEN @$A_name, 0 pending \(backlog 4\) *\$" "$out"
	check "text: '@$A_name peer $A_child (scenario) fd $A_cfd'" \
		grep -Eq "^ *$A_afd +@$A_name peer $A_child \(scenario\) fd $A_cfd *\$" "$out"
fi

stop_scenario
