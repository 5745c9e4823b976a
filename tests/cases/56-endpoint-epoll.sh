#!/usr/bin/env bash
# 56-endpoint-epoll: an epoll fd watching a pipe's read end and an eventfd
# shared with a child, plus a target whose fd number was closed after a
# dup: each watch resolves to the fd holding it, proven by kcmp
# KCMP_EPOLL_TFD.  The eventfd shows its id and count and the other holder.
. "$TESTS/lib.sh"

start_scenario ep-epoll
ends='def ends($p; $f): [fd($p; $f) | .endpoints[]? | {pid, fd}] | sort_by(.pid, .fd);'
watch='def watch($t): fd($p; $ep).watches[] | select(.tfd == $t);'
args=(--argjson p "$S_pid" --argjson ep "$S_epfd" --argjson r "$S_rfd" --argjson e "$S_efd"
	--argjson c "$S_child" --argjson count "$S_count" --argjson id "$S_id"
	--argjson stale "$S_stale" --argjson kept "$S_kept")

if fds_json -p "$S_pid"; then
	rc_is "-p exits 0" 0
	jcheck "three watches" '(fd($p; $ep).watches | length) == 3' "${args[@]}"
	jcheck "the pipe's read end: fd $S_rfd, a pipe, verified, the same inode" \
		"$watch"' fd($p; $r).ino as $ino | watch($r) | .pid == $p and .fd == $r and .type == "pipe"
		 and .verified == true and .unverified_reason == null and .ino == $ino' "${args[@]}"
	jcheck "the eventfd: fd $S_efd, verified" \
		"$watch"' watch($e) | .pid == $p and .fd == $e and .type == "eventfd" and .verified == true' \
		"${args[@]}"
	jcheck "the closed number $S_stale: found as fd $S_kept, verified" \
		"$watch"' watch($stale) | .fd == $kept and .type == "pipe" and .verified == true' "${args[@]}"
	jcheck "the epoll fd itself has no endpoints" 'fd($p; $ep).endpoints == null' "${args[@]}"
	jcheck "the eventfd: id $S_id, count $S_count, the other holder is the child's fd $S_efd" \
		"$ends"' fd($p; $e).eventfd_id == $id and fd($p; $e).eventfd_count == $count
		 and ends($p; $e) == [{pid: $c, fd: $e}]' "${args[@]}"
	jcheck "kind keys appear only on their kind: no watches on the eventfd, no eventfd_id on the pipe" \
		'(fd($p; $e) | has("watches") | not) and (fd($p; $r) | has("eventfd_id") | not)
		 and (fd($p; $ep) | has("watches"))' "${args[@]}"
fi
if fds_json -p "$S_child"; then
	jcheck "the child's eventfd leads back to the parent's" \
		"$ends"' ends($c; $e) == [{pid: $p, fd: $e}]' "${args[@]}"
fi

if fds_json --no-kcmp -p "$S_pid"; then
	jcheck "--no-kcmp: the pipe and eventfd watches by number, unverified (disabled)" \
		"$watch"' [watch($r), watch($e)] | all(.fd != null and .verified == false
		 and .unverified_reason == "disabled")' "${args[@]}"
	jcheck "--no-kcmp: the closed number is not guessed" "$watch"' watch($stale).fd == null' "${args[@]}"
fi

if fds_text -p "$S_pid" -o FD,ENDPOINT; then
	out=$(fds_out_file)
	line=$(grep -E "^ *$S_epfd +watches " "$out")
	check "text: the epoll row names the pipe" grep -Fq "$S_pid fd $S_rfd (pipe)" <<<"$line"
	check "text: the epoll row names the eventfd" grep -Fq "$S_pid fd $S_efd (eventfd)" <<<"$line"
	check "text: the epoll row names the renumbered target" \
		grep -Fq "$S_pid fd $S_kept (pipe, registered as fd $S_stale)" <<<"$line"
	check "text: the eventfd row: 'id $S_id, count $S_count; also $S_child (scenario) fd $S_efd'" \
		grep -Eq "^ *$S_efd +id $S_id, count $S_count; also $S_child \(scenario\) fd $S_efd *\$" "$out"
fi

stop_scenario
