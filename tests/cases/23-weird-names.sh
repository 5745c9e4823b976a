#!/usr/bin/env bash
# 23-weird-names: a comm with ESC and a newline, a path with a newline and an
# invalid UTF-8 byte: text output must escape them (one line, no raw control
# bytes), JSON must stay valid UTF-8 and keep the raw bytes in "*_hex".
. "$TESTS/lib.sh"

start_scenario weird-names
comm=$(printf '%s' "$S_comm_hex" | xxd -r -p)
path=$(printf '%s' "$S_path_hex" | xxd -r -p)
# What JSON must show for the path: the invalid byte as U+FFFD.
want_target=$(LC_ALL=C; printf '%s' "${path//$'\xff'/$'\xef\xbf\xbd'}")
args=(--argjson p "$S_pid" --argjson f "$S_fd" --arg comm "$comm" --arg target "$want_target"
	--arg hex "$S_path_hex")

check "the scenario's comm really holds ESC and a newline" \
	cmp -s <(printf '%s\n' "$comm") "/proc/$S_pid/comm"

# no_raw_controls FILE: no byte below 0x20 but newline, no DEL, valid UTF-8.
no_raw_controls() {
	! LC_ALL=C grep -q "[[:cntrl:]]" "$1" && iconv -f UTF-8 -t UTF-8 -o /dev/null "$1"
}

for mode in "" "-r"; do
	fds_text -p "$S_pid" $mode || continue
	out=$(fds_out_file)
	rc_is "text -p $mode exits 0" 0
	check "text $mode: no raw control byte, valid UTF-8" no_raw_controls "$out"
	if [ -z "$mode" ]; then
		check "text: the identity line holds the whole comm (a ... b ... c) on one line" \
			grep -Eq "^PID $S_pid \(a.*b.*c\)" "$out"
		check "text: the fd's row holds the whole file name (we ... ird ... .txt)" \
			grep -Eq "^ *$S_fd .*we.*ird.*\.txt" "$out"
	else
		# rows only: PID and COMMAND lead each row, the comm in one cell
		check "text -r: the fd's row holds the whole comm and file name" \
			grep -Eq "^$S_pid a[^ ]*b[^ ]*c $S_fd .*we.*ird.*\.txt" "$out"
	fi
	check "text $mode: no line starts with the text after a newline" \
		bash -c '! grep -Eq "^(c\)|ird)" "$1"' _ "$out"
done

if fds_json -p "$S_pid"; then
	rc_is "--json -p exits 0" 0
	check "JSON is valid UTF-8" iconv -f UTF-8 -t UTF-8 -o /dev/null "$FDS_FILE"
	check "JSON holds no raw control byte" no_raw_controls "$FDS_FILE"
	jcheck "comm is exact (ESC and newline escaped JSON-style)" \
		'proc($p).comm == $comm' "${args[@]}"
	jcheck "target has U+FFFD for the invalid byte, the newline intact" \
		'fd($p; $f).target == $target' "${args[@]}"
	jcheck "target_hex holds the raw bytes" \
		'fd($p; $f).target_hex | ascii_downcase == $hex' "${args[@]}"
fi

stop_scenario
