#!/usr/bin/env bash
# 94-check-oom: --check under a real memory limit (ulimit -v), from so
# little that the scan runs out of memory up to enough for a whole scan of
# a process holding 20,000 fds: every run prints exactly one status line
# and exits 0-3 (out of memory: "FDSHARE UNKNOWN - out of memory", 3), and
# at least one run really ran out.  Runs whose program could not even be
# loaded (the dynamic loader's own failure, exit 127) are not fdshare's.
# The ASan build reserves terabytes of address space and cannot run under
# ulimit -v: with --asan the release build next to it is tested.
. "$TESTS/lib.sh"

bin=$FDSHARE
case "$FDSHARE" in
*/asan/*)
	bin=$(dirname "$FDSHARE")/../fdshare
	note "ASan build: testing the release build $bin under ulimit -v"
	;;
esac
if [ ! -x "$bin" ]; then
	fail "a release build to run under ulimit -v ($bin)"
	exit 1
fi

# A process holding many fds makes the model big enough to run out of.
nfd=$(( $(ulimit -Hn) - 20 ))
[ "$nfd" -gt 20000 ] && nfd=20000
ulimit -n "$((nfd + 20))"
bash -c 'for ((i = 0; i < $1; i++)); do exec {fd}</dev/null; done; exec sleep 1000' _ "$nfd" &
holder=$!
for ((i = 0; i < 200; i++)); do
	[ "$(readlink "/proc/$holder/exe")" = "$(readlink -f "$(command -v sleep)")" ] && break
	sleep 0.05
done
check "the holder has its $nfd fds" test "$(ls "/proc/$holder/fd" | wc -l)" -ge "$nfd"

oom=0 bad=0 full=0 runs=0
for ((kb = 4000; kb <= 400000; kb += 2000)); do
	rc=0
	out=$(bash -c 'ulimit -v "$1" && exec "$2" --check' _ "$kb" "$bin" 2>"$T_DIR/err") || rc=$?
	if [ "$rc" = 127 ] && grep -q "error while loading shared libraries" "$T_DIR/err"; then
		continue
	fi
	runs=$((runs + 1))
	lines=$(printf '%s\n' "$out" | grep -c .)
	if [ "$rc" -gt 3 ] || [ "$lines" != 1 ] || [[ $out != "FDSHARE "* ]]; then
		bad=$((bad + 1))
		[ "$bad" -le 3 ] && note "ulimit -v $kb: exit status $rc, stdout [${out:0:100}]," \
			"stderr [$(head -c 200 "$T_DIR/err")]"
	fi
	[[ $out == "FDSHARE UNKNOWN - out of memory" ]] && oom=$((oom + 1))
	if [ "$rc" -le 2 ] && [[ $out != "FDSHARE UNKNOWN"* ]]; then
		full=$((full + 1))
		[ "$full" -ge 2 ] && break   # enough memory from here on
	fi
done
note "$runs runs up to ulimit -v $kb KiB: $oom out of memory"
check "every --check run printed one FDSHARE status line and exited 0-3" test "$bad" = 0
check "some runs really ran out of memory (FDSHARE UNKNOWN - out of memory, 3)" test "$oom" -ge 1
check "with enough memory the check completes (OK, WARNING or CRITICAL)" test "$full" -ge 1

kill "$holder"
wait "$holder" 2>/dev/null
exit 0
