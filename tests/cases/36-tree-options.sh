#!/usr/bin/env bash
# 36-tree-options: --tree with selections, exit statuses, usage errors, and
# JSON listing exactly the tree view (ancestry and subtree of -p).
. "$TESTS/lib.sh"

start_scenario --as S daemon-subreaper
start_scenario --as F fork-offset

if fds_json --tree -p "$S_parent"; then
	rc_is "--tree -p --json exits 0" 0
	jcheck "--tree -p lists the ancestry and subtree only: 1, scenario's parent, it, its grandchild" \
		'[.processes[].pid] == ([1, $pp, $p, $g] | unique)' \
		--argjson p "$S_parent" --argjson g "$S_grandchild" \
		--argjson pp "$(awk '{print $4}' "/proc/$S_parent/stat")"
	jcheck "--tree -p: each listed process in full" 'all(.processes[]; .partial == false)'
	jnone "--tree -p: the other scenario is not listed" \
		'.processes[] | select(.pid == $x) | .pid' --argjson x "$F_parent"
fi
if fds_json --tree; then
	jcheck "--tree --json: every process (both scenarios)" \
		'[.processes[].pid] as $l | all($k[]; . as $x | $l | index($x))' \
		--argjson k "[$S_parent,$S_grandchild,$F_parent,$F_child]"
fi
if fds_text --tree -p 999999; then
	rc_is "--tree -p of no such process exits 2" 2
fi
if fds_text --tree /etc/passwd; then
	rc_is "--tree with a PATH is a usage error (100)" 100
fi
if fds_text --help; then
	check "--help names --tree, --ascii and --kernel-threads" \
		bash -c 'grep -q -- "--tree" "$1" && grep -q -- "--ascii" "$1" && grep -q -- "--kernel-threads" "$1"' _ "$(fds_out_file)"
fi
if fds_text --tree -n -r; then
	out=$(fds_out_file)
	check "--tree -n: no header" bash -c '! grep -q "^ *PID COMMAND" "$1"' _ "$out"
	check "--tree -r: raw rows" grep -Eq "^$S_grandchild [^ ]*scenario S [0-9]+ 1 " "$out"
fi
# The documentation covers what this capability added.
top=$(dirname "$TESTS")
man="$top/man/fdshare.1"
for o in tree ascii kernel-threads; do
	pat=$(printf '%s' "--$o" | sed 's/-/\\-/g')     # roff: \-\-kernel\-threads
	check "man page documents --$o" grep -qF -- ".B $pat" "$man"
done
for k in pidns_init zombie subreaper reparented source reparent_evidence adopted_by adopter \
	subreaper_source zombie_groups parent_comm parent_state parent_pidns_init age_seconds \
	reasons explanation hint heir; do
	check "man page documents the JSON key $k" grep -Eq "^\.BR? ($k|.*\" $k)( |$)" "$man"
done
for r in parent-stopped parent-traced parent-uninterruptible sigchld-blocked sigchld-ignored \
	pidns-init sigchld-caught sigchld-default; do
	check "man page documents the zombie reason $r" grep -q "^\.BR\? ${r//-/\\\\-}" "$man"
done
for f in fdshare.bash _fdshare fdshare.fish; do
	check "completion $f offers --tree, --ascii, --kernel-threads" \
		bash -c 'grep -q -- "tree" "$1" && grep -q -- "ascii" "$1" && grep -q -- "kernel-threads" "$1"' _ "$top/completions/$f"
done
stop_scenario
