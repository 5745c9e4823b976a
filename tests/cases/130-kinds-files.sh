#!/usr/bin/env bash
# 130-kinds-files: fds that fdshare once labelled "unknown" or "reg", each
# beside its look-alike: namespace fds (net, user, pid_for_children) by
# type and inode from the link alone, and a regular file named
# "net:[4026531840]"; a symlink held by O_PATH|O_NOFOLLOW, and the same link
# opened O_PATH (a regular file); POSIX message queues (one opened by name
# in a child: the two are each other's ends; one unlinked while open: not a
# deleted file), found without /dev/mqueue and through a mount of it, and a
# regular file named like the queue; a signalfd on real-time signals named
# RTMIN+N.
. "$TESTS/lib.sh"


start_scenario --as N k-nsfs
start_scenario --as L k-symlink
start_scenario --as Q k-mqueue
start_scenario --as G k-signals

nargs=(--argjson p "$N_pid" --argjson net "$N_fd_net" --argjson user "$N_fd_user"
	--argjson pid4c "$N_fd_pid4c" --argjson twin "$N_fd_twin" --argjson neti "$N_net_ino"
	--argjson useri "$N_user_ino" --argjson pidi "$N_pid_ino")
if fds_json -p "$N_pid"; then
	jcheck "nsfs: net fd is nsfs, namespace net with its inode" \
		'fd($p; $net) | .type == "nsfs" and .namespace == {type: "net", ino: $neti} and .ino == $neti' "${nargs[@]}"
	jcheck "nsfs: user fd is the user namespace" \
		'fd($p; $user) | .type == "nsfs" and .namespace == {type: "user", ino: $useri}' "${nargs[@]}"
	jcheck "nsfs: pid_for_children is a pid namespace" \
		'fd($p; $pid4c) | .type == "nsfs" and .namespace.type == "pid" and .namespace.ino == $pidi' "${nargs[@]}"
	jcheck "twin: a file named net:[4026531840] is reg, no namespace key" \
		'fd($p; $twin) | .type == "reg" and has("namespace") == false' "${nargs[@]}"
fi
if fds_text -p "$N_pid" -o FD,TYPE,ENDPOINT; then
	check "text: 'nsfs net namespace $N_net_ino'" \
		grep -Eq "^ *$N_fd_net +nsfs +net namespace $N_net_ino *\$" "$(fds_out_file)"
	check "text: the twin is reg with no endpoint" grep -Eq "^ *$N_fd_twin +reg +- *\$" "$(fds_out_file)"
fi

largs=(--argjson p "$L_pid" --argjson l "$L_fd_link" --argjson f "$L_fd_follow" --arg link "$L_link")
if fds_json -p "$L_pid"; then
	jcheck "O_PATH|O_NOFOLLOW on a symlink: type symlink, mode path, the link's path" \
		'fd($p; $l) | .type == "symlink" and .mode == "path" and .target == $link and .error == null' "${largs[@]}"
	jcheck "twin: O_PATH through the link is the regular file it names" \
		'fd($p; $f) | .type == "reg" and .mode == "path" and (.target | endswith("/target.txt"))' "${largs[@]}"
fi

qargs=(--argjson p "$Q_pid" --argjson f "$Q_fd" --argjson c "$Q_child" --argjson cf "$Q_child_fd"
	--argjson u "$Q_fd_unlinked" --argjson t "$Q_fd_twin" --arg name "$Q_name")
check_queues() {
	local how=$1
	if fds_json -p "$Q_pid,$Q_child"; then
		jcheck "$how: the queue is mqueue, named by its link, its end the child's fd" \
			'fd($p; $f) | .type == "mqueue" and .target == $name
			 and .endpoints == [{pid: $c, fd: $cf, comm: "scenario"}]' "${qargs[@]}"
		jcheck "$how: the child's queue fd is mqueue with our fd as its end" \
			'fd($c; $cf) | .type == "mqueue" and ([.endpoints[] | [.pid, .fd]] == [[$p, $f]])' "${qargs[@]}"
		jcheck "$how: the unlinked queue is mqueue, open nowhere else" \
			'fd($p; $u) | .type == "mqueue" and .endpoints == []' "${qargs[@]}"
		jcheck "$how: twin: the file named like the queue is reg" \
			'fd($p; $t) | .type == "reg" and .endpoints == null' "${qargs[@]}"
		jnone "$how: no deleted-open finding for the unlinked queue" \
			'.findings[] | select(.code == "deleted-open")'
	fi
}
check_queues "no mqueue mount"
if fds_text -p "$Q_pid" -o FD,TYPE,ENDPOINT; then
	check "text: 'mqueue queue; also open in $Q_child (scenario) fd $Q_child_fd'" \
		grep -Eq "^ *$Q_fd +mqueue +queue; also open in $Q_child \(scenario\) fd $Q_child_fd *\$" "$(fds_out_file)"
fi
# This case has a mount namespace of its own: mount the queues' file
# system and hold the queue through it (its mount is then known by id).
mkdir "$T_DIR/mq"
if mount -t mqueue none "$T_DIR/mq" 2>"$T_DIR/mount.err"; then
	check_queues "mqueue mounted"
	exec {qfd}<"$T_DIR/mq/${Q_name#/}"
	if fds_json -p $$; then
		jcheck "a queue opened through the mounted file system is mqueue" \
			'fd($p; $f) | .type == "mqueue"' --argjson p $$ --argjson f "$qfd"
	fi
	exec {qfd}<&-
	umount "$T_DIR/mq"
else
	fail "mount -t mqueue: $(cat "$T_DIR/mount.err")"
fi

if fds_json -p "$G_pid"; then
	jcheck "signalfd: USR1, RTMIN, RTMIN+8 and RTMIN+30 by name (glibc numbering)" \
		'fd($p; $f).signals == ["SIGUSR1", "SIGRTMIN", "SIGRTMIN+8", "SIGRTMIN+30"]' \
		--argjson p "$G_pid" --argjson f "$G_fd"
fi
if fds_text -p "$G_pid" -o FD,ENDPOINT; then
	check "text: 'signals USR1,RTMIN,RTMIN+8,RTMIN+30'" \
		grep -Eq "^ *$G_fd +signals USR1,RTMIN,RTMIN\+8,RTMIN\+30 *\$" "$(fds_out_file)"
fi
check "--type nsfs,mqueue,symlink lists those kinds only" fds_text -p "$N_pid,$L_pid,$Q_pid" --type nsfs,mqueue,symlink -o TYPE
types=$(awk 'NR > 0 && $1 != "TYPE" && $1 != "PID" && NF == 1 { print $1 }' "$(fds_out_file)" | sort -u | tr '\n' ' ')
check "--type: only nsfs, mqueue and symlink rows (got: $types)" test "$types" = "mqueue nsfs symlink "
stop_scenario
