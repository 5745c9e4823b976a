/* sock_more.c - packet and netlink sockets from sock_diag (see sock_more.h).
 * Every attribute is validated before it is read; the attributes must fill
 * the message exactly, as in sock.c. */
#include "scan/sock_more.h"
#include "base/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

void sock_more_request(struct nlmsghdr *nlh, enum sock_dump d)
{
	if (d == SOCK_AFPACKET) {
		struct packet_diag_req *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
		r->sdiag_family = AF_PACKET;
		r->pdiag_show = PACKET_SHOW_INFO;
	} else {
		struct netlink_diag_req *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
		r->sdiag_family = AF_NETLINK;
		r->sdiag_protocol = NDIAG_PROTO_ALL;
		r->ndiag_show = NDIAG_SHOW_GROUPS;
	}
}

static int bad(void)
{
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

static int packet_attr(const struct nlattr *a, void *data)
{
	struct sock_info *s = data;
	struct packet_diag_info info;

	if (mnl_attr_get_type(a) != PACKET_DIAG_INFO)
		return 0;
	if (mnl_attr_validate2(a, MNL_TYPE_UNSPEC, sizeof(info)) < 0)
		return -1;
	memcpy(&info, mnl_attr_get_payload(a), sizeof(info));
	s->ifindex = info.pdi_index > INT32_MAX ? 0 : (int)info.pdi_index;
	return 0;
}

static int netlink_attr(const struct nlattr *a, void *data)
{
	struct sock_info *s = data;
	const unsigned char *p;
	size_t n, w, b;
	uint32_t word;

	if (mnl_attr_get_type(a) != NETLINK_DIAG_GROUPS)
		return 0;
	n = mnl_attr_get_payload_len(a);
	if (mnl_attr_validate(a, MNL_TYPE_BINARY) < 0 || n % sizeof(word))
		return -1;
	p = mnl_attr_get_payload(a);
	for (w = 0; w < n / sizeof(word); w++) {
		memcpy(&word, p + w * sizeof(word), sizeof(word));
		for (b = 0; b < 32 && word; b++)
			if (word & (1u << b)) {
				if (w < 2)
					s->groups |= 1ULL << (w * 32 + b);
				else
					s->more_groups = true;
			}
	}
	return 0;
}

int sock_more_msg(const struct nlmsghdr *nlh, enum sock_dump d, struct sock_info *s)
{
	if (d == SOCK_AFPACKET) {
		struct packet_diag_msg m;
		if (mnl_nlmsg_get_payload_len(nlh) < sizeof(m))
			return bad();
		memcpy(&m, mnl_nlmsg_get_payload(nlh), sizeof(m));
		if (m.pdiag_family != AF_PACKET)
			return bad();
		s->family = AF_PACKET;
		s->type = s->pkt_type = m.pdiag_type;
		s->pkt_proto = m.pdiag_num;   /* packet_diag sends it in host order */
		s->ino = m.pdiag_ino;
		s->state = TCP_CLOSE;
		return sock_each_attr(nlh, sizeof(m), packet_attr, s);
	} else if (d == SOCK_NETLINK) {
		struct netlink_diag_msg m;
		if (mnl_nlmsg_get_payload_len(nlh) < sizeof(m))
			return bad();
		memcpy(&m, mnl_nlmsg_get_payload(nlh), sizeof(m));
		if (m.ndiag_family != AF_NETLINK)
			return bad();
		s->family = AF_NETLINK;
		s->type = m.ndiag_type;
		s->nl_proto = m.ndiag_protocol;
		/* NETLINK_CONNECTED is 1 in the kernel's netlink_diag */
		s->state = m.ndiag_state == 1 ? TCP_ESTABLISHED : TCP_CLOSE;
		s->portid = m.ndiag_portid;
		s->dst_portid = m.ndiag_dst_portid;
		s->dst_group = m.ndiag_dst_group;
		s->ino = m.ndiag_ino;
		return sock_each_attr(nlh, sizeof(m), netlink_attr, s);
	}
	return bad();   /* no netlink answer is expected for the others */
}

const char *sock_netlink_proto_name(int proto)
{
	static const char *const names[] = {
		[NETLINK_ROUTE] = "route", [NETLINK_UNUSED] = "unused", [NETLINK_USERSOCK] = "usersock",
		[NETLINK_FIREWALL] = "firewall", [NETLINK_SOCK_DIAG] = "sock_diag",
		[NETLINK_NFLOG] = "nflog", [NETLINK_XFRM] = "xfrm", [NETLINK_SELINUX] = "selinux",
		[NETLINK_ISCSI] = "iscsi", [NETLINK_AUDIT] = "audit", [NETLINK_FIB_LOOKUP] = "fib_lookup",
		[NETLINK_CONNECTOR] = "connector", [NETLINK_NETFILTER] = "netfilter",
		[NETLINK_IP6_FW] = "ip6_fw", [NETLINK_DNRTMSG] = "dnrtmsg",
		[NETLINK_KOBJECT_UEVENT] = "kobject_uevent", [NETLINK_GENERIC] = "generic",
		[NETLINK_SCSITRANSPORT] = "scsitransport", [NETLINK_ECRYPTFS] = "ecryptfs",
		[NETLINK_RDMA] = "rdma", [NETLINK_CRYPTO] = "crypto", [NETLINK_SMC] = "smc",
	};

	return proto >= 0 && (size_t)proto < ARRAY_LEN(names) ? names[proto] : NULL;
}

const char *sock_ethertype_name(unsigned proto)
{
	switch (proto) {
	case 0x0003: return "all";
	case 0x0800: return "ip";
	case 0x86dd: return "ipv6";
	case 0x0806: return "arp";
	case 0x8100: return "8021q";
	case 0x888e: return "eapol";
	case 0x88cc: return "lldp";
	}
	return NULL;
}
