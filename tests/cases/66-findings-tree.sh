#!/usr/bin/env bash
# 66-findings-tree: findings from the process tree.  A parent that never
# waits for its children is a zombie finding (warning, critical at --crit
# zombies); one that reaps in a loop is not.  A double-forked daemon, whose
# session proves it was adopted, is reparented (info); an orphan whose
# adoption /proc cannot prove is not (unknown is not a finding).
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"

start_scenario --as Z zombies-default
fired zombie warning "$Z_parent"
if fds_json -p "$Z_parent"; then
	jcheck "zombie: pids are the parent and its $Z_count zombies; evidence count and reason" \
		'.findings[] | select(.code == "zombie") | .pids == ([$p] + $z)
		 and .evidence.parent_pid == $p and .evidence.zombies == $n and .evidence.reason == "sigchld-default"' \
		--argjson p "$Z_parent" --argjson z "[$Z_zombies]" --argjson n "$Z_count"
fi
if fds_json -p "$Z_parent" --crit "zombies=$Z_count"; then
	jcheck "--crit zombies=$Z_count: critical" \
		'[.findings[] | select(.code == "zombie") | .severity] == ["critical"]'
fi
if fds_json -p "$Z_parent" --warn zombies=5; then
	jcheck "--warn zombies=5: $Z_count zombies are info" \
		'[.findings[] | select(.code == "zombie") | .severity] == ["info"]'
fi
if fds_text -p "$Z_parent"; then
	check "text: '$Z_parent (scenario) has $Z_count zombie children it has not reaped'" \
		grep -Eq "^WARNING zombie: $Z_parent \\(scenario\\) has $Z_count zombie children it has not reaped" \
		"$(fds_out_file)"
fi
fds_text --check -p "$Z_parent" --crit "zombies=$Z_count"
rc_is "--check --crit zombies=$Z_count: CRITICAL" 2
check "--check perfdata: zombies=$Z_count" grep -Eq " zombies=$Z_count( |\$)" "$(fds_out_file)"
stop_scenario Z

start_scenario --as K reaper-ok
silent zombie "$K_parent"
stop_scenario K

start_scenario --as D daemon
fired reparented info "$D_grandchild"
if fds_json -p "$D_grandchild"; then
	jcheck "reparented: adopted by 1, the pid namespace's init; evidence session" \
		'.findings[] | select(.code == "reparented") | .pids == [1, $g] and .evidence.adopter_pid == 1
		 and .evidence.adopter == "pidns_init" and .evidence.evidence == "session"' \
		--argjson g "$D_grandchild"
fi
stop_scenario D

start_scenario --as O orphan
silent reparented "$O_grandchild"
stop_scenario O
