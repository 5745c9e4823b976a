#!/usr/bin/env bash
# 51-endpoint-fifo: a FIFO opened by a reader and twice by a writer: the
# reader's other end is both write descriptions; the two write opens are
# separate descriptions of the same end, not each other's other end.
# "fdshare FIFO" lists them all, with the ENDPOINT column.
. "$TESTS/lib.sh"

start_scenario ep-fifo
ends='def ends($p; $f): [fd($p; $f) | .endpoints[]? | {pid, fd}] | sort_by(.pid, .fd);'
args=(--argjson r "$S_reader" --argjson rf "$S_rfd" --argjson w "$S_writer"
	--argjson w1 "$S_wfd" --argjson w2 "$S_wfd2" --arg path "$S_path")

if fds_json -p "$S_reader,$S_writer"; then
	rc_is "-p reader,writer exits 0" 0
	jcheck "all three fds are fifos on the path" \
		'[fd($r; $rf), fd($w; $w1), fd($w; $w2)] | length == 3
		 and all(.[]; .type == "fifo" and .target == $path)' "${args[@]}"
	jcheck "the reader's other end: both write opens" \
		"$ends"' ends($r; $rf) == ([{pid: $w, fd: $w1}, {pid: $w, fd: $w2}] | sort_by(.pid, .fd))' \
		"${args[@]}"
	jcheck "each write open's other end: the reader only" \
		"$ends"' ends($w; $w1) == [{pid: $r, fd: $rf}] and ends($w; $w2) == [{pid: $r, fd: $rf}]' \
		"${args[@]}"
	jcheck "the two write opens are two descriptions" 'ofd_of($w; $w1) != ofd_of($w; $w2)' \
		"${args[@]}"
fi

if fds_json "$S_path"; then
	rc_is "fdshare FIFO exits 0" 0
	jcheck "PATH mode lists the three fds of the FIFO, with their endpoints" \
		'[.processes[].fds[] | select(.target == $path and (.endpoints | length) >= 1)] | length == 3' \
		"${args[@]}"
fi

if fds_text "$S_path"; then
	out=$(fds_out_file)
	check "text PATH: the header has ENDPOINT" grep -Eq '^ *OFD +PID +COMMAND .* ENDPOINT +TARGET *$' "$out"
	check "text PATH: the reader's row names both write opens" \
		grep -Eq "<- $S_writer \(scenario\) fd [0-9]+, $S_writer \(scenario\) fd [0-9]+ " "$out"
	check "text PATH: two rows lead to the reader's fd $S_rfd" \
		test "$(grep -Ec -- "-> $S_reader \(scenario\) fd $S_rfd " "$out")" = 2
fi

stop_scenario
