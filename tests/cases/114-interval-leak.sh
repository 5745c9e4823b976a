#!/usr/bin/env bash
# 114-interval-leak: --interval 2 against a real leaker (one more fd every
# 50 ms: a file, then a TCP connection, in turn) and its twin (opens and
# closes as many): the leaker's count rises steadily, fd-growth names it
# with its rate, the time left to its soft limit (4096) and what the new
# fds are; the twin and the acceptor stay flat and silent.  Processes
# that start or end between the scans are named as such, not as growth.
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"

start_scenario --as L leaker
a=(--argjson l "$L_leaker" --argjson acc "$L_acceptor")
TP='def tp($p): .processes[] | select(.pid == $p);'
if fds_json --interval 2 -p "$L_leaker,$L_acceptor"; then
	rc_is "leaker: exit 0" 0
	jcheck "one document: mode interval, two scans, 11 samples each (10 per interval)" \
		'.mode == "interval" and (.scans | length) == 2 and all(.processes[]; (.samples | length) == 11)'
	jcheck "the leaker rose steadily by 20 or more" "$TP"' tp($l) | .status == "running" and .steady and .change >= 20' "${a[@]}"
	jcheck "its rate is about 20 fds a second (600 to 1500 a minute)" \
		"$TP"' tp($l) | .per_minute >= 600 and .per_minute <= 1500' "${a[@]}"
	jcheck "time to its limit of 4096 agrees with the rate (within 10 %)" \
		"$TP"' tp($l) | .limit == 4096 and ((.seconds_to_limit - (4096 - .after) * 60 / .per_minute) | fabs) <= 0.1 * .seconds_to_limit + 1' "${a[@]}"
	jcheck "the new fds are grouped: the file, and tcp to the acceptor's port" \
		"$TP"' tp($l).appeared | (map(.what) | index("reg " + $path) != null and index("socket tcp 127.0.0.1:" + $port) != null)' \
		"${a[@]}" --arg path "$L_path" --arg port "$L_port"
	jcheck "each new fd is a new open file description" "$TP"' tp($l) | .new_ofds == .appeared_fds' "${a[@]}"
	jcheck "fd-growth (warning) names the leaker, and only it" \
		'[.findings[] | select(.code == "fd-growth")] | length == 1 and .[0].severity == "warning" and .[0].pids == [$l]' "${a[@]}"
	jcheck "fd-growth evidence: before, after, per_minute, limit, seconds_to_limit" \
		'.findings[] | select(.code == "fd-growth") | .evidence | (.after - .before) >= 20 and .limit == 4096 and (.seconds_to_limit | isint) and .per_minute >= 600'
	jcheck "the acceptor is not growing" "$TP"' tp($acc) | .steady == false' "${a[@]}"
fi
if fds_text --interval 2 -p "$L_leaker"; then
	check "text: a WARNING fd-growth entry for the leaker" \
		grep -Eq "^WARNING fd-growth: $L_leaker \(scenario\) opens fds steadily: [0-9]+ -> [0-9]+ in 2\.[0-9] s" "$(fds_out_file)"
	check "text: its row says steady and the new tcp fds" \
		grep -Eq "^ *$L_leaker +scenario +[0-9]+ +[0-9]+ +\+[0-9]+ .* yes +4096 .*socket tcp 127\.0\.0\.1:$L_port" "$(fds_out_file)"
fi
fds_text --check --interval 1 -p "$L_leaker"
rc_is "--check --interval 1: WARNING" 1
check "--check names fd-growth" grep -q "fd-growth" "$(fds_out_file)"
stop_scenario L

start_scenario --as T leak-twin
if fds_json --interval 2 -p "$T_leaker,$T_acceptor"; then
	rc_is "twin: exit 0" 0
	jnone "twin: no fd-growth" '.findings[] | select(.code == "fd-growth")'
	jcheck "twin: flat (within one fd), not steady" \
		"$TP"' tp($l) | .steady == false and (.change | fabs) <= 1' --argjson l "$T_leaker"
fi
fds_text --check --interval 1 -p "$T_leaker"
rc_is "twin: --check --interval 1: OK" 0
stop_scenario T

# Started and ended between the scans: not growth.
sleep 300 &
old=$!
( sleep 0.7; kill "$old"; exec sleep 300 ) &
new=$!
if fds_json --interval 1.5 -c sleep; then
	jcheck "a sleep that ended between the scans is 'ended'" \
		"$TP"' tp($o) | .status == "ended" and .after == .before' --argjson o "$old"
	jcheck "one that started between them is 'started', with no before" \
		"$TP"' tp($n) | .status == "started" and .counts[0] == null and .counts[1] >= 0' --argjson n "$new"
	jnone "neither is fd-growth" '.findings[] | select(.code == "fd-growth")'
fi
kill "$new" 2>/dev/null
wait 2>/dev/null

fds_text --interval 0 -p 1
rc_is "--interval 0: usage error 100" 100
fds_text --interval 1 --count 1 -p 1
rc_is "--interval with --count 1: usage error 100" 100
fds_text --interval 1 /tmp
rc_is "--interval with a PATH: usage error 100" 100
