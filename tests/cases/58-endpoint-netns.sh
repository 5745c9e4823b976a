#!/usr/bin/env bash
# 58-endpoint-netns: sockets in network namespaces other than fdshare's are
# resolved (as root, each namespace is entered once, from a thread):
# two namespaces each hold a loopback connection on the same port number,
# and each end is linked within its own namespace only.  A socketpair in
# fdshare's own namespace, held by processes scanned after the others, is
# still resolved: fdshare's own namespace is untouched.
. "$TESTS/lib.sh"

start_scenario ep-netns
start_scenario --as U unix-pair
ends='def ends($p; $f): [fd($p; $f) | .endpoints[]? | {pid, fd}] | sort_by(.pid, .fd);'
args=(--argjson p "$S_pid" --argjson l "$S_lfd" --argjson cf "$S_cfd" --argjson a "$S_afd"
	--argjson port "$S_port" --argjson c "$S_child" --argjson nl "$S_nlfd" --argjson ncf "$S_ncfd"
	--argjson na "$S_nafd" --argjson s0 "$S_spfd0" --argjson s1 "$S_spfd1"
	--argjson up "$U_parent" --argjson uc "$U_child" --argjson upf "$U_pfd" --argjson ucf "$U_cfd")

check "three network namespaces: the scenario's, its child's and ours" \
	bash -c '[ "$1" != "$2" ] && [ "$1" != "$3" ] && [ "$2" != "$3" ]' _ \
	"$S_netns" "$S_child_netns" "$(stat -L -c %i /proc/self/ns/net)"
check "the unix-pair processes are scanned after the others (higher pids)" \
	test "$U_parent" -gt "$S_child"

if fds_json -p "$S_pid,$S_child,$U_parent"; then
	rc_is "-p exits 0" 0
	jcheck "no socket says its other end is unknown" \
		'[.processes[].fds[] | select(.type == "socket") | .endpoint_error] | all(. == null)'
	jcheck "first namespace: client and accepted socket lead to each other" \
		"$ends"' ends($p; $cf) == [{pid: $p, fd: $a}] and ends($p; $a) == [{pid: $p, fd: $cf}]' \
		"${args[@]}"
	jcheck "second namespace: the same, within the child" \
		"$ends"' ends($c; $ncf) == [{pid: $c, fd: $na}] and ends($c; $na) == [{pid: $c, fd: $ncf}]' \
		"${args[@]}"
	jcheck "both listeners are on 127.0.0.1:$S_port, one per namespace" \
		'fd($p; $l).local == {address: "127.0.0.1", port: $port}
		 and fd($c; $nl).local == {address: "127.0.0.1", port: $port}
		 and fd($p; $l).state == "LISTEN" and fd($c; $nl).state == "LISTEN"' "${args[@]}"
	jcheck "no end crosses namespaces" \
		'[fd($p; $cf, $a) | .endpoints[].pid] | all(. == $p)' "${args[@]}"
	jcheck "the socketpair in the second namespace" \
		"$ends"' ends($c; $s0) == [{pid: $c, fd: $s1}]' "${args[@]}"
	jcheck "the socketpair in fdshare's own namespace, scanned last, is resolved" \
		"$ends"' ends($up; $upf) == [{pid: $uc, fd: $ucf}]' "${args[@]}"
fi

if fds_text -p "$S_child" -o FD,ENDPOINT --type tcp; then
	out=$(fds_out_file)
	check "text, second namespace: the client reads '127.0.0.1:N -> 127.0.0.1:$S_port ESTABLISHED, peer $S_child fd $S_nafd'" \
		grep -Eq "^ *$S_ncfd +127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:$S_port ESTABLISHED, peer $S_child fd $S_nafd *\$" "$out"
	check "text, second namespace: '127.0.0.1:$S_port LISTEN, 0 pending (backlog 4)'" \
		grep -Eq "^ *$S_nlfd +127\.0\.0\.1:$S_port LISTEN, 0 pending \(backlog 4\) *\$" "$out"
fi

stop_scenario
