#!/usr/bin/env bash
# 132-kinds-pty-tun: character devices fdshare names beyond "chr": a pty
# master (its number from fdinfo) linked to the child holding its slave on
# fd 0 and 1, and back; a second master whose slave nobody opened; a tap
# device attached to its interface (in a network namespace of the
# scenario's own) and a tun fd never attached.  The twin of each is
# /dev/null: a plain character device, no pty or tun key.  --type ptmx,
# pts, pty and tun select them; chr still selects them all.
. "$TESTS/lib.sh"


start_scenario --as P k-pty
pargs=(--argjson p "$P_pid" --argjson f "$P_fd" --argjson i "$P_index" --argjson c "$P_child"
	--argjson l "$P_lone_fd" --argjson li "$P_lone_index" --argjson t "$P_fd_twin")
if fds_json -p "$P_pid,$P_child"; then
	jcheck "master: chr, pty master with its number, ends are the child's fd 0 and 1" \
		'fd($p; $f) | .type == "chr" and .pty == {role: "master", index: $i}
		 and ([.endpoints[] | [.pid, .fd]] == [[$c, 0], [$c, 1]])' "${pargs[@]}"
	jcheck "slave: pty slave of that number, its end our master" \
		'fd($c; 0) | .type == "chr" and .pty == {role: "slave", index: $i}
		 and ([.endpoints[] | [.pid, .fd]] == [[$p, $f]])' "${pargs[@]}"
	jcheck "a master nobody opened the slave of: no ends" \
		'fd($p; $l) | .pty == {role: "master", index: $li} and .endpoints == []' "${pargs[@]}"
	jcheck "twin: /dev/null is chr without a pty key" 'fd($p; $t) | .type == "chr" and has("pty") == false and has("tun") == false' "${pargs[@]}"
fi
if fds_text -p "$P_pid" -o FD,ENDPOINT; then
	out=$(fds_out_file)
	check "text: 'pty $P_index master; slave: $P_child (scenario) fd 0, ... fd 1'" \
		grep -Eq "^ *$P_fd +pty $P_index master; slave: $P_child \(scenario\) fd 0, $P_child \(scenario\) fd 1 *\$" "$out"
	check "text: 'pty $P_lone_index master; no slave open'" \
		grep -Eq "^ *$P_lone_fd +pty $P_lone_index master; no slave open" "$out"
	check "text: /dev/null has no endpoint" grep -Eq "^ *$P_fd_twin +- *\$" "$out"
fi
if fds_text -p "$P_child" -o FD,ENDPOINT --type pts; then
	check "text, slave: 'pty $P_index slave; master: $P_pid (scenario) fd $P_fd'" \
		grep -Eq "^ *0 +pty $P_index slave; master: $P_pid \(scenario\) fd $P_fd *\$" "$(fds_out_file)"
fi
# fds_text -p PIDS --type T: the "PID FD" pairs listed, sorted, one line
type_rows() {
	fds_text -p "$1" --type "$2" -o PID,FD -r 2>/dev/null
	awk '$1 ~ /^[0-9]+$/ { print $1 ":" $2 }' "$(fds_out_file)" | sort | tr '\n' ' '
}
got=$(type_rows "$P_pid,$P_child" ptmx)
check "--type ptmx: the two masters (got: $got)" test "$got" = "$(printf '%s\n' "$P_pid:$P_fd" "$P_pid:$P_lone_fd" | sort | tr '\n' ' ')"
got=$(type_rows "$P_pid,$P_child" pts)
check "--type pts: the child's fd 0 and 1 (got: $got)" test "$got" = "$P_child:0 $P_child:1 "
got=$(type_rows "$P_pid,$P_child" pty)
check "--type pty: both masters and the slave fds (got: $got)" test "$(wc -w <<<"$got")" = 4
stop_scenario P

if [ "$(id -u)" != 0 ] || [ ! -c /dev/net/tun ]; then
	skip_case "tun/tap needs root and /dev/net/tun"
fi
start_scenario --as T k-tun
targs=(--argjson p "$T_pid" --argjson f "$T_fd" --arg ifn "$T_iface" --argjson i "$T_fd_idle" --argjson t "$T_fd_twin")
if fds_json -p "$T_pid"; then
	jcheck "tap: chr with its interface" 'fd($p; $f) | .type == "chr" and .tun == {interface: $ifn}' "${targs[@]}"
	jcheck "a tun fd never attached: interface null" 'fd($p; $i) | .tun == {interface: null}' "${targs[@]}"
	jcheck "twin: /dev/null has no tun key" 'fd($p; $t) | has("tun") == false' "${targs[@]}"
fi
if fds_text -p "$T_pid" -o FD,ENDPOINT; then
	check "text: 'interface $T_iface'" grep -Eq "^ *$T_fd +interface $T_iface *\$" "$(fds_out_file)"
	check "text: 'no interface attached'" grep -Eq "^ *$T_fd_idle +no interface attached *\$" "$(fds_out_file)"
fi
got=$(type_rows "$T_pid" tun)
check "--type tun: the two tun fds (got: $got)" test "$got" = "$(printf '%s\n' "$T_pid:$T_fd" "$T_pid:$T_fd_idle" | sort | tr '\n' ' ')"
got=$(type_rows "$T_pid" chr)
check "--type chr still lists them, /dev/null too (got: $got)" test "$(wc -w <<<"$got")" -ge 3
stop_scenario
