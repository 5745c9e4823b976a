#!/usr/bin/env bash
# 43-watch-subreaper: the same orphan with PR_SET_CHILD_SUBREAPER on the
# scenario: it adopts the grandchild, and -p keeps to its subtree (new
# descendants included).
# needs: host pid namespace
. "$TESTS/lib.sh"
. "$TESTS/watch.sh"

# A scope root that exists before the scenario does: a shell that starts
# the scenario when told.
mkfifo "$T_DIR/go"
(
	read -r _ <"$T_DIR/go"
	exec "$SCENARIO" watch-orphan-subreaper <"$T_DIR/go.in" >"$T_DIR/sc.out" 2>"$T_DIR/sc.err"
) &
root=$!
mkfifo "$T_DIR/go.in"

watch_start -p "$root" || exit 1
# The scenario's stdin: it ends at EOF, once we close this (fdshare must
# not hold it: opened after fdshare started).
exec {hold}<>"$T_DIR/go.in"
echo go >"$T_DIR/go"
deadline=$((SECONDS + 15))
until grep -qx ready "$T_DIR/sc.out" 2>/dev/null; do
	[ "$SECONDS" -lt "$deadline" ] || { fail "the scenario became ready"; note "$(cat "$T_DIR/sc.err")"; exit 1; }
	sleep 0.05
done
lib_read_vars S "$T_DIR/sc.out"
args=(--argjson p "$S_parent" --argjson c "$S_child" --argjson g "$S_grandchild")
watch_wait "the grandchild's reparent shows up" 'evp("reparent"; $g)' "${args[@]}"
exec {hold}>&-
wait "$root"
check "the scenario ended cleanly" test $? = 0
# SIGINT stops fdshare at once: events it has not read yet (a loaded
# machine) are never reported, so wait for the last one checked below.
watch_wait "the grandchild's exit shows up" 'evp("exit"; $g)' "${args[@]}"
watch_stop INT

check "the scenario is its own adopter: adopter=$S_adopter parent=$S_parent" test "$S_adopter" = "$S_parent"
check "fdshare exits 0 (status $W_RC)" test "$W_RC" = 0
check "every line is one JSON object" w_lines_parse
wcheck "the start line names the -p root" '.[0].pids == [$r]' --argjson r "$root"
wcheck "the scenario (exec'd by the root shell) is in scope: its exec is shown" \
	'[evp("exec"; $p)] | length == 1 and .[0].comm == "scenario"' "${args[@]}"
wcheck "fork: parent -> child -> grandchild, new descendants of the root" \
	'[evp("fork"; $c)][0].ppid == $p and [evp("fork"; $g)][0].ppid == $c' "${args[@]}"
wcheck "reparent: the grandchild to the scenario itself, a subreaper, born of the child" \
	'[evp("reparent"; $g)] | length == 1 and .[0].old_ppid == $c and .[0].ppid == $p
	 and .[0].adopter == "subreaper" and .[0].birth_ppid == $c and .[0].parent_comm == "scenario"' \
	"${args[@]}"
wcheck "the grandchild's exit (at the end) names its adopter as parent" \
	'[evp("exit"; $g)] | length == 1 and .[0].ppid == $p and .[0].signal == "SIGTERM"' "${args[@]}"
# (Not just these four pids: a sanitizer build forks a helper at exit.)
wnone "-p $root: only the root's subtree is reported: each pid forked from it" \
	'(reduce ev("fork") as $f ({}; .[$f.pid | tostring] = $f.ppid)) as $par
	 | def up($x; $n): if $x == $r then true elif $n > 0 and $par[$x | tostring] != null
	                  then up($par[$x | tostring]; $n - 1) else false end;
	 .[] | select(.pid != null) | select(up(.pid; 64) | not) | {event, pid, comm}' \
	"${args[@]}" --argjson r "$root"
