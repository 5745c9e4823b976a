#!/usr/bin/env bash
# 83-watch-shebang: a script run through "#!/usr/bin/env bash" is two execs
# (env, then bash).  fdshare reads the new program after the event; when it
# reads it after both, the two would say the same thing: each exec is shown
# once, with the program it became (tests/unit/unit_watch.c pins that case;
# here the real kernel decides which reads happen).  The twin: the script's
# own exec of another program is still shown.
# needs: host pid namespace
. "$TESTS/lib.sh"
. "$TESTS/watch.sh"

script="$T_DIR/chain.sh"
printf '#!/usr/bin/env bash\nsleep 0.2\nexec sleep 0.3\n' >"$script"
chmod +x "$script"

watch_start -p $$ --events exec,exit || exit 1
runs=()
for i in 1 2 3 4 5; do
	"$script" &
	runs+=($!)
	wait $!
done
for p in "${runs[@]}"; do
	watch_wait "the exit of run $p is seen" 'evp("exit"; $p)' --argjson p "$p" || break
done
watch_stop INT

for p in "${runs[@]}"; do
	# The exec events of this pid, in order, as (comm, argv) pairs.
	wcheck "run $p: no exec repeats the one before it (comm and command line)" \
		'[evp("exec"; $p) | [.comm, .argv]] as $e
		 | all(range(1; $e | length); $e[.] != $e[. - 1])' --argjson p "$p"
	wcheck "run $p: its last exec became sleep 0.3" \
		'[evp("exec"; $p)] | last | .comm == "sleep" and .argv == ["sleep", "0.3"]' --argjson p "$p"
	wcheck "run $p: at most three execs (env, bash, sleep), none shown twice" \
		'[evp("exec"; $p)] | length >= 2 and length <= 3' --argjson p "$p"
done
