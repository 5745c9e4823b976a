#!/usr/bin/env bash
# 40-watch-refuse: --watch outside the initial pid namespace (this case runs
# in a private one) says what is missing and exits 111; its option errors
# are usage errors (100).
. "$TESTS/lib.sh"

fds_text --watch --duration 1
rc_is "--watch in a child pid namespace: 111" 111
check "the message says the initial pid namespace is needed" \
	grep -q 'not in the initial pid namespace' "$T_DIR/fds.err"
check "and nothing is printed on stdout" test ! -s "$(fds_out_file)"
fds_text --watch --json --count 1
rc_is "--watch --json in a child pid namespace: 111" 111

fds_text --watch --events fork,bogus; rc_is "--events with an unknown kind: 100" 100
check "the unknown kind is named" grep -q "'bogus'" "$T_DIR/fds.err"
fds_text --watch --events ''; rc_is "--events '': 100" 100
fds_text --watch --count 0; rc_is "--count 0: 100" 100
fds_text --watch --count -3; rc_is "--count -3: 100" 100
fds_text --watch --count 2x; rc_is "--count 2x: 100" 100
fds_text --watch --duration abc; rc_is "--duration abc: 100" 100
fds_text --watch --duration 0; rc_is "--duration 0: 100" 100
fds_text --count 3; rc_is "--count without --watch: 100" 100
check "it says --watch is needed" grep -q 'needs --watch' "$T_DIR/fds.err"
fds_text --events exit; rc_is "--events without --watch: 100" 100
fds_text --duration 1; rc_is "--duration without --watch: 100" 100
fds_text --watch -u root; rc_is "--watch -u: 100" 100
fds_text --watch -c bash; rc_is "--watch -c: 100" 100
fds_text --watch /etc/passwd; rc_is "--watch PATH: 100" 100
fds_text --watch -o FD; rc_is "--watch -o: 100" 100
fds_text --watch --tree; rc_is "--watch --tree: 100" 100
fds_text --watch --prometheus; rc_is "--watch --prometheus: 100" 100
FDSHARE_WATCH_RCVBUF=lots fds_text --watch --duration 1
rc_is "FDSHARE_WATCH_RCVBUF=lots: 100" 100
fds_text --help
check "--help lists --watch, --events, --count, --duration" \
	sh -c 'grep -q -- --watch "$1" && grep -q -- --events "$1" && grep -q -- --count "$1" && grep -q -- --duration "$1"' \
	sh "$(fds_out_file)"
