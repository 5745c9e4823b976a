#!/usr/bin/env bash
# 91-hostile-names: a program named with ESC, BEL and U+202E (right-to-left
# override, which shows "evil<RLO>txt.exe" as "eviltxt.exe" reversed) keeps
# a zombie child and a file whose name holds U+202E and a zero-width space.
# The text output shows every such character escaped, the JSON \u-escapes
# them (and decodes back to the raw bytes), --prometheus writes no raw
# control in a label; the twin, a plain name, is shown as it is.
. "$TESTS/lib.sh"

PROMCHECK=$(dirname "$SCENARIO")/promcheck
rlo=$'\xe2\x80\xae'
zwsp=$'\xe2\x80\x8b'
name=$'x\e]0;t\a'"${rlo}y"      # 8 bytes: fits comm's 15
prog="$T_DIR/$name"
cp "$(command -v sleep)" "$prog"
file="$T_DIR/evil${rlo}txt${zwsp}.exe"
echo x >"$file"

# The weird program becomes the parent of an exited child it never reaps.
bash -c 'sleep 0.3 & exec "$1" 1000 3<"$2"' _ "$prog" "$file" &
pid=$!
cp "$(command -v sleep)" "$T_DIR/plainname"
bash -c 'sleep 0.3 & exec "$1" 1000' _ "$T_DIR/plainname" &
twin=$!
for ((i = 0; i < 100; i++)); do
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] &&
		[ "$(cat "/proc/$twin/comm" 2>/dev/null)" = plainname ] &&
		[ "$(grep -ls '^State:.*Z' /proc/[0-9]*/status | wc -l)" -ge 2 ] && break
	sleep 0.05
done
check "the program's comm holds ESC, BEL and U+202E" \
	test "$(cat "/proc/$pid/comm")" = "$name"

# no_hostile FILE: no C0 control but newline, no DEL, no C1, no U+202E, no
# zero-width space (byte sequences, so the check works in any locale).
no_hostile() {
	! LC_ALL=C grep -q "[[:cntrl:]]" <(tr -d '\n' <"$1") &&
		! LC_ALL=C grep -qF -e "$rlo" -e "$zwsp" -e $'\xc2\x9b' "$1"
}

fds_text -p "$pid,$twin" -o +ERROR
check "text: no raw control, bidi or zero-width character" no_hostile "$(fds_out_file)"
check "text: the comm shown escaped: x\\x1b]0;t\\x07\\xe2\\x80\\xaey" \
	grep -qF 'x\x1b]0;t\x07\xe2\x80\xaey' "$(fds_out_file)"
check "text: the file name in the table shown escaped: evil<U+202E>txt<U+200B>.exe" \
	grep -qF 'evil<U+202E>txt<U+200B>.exe' "$(fds_out_file)"
check "text: the twin's plain name is shown as it is" grep -q "(plainname)" "$(fds_out_file)"

fds_text --tree -p "$pid"
check "--tree: no raw control, bidi or zero-width character" no_hostile "$(fds_out_file)"

if fds_json -p "$pid,$twin"; then
	check "JSON: no raw U+202E or zero-width space (\\u escaped)" no_hostile "$FDS_FILE"
	check "JSON: U+202E written as \\u202e" grep -qF '\u202e' "$FDS_FILE"
	jcheck "JSON: comm decodes to the raw name" 'proc($p).comm == $name' \
		--argjson p "$pid" --arg name "$name"
	jcheck "JSON: the target decodes to the raw path" 'fd($p; 3).target == $file' \
		--argjson p "$pid" --arg file "$file"
fi

if fds_text --prometheus; then
	check "--prometheus: passes promcheck (no raw control in a label)" \
		"$PROMCHECK" "$(fds_out_file)"
	check "--prometheus: no raw control, bidi or zero-width character" no_hostile "$(fds_out_file)"
	check "--prometheus: the parent's name as the text shows it, quoted for the format" \
		grep -qxF 'fdshare_zombies{parent_comm="x\\x1b]0;t\\x07\\xe2\\x80\\xaey"} 1' "$(fds_out_file)"
	check "--prometheus: the twin's plain name as it is" \
		grep -qxF 'fdshare_zombies{parent_comm="plainname"} 1' "$(fds_out_file)" ||
		note "$(grep zombies "$(fds_out_file)")"
fi

kill "$pid" "$twin"
wait "$pid" "$twin" 2>/dev/null
exit 0
