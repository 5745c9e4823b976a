# lib_tmux.sh - run a command in a real terminal (tmux) of a given size and
# capture what the screen shows; source it after lib.sh.
#
#   tmux_capture COLS ROWS CMD...   run CMD (words, quoted for sh) in a new
#                                   tmux server of its own (a new socket in
#                                   $T_DIR each time), wait until it ends, and set
#   TMUX_SCREEN                     the pane's whole history, a screen line a
#                                   line (capture-pane without -J), trailing
#                                   blank lines dropped
#   TMUX_RC                         CMD's exit status ("timeout" when it did
#                                   not end within 60 s)
#   TMUX_ESCAPES=1 tmux_capture ... keep colour escapes (capture-pane -e)

TMUX_RC=""
TMUX_SCREEN=""

tmux_capture() {
	local cols=$1 rows=$2 sock done cmd t
	# A server (and socket) of its own per capture: a new session on the
	# socket of a server still shutting down would be lost.
	TMUX_N=$((${TMUX_N:-0} + 1))
	sock="$T_DIR/tmux$TMUX_N.sock" done="$T_DIR/tmux$TMUX_N.done"
	shift 2
	cmd=$(printf '%q ' "$@")
	rm -f "$done"
	# A shell that runs CMD, notes its status, then waits to be captured.
	# only stdio: the server must not hold (and share) the case's other fds
	(only_stdio tmux -S "$sock" -f /dev/null new-session -d -x "$cols" -y "$rows" \
		"export TERM=xterm-256color; unset COLUMNS LINES; $cmd; echo \$? >$done.tmp; mv $done.tmp $done; exec sleep 60")
	for ((t = 0; t < 1200; t++)); do
		[ -e "$done" ] && break
		sleep 0.05
	done
	TMUX_RC=$(cat "$done" 2>/dev/null || echo timeout)
	TMUX_SCREEN=$(tmux -S "$sock" capture-pane ${TMUX_ESCAPES:+-e} -p -S - -E -)
	tmux -S "$sock" kill-server 2>/dev/null
	return 0
}
