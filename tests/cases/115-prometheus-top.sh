#!/usr/bin/env bash
# 115-prometheus-top: --prometheus gives the fd count (and soft limit) of the
# N processes holding the most fds (--top N, default 10), labeled by pid
# and comm, in a valid exposition; --top 0 gives none; --top needs
# --prometheus.
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"

start_scenario --as L leaker
sleep 1   # by now it holds some 20 fds more than anything else here
if fds_text --prometheus --top 1; then
	rc_is "--prometheus --top 1: exit 0" 0
	prom_valid
	check "one fdshare_process_fds sample, the leaker's" \
		test "$(grep -c '^fdshare_process_fds{' "$(fds_out_file)")" = 1
	check "it names the leaker by pid and comm, with its count" \
		grep -Eq "^fdshare_process_fds\{pid=\"$L_leaker\",comm=\"scenario\"\} [0-9]+$" "$(fds_out_file)"
	check "and its soft limit, 4096" \
		grep -Eq "^fdshare_process_fds_limit\{pid=\"$L_leaker\",comm=\"scenario\"\} 4096$" "$(fds_out_file)"
fi
if fds_text --prometheus; then
	n=$(grep -c '^fdshare_process_fds{' "$(fds_out_file)")
	live=$(ls -d /proc/[0-9]* | wc -l)
	check "default: at most 10 processes ($n of about $live)" test "$n" -le 10 -a "$n" -ge 3
fi
if fds_text --prometheus --top 0; then
	check "--top 0: no per-process sample" bash -c '! grep -q "^fdshare_process_fds{" "$1"' _ "$(fds_out_file)"
	prom_valid
fi
fds_text --top 3
rc_is "--top without --prometheus: usage error 100" 100
fds_text --prometheus --top x
rc_is "--top x: usage error 100" 100
stop_scenario L
