#!/usr/bin/env bash
# 69-findings-prometheus: --prometheus (and --format prometheus) write the
# text exposition format, checked by promcheck (and by promtool when it is
# installed): HELP and TYPE for every metric, every finding code with every
# severity (zeros too), zombies by parent command with the label escaped.
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"

start_scenario --as F f-fd-limit
start_scenario --as Z f-zombie-name

if fds_text --prometheus; then
	out=$(fds_out_file)
	rc_is "--prometheus exits 0" 0
	prom_valid
	for m in fdshare_processes fdshare_processes_unreadable fdshare_processes_vanished \
		 fdshare_fds_open fdshare_fds_unreadable fdshare_open_file_descriptions \
		 fdshare_open_file_descriptions_shared fdshare_zombies fdshare_findings \
		 fdshare_fd_usage_ratio_max fdshare_deleted_open_bytes fdshare_scan_complete \
		 fdshare_scan_duration_seconds; do
		check "$m: HELP and TYPE gauge" \
			bash -c 'grep -q "^# HELP $1 " "$2" && grep -qx "# TYPE $1 gauge" "$2"' _ "$m" "$out"
	done
	codes=$(grep -Eo '^fdshare_findings\{code="[a-z-]+"' "$out" | sort -u | wc -l)
	check "fdshare_findings: every code ($codes, lock-deadlock and fd-growth among them) x 3 severities" \
		test "$(grep -Ec '^fdshare_findings\{code="[a-z-]+",severity="(info|warning|critical)"\} [0-9]+$' "$out")" = $((codes * 3)) -a "$codes" -ge 15
	check 'fd-limit: 1 critical, 1 warning' \
		bash -c 'grep -qx "fdshare_findings{code=\"fd-limit\",severity=\"critical\"} 1" "$1" &&
			grep -qx "fdshare_findings{code=\"fd-limit\",severity=\"warning\"} 1" "$1"' _ "$out"
	check "fdshare_fd_usage_ratio_max 0.95" grep -qx 'fdshare_fd_usage_ratio_max 0.95' "$out"
	check 'zombies by parent comm, label escaped: parent_comm="z\"q\\\\b\\x0an"' \
		grep -qxF 'fdshare_zombies{parent_comm="z\"q\\\\b\\x0an"} 1' "$out"
	check "with zombies, no unlabelled 'fdshare_zombies 0' sample (81-admin-view has it without)" \
		bash -c '! grep -q "^fdshare_zombies 0\$" "$1"' _ "$out"
	check "fdshare_processes > 0, fdshare_scan_complete 1" \
		bash -c 'grep -Eq "^fdshare_processes [1-9][0-9]*$" "$1" && grep -qx "fdshare_scan_complete 1" "$1"' _ "$out"
	check "fdshare_scan_duration_seconds is a number" \
		grep -Eq '^fdshare_scan_duration_seconds [0-9]+(\.[0-9]+)?(e-?[0-9]+)?$' "$out"
fi
if fds_json; then
	crit=$(jq_fds '[.findings[] | select(.severity == "critical")] | length')
	fds_text --format prometheus
	check "--format prometheus agrees with JSON: $crit critical findings" \
		test "$(awk '/^fdshare_findings\{.*severity="critical"\}/ { n += $2 } END { print n + 0 }' "$(fds_out_file)")" = "$crit"
	prom_valid
fi
if fds_text --prometheus -p "$F_ok"; then
	check "-p: counts the selection only (1 process, 5 fds)" \
		bash -c 'grep -qx "fdshare_processes 1" "$1" && grep -qx "fdshare_fds_open 5" "$1"' _ "$(fds_out_file)"
	check "-p: no findings for a process at 25 %" \
		bash -c '! grep -Eq "^fdshare_findings\{code=\"fd-limit\".*\} [1-9]" "$1"' _ "$(fds_out_file)"
fi
if fds_text --prometheus --ignore zombie --min-severity critical; then
	check "--ignore zombie --min-severity critical: only fd-limit critical is counted" \
		test "$(awk '/^fdshare_findings\{/ { n += $2 } END { print n + 0 }' "$(fds_out_file)")" = 1
	prom_valid
fi
if fds_text --as nobody --prometheus; then
	rc_is "as nobody (incomplete: root's processes unreadable): still 0" 0
	check "as nobody: fdshare_scan_complete 0, unreadable processes counted" \
		bash -c 'grep -qx "fdshare_scan_complete 0" "$1" &&
			grep -Eq "^fdshare_processes_unreadable [1-9]" "$1"' _ "$(fds_out_file)"
	prom_valid
fi
gone=99999
while [ -e "/proc/$gone" ]; do gone=$((gone + 1)); done
fds_text --prometheus -p "$gone"
rc_is "--prometheus -p (no such pid): 2" 2

stop_scenario Z
stop_scenario F
