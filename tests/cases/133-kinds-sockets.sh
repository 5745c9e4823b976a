#!/usr/bin/env bash
# 133-kinds-sockets: the socket protocols beyond unix, tcp and udp, in a
# network namespace the scenario makes (fdshare enters it as root), each
# with what sock_diag (or /proc/net where no diag exists) says of it: a raw
# ICMP socket (twin: a UDP socket on the same address), a ping socket, a
# packet socket on lo for every protocol and one bound to nothing, a
# netlink route socket in groups 1 and 5, a connected UDP-Lite pair linked
# like a UDP pair (its twin).  Sockets in no dump say why instead of
# ENOENT: a netlink and a TCP socket never bound ("unbound, or ..."), a
# unix socket made in a namespace nobody is in any more ("in a network
# namespace no process is in"), beside the twin socketpair, linked.
. "$TESTS/lib.sh"

[ "$(id -u)" = 0 ] || skip_case "raw, packet sockets and network namespaces need root"

start_scenario --as K k-sockets
fd() { local v="K_fd_$1"; printf '%s' "${!v}"; }
args=(--argjson p "$K_pid")
for n in raw udp ping packet packet_idle netlink netlink_idle lite_a lite_b udp_a udp_b tcp_idle gone_unix gone_udp pair_a pair_b; do
	args+=(--argjson "$n" "$(fd $n)")
done
args+=(--argjson portid "$K_portid")

if fds_json -p "$K_pid"; then
	jcheck "raw: protocol raw, ICMP (1), local 127.0.0.1, no error" \
		'fd($p; $raw) | .protocol == "raw" and .ip_protocol == 1 and .local.address == "127.0.0.1"
		 and .endpoint_error == null and .unlisted == null' "${args[@]}"
	jcheck "twin: the UDP socket is udp, no ip_protocol key" \
		'fd($p; $udp) | .protocol == "udp" and has("ip_protocol") == false and .state == "UNCONN"' "${args[@]}"
	jcheck "ping: protocol ping, local 127.0.0.1" \
		'fd($p; $ping) | .protocol == "ping" and .local.address == "127.0.0.1" and .endpoint_error == null' "${args[@]}"
	jcheck "packet: raw, every protocol (ETH_P_ALL), on lo" \
		'fd($p; $packet) | .protocol == "packet" and .packet.type == "raw" and .packet.ethertype == 3
		 and .packet.ethertype_name == "all" and .packet.interface == "lo" and .packet.ifindex > 0' "${args[@]}"
	jcheck "packet bound to nothing: dgram, ethertype 0, no interface" \
		'fd($p; $packet_idle) | .packet == {type: "dgram", ethertype: 0, ethertype_name: null, ifindex: 0, interface: null}' "${args[@]}"
	jcheck "netlink: route, its port id, groups 1 and 5" \
		'fd($p; $netlink) | .protocol == "netlink" and .netlink.protocol == "route" and .netlink.portid == $portid
		 and .netlink.groups == [1, 5]' "${args[@]}"
	jcheck "netlink never bound: unlisted, unbound or another namespace; no error" \
		'fd($p; $netlink_idle) | .unlisted == "unbound-or-other-netns" and .endpoint_error == null
		 and has("netlink") == false' "${args[@]}"
	jcheck "udplite pair: protocol udplite, each the other's end" \
		'[fd($p; $lite_a), fd($p; $lite_b)] | all(.protocol == "udplite" and .state == "ESTABLISHED")
		 and (.[0].endpoints | map(.fd)) == [$lite_b] and (.[1].endpoints | map(.fd)) == [$lite_a]' "${args[@]}"
	jcheck "twin: the UDP pair is udp, linked the same way" \
		'[fd($p; $udp_a), fd($p; $udp_b)] | all(.protocol == "udp")
		 and (.[0].endpoints | map(.fd)) == [$udp_b]' "${args[@]}"
	jcheck "tcp never bound: unbound or another namespace, not ENOENT" \
		'fd($p; $tcp_idle) | .protocol == "tcp" and .unlisted == "unbound-or-other-netns" and .endpoint_error == null' "${args[@]}"
	jcheck "unix socket made in a namespace nobody is in: other-netns" \
		'fd($p; $gone_unix) | .protocol == "unix" and .unlisted == "other-netns" and .endpoint_error == null' "${args[@]}"
	jcheck "udp socket made there, never bound: unbound or another namespace" \
		'fd($p; $gone_udp) | .unlisted == "unbound-or-other-netns"' "${args[@]}"
	jcheck "twin: the socketpair here is linked, nothing unlisted" \
		'fd($p; $pair_a) | .unlisted == null and (.endpoints | map(.fd)) == [$pair_b]' "${args[@]}"
	jnone "no socket of the scenario says ENOENT" \
		'.processes[] | select(.pid == $p) | .fds[] | select(.endpoint_error == "ENOENT") | .fd' "${args[@]}"
fi
if fds_text -p "$K_pid" -o FD,ENDPOINT --type socket; then
	out=$(fds_out_file)
	check "text: 'icmp, local 127.0.0.1'" grep -Eq "^ *$K_fd_raw +icmp, local 127\.0\.0\.1 *\$" "$out"
	check "text: ping 'local 127.0.0.1, id N'" grep -Eq "^ *$K_fd_ping +local 127\.0\.0\.1, id [0-9]+ *\$" "$out"
	check "text: 'raw all on lo'" grep -Eq "^ *$K_fd_packet +raw all on lo *\$" "$out"
	check "text: 'dgram, no protocol yet'" grep -Eq "^ *$K_fd_packet_idle +dgram, no protocol yet *\$" "$out"
	check "text: 'route portid $K_portid, groups 1,5'" grep -Eq "^ *$K_fd_netlink +route portid $K_portid, groups 1,5 *\$" "$out"
	check "text: 'unbound, or in a network namespace no process is in'" \
		grep -Eq "^ *$K_fd_tcp_idle +unbound, or in a network namespace no process is in *\$" "$out"
	check "text: 'in a network namespace no process is in'" \
		grep -Eq "^ *$K_fd_gone_unix +in a network namespace no process is in *\$" "$out"
	check "text: no 'closed or opened meanwhile' for a socket still open" \
		eval "! grep -q 'closed or opened meanwhile' '$out'"
fi
for t in raw ping packet netlink udplite; do
	fds_text -p "$K_pid" --type "$t" -o FD -r
	n=$(awk '$1 ~ /^[0-9]+$/' "$(fds_out_file)" | wc -l)
	want=1
	case $t in packet | netlink | udplite) want=2 ;; esac
	check "--type $t: $want fd(s) (got $n)" test "$n" = "$want"
done
stop_scenario
