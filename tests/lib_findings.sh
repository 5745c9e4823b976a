# lib_findings.sh - checks that a finding shows, or does not, in each of
# fdshare's four outputs; source it after lib.sh:
#
#     . "$TESTS/lib.sh"; . "$TESTS/lib_findings.sh"
#
#   fired CODE SEVERITY PIDS [ARGS...]
#                                with -p PIDS (comma-separated): the JSON has
#                                a CODE finding of SEVERITY naming each pid
#                                of PIDS, the text a "SEVERITY CODE:" entry
#                                naming them, --check exits by SEVERITY and
#                                names CODE, --prometheus counts it (and
#                                passes the format check)
#   silent CODE PIDS [ARGS...]   none of the four reports CODE with -p PIDS
#                                (ARGS, such as --min-severity warning, are
#                                passed to every run)
#   prom_valid                   the last text output (a --prometheus run)
#                                passes promcheck (and promtool, if installed)
#
# Findings are scoped to the selection: -p PIDS lists those naming one of
# PIDS, so a finding elsewhere on the machine cannot make a twin fail.

PROMCHECK=${PROMCHECK:-$(dirname "$SCENARIO")/promcheck}

# The --check status for a severity, as a monitoring plugin exits.
lib_check_status() {
	case "$1" in critical) echo 2 ;; warning) echo 1 ;; *) echo 0 ;; esac
}

prom_valid() {
	check "--prometheus output passes promcheck" "$PROMCHECK" "$(fds_out_file)"
	if command -v promtool >/dev/null 2>&1; then
		check "--prometheus output passes promtool check metrics" \
			bash -c 'promtool check metrics <"$1"' _ "$(fds_out_file)"
	fi
}

# The text entry of a CODE finding: its first line and the pids/fds line.
lib_text_entry() {
	grep -A1 -E "^[A-Z]+ $1: " "$(fds_out_file)"
}

fired() {
	local code=$1 sev=$2 pids=$3 p entry want
	shift 3
	if fds_json -p "$pids" "$@"; then
		jcheck "$code: JSON has a $sev finding naming $pids" \
			'[.findings[] | select(.code == $c and .severity == $s)
			  | select(. as $f | all($p[]; . as $x | any($f.pids[]; . == $x)))] | length >= 1' \
			--arg c "$code" --arg s "$sev" --argjson p "[$pids]"
	fi
	if fds_text -p "$pids" "$@"; then
		entry=$(lib_text_entry "$code")
		check "$code: text has a '${sev^^} $code:' entry" grep -Eq "^${sev^^} $code: " "$(fds_out_file)"
		for p in ${pids//,/ }; do
			check "$code: the text entry's fds/pids line names $p" \
				grep -Eq "^    (fds|pids): (.*, )?$p( fd [0-9]+)?(,|\$)" <<<"$entry"
		done
	fi
	want=$(lib_check_status "$sev")
	if fds_text --check -p "$pids" "$@"; then
		rc_is "$code: --check -p $pids exits $want" "$want"
		check "$code: --check names $code" grep -q "[(, ]$code[ ,)]" "$(fds_out_file)"
	fi
	if fds_text --prometheus -p "$pids" "$@"; then
		prom_valid
		check "$code: --prometheus counts it" \
			grep -Eq "^fdshare_findings\{code=\"$code\",severity=\"$sev\"\} [1-9]" "$(fds_out_file)"
	fi
}

silent() {
	local code=$1 pids=$2
	shift 2
	if fds_json -p "$pids" "$@"; then
		jnone "$code twin: no finding in JSON for $pids" \
			'.findings[] | select(.code == $c)' --arg c "$code"
	fi
	if fds_text -p "$pids" "$@"; then
		check "$code twin: no text entry" bash -c '! grep -Eq "^[A-Z]+ $1: " "$2"' _ "$code" "$(fds_out_file)"
	fi
	if fds_text --check -p "$pids" "$@"; then
		check "$code twin: --check does not name it" bash -c '! grep -q "[(, ]$1[ ,)]" "$2"' _ "$code" "$(fds_out_file)"
	fi
	if fds_text --prometheus -p "$pids" "$@"; then
		check "$code twin: --prometheus counts 0 of every severity" \
			test "$(grep -Ec "^fdshare_findings\{code=\"$code\",severity=\"[a-z]+\"\} 0\$" "$(fds_out_file)")" = 3
	fi
}
