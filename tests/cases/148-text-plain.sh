#!/usr/bin/env bash
# 148-text-plain: text tables written to a pipe or a file are printed in
# one pass when every cell is plain ASCII (src/render/text_table.c,
# table_plain.c), else by libsmartcols, built from the same cells.  Both
# must give the same bytes.  So each output below, of
# scenarios with shared descriptions, pipes, sockets, locks and names with
# a tab, a newline, non-ASCII and U+202E (those cells go to libsmartcols
# in both runs), is compared byte for byte with its twin printed by
# libsmartcols alone (FDSHARE_TEXT_TABLES=libsmartcols, for tests):
# the overview, every process (-u root), raw (-r), rows only (-n), a PATH,
# chosen columns, --all-holders, -p.  The comparison is shown to fail when
# one byte differs.
. "$TESTS/lib.sh"

for sc in dup fork-offset pipe-exec unix-pair f-writers l-flock-fork l-waiter ep-tcp; do
	start_scenario "$sc"
done
odd="$T_DIR/tab	here
newline na"$'\xc3\xaf'"ve "$'\xe2\x80\xae'"rlo"
echo x >"$odd"
plain="$T_DIR/plain file"
echo x >"$plain"
sleep 1000 3<"$odd" 4<"$plain" 5<"$plain" &
holder=$!

cases=("" "-u root" "-r" "-n" "-u root -r" "$T_DIR" "-o PID,FD,TYPE,TARGET,SHARED" "--all-holders" "-p $holder")
bad=""
for args in "${cases[@]}"; do
	# shellcheck disable=SC2086 # the option sets split on blanks; the PATH has none
	set -- $args
	[ "$args" = "$T_DIR" ] && set -- "$T_DIR"
	# into files, not a pipe: a reader of the pipe would be a process in
	# the output, another one each run
	"$FDSHARE" "$@" >"$T_DIR/plain.raw" 2>/dev/null
	FDSHARE_TEXT_TABLES=libsmartcols "$FDSHARE" "$@" >"$T_DIR/scols.raw" 2>/dev/null
	grep -v 'scan in [0-9.]* s$' "$T_DIR/plain.raw" >"$T_DIR/plain.txt"
	grep -v 'scan in [0-9.]* s$' "$T_DIR/scols.raw" >"$T_DIR/scols.txt"
	if ! cmp -s "$T_DIR/plain.txt" "$T_DIR/scols.txt"; then
		bad="$bad [$args]"
		note "fdshare $args: < one pass, > libsmartcols" "$(diff "$T_DIR/plain.txt" "$T_DIR/scols.txt" | head -n 10)"
	fi
	[ "$args" = "-u root" ] && cp "$T_DIR/plain.txt" "$T_DIR/every.txt"
done
check "every fd listed: the odd name shown, escaped, by libsmartcols" \
	grep -q 'tab\\x09here' "$T_DIR/every.txt"
check "every fd listed: the plain name with a blank shown as it is" \
	grep -q "plain file" "$T_DIR/every.txt"
check "${#cases[@]} outputs printed in one pass equal libsmartcols' byte for byte${bad:+; not:$bad}" \
	test -z "$bad"
# the comparison can fail: one blank more in one row
sed '3s/ $/  /; 3s/\([^ ]\) /\1  /' "$T_DIR/every.txt" >"$T_DIR/doctored.txt"
check "the comparison fails on a doctored output" \
	bash -c '! cmp -s "$1" "$2"' _ "$T_DIR/every.txt" "$T_DIR/doctored.txt"
kill "$holder"
