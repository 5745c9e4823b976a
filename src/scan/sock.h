/* sock.h - sockets of one or more network namespaces, from netlink sock_diag
 * (libmnl), looked up by inode.
 *
 * One SOCK_DIAG_BY_FAMILY dump per family and protocol (unix, tcp, tcp6,
 * udp, udp6, udplite, udplite6, raw, raw6, packet, netlink) and network
 * namespace, never one request per socket: the kernel
 * walks every socket for each request.  Entries are copied out of the
 * netlink buffers and indexed by inode, by address 4-tuple and by local
 * port.  The handle is opaque; every pointer it hands out stays valid until
 * sock_table_free() (later dumps do not move entries). */
#ifndef FDSHARE_SOCK_H
#define FDSHARE_SOCK_H

#include <stdbool.h>
#include <stddef.h>

struct sock_table;

/* What one dump asks for.  Also the protocol names fdshare shows. */
enum sock_dump {
	SOCK_UNIX, SOCK_TCP, SOCK_TCP6, SOCK_UDP, SOCK_UDP6,
	SOCK_UDPLITE, SOCK_UDPLITE6, SOCK_IPRAW, SOCK_IPRAW6,   /* inet_diag too */
	SOCK_AFPACKET, SOCK_NETLINK,                        /* sock_more.h */
	SOCK_PING, SOCK_PING6,          /* no sock_diag: /proc/net/icmp (sock_procnet.h) */
	SOCK_DUMP_COUNT
};

/* An inet address in IPv6 form (IPv4 as ::ffff:a.b.c.d) and a port. */
struct sock_addr {
	unsigned char addr[16];
	unsigned port;
};

#define SOCK_NAME_MAX 108   /* sizeof(sun_path) */

struct sock_info {
	unsigned long long netns;    /* inode of the network namespace it was dumped in */
	unsigned long long ino;      /* 0: no file yet or any more (not accepted, TIME_WAIT) */
	enum sock_dump dump;         /* which dump it came from */
	int family;                  /* AF_UNIX, AF_INET or AF_INET6 */
	int type;                    /* unix: SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET; else 0 */
	int state;                   /* TCP_* numbering, which unix sockets use too */
	unsigned rqueue, wqueue;     /* listening: pending connections and backlog */
	bool have_queues;
	unsigned uid;
	bool have_uid;
	/* unix */
	unsigned long long peer;     /* UNIX_DIAG_PEER: the peer's inode */
	bool have_peer;
	char name[SOCK_NAME_MAX];    /* bound name; abstract names start with a NUL */
	size_t name_len;             /* 0: unnamed */
	unsigned long long vfs_ino;  /* the socket file a path name is bound to */
	unsigned vfs_dev;            /* its device, in the kernel's encoding (major << 20 | minor) */
	bool have_vfs;
	/* inet (raw: local.port is the IP protocol, as the kernel keeps it) */
	struct sock_addr local, remote;
	/* packet (PACKET_DIAG_INFO) */
	int pkt_type;                /* SOCK_RAW or SOCK_DGRAM */
	unsigned pkt_proto;          /* ethertype, host order; 0: none bound yet */
	int ifindex;                 /* 0: every interface */
	char ifname[16];             /* its name in the socket's namespace, or "" */
	/* netlink */
	int nl_proto;                /* NETLINK_ROUTE ... */
	unsigned portid, dst_portid, dst_group;
	unsigned long long groups;   /* multicast groups 1-64 joined, bit g-1 */
	bool more_groups;            /* and some above 64 */
};

/* A new, empty table (never NULL: allocation failure exits). */
struct sock_table *sock_table_new(void);
/* Free the table and everything it handed out. */
void sock_table_free(struct sock_table *t);

/* Bit of dump d in a "kinds" mask; SOCK_ALL_KINDS asks for every dump. */
#define SOCK_KIND(d) (1u << (d))
#define SOCK_ALL_KINDS ((1u << SOCK_DUMP_COUNT) - 1)

/* Dump each kind in the mask in the calling thread's network namespace,
 * tagging entries with netns.  Returns 0 when every dump worked, else -1
 * with errno of the first that failed; each dump's own result is kept
 * (sock_table_error). */
int sock_table_dump(struct sock_table *t, unsigned long long netns, unsigned kinds);
/* The same inside the namespace open as nsfd (/proc/PID/ns/net), on a thread
 * of its own: setns() moves only that thread, the caller's stays as it was. */
int sock_table_dump_ns(struct sock_table *t, unsigned long long netns, int nsfd, unsigned kinds);
/* Record err as the result of the dumps in kinds of netns (the namespace
 * could not be entered or opened). */
void sock_table_fail(struct sock_table *t, unsigned long long netns, unsigned kinds, int err);
/* The result of one dump of netns: 0 done, an errno value, or ENODATA when
 * that namespace was never dumped. */
int sock_table_error(const struct sock_table *t, unsigned long long netns, enum sock_dump d);

/* Parse len bytes of netlink messages received for dump d of netns into t
 * (pure: no I/O, so recorded dumps can be replayed).  seq and portid are
 * checked when non-zero.  Every attribute is validated before it is read;
 * a malformed message ends the parse.  Returns 1 when more messages are to
 * come, 0 at the end of the dump, -1 with errno (the kernel's error, or
 * EBADMSG for a malformed message). */
int sock_parse_dump(struct sock_table *t, unsigned long long netns, enum sock_dump d,
		    const void *buf, size_t len, unsigned seq, unsigned portid);

/* Called with every buffer received, before it is parsed (to record
 * fixtures); NULL to stop. */
typedef void (*sock_tap_fn)(void *ctx, enum sock_dump d, const void *buf, size_t len);
void sock_table_set_tap(struct sock_table *t, sock_tap_fn tap, void *ctx);

/* Number of entries, and entry i (0 <= i < count), in dump order. */
size_t sock_table_count(const struct sock_table *t);
const struct sock_info *sock_table_at(const struct sock_table *t, size_t i);

/* The socket with inode ino in netns, or NULL. */
const struct sock_info *sock_find(const struct sock_table *t, unsigned long long netns,
				  unsigned long long ino);
/* The socket with inode ino in any namespace dumped (socket inodes are
 * unique across namespaces), or NULL. */
const struct sock_info *sock_find_any(const struct sock_table *t, unsigned long long ino);
/* The inet socket of protocol d's kind (tcp or udp, either family) in netns
 * with exactly this local and remote address (one with an inode first, over
 * a TIME_WAIT leftover), or NULL. */
const struct sock_info *sock_find_tuple(const struct sock_table *t, unsigned long long netns,
					enum sock_dump d, const struct sock_addr *local,
					const struct sock_addr *remote);
/* Iterate the inet sockets of d's kind in netns whose local port is port:
 * start with *iter = 0; NULL at the end. */
const struct sock_info *sock_next_on_port(const struct sock_table *t, unsigned long long netns,
					  enum sock_dump d, unsigned port, size_t *iter);
/* Iterate the unix sockets in netns whose peer is ino: *iter = 0 first. */
const struct sock_info *sock_next_with_peer(const struct sock_table *t, unsigned long long netns,
					    unsigned long long ino, size_t *iter);
/* The inodes of the clients waiting in a unix listener's backlog
 * (UNIX_DIAG_ICONS); *n gets the count. */
const unsigned *sock_icons(const struct sock_table *t, const struct sock_info *s, size_t *n);

/* "unix", "tcp", "tcp6", "udp", "udp6", "udplite", "udplite6", "raw",
 * "raw6", "packet", "netlink", "ping", "ping6". */
const char *sock_dump_name(enum sock_dump d);
/* Whether sockets of dump d have inet addresses (tcp, udp, udplite, raw;
 * ping sockets have them too but are not linked: see sock_has_addrs). */
bool sock_is_inet(enum sock_dump d);
/* The IP version 6 twin of an inet dump is next to it: whether d is it. */
bool sock_is_v6(enum sock_dump d);
/* Whether sockets of dump d have addresses to show (inet and ping). */
bool sock_has_addrs(enum sock_dump d);
/* Add one entry to t (for sock_procnet.c). */
void sock_table_add(struct sock_table *t, const struct sock_info *s);
/* "LISTEN", "ESTABLISHED", ... as ss names them ("UNCONN" for an unconnected
 * datagram or unix socket). */
const char *sock_state_name(const struct sock_info *s);
/* Whether the socket of an inet kind is tcp (else udp). */
bool sock_is_tcp(enum sock_dump d);
/* The address only ("127.0.0.1", "::1", "*" for the wildcard) into buf. */
void sock_addr_text(const struct sock_addr *a, char *buf, size_t cap);
/* Whether a is the wildcard address (0.0.0.0 or ::). */
bool sock_addr_is_any(const struct sock_addr *a);
/* Whether a is a loopback address (127.0.0.0/8, ::1, ::ffff:127.x). */
bool sock_addr_is_loopback(const struct sock_addr *a);

#endif
