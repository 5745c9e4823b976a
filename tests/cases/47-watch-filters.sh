#!/usr/bin/env bash
# 47-watch-filters: -p keeps to one subtree (other processes' events are
# left out), --events chooses kinds, --count and --duration end the watch
# by themselves; -p of a missing pid is exit 2.
# needs: host pid namespace
. "$TESTS/lib.sh"
. "$TESTS/watch.sh"

# Noise that -p must leave out: a loop of /bin/true beside the subtree.
( while :; do /bin/true; sleep 0.02; done ) &
noise=$!
# The subtree: a shell that runs "sh -c 'exit 4'" a few times when told.
mkfifo "$T_DIR/go"
( read -r _ <"$T_DIR/go"; for i in 1 2 3; do /bin/sh -c 'exit 4'; done; sleep 0.5 ) &
root=$!

watch_start -p "$root" --events exit,exec || exit 1
echo go >"$T_DIR/go"
watch_wait "three exits with code 4 in the subtree" '[ev("exit") | select(.code == 4)] | length == 3'
watch_stop INT
check "fdshare exits 0 (status $W_RC)" test "$W_RC" = 0
check "every line is one JSON object" w_lines_parse
wcheck "the start line lists the chosen kinds, and lost (never hidden)" \
	'.[0].events == ["exec", "exit", "lost"]'
# (A name is null when the program was reaped before fdshare read it.)
wcheck "the subtree's execs are there: three children of the root, sh" \
	'[ev("exec") | select(.ppid == $r)] | length == 3 and all(.comm == "sh" or .comm == null)' \
	--argjson r "$root"
wnone "--events exit,exec: no other kind is printed (but lost)" \
	'.[1:-1][] | select(.event != "exit" and .event != "exec" and .event != "lost") | .event'
wnone "-p $root: nothing of the noise loop ($noise) is printed" \
	'.[] | select(.pid == $n or .ppid == $n or .comm == "true") | {event, pid, comm}' --argjson n "$noise"
wait "$root"

# --count: ends by itself after N events.
mkfifo "$T_DIR/go2"
( read -r _ <"$T_DIR/go2"; for i in 1 2 3 4 5; do /bin/sh -c 'exit 0'; done ) &
root=$!
watch_start -p "$root" --events exit --count 2 || exit 1
echo go >"$T_DIR/go2"
watch_end
check "--count 2: ends by itself with 0 (status $W_RC)" test "$W_RC" = 0
check "every line is one JSON object" w_lines_parse
wcheck "--count 2: two exit lines between start and summary" \
	'length == 4 and ([.[1:3][] | .event] == ["exit", "exit"])'
wcheck "the summary says the count ended it" '.[-1] | .ended == "count" and .signal == null and .counts.exit == 2'
wait "$root"

# --duration: ends by itself, whatever happens.
SECONDS=0
watch_start --duration 1 -p $$ || exit 1
watch_end
check "--duration 1: ends by itself with 0 (status $W_RC)" test "$W_RC" = 0
check "--duration 1: within a few seconds ($SECONDS s)" test "$SECONDS" -lt 10
wcheck "the summary says the duration ended it, after about 1 s" \
	'.[-1] | .ended == "duration" and .milliseconds >= 1000'

# A pid that does not exist.
gone=4000000
while [ -e "/proc/$gone" ]; do gone=$((gone + 1)); done
fds_text --watch -p "$gone" --duration 5
rc_is "-p of a missing pid: 2" 2
check "it says which pid" grep -q "no such process: $gone" "$T_DIR/fds.err"
kill "$noise"
wait "$noise" 2>/dev/null
true
