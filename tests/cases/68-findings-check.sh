#!/usr/bin/env bash
# 68-findings-check: --check prints one status line with performance data
# and exits as a monitoring plugin: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
# (usage errors and a selection matching nothing too); --warn, --crit,
# --ignore and --min-severity change what counts.  Without --check the
# same usage errors exit 100.
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"

# One line: "FDSHARE STATUS - summary | perfdata", each perfdata item
# 'label=value[UOM][;warn[;crit[;min[;max]]]]'.
check_line_ok() {
	local out=$1 status=$2 line perf item
	[ "$(wc -l <"$out")" = 1 ] || { echo "not one line"; return 1; }
	line=$(cat "$out")
	[[ $line =~ ^FDSHARE\ $status\ -\ [^|]+\ \|\ (.+)$ ]] || { echo "bad line: $line"; return 1; }
	perf=${BASH_REMATCH[1]}
	for item in $perf; do
		[[ $item =~ ^[a-z_]+=[0-9]+(\.[0-9]+)?(s|%|B)?(\;[0-9.]*){0,4}$ ]] ||
			{ echo "bad perfdata item: $item"; return 1; }
	done
}

start_scenario --as F f-fd-limit

fds_text --check -p "$F_crit"
rc_is "--check, a process at 95 %: CRITICAL (2)" 2
check "the line: FDSHARE CRITICAL - ... | perfdata" check_line_ok "$(fds_out_file)" CRITICAL
check "the summary counts and names the finding" \
	grep -Eq '^FDSHARE CRITICAL - 1 critical, 0 warning, [0-9]+ info \(fd-limit[,)]' "$(fds_out_file)"
check "perfdata: processes=1 fds=19 findings_critical=1 fd_usage_max=95%;80;95;0;100" \
	bash -c 'grep -q " processes=1 " "$1" && grep -q " fds=19 " "$1" && grep -q " findings_critical=1 " "$1" &&
		grep -q " fd_usage_max=95%;80;95;0;100 " "$1"' _ "$(fds_out_file)"
fds_text --check -p "$F_warn"
rc_is "--check, a process at 85 %: WARNING (1)" 1
check "the line: FDSHARE WARNING" check_line_ok "$(fds_out_file)" WARNING
fds_text --check -p "$F_ok"
rc_is "--check, a process at 25 %: OK (0)" 0
check "the line: FDSHARE OK" check_line_ok "$(fds_out_file)" OK
fds_text --check
rc_is "--check of the whole namespace: CRITICAL" 2

fds_text --check -p "$F_crit" --ignore fd-limit
rc_is "--ignore fd-limit: OK" 0
fds_text --check -p "$F_warn" --min-severity critical
rc_is "--min-severity critical: a warning does not count, OK" 0
fds_text --check -p "$F_warn" --crit fd-limit=80
rc_is "--crit fd-limit=80: 85 % is CRITICAL" 2
check "perfdata carries the thresholds given" grep -q " fd_usage_max=85%;80;80;0;100 " "$(fds_out_file)"
fds_text --check -p "$F_ok" --warn fd-limit=20%
rc_is "--warn fd-limit=20%: 25 % is a WARNING" 1
fds_text --check -p "$F_crit" --warn fd-limit=none --crit fd-limit=none
rc_is "--warn/--crit fd-limit=none: OK" 0

if fds_json -p "$F_crit"; then
	n=$(jq_fds '[.findings[] | select(.severity == "critical")] | length')
	fds_text --check -p "$F_crit"
	check "JSON and --check agree: $n critical" grep -q " findings_critical=$n " "$(fds_out_file)"
fi
if fds_text --format json -p "$F_crit"; then
	check "--format json prints the JSON document, findings included" \
		jq -e 'any(.findings[]; .code == "fd-limit")' "$(fds_out_file)"
fi

# What is not a finding's verdict is UNKNOWN.
gone=99999
while [ -e "/proc/$gone" ]; do gone=$((gone + 1)); done
fds_text --check -p "$gone"
rc_is "--check -p (no such pid): UNKNOWN (3)" 3
check "... with an UNKNOWN line on stdout" grep -q '^FDSHARE UNKNOWN - ' "$(fds_out_file)"
for bad in "--no-such-option" "--warn bogus=1" "--crit fd-limit=abc" "--ignore nope" \
	   "--min-severity severe" "--json" "--prometheus" "-o FD"; do
	# shellcheck disable=SC2086
	fds_text --check $bad
	rc_is "--check $bad: UNKNOWN (3)" 3
	check "--check $bad: one UNKNOWN line on stdout" \
		bash -c '[ "$(wc -l <"$1")" = 1 ] && grep -q "^FDSHARE UNKNOWN - usage error: " "$1"' _ "$(fds_out_file)"
done
for bad in "--warn bogus=1" "--crit zombies=-1" "--ignore nope" "--min-severity severe" \
	   "--format yaml" "--prometheus --json"; do
	# shellcheck disable=SC2086
	fds_text $bad
	rc_is "without --check, $bad: 100" 100
done

# An incomplete scan is noted, not UNKNOWN: as nobody, root's processes
# cannot be read.
fds_text --as nobody --check
check "as nobody: exit 0, 1 or 2, not 3 (exit $FDS_RC)" test "$FDS_RC" -le 2
check "as nobody: the line says incomplete, perfdata unreadable > 0" \
	bash -c 'grep -Eq "; incomplete: [0-9]+ process(es)? not readable \\|" "$1" &&
		grep -Eq " unreadable=[1-9]" "$1"' _ "$(fds_out_file)"

# Every code is known to --ignore, documented in the man page, and
# completed by every shell's completion; so are the new options.
top=$(cd "$TESTS/.." && pwd)
for c in zombie reparented exec-leak listener-leak pipe-eof-blocked shared-offset-write \
	 write-clobber deleted-open fd-limit nonblock-shared lock-deadlock lock-wait lock-inherited; do
	fds_text --check --ignore "$c" -p "$F_ok"
	rc_is "--ignore $c is accepted" 0
	check "man page: FINDINGS has an entry for $c" grep -qxF ".B ${c//-/\\-}" "$top/man/fdshare.1"
	for f in fdshare.bash _fdshare fdshare.fish; do
		check "completion $f offers $c" grep -qw -- "$c" "$top/completions/$f"
	done
done
for f in fdshare.bash _fdshare fdshare.fish; do
	check "completion $f offers --check, --prometheus, --format, --warn, --crit, --min-severity" \
		bash -c 'for o in check prometheus format warn crit min-severity; do grep -Eq -- "(--|-l )$o" "$1" || exit 1; done' _ "$top/completions/$f"
done
fds_text --help
check "--help lists --check, --prometheus, --warn, --crit, --ignore, --min-severity" \
	bash -c 'for o in check prometheus warn crit ignore min-severity; do grep -q -- "--$o" "$1" || exit 1; done' _ "$(fds_out_file)"

stop_scenario F
