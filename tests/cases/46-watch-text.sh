#!/usr/bin/env bash
# 46-watch-text: the text lines: "HH:MM:SS.mmm KIND     PID (COMM) details".
# needs: host pid namespace
. "$TESTS/lib.sh"
. "$TESTS/watch.sh"

watch_start --text -p $$ || exit 1
start_scenario watch-lifecycle
start_scenario --as Z watch-zombie-delay
deadline=$((SECONDS + 20))
# Anchored: the exec line of this very grep holds the pattern too.
until grep -Eq "^[0-9:.]+ reaped   $Z_zombie " "$W_OUT" && grep -Eq "^[0-9:.]+ exit     $S_killed " "$W_OUT"; do
	[ "$SECONDS" -lt "$deadline" ] || break
	sleep 0.05
done
stop_scenario
watch_stop INT
check "fdshare exits 0 (status $W_RC)" test "$W_RC" = 0

t='[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}'
line() {
	check "$1" grep -Eq "^$t $2\$" "$W_OUT" || note "$(tail -n 25 "$W_OUT")"
}
line "the start line" "start    watching [0-9]+ processes \\(subtrees of $$\\); events fork,exec,exit,reparent,zombie,reaped,lost; kernel filter (on|unavailable); receive buffer [0-9]+ KiB"
line "fork: child (name) parent (name)" "fork     $S_exiter \\(scenario\\) parent $S_parent \\(scenario\\)"
line "exec: new name, old name, argv" "exec     $S_execer \\(sleep\\) was scenario: sleep infinity"
line "exit with a code" "exit     $S_exiter \\(scenario\\) code 3, parent $S_parent \\(scenario\\)"
line "exit by a signal" "exit     $S_killed \\(scenario\\) killed by SIGKILL, parent $S_parent \\(scenario\\)"
line "zombie" "zombie   $Z_zombie \\(scenario\\) not reaped yet by $Z_parent \\(scenario\\)"
line "reaped, with the time as a zombie" "reaped   $Z_zombie \\(scenario\\) by $Z_parent \\(scenario\\) after [1-9][0-9]*\\.[0-9]{3} s"
line "the summary line, last" "summary  fork [0-9]+ exec [0-9]+ exit [0-9]+ reparent [0-9]+ zombie [1-9][0-9]* reaped [1-9][0-9]* lost [0-9]+; ended by SIGINT after [0-9]+\\.[0-9] s"
check "the summary is the last line" sh -c 'tail -n 1 "$1" | grep -q " summary "' sh "$W_OUT"
check "every line starts with a time and a known kind" \
	sh -c '! grep -Evq "^$2 (start|fork|exec|exit|reparent|zombie|reaped|lost|summary) " "$1"' sh "$W_OUT" "$t"
