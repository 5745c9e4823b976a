#!/usr/bin/env bash
# 42-watch-orphan: a child forks a grandchild and exits; the reparent event
# names the adopter (here nobody is a subreaper: init, or the nearest
# subreaper above the test) and remembers the birth parent.
# needs: host pid namespace
. "$TESTS/lib.sh"
. "$TESTS/watch.sh"

watch_start || exit 1
start_scenario watch-orphan
args=(--argjson p "$S_parent" --argjson c "$S_child" --argjson g "$S_grandchild"
	--argjson a "$S_adopter")
watch_wait "the grandchild's reparent shows up" 'evp("reparent"; $g)' "${args[@]}"
stop_scenario
watch_stop TERM

# What the adopter is: pid 1 of its pid namespace, or a subreaper.
kind=subreaper
nspid=$(awk '/^NSpid:/ { print $NF }' "/proc/$S_adopter/status" 2>/dev/null)
[ "$S_adopter" = 1 ] || [ "$nspid" = 1 ] && kind=init

check "fdshare exits 0 on SIGTERM (status $W_RC)" test "$W_RC" = 0
check "every line is one JSON object" w_lines_parse
wcheck "the summary says SIGTERM ended it" '.[-1] | .event == "summary" and .signal == "SIGTERM"'
check "the scenario's adopter ($S_adopter) is not the scenario" test "$S_adopter" != "$S_parent"
wcheck "fork: parent -> child -> grandchild" \
	'[evp("fork"; $c)][0].ppid == $p and [evp("fork"; $g)][0].ppid == $c' "${args[@]}"
wcheck "exit: the child, code 0, parent = the scenario" \
	'[evp("exit"; $c)] | length == 1 and .[0].code == 0 and .[0].ppid == $p' "${args[@]}"
wcheck "reparent: the grandchild, from the child to the adopter ($kind), born of the child" \
	'[evp("reparent"; $g)] | length == 1 and .[0].old_ppid == $c and .[0].ppid == $a
	 and .[0].birth_ppid == $c and .[0].adopter == $kind' "${args[@]}" --arg kind "$kind"
wcheck "the reparent comes after the child's exit, at the exit's time" \
	'([.[] | select((.event == "exit" and .pid == $c) or (.event == "reparent" and .pid == $g))
	  | .event] == ["exit", "reparent"])
	 and ([evp("reparent"; $g)][0].mono_ns == [evp("exit"; $c)][0].mono_ns)' "${args[@]}"
wnone "nobody else is said to be adopted from the child" \
	'ev("reparent") | select(.old_ppid == $c and .pid != $g)' "${args[@]}"
