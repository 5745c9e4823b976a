#!/usr/bin/env bash
# 145-long-targets: fd targets are read into a scratch buffer and kept at
# their own length.  Paths of about 600 and 3,000 bytes (longer than the
# first buffer, and than the second) come back whole and exact in JSON and
# text; the twin, a short path, too.  (/proc shows at most a page of path.)
. "$TESTS/lib.sh"

# deep_dir LEN: a directory under T_DIR whose path is about LEN bytes long,
# made one component at a time (each mkdir and cd is relative).
deep_dir() {
	local want=$1 part
	part=$(printf 'd%.0s' {1..200})
	(
		cd "$T_DIR" || exit 1
		while [ ${#PWD} -lt "$want" ]; do
			mkdir -p "$part" && cd "$part" || exit 1
		done
		pwd -P
	)
}

mid=$(deep_dir 600)
long=$(deep_dir 3000)
short=$T_DIR/short-target.txt
: >"$short"
: >"$mid/target-600.txt"
: >"$long/target-3000.txt"
check "the long path is longer than 2048 bytes (${#long})" test "${#long}" -gt 2048

# One process holds all three, opened relative to their directories.
(
	exec 7<"$short"
	cd "$mid" && exec 8<target-600.txt
	cd "$long" && exec 9<target-3000.txt
	exec sleep 300
) &
holder=$!
for ((i = 0; i < 100; i++)); do
	[ -e "/proc/$holder/fd/9" ] && [ "$(readlink "/proc/$holder/exe")" = "$(readlink -f "$(command -v sleep)")" ] && break
	sleep 0.05
done

fds_json -p "$holder"
# target_is FD PATH: the holder's fd FD names PATH, byte for byte.
target_is() {
	jcheck "$3: target exact" \
		'.processes[] | select(.pid == $p) | .fds[] | select(.fd == $fd) | .target == $t' \
		--argjson p "$holder" --argjson fd "$1" --arg t "$2"
}
target_is 7 "$short" "fd 7 (short, the twin)"
target_is 8 "$mid/target-600.txt" "fd 8 (~600 bytes)"
target_is 9 "$long/target-3000.txt" "fd 9 (~3000 bytes)"
jcheck "no fd of the holder has an error" \
	'[.processes[] | select(.pid == '"$holder"') | .fds[] | select(.fd >= 7 and .fd <= 9) | .error == null] | length == 3 and all'

fds_text -p "$holder"
check "text: the ~3000-byte path is shown whole" grep -qF "$long/target-3000.txt" "$(fds_out_file)"

kill "$holder"
wait "$holder" 2>/dev/null
exit 0
