#!/usr/bin/env bash
# 31-tree-daemon: the double-forked daemon (fork, setsid, fork, exit): its
# session is not its adopter's, which proves the re-parenting.  Adopted by
# the pid namespace's init, then by a subreaper parent, which is marked.
# Every run is --source proc: the evidence rules alone, without the kernel's
# subreaper flags (37-tree-bpf checks those).
. "$TESTS/lib.sh"

start_scenario --as D daemon
check "daemon: adopted by pid 1" test "$D_adopter" = 1
if fds_json --source proc; then
	a=(--argjson g "$D_grandchild")
	jcheck "daemon: ppid 1, reparented true by the session rule" \
		'proc($g) | .ppid == 1 and .reparented == true and .reparent_evidence == ["session"]' "${a[@]}"
	jcheck "daemon: adopted_by 1, adopter pidns_init" \
		'proc($g) | .adopted_by == 1 and .adopter == "pidns_init" and .source == "evidence"' "${a[@]}"
	jcheck "daemon: init that adopts is not called a subreaper" 'proc(1).subreaper == null'
	jcheck "daemon: its session id is the dead launcher's" \
		'proc($g).sid == $c' "${a[@]}" --argjson c "$D_child"
fi
if fds_text --source proc --tree --ascii; then
	out=$(fds_out_file)
	check "daemon tree: marked 'reparented (adopted by 1: pid-ns init)'" \
		grep -Eq "^ *$D_grandchild .*reparented \\(adopted by 1: pid-ns init\\)" "$out"
fi
stop_scenario D

start_scenario --as S daemon-subreaper
check "daemon-subreaper: adopted by the parent" test "$S_adopter" = "$S_parent"
if fds_json --source proc; then
	a=(--argjson g "$S_grandchild" --argjson p "$S_parent")
	jcheck "daemon-subreaper: reparented true, adopted_by the parent, adopter subreaper" \
		'proc($g) | .ppid == $p and .reparented == true and .adopted_by == $p and .adopter == "subreaper"' "${a[@]}"
	jcheck "daemon-subreaper: the parent is a subreaper (source evidence)" \
		'proc($p) | .subreaper == true and .source == "evidence" and .pidns_init == false' "${a[@]}"
	jnone "daemon-subreaper: no other process is called a subreaper" \
		'.processes[] | select(.subreaper == true and .pid != $p) | .pid' "${a[@]}"
fi
if fds_text --source proc --tree --ascii -p "$S_grandchild"; then
	out=$(fds_out_file)
	check "daemon-subreaper tree: the parent's line is marked subreaper" \
		grep -Eq "^ *$S_parent .*subreaper" "$out"
	check "daemon-subreaper tree: 'reparented (adopted by $S_parent: subreaper)'" \
		grep -Eq "^ *$S_grandchild .*reparented \\(adopted by $S_parent: subreaper\\)" "$out"
fi
if LC_ALL=C.UTF-8 fds_text --source proc --tree; then
	check "daemon-subreaper tree: Unicode branches in a UTF-8 locale" \
		bash -c 'LC_ALL=C.UTF-8 grep -q "└─" "$1"' _ "$(fds_out_file)"
fi
if LC_ALL=C fds_text --source proc --tree; then
	out=$(fds_out_file)
	check "daemon-subreaper tree: ASCII branches when the locale is not UTF-8" \
		grep -Eq "^ *$S_grandchild +[\`|]-scenario" "$out"
	check "daemon-subreaper tree: no byte above 127 then" \
		bash -c '! LC_ALL=C grep -q "[^[:print:][:space:]]" "$1"' _ "$out"
fi
if LC_ALL=C.UTF-8 fds_text --source proc --tree --ascii; then
	check "daemon-subreaper tree: --ascii forces ASCII in a UTF-8 locale" \
		bash -c '! LC_ALL=C grep -q "[^[:print:][:space:]]" "$1"' _ "$(fds_out_file)"
fi
stop_scenario S
