#!/usr/bin/env bash
# 37-tree-bpf: the BPF part (built into every fdshare), on the seed's
# program: a parent forks a child, the child forks a grandchild and exits;
# first without a subreaper (the grandchild is adopted by the case's pid 1),
# then with PR_SET_CHILD_SUBREAPER on the parent (adopted by it).
#
# As root where the kernel allows BPF: the subreaper flags are the kernel's,
# "subreaper": true or false with "source": "bpf", and the adopter is named
# both times; "reparented" stays evidence (null here: one session).  Run as
# nobody, fdshare falls back to evidence and says why (EPERM).  Where the
# kernel refuses BPF to root (no BTF, lockdown, a container) the case says
# why and skips the root checks.
. "$TESTS/lib.sh"

start_scenario --as O orphan
check "orphan: the grandchild was adopted by pid 1 (the case's init)" test "$O_adopter" = 1
a=(--argjson g "$O_grandchild" --argjson p "$O_parent")

if fds_json --tree && [ "$(jq_fds '.subreaper_bpf')" != ok ]; then
	skip "BPF does not load here ($(jq_fds '.subreaper_bpf')): root checks of the exact subreaper flags"
	if fds_text --tree --ascii -p "$O_grandchild"; then
		check "BPF refused, text: 'evidence from /proc only (the BPF part could not run: ...)'" \
			grep -q 'evidence from /proc only (the BPF part could not run: ' "$(fds_out_file)"
	fi
	exit 0
fi

# ---- as root, without a subreaper ----
if fds_json; then
	jcheck "bpf, orphan: subreaper_source bpf, subreaper_bpf ok" \
		'.subreaper_source == "bpf" and .subreaper_bpf == "ok"'
	jcheck "bpf, orphan: the adopter is named: the grandchild's ppid is 1" 'proc($g).ppid == 1' "${a[@]}"
	jcheck "bpf, orphan: the parent ($O_parent) is no subreaper: subreaper false, source bpf" \
		'proc($p) | .subreaper == false and .source == "bpf"' "${a[@]}"
	jcheck "bpf, orphan: pid 1 and the grandchild: subreaper false, source bpf" \
		'[proc(1), proc($g)] | all(.subreaper == false and .source == "bpf")' "${a[@]}"
	jcheck "bpf, orphan: every process of the namespace seen by the iterator (source bpf, boolean flag)" \
		'all(.processes[]; .source == "bpf" and (.subreaper | type) == "boolean")'
	jcheck "bpf, orphan: reparented stays evidence: null in one session, no adopted_by" \
		'proc($g) | .reparented == null and .adopted_by == null' "${a[@]}"
fi
if fds_text --tree --ascii -p "$O_grandchild"; then
	out=$(fds_out_file)
	check "bpf, orphan tree: grandchild drawn as a child of 1" grep -Eq "^ *$O_grandchild [\`|]-scenario " "$out"
	check "bpf, orphan tree: pid 1 not marked subreaper" bash -c '! grep -Eq "^ *1 .*subreaper" "$1"' _ "$out"
	check "bpf, orphan tree: says the subreaper marks are exact (BPF)" \
		grep -q '^subreaper marks: exact, read from the kernel with BPF;' "$out"
	check "bpf, orphan tree: says the reparented marks stay evidence" \
		grep -q '^reparented marks: evidence from /proc only' "$out"
fi
# Not root: the BPF part may not run, the output says so and falls back.
if fds_json --as nobody; then
	jcheck "as nobody: subreaper_source evidence, subreaper_bpf EPERM" \
		'.subreaper_source == "evidence" and .subreaper_bpf == "EPERM"'
	jnone "as nobody: no process claims source bpf or subreaper false" \
		'.processes[] | select(.source != "evidence" or .subreaper == false) | .pid'
fi
if fds_text --as nobody --tree --ascii; then
	check "as nobody, text: 'evidence from /proc only (the BPF part could not run: EPERM)'" \
		grep -q 'evidence from /proc only (the BPF part could not run: EPERM)' "$(fds_out_file)"
fi
stop_scenario O

# ---- as root, with PR_SET_CHILD_SUBREAPER ----
start_scenario --as R orphan-subreaper
check "orphan-subreaper: the grandchild was adopted by the parent" test "$R_adopter" = "$R_parent"
a=(--argjson g "$R_grandchild" --argjson p "$R_parent")
if fds_json; then
	jcheck "bpf, orphan-subreaper: the parent ($R_parent) is marked subreaper: true, source bpf" \
		'proc($p) | .subreaper == true and .source == "bpf" and .pidns_init == false' "${a[@]}"
	jcheck "bpf, orphan-subreaper: the adopter is named: the grandchild's ppid is the parent" \
		'proc($g).ppid == $p' "${a[@]}"
	jnone "bpf, orphan-subreaper: no other process is a subreaper" \
		'.processes[] | select(.subreaper != false and .pid != $p) | {pid, subreaper, source}' "${a[@]}"
	jcheck "bpf, orphan-subreaper: the grandchild: subreaper false (bpf), reparented null (one session)" \
		'proc($g) | .subreaper == false and .source == "bpf" and .reparented == null' "${a[@]}"
fi
if fds_text --tree --ascii -p "$R_parent"; then
	out=$(fds_out_file)
	check "bpf, orphan-subreaper tree: the parent's line is marked subreaper" \
		grep -Eq "^ *$R_parent .*subreaper" "$out"
	check "bpf, orphan-subreaper tree: the grandchild drawn under the parent" \
		bash -c 'grep -A1 -E "^ *$1 " "$3" | grep -Eq "^ *$2 +[\`|]-scenario"' _ "$R_parent" "$R_grandchild" "$out"
fi
# Not root, on the same processes: evidence cannot tell (null).
if fds_json --as nobody; then
	jcheck "as nobody, orphan-subreaper: the parent's subreaper null, source evidence; adopter named" \
		'(proc($p) | .subreaper == null and .source == "evidence") and proc($g).ppid == $p' "${a[@]}"
fi
stop_scenario R

# ---- both sources at once: the double-forked daemon under a subreaper ----
start_scenario --as S daemon-subreaper
a=(--argjson g "$S_grandchild" --argjson p "$S_parent")
if fds_json; then
	jcheck "bpf, daemon-subreaper: reparented true from evidence (session), adopted by the parent" \
		'proc($g) | .reparented == true and .reparent_evidence == ["session"] and .adopted_by == $p
		 and .adopter == "subreaper"' "${a[@]}"
	jcheck "bpf, daemon-subreaper: the parent's flag: subreaper true, source bpf" \
		'proc($p) | .subreaper == true and .source == "bpf"' "${a[@]}"
fi
stop_scenario S
