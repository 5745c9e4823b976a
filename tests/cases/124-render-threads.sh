#!/usr/bin/env bash
# 124-render-threads: the JSON document is the same, byte for byte, whether
# one thread writes it or several (processes are rendered in runs on
# several threads, then put in order; the "endpoints" of a description are
# rendered once per thread and copied).  Scenarios give many small
# processes (runs of several), bench's workload processes of ~300 fds
# (written straight, in their turn) and descriptions shared by all of them.
# Two scans are compared, so what changes between scans by itself is
# blanked first: the scan time, kcmp calls (--source proc), timer expiries,
# zombie ages, and the lock table of the whole machine (other tests' locks
# come and go) but for the locks processes here hold, with their ids
# (numbered over the machine).  The comparison is first shown to fail on a
# doctored copy.
. "$TESTS/lib.sh"

scenarios=(dup fork-offset pipe-exec server-fork threads cloexec weird-names unix-pair
	ep-pipe-forgot ep-fifo ep-unix-server ep-tcp ep-epoll ep-anon f-deleted f-writers
	l-flock-fork l-ofd-dup l-waiter holders supervisor orphan-subreaper zombies-default)
i=0
for sc in "${scenarios[@]}"; do
	start_scenario --as "S$i" "$sc"
	i=$((i + 1))
done
start_bench_workload -p 6 -f 300 -g 3

# same OUT1 OUT2: equal once the volatile keys are blanked
norm='.scan.milliseconds = 0 | .scan.kcmp_calls = 0
	| (.. | objects | select(has("value_ns"))).value_ns = 0
	| (.. | objects | select(has("age_seconds"))).age_seconds = 0
	| .locks = ((.locks // []) | map(select(.holders | length > 0)))
	| walk(if type == "object" and (.locks | type) == "array"
	       then .locks |= map(if type == "object" then del(.id) else . end) else . end)'
same() {
	cmp -s <(jq -c "$norm" "$1") <(jq -c "$norm" "$2") && return 0
	diff <(jq "$norm" "$1") <(jq "$norm" "$2") | head -n 20
	return 1
}

render() {   # render N OUT ARGS...: fdshare --json ARGS on N threads into OUT
	local n=$1 out=$2
	shift 2
	FDSHARE_RENDER_THREADS=$n "$FDSHARE" --json "$@" >"$out" 2>"$T_DIR/render.err"
}

one=$T_DIR/one.json three=$T_DIR/three.json
render 1 "$one"
check "one thread: a valid document with the workload's and the scenarios' processes" \
	jq -e '(.processes | length) > 40 and ([.processes[].fds | length] | max) > 256' "$one"
jq -c '(.processes[-1].fds[0].pos) |= (. + 1)' "$one" >"$T_DIR/doctored.json"
if same "$one" "$T_DIR/doctored.json" >/dev/null; then
	fail "the comparison sees one pos changed"
else
	pass "the comparison sees one pos changed"
fi

for args in "" "--tree" "--type pipe,unix" "-p $wl_pid" "$T_DIR" "--source proc"; do
	# shellcheck disable=SC2086
	render 1 "$one" $args
	# shellcheck disable=SC2086
	render 3 "$three" $args
	check "--json $args: the same document from 1 thread and from 3" same "$one" "$three"
done
check "the workload ran to the end" stop_bench_workload
