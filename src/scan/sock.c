/* sock.c - sock_diag dumps through libmnl into a table indexed by inode,
 * address 4-tuple, local port and unix peer (see sock.h).
 *
 * Messages read here (linux/sock_diag.h, unix_diag.h, inet_diag.h):
 *
 *   request   nlmsghdr{SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST|NLM_F_DUMP}
 *             + unix_diag_req{AF_UNIX, states ~0, show NAME|VFS|PEER|ICONS|RQLEN|UID}
 *             or inet_diag_req_v2{AF_INET|AF_INET6, IPPROTO_TCP|UDP|UDPLITE|RAW, states ~0}
 *             or packet_diag_req, netlink_diag_req (sock_more.h)
 *   answer    nlmsghdr{SOCK_DIAG_BY_FAMILY} + unix_diag_msg + attributes
 *             UNIX_DIAG_NAME (bytes, abstract names begin with NUL),
 *             UNIX_DIAG_VFS (unix_diag_vfs), UNIX_DIAG_PEER (u32 inode),
 *             UNIX_DIAG_ICONS (u32 inodes), UNIX_DIAG_RQLEN (unix_diag_rqlen),
 *             UNIX_DIAG_UID (u32);
 *             or + inet_diag_msg (ports and addresses in network order)
 *             + attributes we do not read;
 *             ends with NLMSG_DONE, or NLMSG_ERROR carrying -errno.
 *
 * Attributes are validated (mnl_attr_validate) before they are read, and a
 * message whose attributes do not fill it exactly is malformed: the data is
 * copied out of the receive buffer inside the callbacks, never kept. */
#define _GNU_SOURCE   /* setns */
#include "scan/sock.h"
#include "base/nlmsg.h"
#include "base/util.h"
#include "scan/sock_more.h"
#include "scan/sock_procnet.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <net/if.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RECV_BUF (32 * 1024)   /* libmnl 1.0.4 has no MNL_SOCKET_DUMP_SIZE; < 4 KiB fails */
#define CHUNK 512              /* entries per block: blocks never move */

struct entry {
	struct sock_info info;    /* first: a sock_info pointer is an entry pointer */
	size_t icons_off, nicons;
};

/* Open addressing over distinct keys (64-bit hashes): a slot holds the last
 * entry number (entry + 1, 0 = empty) of the chain of entries with that key,
 * in the order they came; next[] links each entry to the following one, the
 * last back to the first.  Keys repeat (thousands of accepted sockets on one
 * port): one chain per key keeps adding and looking up linear, where a run
 * of slots per key made both grow with the square of the sockets. */
struct index {
	unsigned *slots;
	size_t cap, used;         /* used: distinct keys */
	unsigned *next;           /* by entry number - 1 */
	size_t next_cap;
	unsigned long long (*hash)(const struct sock_info *s);
	bool (*wanted)(const struct sock_info *s);
};

struct ns_result {
	unsigned long long netns;
	int err[SOCK_DUMP_COUNT];
};

struct sock_table {
	struct entry **blocks;
	size_t count, nblocks;
	unsigned *icons;
	size_t nicons, iconcap;
	struct index by_ino, by_tuple, by_port, by_peer;
	struct ns_result *ns;
	size_t nns, nscap;
	sock_tap_fn tap;
	void *tap_ctx;
};

/* ---- hashing ---- */

static unsigned long long mix(unsigned long long h, unsigned long long v)
{
	/* splitmix64 finaliser over the running value */
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

static unsigned long long mix_addr(unsigned long long h, const struct sock_addr *a)
{
	return mix(h, hash_bytes(a->addr, sizeof(a->addr)) ^ a->port);
}

/* tcp and tcp6 share one space (a v4 client meets a dual-stack v6 server),
 * so do udp and udp6, udplite and udplite6 */
static unsigned long long kind_of(enum sock_dump d)
{
	return sock_is_inet(d) && sock_is_v6(d) ? (unsigned long long)d - 1 : (unsigned long long)d;
}

static unsigned long long hash_ino(const struct sock_info *s) { return mix(mix(0, s->netns), s->ino); }
static unsigned long long hash_peer(const struct sock_info *s) { return mix(mix(1, s->netns), s->peer); }

static unsigned long long hash_tuple(const struct sock_info *s)
{
	return mix_addr(mix_addr(mix(mix(2, s->netns), kind_of(s->dump)), &s->local), &s->remote);
}

static unsigned long long hash_port(const struct sock_info *s)
{
	return mix(mix(mix(3, s->netns), kind_of(s->dump)), s->local.port);
}

static bool has_ino(const struct sock_info *s) { return s->ino != 0; }
static bool is_inet(const struct sock_info *s) { return sock_is_inet(s->dump); }
static bool has_peer(const struct sock_info *s) { return s->have_peer && s->peer != 0; }

/* ---- the table ---- */

static struct sock_info *info_at(const struct sock_table *t, size_t i)
{
	return &t->blocks[i / CHUNK][i % CHUNK].info;
}

/* The slot of key h: its chain's, or the empty one where it would go. */
static size_t index_slot(const struct index *x, const struct sock_table *t, unsigned long long h)
{
	size_t pos = (size_t)h & (x->cap - 1);

	while (x->slots[pos] && x->hash(info_at(t, x->slots[pos] - 1)) != h)
		pos = (pos + 1) & (x->cap - 1);
	return pos;
}

static void index_grow(struct index *x, const struct sock_table *t)
{
	unsigned *old = x->slots;
	size_t oldcap = x->cap, i;

	x->cap = oldcap ? oldcap * 2 : 64;
	x->slots = xcalloc(x->cap, sizeof(*x->slots));
	for (i = 0; i < oldcap; i++)
		if (old[i])
			x->slots[index_slot(x, t, x->hash(info_at(t, old[i] - 1)))] = old[i];
	free(old);
}

/* Add entry number n - 1 (slot value n) at the end of its key's chain. */
static void index_put(struct index *x, const struct sock_table *t, unsigned n)
{
	size_t pos;

	if ((x->used + 1) * 2 > x->cap)
		index_grow(x, t);
	grow_array((void **)&x->next, &x->next_cap, n, sizeof(*x->next));
	pos = index_slot(x, t, x->hash(info_at(t, n - 1)));
	if (!x->slots[pos]) {
		x->next[n - 1] = n;
		x->used++;
	} else {
		unsigned last = x->slots[pos];
		x->next[n - 1] = x->next[last - 1];
		x->next[last - 1] = n;
	}
	x->slots[pos] = n;
}

static void index_add(struct index *x, const struct sock_table *t, size_t i)
{
	if (x->wanted(info_at(t, i)))
		index_put(x, t, (unsigned)i + 1);
}

/* Walk the chain of key hash h, from *iter (0 = start; then the chain's last
 * entry number and the one returned, or SIZE_MAX at its end); returns the
 * next entry there (the caller checks it really matches) or NULL. */
static const struct sock_info *index_walk(const struct index *x, const struct sock_table *t,
					  unsigned long long h, size_t *iter)
{
	size_t last, n;

	if (!x->cap || *iter == SIZE_MAX)
		return NULL;
	if (*iter == 0) {
		last = x->slots[index_slot(x, t, h)];
		if (!last)
			return NULL;
		n = x->next[last - 1];
	} else {
		last = *iter >> 32;
		n = x->next[(*iter & 0xffffffffu) - 1];
	}
	*iter = n == last ? SIZE_MAX : (last << 32) | n;
	return info_at(t, n - 1);
}

struct sock_table *sock_table_new(void)
{
	struct sock_table *t = xcalloc(1, sizeof(*t));

	t->by_ino = (struct index){ .hash = hash_ino, .wanted = has_ino };
	t->by_tuple = (struct index){ .hash = hash_tuple, .wanted = is_inet };
	t->by_port = (struct index){ .hash = hash_port, .wanted = is_inet };
	t->by_peer = (struct index){ .hash = hash_peer, .wanted = has_peer };
	return t;
}

void sock_table_free(struct sock_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nblocks; i++)
		free(t->blocks[i]);
	free(t->blocks);
	free(t->icons);
	free(t->by_ino.slots);
	free(t->by_tuple.slots);
	free(t->by_port.slots);
	free(t->by_peer.slots);
	free(t->by_ino.next);
	free(t->by_tuple.next);
	free(t->by_port.next);
	free(t->by_peer.next);
	free(t->ns);
	free(t);
}

void sock_table_set_tap(struct sock_table *t, sock_tap_fn tap, void *ctx)
{
	t->tap = tap;
	t->tap_ctx = ctx;
}

/* Keep a parsed entry: copy it into the table and index it. */
static void table_add(struct sock_table *t, const struct entry *e)
{
	size_t i = t->count;

	/* netlink_diag lists a bound socket that joined a multicast group
	 * twice (its hash table, then the group list): keep one */
	if (e->info.ino && e->info.dump == SOCK_NETLINK && sock_find(t, e->info.netns, e->info.ino))
		return;

	if (i / CHUNK == t->nblocks) {
		t->blocks = xreallocarray(t->blocks, t->nblocks + 1, sizeof(*t->blocks));
		t->blocks[t->nblocks++] = xmalloc(CHUNK * sizeof(struct entry));
	}
	t->blocks[i / CHUNK][i % CHUNK] = *e;
	t->count++;
	index_add(&t->by_ino, t, i);
	index_add(&t->by_tuple, t, i);
	index_add(&t->by_port, t, i);
	index_add(&t->by_peer, t, i);
}

void sock_table_add(struct sock_table *t, const struct sock_info *s)
{
	struct entry e = { .info = *s };

	table_add(t, &e);
}

static struct ns_result *ns_result(struct sock_table *t, unsigned long long netns)
{
	size_t i;
	int d;

	for (i = 0; i < t->nns; i++)
		if (t->ns[i].netns == netns)
			return &t->ns[i];
	grow_array((void **)&t->ns, &t->nscap, t->nns + 1, sizeof(*t->ns));
	t->ns[t->nns].netns = netns;
	for (d = 0; d < SOCK_DUMP_COUNT; d++)
		t->ns[t->nns].err[d] = ENODATA;
	return &t->ns[t->nns++];
}

void sock_table_fail(struct sock_table *t, unsigned long long netns, unsigned kinds, int err)
{
	struct ns_result *r = ns_result(t, netns);
	int d;

	for (d = 0; d < SOCK_DUMP_COUNT; d++)
		if (kinds & SOCK_KIND(d))
			r->err[d] = err;
}

int sock_table_error(const struct sock_table *t, unsigned long long netns, enum sock_dump d)
{
	size_t i;

	for (i = 0; i < t->nns; i++)
		if (t->ns[i].netns == netns)
			return t->ns[i].err[d];
	return ENODATA;
}

size_t sock_table_count(const struct sock_table *t)
{
	return t->count;
}

const struct sock_info *sock_table_at(const struct sock_table *t, size_t i)
{
	return i < t->count ? info_at(t, i) : NULL;
}

/* ---- parsing ---- */

struct parse_ctx {
	struct sock_table *t;
	unsigned long long netns;
	enum sock_dump dump;
	struct entry e;
	const unsigned char *icons;   /* borrowed until the message is done */
	size_t nicons;
};

static int bad_message(void)
{
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

int sock_each_attr(const struct nlmsghdr *nlh, size_t hdrlen,
		   int (*cb)(const struct nlattr *a, void *data), void *data)
{
	const struct nlattr *a;
	const char *tail = mnl_nlmsg_get_payload_tail(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < hdrlen)
		return bad_message();
	mnl_attr_for_each(a, nlh, hdrlen) {
		if (cb(a, data) < 0)
			return bad_message();
	}
	if ((const char *)a != tail)
		return bad_message();
	return MNL_CB_OK;
}

static int unix_attr(const struct nlattr *a, void *data)
{
	struct parse_ctx *c = data;
	struct sock_info *s = &c->e.info;
	uint16_t len = mnl_attr_get_payload_len(a);

	/* newer kernels add attributes: skip those we do not know */
	if (mnl_attr_type_valid(a, UNIX_DIAG_MAX) < 0)
		return 0;
	switch (mnl_attr_get_type(a)) {
	case UNIX_DIAG_NAME:
		if (mnl_attr_validate(a, MNL_TYPE_BINARY) < 0 || len > SOCK_NAME_MAX)
			return bad_message();
		memcpy(s->name, mnl_attr_get_payload(a), len);
		s->name_len = len;
		break;
	case UNIX_DIAG_VFS: {
		struct unix_diag_vfs v;
		if (mnl_attr_validate2(a, MNL_TYPE_UNSPEC, sizeof(v)) < 0)
			return bad_message();
		memcpy(&v, mnl_attr_get_payload(a), sizeof(v));
		s->vfs_ino = v.udiag_vfs_ino;
		s->vfs_dev = v.udiag_vfs_dev;
		s->have_vfs = true;
		break;
	}
	case UNIX_DIAG_PEER:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return bad_message();
		s->peer = mnl_attr_get_u32(a);
		s->have_peer = true;
		break;
	case UNIX_DIAG_ICONS:
		if (mnl_attr_validate(a, MNL_TYPE_BINARY) < 0 || len % sizeof(uint32_t))
			return bad_message();
		c->icons = mnl_attr_get_payload(a);
		c->nicons = len / sizeof(uint32_t);
		break;
	case UNIX_DIAG_RQLEN: {
		struct unix_diag_rqlen q;
		if (mnl_attr_validate2(a, MNL_TYPE_UNSPEC, sizeof(q)) < 0)
			return bad_message();
		memcpy(&q, mnl_attr_get_payload(a), sizeof(q));
		s->rqueue = q.udiag_rqueue;
		s->wqueue = q.udiag_wqueue;
		s->have_queues = true;
		break;
	}
	case UNIX_DIAG_UID:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return bad_message();
		s->uid = mnl_attr_get_u32(a);
		s->have_uid = true;
		break;
	}
	return 0;
}

/* Copy the borrowed ICONS array into the table's pool. */
static void keep_icons(struct parse_ctx *c)
{
	struct sock_table *t = c->t;
	size_t i;
	uint32_t v;

	c->e.icons_off = t->nicons;
	c->e.nicons = c->nicons;
	grow_array((void **)&t->icons, &t->iconcap, t->nicons + c->nicons + 1, sizeof(*t->icons));
	for (i = 0; i < c->nicons; i++) {
		memcpy(&v, c->icons + i * sizeof(v), sizeof(v));
		t->icons[t->nicons++] = v;
	}
}

static int unix_msg(const struct nlmsghdr *nlh, struct parse_ctx *c)
{
	struct unix_diag_msg m;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(m))
		return bad_message();
	memcpy(&m, mnl_nlmsg_get_payload(nlh), sizeof(m));
	if (m.udiag_family != AF_UNIX)
		return bad_message();
	c->e.info.family = AF_UNIX;
	c->e.info.type = m.udiag_type;
	c->e.info.state = m.udiag_state;
	c->e.info.ino = m.udiag_ino;
	c->icons = NULL;
	c->nicons = 0;
	if (sock_each_attr(nlh, sizeof(m), unix_attr, c) < 0)
		return MNL_CB_ERROR;
	keep_icons(c);
	return MNL_CB_OK;
}

/* An address from inet_diag's four be32 words. */
static void diag_addr(struct sock_addr *out, int family, const uint32_t w[4], uint16_t port_be)
{
	memset(out, 0, sizeof(*out));
	if (family == AF_INET) {
		out->addr[10] = out->addr[11] = 0xff;
		memcpy(out->addr + 12, &w[0], 4);
	} else {
		memcpy(out->addr, w, 16);
	}
	out->port = ntohs(port_be);
}

static int no_attr(const struct nlattr *a, void *data)
{
	(void)a;
	(void)data;
	return 0;   /* framing is checked by sock_each_attr; none is read */
}

static int inet_msg(const struct nlmsghdr *nlh, struct parse_ctx *c)
{
	struct inet_diag_msg m;
	int want = sock_is_v6(c->dump) ? AF_INET6 : AF_INET;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(m))
		return bad_message();
	memcpy(&m, mnl_nlmsg_get_payload(nlh), sizeof(m));
	if (m.idiag_family != want)
		return bad_message();
	c->e.info.family = want;
	c->e.info.state = m.idiag_state;
	c->e.info.ino = m.idiag_inode;
	c->e.info.rqueue = m.idiag_rqueue;
	c->e.info.wqueue = m.idiag_wqueue;
	c->e.info.have_queues = true;
	c->e.info.uid = m.idiag_uid;
	c->e.info.have_uid = true;
	diag_addr(&c->e.info.local, want, m.id.idiag_src, m.id.idiag_sport);
	diag_addr(&c->e.info.remote, want, m.id.idiag_dst, m.id.idiag_dport);
	return sock_each_attr(nlh, sizeof(m), no_attr, c);
}

static int msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct parse_ctx *c = data;
	int r;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return MNL_CB_OK;
	/* the kernel pads every message; an odd length would let the
	 * attribute walk run past the buffer */
	if (nlh->nlmsg_len % MNL_ALIGNTO)
		return bad_message();
	memset(&c->e, 0, sizeof(c->e));
	c->e.info.netns = c->netns;
	c->e.info.dump = c->dump;
	if (c->dump == SOCK_UNIX)
		r = unix_msg(nlh, c);
	else if (sock_is_inet(c->dump))
		r = inet_msg(nlh, c);
	else
		r = sock_more_msg(nlh, c->dump, &c->e.info);
	if (r < 0)
		return MNL_CB_ERROR;
	table_add(c->t, &c->e);
	return MNL_CB_OK;
}

/* A dump that fails at its start (no handler for that protocol: a kernel
 * built without raw_diag) ends with NLMSG_DONE carrying -errno, which
 * libmnl takes for a plain end: the errno, or 0. */
static int done_error(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh;
	struct nlmsg_walk w;
	int v;

	nlmsg_walk_init(&w, buf, len);
	while ((nlh = nlmsg_walk_next(&w)))
		if (nlh->nlmsg_type == NLMSG_DONE && mnl_nlmsg_get_payload_len(nlh) >= sizeof(v)) {
			memcpy(&v, mnl_nlmsg_get_payload(nlh), sizeof(v));
			return v < 0 && v > -4096 ? -v : 0;
		}
	return 0;
}

int sock_parse_dump(struct sock_table *t, unsigned long long netns, enum sock_dump d,
		    const void *buf, size_t len, unsigned seq, unsigned portid)
{
	struct parse_ctx c = { .t = t, .netns = netns, .dump = d };
	bool malformed;
	size_t whole;
	int r;

	if ((unsigned)d >= SOCK_DUMP_COUNT) {
		errno = EINVAL;
		return -1;
	}
	/* libmnl trusts (int)nlmsg_len: give it only whole messages */
	whole = nlmsg_valid_prefix(buf, len, &malformed);
	if ((r = done_error(buf, whole))) {
		errno = r;
		return -1;
	}
	r = mnl_cb_run(buf, whole, seq, portid, msg_cb, &c);
	if (r < 0)
		return -1;
	if (r == MNL_CB_STOP)
		return 0;
	if (malformed) {
		errno = EBADMSG;
		return -1;
	}
	return 1;
}

/* ---- dumping ---- */

static void put_request(struct nlmsghdr *nlh, enum sock_dump d)
{
	if (d == SOCK_UNIX) {
		struct unix_diag_req *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
		r->sdiag_family = AF_UNIX;
		r->udiag_states = ~0U;
		r->udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER |
			UDIAG_SHOW_ICONS | UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID;
	} else if (sock_is_inet(d)) {
		static const unsigned char protos[SOCK_DUMP_COUNT] = {
			[SOCK_TCP] = IPPROTO_TCP, [SOCK_TCP6] = IPPROTO_TCP,
			[SOCK_UDP] = IPPROTO_UDP, [SOCK_UDP6] = IPPROTO_UDP,
			[SOCK_UDPLITE] = IPPROTO_UDPLITE, [SOCK_UDPLITE6] = IPPROTO_UDPLITE,
			/* IPPROTO_RAW asks raw_diag for raw sockets of every protocol */
			[SOCK_IPRAW] = IPPROTO_RAW, [SOCK_IPRAW6] = IPPROTO_RAW,
		};
		struct inet_diag_req_v2 *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
		r->sdiag_family = sock_is_v6(d) ? AF_INET6 : AF_INET;
		r->sdiag_protocol = protos[d];
		r->idiag_states = ~0U;
	} else {
		sock_more_request(nlh, d);
	}
}

/* One dump on an open socket, received into buf (RECV_BUF bytes, aligned
 * for nlmsghdr); 0 or -1 with errno. */
static int dump_one(struct sock_table *t, struct mnl_socket *nl, unsigned long long netns,
		    enum sock_dump d, unsigned seq, void *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	unsigned portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int r;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	put_request(nlh, d);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, RECV_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (t->tap)
			t->tap(t->tap_ctx, d, buf, (size_t)n);
		r = sock_parse_dump(t, netns, d, buf, (size_t)n, seq, portid);
		if (r <= 0)
			return r;
	}
}

/* Packet sockets name interfaces by index: the names, from this thread's
 * network namespace (the socket's), while we are in it. */
static void name_interfaces(struct sock_table *t, unsigned long long netns)
{
	size_t i;

	for (i = 0; i < t->count; i++) {
		struct sock_info *s = info_at(t, i);
		if (s->netns == netns && s->dump == SOCK_AFPACKET && s->ifindex > 0 && !s->ifname[0] &&
		    !if_indextoname((unsigned)s->ifindex, s->ifname))
			s->ifname[0] = '\0';
	}
}

int sock_table_dump(struct sock_table *t, unsigned long long netns, unsigned kinds)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	struct ns_result *res;
	unsigned seq = (unsigned)time(NULL);
	void *buf;
	int d, first = 0;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = errno;
		if (nl)
			mnl_socket_close(nl);
		sock_table_fail(t, netns, kinds, err);
		errno = err;
		return -1;
	}
	buf = xmalloc(RECV_BUF);
	for (d = 0; d < SOCK_DUMP_COUNT; d++) {
		int r;
		if (!(kinds & SOCK_KIND(d)))
			continue;
		if (d == SOCK_PING || d == SOCK_PING6)
			r = sock_procnet_read(t, netns, (enum sock_dump)d);
		else
			r = dump_one(t, nl, netns, (enum sock_dump)d, ++seq, buf);
		/* a kernel without raw_diag: its /proc/net/raw lists them too */
		if (r < 0 && errno == ENOENT && (d == SOCK_IPRAW || d == SOCK_IPRAW6))
			r = sock_procnet_read(t, netns, (enum sock_dump)d);
		if (r == 0 && d == SOCK_AFPACKET)
			name_interfaces(t, netns);
		/* looked up again: the table's namespace list may have moved */
		res = ns_result(t, netns);
		res->err[d] = r < 0 ? errno : 0;
		if (r < 0 && !first)
			first = res->err[d];
	}
	free(buf);
	mnl_socket_close(nl);
	errno = first;
	return first ? -1 : 0;
}

struct ns_job {
	struct sock_table *t;
	unsigned long long netns;
	int nsfd;
	unsigned kinds;
};

static void *ns_thread(void *arg)
{
	struct ns_job *j = arg;

	/* CLONE_NEWNET moves this thread only; it ends right after */
	if (setns(j->nsfd, CLONE_NEWNET) < 0)
		sock_table_fail(j->t, j->netns, j->kinds, errno);
	else
		sock_table_dump(j->t, j->netns, j->kinds);
	return NULL;
}

int sock_table_dump_ns(struct sock_table *t, unsigned long long netns, int nsfd, unsigned kinds)
{
	struct ns_job j = { t, netns, nsfd, kinds };
	pthread_t th;
	int err, d;

	err = pthread_create(&th, NULL, ns_thread, &j);
	if (err) {
		sock_table_fail(t, netns, kinds, err);
		errno = err;
		return -1;
	}
	pthread_join(th, NULL);
	for (d = 0; d < SOCK_DUMP_COUNT; d++) {
		if (!(kinds & SOCK_KIND(d)))
			continue;
		err = sock_table_error(t, netns, (enum sock_dump)d);
		if (err) {
			errno = err;
			return -1;
		}
	}
	return 0;
}

/* ---- lookups ---- */

const struct sock_info *sock_find(const struct sock_table *t, unsigned long long netns,
				  unsigned long long ino)
{
	struct sock_info key = { .netns = netns, .ino = ino };
	const struct sock_info *s;
	size_t it = 0;

	while ((s = index_walk(&t->by_ino, t, hash_ino(&key), &it)))
		if (s->netns == netns && s->ino == ino)
			return s;
	return NULL;
}

const struct sock_info *sock_find_any(const struct sock_table *t, unsigned long long ino)
{
	const struct sock_info *s;
	size_t i;

	for (i = 0; i < t->nns; i++)
		if ((s = sock_find(t, t->ns[i].netns, ino)))
			return s;
	return NULL;
}

static bool same_addr(const struct sock_addr *a, const struct sock_addr *b)
{
	return a->port == b->port && memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

const struct sock_info *sock_find_tuple(const struct sock_table *t, unsigned long long netns,
					enum sock_dump d, const struct sock_addr *local,
					const struct sock_addr *remote)
{
	struct sock_info key = { .netns = netns, .dump = d, .local = *local, .remote = *remote };
	const struct sock_info *s;
	size_t it = 0;
	const struct sock_info *first = NULL;

	/* a TIME_WAIT leftover (inode 0) may share the tuple of a live
	 * socket: prefer the one with a file */
	while ((s = index_walk(&t->by_tuple, t, hash_tuple(&key), &it)))
		if (s->netns == netns && kind_of(s->dump) == kind_of(d) &&
		    same_addr(&s->local, local) && same_addr(&s->remote, remote)) {
			if (s->ino)
				return s;
			if (!first)
				first = s;
		}
	return first;
}

const struct sock_info *sock_next_on_port(const struct sock_table *t, unsigned long long netns,
					  enum sock_dump d, unsigned port, size_t *iter)
{
	struct sock_info key = { .netns = netns, .dump = d, .local.port = port };
	const struct sock_info *s;

	while ((s = index_walk(&t->by_port, t, hash_port(&key), iter)))
		if (s->netns == netns && kind_of(s->dump) == kind_of(d) && s->local.port == port)
			return s;
	return NULL;
}

const struct sock_info *sock_next_with_peer(const struct sock_table *t, unsigned long long netns,
					    unsigned long long ino, size_t *iter)
{
	struct sock_info key = { .netns = netns, .peer = ino };
	const struct sock_info *s;

	while ((s = index_walk(&t->by_peer, t, hash_peer(&key), iter)))
		if (s->netns == netns && s->have_peer && s->peer == ino)
			return s;
	return NULL;
}

const unsigned *sock_icons(const struct sock_table *t, const struct sock_info *s, size_t *n)
{
	const struct entry *e = (const struct entry *)s;

	*n = e->nicons;
	return e->nicons ? t->icons + e->icons_off : NULL;
}

/* ---- names ---- */

const char *sock_dump_name(enum sock_dump d)
{
	static const char *const names[SOCK_DUMP_COUNT] = {
		[SOCK_UNIX] = "unix", [SOCK_TCP] = "tcp", [SOCK_TCP6] = "tcp6",
		[SOCK_UDP] = "udp", [SOCK_UDP6] = "udp6", [SOCK_UDPLITE] = "udplite",
		[SOCK_UDPLITE6] = "udplite6", [SOCK_IPRAW] = "raw", [SOCK_IPRAW6] = "raw6",
		[SOCK_AFPACKET] = "packet", [SOCK_NETLINK] = "netlink",
		[SOCK_PING] = "ping", [SOCK_PING6] = "ping6",
	};
	return (unsigned)d < SOCK_DUMP_COUNT ? names[d] : "?";
}

bool sock_is_inet(enum sock_dump d)
{
	return d >= SOCK_TCP && d <= SOCK_IPRAW6;
}

bool sock_is_v6(enum sock_dump d)
{
	return d == SOCK_TCP6 || d == SOCK_UDP6 || d == SOCK_UDPLITE6 || d == SOCK_IPRAW6 ||
		d == SOCK_PING6;
}

bool sock_has_addrs(enum sock_dump d)
{
	return sock_is_inet(d) || d == SOCK_PING || d == SOCK_PING6;
}

bool sock_is_tcp(enum sock_dump d)
{
	return d == SOCK_TCP || d == SOCK_TCP6;
}

const char *sock_state_name(const struct sock_info *s)
{
	static const char *const tcp[] = {
		"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
		"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
		"NEW_SYN_RECV", "BOUND_INACTIVE",
	};

	if (s->state == TCP_CLOSE && !sock_is_tcp(s->dump))
		return "UNCONN";
	return s->state > 0 && (size_t)s->state < ARRAY_LEN(tcp) ? tcp[s->state] : "?";
}

static bool is_v4(const struct sock_addr *a)
{
	static const unsigned char prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	return memcmp(a->addr, prefix, sizeof(prefix)) == 0;
}

void sock_addr_text(const struct sock_addr *a, char *buf, size_t cap)
{
	if (is_v4(a))
		inet_ntop(AF_INET, a->addr + 12, buf, (socklen_t)cap);
	else
		inet_ntop(AF_INET6, a->addr, buf, (socklen_t)cap);
}

bool sock_addr_is_any(const struct sock_addr *a)
{
	static const unsigned char zero[16];
	return memcmp(a->addr, zero, 16) == 0 || (is_v4(a) && memcmp(a->addr + 12, zero, 4) == 0);
}

bool sock_addr_is_loopback(const struct sock_addr *a)
{
	static const unsigned char one[16] = { [15] = 1 };
	return memcmp(a->addr, one, 16) == 0 || (is_v4(a) && a->addr[12] == 127);
}
