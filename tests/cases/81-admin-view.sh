#!/usr/bin/env bash
# 81-admin-view: what an admin sees first, and what scripts get.  The
# overview opens with its findings (before any table), --findings shows
# them alone; -r/-n print rows only (one header at most); a selection that
# matches nothing prints nothing; -p leaves out processes that share only
# /dev/null (or a terminal) with the selection unless --all-holders, and
# SHARED counts many holders instead of naming them, the overview leaves out
# descriptions of /dev/null and terminals likewise; --color and NO_COLOR;
# Prometheus keeps fdshare_zombies at 0; -o is honoured by the overview.
. "$TESTS/lib.sh"

# P (sleep 301): fd 0 the shell's /dev/null description (fd 8), fd 1 the
# shell's shared.log description (fd 9, O_APPEND: no shared-offset-write
# finding).  Q1..Q3 share only that /dev/null with P; R shares shared.log
# with P.
exec 8</dev/null 9>>"$T_DIR/shared.log"
(exec 0<&8 1>&9 2>/dev/null; only_stdio sleep 301) &
P=$!
qs=()
for i in 1 2 3; do
	(exec 0<&8 1>/dev/null 2>/dev/null; only_stdio sleep 302) &
	qs+=($!)
done
(exec 0</dev/null 1>&9 2>/dev/null; only_stdio sleep 303) &
R=$!
start_scenario --as L f-exec-leak

# ---- findings first ----
if fds_text; then
	out=$(fds_out_file)
	f=$(grep -n '^Findings: ' "$out" | head -n 1 | cut -d: -f1)
	h=$(grep -nE '^ *OFD +TYPE ' "$out" | head -n 1 | cut -d: -f1)
	check "overview: a Findings line ($f) before the table header ($h)" \
		test -n "$f" -a -n "$h" -a "${f:-0}" -lt "${h:-0}"
	check "overview: the exec-leak finding is named before the table" \
		bash -c 'head -n "$2" "$1" | grep -Eq "^WARNING exec-leak: fd $3 "' _ "$out" "$h" "$L_fd"
	check "overview: findings within the first 24 lines" test "${f:-99}" -le 24
	check "overview: no hint lines (--findings has them), but says where they are" \
		bash -c '! grep -q "^    hint: " "$1" && grep -q "fdshare --findings" "$1"' _ "$out"
fi

if fds_text --findings; then
	out=$(fds_out_file)
	check "--findings: the tally first" bash -c 'grep -v "^$" "$1" | head -n 1 | grep -q "^Findings: "' _ "$out"
	check "--findings: the exec-leak entry with its hint" \
		bash -c 'grep -Eq "^WARNING exec-leak: " "$1" && grep -q "^    hint: " "$1"' _ "$out"
	check "--findings: no table, no summary" \
		bash -c '! grep -Eq "^(processes:|kcmp:| *OFD +TYPE)" "$1"' _ "$out"
fi
if fds_text --findings -p "$P"; then
	check "--findings -p with nothing found: 'Findings: none' only" \
		test "$(grep -v '^$' "$(fds_out_file)")" = "Findings: none"
fi
if fds_text --findings -r -p "$L_child"; then
	out=$(fds_out_file)
	check "--findings -r: a header, then one row per finding" \
		bash -c 'head -n 1 "$1" | grep -qx "SEVERITY CODE FDS MESSAGE" &&
			sed -n 2p "$1" | grep -Eq "^warning exec-leak [0-9]+\\\\x20fd\\\\x20[0-9]+"' _ "$out"
	check "--findings -r: no blank line" bash -c '! grep -q "^$" "$1"' _ "$out"
fi

# ---- -r / -n: rows only ----
rows_only() {
	# $1 output, $2 "header" or "noheader", $3 first header word
	! grep -q '^$' "$1" || { echo "a blank line"; return 1; }
	! grep -Eq '^(processes:|fds:|shared:|kcmp:|Findings|PID [0-9]+ \(|    cmd:|Also holding|not readable|zombies:|WARNING|INFO|CRITICAL)' "$1" ||
		{ echo "a line that is not a row"; return 1; }
	if [ "$2" = header ]; then
		[ "$(grep -c "^$3 " "$1")" = 1 ] && head -n 1 "$1" | grep -q "^$3 " ||
			{ echo "not exactly one header, first"; return 1; }
	else
		! grep -q "^ *$3 " "$1" || { echo "a header"; return 1; }
	fi
}
for opt in -r -n -rn; do
	want=header
	[ "$opt" = -r ] || want=noheader
	fds_text $opt
	check "overview $opt: rows only ($want)" rows_only "$(fds_out_file)" $want OFD
	fds_text $opt -p "$P,$R"
	check "-p $opt: rows only ($want)" rows_only "$(fds_out_file)" $want PID
	check "-p $opt: each row says whose: PID first ($P and $R)" \
		bash -c 'grep -Eq "^ *$2 sleep +0 " "$1" && grep -Eq "^ *$3 sleep +1 " "$1"' _ "$(fds_out_file)" "$P" "$R"
done
fds_text -r -p "$P"
check "-r: one row per fd of P (0, 1, 2)" test "$(grep -c "^$P " "$(fds_out_file)")" = 3
fds_text -n -o FD,TYPE -p "$P"
check "-n -o FD,TYPE: exactly the three rows '0 chr', '1 reg', '2 chr'" \
	test "$(tr -s ' ' <"$(fds_out_file)" | sed 's/^ //')" = $'0 chr\n1 reg\n2 chr'

# ---- a selection matching nothing ----
for args in "-c zzz-none" "-u 54321" "-r -c zzz-none" "--findings -c zzz-none"; do
	fds_text $args
	rc_is "$args: exit 2" 2
	check "$args: nothing on stdout" test -z "$FDS_OUT"
	check "$args: says so on stderr" grep -q "no process matches" <<<"$FDS_ERR"
done

# ---- -p: holders that matter ----
if fds_text -p "$P"; then
	out=$(fds_out_file)
	check "-p P: R (shares shared.log) is listed" grep -Eq "^PID $R \(sleep\)" "$out"
	for q in "${qs[@]}"; do
		check "-p P: Q $q (shares only /dev/null) is left out" bash -c '! grep -Eq "^PID $2 " "$1"' _ "$out" "$q"
	done
	check "-p P: says how many were left out and how to see them" \
		grep -q "^3 more processes share only /dev/null.*--all-holders" "$out"
	check "-p P: SHARED of fd 0 counts the 4 other holders (no list)" \
		grep -Eq "^ +0 +chr .* 4 other processes " "$out"
	check "-p P: SHARED of fd 1 names the 2 other holders" \
		bash -c 'grep -E "^ +1 +reg " "$1" | grep -q "$2 (sleep) fd 1"' _ "$out" "$R"
fi
if fds_text -p "$P" --all-holders; then
	out=$(fds_out_file)
	for q in "${qs[@]}"; do
		check "--all-holders: Q $q is listed" grep -Eq "^PID $q \(sleep\)" "$out"
	done
	check "--all-holders: no 'left out' line" bash -c '! grep -q "more process.* share only" "$1"' _ "$out"
fi
if fds_json -p "$P"; then
	jcheck "JSON lists every holder (Q too): scripts get all" \
		'[.processes[] | .pid] | index($q) != null' --argjson q "${qs[0]}"
	jcheck "JSON -p, all read: selection_complete and complete true" \
		'.selection_complete == true and .complete == true'
fi
if fds_json; then
	jcheck "JSON overview: selection_complete is complete" '.selection_complete == .complete'
fi

# ---- -o in the overview ----
if fds_text -o OFD,PROCS,TARGET; then
	out=$(fds_out_file)
	check "overview -o OFD,PROCS,TARGET: that header" grep -Eq '^ *OFD +PROCS +TARGET *$' "$out"
	check "overview -o: shared.log's description, held by 3 processes" \
		grep -Eq "^ *[0-9]+ +3 +$T_DIR/shared\.log *\$" "$out"
fi
if fds_text -o OFD,PROCS,TARGET; then
	out=$(fds_out_file)
	check "overview: the /dev/null shared by P, Q1..Q3 and the shell is left out" \
		bash -c '! grep -Eq "^ *[0-9]+ +5 +/dev/null *\$" "$1"' _ "$out"
	check "overview: says how many such descriptions, and how to see them" \
		grep -Eq '^[0-9]+ more descriptions? of /dev/null, /dev/zero or a terminal \(--all-holders' "$out"
fi
if fds_text -o OFD,PROCS,TARGET --all-holders; then
	check "overview --all-holders: the /dev/null row, held by 5 processes" \
		grep -Eq '^ *[0-9]+ +5 +/dev/null *$' "$(fds_out_file)"
fi
fds_text -o +DELETED -r
check "overview -o +DELETED: the default columns, then DELETED" \
	bash -c 'head -n 1 "$1" | grep -qx "OFD TYPE MODE POS VERIFIED PROCS TARGET HOLDERS DELETED"' _ "$(fds_out_file)"
fds_text --tree -o FD
rc_is "--tree -o: usage error (the tree has its own columns)" 100

# ---- colour ----
esc=$'\033['
fds_text --no-kcmp -p "$P"
check "a pipe: no colour by default" bash -c '! grep -qF "$2" "$1"' _ "$(fds_out_file)" "$esc"
fds_text --no-kcmp --color=always -p "$P"
check "--color=always: the unverified mark in colour" grep -qF "${esc}1;33m?" "$(fds_out_file)"
NO_COLOR=1 fds_text --no-kcmp --color -p "$P"
check "--color beats NO_COLOR" grep -qF "$esc" "$(fds_out_file)"
fds_text --color=never -p "$L_child"
check "--color=never: no colour" bash -c '! grep -qF "$2" "$1"' _ "$(fds_out_file)" "$esc"
fds_text --color=always -p "$L_child"
check "--color=always: WARNING in yellow" grep -qF "${esc}33mWARNING${esc}0m exec-leak" "$(fds_out_file)"

# ---- Prometheus: no zombies is 0, not absent ----
if fds_text --prometheus; then
	check "no zombie here: 'fdshare_zombies 0'" grep -qx 'fdshare_zombies 0' "$(fds_out_file)"
fi

kill "$P" "${qs[@]}" "$R"
wait "$P" "${qs[@]}" "$R" 2>/dev/null
stop_scenario
