#!/usr/bin/env bash
# 120-source-compare: both sources are one tool.  The scenarios below and
# bench's workload (forks, dups, pipes, unix and TCP sockets, flocks, POSIX
# and OFD locks: several hundred fds) are read twice, with --source bpf and
# --source proc, and the two models are compared fd by fd: kind, target,
# access mode, pos, status flags, cloexec, mnt_id, ino, deleted, the other
# ends, the kind details (protocol, namespace, BPF object, io_uring, pty,
# tun/tap, packet, netlink, signals, eventfd, timerfd, pidfd, inotify, epoll
# targets), the locks each fd shows (kind, type, range, pid: flock shared and
# exclusive, POSIX ranges and to EOF, OFD, through a dup and a fork-shared
# description, another process's POSIX lock on the same file kept off our
# fd, more locks than the iterator carries, a lock list longer than it
# walks), the lock table with its holders, the holds besides fds (a deleted
# program and library still mapped, their look-alikes), and the partition of the fds into
# open file descriptions (each fd named by the first holder of its
# description).  Any difference fails.  The BPF read is made twice: with the
# programs relocated by the kernel (light skeletons, the default where the
# kernel can) and by libbpf (FDSHARE_TEST_BPF_LOADER=libbpf), which must
# give the same model and say which it was (scan.relocated_by).
# The comparison is first shown to fail on a doctored copy (a cloexec
# flipped, an fd moved out of its description, a lock's type changed).  Where BPF does not load
# (not root, no BTF, lockdown, a container) the case says why and skips.
. "$TESTS/lib.sh"


scenarios=(dup fork-offset two-opens dup2-log pipe-exec server-fork threads cloexec
	weird-names unix-pair ep-pipe-forgot ep-fifo ep-unix-server ep-abstract ep-tcp
	ep-inet6-udp ep-epoll ep-anon ep-netns f-deleted f-memfd f-nonblock f-writers
	f-writers-append f-tmpfile-capture f-listener-handover f-prefork inotify-many
	l-flock-fork l-posix-fork l-ofd-dup l-lease l-mixed l-waiter l-deadlock-ofd ep-pidfd holders
	f-deleted-mapped f-deleted-mapped-twins
	supervisor orphan-subreaper zombies-default)
i=0
for sc in "${scenarios[@]}"; do
	start_scenario --as "S$i" "$sc"
	i=$((i + 1))
done
# The kinds with details of their own (namespaces, BPF objects, io_uring,
# ptys, tun/tap, message queues, more socket protocols), each where this
# machine can make it (a scenario exits 77 where it cannot).
for sc in k-nsfs k-symlink k-mqueue k-io-uring k-pty k-signals k-bpf k-tun k-sockets; do
	"$SCENARIO" "$sc" </dev/null >/dev/null 2>&1
	[ $? = 77 ] && continue
	start_scenario --as "K$i" "$sc"
	i=$((i + 1))
done

# bench's workload: 16 processes of ~40 fds, its stdin a FIFO this shell
# holds; end of file ends it (and it reaps and cleans up after itself).
start_bench_workload -p 16 -f 40

# dump FILE: one line per fd of every process but this shell (pid 1, whose
# own fds change as it runs the checks), sorted:
#   pid fd | kind target mode pos flags cloexec mnt_id ino deleted
#   | description (its first holder) | other ends | kind details | locks
# then one line per hold of a process besides its fds (deleted code it maps:
# the BPF source reads maps only where its task_vma iterator saw some),
# then one line per lock of the lock table that a process here holds (the
# others are /proc/locks lines of the whole machine, other tests' among them):
# kind type range pid file, whether /proc/locks shows it, its holders (pid:fds).
dump() {
	jq -r '
		def key: "\(.pid)/\(.fd)";
		(reduce (.ofds[] | select(.holders | length > 0)) as $o ({};
			.["\($o.id)"] = ([$o.holders[] | select(.pid != 1)] | sort_by(.pid, .fd)
			                 | first // {pid: 0, fd: 0} | key))) as $first
		| .processes[] | select(.pid != 1) | .pid as $p | .fds[]
		| [ "\($p) \(.fd)", "|", .type, (.target | tojson), .mode, .pos,
		    ((.flags // []) | join(",")), .cloexec, .mnt_id, .ino, .deleted, "|",
		    ($first["\(.ofd)"] // "\($p)/\(.fd)"), "|",
		    ((.endpoints // []) | map("\(.pid)/\(.fd)") | sort | join(",")), "|",
		    ({protocol, namespace, bpf, io_uring, pty, tun, packet, netlink, signals,
		      eventfd_id, eventfd_count, eventfd_semaphore, clock, pidfd_pid, inotify_watches,
		      timer: (.timer | if . then {interval_ns, ticks} else null end),
		      watches: (.watches | if . then map({tfd, events, data, pid, fd, verified}) else null end)}
		     | with_entries(select(.value != null)) | tojson), "|",
		    ((.locks // []) | map({kind, type, start, "end": .end, pid, taken_by}) | tojson) ]
		| map(tostring) | join(" ")' "$1" | sort
	jq -r '.processes[] | select(.pid != 1 and (.holds // []) != []) | .pid as $p | .holds[]
		| [ "hold", $p, (tojson) ] | map(tostring) | join(" ")' "$1" | sort
	jq -r '(.locks // [])[] | select([.holders[] | select(.pid != 1)] | length > 0)
		| [ "lock", .kind, .type, .start, .end, .pid, .dev, .inode, .in_proc_locks,
		([.holders[] | select(.pid != 1) | "\(.pid):\(.fds | join(","))"] | sort | join(" ")) ]
		| map(tostring) | join(" ")' "$1" | sort
}

# differ A B: the lines that are not the same in the two dumps (none: equal).
differ() {
	diff <(dump "$1") <(dump "$2") | grep '^[<>]' | head -n 40
}

fds_json --source bpf
if [ "$FDS_RC" = 111 ]; then
	skip "BPF does not load here: $FDS_ERR"
	stop_bench_workload
	stop_scenario >/dev/null
	exit 0
fi
cp "$FDS_FILE" "$T_DIR/bpf.json"
rc_is "--source bpf --json exits 0" 0
fds_json --source proc
cp "$FDS_FILE" "$T_DIR/proc.json"
rc_is "--source proc --json exits 0" 0

n=$(dump "$T_DIR/bpf.json" | wc -l)
check "the comparison covers several hundred fds ($n)" test "$n" -ge 600
check "sources: bpf then proc" test "$(jq -r .scan.source "$T_DIR/bpf.json") $(jq -r .scan.source "$T_DIR/proc.json")" = "bpf proc"
check "bpf: every shared description proven by the kernel; proc: by kcmp" \
	test "$(jq '[.ofds[] | select(.proof != "kernel")] | length' "$T_DIR/bpf.json") $(jq '[.ofds[] | select(.proof != "kcmp")] | length' "$T_DIR/proc.json")" = "0 0"

# The comparison can fail: flip one fd's cloexec, move an fd of a shared
# description out of it and make a lock an fd shows a write lock, in a copy
# of the bpf model.
jq '(first(.processes[] | select(.pid != 1 and (.fds | length) > 0)) | .fds[0].cloexec) |= not
    | (first(.processes[] | .fds[] | select((.locks // []) | length > 0)) | .locks[0].type) |= (if . == "write" then "read" else "write" end)
    | first(.ofds[] | [.holders[] | select(.pid != 1)] | select(length > 1))[1] as $h
    | (.processes[] | select(.pid == $h.pid) | .fds[] | select(.fd == $h.fd) | .ofd) = -1' \
	"$T_DIR/bpf.json" >"$T_DIR/doctored.json"
check "the comparison fails on a doctored model (a cloexec, a description)" \
	test "$(differ "$T_DIR/bpf.json" "$T_DIR/doctored.json" | wc -l)" -ge 4
check "the comparison fails on a doctored lock" \
	test "$(differ "$T_DIR/bpf.json" "$T_DIR/doctored.json" | grep -c '"type":"\(read\|write\)","start"')" -ge 2

out=$(differ "$T_DIR/bpf.json" "$T_DIR/proc.json")
check "--source bpf and --source proc agree fd by fd on $n fds (kind, target, mode, pos, flags, cloexec, mnt_id, ino, deleted, description, other ends)" \
	test -z "$out"
[ -z "$out" ] || note "< bpf, > proc:" "$out"

# the same BPF programs loaded by libbpf instead of by the kernel
FDSHARE_TEST_BPF_LOADER=libbpf fds_json --source bpf
cp "$FDS_FILE" "$T_DIR/libbpf.json"
rc_is "--source bpf loaded by libbpf: exits 0" 0
by="$(jq -r .scan.relocated_by "$T_DIR/bpf.json") $(jq -r .scan.relocated_by "$T_DIR/libbpf.json")"
kmajor=$(uname -r | cut -d. -f1) kminor=$(uname -r | cut -d. -f2)
if [ "$kmajor" -gt 5 ] || { [ "$kmajor" = 5 ] && [ "$kminor" -ge 17 ]; }; then
	check "relocated by the kernel by default (kernel $(uname -r)), by libbpf when told: $by" \
		test "$by" = "kernel libbpf"
else
	check "kernel $(uname -r) cannot relocate: libbpf both times ($by)" test "$by" = "libbpf libbpf"
fi
check "--source proc says nothing of relocation" \
	test "$(jq -r '.scan | has("relocated_by")' "$T_DIR/proc.json")" = false
out=$(differ "$T_DIR/bpf.json" "$T_DIR/libbpf.json")
check "relocated by the kernel or by libbpf: the same $n fds, descriptions, locks and holds" \
	test -z "$out"
[ -z "$out" ] || note "< kernel, > libbpf:" "$out"

stop_bench_workload
check "bench's workload ended cleanly" test $? = 0
stop_scenario
