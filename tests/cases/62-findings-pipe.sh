#!/usr/bin/env bash
# 62-findings-pipe: a reader blocked until EOF that can never come is
# pipe-eof-blocked: it kept the write end itself, or its parent holds the
# write end while it waits for it to end.  A reader that kept its write
# end is flagged even while another process holds a write end too.  The
# twin closed its write end and its writer is a producer, not waiting for
# it.  A FIFO server that opened a write end of its FIFO itself, to keep
# it open between clients, is left alone; a FIFO reader that inherited a
# write end from its parent is flagged.  (A shell's coproc:
# tests/cases/71-real-patterns.sh.)
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"
. "$TESTS/lib_real.sh"

start_scenario --as K f-pipe-kept-write
fired pipe-eof-blocked warning "$K_reader"
if fds_json -p "$K_reader"; then
	a=(--argjson r "$K_reader" --argjson w "$K_wfd")
	jcheck "kept-write: fds are the reader's fd 0 and its own write end fd $K_wfd" \
		'.findings[] | select(.code == "pipe-eof-blocked") | .fds == [{pid: $r, fd: 0}, {pid: $r, fd: $w}]' "${a[@]}"
	jcheck "kept-write: evidence case reader-holds-write-end, pipe:[$K_inode]" \
		'.findings[] | select(.code == "pipe-eof-blocked") | .evidence
		 | .case == "reader-holds-write-end" and .reader_pid == $r and .writer_pid == $r
		 and .target == "pipe:[\($i)]"' "${a[@]}" --arg i "$K_inode"
fi
if fds_text -p "$K_reader"; then
	check "text: '$K_reader (cat) is blocked reading ... holds its write end itself'" \
		grep -Eq "^WARNING pipe-eof-blocked: $K_reader \\(cat\\) is blocked reading pipe:\\[$K_inode\\] \\(fd 0\\).*holds its write end itself \\(fd $K_wfd\\)" \
		"$(fds_out_file)"
fi
stop_scenario K

start_scenario --as W f-pipe-wait
fired pipe-eof-blocked warning "$W_writer,$W_reader"
if fds_json -p "$W_reader"; then
	jcheck "wait: evidence case writer-waits-for-reader, writer $W_writer" \
		'.findings[] | select(.code == "pipe-eof-blocked") | .evidence
		 | .case == "writer-waits-for-reader" and .writer_pid == $w and .reader_pid == $r' \
		--argjson w "$W_writer" --argjson r "$W_reader"
fi
stop_scenario W

start_scenario --as S f-pipe-kept-write-shared
fired pipe-eof-blocked warning "$S_reader"
if fds_json -p "$S_reader"; then
	jcheck "kept-write with another writer: the case is reader-holds-write-end, the writer cat" \
		'.findings[] | select(.code == "pipe-eof-blocked") | .evidence
		 | .case == "reader-holds-write-end" and .writer_pid == $r' --argjson r "$S_reader"
	jcheck "kept-write with another writer: we hold a write end too (so the rule saw it)" \
		'fd($p; $w).mode == "w"' --argjson p "$S_parent" --argjson w "$S_wfd"
fi
stop_scenario S

start_scenario --as O f-pipe-ok
silent pipe-eof-blocked "$O_parent,$O_reader"
stop_scenario O

# ---- FIFOs: a keep-alive write end opened by the reader, or one inherited ----
fifo=$T_DIR/ctl
mkfifo "$fifo"
# A FIFO server as C writes one: it opens its FIFO to read, then again to
# write (no close-on-exec), so that read() never sees EOF when a client
# leaves; then it reads.  A helper it forked holds them too, and a client
# holds the FIFO open.
bash -c 'exec 5<>"$1" 3<"$1" 4>"$1" 5<&-; sleep 300 & exec cat <&3 3<&-' _ "$fifo" &
keeper=$!
exec {client}>"$fifo"
wait_for "the FIFO server blocked reading" blocked "$keeper"
silent pipe-eof-blocked "$keeper"
if fds_json -p "$keeper"; then
	jcheck "FIFO keep-alive: the reader holds a write end of its own, opened separately (so the rule saw it)" \
		'fd($p; 4).mode == "w" and fd($p; 4).type == "fifo" and fd($p; 0).mode == "r"' --argjson p "$keeper"
fi
wait_for "the FIFO server's helper" child_named "$keeper" sleep
helper=$(child_named "$keeper" sleep)
if fds_json -p "$keeper,$helper"; then
	jcheck "FIFO keep-alive: a helper it forked shares its keep-alive write end" \
		'ofd_of($p; 4) == ofd_of($h; 4)' --argjson p "$keeper" --argjson h "$helper"
fi
silent pipe-eof-blocked "$keeper,$helper"
kill "$helper"
# The twin: the reader inherited its parent's write end (a leftover of fork).
bash -c 'exec 4>"$1"; cat <"$1"; :' _ "$fifo" &
parent=$!
wait_for "cat on the FIFO" child_named "$parent" cat
leftover=$(child_named "$parent" cat)
wait_for "cat blocked reading the FIFO" blocked "$leftover"
fired pipe-eof-blocked warning "$leftover"
if fds_json -p "$leftover"; then
	jcheck "FIFO with an inherited write end: the case is reader-holds-write-end, fd 4" \
		'.findings[] | select(.code == "pipe-eof-blocked") | .evidence.case == "reader-holds-write-end"
		 and any(.fds[]; .pid == $r and .fd == 4)' --argjson r "$leftover"
fi
exec {client}>&-
