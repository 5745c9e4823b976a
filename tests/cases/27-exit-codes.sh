#!/usr/bin/env bash
# 27-exit-codes: 0 complete, 2 selector matched nothing, 100 usage error.
. "$TESTS/lib.sh"

start_scenario dup

# A pid that does not exist in this pid namespace.
gone=99999
while [ -e "/proc/$gone" ]; do gone=$((gone + 1)); done

fds_text -p "$gone"; rc_is "-p nonexistent pid: 2" 2
fds_json -p "$gone"; rc_is "--json -p nonexistent pid: 2" 2
fds_text -p "$S_pid"; rc_is "-p existing pid: 0" 0
fds_text -c zzz-no-such-command; rc_is "-c matching nothing: 2" 2
fds_text -u 54321; rc_is "-u uid without processes: 2" 2
fds_text -u root; rc_is "-u root: 0" 0
fds_text -c scenario; rc_is "-c scenario: 0" 0
fds_text -p "$S_pid" -c zzz; rc_is "-p and -c combine with AND: no match, 2" 2
fds_text --no-such-option; rc_is "bad option: 100" 100
check "bad option: a message on stderr" test -n "$FDS_ERR"
fds_text -p; rc_is "-p without a value: 100" 100
fds_text -p notapid; rc_is "-p notapid: 100" 100
fds_text -o NOSUCHCOLUMN -p "$S_pid"; rc_is "-o unknown column: 100" 100
fds_text --help; rc_is "--help: 0" 0
check "--help prints a usage" grep -qi usage "$(fds_out_file)"
fds_text -h; rc_is "-h: 0" 0
fds_text --version; rc_is "--version: 0" 0
check "--version prints \"fdshare <version>\"" grep -Eqx 'fdshare [^ ]+' "$(fds_out_file)"
fds_text -V; rc_is "-V: 0" 0
fds_text -l; rc_is "-l: 0" 0
for col in FD TYPE MODE CLOEXEC POS FLAGS OFD SHARED TARGET PID COMMAND MNTID INO DELETED ERROR; do
	check "-l lists column $col" grep -qw "$col" "$(fds_out_file)"
done

stop_scenario
