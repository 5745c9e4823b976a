#!/usr/bin/env bash
# 50-endpoint-pipe: both ends of a pipe are named with their holders.  A
# parent writing to an exec'd child (unused ends closed), and a parent that
# forgot to close its own read end: it then holds both ends, and shows so.
# --type filters the fd rows.
. "$TESTS/lib.sh"

start_scenario --as P pipe-exec
start_scenario --as F ep-pipe-forgot

# ends($p; $f): the other end's holders of fd $f of $p, as sorted [{pid, fd}]
ends='def ends($p; $f): [fd($p; $f) | .endpoints[]? | {pid, fd}] | sort_by(.pid, .fd);'
pargs=(--argjson p "$P_parent" --argjson c "$P_child" --argjson w "$P_wfd")
fargs=(--argjson p "$F_parent" --argjson c "$F_child" --argjson w "$F_wfd" --argjson r "$F_rfd")

if fds_json -p "$P_parent,$P_child"; then
	rc_is "pipe-exec: -p parent,child exits 0" 0
	jcheck "the parent's write end (fd $P_wfd) leads to the child's fd 0, only" \
		"$ends"' ends($p; $w) == [{pid: $c, fd: 0}]' "${pargs[@]}"
	jcheck "the child's read end (fd 0) leads to the parent's fd $P_wfd, only" \
		"$ends"' ends($c; 0) == [{pid: $p, fd: $w}]' "${pargs[@]}"
	jcheck "an endpoint carries the holder's comm (cat)" \
		'fd($p; $w).endpoints[0].comm == "cat"' "${pargs[@]}"
	jcheck "no endpoint_error on either end" \
		'fd($p; $w).endpoint_error == null and fd($c; 0).endpoint_error == null' "${pargs[@]}"
	jcheck "a regular file has endpoints null" \
		'[proc($p).fds[] | select(.type == "reg") | .endpoints] | all(. == null)' "${pargs[@]}"
fi

if fds_text -p "$P_parent" -o FD,ENDPOINT; then
	check "text: the write end reads '-> $P_child (cat) fd 0'" \
		grep -Eq "^ *$P_wfd +-> $P_child \(cat\) fd 0 *\$" "$(fds_out_file)"
fi
if fds_text -p "$P_child" -o FD,ENDPOINT; then
	check "text: cat's fd 0 reads '<- $P_parent (scenario) fd $P_wfd'" \
		grep -Eq "^ *0 +<- $P_parent \(scenario\) fd $P_wfd *\$" "$(fds_out_file)"
fi

if fds_json -p "$F_parent,$F_child"; then
	rc_is "ep-pipe-forgot: exits 0" 0
	jcheck "the write end leads to both readers: the parent's own fd $F_rfd and cat's fd 0" \
		"$ends"' ends($p; $w) == ([{pid: $p, fd: $r}, {pid: $c, fd: 0}] | sort_by(.pid, .fd))' \
		"${fargs[@]}"
	jcheck "the parent's forgotten read end leads to its own write end" \
		"$ends"' ends($p; $r) == [{pid: $p, fd: $w}]' "${fargs[@]}"
	jcheck "cat's fd 0 leads to the parent's write end only (not to its fellow reader)" \
		"$ends"' ends($c; 0) == [{pid: $p, fd: $w}]' "${fargs[@]}"
	jcheck "the two readers share one description (one end), the writer has another" \
		'ofd_of($p; $r) == ofd_of($c; 0) and ofd_of($p; $w) != ofd_of($p; $r)' "${fargs[@]}"
fi

if fds_text -p "$F_parent" -o FD,ENDPOINT; then
	out=$(fds_out_file)
	check "text: the write end names the parent itself (no comm) and cat" \
		grep -Eq "^ *$F_wfd +-> $F_parent fd $F_rfd, $F_child \(cat\) fd 0 *\$" "$out"
	check "text: the forgotten read end reads '<- $F_parent fd $F_wfd'" \
		grep -Eq "^ *$F_rfd +<- $F_parent fd $F_wfd *\$" "$out"
fi

# --type
if fds_json -p "$F_parent" --type pipe; then
	rc_is "--type pipe exits 0" 0
	jcheck "--type pipe: the parent lists exactly its two pipe fds" \
		'[proc($p).fds[] | .fd] == ([$w, $r] | sort) and all(proc($p).fds[]; .type == "pipe")' \
		"${fargs[@]}"
fi
if fds_json -p "$F_parent" --type unix,tcp; then
	jcheck "--type unix,tcp: no fd of the parent is listed" '[proc($p).fds[]] == []' "${fargs[@]}"
	jcheck "--type unix,tcp: the process itself is still listed" '[proc($p)] | length == 1' \
		"${fargs[@]}"
fi
if fds_text -p "$F_parent" --type pipe -o FD,TYPE; then
	out=$(fds_out_file)
	check "text --type pipe: rows for fd $F_wfd and $F_rfd" \
		bash -c 'grep -Eq "^ *$1 +pipe *\$" "$3" && grep -Eq "^ *$2 +pipe *\$" "$3"' _ \
		"$F_wfd" "$F_rfd" "$out"
	check "text --type pipe: no row of another type" \
		bash -c '! grep -E "^ *[0-9]+ " "$1" | grep -Evq " pipe *$"' _ "$out"
fi
fds_text -p "$F_parent" --type pipes
rc_is "--type with an unknown type: usage error 100" 100

stop_scenario
