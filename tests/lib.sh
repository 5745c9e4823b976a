# lib.sh - helpers for the case scripts (tests/cases/*.sh); source it first:
#
#     . "$TESTS/lib.sh"
#
# tests/run sets FDSHARE, SCENARIO and TESTS and runs each case as pid 1 of
# a private pid namespace.  A case prints one line per check, "pass: ..." or
# "fail: ..."; lines indented by six spaces are details tests/run shows
# beside a failure.
#
#   pass MSG / fail MSG           one result line
#   skip_case WHY                 end the case: it cannot run here (root
#                                 needed, a kernel feature missing); tests/run
#                                 shows WHY and counts it neither way
#   skip MSG                      what could not be checked here and why (the
#                                 runner lists it; a case of skips only passes)
#   note TEXT...                  detail lines (indented)
#   check MSG CMD...              pass/fail by CMD's exit status (its output is
#                                 shown on failure)
#   start_scenario [--as P] [--user U] NAME
#                                 run $SCENARIO NAME in the background, wait for
#                                 "ready", set P_key=value (default P is S) for
#                                 each line it printed, and P_main to its pid.
#                                 On failure: a fail line and exit.
#   stop_scenario [P]             end scenario P (default: all still running)
#                                 and check that it exited 0
#   fds_json [--as USER] ARGS...  run "$FDSHARE" --json ARGS: FDS_RC holds the
#                                 exit status, $FDS_FILE the output; fails (and
#                                 returns 1) unless the output is valid JSON
#   fds_text [--as USER] ARGS...  run "$FDSHARE" ARGS: FDS_RC, FDS_OUT, FDS_ERR
#   jcheck MSG FILTER [JQARGS...] check that FILTER is true (every output, and
#                                 at least one) on the last JSON; filters may
#                                 use the JQ_DEFS below: proc($p), fd($p; $f),
#                                 ofd($id), ofd_of($p; $f), holds($o; $p; $f),
#                                 isint, str_or_null, oct
#   jnone MSG FILTER [JQARGS...]  check that FILTER outputs nothing (it lists
#                                 offenders, shown on failure)
#   jq_fds FILTER [JQARGS...]     run jq -r with those definitions on that JSON
#   rc_is MSG WANT                check FDS_RC == WANT
#   only_stdio [--keep FD] CMD... exec CMD with fds 0, 1 and 2 only (and FD):
#                                 what the runner handed down is closed, so
#                                 that it cannot be shared
#   fd_types_agree                true when every readable fd's "type" in the
#                                 last JSON matches what stat(1) says of the
#                                 open file (/proc/PID/fd/N)

set -u

T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/fdshare-case.XXXXXX")
FDS_FILE="$T_DIR/fds.json"
FDS_RC=""
FDS_OUT=""
FDS_ERR=""
# Per started scenario: its pid (empty once stopped), stdin fd, name, prefix.
SC_PIDS=()
SC_FDS=()
SC_NAMES=()
SC_PREFIXES=()

# jq definitions every filter may use.
JQ_DEFS='
def proc($p): .processes[] | select(.pid == $p);
def fd($p; $f): proc($p) | .fds[] | select(.fd == $f);
def ofd($id): .ofds[] | select(.id == $id);
def ofd_of($p; $f): [fd($p; $f) | .ofd][0];
def holds($o; $p; $f): any($o.holders[]; .pid == $p and .fd == $f);
def isint: type == "number" and . == floor;
def str_or_null: . == null or type == "string";
def oct: reduce (explode[] - 48) as $d (0; . * 8 + $d);
'

pass() { printf 'pass: %s\n' "$*"; }
fail() { printf 'fail: %s\n' "$*"; }
skip_case() { printf 'skip: %s\n' "$*"; exit 0; }
skip() { printf 'skip: %s\n' "$*"; }

note() {
	local line
	[ -n "$*" ] || return 0
	printf '%s\n' "$@" | head -n 40 | while IFS= read -r line; do
		printf '      %s\n' "$line"
	done
}

# Runs CMD in this shell (not a subshell), so CMD may be a function.
check() {
	local what=$1
	shift
	if "$@" >"$T_DIR/check.out" 2>&1; then
		pass "$what"
		return 0
	fi
	fail "$what"
	note "command: $(printf '%q ' "$@")" "$(cat "$T_DIR/check.out")"
	return 1
}

# ---- scenarios ----

# A new child of this shell must not hold another scenario's stdin open, or
# that scenario would never see EOF.
lib_close_scenario_fds() {
	local fd
	for fd in "${SC_FDS[@]}"; do
		[ -n "$fd" ] && eval "exec $fd>&-"
	done
	return 0
}

lib_scenario_failed() {
	fail "scenario $1 did not become ready: $2"
	note "stdout:" "$(cat "$3.out")" "stderr:" "$(cat "$3.err")"
	exit 1
}

# Read "key=value" lines up to "ready" into PREFIX_key variables.
lib_read_vars() {
	local prefix=$1 file=$2 line key
	while IFS= read -r line; do
		[ "$line" = ready ] && break
		key=${line%%=*}
		[[ $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
		printf -v "${prefix}_$key" '%s' "${line#*=}"
	done <"$file"
}

start_scenario() {
	local prefix=S user="" name i base pid fd cmd deadline
	while [ $# -gt 0 ]; do
		case "$1" in
		--as) prefix=$2; shift 2 ;;
		--user) user=$2; shift 2 ;;
		*) break ;;
		esac
	done
	name=$1
	i=${#SC_PIDS[@]}
	base="$T_DIR/scenario$i"
	mkfifo "$base.in"
	# Read-write: opening a FIFO this way never blocks, and the scenario's
	# read-only open then finds a writer at once.
	exec {fd}<>"$base.in"
	cmd=("$SCENARIO" "$name")
	if [ -n "$user" ]; then
		cmd=(env TMPDIR=/tmp setpriv --reuid="$user" --regid="$(id -g "$user")"
			--clear-groups "${cmd[@]}")
	fi
	(
		SC_FDS+=("$fd")
		lib_close_scenario_fds
		exec "${cmd[@]}"
	) <"$base.in" >"$base.out" 2>"$base.err" &
	pid=$!
	SC_PIDS+=("$pid")
	SC_FDS+=("$fd")
	SC_NAMES+=("$name")
	SC_PREFIXES+=("$prefix")
	deadline=$((SECONDS + 15))
	until grep -qx ready "$base.out"; do
		kill -0 "$pid" 2>/dev/null || lib_scenario_failed "$name" "it exited" "$base"
		[ "$SECONDS" -lt "$deadline" ] || lib_scenario_failed "$name" "timeout" "$base"
		sleep 0.05
	done
	lib_read_vars "$prefix" "$base.out"
	printf -v "${prefix}_main" '%s' "$pid"
}

# Close the scenario's stdin; it should end at once.  A scenario that hangs
# is a failure, and its whole process group is killed.
lib_stop_one() {
	local i=$1 pid=${SC_PIDS[$1]} fd=${SC_FDS[$1]} t status
	[ -n "$pid" ] || return 0
	eval "exec $fd>&-"
	SC_PIDS[i]=""
	SC_FDS[i]=""
	for ((t = 0; t < 100; t++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		fail "scenario ${SC_NAMES[i]} ended cleanly (still running 5 s after EOF on stdin)"
		kill -TERM -- "-$pid" 2>/dev/null
		sleep 1
		kill -KILL -- "-$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return 1
	fi
	wait "$pid"
	status=$?
	if [ "$status" -ne 0 ]; then
		fail "scenario ${SC_NAMES[i]} ended cleanly (exit status $status)"
		note "$(cat "$T_DIR/scenario$i.err")"
		return 1
	fi
	pass "scenario ${SC_NAMES[i]} ended cleanly"
}

stop_scenario() {
	local i rc=0
	for i in "${!SC_PIDS[@]}"; do
		if [ $# -eq 0 ] || [ "${SC_PREFIXES[i]}" = "$1" ]; then
			lib_stop_one "$i" || rc=1
		fi
	done
	return $rc
}

# start_bench_workload ARG...: bench's workload (bench/workload.c, built as
# build/workload) with ARGs, its stdin a FIFO this shell holds (end of file
# ends it; it reaps and cleans up after itself), its one line of output in
# $T_DIR/workload.out ("ready pid=N"); sets wl_pid and wl_fd and checks it
# got ready.  It holds no writer of its own stdin nor of a scenario's.
# stop_bench_workload: end it (EOF on its stdin), wait; its exit status.
start_bench_workload() {
	mkfifo "$T_DIR/workload.in"
	exec {wl_fd}<>"$T_DIR/workload.in"
	(
		lib_close_scenario_fds
		exec {wl_fd}>&-
		exec "$(dirname "$FDSHARE")/workload" "$@"
	) <"$T_DIR/workload.in" >"$T_DIR/workload.out" 2>&1 &
	wl_pid=$!
	for _ in $(seq 200); do
		grep -q '^ready' "$T_DIR/workload.out" && break
		sleep 0.05
	done
	check "bench's workload is ready" grep -q '^ready' "$T_DIR/workload.out"
}

stop_bench_workload() {
	eval "exec $wl_fd>&-"
	wait "$wl_pid"
}

lib_cleanup() {
	local status=$?
	stop_scenario >/dev/null 2>&1
	rm -rf "$T_DIR"
	return $status
}
trap lib_cleanup EXIT

# ---- running fdshare ----

# Sets FDS_WRAP to the command prefix for "--as USER" (and shifts it off
# through FDS_SHIFT).
lib_wrap() {
	FDS_WRAP=()
	FDS_SHIFT=0
	if [ "${1-}" = --as ]; then
		FDS_WRAP=(setpriv --reuid="$2" --regid="$(id -g "$2")" --clear-groups)
		FDS_SHIFT=2
	fi
}

# A sanitizer report or a death by signal is a crash whatever else happened.
lib_check_crash() {
	if [ "$FDS_RC" -ge 128 ] && [ "$FDS_RC" -lt 160 ]; then
		fail "fdshare $* died by signal $((FDS_RC - 128))"
		note "$(head -n 20 "$T_DIR/fds.err")"
		return 1
	fi
	if grep -qE 'Sanitizer|runtime error:' "$T_DIR/fds.err"; then
		fail "fdshare $* ran without a sanitizer report"
		note "$(head -n 30 "$T_DIR/fds.err")"
		return 1
	fi
	return 0
}

fds_json() {
	lib_wrap "$@"
	shift "$FDS_SHIFT"
	FDS_RC=0
	"${FDS_WRAP[@]}" "$FDSHARE" --json "$@" >"$FDS_FILE" 2>"$T_DIR/fds.err" || FDS_RC=$?
	FDS_ERR=$(cat "$T_DIR/fds.err")
	lib_check_crash "--json $*" || return 1
	# Exactly one JSON object, nothing else.
	if [ "$(jq -s 'length == 1 and (.[0] | type) == "object"' "$FDS_FILE" 2>/dev/null)" != true ]
	then
		fail "fdshare --json $* printed one valid JSON object (exit status $FDS_RC)"
		note "stdout:" "$(head -c 2000 "$FDS_FILE")" "stderr:" "$FDS_ERR"
		return 1
	fi
	return 0
}

fds_text() {
	lib_wrap "$@"
	shift "$FDS_SHIFT"
	FDS_RC=0
	"${FDS_WRAP[@]}" "$FDSHARE" "$@" >"$T_DIR/fds.out" 2>"$T_DIR/fds.err" || FDS_RC=$?
	FDS_OUT=$(cat "$T_DIR/fds.out")
	FDS_ERR=$(cat "$T_DIR/fds.err")
	lib_check_crash "$*"
}

# The raw text output, for byte-level checks (FDS_OUT loses NULs and
# trailing newlines).
fds_out_file() { printf '%s\n' "$T_DIR/fds.out"; }

# All jq runs read the output with -n and `input`: an empty file is then
# an error, never a run of the filter over no input (which would pass).
jq_fds() {
	local filter=$1
	shift
	jq -nr "$@" "$JQ_DEFS input | $filter" "$FDS_FILE"
}

# True when FILTER has at least one output and every output is neither false
# nor null; otherwise prints the outputs (for the failure note).
lib_jq_true() {
	local filter=$1 out
	shift
	out=$(jq -nc "$@" "$JQ_DEFS input | [ $filter ] as \$r
		| if (\$r | length) > 0 and all(\$r[]; . != false and . != null)
		  then true else {outputs: \$r} end" "$FDS_FILE") || return 1
	[ "$out" = true ] && return 0
	printf '%s\n' "$out"
	return 1
}

jcheck() {
	local what=$1
	shift
	check "$what" lib_jq_true "$@" || lib_json_context
}

# expect_empty MSG STATUS OUT: pass when a filter ran (STATUS 0) and printed
# nothing; otherwise fail and show what it printed (the offenders).
expect_empty() {
	if [ "$2" -eq 0 ] && [ -z "$3" ]; then
		pass "$1"
		return 0
	fi
	fail "$1"
	note "$(printf '%s\n' "$3" | head -n 10)"
	return 1
}

jnone() {
	local what=$1 filter=$2 out status=0
	shift 2
	out=$(jq -nc "$@" "$JQ_DEFS input | $filter" "$FDS_FILE" 2>&1) || status=$?
	expect_empty "$what" "$status" "$out"
}

# On a failed JSON check, show the processes the scenarios made (compact).
lib_json_context() {
	local pids
	pids=$(lib_scenario_pids)
	note "$(jq -c --argjson pids "[$pids]" '
		(.processes[]? | select(.pid as $p | $pids | index($p))
		 | {pid, comm, partial, error,
		    fds: [.fds[]? | {fd, type, mode, pos, ofd, cloexec, target}]}),
		{ofds: [.ofds[]? | {id, verified, unverified_reason, holders}]}
		' "$FDS_FILE" 2>&1)"
}

# Every pid the running scenarios printed (keys pid, parent, child, main).
lib_scenario_pids() {
	local v list="" p
	for v in $(compgen -v | grep -E '^[A-Za-z0-9]+_(pid|parent|child|main)$'); do
		p=${!v}
		[[ $p =~ ^[0-9]+$ ]] && list="$list${list:+,}$p"
	done
	printf '%s' "$list"
}

only_stdio() {
	local f fd keep=""
	if [ "$1" = --keep ]; then
		keep=$2
		shift 2
	fi
	for f in /proc/$BASHPID/fd/*; do
		fd=${f##*/}
		[ "$fd" -gt 2 ] && [ "$fd" != "$keep" ] && { eval "exec $fd>&-"; } 2>/dev/null
	done
	exec "$@"
}

rc_is() {
	local what=$1 want=$2
	if [ "$FDS_RC" = "$want" ]; then
		pass "$what"
	else
		fail "$what (exit status $FDS_RC, want $want)"
		note "$(head -n 10 "$T_DIR/fds.err")"
		return 1
	fi
}

# The kind of an open file as stat(1) sees it, in the contract's words
# (nothing for kinds stat cannot tell, e.g. anon inodes or memfd).
lib_stat_type() {
	local kind target
	kind=$(stat -L -c %F "/proc/$1/fd/$2" 2>/dev/null) || return 0
	target=$(readlink "/proc/$1/fd/$2" 2>/dev/null)
	case "$target" in /memfd:*) return 0 ;; esac
	# a namespace (nsfs), a POSIX queue, a symlink held by O_PATH
	[[ $target =~ ^[a-z]+:\[[0-9]+\]$ ]] && [ "$kind" = "regular empty file" ] && { echo nsfs; return 0; }
	[ "$(stat -f -L -c %T "/proc/$1/fd/$2" 2>/dev/null)" = mqueue ] && { echo mqueue; return 0; }
	case "$kind" in
	"symbolic link") echo symlink ;;
	"regular file" | "regular empty file") echo reg ;;
	directory) echo dir ;;
	"character special file") echo chr ;;
	"block special file") echo blk ;;
	socket) echo socket ;;
	fifo) case "$target" in pipe:*) echo pipe ;; *) echo fifo ;; esac ;;
	esac
}

fd_types_agree() {
	local pid fd type want bad=0
	while read -r pid fd type; do
		# This shell's own fds are redirected while it checks.
		[ "$pid" = "$$" ] && continue
		want=$(lib_stat_type "$pid" "$fd")
		[ -n "$want" ] || continue
		if [ "$type" != "$want" ]; then
			echo "pid $pid fd $fd: type \"$type\", but stat says $want" \
				"($(readlink "/proc/$pid/fd/$fd" 2>/dev/null))"
			bad=1
		fi
	done < <(jq_fds '.processes[] | .pid as $p | .fds[] | select(.error == null)
	                 | "\($p) \(.fd) \(.type)"')
	return $bad
}
