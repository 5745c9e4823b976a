#!/usr/bin/env bash
# 32-zombies-signals: a parent leaves children unreaped under each SIGCHLD
# disposition; fdshare names the parent, exactly those zombies and the
# reason.  A parent that reaps in a loop has no zombie group.
. "$TESTS/lib.sh"
. "$TESTS/zombie_lib.sh"

zombie_case default sigchld-default
zombie_case ignore sigchld-ignored
zombie_case caught sigchld-caught
check "caught: the handler reaped one of 4 (signals coalesce)" test "$Z_count" = 3
zombie_case blocked sigchld-blocked

start_scenario --as K reaper-ok
if fds_json; then
	jnone "reaper-ok: no zombie group" '.zombie_groups[] | .parent'
	jnone "reaper-ok: no process in state Z" '.processes[] | select(.state == "Z") | .pid'
	jcheck "reaper-ok: the reaper itself is listed" 'proc($p).state != "Z"' --argjson p "$K_parent"
fi
if fds_text --tree -p "$K_parent"; then
	check "reaper-ok text: no zombies section" bash -c '! grep -q "zombie" "$1"' _ "$(fds_out_file)"
fi
if fds_text; then
	check "reaper-ok overview: no zombies: line" bash -c '! grep -q "^zombies:" "$1"' _ "$(fds_out_file)"
fi
stop_scenario K
