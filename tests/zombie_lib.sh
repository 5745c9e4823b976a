# zombie_lib.sh - checks shared by the zombie cases (32-*, 33-*); source it
# after lib.sh.
#
#   zombie_case MODE REASON [STATE]
#       start scenario zombies-MODE (as Z) and check, in JSON, text --tree,
#       the overview and -p, that fdshare names exactly the zombies the
#       scenario made, their parent, and REASON first; STATE is the parent's
#       state letter (default S).

zombie_case() {
	local mode=$1 reason=$2 state=${3:-S} out a
	start_scenario --as Z "zombies-$mode"
	a=(--argjson p "$Z_parent" --argjson z "[$Z_zombies]" --arg r "$reason" --arg s "$state")
	check "$mode: the scenario made zombies ($Z_zombies)" test "$Z_count" -gt 0
	if fds_json; then
		jcheck "$mode: one zombie group for parent $Z_parent" \
			'[.zombie_groups[] | select(.parent == $p)] | length == 1' "${a[@]}"
		jcheck "$mode: its children are exactly the scenario's zombies" \
			'.zombie_groups[] | select(.parent == $p) | [.children[].pid] == $z and .count == ($z | length)' "${a[@]}"
		jcheck "$mode: reason $reason, parent state $state" \
			'.zombie_groups[] | select(.parent == $p) | .reason == $r and .reasons[0] == $r and .parent_state == $s' "${a[@]}"
		jcheck "$mode: explanation and a hint naming the parent" \
			'.zombie_groups[] | select(.parent == $p) | (.explanation | length > 20) and (.hint | contains($p | tostring))' "${a[@]}"
		jcheck "$mode: ages are whole seconds since start, small" \
			'.zombie_groups[] | select(.parent == $p) | all(.children[]; (.age_seconds | isint) and .age_seconds >= 0 and .age_seconds < 120)' "${a[@]}"
		jcheck "$mode: each zombie is a process with state Z, zombie true, ppid the parent" \
			'. as $r | all($z[]; . as $c | $r | proc($c) | .state == "Z" and .zombie == true and .ppid == $p)' "${a[@]}"
		jnone "$mode: no other zombie group" '.zombie_groups[] | select(.parent != $p) | .parent' "${a[@]}"
	fi
	if fds_text --tree --ascii -p "$Z_parent"; then
		out=$(fds_out_file)
		check "$mode text: 'zombies of $Z_parent (scenario), state $state: $Z_count'" \
			grep -qx "zombies of $Z_parent (scenario), state $state: $Z_count" "$out"
		check "$mode text: every zombie listed with its age" \
			bash -c 'for z in ${1//,/ }; do grep -Eq "^  children \(pid age\):.* $z [0-9]+s" "$2" || exit 1; done' _ "$Z_zombies" "$out"
		check "$mode text: reason and hint lines" \
			bash -c 'grep -A3 "^zombies of $1 " "$2" | grep -q "^  reason: " && grep -A5 "^zombies of $1 " "$2" | grep -q "^  hint: "' _ "$Z_parent" "$out"
		check "$mode text: the parent's line says $Z_count unreaped zombies" \
			grep -Eq "^ *$Z_parent .*$Z_count unreaped zombies" "$out"
		check "$mode text: each zombie's line is marked zombie" \
			bash -c 'for z in ${1//,/ }; do grep -Eq "^ *$z .* Z .*zombie" "$2" || exit 1; done' _ "$Z_zombies" "$out"
	fi
	if fds_text; then
		check "$mode overview: a zombies: line for $Z_parent" \
			grep -Eq "^zombies: $Z_count under $Z_parent \(scenario\): " "$(fds_out_file)"
	fi
	if fds_text -p "$Z_parent"; then
		check "$mode -p: a zombies: line for $Z_parent" \
			grep -Eq "^zombies: $Z_count under $Z_parent \(scenario\): " "$(fds_out_file)"
	fi
	stop_scenario Z
}
