#!/usr/bin/env bash
# 26-no-kcmp: --no-kcmp never calls kcmp: sharing is grouped by key only
# and every ofd says "verified": false, "unverified_reason": "disabled".
. "$TESTS/lib.sh"

start_scenario --as F fork-offset
start_scenario --as D dup
fargs=(--argjson p "$F_parent" --argjson c "$F_child" --argjson f "$F_fd")

if fds_json --no-kcmp -p "$F_parent"; then
	rc_is "--no-kcmp -p exits 0" 0
	jcheck "scan.kcmp is disabled, no kcmp call" '.scan.kcmp == "disabled" and .scan.kcmp_calls == 0'
	jcheck "the fork-offset pair is still grouped under one ofd id" \
		'ofd_of($p; $f) != null and ofd_of($c; $f) == ofd_of($p; $f)' "${fargs[@]}"
	jcheck "that ofd: verified false, unverified_reason disabled, both holders" \
		'ofd(ofd_of($p; $f)) | .verified == false and .unverified_reason == "disabled"
		 and holds(.; $p; $f) and holds(.; $c; $f)' "${fargs[@]}"
	jnone "no ofd at all is verified" '.ofds[] | select(.verified != false) | .id'
fi

if fds_json --no-kcmp -p "$D_pid"; then
	jcheck "dup trio: one ofd, unverified (disabled)" \
		'ofd(ofd_of($p; $a)) | .verified == false and .unverified_reason == "disabled"
		 and holds(.; $p; $b) and holds(.; $p; $c)' \
		--argjson p "$D_pid" --argjson a "$D_fd" --argjson b "$D_dupfd" --argjson c "$D_fd2"
fi

if fds_text --no-kcmp -p "$F_parent" -o FD,SHARED; then
	check "text SHARED: ? $F_child (scenario) fd $F_fd (unverified: disabled)" \
		grep -Eq "^ *$F_fd +(.*[ ,])?\? $F_child \(scenario\) fd $F_fd \(unverified: disabled\)" \
		"$(fds_out_file)"
fi

# Against the same processes, with kcmp, the pair is verified: the
# difference comes from the option, not from the processes.
if fds_json -p "$F_parent"; then
	jcheck "without --no-kcmp the same pair is verified" \
		'ofd(ofd_of($p; $f)).verified == true' "${fargs[@]}"
fi

stop_scenario
