#!/usr/bin/env bash
# 80-usage-errors: one format for every usage error, util-linux's:
# "fdshare: what is wrong" and "Try 'fdshare --help'." on stderr, nothing on
# stdout, exit 100; an empty selector (-p '') is one of them.
. "$TESTS/lib.sh"

try_line="Try 'fdshare --help'."
# usage_case MSG WANT_FIRST_LINE ARGS...
usage_case() {
	local what=$1 want=$2
	shift 2
	fds_text "$@"
	rc_is "$what: exit 100" 100
	check "$what: stderr is exactly \"$want\" and the Try line" \
		test "$FDS_ERR" = "$want"$'\n'"$try_line"
	check "$what: nothing on stdout" test -z "$FDS_OUT"
}

usage_case "unknown long option" "fdshare: unrecognized option '--no-such-option'" --no-such-option
usage_case "unknown long option with a value" "fdshare: unrecognized option '--bogus'" --bogus=3
usage_case "ambiguous long option" "fdshare: ambiguous option (give more of its name) '--co'" --co
usage_case "unknown short option" "fdshare: invalid option '-x'" -x
usage_case "unknown short option in a bundle" "fdshare: invalid option '-x'" -Jx
usage_case "unknown short option first in a bundle, after a long one" "fdshare: invalid option '-x'" --json -xJ
usage_case "unknown long option after an operand" "fdshare: unrecognized option '--nope'" /etc/passwd --nope
usage_case "-p without a value" "fdshare: option requires an argument: '-p'" -p
usage_case "--pid without a value" "fdshare: option requires an argument: '--pid'" --pid
usage_case "--json=3" "fdshare: option takes no argument: '--json'" --json=3
usage_case "-p ''" "fdshare: empty value for '--pid'" -p ''
usage_case "--pid=" "fdshare: empty value for '--pid'" --pid=
usage_case "-p ,," "fdshare: empty value for '--pid'" -p ,,
usage_case "-u ''" "fdshare: empty value for '--user'" -u ''
usage_case "-c ''" "fdshare: empty value for '--command'" -c ''
usage_case "-p notapid" "fdshare: not a process id: 'notapid'" -p notapid
usage_case "-o unknown column" "fdshare: unknown column: 'NOSUCH'" -o NOSUCH
usage_case "--watch --findings" "fdshare: --watch takes only -p, -J, --events, --count and --duration; not '--findings'" --watch --findings
usage_case "--tree --findings" "fdshare: --tree has its own columns and no findings; not '--findings'" --tree --findings
usage_case "--color=sometimes" "fdshare: unknown colour mode (auto, always, never): 'sometimes'" --color=sometimes

# --check keeps its plugin contract: the UNKNOWN line on stdout, exit 3, and
# the same message on stderr.
fds_text --check --bogus
rc_is "--check --bogus: exit 3 (UNKNOWN)" 3
check "--check --bogus: FDSHARE UNKNOWN on stdout" grep -q '^FDSHARE UNKNOWN - usage error' "$(fds_out_file)"
check "--check --bogus: same stderr format" \
	test "$FDS_ERR" = "fdshare: unrecognized option '--bogus'"$'\n'"$try_line"

fds_text --all -p $$
rc_is "a unique prefix is the option: --all is --all-holders" 0

# --help fits an 80-column terminal and goes to stdout.
fds_text --help
rc_is "--help: exit 0" 0
check "--help: no line is wider than 79 columns" \
	bash -c '! awk "length > 79" "$1" | grep -q .' _ "$(fds_out_file)"
check "--help: nothing on stderr" test -z "$FDS_ERR"
