#!/usr/bin/env bash
# 110-path-holders: "fdshare PATH" finds every way a process holds PATH, as
# lsof's FD column says: an fd, cwd, rtd (chroot), txt (its program) and mem
# (a mapping with no fd).  A directory PATH takes everything under it (lsof
# +D) but not a sibling whose name begins the same; a mount point takes
# everything on that file system (lsof +f --), and nothing elsewhere.
. "$TESTS/lib.sh"

start_scenario --as H holders
a=(--argjson cwd "$H_cwd_pid" --argjson rtd "$H_rtd_pid" --argjson txt "$H_txt_pid"
   --argjson mem "$H_mem_pid" --argjson fdp "$H_fd_pid" --argjson fd "$H_fd" --argjson other "$H_other_pid")
# [pid, how] of every hold in the output ("fd N", "cwd" ...)
HOWS='[.processes[] | .pid as $p | .holds[] | [$p, .how]]'

if fds_json "$H_data"; then
	rc_is "directory held five ways: exit 0" 0
	jcheck "cwd, rtd, txt, mem and the fd are each found" \
		"$HOWS"' as $h | all([$cwd, "cwd"], [$rtd, "rtd"], [$txt, "txt"], [$mem, "mem"], [$fdp, "fd \($fd)"];
		 . as $w | $h | index([$w]) != null)' "${a[@]}"
	jcheck "the twin whose cwd is data-other/ is not listed" '[proc($other)] | length == 0' "${a[@]}"
	jcheck "each hold carries its device and inode" \
		'all(.processes[].holds[]; (.dev | test("^[0-9]+:[0-9]+$")) and (.ino | isint))'
	jcheck "every fd listed is also a hold \"fd N\" with its number" \
		'all(.processes[]; . as $p | all(.fds[]; . as $f | any($p.holds[]; .how == "fd \($f.fd)" and .fd == $f.fd)))'
	jcheck "the txt hold is the program's path" \
		'proc($txt).holds | any(.how == "txt" and .path == $prog)' "${a[@]}" --arg prog "$H_prog"
fi

if fds_json "$H_map"; then
	rc_is "a file only mapped: exit 0 (it is held)" 0
	jcheck "only the mapping process, as mem" "$HOWS"' == [[$mem, "mem"]]' "${a[@]}"
fi
if fds_json "$H_prog"; then
	jcheck "the program file: txt of the process running it" "$HOWS"' == [[$txt, "txt"]]' "${a[@]}"
fi
if fds_json "$H_file"; then
	jcheck "the plain file: only the fd" "$HOWS"' == [[$fdp, "fd \($fd)"]]' "${a[@]}"
fi
if fds_json "$H_other"; then
	jcheck "data-other/: only its own cwd" "$HOWS"' == [[$other, "cwd"]]' "${a[@]}"
fi

if fds_text "$H_data"; then
	check "text: says the PATH is a directory" grep -q "^$H_data: directory: it and everything under it" "$(fds_out_file)"
	for how in cwd rtd txt mem; do
		pidvar="H_${how}_pid"
		check "text: a '$how' row for ${!pidvar}" grep -Eq "^ *${!pidvar} +[^ ]+ +$how " "$(fds_out_file)"
	done
fi

# A mount point: a tmpfs of our own (this case has a private mount namespace).
mnt="$T_DIR/mnt"
mkdir -p "$mnt"
if mount -t tmpfs fdshare-test "$mnt"; then
	TMPDIR=$mnt start_scenario --as M holders
	b=(--argjson cwd "$M_cwd_pid" --argjson mem "$M_mem_pid" --argjson fdp "$M_fd_pid" --argjson h "$H_fd_pid")
	if fds_json "$mnt"; then
		rc_is "mount point: exit 0" 0
		jcheck "mount point: everything on the tmpfs is found (cwd, mem, the fd)" \
			"$HOWS"' as $x | all([$cwd, "cwd"], [$mem, "mem"]; . as $w | $x | index([$w]) != null)
			 and ([proc($fdp).fds[]] | length >= 1)' "${b[@]}"
		jcheck "mount point: the first scenario, on another file system, is not listed" \
			'[proc($h)] | length == 0' "${b[@]}"
	fi
	if fds_text "$mnt"; then
		check "text: says it is a mount point of tmpfs" grep -q "^$mnt: mount point (tmpfs" "$(fds_out_file)"
	fi
	stop_scenario M
	umount "$mnt"
else
	fail "mount a tmpfs for the mount point check"
fi

# Twin: a process of another mount namespace holds a file on its private
# tmpfs mounted at the same path as our (empty) directory shadow/: the
# kernel prints that fd as shadow/f, but it is not our shadow/.
shadow="$T_DIR/shadow"
mkdir "$shadow"
unshare --mount --propagation private sh -c \
	'mount -t tmpfs fdshare-shadow "$1" && exec sleep 300 7>"$1/f"' _ "$shadow" &
other_ns=$!
for _ in $(seq 50); do [ "$(readlink "/proc/$other_ns/fd/7" 2>/dev/null)" = "$shadow/f" ] && break; sleep 0.1; done
check "the other namespace's fd 7 prints as $shadow/f" test "$(readlink "/proc/$other_ns/fd/7")" = "$shadow/f"
if fds_json "$shadow"; then
	rc_is "our shadow/ is held by nobody: exit 2" 2
	jcheck "the other namespace's process is not listed" '[proc($p)] | length == 0' --argjson p "$other_ns"
fi
kill "$other_ns"
wait "$other_ns" 2>/dev/null

empty="$T_DIR/empty"
mkdir "$empty"
fds_text "$empty"
rc_is "a directory nobody holds anything under: exit 2" 2
stop_scenario
