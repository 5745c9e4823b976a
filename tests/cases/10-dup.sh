#!/usr/bin/env bash
# 10-dup: dup() and dup2() in one process give three fds on ONE open file
# description: fdshare must give them one ofd id, proven by kcmp.
. "$TESTS/lib.sh"

start_scenario dup
args=(--argjson p "$S_pid" --argjson a "$S_fd" --argjson b "$S_dupfd" --argjson c "$S_fd2"
	--arg path "$S_path")

if fds_json -p "$S_pid"; then
	rc_is "-p of a readable process exits 0" 0
	jcheck "the answer is complete" '.complete == true' "${args[@]}"
	jcheck "the process is listed once, in full, without error" \
		'[proc($p)] | length == 1 and .[0].partial == false and .[0].error == null' "${args[@]}"
	for f in "$S_fd" "$S_dupfd" "$S_fd2"; do
		jcheck "fd $f: reg, rw, the scenario's file" \
			'fd($p; $f) | .type == "reg" and .mode == "rw" and .target == $path' \
			"${args[@]}" --argjson f "$f"
	done
	jcheck "fd $S_fd, dup -> $S_dupfd and dup2 -> $S_fd2 carry one ofd id" \
		'[fd($p; ($a, $b, $c)) | .ofd] | length == 3 and (unique | length) == 1' "${args[@]}"
	jcheck "that ofd is listed, verified by kcmp" \
		'ofd(ofd_of($p; $a)) | .verified == true and .unverified_reason == null' "${args[@]}"
	jcheck "that ofd has exactly the three holders, in one process" \
		'ofd(ofd_of($p; $a)) | (.holders | length) == 3 and .processes == 1
		 and holds(.; $p; $a) and holds(.; $p; $b) and holds(.; $p; $c)' "${args[@]}"
	jcheck "that ofd says reg, rw, the file" \
		'ofd(ofd_of($p; $a)) | .type == "reg" and .mode == "rw" and .target == $path' "${args[@]}"
	jcheck "stdin (the case's FIFO) is another description" \
		'ofd_of($p; 0) != ofd_of($p; $a)' "${args[@]}"
	jcheck "sharing proven: by the kernel (the BPF source) or with kcmp, which was available and used" \
		'(.scan.source == "bpf" and all(.ofds[]; .proof == "kernel")) or (.scan.kcmp == "ok" and .scan.kcmp_calls > 0)'
fi

stop_scenario
