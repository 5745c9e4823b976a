#!/usr/bin/env bash
# 35-tree-fixture: the tree drawing, byte for byte, on a fake /proc
# (fixtures/proc-tree/proc, written by make.py there) mounted over /proc in a
# private mount and pid namespace: Unicode, --ascii with -p, a non-UTF-8
# locale with --kernel-threads, and the tree's JSON keys.
. "$TESTS/lib.sh"

FIX="$FIXTURES/proc-tree"

# on_fake ARGS...: run fdshare ARGS on a copy of the fixture; stdout to
# $T_DIR/got, stderr to $T_DIR/got.err, exit status in FAKE_RC.
on_fake() {
	rm -rf "$T_DIR/fake" "$T_DIR/real"
	cp -a "$FIX/proc" "$T_DIR/fake"
	for d in "$T_DIR"/fake/[0-9]*; do mkdir -p "$d/fd" "$d/fdinfo"; done
	mkdir "$T_DIR/real"
	FAKE_RC=0
	# fdshare runs as a child of sh (pid 1 there), never with a fixture pid.
	# LeakSanitizer reads /proc/<its own pid>/task, which no fake /proc has:
	# no leak check here (the live cases check the same code for leaks).
	env -u COLUMNS -u LINES ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" unshare --mount --propagation private --pid --fork sh -c '
		mount -t proc proc "$1/real" && ln -s "$1/real/self" "$1/fake/self" &&
		mount --bind "$1/fake" /proc && shift && "$@"' _ "$T_DIR" "$FDSHARE" "$@" \
		>"$T_DIR/got" 2>"$T_DIR/got.err" || FAKE_RC=$?
}

same_as() {
	local what=$1 want=$2
	if cmp -s "$want" "$T_DIR/got"; then
		pass "$what"
	else
		fail "$what"
		note "$(diff -u "$want" "$T_DIR/got" | head -n 40)" "stderr: $(head -n 5 "$T_DIR/got.err")"
	fi
}

LC_ALL=C.UTF-8 on_fake --tree
check "--tree on the fixture exits 0" test "$FAKE_RC" = 0
same_as "--tree (UTF-8) is expected-tree.txt byte for byte" "$FIX/expected-tree.txt"

LC_ALL=C.UTF-8 on_fake --tree --ascii -p 130,600
same_as "--tree --ascii -p 130,600 is expected-tree-p.txt" "$FIX/expected-tree-p.txt"

LC_ALL=C on_fake --tree --kernel-threads
same_as "--tree --kernel-threads in the C locale (ASCII) is expected-tree-kthreads.txt" \
	"$FIX/expected-tree-kthreads.txt"

LC_ALL=C.UTF-8 on_fake --tree --json
check "--tree --json on the fixture exits 0" test "$FAKE_RC" = 0
jq -c '(.processes[] | {pid,ppid,state,pidns_init,zombie,subreaper,reparented,source,
	reparent_evidence,adopted_by,adopter}), (.zombie_groups[] | del(.explanation, .hint)),
	{subreaper_source}' "$T_DIR/got" >"$T_DIR/got.jq" 2>&1
mv "$T_DIR/got.jq" "$T_DIR/got"
same_as "--tree --json: tree keys and zombie groups are expected-tree-json.txt" "$FIX/expected-tree-json.txt"

LC_ALL=C.UTF-8 on_fake --tree --json --kernel-threads
check "--json --kernel-threads lists the kernel threads 2 and 9" \
	test "$(jq -c '[.processes[] | select(.kernel_thread) | .pid]' "$T_DIR/got")" = "[2,9]"
LC_ALL=C.UTF-8 on_fake --tree --json
check "--tree --json without it leaves them out" \
	test "$(jq -c '[.processes[] | select(.kernel_thread) | .pid]' "$T_DIR/got")" = "[]"

LC_ALL=C.UTF-8 on_fake
check "the overview lists the 3 zombie groups briefly" \
	test "$(grep -c '^zombies: ' "$T_DIR/got")" = 3
check "overview: 'zombies: 3 under 400 (app): SIGCHLD caught by a handler that does not reap them'" \
	grep -q '^zombies: 3 under 400 (app): SIGCHLD caught by a handler that does not reap them' "$T_DIR/got"
LC_ALL=C.UTF-8 on_fake -p 404
check "-p of a live sibling: no zombies: line (neither parent nor zombie selected)" \
	bash -c '! grep -q "^zombies:" "$1"' _ "$T_DIR/got"
LC_ALL=C.UTF-8 on_fake -p 520
check "-p of a zombie: its group's zombies: line" \
	grep -q '^zombies: 1 under 510 (node): the parent is a pid-namespace init that does not reap' "$T_DIR/got"
