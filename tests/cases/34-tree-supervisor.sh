#!/usr/bin/env bash
# 34-tree-supervisor: a subreaper supervisor starts two services through
# launchers that setsid() and exit, each service forks a worker, then the
# first service is restarted: the supervisor adopted both services and the
# old service's worker (proven by the session rule), reaped what it ended,
# and is marked a subreaper; the workers under live services are not
# claimed either way.
# Every run is --source proc: the evidence rules alone, without the kernel's
# subreaper flags (37-tree-bpf checks those).
. "$TESTS/lib.sh"

start_scenario --as V supervisor
IFS=, read -r s1 s2 <<<"$V_services"
IFS=, read -r w1 w2 <<<"$V_workers"
a=(--argjson s "$V_supervisor" --argjson o "$V_orphan" --argjson x "$V_restarted"
   --argjson svc "[$V_services]" --argjson wrk "[$V_workers]")
if fds_json --source proc; then
	jcheck "the supervisor is a subreaper, from evidence" \
		'proc($s) | .subreaper == true and .source == "evidence"' "${a[@]}"
	jcheck "both services: ppid the supervisor, reparented, adopted by the subreaper" \
		'. as $r | all($svc[]; . as $v | $r | proc($v) | .ppid == $s and .reparented == true
		 and .adopted_by == $s and .adopter == "subreaper")' "${a[@]}"
	jcheck "the old service's worker ($V_orphan) was adopted by the supervisor" \
		'proc($o) | .ppid == $s and .reparented == true and .adopter == "subreaper"' "${a[@]}"
	jcheck "each live worker is its service's child, not claimed re-parented" \
		'. as $r | [$svc, $wrk] | transpose | all(.[]; . as [$v, $w] | $r | proc($w) | .ppid == $v and .reparented == null)' "${a[@]}"
	jcheck "the restarted service ($V_restarted) is gone, not a zombie" \
		'[.processes[] | select(.pid == $x)] | length == 0' "${a[@]}"
	jnone "no zombies anywhere" '.zombie_groups[] | .parent'
	jcheck "six processes in the supervisor's subtree" \
		'[.processes[] | select(.pid == $s or .ppid == $s or (.ppid as $q | $svc | index($q)))] | length == 6' "${a[@]}"
fi
if fds_text --source proc --tree --ascii -p "$V_supervisor"; then
	out=$(fds_out_file)
	check "tree: supervisor line marked subreaper" grep -Eq "^ *$V_supervisor .*subreaper" "$out"
	for p in "$s1" "$s2" "$V_orphan"; do
		check "tree: $p marked 'reparented (adopted by $V_supervisor: subreaper)'" \
			grep -Eq "^ *$p .*reparented \\(adopted by $V_supervisor: subreaper\\)" "$out"
	done
	check "tree: worker $w2 drawn under service $s2" \
		bash -c 'grep -A1 -E "^ *$1 " "$3" | grep -Eq "^ *$2 .*-scenario"' _ "$s2" "$w2" "$out"
	check "tree: 8 process lines: 1, the scenario, the supervisor and its 5" \
		test "$(grep -Ec "^ *[0-9]+ " "$out")" -eq 8
fi
stop_scenario V
