#!/usr/bin/env bash
# 121-source-option: --source auto|bpf|proc.  As root where BPF loads, the
# default reads with it (.scan.source "bpf", no fallback); --source proc
# reads /proc and uses no BPF at all (the subreaper flags stay evidence).
# Where BPF is refused the default falls back to /proc silently and says why
# in JSON (.scan.fallback), and --source bpf says why and exits 111: as
# nobody (not root), and as root of a user namespace (a container: the
# kernel refuses BPF there).  --no-kcmp reads /proc; with --source bpf it is
# a usage error, as is an unknown source.
. "$TESTS/lib.sh"

start_scenario --as D dup
p=(--argjson p "$D_pid")

if fds_json -p "$D_pid" && [ "$(jq_fds .scan.source)" = bpf ]; then
	jcheck "root, default: read with BPF, no fallback, descriptions proven by the kernel" \
		'.scan.source == "bpf" and .scan.fallback == null and all(.ofds[]; .proof == "kernel")
		 and .subreaper_bpf == "ok"'
	fds_text
	check "root, default text: 'kcmp: not needed: every description was named by the kernel'" \
		grep -q '^kcmp: not needed: every description was named by the kernel (BPF' "$(fds_out_file)"
	fds_json --source bpf -p "$D_pid"
	jcheck "root, --source bpf: read with BPF" '.scan.source == "bpf" and .scan.fallback == null'
else
	skip "BPF does not load here ($(jq_fds .scan.fallback)): the root checks of the default"
fi

fds_json --source proc -p "$D_pid"
jcheck "--source proc: /proc and kcmp, no fallback, no BPF (subreaper_bpf ENODATA)" \
	'.scan.source == "proc" and .scan.fallback == null and .scan.kcmp_calls > 0
	 and all(.ofds[]; .proof == "kcmp") and .subreaper_bpf == "ENODATA"'
fds_text --source proc --tree -p "$D_pid"
check "--source proc --tree: 'evidence from /proc only (--source proc)'" \
	grep -q 'evidence from /proc only (--source proc)' "$(fds_out_file)"
fds_json --no-kcmp -p "$D_pid"
jcheck "--no-kcmp: read from /proc, groups unverified (disabled)" \
	'.scan.source == "proc" and .scan.kcmp == "disabled"'

# Not root: the default falls back, --source bpf refuses.
fds_json --as nobody -p "$D_pid"
jcheck "nobody, default: /proc, fallback says not root" \
	'.scan.source == "proc" and (.scan.fallback | startswith("not root"))'
check "nobody, default: nothing on stderr about BPF" bash -c '! grep -qi bpf <<<"$1"' _ "$FDS_ERR"
fds_text --as nobody --source bpf -p "$D_pid"
rc_is "nobody, --source bpf: exit 111" 111
check "nobody, --source bpf: says why on stderr" \
	grep -q '^fdshare: --source bpf: not root: BPF iterators need CAP_BPF and CAP_PERFMON' <<<"$FDS_ERR"
check "nobody, --source bpf: nothing on stdout" test -z "$FDS_OUT"

# Root of a user namespace: root by uid, but the kernel refuses BPF there.
userns() { unshare --user --map-root-user "$FDSHARE" "$@"; }
FDS_RC=0
userns --json -p "$D_pid" >"$FDS_FILE" 2>"$T_DIR/err" || FDS_RC=$?
jcheck "user namespace, default: /proc, fallback says the kernel refused BPF" \
	'.scan.source == "proc" and (.scan.fallback | test("refused|locked down|BTF"))'
FDS_RC=0
userns --source bpf -p "$D_pid" >/dev/null 2>"$T_DIR/err" || FDS_RC=$?
rc_is "user namespace, --source bpf: exit 111" 111
check "user namespace, --source bpf: says why" grep -q '^fdshare: --source bpf: ' "$T_DIR/err"

fds_text --source elsewhere
rc_is "--source elsewhere: usage error" 100
check "--source elsewhere: says what it takes" grep -q "takes auto, bpf or proc" <<<"$FDS_ERR"
fds_text --source bpf --no-kcmp
rc_is "--source bpf --no-kcmp: usage error" 100
stop_scenario
