#!/usr/bin/env bash
# 131-kinds-bpf-uring: BPF objects held through fds (an array map, a socket
# filter program, a flow dissector link on a network namespace of the
# scenario's own), named by type and by the id the kernel gives them
# (BPF_OBJ_GET_INFO_BY_FD in the scenario, fdinfo in fdshare); io_uring
# instances, one plain and one with a kernel polling thread.  The twin of
# each is an eventfd: another anonymous inode, labelled eventfd.
. "$TESTS/lib.sh"

[ "$(id -u)" = 0 ] || skip_case "BPF objects need root"
"$SCENARIO" k-bpf </dev/null >/dev/null 2>"$T_DIR/probe.err"
[ $? = 77 ] && skip_case "$(cat "$T_DIR/probe.err")"

start_scenario --as B k-bpf
bargs=(--argjson p "$B_pid" --argjson m "$B_fd_map" --argjson mi "$B_map_id" --argjson g "$B_fd_prog"
	--argjson gi "$B_prog_id" --argjson l "$B_fd_link" --argjson li "$B_link_id"
	--argjson di "$B_dissector_id" --argjson t "$B_fd_twin")
if fds_json -p "$B_pid"; then
	jcheck "bpf map: type bpf-map, an array, the kernel's id" \
		'fd($p; $m) | .type == "bpf-map" and .bpf == {object: "map", type: "array", id: $mi}' "${bargs[@]}"
	jcheck "bpf prog: socket_filter, its id and a 16-digit tag" \
		'fd($p; $g) | .type == "bpf-prog" and .bpf.object == "prog" and .bpf.type == "socket_filter"
		 and .bpf.id == $gi and (.bpf.tag | test("^[0-9a-f]{16}$"))' "${bargs[@]}"
	jcheck "bpf link: netns, its id and its program's" \
		'fd($p; $l) | .type == "bpf-link" and .bpf == {object: "link", type: "netns", id: $li, prog_id: $di}' "${bargs[@]}"
	jcheck "twin: the eventfd is an eventfd, no bpf key" \
		'fd($p; $t) | .type == "eventfd" and has("bpf") == false' "${bargs[@]}"
fi
if fds_text -p "$B_pid" -o FD,TYPE,ENDPOINT; then
	out=$(fds_out_file)
	check "text: 'bpf-map map array id $B_map_id'" grep -Eq "^ *$B_fd_map +bpf-map +map array id $B_map_id *\$" "$out"
	check "text: 'bpf-prog prog socket_filter id $B_prog_id tag ...'" \
		grep -Eq "^ *$B_fd_prog +bpf-prog +prog socket_filter id $B_prog_id tag [0-9a-f]{16} *\$" "$out"
	check "text: 'bpf-link link netns id $B_link_id prog $B_dissector_id'" \
		grep -Eq "^ *$B_fd_link +bpf-link +link netns id $B_link_id prog $B_dissector_id *\$" "$out"
fi
if fds_text -p "$B_pid" --type bpf-map,bpf-link -o FD; then
	fds=$(awk '$1 ~ /^[0-9]+$/ { print $1 }' "$(fds_out_file)" | sort -n | tr '\n' ' ')
	check "--type bpf-map,bpf-link: the map and the link only (got: $fds)" \
		test "$fds" = "$(printf '%s\n' "$B_fd_map" "$B_fd_link" | sort -n | tr '\n' ' ')"
fi
stop_scenario B

"$SCENARIO" k-io-uring </dev/null >/dev/null 2>"$T_DIR/probe.err"
if [ $? = 77 ]; then
	skip_case "$(cat "$T_DIR/probe.err")"
fi
start_scenario --as U k-io-uring
uargs=(--argjson p "$U_pid" --argjson f "$U_fd" --argjson s "$U_fd_sqpoll" --argjson t "$U_fd_twin")
if fds_json -p "$U_pid"; then
	jcheck "io_uring: one kind, 8 entries, cq 16, no polling thread" \
		'fd($p; $f) | .type == "io_uring" and .io_uring.sq_entries == 8 and .io_uring.cq_entries == 16
		 and .io_uring.sq_thread == null and .io_uring.sqpoll == false and .io_uring.registered_files == 0' "${uargs[@]}"
	jcheck "io_uring with SQPOLL: 4 entries and its polling thread" \
		'fd($p; $s) | .type == "io_uring" and .io_uring.sq_entries == 4 and .io_uring.sqpoll and (.io_uring.sq_thread | isint)
		 and .io_uring.sq_thread > 0' "${uargs[@]}"
	jcheck "twin: the eventfd has no io_uring key" 'fd($p; $t) | .type == "eventfd" and has("io_uring") == false' "${uargs[@]}"
fi
if fds_text -p "$U_pid" -o FD,TYPE,ENDPOINT; then
	check "text: 'io_uring 8 entries (cq 16)'" grep -Eq "^ *$U_fd +io_uring +8 entries \(cq 16\) *\$" "$(fds_out_file)"
	check "text: '4 entries (cq 8), sqpoll thread N'" \
		grep -Eq "^ *$U_fd_sqpoll +io_uring +4 entries \(cq 8\), sqpoll thread [0-9]+" "$(fds_out_file)"
fi
stop_scenario
