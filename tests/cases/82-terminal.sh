#!/usr/bin/env bash
# 82-terminal: fdshare in a real terminal (tmux) at 80x24 and 200x50.  No
# line is wider than the terminal, nothing is cut: a long TARGET and a
# long holder list fold inside their cells and every piece stays on
# screen; at 200 columns the same row is one line.  Colour is on by
# default in a terminal and off with NO_COLOR.
. "$TESTS/lib.sh"
. "$TESTS/lib_tmux.sh"

command -v tmux >/dev/null || { fail "tmux is installed (apt-get install tmux)"; exit 1; }

# A file with a long name, held by the scenario's processes: fork-offset's
# parent and child share one description of it.
start_scenario --as F fork-offset
long="$T_DIR/a-rather-long-directory-name-for-the-80-column-test/and-a-long-file-name.log"
mkdir -p "${long%/*}"
exec 7>>"$long"
# Holders beyond the scenario: a few sleeps sharing fd 7's description.
kids=()
for i in 1 2 3 4; do
	(only_stdio --keep 7 sleep 300) &
	kids+=($!)
done

# cell_text CAPTURE COLUMN: the text of column COLUMN (from its header's
# offset to the next header's) of every line under the header, joined
# without blanks.
cell_text() {
	awk -v col="$2" '
		!start {
			i = index($0, col)
			if (i && $0 ~ /^ *(FD|OFD) /) {
				start = i; len = 0
				rest = substr($0, i + length(col))
				if (match(rest, /[^ ]/)) len = length(col) + RSTART - 1
			}
			next
		}
		{ s = len ? substr($0, start, len) : substr($0, start); gsub(/ /, "", s); out = out s }
		END { print out }' <<<"$1"
}

# longest CAPTURE: the widest line.
longest() { awk '{ if (length > n) n = length } END { print n + 0 }' <<<"$1"; }

for size in 80x24 200x50; do
	cols=${size%x*} rows=${size#*x}
	tmux_capture "$cols" "$rows" "$FDSHARE" -p $$
	screen=$TMUX_SCREEN
	check "$size -p: exit 0 (status $TMUX_RC)" test "$TMUX_RC" = 0
	check "$size -p: no line wider than $cols (widest $(longest "$screen"))" \
		test "$(longest "$screen")" -le "$cols"
	check "$size -p: the header is on screen" grep -Eq '^ *FD +TYPE +MODE +CLOEXEC +POS +FLAGS +OFD +SHARED +ENDPOINT +TARGET' <<<"$screen"
	check "$size -p: TARGET of fd 7 whole (folded pieces joined)" \
		grep -qF "$long" <<<"$(cell_text "$screen" TARGET)"
	if [ "$cols" = 200 ]; then
		check "200x50 -p: fd 7's row is one line holding the whole path" \
			grep -Eq "^ *7 +reg .*${long//./\\.}\$" <<<"$screen"
	else
		check "80x24 -p: fd 7's path is folded (not on one line)" \
			bash -c '! grep -qF "$1" <<<"$2"' _ "$long" "$screen"
		check "80x24 -p: no piece of a cell was cut with '...'" bash -c '! grep -qF "..." <<<"$1"' _ "$screen"
	fi
	tmux_capture "$cols" "$rows" "$FDSHARE" -o OFD,PROCS,TARGET,HOLDERS
	screen=$TMUX_SCREEN
	check "$size overview: no line wider than $cols (widest $(longest "$screen"))" \
		test "$(longest "$screen")" -le "$cols"
	holders=$(cell_text "$screen" HOLDERS)
	for k in "${kids[@]}"; do
		check "$size overview: holder $k (sleep) fd 7 on screen" grep -qF "$k(sleep)fd7" <<<"$holders"
	done
	check "$size overview: TARGET whole" grep -qF "$long" <<<"$(cell_text "$screen" TARGET)"
done

# Findings at 80 columns: folded at blanks, their indents kept.
start_scenario --as L f-exec-leak
tmux_capture 80 24 "$FDSHARE" --findings --color=never -p "$L_child"
screen=$TMUX_SCREEN
check "80x24 --findings: no line wider than 80 (widest $(longest "$screen"))" \
	test "$(longest "$screen")" -le 80
check "80x24 --findings: the headline, then its continuation indented by 4" \
	bash -c 'grep -A1 "^WARNING exec-leak: " <<<"$1" | tail -n 1 | grep -q "^    [^ ]"' _ "$screen"
check "80x24 --findings: '    fds:' and '    hint:' keep their indent" \
	bash -c 'grep -q "^    fds: $2 fd " <<<"$1" && grep -q "^    hint: " <<<"$1"' _ "$screen" "$L_parent"
check "80x24 --findings: hint continuation lines indented by 10" \
	bash -c 'grep -A1 "^    hint: " <<<"$1" | tail -n 1 | grep -q "^          [^ ]"' _ "$screen"
tmux_capture 80 24 "$FDSHARE" -p "$L_parent"
screen=$TMUX_SCREEN
check "80x24 -p: the cmd line keeps its indent" grep -q '^    cmd: ' <<<"$screen"

# The tree and its zombie explanations at 80 columns.
start_scenario --as Z zombies-caught
tmux_capture 80 24 "$FDSHARE" --tree
screen=$TMUX_SCREEN
check "80x24 --tree: no line wider than 80 (widest $(longest "$screen"))" \
	test "$(longest "$screen")" -le 80
check "80x24 --tree: the zombies' reason folded, continued two columns deeper" \
	bash -c 'grep -A1 "^  reason: " <<<"$1" | tail -n 1 | grep -q "^    [^ ]"' _ "$screen"

# Colour: on in a terminal by default, off with NO_COLOR.
esc=$'\033['
TMUX_ESCAPES=1 tmux_capture 120 40 "$FDSHARE" --no-kcmp -p $$
check "a terminal: the unverified mark in colour (status $TMUX_RC)" grep -qF "$esc" <<<"$TMUX_SCREEN"
TMUX_ESCAPES=1 tmux_capture 120 40 env NO_COLOR=1 "$FDSHARE" --no-kcmp -p $$
check "NO_COLOR=1: no colour in the terminal (status $TMUX_RC)" \
	bash -c '! grep -qF "$1" <<<"$2" && grep -q "^PID $3 " <<<"$2"' _ "$esc" "$TMUX_SCREEN" "$$"

kill "${kids[@]}"
wait "${kids[@]}" 2>/dev/null
exec 7>&-
stop_scenario
