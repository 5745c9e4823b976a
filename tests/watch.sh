# watch.sh - helpers for the watch-mode cases (tests/cases/4?-watch-*.sh);
# source it after lib.sh:
#
#     # needs: host pid namespace
#     . "$TESTS/lib.sh"
#     . "$TESTS/watch.sh"
#
# The kernel sends process events only to listeners in the initial pid
# namespace, with that namespace's pids, so a case that runs fdshare --watch
# carries the marker line above: tests/run then runs it in its own pid
# namespace (in a session of its own, whose leftovers it kills), and the
# pids a scenario prints are the pids fdshare reports.
#
#   watch_start [--as USER] [--text] ARGS...
#                           run "$FDSHARE" --watch [--json] ARGS in the
#                           background (W_PID; output in $W_OUT, stderr in
#                           $W_ERR) and wait for its start line.  Fails
#                           (and returns 1) if it ends or is silent first.
#   watch_wait MSG FILTER [JQARGS...]
#                           wait up to $W_WAIT s (default 20) until FILTER (a jq filter over
#                           the array of all lines so far) is true; a fail
#                           line MSG if it never is.
#   watch_stop [SIGNAL]     send SIGNAL (default INT) and wait for the end:
#                           W_RC is the exit status.
#   watch_end               wait (up to 30 s) for an fdshare that ends by
#                           itself (--count, --duration): W_RC.
#   wcheck MSG FILTER [JQARGS...]
#                           check that FILTER over the array of all NDJSON
#                           lines is true (every output, and at least one);
#                           jq defs: ev($k) the events of kind $k,
#                           evp($k; $p) those of pid $p.
#   wnone MSG FILTER [JQARGS...]
#                           check that FILTER outputs nothing (offenders are
#                           shown on failure)
#   w_lines_parse           true when every line of $W_OUT is one JSON object

W_OUT="$T_DIR/watch.out"
W_ERR="$T_DIR/watch.err"
W_PID=""
W_RC=""

W_DEFS='
def ev($k): .[] | select(.event == $k);
def evp($k; $p): ev($k) | select(.pid == $p);
def isint: type == "number" and . == floor;
'

watch_cleanup() {
	local status=$?
	if [ -n "$W_PID" ]; then
		kill -KILL "$W_PID" 2>/dev/null
		wait "$W_PID" 2>/dev/null
		W_PID=""
	fi
	(exit "$status")
	lib_cleanup
}
trap watch_cleanup EXIT

w_lines_parse() {
	local n
	[ -s "$W_OUT" ] || { echo "no output"; return 1; }
	# jq reads a stream of values: each line must be exactly one object.
	n=$(jq -c 'if type == "object" then 1 else error("not an object") end' "$W_OUT" | wc -l) || return 1
	[ "$n" -eq "$(wc -l <"$W_OUT")" ] || { echo "$n objects in $(wc -l <"$W_OUT") lines"; return 1; }
}

watch_start() {
	local wrap=() json=(--json) deadline
	while [ $# -gt 0 ]; do
		case "$1" in
		--as) wrap=(setpriv --reuid="$2" --regid="$(id -g "$2")" --clear-groups); shift 2 ;;
		--text) json=(); shift ;;
		*) break ;;
		esac
	done
	: >"$W_OUT"
	# Not holding any scenario's stdin open: it would never see EOF.
	(
		lib_close_scenario_fds
		exec "${wrap[@]}" "$FDSHARE" --watch "${json[@]}" "$@"
	) >"$W_OUT" 2>"$W_ERR" &
	W_PID=$!
	deadline=$((SECONDS + 20))
	until grep -q 'start' "$W_OUT"; do
		if ! kill -0 "$W_PID" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
			fail "fdshare --watch $* printed its start line"
			note "stdout:" "$(head -c 2000 "$W_OUT")" "stderr:" "$(cat "$W_ERR")"
			watch_stop KILL >/dev/null
			return 1
		fi
		sleep 0.05
	done
}

# True when FILTER over the lines so far is true (a partial last line is
# left out).
w_true() {
	local filter=$1
	shift
	head -n "$(wc -l <"$W_OUT")" "$W_OUT" |
		jq -se "$@" "$W_DEFS [ $filter ] as \$r | (\$r | length) > 0 and all(\$r[]; . != false and . != null)" \
		>/dev/null 2>&1
}

watch_wait() {
	local what=$1 deadline=$((SECONDS + ${W_WAIT:-20}))
	shift
	until w_true "$@"; do
		if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$W_PID" 2>/dev/null; then
			fail "$what"
			note "fdshare's output (last 30 lines):" "$(tail -n 30 "$W_OUT")" "stderr:" "$(cat "$W_ERR")"
			return 1
		fi
		sleep 0.05
	done
	pass "$what"
}

lib_watch_reap() {
	local t=$1
	for ((; t > 0; t--)); do
		kill -0 "$W_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$W_PID" 2>/dev/null; then
		kill -KILL "$W_PID" 2>/dev/null
		fail "fdshare --watch ended when asked"
	fi
	W_RC=0
	wait "$W_PID" || W_RC=$?
	W_PID=""
	if grep -qE 'Sanitizer|runtime error:' "$W_ERR"; then
		fail "fdshare --watch ran without a sanitizer report"
		note "$(head -n 30 "$W_ERR")"
	fi
}

watch_stop() {
	[ -n "$W_PID" ] || return 0
	kill "-${1:-INT}" "$W_PID" 2>/dev/null
	lib_watch_reap 100
}

watch_end() {
	[ -n "$W_PID" ] || return 0
	lib_watch_reap 300
}

lib_wjq() {
	local filter=$1
	shift
	jq -sc "$@" "$W_DEFS [ $filter ] as \$r
		| if (\$r | length) > 0 and all(\$r[]; . != false and . != null)
		  then true else {outputs: \$r} end" "$W_OUT"
}

lib_w_true() {
	local out
	out=$(lib_wjq "$@") || return 1
	[ "$out" = true ] && return 0
	printf '%s\n' "$out" | head -c 3000
	return 1
}

# On a failed check: the lines about the pids passed with --argjson.
lib_w_context() {
	local pids="" a
	while [ $# -gt 0 ]; do
		a=$1
		shift
		if [ "$a" = --argjson ] && [[ ${2-} =~ ^[0-9]+$ ]]; then
			pids="$pids${pids:+|}$2"
			shift 2
		fi
	done
	[ -n "$pids" ] || return 0
	note "lines about pids $pids:" "$(grep -E "\"(pid|ppid)\":($pids)," "$W_OUT" | head -n 30)"
}

wcheck() {
	local what=$1
	shift
	check "$what" lib_w_true "$@" || lib_w_context "$@"
}

wnone() {
	local what=$1 filter=$2 out status=0
	shift 2
	out=$(jq -sc "$@" "$W_DEFS $filter" "$W_OUT" 2>&1) || status=$?
	expect_empty "$what" "$status" "$out"
}
