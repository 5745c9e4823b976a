#!/usr/bin/env bash
# 61-findings-listener: a forked handler that kept the server's listening
# socket and never accepts on it is a listener-leak; a prefork server is
# not, even with one worker busy (not in accept) while scanned, nor with
# every worker busy while the master leaves accepting to them; nor a
# service handed the socket on another number (socket activation) that
# does not accept yet; nor is a
# new master after a binary upgrade whose workers (its children) wait in
# epoll_wait with the listener registered.  (tests/cases/70-real-nginx.sh
# does the same with nginx itself.)
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"

start_scenario --as L f-listener-leak
fired listener-leak warning "$L_server,$L_handler"
if fds_json -p "$L_handler"; then
	a=(--argjson s "$L_server" --argjson h "$L_handler" --argjson l "$L_lfd")
	jcheck "listener-leak: fds are the server's and the handler's listening fd" \
		'.findings[] | select(.code == "listener-leak") | .fds == [{pid: $s, fd: $l}, {pid: $h, fd: $l}]' "${a[@]}"
	jcheck "listener-leak: evidence tcp, port $L_port, socket:[$L_inode], 1 idle holder" \
		'.findings[] | select(.code == "listener-leak") | .evidence
		 | .protocol == "tcp" and .port == $port and .target == "socket:[\($i)]" and .idle_holders == 1' \
		"${a[@]}" --argjson port "$L_port" --arg i "$L_inode"
fi
if fds_text -p "$L_handler"; then
	check "text: the message gives the address and names the handler" \
		grep -Eq "^WARNING listener-leak: .*\\(tcp 127\\.0\\.0\\.1:$L_port\\) is held by $L_handler \\(scenario\\)" \
		"$(fds_out_file)"
fi
stop_scenario L

start_scenario --as P f-prefork
silent listener-leak "$P_parent,$P_workers,$P_epoller,$P_busy"
if fds_json -p "$P_busy"; then
	jcheck "prefork: the busy worker does hold the listener (so the rule saw it)" \
		'ofd_of($b; $l) == ofd_of($p; $l) and ofd_of($b; $l) != null' \
		--argjson b "$P_busy" --argjson p "$P_parent" --argjson l "$P_lfd"
fi
stop_scenario P

start_scenario --as B f-prefork-busy
silent listener-leak "$B_parent,$B_workers"
if fds_json -p "$B_workers"; then
	jcheck "prefork at its limit: both workers hold the listener, neither waits on it (so the rule saw it)" \
		'[.processes[] | select(.pid != $p) | .fds[] | select(.fd == $l and .shared)] | length == 2' \
		--argjson p "$B_parent" --argjson l "$B_lfd"
fi
stop_scenario B

start_scenario --as H f-listener-handover
silent listener-leak "$H_main,$H_service"
if fds_json -p "$H_service"; then
	jcheck "socket activation: the service holds our listener as fd $H_sfd, handed over (so the rule saw it)" \
		'ofd_of($s; $sf) == ofd_of($p; $l) and ofd_of($s; $sf) != null' \
		--argjson s "$H_service" --argjson sf "$H_sfd" --argjson p "$H_main" --argjson l "$H_lfd"
fi
stop_scenario H

start_scenario --as U f-listener-upgrade
silent listener-leak "$U_master,$U_workers"
if fds_json -p "$U_master"; then
	jcheck "upgrade twin: the new master inherited the listener from us and holds it (so the rule saw it)" \
		'ofd_of($m; $l) == ofd_of($p; $l) and ofd_of($m; $l) != null' \
		--argjson m "$U_master" --argjson p "$U_main" --argjson l "$U_lfd"
fi
stop_scenario U
