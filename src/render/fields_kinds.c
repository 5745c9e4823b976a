/* fields_kinds.c - ENDPOINT text and JSON of namespaces, BPF objects,
 * io_uring, ptys, tun/tap and message queues (see fields_kinds.h).
 * Reads the model only. */
#include "render/fields_kinds.h"
#include "kinds/kind_detail.h"
#include "model/endpoint.h"
#include "render/fields.h"
#include "render/fields_endpoint.h"
#include "scan/sock_more.h"

#include <string.h>
#include <sys/socket.h>

static const struct chr_detail *chr_of(const struct fd_entry *f, enum chr_kind k)
{
	if (f->kind != KIND_CHR || !fd_details_of(f)->more || fd_details_of(f)->more->u.chr.kind != k)
		return NULL;
	return &fd_details_of(f)->more->u.chr;
}

static const struct chr_detail *pty_of(const struct fd_entry *f)
{
	const struct chr_detail *c = chr_of(f, CHR_PTY_MASTER);

	return c ? c : chr_of(f, CHR_PTY_SLAVE);
}


/* "; no slave open" ends with a caution when some process was not read. */
static void none_text(const struct model *m, const char *what, struct strbuf *o)
{
	sb_printf(o, "; %s", what);
	if (m->unreadable)
		sb_adds(o, " (some processes not readable)");
}

static void pty_text(const struct model *m, const struct fd_entry *f, const struct chr_detail *c,
		     struct strbuf *o)
{
	const struct fd_detail *d = f->detail;
	bool master = c->kind == CHR_PTY_MASTER;

	chr_text(c, o);
	if (c->ambiguous) {
		sb_adds(o, "; slave unknown (that number is open on several devpts instances)");
	} else if (d && d->nends) {
		sb_adds(o, master ? "; slave: " : "; master: ");
		endpoint_ends_text(d, f, o);
	} else if (d && d->have_ends) {
		none_text(m, master ? "no slave open" : "master held by no process read", o);
	}
}

static void mqueue_text(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	const struct fd_detail *d = f->detail;

	sb_adds(o, "queue");
	if (d && d->nends) {
		sb_adds(o, "; also open in ");
		endpoint_ends_text(d, f, o);
	} else if (d && d->have_ends) {
		none_text(m, "open nowhere else", o);
	}
}

bool kinds_endpoint_text(const struct model *m, const struct fd_entry *f, struct strbuf *out)
{
	const struct chr_detail *c;

	if (f->kind == KIND_MQUEUE) {
		mqueue_text(m, f, out);
		return true;
	}
	if (!fd_details_of(f)->more)
		return false;
	switch (f->kind) {
	case KIND_NSFS: nsfs_text(&fd_details_of(f)->more->u.nsfs, out); return true;
	case KIND_BPF_MAP: case KIND_BPF_PROG: case KIND_BPF_LINK: bpf_text(&fd_details_of(f)->more->u.bpf, out); return true;
	case KIND_IO_URING: io_uring_text(&fd_details_of(f)->more->u.uring, out); return true;
	case KIND_CHR:
		if ((c = pty_of(f)))
			pty_text(m, f, c, out);
		else if ((c = chr_of(f, CHR_TUN)))
			chr_text(c, out);
		else
			return false;
		return true;
	default:
		return false;
	}
}

bool kinds_is_nsfs(const struct fd_entry *f) { return f->kind == KIND_NSFS && fd_details_of(f)->more; }
bool kinds_is_bpf(const struct fd_entry *f)
{
	return (f->kind == KIND_BPF_MAP || f->kind == KIND_BPF_PROG || f->kind == KIND_BPF_LINK) && fd_details_of(f)->more;
}
bool kinds_is_io_uring(const struct fd_entry *f) { return f->kind == KIND_IO_URING && fd_details_of(f)->more; }
bool kinds_is_pty(const struct fd_entry *f) { return pty_of(f) != NULL; }
bool kinds_is_tun(const struct fd_entry *f) { return chr_of(f, CHR_TUN) != NULL; }

void kinds_json_namespace(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	nsfs_json(&fd_details_of(f)->more->u.nsfs, j);
}

void kinds_json_bpf(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	bpf_json(&fd_details_of(f)->more->u.bpf, j);
}

void kinds_json_io_uring(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	io_uring_json(&fd_details_of(f)->more->u.uring, j);
}

void kinds_json_pty(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	chr_json(pty_of(f), j);
}

void kinds_json_tun(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	chr_json(chr_of(f, CHR_TUN), j);
}

const char *kinds_chr_name(const struct fd_entry *f)
{
	return f->kind == KIND_CHR && fd_details_of(f)->more ? chr_kind_name(fd_details_of(f)->more->u.chr.kind) : NULL;
}

/* ---- sockets in no dump ---- */

void kinds_absent_text(int absent, struct strbuf *out)
{
	if (absent == SOCK_ABSENT_NETNS)
		sb_adds(out, "in a network namespace no process is in");
	else
		sb_adds(out, "unbound, or in a network namespace no process is in");
}

void kinds_json_unlisted(const struct model *m, const struct fd_entry *f, struct json *j)
{
	int a = f->detail ? (int)f->detail->absent : SOCK_ABSENT_NONE;

	(void)m;
	json_string(j, a == SOCK_ABSENT_NETNS ? "other-netns"
		    : a == SOCK_ABSENT_UNBOUND_OR_NETNS ? "unbound-or-other-netns" : NULL);
}

/* ---- raw, ping, packet and netlink sockets ---- */

static const char *ip_proto_name(unsigned p)
{
	switch (p) {
	case 1: return "icmp";
	case 2: return "igmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 47: return "gre";
	case 50: return "esp";
	case 51: return "ah";
	case 58: return "ipv6-icmp";
	case 89: return "ospf";
	case 103: return "pim";
	case 112: return "vrrp";
	case 132: return "sctp";
	case 255: return "raw";
	}
	return NULL;
}

static void addr_text(const struct sock_addr *a, struct strbuf *o)
{
	char buf[64];

	sock_addr_text(a, buf, sizeof(buf));
	sb_adds(o, buf);
}

static bool connected(const struct sock_info *s)
{
	return !sock_addr_is_any(&s->remote);
}

static void raw_text(const struct sock_info *s, struct strbuf *o)
{
	const char *name = ip_proto_name(s->local.port);

	if (name)
		sb_printf(o, "%s, local ", name);
	else
		sb_printf(o, "protocol %u, local ", s->local.port);
	addr_text(&s->local, o);
	if (connected(s)) {
		sb_adds(o, " -> ");
		addr_text(&s->remote, o);
	}
}

static void ping_text(const struct sock_info *s, struct strbuf *o)
{
	sb_adds(o, "local ");
	addr_text(&s->local, o);
	if (connected(s)) {
		sb_adds(o, " -> ");
		addr_text(&s->remote, o);
	}
	if (s->local.port)
		sb_printf(o, ", id %u", s->local.port);
}

static void packet_text(const struct sock_info *s, struct strbuf *o)
{
	const char *proto = sock_ethertype_name(s->pkt_proto);

	sb_adds(o, s->pkt_type == SOCK_RAW ? "raw" : s->pkt_type == SOCK_DGRAM ? "dgram" : "?");
	if (!s->pkt_proto)
		sb_adds(o, ", no protocol yet");
	else if (proto)
		sb_printf(o, " %s", proto);
	else
		sb_printf(o, " ethertype 0x%04x", s->pkt_proto);
	if (!s->ifindex && s->pkt_proto)
		sb_adds(o, " on every interface");
	else if (!s->ifindex)
		;
	else if (s->ifname[0])
		sb_printf(o, " on %s", s->ifname);
	else
		sb_printf(o, " on interface %d", s->ifindex);
}

static void groups_text(const struct sock_info *s, struct strbuf *o)
{
	int g, n = 0;

	for (g = 1; g <= 64; g++)
		if (s->groups & (1ULL << (g - 1)))
			sb_printf(o, "%s%d", n++ ? "," : ", groups ", g);
	if (s->more_groups)
		sb_adds(o, n ? ",..." : ", groups above 64");
}

static void netlink_text(const struct sock_info *s, struct strbuf *o)
{
	const char *name = sock_netlink_proto_name(s->nl_proto);

	if (name)
		sb_adds(o, name);
	else
		sb_printf(o, "protocol %d", s->nl_proto);
	sb_printf(o, " portid %u", s->portid);
	groups_text(s, o);
	if (s->dst_group)
		sb_printf(o, ", sends to group %u", s->dst_group);
	else if (s->dst_portid)
		sb_printf(o, ", connected to portid %u", s->dst_portid);
}

void kinds_socket_text(const struct sock_info *s, struct strbuf *out)
{
	switch (s->dump) {
	case SOCK_IPRAW: case SOCK_IPRAW6: raw_text(s, out); break;
	case SOCK_PING: case SOCK_PING6: ping_text(s, out); break;
	case SOCK_AFPACKET: packet_text(s, out); break;
	case SOCK_NETLINK: netlink_text(s, out); break;
	default: sb_adds(out, "-"); break;
	}
}

static const struct sock_info *sock_of(const struct fd_entry *f, enum sock_dump a, enum sock_dump b)
{
	const struct fd_detail *d = f->detail;

	if (f->kind != KIND_SOCKET || !d || !d->have_sock || (d->sock->dump != a && d->sock->dump != b))
		return NULL;
	return d->sock;
}

bool kinds_is_raw(const struct fd_entry *f) { return sock_of(f, SOCK_IPRAW, SOCK_IPRAW6) != NULL; }
bool kinds_is_packet(const struct fd_entry *f) { return sock_of(f, SOCK_AFPACKET, SOCK_AFPACKET) != NULL; }
bool kinds_is_netlink(const struct fd_entry *f) { return sock_of(f, SOCK_NETLINK, SOCK_NETLINK) != NULL; }

void kinds_json_ip_protocol(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	json_uint(j, sock_of(f, SOCK_IPRAW, SOCK_IPRAW6)->local.port);
}

void kinds_json_packet(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const struct sock_info *s = sock_of(f, SOCK_AFPACKET, SOCK_AFPACKET);

	(void)m;
	json_object_begin(j);
	json_kv_string(j, "type", s->pkt_type == SOCK_RAW ? "raw" : s->pkt_type == SOCK_DGRAM ? "dgram" : NULL);
	json_kv_uint(j, "ethertype", s->pkt_proto);
	json_kv_string(j, "ethertype_name", sock_ethertype_name(s->pkt_proto));
	json_kv_int(j, "ifindex", s->ifindex);
	json_kv_string(j, "interface", s->ifname[0] ? s->ifname : NULL);
	json_object_end(j);
}

void kinds_json_netlink(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const struct sock_info *s = sock_of(f, SOCK_NETLINK, SOCK_NETLINK);
	int g;

	(void)m;
	json_object_begin(j);
	json_kv_string(j, "protocol", sock_netlink_proto_name(s->nl_proto));
	json_kv_int(j, "protocol_number", s->nl_proto);
	json_kv_uint(j, "portid", s->portid);
	json_kv_uint(j, "dst_portid", s->dst_portid);
	json_kv_uint(j, "dst_group", s->dst_group);
	json_key(j, "groups");
	json_array_begin(j);
	for (g = 1; g <= 64; g++)
		if (s->groups & (1ULL << (g - 1)))
			json_int(j, g);
	json_array_end(j);
	json_kv_bool(j, "groups_above_64", s->more_groups);
	json_object_end(j);
}
