#!/usr/bin/env bash
# 85-install: "ninja install" puts the binary, the man page and the three
# completions in their standard places under PREFIX (default /usr/local),
# below DESTDIR; "ninja uninstall" takes them away.  Installs only into a
# temporary DESTDIR.
. "$TESTS/lib.sh"

top=$(cd "$TESTS/.." && pwd)
command -v ninja >/dev/null || { fail "ninja is installed"; exit 1; }
# The install must not rebuild: other cases use build/ at the same time.
check "build/fdshare is up to date (ninja -n: no work)" \
	bash -c 'ninja -C "$1" -n build/fdshare | grep -q "no work to do"' _ "$top"

files=(bin/fdshare share/man/man1/fdshare.1 share/bash-completion/completions/fdshare
       share/zsh/site-functions/_fdshare share/fish/vendor_completions.d/fdshare.fish)
for prefix in "" /usr /opt/fdshare; do
	dest=$(mktemp -d "$T_DIR/dest.XXXXXX")
	want=${prefix:-/usr/local}
	check "PREFIX=${prefix:-(unset)} DESTDIR=...: ninja install exits 0" \
		env -u PREFIX ${prefix:+PREFIX=$prefix} DESTDIR="$dest" ninja -C "$top" install
	for f in "${files[@]}"; do
		check "installed $want/$f" test -f "$dest$want/$f"
	done
	check "nothing else installed" test "$(find "$dest" -type f | wc -l)" = "${#files[@]}"
	check "the binary is executable (0755) and runs" \
		bash -c 'test "$(stat -c %a "$1")" = 755 && "$1" --version | grep -q "^fdshare "' _ "$dest$want/bin/fdshare"
	check "the data files are 0644" \
		bash -c 'for f in "${@:2}"; do [ "$(stat -c %a "$1/$f")" = 644 ] || exit 1; done' _ \
		"$dest$want" "${files[@]:1}"
	check "the installed man page is ours" cmp -s "$top/man/fdshare.1" "$dest$want/share/man/man1/fdshare.1"
	check "the installed bash completion loads and defines _fdshare" \
		bash -c '. "$1" && declare -F _fdshare >/dev/null' _ "$dest$want/share/bash-completion/completions/fdshare"
	check "ninja uninstall removes every file" \
		bash -c 'env -u PREFIX ${2:+PREFIX=$2} DESTDIR="$1" ninja -C "$3" uninstall >/dev/null &&
			test "$(find "$1" -type f | wc -l)" = 0' _ "$dest" "$prefix" "$top"
done
