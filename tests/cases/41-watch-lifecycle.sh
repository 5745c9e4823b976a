#!/usr/bin/env bash
# 41-watch-lifecycle: fork, exec, exit with a code and by a signal, seen
# live as NDJSON: every line one JSON object with its kind's keys.
# needs: host pid namespace
. "$TESTS/lib.sh"
. "$TESTS/watch.sh"

watch_start || exit 1
start_scenario watch-lifecycle
args=(--argjson p "$S_parent" --argjson a "$S_exiter" --argjson b "$S_execer" --argjson c "$S_killed")
watch_wait "the exit of the killed child shows up" 'evp("exit"; $c)' "${args[@]}"
stop_scenario
watch_wait "the exec'd child's exit shows up once the scenario ends it" 'evp("exit"; $b)' "${args[@]}"
watch_stop INT

check "fdshare exits 0 on SIGINT (status $W_RC)" test "$W_RC" = 0
check "every line is one JSON object" w_lines_parse
wcheck "the first line is the start line, the last the summary" \
	'.[0].event == "start" and .[-1].event == "summary"'
wcheck "the summary says SIGINT ended it" '.[-1] | .ended == "signal" and .signal == "SIGINT"'
wcheck "fork: parent -> each of the three children, named scenario" \
	'[$a, $b, $c][] as $k | [evp("fork"; $k)] | length == 1 and .[0].ppid == $p
	 and .[0].comm == "scenario" and .[0].parent_comm == "scenario" and .[0].parent_tid == $p' \
	"${args[@]}"
wcheck "exec: the second child became sleep, argv [\"sleep\", \"infinity\"]" \
	'[evp("exec"; $b)] | length == 1 and .[0].comm == "sleep" and .[0].old_comm == "scenario"
	 and .[0].argv == ["sleep", "infinity"] and .[0].ppid == $p' "${args[@]}"
wcheck "exit: the first child with code 3" \
	'[evp("exit"; $a)] | length == 1 and .[0].code == 3 and .[0].signal == null
	 and .[0].status == 768 and .[0].core_dumped == false and .[0].ppid == $p' "${args[@]}"
wcheck "exit: the exec'd child, named sleep, by the scenario's SIGTERM" \
	'[evp("exit"; $b)] | length == 1 and .[0].signal == "SIGTERM" and .[0].comm == "sleep"' \
	"${args[@]}"
wcheck "exit: the third child killed by SIGKILL, no code" \
	'[evp("exit"; $c)] | length == 1 and .[0].code == null and .[0].signal == "SIGKILL"
	 and .[0].status == 9' "${args[@]}"
wcheck "each child's events come in order: fork, then exit" \
	'[$a, $b, $c][] as $k | [.[] | select(.pid == $k and (.event == "fork" or .event == "exit"))
	 | .event] == ["fork", "exit"]' "${args[@]}"
wcheck "time is RFC 3339 UTC with microseconds, mono_ns an integer" \
	'.[] | (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$"))
	 and (.mono_ns | isint)'
keys='{
  "start": ["event","events","kernel_filter","mono_ns","pids","processes","rcvbuf","time"],
  "summary": ["counts","ended","event","milliseconds","mono_ns","signal","time"],
  "fork": ["comm","event","mono_ns","parent_comm","parent_tid","pid","ppid","time"],
  "exec": ["argv","comm","event","mono_ns","old_comm","parent_comm","pid","ppid","time"],
  "exit": ["code","comm","core_dumped","event","mono_ns","parent_comm","pid","ppid","signal","status","time"],
  "zombie": ["comm","event","mono_ns","parent_comm","pid","ppid","time"],
  "reaped": ["comm","event","mono_ns","parent_comm","pid","ppid","time","zombie_ms"],
  "reparent": ["adopter","birth_ppid","comm","event","mono_ns","old_ppid","parent_comm","pid","ppid","time"],
  "lost": ["event","mono_ns","processes","reason","time"]
}'
wnone "every line has exactly the keys of its kind" \
	'.[] | select((keys - ["comm_hex", "parent_comm_hex", "old_comm_hex"]) != $k[.event]) | {event, keys: keys}' \
	--argjson k "$keys"
wcheck "summary counts: one per printed line of each kind" \
	'. as $all | [.[-1].counts | to_entries[] | .key as $k | .value == ([$all[] | select(.event == $k)] | length)] | all'
