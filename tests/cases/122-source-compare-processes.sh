#!/usr/bin/env bash
# 122-source-compare-processes: both sources describe the same processes.
# The BPF source takes each process's facts from its task iterator
# (src/scan/bpf/tasks.bpf.c), the /proc source from libproc2, stat, status,
# limits, cmdline and exe; every one of those facts is compared process by
# process: pid, ppid, tgid, pgrp, sid, comm (control bytes, a newline),
# arguments (a newline, invalid UTF-8, an empty one, long ones read from
# /proc, ones a program rewrote), state (sleeping, stopped, traced, zombies),
# uids, threads, start time, NSpid (a child pid namespace), the fd limit,
# the program (a deleted one too), the signal masks, and the tree (zombies,
# subreapers, re-parenting).  The comparison is first shown to fail on a
# doctored copy.  Where BPF does not load, the case says why and skips.
. "$TESTS/lib.sh"

scenarios=(threads weird-names orphan-subreaper daemon-subreaper supervisor
	zombies-default zombies-ignore zombies-caught zombies-blocked zombies-stopped
	zombies-traced zombies-pidns f-fd-limit f-exec-leak f-zombie-name)
i=0
for sc in "${scenarios[@]}"; do
	start_scenario --as "S$i" "$sc"
	i=$((i + 1))
done

# Arguments: a newline, invalid UTF-8, an empty one, 20,000 bytes (beyond
# what the iterator carries), and a program that rewrites its own (perl's $0).
# Each holds none of the scenarios' stdin writers (they end at EOF).
BG=()
bg() { ( lib_close_scenario_fds; exec "$@" ) & BG+=("$!"); }
long=$(head -c 20000 /dev/zero | tr '\0' x)
bg bash -c 'exec -a "$1" sleep 301' _ $'x\ny'
bg bash -c 'exec -a "$1" sleep 302' _ $'bad\xffname'
bg bash -c 'exec -a "" sleep 303' _
bg bash -c 'exec -a "$1" sleep 304' _ "$long"
if command -v perl >/dev/null; then
	bg perl -e '$0 = "rewritten by perl"; sleep 305'
fi
# A program with a newline and a control byte in its name, and one whose
# file was deleted while it runs ("... (deleted)").
cp "$(command -v sleep)" "$T_DIR/a"$'\n'"b"$'\x01'
bg "$T_DIR/a"$'\n'"b"$'\x01' 306
cp "$(command -v sleep)" "$T_DIR/gone"
bg "$T_DIR/gone" 307
gone=$!
for _ in $(seq 100); do
	[ "$(readlink "/proc/$gone/exe")" = "$T_DIR/gone" ] && break
	sleep 0.05
done
rm "$T_DIR/gone"
sleep 0.3

# dump FILE: one line per process but this shell (pid 1, whose state and
# children change as it runs the checks) and its short-lived helpers.
dump() {
	jq -r '.processes[] | select(.pid != 1)
		| [ .pid, .ppid, .tgid, .pgrp, .sid, (.comm | tojson), .comm_hex,
		    (.cmdline | tojson), (.cmdline_hex | tojson), .state, .uid, .euid,
		    .threads, (.nspid | tojson), .start_time, .kernel_thread,
		    (.exe | tojson), .exe_hex, (.fd_limit | tojson), .sigignore,
		    .sigcatch, .sigblocked, "|", .pidns_init, .zombie ]
		| map(tostring) | join(" ")' "$1" | sort -n
}

differ() {
	diff <(dump "$1") <(dump "$2") | grep '^[<>]' | head -n 40
}

fds_json --source bpf
if [ "$FDS_RC" = 111 ]; then
	skip "BPF does not load here: $FDS_ERR"
	stop_scenario >/dev/null
	exit 0
fi
cp "$FDS_FILE" "$T_DIR/bpf.json"
rc_is "--source bpf --json exits 0" 0
fds_json --source proc
cp "$FDS_FILE" "$T_DIR/proc.json"
rc_is "--source proc --json exits 0" 0

# bcheck WHAT FILTER: FILTER holds for the bpf model.
bcheck() { check "$1" jq -e "$2" "$T_DIR/bpf.json"; }

n=$(dump "$T_DIR/bpf.json" | wc -l)
check "the comparison covers many processes ($n)" test "$n" -ge 40
bcheck "it covers zombies, a stopped and a traced process" \
	'[.processes[].state] | (index("Z") != null) and (index("T") != null) and (index("t") != null)'
bcheck "it covers a child pid namespace (NSpid of two levels)" \
	'[.processes[] | select((.nspid | length) == 2)] | length > 0'
bcheck "it covers a subreaper and a deleted program" \
	'([.processes[] | select(.subreaper == true)] | length > 0) and
	 ([.processes[] | select(.exe // "" | endswith("/gone (deleted)"))] | length == 1)'
bcheck "it covers a comm with a newline and arguments of 20,000 bytes" \
	'([.processes[] | select(.comm | test("\n"))] | length > 0) and
	 ([.processes[] | select(.cmdline[0] // "" | length == 20000)] | length == 1)'
bcheck "it covers a lowered fd limit and ignored, caught and blocked signals" \
	'([.processes[] | select(.fd_limit.soft // 0 | . > 0 and . < 1024)] | length > 0) and
	 ([.processes[] | select((.sigignore // "0" | test("^0+$") | not))] | length > 0) and
	 ([.processes[] | select((.sigcatch // "0" | test("^0+$") | not))] | length > 0) and
	 ([.processes[] | select((.sigblocked // "0" | test("^0+$") | not))] | length > 0)'

# The comparison can fail: a comm, a start time and a signal mask changed
# in a copy of the bpf model.
jq '(first(.processes[] | select(.pid != 1 and .kernel_thread == false)) | .comm) |= . + "x"
    | (last(.processes[]) | .start_time) |= . + 1
    | (first(.processes[] | select(.sigcatch != null and .pid != 1)) | .sigcatch) = "0000000000000001"' \
	"$T_DIR/bpf.json" >"$T_DIR/doctored.json"
check "the comparison fails on a doctored model (a comm, a start time, a signal mask)" \
	test "$(differ "$T_DIR/bpf.json" "$T_DIR/doctored.json" | wc -l)" -ge 6

# The tree: the BPF source knows the kernel's subreaper flags, the /proc
# source only evidence (null where it cannot tell): wherever the evidence
# says something, the two agree.
out=$(jq -rn --slurpfile b "$T_DIR/bpf.json" --slurpfile p "$T_DIR/proc.json" '
	($b[0].processes | map({key: "\(.pid)", value: .}) | from_entries) as $bp
	| $p[0].processes[] | select(.pid != 1) | . as $q | $bp["\(.pid)"] as $x
	| select($x != null)
	| select((.subreaper != null and .subreaper != $x.subreaper) or
	         (.reparented != null and .reparented != $x.reparented) or
	         (.reparented == true and .adopted_by != $x.adopted_by))
	| "\(.pid): proc \(.subreaper) \(.reparented) \(.adopted_by), bpf \($x.subreaper) \($x.reparented) \($x.adopted_by)"')
check "the tree: the kernel's subreaper flags agree with /proc's evidence wherever it says something" \
	test -z "$out"
[ -z "$out" ] || note "$out"
bcheck "the tree: a subreaper adopted an orphan (exact, from the task records)" \
	'[.processes[] | select(.reparented == true and .source == "bpf")] | length > 0'

out=$(differ "$T_DIR/bpf.json" "$T_DIR/proc.json")
check "--source bpf and --source proc agree on all $n processes (ids, comm, arguments, state, uids, threads, start time, NSpid, fd limit, program, signals, zombies, pid namespace inits)" \
	test -z "$out"
[ -z "$out" ] || note "< bpf, > proc:" "$out"

stop_scenario

# the programs started here, by pid
kill "${BG[@]}" 2>/dev/null
wait "${BG[@]}" 2>/dev/null
stop_scenario
