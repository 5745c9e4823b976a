#!/usr/bin/env bash
# 44-watch-zombie: a child exits with code 7 and is reaped 1 s later: exit,
# zombie (at the exit's time) and reaped (by the parent, after >= 1 s).
# needs: host pid namespace
. "$TESTS/lib.sh"
. "$TESTS/watch.sh"

watch_start || exit 1
start_scenario watch-zombie-delay
args=(--argjson p "$S_parent" --argjson z "$S_zombie" --argjson d "$S_delay_ms")
watch_wait "the reaped event shows up" 'evp("reaped"; $z)' "${args[@]}"
stop_scenario
watch_stop INT

check "fdshare exits 0 (status $W_RC)" test "$W_RC" = 0
check "every line is one JSON object" w_lines_parse
wcheck "exit: code $S_code" '[evp("exit"; $z)] | length == 1 and .[0].code == 7 and .[0].ppid == $p' \
	"${args[@]}"
wcheck "zombie: once, not reaped by the parent, at the exit's time" \
	'[evp("exit"; $z)][0].mono_ns as $t | [evp("zombie"; $z)]
	 | length == 1 and .[0].ppid == $p and .[0].parent_comm == "scenario" and .[0].mono_ns == $t' \
	"${args[@]}"
wcheck "reaped: once, by the parent, after at least ${S_delay_ms} ms" \
	'[evp("reaped"; $z)] | length == 1 and .[0].ppid == $p and (.[0].zombie_ms | isint)
	 and .[0].zombie_ms >= $d' "${args[@]}"
wcheck "reaped comes after zombie, and no earlier than the delay after the exit" \
	'([.[] | select(.pid == $z) | .event] == ["fork", "exit", "zombie", "reaped"])
	 and ([evp("reaped"; $z)][0].mono_ns - [evp("exit"; $z)][0].mono_ns >= $d * 1000000)' \
	"${args[@]}"
