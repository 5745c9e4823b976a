#!/usr/bin/env bash
# 116-docs-busy: what "who keeps it busy" and "leaks in progress" added is
# documented and completed: the options in --help, the man page and every
# shell's completion; the finding codes in FINDINGS and --ignore; the JSON
# keys in the man page.
. "$TESTS/lib.sh"

top=$(dirname "$TESTS")
man="$top/man/fdshare.1"
if fds_text --help; then
	for o in interval count top path-timeout; do
		check "--help names --$o" grep -q -- "--$o" "$(fds_out_file)"
	done
fi
for o in interval count top path-timeout; do
	pat=$(printf '%s' "--$o" | sed 's/-/\\-/g')
	check "man page documents --$o" grep -qF -- ".BI $pat" "$man"
	for f in fdshare.bash _fdshare fdshare.fish; do
		check "completion $f offers --$o" grep -Eq -- "(--|-l )$o" "$top/completions/$f"
	done
done
for c in deleted-mapped fd-growth; do
	fds_text --ignore "$c" -p 1
	rc_is "--ignore $c is accepted" 0
	check "man page: FINDINGS has an entry for $c" grep -qxF ".B ${c//-/\\-}" "$man"
	for f in fdshare.bash _fdshare fdshare.fish; do
		check "completion $f offers $c" grep -qw -- "$c" "$top/completions/$f"
	done
done
for k in holds holds_error how deleted_code samples counts per_minute seconds_to_limit \
	appeared_fds new_ofds sample_milliseconds at_milliseconds; do
	check "man page documents the JSON key $k" grep -Eq "^\.(BR?|TP) .*\b$k\b" "$man"
done
check "man page has the sections WHO HOLDS A PATH and INTERVAL" \
	bash -c 'grep -qx ".SH WHO HOLDS A PATH" "$1" && grep -qx ".SH INTERVAL" "$1"' _ "$man"
