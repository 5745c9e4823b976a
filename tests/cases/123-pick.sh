#!/usr/bin/env bash
# 123-pick: -p PID gives the same answer from a narrowed scan as from a
# whole one.  With the BPF source, -p PID alone reads only the selected
# processes and what relates to them (their descriptions' other holders,
# other opens of their files, the other ends of their pipes, sockets and
# ptys, the holders and waiters of their locks: src/scan/bpf_pick.h).
# The scenarios below (fork and dup sharing, pipes across processes, unix
# socketpairs and servers, loopback TCP, epoll, locks with a waiter and a
# deadlock, findings and their twins, zombies, threads) and bench's
# workload are read; for every pid they print, with both sources:
#   - -p PID equals -p PID -u root (the same selection, read whole: -u
#     is never narrowed), every key but .scan, description and lock
#     numbers compared by what they name (first holder, lock fields);
#   - the selected process equals its entry in the whole overview, and the
#     findings naming it are the overview's findings naming it (none
#     appears or vanishes because the scan was narrowed);
# then a pid that does not exist, a thread id, a zombie, and processes
# ending while they are read.  The comparison is shown to fail on a
# doctored document first.
. "$TESTS/lib.sh"


scenarios=(dup fork-offset pipe-exec server-fork threads unix-pair ep-pipe-forgot ep-fifo
	ep-unix-server ep-tcp ep-epoll ep-netns f-deleted f-writers f-writers-append
	f-listener-handover l-flock-fork l-waiter l-deadlock-ofd zombies-default)
i=0
for sc in "${scenarios[@]}"; do
	start_scenario --as "S$i" "$sc"
	i=$((i + 1))
done
"$SCENARIO" k-pty </dev/null >/dev/null 2>&1
[ $? = 77 ] || start_scenario --as K k-pty

start_bench_workload -p 8 -f 40 -g 4

# norm: the document without .scan (what was read differs), with
# description numbers replaced by their first holder and lock numbers by
# the lock's fields (numbers count what a run read: fdshare(1), OFD), and
# what moves with the clock dropped (zombie ages, timer values, and whether
# a live process was running or asleep at the instant it was read).
# sel($p): of a normalized document, the process $p ("partial" aside) and
# the findings naming it.
defs='
def norm:
	(reduce (.ofds[]) as $o ({};
		.["\($o.id)"] = ($o.holders | sort_by(.pid, .fd) | first | "\(.pid)/\(.fd)"))) as $ofd
	| (reduce (.locks // [])[] as $l ({};
		.["\($l.id)"] = "\($l.kind) \($l.type) \($l.dev) \($l.inode) \($l.start) \($l.end) \($l.pid) \($l.taken_by)")) as $lk
	| del(.scan)
	| .ofds |= map(.id = $ofd["\(.id)"])
	| .locks |= ((. // []) | map(.id = $lk["\(.id)"]))
	| .processes |= map(.fds |= map(if .locks then .locks |= map(.id = $lk["\(.id)"]) else . end))
	| walk(if type == "object" and (.ofd | type) == "number" then .ofd = ($ofd["\(.ofd)"] // "alone") else . end)
	| .processes |= map(if .state == "R" or .state == "D" then .state = "S" else . end)
	| .zombie_groups |= map(.children |= map(del(.age_seconds)))
	| walk(if type == "object" then del(.value_ns) else . end);
def sel($p):
	{ process: (first(.processes[] | select(.pid == $p)) // null | if . then del(.partial) else . end),
	  findings: [.findings[] | select(.pids | index($p))] };
'
norm() { jq -S "$defs norm" "$1"; }

# compare NARROW WHOLE ALL_NORMALIZED PID WHAT: one line "narrowed
# scan.WHAT same-as-whole same-as-overview".
compare() {
	jq -n -r --slurpfile a "$1" --slurpfile b "$2" --slurpfile c "$3" --argjson p "$4" --arg w "$5" "$defs"'
		($a[0] | norm) as $A | ($b[0] | norm) as $B
		| "\($a[0].scan.narrowed) \($a[0].scan[$w]) \($b[0].scan.narrowed == false and $A == $B) \(($A | sel($p)) == ($c[0] | sel($p)))"'
}

pids=$(lib_scenario_pids | tr , '\n' | sort -un)
wl_pids=$(pgrep -P "$(sed -n 's/^ready pid=//p' "$T_DIR/workload.out")" | head -n 3)
pids="$pids $(sed -n 's/^ready pid=//p' "$T_DIR/workload.out") $wl_pids"
npids=$(echo $pids | wc -w)
check "several pids to pick ($npids)" test "$npids" -ge 30

for src in bpf proc; do
	fds_json --source "$src"
	if [ "$src" = bpf ] && [ "$FDS_RC" = 111 ]; then
		skip "BPF does not load here, the narrowed scan is not tried: $FDS_ERR"
		continue
	fi
	cp "$FDS_FILE" "$T_DIR/all.$src.json"
	# what a narrowed scan reads less of: fds with BPF; with /proc (which
	# must read every fd's inode) the descriptions it proves
	what=fds
	[ "$src" = proc ] && what=ofds
	whole_fds=$(jq ".scan.$what" "$T_DIR/all.$src.json")

	if [ "$src" = bpf ]; then
		# the comparison can fail: one related fd left out, one finding added
		p=$(jq '[.processes[] | select(.pid != 1 and (.fds | length) > 1) | .pid] | first' \
			"$T_DIR/all.$src.json")
		fds_json --source bpf -p "$p"
		cp "$FDS_FILE" "$T_DIR/one.json"
		jq '(.processes[0].fds) |= .[1:] | .findings += [{code: "zombie", pids: [0]}]' \
			"$T_DIR/one.json" >"$T_DIR/doctored.json"
		check "the comparison fails on a doctored document" \
			test "$(diff <(norm "$T_DIR/one.json") <(norm "$T_DIR/doctored.json") | grep -c '^[<>]')" -ge 2
		# the filter's tables sized for -p by the light skeleton's
		# loader or by libbpf: the same narrowed answer
		FDSHARE_TEST_BPF_LOADER=libbpf fds_json --source bpf -p "$p"
		check "-p $p narrowed with the programs loaded by libbpf: the same answer as loaded by the kernel" \
			test "$(jq .scan.narrowed "$FDS_FILE")" = true -a -z "$(diff <(norm "$T_DIR/one.json") <(norm "$FDS_FILE") | head -n 5)"
	fi

	norm "$T_DIR/all.$src.json" >"$T_DIR/all.norm.json"
	bad_whole="" bad_sel="" narrowed=0 smaller=0 n=0 k=0 step=3
	[ "$src" = proc ] && step=6
	for p in $pids; do
		# every third pid (each scenario prints two or three), every
		# sixth with /proc (slower: it reads every fd)
		k=$((k + 1))
		[ $((k % step)) != 0 ] && continue
		[ -d "/proc/$p" ] || continue
		rc_a=0 rc_b=0
		"$FDSHARE" --json --source "$src" -p "$p" >"$T_DIR/narrow.json" 2>"$T_DIR/narrow.err" || rc_a=$?
		"$FDSHARE" --json --source "$src" -p "$p" -u root >"$T_DIR/whole.json" 2>/dev/null || rc_b=$?
		read -r nar fds same_whole same_sel < <(compare "$T_DIR/narrow.json" "$T_DIR/whole.json" \
			"$T_DIR/all.norm.json" "$p" "$what" 2>/dev/null)
		n=$((n + 1))
		if [ "$nar" = true ]; then
			narrowed=$((narrowed + 1))
			[ "$fds" -lt "$whole_fds" ] && smaller=$((smaller + 1))
		fi
		if [ "$same_whole" != true ] || [ "$rc_a" != "$rc_b" ]; then
			bad_whole="$bad_whole $p"
			[ -z "${shown_whole-}" ] && shown_whole=1 &&
				note "-p $p: < narrowed, > whole:" "$(diff <(norm "$T_DIR/narrow.json") <(norm "$T_DIR/whole.json") | grep '^[<>]' | head -n 30)"
		fi
		if [ "$same_sel" != true ]; then
			bad_sel="$bad_sel $p"
			[ -z "${shown_sel-}" ] && shown_sel=1 &&
				note "-p $p: < narrowed, > overview:" "$(diff <(norm "$T_DIR/narrow.json" | jq -S --argjson p "$p" "$defs sel(\$p)") <(jq -S --argjson p "$p" "$defs sel(\$p)" "$T_DIR/all.norm.json") | grep '^[<>]' | head -n 30)"
		fi
	done
	check "$src: -p PID equals -p PID read whole for each of $n pids (fds, descriptions, other ends, tree, zombies, locks, findings)${bad_whole:+; not:$bad_whole}" \
		test -z "$bad_whole" -a "$n" -ge $((npids / 8))
	check "$src: the selected process and the findings naming it equal the overview's, $n pids${bad_sel:+; not:$bad_sel}" \
		test -z "$bad_sel"
	if [ "$src" = bpf ]; then
		check "bpf: -p narrowed the scan for most pids ($narrowed of $n), reading fewer fds than the whole scan ($smaller)" \
			test "$narrowed" -ge $((n * 3 / 4)) -a "$smaller" = "$narrowed"
	else
		check "proc: -p narrowed the grouping for each pid ($narrowed of $n), proving fewer descriptions than the whole scan ($smaller)" \
			test "$narrowed" = "$n" -a "$smaller" = "$narrowed"
	fi

	# a pid that does not exist
	fds_json --source "$src" -p 99999
	rc_is "$src: -p of no such pid exits 2" 2
	check "$src: ... and says so" grep -q 'no such process: 99999' "$T_DIR/fds.err"
	jcheck "$src: ... listing nothing" '.processes == [] and .findings == []'

	# a thread id: its process, as read whole
	tid=$(ls "/proc/$S4_pid/task" | grep -vx "$S4_pid" | head -n 1)
	fds_json --source "$src" -p "$tid"
	cp "$FDS_FILE" "$T_DIR/tid.json"
	fds_json --source "$src" -p "$S4_pid" -u root
	check "$src: -p THREAD-ID answers as its process read whole" \
		diff <(norm "$T_DIR/tid.json") <(norm "$FDS_FILE")

	# a zombie: no fds, its group and parent as read whole
	z=${S19_zombies%%,*}
	fds_json --source "$src" -p "$z"
	cp "$FDS_FILE" "$T_DIR/z.json"
	jcheck "$src: -p ZOMBIE lists it as a zombie" \
		'first(.processes[] | select(.pid == $z)) | .zombie and .state == "Z"' --argjson z "$z"
	fds_json --source "$src" -p "$z" -u root
	check "$src: ... as read whole (its zombie group too)" \
		diff <(norm "$T_DIR/z.json") <(norm "$FDS_FILE")
done

# processes ending while they are read: each answer is its process or
# "no such process" (exit 2), never a crash or another process's fds
bad=""
for k in $(seq 6); do
	sleep 0.0$((k % 5)) &
	q=$!
	fds_json -p "$q"
	case "$FDS_RC" in
	0) jq -e --argjson q "$q" '[.processes[] | select(.partial == false) | .pid] | . == [$q] or . == []' \
		"$FDS_FILE" >/dev/null || bad="$bad $q" ;;
	2) ;;
	*) bad="$bad $q(rc $FDS_RC)" ;;
	esac
	wait "$q"
done
check "-p of processes ending meanwhile: each exit 0 with that process or 2${bad:+; not:$bad}" test -z "$bad"

# the related process the kernel's iterators visit last (the highest pid):
# the BPF filter counts a process's fds as its task goes by and keeps the
# last one's count apart (src/scan/bpf/pick.bpf.h); its fd count must be
# the whole read's all the same.  The pids are set through ns_last_pid of
# the case's own pid namespace: B, a child of A, shares a description with
# it (so B is read and shown) and has four fds of its own (so only one of
# its fds is read), with a pid above fdshare's own.
if [ "$FDS_RC" != 111 ] && [ -w /proc/sys/kernel/ns_last_pid ]; then
	f=$T_DIR/shared.txt g=$T_DIR/own.txt
	echo x >"$f"
	echo y >"$g"
	# A holds f (fd 3) and starts B, which inherits it and opens g
	(only_stdio bash -c 'exec 3<"$1"; echo 20000 >/proc/sys/kernel/ns_last_pid
		sleep 1000 </dev/zero >/dev/zero 2>&1 4<"$2" & echo "$!" >"$3"; exec sleep 1000' \
		_ "$f" "$g" "$T_DIR/b.pid") </dev/null >/dev/null 2>&1 &
	a=$!
	for _ in $(seq 100); do
		b=$(cat "$T_DIR/b.pid" 2>/dev/null)
		[ -n "$b" ] && [ -e "/proc/$b/fd/4" ] && [ "$(cat "/proc/$a/comm")" = sleep ] && break
		sleep 0.05
	done
	echo 300 >/proc/sys/kernel/ns_last_pid
	top=$(ls /proc | grep -xE '[0-9]+' | sort -n | tail -n 1)
	check "B ($b) is the highest pid ($top)" test "$top" = "$b"
	"$FDSHARE" --json --source bpf -p "$a" >"$T_DIR/last.narrow.json" 2>/dev/null
	"$FDSHARE" --json --source bpf -p "$a" -u root >"$T_DIR/last.whole.json" 2>/dev/null
	read -r nar nfds got < <(jq -r --argjson b "$b" \
		'"\(.scan.narrowed) \(first(.processes[] | select(.pid == $b)) | "\(.fds | length) \(.fd_count)")"' \
		"$T_DIR/last.narrow.json")
	check "bpf: -p A narrowed ($nar), B read last, one fd of its 5 ($nfds of $got)" \
		test "$nar" = true -a "$nfds" = 1 -a "$got" = 5
	check "bpf: ... the same answer as read whole" \
		diff <(norm "$T_DIR/last.narrow.json") <(norm "$T_DIR/last.whole.json")
	kill "$a" "$b"
	wait "$a" 2>/dev/null
else
	skip "the last task's fd count: BPF does not load here, or ns_last_pid cannot be set"
fi

# many processes sharing the selection's descriptions: their records fill
# the kernel's buffer of a read() several times over, and the fd at each
# border is shown to the program again (pick.bpf.h: decided and counted
# once, or the fd counts come out one too high and a first separate open
# is lost)
if [ "$FDS_RC" != 111 ]; then
	(only_stdio bash -c 'exec 3<"$1"; for i in $(seq 250); do sleep 1000 & done; exec sleep 1000' \
		_ "$T_DIR/shared.txt") </dev/null >/dev/null 2>&1 &
	m=$!
	for _ in $(seq 200); do
		kids=$(cat "/proc/$m/task/$m/children" 2>/dev/null)
		[ "$(echo $kids | wc -w)" = 250 ] && [ "$(cat "/proc/$m/comm")" = sleep ] && break
		sleep 0.05
	done
	"$FDSHARE" --json --source bpf -p "$m" >"$T_DIR/many.narrow.json" 2>/dev/null
	"$FDSHARE" --json --source bpf -p "$m" -u root >"$T_DIR/many.whole.json" 2>/dev/null
	check "bpf: -p of a parent of 250 sharers narrowed ($(jq .scan.narrowed "$T_DIR/many.narrow.json")), $(jq '.processes | length' "$T_DIR/many.narrow.json") processes shown, the same answer as read whole" \
		diff <(norm "$T_DIR/many.narrow.json") <(norm "$T_DIR/many.whole.json")
	kill $kids "$m"
	wait "$m" 2>/dev/null
fi

stop_bench_workload
check "bench's workload ended cleanly" test $? = 0
stop_scenario
