#!/usr/bin/env bash
# 100-locks-semantics: whose lock it is.  A flock belongs to the open file
# description: after fork it shows on the fd of every process holding that
# description.  A POSIX lock belongs to the process: the child that inherits
# the fd does not get it, and the owner's other open of the same file shows
# it too (closing that would drop it).  An OFD lock belongs to the
# description: on fd and its dup, in parent and child, never on a separate
# open.  A lease, like a flock, is on the fd of every holder of the
# description.  Each compared with lslocks -J where both can say it; and
# unprivileged, a lock of root's is still listed for its PATH.
. "$TESTS/lib.sh"
. "$TESTS/lib_locks.sh"

# ---- flock across fork ----
start_scenario --as F l-flock-fork
IFS=, read -r w1 w2 <<<"$F_workers"
a=(--argjson p "$F_parent" --argjson w1 "$w1" --argjson w2 "$w2" --argjson f "$F_fd"
   --argjson ino "$F_ino" --arg path "$F_path")
if fds_json -p "$F_parent,$w1,$w2"; then
	jcheck "flock across fork: one flock write 0-EOF on fd $F_fd of the parent and both workers" \
		'[fd($p; $f), fd($w1; $f), fd($w2; $f)] | length == 3 and all(.[]; .locks | length == 1
		 and .[0].kind == "flock" and .[0].type == "write" and .[0].start == 0
		 and .[0].end == null and .[0].pid == null and .[0].waiters == [])' "${a[@]}"
	jcheck "flock: one lock id, carried by their one description (ofd)" \
		'ofd_of($p; $f) as $o | [fd($p; $f), fd($w1; $f), fd($w2; $f)]
		 | (map(.locks[0].id) | unique | length == 1) and (map(.locks[0].ofd) | unique == [$o])' "${a[@]}"
	jcheck "flock: taken_by is the parent, which took it" \
		'fd($w1; $f).locks[0].taken_by == $p' "${a[@]}"
	jcheck "top-level locks: the file, dev and inode, holders parent and workers with fd $F_fd" \
		'.locks[] | select(.inode == $ino) | .file == $path and (.dev | test("^[0-9a-f]+:[0-9a-f]+$"))
		 and ([.holders[] | .pid] == ([$p, $w1, $w2] | sort)) and all(.holders[]; .fds == [$f]
		 and (.activity | type) == "string") and .in_proc_locks' "${a[@]}"
	jcheck "JSON contract: locks_error null, every lock's keys with their types, locks on every fd" \
		'.locks_error == null and (.locks | length > 0) and all(.locks[]; (.id | isint)
		 and (.kind | IN("posix", "ofd", "flock", "lease", "delegation", "other"))
		 and (.type | IN("read", "write", "unlock")) and (.start | isint)
		 and (.end == null or (.end | isint)) and (.pid == null or (.pid | isint))
		 and (.taken_by == null or (.taken_by | isint)) and (.ofd == null or (.ofd | isint))
		 and (.waiters | type) == "array" and (.dev | type) == "string" and (.inode | isint)
		 and (.file | str_or_null) and (.in_proc_locks | type) == "boolean"
		 and all(.holders[]; (.pid | isint) and all(.fds[]; isint) and (.activity | str_or_null)))
		 and all(.processes[].fds[]; (.locks | type) == "array")'
	jnone "flock: no other fd of theirs shows a lock" \
		'[proc($p), proc($w1), proc($w2)][] | .fds[] | select(.fd != $f and (.locks | length) > 0)' "${a[@]}"
fi
if fds_json --no-kcmp -p "$F_parent,$w1,$w2"; then
	jcheck "--no-kcmp: the flock still shows on the three fds (each one's fdinfo lists it)" \
		'([fd($p; $f), fd($w1; $f), fd($w2; $f)] | all(.[]; .locks | length == 1 and .[0].kind == "flock"))
		 and ([.locks[] | select(.inode == $ino) | .holders[].pid] == ([$p, $w1, $w2] | sort))' "${a[@]}"
fi
if fds_json "$F_path"; then
	lslocks_agree "flock: lslocks -J lists the same lock (FLOCK WRITE, the parent's pid)" "$F_path"
fi
if fds_text "$F_path"; then
	check "PATH text: a Locks: section with the lock, its three holders and no waiter" \
		grep -Eq "^ *[0-9]+ flock write 0-EOF +$F_parent $F_parent \\(scenario\\) fd $F_fd, $w1 \\(scenario\\) fd $F_fd, $w2 \\(scenario\\) fd $F_fd +- " \
		"$(fds_out_file)"
fi
if fds_text -p "$w1" -o FD,LOCKS; then
	check "-o FD,LOCKS: fd $F_fd of a worker says 'flock write'" \
		grep -Eq "^ +$F_fd flock write$" "$(fds_out_file)"
fi
stop_scenario F

# ---- POSIX is not inherited ----
start_scenario --as P l-posix-fork
a=(--argjson p "$P_parent" --argjson c "$P_child" --argjson f "$P_fd" --argjson f2 "$P_fd2")
if fds_json -p "$P_parent,$P_child"; then
	jcheck "POSIX: the parent's fd $P_fd shows posix write 0-9, owned by the parent (pid)" \
		'fd($p; $f).locks | length == 1 and .[0].kind == "posix" and .[0].type == "write"
		 and .[0].start == 0 and .[0].end == 9 and .[0].pid == $p and .[0].taken_by == null' "${a[@]}"
	jcheck "POSIX: the parent's separate open (fd $P_fd2, another description) shows it too" \
		'ofd_of($p; $f2) != ofd_of($p; $f) and fd($p; $f2).locks[0].id == fd($p; $f).locks[0].id' "${a[@]}"
	jcheck "POSIX: the child shares fd $P_fd's description but holds no lock" \
		'ofd_of($c; $f) == ofd_of($p; $f) and (fd($c; $f).locks == []) and (fd($c; $f2).locks == [])' "${a[@]}"
	jcheck "POSIX: top-level holders are the parent only" \
		'[.locks[] | select(.kind == "posix") | .holders[].pid] == [$p]' "${a[@]}"
fi
if fds_json "$P_path"; then
	lslocks_agree "POSIX: lslocks -J lists the same lock (POSIX WRITE 0-9, the parent)" "$P_path"
fi
# Unprivileged, root's fds are not readable: the lock still comes from
# /proc/locks, matched to the PATH by device and inode, its owner named.
chmod 755 "$P_dir"
if fds_json --as nobody "$P_path"; then
	jcheck "unprivileged PATH: the POSIX lock from /proc/locks, owner the parent, no fd readable" \
		'[.locks[] | select(.kind == "posix")] | length == 1 and .[0].pid == $p and .[0].start == 0
		 and .[0].end == 9 and .[0].holders == [{pid: $p, fds: [], activity: "state S, threads not readable"}]
		 and .[0].in_proc_locks and .[0].file == null' "${a[@]}"
fi
stop_scenario P

# ---- OFD across dup ----
start_scenario --as O l-ofd-dup
a=(--argjson p "$O_parent" --argjson c "$O_child" --argjson f "$O_fd" --argjson d "$O_dupfd"
   --argjson f2 "$O_fd2")
if fds_json -p "$O_parent,$O_child"; then
	jcheck "OFD: fd $O_fd and its dup $O_dupfd in parent and child show one ofd read 10-EOF lock" \
		'[fd($p; $f), fd($p; $d), fd($c; $f), fd($c; $d)] | all(.[]; .locks | length == 1
		 and .[0].kind == "ofd" and .[0].type == "read" and .[0].start == 10 and .[0].end == null
		 and .[0].pid == null) and (map(.locks[0].id) | unique | length == 1)' "${a[@]}"
	jcheck "OFD: the separate open fd $O_fd2 shows none" \
		'fd($p; $f2).locks == [] and fd($c; $f2).locks == []' "${a[@]}"
	jcheck "OFD: top-level file is known (lslocks cannot tell it) and both processes hold it" \
		'.locks[] | select(.kind == "ofd") | .file == $path and ([.holders[].pid] == ([$p, $c] | sort))' \
		"${a[@]}" --arg path "$O_path"
fi
if fds_json "$O_path"; then
	lslocks_agree "OFD: lslocks -J lists the same lock (OFDLCK READ from 10, pid -1)" "$O_path"
fi
stop_scenario O

# ---- a lease belongs to the description too ----
start_scenario --as L l-lease
a=(--argjson p "$L_parent" --argjson c "$L_child" --argjson f "$L_fd")
if fds_json -p "$L_parent,$L_child"; then
	jcheck "lease: one read lease on fd $L_fd of parent and child, taken by the parent" \
		'[fd($p; $f), fd($c; $f)] | length == 2 and all(.[]; .locks | length == 1
		 and .[0].kind == "lease" and .[0].type == "read" and .[0].pid == null
		 and .[0].taken_by == $p) and (map(.locks[0].id) | unique | length == 1)' "${a[@]}"
fi
if fds_json "$L_path"; then
	lslocks_agree "lease: lslocks -J lists the same lease (LEASE READ, the parent)" "$L_path"
fi
stop_scenario L
