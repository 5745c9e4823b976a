#!/usr/bin/env bash
# 25-vanish: scans racing with processes that appear and vanish: fdshare may
# give an incomplete answer (exit 1) but never crashes, and its JSON stays
# valid and self-consistent.
. "$TESTS/lib.sh"

start_scenario vanish

# consistent LABEL: exit status agrees with "complete"; holders exist.
consistent() {
	local l=$1
	check "$l: exit 0 or 1" test "$FDS_RC" = 0 -o "$FDS_RC" = 1
	jcheck "$l: schema 1, complete agrees with the exit status" \
		'.schema == 1 and .complete == ($rc == 0)' --argjson rc "$FDS_RC"
	jnone "$l: every holder's fd is listed with that ofd id" \
		'. as $r | .ofds[] | .id as $id | .holders[] | . as $h
		 | select([$r.processes[] | select(.pid == $h.pid) | .fds[]
		           | select(.fd == $h.fd and .ofd == $id)] | length != 1)
		 | {ofd: $id, holder: $h}'
	jnone "$l: every ofds entry has 2+ holders" '.ofds[] | select((.holders | length) < 2) | .id'
}

for i in 1 2 3 4 5; do
	fds_json && consistent "overview run $i"
done
for i in 1 2 3; do
	fds_json -p "$S_pid" && consistent "-p vanish parent, run $i"
	fds_json -c scenario && consistent "-c scenario, run $i"
	fds_json --no-kcmp && consistent "--no-kcmp overview, run $i"
done
for i in 1 2 3; do
	fds_text && check "text overview run $i: exit 0 or 1" test "$FDS_RC" = 0 -o "$FDS_RC" = 1
done
check "the vanish scenario is still alive" kill -0 "$S_main"

stop_scenario
