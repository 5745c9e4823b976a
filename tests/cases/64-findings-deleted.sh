#!/usr/bin/env bash
# 64-findings-deleted: a deleted file held open is deleted-open, with its
# size; info below --warn deleted-size (1 GiB by default), warning or
# critical past the thresholds.  A memfd is not a deleted file, nor is a
# file still linked.
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"

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
