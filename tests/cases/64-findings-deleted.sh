#!/usr/bin/env bash
# 64-findings-deleted: a deleted file held open is deleted-open, with its
# size; info below --warn deleted-size (1 GiB by default), warning or
# critical past the thresholds.  A memfd is not a deleted file, nor is a
# file still linked, nor an O_TMPFILE file (cron's job output capture),
# which was never linked, nor an empty file deleted at once (a file-based
# mutex, as apache2 with "Mutex file:DIR" keeps: nothing stays in use).
# (tail -f on a deleted log: tests/cases/71-real-patterns.sh.)
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"
. "$TESTS/lib_real.sh"

start_scenario --as D f-deleted
fired deleted-open info "$D_pid"
if fds_json -p "$D_pid"; then
	a=(--argjson p "$D_pid" --argjson f "$D_fd" --argjson b "$D_fd_big")
	jcheck "deleted: two findings, one per file" \
		'[.findings[] | select(.code == "deleted-open")] | length == 2'
	jcheck "deleted: sizes $D_size and $D_size_big, each with its fd" \
		'[.findings[] | select(.code == "deleted-open") | {size: .evidence.size, fds}]
		 | sort_by(.size) == [{size: $s, fds: [{pid: $p, fd: $f}]}, {size: $sb, fds: [{pid: $p, fd: $b}]}]' \
		"${a[@]}" --argjson s "$D_size" --argjson sb "$D_size_big"
	jcheck "deleted: both info by default" \
		'all(.findings[] | select(.code == "deleted-open"); .severity == "info")'
fi
if fds_json -p "$D_pid" --warn deleted-size=1M; then
	jcheck "--warn deleted-size=1M: the 2 MiB file is a warning, the 4 KiB one info" \
		'[.findings[] | select(.code == "deleted-open") | [.evidence.size, .severity]] | sort
		 == [[$s, "info"], [$sb, "warning"]]' --argjson s "$D_size" --argjson sb "$D_size_big"
fi
if fds_json -p "$D_pid" --crit deleted-size=2M; then
	jcheck "--crit deleted-size=2M: the 2 MiB file is critical" \
		'[.findings[] | select(.code == "deleted-open" and .severity == "critical") | .evidence.size] == [$sb]' \
		--argjson sb "$D_size_big"
fi
if fds_text -p "$D_pid"; then
	check "text: the path without ' (deleted)', the size in words" \
		grep -Eq "^INFO deleted-open: .*/big\\.log was deleted but is still open in $D_pid \\(scenario\\) fd $D_fd_big: its 2\\.0 MiB" \
		"$(fds_out_file)"
fi
fds_text --check -p "$D_pid" --warn deleted-size=1M
rc_is "--check --warn deleted-size=1M: WARNING" 1
fds_text --check -p "$D_pid" --crit deleted-size=1M
rc_is "--check --crit deleted-size=1M: CRITICAL" 2
stop_scenario D

start_scenario --as M f-memfd
silent deleted-open "$M_pid"
if fds_json -p "$M_pid"; then
	jcheck "memfd twin: fd $M_fd is a memfd, fd $M_fd_file a linked file" \
		'fd($p; $m).type == "memfd" and fd($p; $f).deleted == false' \
		--argjson p "$M_pid" --argjson m "$M_fd" --argjson f "$M_fd_file"
fi
stop_scenario M

start_scenario --as C f-tmpfile-capture
silent deleted-open "$C_keeper,$C_job"
silent shared-offset-write "$C_keeper,$C_job"
if fds_json -p "$C_keeper,$C_job"; then
	jcheck "O_TMPFILE twin: the keeper's fd $C_fd is the job's stdout and stderr, deleted false" \
		'ofd_of($k; $f) as $o | fd($j; 1).ofd == $o and fd($j; 2).ofd == $o
		 and fd($k; $f).deleted == false and (fd($k; $f).flags | index("O_TMPFILE")) != null' \
		--argjson k "$C_keeper" --argjson j "$C_job" --argjson f "$C_fd"
	jnone "O_TMPFILE capture: no finding at all" '.findings[]'
fi
fds_text --check -p "$C_keeper,$C_job"
rc_is "O_TMPFILE capture: --check OK" 0
stop_scenario C

# An empty file unlinked as soon as it was opened, then locked: a mutex,
# not space held.
bash -c 'exec 3>"$1"; rm "$1"; flock 3; exec sleep 300' _ "$T_DIR/mpm-accept" &
mutex=$!
wait_for "the mutex holder to run sleep" bash -c '[ "$(cat /proc/$1/comm)" = sleep ]' _ "$mutex"
silent deleted-open "$mutex"
if fds_json -p "$mutex"; then
	jcheck "empty deleted mutex: fd 3 is a deleted regular file of 0 bytes (so the rule saw it)" \
		'fd($p; 3) | .deleted == true and .type == "reg"' --argjson p "$mutex"
fi
kill "$mutex"
