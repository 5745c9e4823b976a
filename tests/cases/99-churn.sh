#!/usr/bin/env bash
# 99-churn (last: it overlaps few other cases): a fork/exec/exit storm
# (tests/tools/churn: three workers forking, exec'ing, orphaning and leaving
# zombies, PIDs reused within a second where the kernel allows a pid_max
# per pid namespace) in
# this case's own pid namespace, while fdshare scans in every mode, one
# after another, for a bounded time (60 s for the ASan build, which CI runs;
# 20 s otherwise; FDSHARE_CHURN_SECONDS overrides).  Every run: no crash and
# no sanitizer report, only the exit statuses fdshare(1) documents for that
# mode, valid JSON, and every "verified" sharing names holders that the same
# output lists as live processes (not zombies) holding that fd in that
# description.
. "$TESTS/lib.sh"

case "$FDSHARE" in
*/asan/*) seconds=${FDSHARE_CHURN_SECONDS:-60} ;;
*) seconds=${FDSHARE_CHURN_SECONDS:-20} ;;
esac
# PIDs reused within a second: a pid namespace has a pid_max of its own
# from Linux 6.14 (before, the file is the whole machine's: left alone).
if printf '%s\n' 6.14 "$(uname -r)" | sort -V -C && echo 1000 >/proc/sys/kernel/pid_max 2>/dev/null; then
	note "pid_max 1000 in this pid namespace: PIDs are reused within a second"
else
	note "PIDs are not made to wrap here (a pid namespace's own pid_max needs Linux 6.14)"
fi
CHURN=$(dirname "$SCENARIO")/churn
"$CHURN" "$((seconds + 5))" 3 >"$T_DIR/churn.out" 2>"$T_DIR/churn.err" &
churn=$!
for ((i = 0; i < 100; i++)); do
	grep -qx ready "$T_DIR/churn.out" && break
	sleep 0.05
done
check "the storm runs" grep -qx ready "$T_DIR/churn.out"

# A verified description's holders are listed processes, not zombies, each
# with that fd in that description, proven too.
verified_live='
	([.processes[] | {key: (.pid | tostring), value: .}] | from_entries) as $procs
	| .ofds[] | select(.verified and (.holders | length) > 1) | .id as $id
	| .holders[] | . as $h | $procs[$h.pid | tostring] as $p
	| select($p == null or $p.state == "Z"
		or ([$p.fds[] | select(.fd == $h.fd and .ofd == $id and .ofd_verified)] | length) != 1)
	| "ofd \($id): holder \($h.pid) fd \($h.fd) is not a live listed holder"'

# mode ARGS... | allowed statuses: one scan, judged.
runs=0 bad=0 shared=0 statuses=""
scan() {
	local allowed=$1 json=$2 rc=0
	shift 2
	"$FDSHARE" "$@" >"$FDS_FILE" 2>"$T_DIR/fds.err" || rc=$?
	runs=$((runs + 1))
	statuses="$statuses $rc"
	FDS_RC=$rc
	if ! lib_check_crash "$*" >"$T_DIR/crash.out"; then
		cat "$T_DIR/crash.out"
		bad=$((bad + 1))
		return
	fi
	if [[ " $allowed " != *" $rc "* ]]; then
		fail "fdshare $* exits with a documented status ($allowed), not $rc"
		note "$(head -n 5 "$T_DIR/fds.err")"
		bad=$((bad + 1))
		return
	fi
	[ "$json" = json ] || return
	if [ "$(jq -s 'length == 1 and (.[0] | type) == "object"' "$FDS_FILE" 2>/dev/null)" != true ]; then
		fail "fdshare $* printed one valid JSON object"
		note "$(head -c 500 "$FDS_FILE")"
		bad=$((bad + 1))
		return
	fi
	shared=$((shared + $(jq '[.ofds[] | select(.verified and (.holders | length) > 1)] | length' \
		"$FDS_FILE")))
	out=$(jq -r "$verified_live" "$FDS_FILE" 2>&1)
	if [ -n "$out" ]; then
		fail "fdshare $*: every verified sharing names live listed holders"
		note "$out"
		bad=$((bad + 1))
	fi
}

end=$((SECONDS + seconds))
while [ "$SECONDS" -lt "$end" ] && [ "$bad" -lt 5 ]; do
	pids=$(pgrep -d, -P "$churn" 2>/dev/null | head -c 200)
	pids=${pids%,}
	scan "0 1" json --json
	scan "0 1" text
	scan "0 1 2" json --json -c churn
	[ -n "$pids" ] && scan "0 1 2" json --json -p "$pids"
	[ -n "$pids" ] && scan "0 1 2" text -p "$pids"
	scan "0 1" json --json --tree
	scan "0 1" text --tree
	scan "0 1 2 3" text --check
	scan "0" text --prometheus
	scan "0 1" json --json --no-kcmp
done
note "$runs scans in $seconds s of churn; exit statuses seen:" \
	"$(tr ' ' '\n' <<<"$statuses" | grep . | sort | uniq -c | tr '\n' ' ')"
check "every scan under churn: no crash, documented status, valid JSON, live verified holders" \
	test "$bad" = 0
check "at least 20 scans ran" test "$runs" -ge 20
check "verified sharings were there to check ($shared seen)" test "$shared" -gt 0

wait "$churn"
check "the storm ended cleanly" test $? = 0
