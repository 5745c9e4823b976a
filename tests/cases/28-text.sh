#!/usr/bin/env bash
# 28-text: the text table of -p: identity line, default columns, SHARED
# naming the other fds, -o, +LIST, -n and -r.
. "$TESTS/lib.sh"

start_scenario dup
p=$S_pid

if fds_text -p "$p"; then
	out=$(fds_out_file)
	rc_is "text -p exits 0" 0
	check "identity line: PID $p (scenario) ppid N state X user root threads 1" \
		grep -Eq "^PID $p \(scenario\) ppid [0-9]+ state [A-Z] user root threads 1\$" "$out"
	check "header: the default columns, in order" \
		grep -Eq '^ *FD +TYPE +MODE +CLOEXEC +POS +FLAGS +OFD +SHARED +ENDPOINT +TARGET *$' "$out"
	for f in "$S_fd" "$S_dupfd" "$S_fd2"; do
		check "fd $f has a row naming the file" grep -Eq "^ *$f +reg +rw .*${S_path//./\\.}" "$out"
	done
	check "SHARED of fd $S_fd names fd $S_dupfd and fd $S_fd2" \
		bash -c 'grep -E "^ *$1 " "$4" | grep -Ew "fd $2" | grep -Eqw "fd $3"' _ \
		"$S_fd" "$S_dupfd" "$S_fd2" "$out"
	check "SHARED of fd $S_fd2 names fd $S_fd and fd $S_dupfd" \
		bash -c 'grep -E "^ *$1 " "$4" | grep -Ew "fd $2" | grep -Eqw "fd $3"' _ \
		"$S_fd2" "$S_fd" "$S_dupfd" "$out"
fi

if fds_text -p "$p" -o FD,TYPE; then
	out=$(fds_out_file)
	check "-o FD,TYPE: header is FD TYPE" grep -Eq '^ *FD +TYPE *$' "$out"
	check "-o FD,TYPE: fd $S_fd row is '$S_fd reg'" grep -Eq "^ *$S_fd +reg *\$" "$out"
	check "-o FD,TYPE: no fd row has a third column" \
		bash -c '! grep -E "^ *[0-9]+ " "$1" | grep -Eq "^ *[^ ]+ +[^ ]+ +[^ ]"' _ "$out"
fi

if fds_text -p "$p" -o +PID; then
	check "-o +PID: the defaults, then PID" \
		grep -Eq '^ *FD +TYPE +MODE +CLOEXEC +POS +FLAGS +OFD +SHARED +ENDPOINT +TARGET +PID *$' "$(fds_out_file)"
fi

if fds_text -p "$p" -n -o FD,TYPE; then
	out=$(fds_out_file)
	check "-n: no header line" bash -c '! grep -Eq "^ *FD +TYPE" "$1"' _ "$out"
	check "-n: the rows stay" grep -Eq "^ *$S_fd +reg *\$" "$out"
fi

if fds_text -p "$p" -r -o FD,TYPE,MODE,POS; then
	out=$(fds_out_file)
	check "-r: header with single spaces" grep -qx 'FD TYPE MODE POS' "$out"
	check "-r: row '$S_fd2 reg rw 0', no alignment" grep -qx "$S_fd2 reg rw 0" "$out"
	check "-r: row '$S_fd reg rw 0'" grep -qx "$S_fd reg rw 0" "$out"
fi

stop_scenario
