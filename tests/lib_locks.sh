# lib_locks.sh - checks shared by the lock cases (tests/cases/7x-locks-*.sh);
# source it after lib.sh:
#
#   lslocks_agree MSG PATH   every lock of PATH in the last JSON's top-level
#                            "locks" is listed by `lslocks -J` (util-linux) with
#                            the same kind, mode, range and pid (lslocks: end 0
#                            = EOF; a waiter's mode ends in "*"), and lslocks
#                            lists no held lock of PATH that we do not; OFD
#                            locks, whose path lslocks cannot tell, are matched
#                            by kind, mode and range among its pid -1 entries.

lib_lslocks_cmp() {
	local path=$1
	lslocks -J >"$T_DIR/lslocks.json" || { echo "lslocks -J failed"; return 1; }
	jq -n --arg path "$path" --slurpfile L "$T_DIR/lslocks.json" '
		def upkind: {"flock": "FLOCK", "posix": "POSIX", "ofd": "OFDLCK", "lease": "LEASE"}[.];
		def theirs: [$L[0].locks[] | select(.path == $path or .type == "OFDLCK")];
		input as $doc
		| [$doc.locks[] | select(.file == $path)] as $ours
		| ($ours | length) > 0
		  and all($ours[]; . as $o
			| any(theirs[]; .type == ($o.kind | upkind) and .mode == ($o.type | ascii_upcase)
			      and .start == $o.start and .end == ($o.end // 0)
			      and .pid == (if $o.kind == "posix" then $o.pid
			                   elif $o.kind == "ofd" then -1 else $o.taken_by end)))
		  and ([theirs[] | select(.type != "OFDLCK" and (.mode | endswith("*") | not))] | length)
		      == ([$ours[] | select(.kind != "ofd")] | length)
	' "$FDS_FILE"
}

lib_lslocks_true() {
	[ "$(lib_lslocks_cmp "$1")" = true ]
}

lslocks_agree() {
	local what=$1 path=$2
	if ! command -v lslocks >/dev/null 2>&1; then
		fail "$what (lslocks is not installed: util-linux)"
		return 1
	fi
	check "$what" lib_lslocks_true "$path" || {
		note "lslocks -J:" "$(cat "$T_DIR/lslocks.json")"
		note "ours:" "$(jq -c '.locks' "$FDS_FILE")"
	}
}
