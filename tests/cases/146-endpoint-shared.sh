#!/usr/bin/env bash
# 146-endpoint-shared: the fds of one pipe description share their other
# ends (fdshare keeps one list for them).  A pipe whose write end is held by
# three processes (one description, inherited) and whose read end is held
# by two (one description) plus a second, separate read description (a
# FIFO opened twice): each fd names exactly the fds of the other end, as
# read from /proc here, whichever description it is in; fds of one
# description name the same list; a reader never names a fellow reader.
. "$TESTS/lib.sh"

fifo=$T_DIR/shared.fifo
mkfifo "$fifo"

# Writers: three sleeps with the FIFO's write end on fd 5 (one description,
# opened once by their parent).  Readers: two sleeps sharing one read
# description on fd 6, a third with a read description of its own on fd 7.
(
	exec 6<"$fifo" || exit 1
	(only_stdio --keep 6 sleep 300) &
	(only_stdio --keep 6 sleep 300) &
	exec 6<&-
	exec 7<"$fifo" || exit 1
	only_stdio --keep 7 sleep 300
) &
readers=$!
(
	exec 5>"$fifo" || exit 1
	for i in 1 2; do (only_stdio --keep 5 sleep 300) & done
	only_stdio --keep 5 sleep 300
) &
writers=$!

# The holders, from /proc: "pid fd access" of every fd on the FIFO.
fifo_fds() {
	local ino f pid fd flags
	ino=$(stat -c %i "$fifo")
	for f in /proc/[0-9]*/fd/[0-9]*; do
		[ "$(stat -L -c %i "$f" 2>/dev/null)" = "$ino" ] || continue
		pid=${f#/proc/}; pid=${pid%%/*}; fd=${f##*/}
		flags=$(awk '/^flags:/ { print $2 }' "/proc/$pid/fdinfo/$fd" 2>/dev/null)
		[ -n "$flags" ] || continue
		if (( (8#$flags & 3) == 1 )); then echo "$pid $fd w"; else echo "$pid $fd r"; fi
	done
}
for ((i = 0; i < 200; i++)); do
	[ "$(fifo_fds | awk '$3 == "w"' | wc -l)" -ge 3 ] && [ "$(fifo_fds | awk '$3 == "r"' | wc -l)" -ge 3 ] && break
	sleep 0.05
done
holders=$(fifo_fds)
check "three write fds and three read fds hold the FIFO" \
	test "$(awk '$3 == "w"' <<<"$holders" | wc -l)" = 3 -a "$(awk '$3 == "r"' <<<"$holders" | wc -l)" = 3
as_json() { awk -v a="$1" '$3 == a { printf "%s{\"pid\":%s,\"fd\":%s}", n++ ? "," : "[", $1, $2 } END { printf "%s", n ? "]" : "[]" }' <<<"$holders"; }
writers_json=$(as_json w)
readers_json=$(as_json r)
pids=$(awk '{ print $1 }' <<<"$holders" | sort -u | paste -sd,)

if fds_json -p "$pids"; then
	# every FIFO fd, with its sorted ends
	def='def fifo_fds: .processes[] | .pid as $p | .fds[] | select(.target == $path) | {pid: $p, fd, mode, ofd, ends: ([.endpoints[]? | {pid, fd}] | sort_by(.pid, .fd))};'
	args=(--arg path "$fifo" --argjson W "$writers_json" --argjson R "$readers_json")
	jcheck "each write fd names exactly the three read fds (both read descriptions)" \
		"$def"' [fifo_fds | select(.mode == "w") | .ends == ($R | sort_by(.pid, .fd))] | length == 3 and all' "${args[@]}"
	jcheck "each read fd names exactly the three write fds, no fellow reader" \
		"$def"' [fifo_fds | select(.mode == "r") | .ends == ($W | sort_by(.pid, .fd))] | length == 3 and all' "${args[@]}"
	jcheck "the writers are one description, the readers two" \
		"$def"' ([fifo_fds | select(.mode == "w") | .ofd] | unique | length) == 1
		 and ([fifo_fds | select(.mode == "r") | .ofd] | unique | length) == 2' "${args[@]}"
	jcheck "no FIFO fd has an endpoint_error" \
		'[.processes[].fds[] | select(.target == $path) | .endpoint_error == null] | length == 6 and all' \
		--arg path "$fifo"
fi

kill "$readers" "$writers" 2>/dev/null
for p in $(awk '{ print $1 }' <<<"$holders" | sort -u); do kill "$p" 2>/dev/null; done
wait 2>/dev/null
exit 0
