#!/usr/bin/env bash
# 92-cmdline-comm: arguments are read NUL-separated, so one holding a newline
# stays one argument (libproc2 splits it); an argument that is not UTF-8 gets
# the lossless "cmdline_hex" sibling, which a plain command line never has;
# an empty argument is kept.  -c matches the raw command name fdshare shows
# (or its escaped text form), never libproc2's '?'-mangled copy; a process
# sharing a description with a selected one is listed too, as "partial".
. "$TESTS/lib.sh"

nl_arg=$'x\ny'
bad_arg=$'bad\xffname'
bash -c 'exec -a "$1" sleep 301' _ "$nl_arg" &
p_nl=$!
bash -c 'exec -a xy sleep 302' _ &
p_plain=$!
bash -c 'exec -a "$1" sleep 303' _ "$bad_arg" &
p_bad=$!
bash -c 'exec -a "" sleep 304' _ &
p_empty=$!

# Programs whose command names are "a<newline>b" and its look-alike "a?b".
cp "$(command -v sleep)" "$T_DIR/a"$'\n'"b"
cp "$(command -v sleep)" "$T_DIR/a?b"
"$T_DIR/a"$'\n'"b" 305 &
p_comm_nl=$!
"$T_DIR/a?b" 306 &
p_comm_q=$!
for p in $p_nl $p_plain $p_bad $p_empty $p_comm_nl $p_comm_q; do
	for ((i = 0; i < 100; i++)); do
		[ "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" != "" ] &&
			! grep -q '^bash' "/proc/$p/comm" && break
		sleep 0.05
	done
done

if fds_json -p "$p_nl,$p_plain,$p_bad,$p_empty"; then
	jcheck "an argument with a newline stays one: [\"x\\ny\", \"301\"]" \
		'proc($p).cmdline == [$a, "301"]' --argjson p "$p_nl" --arg a "$nl_arg"
	jcheck "twin: [\"xy\", \"302\"], no cmdline_hex" \
		'proc($p) | .cmdline == ["xy", "302"] and (has("cmdline_hex") | not)' --argjson p "$p_plain"
	jcheck "a valid UTF-8 argument with a newline gets no cmdline_hex" \
		'proc($p) | has("cmdline_hex") | not' --argjson p "$p_nl"
	jcheck "an argument that is not UTF-8: U+FFFD in cmdline" \
		'proc($p).cmdline == ["bad\ufffdname", "303"]' --argjson p "$p_bad"
	jcheck "... and cmdline_hex holds every argument's raw bytes" \
		'proc($p).cmdline_hex == ["626164ff6e616d65", "333033"]' --argjson p "$p_bad"
	jcheck "an empty argument is kept: [\"\", \"304\"]" \
		'proc($p).cmdline == ["", "304"]' --argjson p "$p_empty"
fi
fds_text -p "$p_nl"
check "text: the command line shows the newline escaped, on one line" \
	grep -qF 'x\x0ay 301' "$(fds_out_file)"

comm_nl=$'a\nb'
fds_json -c "$comm_nl"
rc_is "-c \$'a\\nb' (the raw name) exits 0" 0
jcheck "-c \$'a\\nb' selects the process named a<newline>b, not a?b" \
	'[.processes[] | select((.pid == $p or .pid == $q) and .partial == false) | .pid] == [$p]' \
	--argjson p "$p_comm_nl" --argjson q "$p_comm_q"
fds_json -c 'a\x0ab'
rc_is "-c 'a\\x0ab' (the name as the text output shows it) exits 0" 0
jcheck "-c 'a\\x0ab' selects the same process" \
	'[.processes[] | select((.pid == $p or .pid == $q) and .partial == false) | .pid] == [$p]' \
	--argjson p "$p_comm_nl" --argjson q "$p_comm_q"
fds_json -c 'a?b'
rc_is "-c 'a?b' exits 0 (the process really named a?b)" 0
jcheck "-c 'a?b' selects only the process named a?b, not a<newline>b" \
	'[.processes[] | select((.pid == $p or .pid == $q) and .partial == false) | .pid] == [$q]' \
	--argjson p "$p_comm_nl" --argjson q "$p_comm_q"
kill "$p_comm_q"
wait "$p_comm_q" 2>/dev/null
fds_text -c 'a?b'
rc_is "-c 'a?b' with only a<newline>b left: nothing matches (2)" 2

kill $p_nl $p_plain $p_bad $p_empty $p_comm_nl 2>/dev/null
wait 2>/dev/null
exit 0
