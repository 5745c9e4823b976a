#!/usr/bin/env bash
# 30-tree-orphan: the seed's program (parent forks a child, the child forks a
# grandchild and exits), without and with PR_SET_CHILD_SUBREAPER.  Parent,
# child and grandchild share one session, so /proc holds no proof of the
# re-parenting: fdshare shows the adopter as the grandchild's parent, and
# must say "unknown" (null), never "not reparented" (false).
# Every run is --source proc: the evidence rules alone, without the kernel's
# subreaper flags (37-tree-bpf checks those).
. "$TESTS/lib.sh"

no_false() {
	jnone "$1: evidence never answers false (only true or null)" \
		'.processes[] | select(.subreaper == false or .reparented == false) | .pid'
}

start_scenario --as O orphan
check "orphan: the grandchild was adopted by pid 1 (the case's init)" test "$O_adopter" = 1
if fds_json --source proc; then
	a=(--argjson g "$O_grandchild" --argjson p "$O_parent")
	jcheck "orphan: grandchild's ppid is its adopter, 1" 'proc($g).ppid == 1' "${a[@]}"
	jcheck "orphan: pid 1 is a pid-ns init" 'proc(1).pidns_init == true'
	jcheck "orphan: same session, no proof: reparented null, source evidence" \
		'proc($g) | .reparented == null and .source == "evidence" and .adopted_by == null' "${a[@]}"
	jcheck "orphan: subreaper flags come from evidence" '.subreaper_source == "evidence"'
	jcheck "orphan: the dead child ($O_child) is not listed" \
		'[.processes[] | select(.pid == $c)] | length == 0' --argjson c "$O_child"
	no_false orphan
fi
if fds_text --source proc --tree --ascii -p "$O_grandchild"; then
	out=$(fds_out_file)
	check "orphan tree: line of 1 marked pid-ns init" grep -Eq '^ *1 .* pid-ns init' "$out"
	check "orphan tree: grandchild drawn as a child of 1" grep -Eq "^ *$O_grandchild [\`|]-scenario " "$out"
	check "orphan tree: no reparented mark without proof" \
		bash -c '! grep -Eq "^ *$1 .*reparented" "$2"' _ "$O_grandchild" "$out"
	check "orphan tree: says the marks are evidence only" grep -q 'evidence from /proc only' "$out"
fi
stop_scenario O

start_scenario --as R orphan-subreaper
check "orphan-subreaper: the grandchild was adopted by the parent" test "$R_adopter" = "$R_parent"
if fds_json --source proc; then
	a=(--argjson g "$R_grandchild" --argjson p "$R_parent")
	jcheck "orphan-subreaper: grandchild's ppid is the subreaper parent" 'proc($g).ppid == $p' "${a[@]}"
	jcheck "orphan-subreaper: one session, no proof: reparented null, subreaper null" \
		'(proc($g).reparented == null) and (proc($p).subreaper == null)' "${a[@]}"
	no_false orphan-subreaper
fi
if fds_text --source proc --tree --ascii -p "$R_parent"; then
	out=$(fds_out_file)
	check "orphan-subreaper tree: grandchild drawn under the parent" \
		bash -c 'grep -A1 -E "^ *$1 " "$3" | grep -Eq "^ *$2 +[\`|]-scenario"' _ "$R_parent" "$R_grandchild" "$out"
fi
stop_scenario R
