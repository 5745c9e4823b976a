#!/usr/bin/env bash
# 65-findings-fd-limit: open fds against the soft RLIMIT_NOFILE read from
# /proc/PID/limits: 17 of 20 is a warning (>= 80 %), 19 of 20 critical
# (>= 95 %), 5 of 20 nothing; --warn/--crit fd-limit move the lines.
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"

start_scenario --as F f-fd-limit
fired fd-limit warning "$F_warn"
fired fd-limit critical "$F_crit"
silent fd-limit "$F_ok"
if fds_json -p "$F_crit"; then
	jcheck "fd-limit: evidence open 19, soft_limit 20, percent 95; pids only, no fds" \
		'.findings[] | select(.code == "fd-limit") | .evidence.open == 19 and .evidence.soft_limit == $l
		 and .evidence.percent == 95 and .pids == [$c] and .fds == []' \
		--argjson l "$F_limit" --argjson c "$F_crit"
fi
if fds_json -p "$F_ok" --warn fd-limit=20; then
	jcheck "--warn fd-limit=20: 5 of 20 (25 %) is a warning" \
		'[.findings[] | select(.code == "fd-limit") | .severity] == ["warning"]'
fi
if fds_json -p "$F_warn" --crit fd-limit=85%; then
	jcheck "--crit fd-limit=85%: 17 of 20 is critical" \
		'[.findings[] | select(.code == "fd-limit") | .severity] == ["critical"]'
fi
if fds_text -p "$F_crit"; then
	check "text: '19 fds open, 95 % of its soft limit of 20'" \
		grep -Eq "^CRITICAL fd-limit: $F_crit \\(scenario\\) has 19 fds open, 95 % of its soft limit of 20" \
		"$(fds_out_file)"
fi
stop_scenario F
