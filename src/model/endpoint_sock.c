/* endpoint_sock.c - sockets: dump each network namespace once, then link
 * every socket fd to the fds holding the other end.
 *
 * Sockets belong to a network namespace and sock_diag only sees the
 * namespace of the socket it is asked through.  Processes are grouped by
 * the inode of /proc/PID/ns/net; fdshare's own namespace is dumped
 * directly, each other one from a thread that setns()es into it (root
 * only: anyone else gets EPERM, and those sockets say so).  Only the kinds
 * some fd there needs are dumped: tcp and tcp6 together (a v4 client's
 * server may be a dual-stack v6 socket), udp and udp6 likewise.
 *
 * The other end:
 *   unix, connected     the holders of UNIX_DIAG_PEER's inode;
 *   unix, listening     the holders of its pending clients (UNIX_DIAG_ICONS);
 *   unix, pending       (listed in a listener's ICONS; its peer is the
 *                       listener's embryo socket, with no inode yet) the
 *                       holders of that listener;
 *   unix, unconnected   the holders of sockets connected to it (datagrams);
 *   inet, connected     the socket with the reversed address 4-tuple in the
 *                       same namespace (loopback, or any local address):
 *                       its holders, or, when it is not accepted yet
 *                       (inode 0), the holders of the listener;
 *   inet, listening     the holders of the clients waiting for accept();
 *   udp, connected to an unconnected socket: that socket's holders. */
#include "model/endpoint_detail.h"
#include "scan/procfs.h"
#include "base/parallel.h"
#include "base/radix.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


struct icon_ref {
	unsigned long long ino;            /* a client waiting in a backlog */
	const struct sock_info *listener;
};

struct sock_ctx {
	struct model *m;
	struct sock_table *t;
	unsigned long long *netns;         /* per process (index in m->procs) */
	int *ns_err;                       /* why its namespace is unknown, or 0 */
	unsigned *kinds;                   /* dumps its socket fds need */
	struct radix_item *refs;           /* every socket fd (p) by inode (key), then holder */
	size_t nrefs;
	struct icon_ref *icons;            /* every pending unix client, by inode */
	size_t nicons;
	unsigned long long own;            /* fdshare's own network namespace */
	pthread_t dumper;                  /* the dumps, while the caller links the rest */
	bool dumping;
};

static bool is_socket(const struct fd_entry *f)
{
	return f->kind == KIND_SOCKET && !fd_on_path(f) && endpoint_live(f);
}

/* Dumps one socket fd needs; 0 when none would hold it (ping, sctp ...). */
static unsigned kinds_for(const struct fd_entry *f)
{
	int d = endpoint_sock_dump(f);

	if (!f->sock_proto || !f->sock_proto[0])
		return SOCK_ALL_KINDS;   /* protocol unknown: look everywhere */
	if (d < 0)
		return 0;
	/* an inet socket's peer may be of the other IP version (a v4 client
	 * of a dual-stack v6 server): both dumps of its protocol */
	if (sock_is_inet(d))
		return SOCK_KIND(sock_is_v6(d) ? d - 1 : d) | SOCK_KIND(sock_is_v6(d) ? d : d + 1);
	return SOCK_KIND(d);
}

/* ---- namespaces ---- */

static void find_namespaces(struct sock_ctx *c)
{
	struct pid_dir dir;
	size_t i, j;

	for (i = 0; i < c->m->nprocs; i++) {
		struct process *p = &c->m->procs[i];
		for (j = 0; j < p->nfds; j++)
			if (is_socket(&p->fds[j]))
				c->kinds[i] |= kinds_for(&p->fds[j]);
		if (!c->kinds[i])
			continue;
		if (p->netns) {
			c->netns[i] = p->netns;   /* the source read it (BPF): no /proc read */
			continue;
		}
		if (model_pin_again(c->m, p, &dir) < 0 || procfs_netns(&dir, &c->netns[i]) < 0)
			c->ns_err[i] = errno;
		procfs_unpin(&dir);
	}
}

static unsigned long long own_netns(void)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st) < 0 && stat("/proc/self/ns/net", &st) < 0)
		return 0;   /* unknown: every namespace is entered, ours too */
	return st.st_ino;
}

/* Dump the namespace of process i (and every process sharing it) once. */
static void dump_namespace(struct sock_ctx *c, size_t i, unsigned long long own)
{
	unsigned long long ns = c->netns[i];
	unsigned kinds = 0;
	struct pid_dir dir;
	size_t j;
	int fd, err, d;

	for (j = i; j < c->m->nprocs; j++)
		if (c->kinds[j] && !c->ns_err[j] && c->netns[j] == ns)
			kinds |= c->kinds[j];
	/* each dump once, whichever of its processes asked first */
	for (d = 0; d < SOCK_DUMP_COUNT; d++)
		if (sock_table_error(c->t, ns, (enum sock_dump)d) != ENODATA)
			kinds &= ~SOCK_KIND(d);
	if (!kinds)
		return;
	if (ns == own) {
		sock_table_dump(c->t, ns, kinds);
		return;
	}
	if (model_pin_again(c->m, &c->m->procs[i], &dir) < 0) {
		sock_table_fail(c->t, ns, kinds, errno);
		return;
	}
	fd = procfs_open_netns(&dir);
	err = errno;
	procfs_unpin(&dir);
	if (fd < 0) {
		sock_table_fail(c->t, ns, kinds, err);
		return;
	}
	sock_table_dump_ns(c->t, ns, fd, kinds);
	close(fd);
}

/* ---- indexes of the fds and of pending clients ---- */

static void index_fds(struct sock_ctx *c)
{
	struct radix_item *tmp;
	size_t i, j, cap = 0;

	/* they come by holder: a stable sort by inode keeps that order */
	for (i = 0; i < c->m->nprocs; i++)
		for (j = 0; j < c->m->procs[i].nfds; j++) {
			struct fd_entry *f = &c->m->procs[i].fds[j];
			if (!is_socket(f))
				continue;
			grow_array((void **)&c->refs, &cap, c->nrefs + 1, sizeof(*c->refs));
			c->refs[c->nrefs].key = f->ino;
			c->refs[c->nrefs++].p = f;
		}
	tmp = xcalloc(c->nrefs + 1, sizeof(*tmp));
	radix_sort(c->refs, tmp, c->nrefs);
	free(tmp);
}

static int cmp_icon_ref(const void *x, const void *y)
{
	const struct icon_ref *a = x, *b = y;
	return (a->ino > b->ino) - (a->ino < b->ino);
}

static void index_icons(struct sock_ctx *c)
{
	size_t i, k, n, cap = 0;

	for (i = 0; i < sock_table_count(c->t); i++) {
		const struct sock_info *s = sock_table_at(c->t, i);
		const unsigned *icons = sock_icons(c->t, s, &n);
		for (k = 0; k < n; k++) {
			grow_array((void **)&c->icons, &cap, c->nicons + 1, sizeof(*c->icons));
			c->icons[c->nicons].ino = icons[k];
			c->icons[c->nicons++].listener = s;
		}
	}
	if (c->nicons)
		qsort(c->icons, c->nicons, sizeof(*c->icons), cmp_icon_ref);
}

/* The listener whose backlog holds unix client ino, or NULL. */
static const struct sock_info *backlog_of(const struct sock_ctx *c, unsigned long long ino,
					  unsigned long long netns)
{
	struct icon_ref key = { .ino = ino };
	const struct icon_ref *r = c->nicons ? bsearch(&key, c->icons, c->nicons, sizeof(key),
						      cmp_icon_ref) : NULL;

	return r && r->listener->netns == netns ? r->listener : NULL;
}

/* Add every fd holding socket ino; whether there was one. */
static bool add_holders(const struct sock_ctx *c, struct fd_detail *d, unsigned long long ino)
{
	size_t lo = 0, hi = c->nrefs;
	bool any = false;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->refs[mid].key < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < c->nrefs && c->refs[lo].key == ino; lo++, any = true)
		endpoint_add_end(d, c->refs[lo].p);
	return any;
}

/* ---- linking ---- */

/* s is the table's own entry (its pending clients are kept there). */
static void link_unix(const struct sock_ctx *c, struct fd_detail *d, const struct sock_info *s)
{
	const struct sock_info *l, *o;
	const unsigned *icons;
	size_t k, n, it = 0;

	if (s->state == TCP_LISTEN) {
		icons = sock_icons(c->t, s, &n);
		for (k = 0; k < n; k++)
			add_holders(c, d, icons[k]);
	} else if ((l = backlog_of(c, s->ino, s->netns))) {
		/* connected, not yet accepted: the peer is the listener's
		 * embryo socket, which has no inode and no holder */
		d->awaiting_accept = true;
		add_holders(c, d, l->ino);
	} else if (s->have_peer && s->peer) {
		d->peer_found = sock_find(c->t, s->netns, s->peer) != NULL;
		add_holders(c, d, s->peer);
	} else {
		while ((o = sock_next_with_peer(c->t, s->netns, s->ino, &it)))
			add_holders(c, d, o->ino);
	}
}

/* l listens on (or is bound to) address a, port included. */
static bool bound_to(const struct sock_info *l, const struct sock_addr *a)
{
	return l->local.port == a->port &&
		(sock_addr_is_any(&l->local) || memcmp(l->local.addr, a->addr, sizeof(a->addr)) == 0);
}

/* The listening (tcp) or unconnected (udp) socket bound to a, or NULL. */
static const struct sock_info *server_for(const struct sock_ctx *c, const struct sock_info *s,
					  const struct sock_addr *a)
{
	const struct sock_info *o;
	size_t it = 0;
	int want = sock_is_tcp(s->dump) ? TCP_LISTEN : TCP_CLOSE;

	while ((o = sock_next_on_port(c->t, s->netns, s->dump, a->port, &it)))
		if (o->state == want && o->ino && o->remote.port == 0 && bound_to(o, a))
			return o;
	return NULL;
}

static void link_inet(const struct sock_ctx *c, struct fd_detail *d)
{
	const struct sock_info *s = d->sock, *o, *peer;
	size_t it = 0;

	if (s->dump == SOCK_IPRAW || s->dump == SOCK_IPRAW6)
		return;   /* raw sockets have no other end of their own */
	if (s->state == TCP_LISTEN) {
		/* accepted by the kernel, not yet by accept(): inode 0 */
		while ((o = sock_next_on_port(c->t, s->netns, s->dump, s->local.port, &it)))
			if (!o->ino && o->remote.port && bound_to(s, &o->local) &&
			    (peer = sock_find_tuple(c->t, s->netns, s->dump, &o->remote, &o->local)) &&
			    peer->ino)
				add_holders(c, d, peer->ino);
		return;
	}
	if (!s->remote.port)
		return;
	peer = sock_find_tuple(c->t, s->netns, s->dump, &s->remote, &s->local);
	if (peer && peer->ino) {
		d->peer_found = true;
		add_holders(c, d, peer->ino);
	} else if (peer && sock_is_tcp(s->dump) && peer->state != TCP_TIME_WAIT &&
		   (o = server_for(c, s, &peer->local))) {
		d->peer_found = true;
		d->awaiting_accept = true;
		add_holders(c, d, o->ino);
	} else if (!peer && !sock_is_tcp(s->dump) && (o = server_for(c, s, &s->remote))) {
		d->peer_found = true;
		add_holders(c, d, o->ino);
	}
}

/* Why nothing was found for f in namespace ns; 0 when nothing was expected. */
static int missing_reason(const struct sock_ctx *c, const struct fd_entry *f, unsigned long long ns)
{
	int d = endpoint_sock_dump(f), k, err;

	if (d >= 0) {
		err = sock_table_error(c->t, ns, (enum sock_dump)d);
		return err ? err : ENOENT;   /* dumped fine: closed or made since */
	}
	if (f->sock_proto && f->sock_proto[0])
		return 0;                      /* netlink, packet ...: never dumped */
	for (k = 0; k < SOCK_DUMP_COUNT; k++)
		if ((err = sock_table_error(c->t, ns, (enum sock_dump)k)))
			return err;
	return 0;
}

/* Link f; false when its socket is in no dump made (its detail then says
 * why: an errno, or ENOENT for "not there"). */
static bool link_one(const struct sock_ctx *c, struct fd_entry *f, size_t pi)
{
	const struct sock_info *s;
	struct fd_detail *d;
	int err;

	if (c->ns_err[pi]) {
		endpoint_detail(f)->err = c->ns_err[pi];
		return true;
	}
	/* a socket keeps the namespace it was made in, whatever its
	 * holder's is now (setns after socket(), or passed over SCM_RIGHTS) */
	s = sock_find(c->t, c->netns[pi], f->ino);
	if (!s)
		s = sock_find_any(c->t, f->ino);
	if (!s) {
		if ((err = missing_reason(c, f, c->netns[pi])))
			endpoint_detail(f)->err = err;
		return err != ENOENT;
	}
	d = endpoint_detail(f);
	d->err = 0;
	d->have_sock = true;
	d->sock = s;   /* the table stays with the model */
	d->have_ends = true;
	if (s->dump == SOCK_UNIX)
		link_unix(c, d, s);
	else if (sock_is_inet(s->dump))
		link_inet(c, d);
	else
		d->have_ends = false;   /* packet, netlink, ping: no other end fdshare names */
	return true;
}

/* ---- sockets in no dump ---- */

/* Whether f still holds socket ino (read again now): then it did not
 * close or change since the scan, and its absence means something. */
static bool still_held(struct model *m, struct fd_entry *f)
{
	char want[48], name[32], *now = NULL;
	struct pid_dir dir;
	ssize_t n;
	bool same;

	if (model_pin_again(m, f->proc, &dir) < 0)
		return false;
	/* pinned again: the pid dir only, so through it */
	snprintf(name, sizeof(name), "fd/%d", f->fd);
	n = procfs_link_at(dir.dirfd, name, &now);
	procfs_unpin(&dir);
	snprintf(want, sizeof(want), "socket:[%llu]", f->ino);
	same = n > 0 && (size_t)n == strlen(want) && memcmp(now, want, (size_t)n) == 0;
	free(now);
	return same;
}

/* Protocols whose every open socket is in its namespace's dump (unix, raw,
 * packet, ping sockets are listed from socket() on): one that is missing
 * lives in a namespace not dumped.  tcp, udp, udplite and netlink sockets
 * are listed only once bound or connected. */
static bool listed_unbound(const struct fd_entry *f)
{
	int d = endpoint_sock_dump(f);

	return d == SOCK_UNIX || d == SOCK_IPRAW || d == SOCK_IPRAW6 || d == SOCK_AFPACKET ||
		d == SOCK_PING || d == SOCK_PING6;
}

/* Dump the namespaces of the processes that hold no socket (read now),
 * for the kinds in missing: a socket made in one of them, then passed
 * on or left behind by setns(), is found there. */
static void dump_other_namespaces(struct sock_ctx *c, unsigned missing, unsigned long long own)
{
	size_t i;

	for (i = 0; i < c->m->nprocs; i++) {
		struct process *p = &c->m->procs[i];
		struct pid_dir dir;
		int r;
		if (c->kinds[i] || p->gone || p->is_kthread)
			continue;
		r = model_pin_again(c->m, p, &dir) < 0 ? -1 : procfs_netns(&dir, &c->netns[i]);
		procfs_unpin(&dir);
		if (r < 0)
			continue;
		c->kinds[i] = missing;
		dump_namespace(c, i, own);
		c->kinds[i] = 0;
	}
}

/* The sockets still in no dump after every namespace was dumped: still
 * held, so not closed meanwhile; say where they are instead of ENOENT. */
static void explain_missing(struct sock_ctx *c, struct fd_entry **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct fd_detail *d = v[i]->detail;
		if (!d || d->have_sock || d->err != ENOENT || !still_held(c->m, v[i]))
			continue;
		d->err = 0;
		d->absent = listed_unbound(v[i]) ? SOCK_ABSENT_NETNS : SOCK_ABSENT_UNBOUND_OR_NETNS;
	}
}

/* ---- linking every socket fd, in slices ---- */

#define SLICES 64       /* of the socket fds, taken by whichever thread is free */
#define LINK_THREADS 2

struct slice {
	size_t from, to;               /* c->refs[from..to): whole inodes */
	struct fd_entry **missing;     /* its fds in no dump made, and their processes */
	size_t *owner, nmissing, mcap, ocap;
	unsigned need;                 /* the dumps those would need */
};

struct slices {
	const struct sock_ctx *c;
	struct slice *v;
};

/* Link the fds of one slice: those of one inode seen from one namespace
 * share the first one's detail.  Writes only its fds' details and its own
 * missing list; reads the table, the refs and the namespaces. */
static void link_slice(size_t si, unsigned worker, void *arg)
{
	struct slices *x = arg;
	const struct sock_ctx *c = x->c;
	struct slice *sl = &x->v[si];
	const struct fd_entry *prev = NULL;
	size_t i, k, prev_i = 0;

	(void)worker;
	for (k = sl->from; k < sl->to; k++) {
		struct fd_entry *f = c->refs[k].p;
		i = (size_t)(f->proc - c->m->procs);
		if (!c->kinds[i] || !kinds_for(f))
			continue;
		if (prev && prev->detail && prev->detail->have_sock && prev->ino == f->ino &&
		    !c->ns_err[i] && c->netns[i] == c->netns[prev_i]) {
			endpoint_share_detail(f, prev->detail);
			continue;
		}
		if (link_one(c, f, i)) {
			prev = f;
			prev_i = i;
			continue;
		}
		grow_array((void **)&sl->missing, &sl->mcap, sl->nmissing + 1, sizeof(*sl->missing));
		grow_array((void **)&sl->owner, &sl->ocap, sl->nmissing + 1, sizeof(*sl->owner));
		sl->missing[sl->nmissing] = f;
		sl->owner[sl->nmissing++] = i;
		sl->need |= kinds_for(f);
	}
}

/* Link every socket fd; the fds in no dump, with their processes, into
 * *missing and *owner (in inode order), and the dumps they need. */
static void link_slices(const struct sock_ctx *c, struct fd_entry ***missing, size_t **owner,
			size_t *nmissing, unsigned *need)
{
	struct slices x = { .c = c, .v = xcalloc(SLICES, sizeof(*x.v)) };
	size_t n = 0, s, k, at = 0, mcap = 0, ocap = 0;

	for (s = 0; s < SLICES && at < c->nrefs; s++) {
		size_t end = at + (c->nrefs - at + (SLICES - s) - 1) / (SLICES - s);
		while (end < c->nrefs && c->refs[end].key == c->refs[end - 1].key)
			end++;   /* an inode stays in one slice */
		x.v[n].from = at;
		x.v[n++].to = end;
		at = end;
	}
	parallel_for(n, parallel_threads(LINK_THREADS), link_slice, &x);
	for (s = 0; s < n; s++) {
		struct slice *sl = &x.v[s];
		for (k = 0; k < sl->nmissing; k++) {
			grow_array((void **)missing, &mcap, *nmissing + 1, sizeof(**missing));
			grow_array((void **)owner, &ocap, *nmissing + 1, sizeof(**owner));
			(*missing)[*nmissing] = sl->missing[k];
			(*owner)[(*nmissing)++] = sl->owner[k];
		}
		*need |= sl->need;
		free(sl->missing);
		free(sl->owner);
	}
	free(x.v);
}

/* ---- the whole of it ---- */

/* Every namespace some socket fd needs, each dump once. */
static void dump_namespaces(struct sock_ctx *c)
{
	size_t i;

	for (i = 0; i < c->m->nprocs; i++)
		if (c->kinds[i] && !c->ns_err[i])
			dump_namespace(c, i, c->own);
}

static void *dump_thread(void *arg)
{
	dump_namespaces(arg);
	return NULL;
}

struct sock_ctx *endpoint_sockets_start(struct model *m)
{
	struct sock_ctx *c = xcalloc(1, sizeof(*c));

	c->m = m;
	c->own = own_netns();
	c->netns = xcalloc(m->nprocs + 1, sizeof(*c->netns));
	c->ns_err = xcalloc(m->nprocs + 1, sizeof(*c->ns_err));
	c->kinds = xcalloc(m->nprocs + 1, sizeof(*c->kinds));
	find_namespaces(c);
	/* what the source dumped already counts as dumped (dump_namespace) */
	c->t = m->sock_dumps ? m->sock_dumps : sock_table_new();
	m->sock_dumps = NULL;
	/* the dumps wait on the kernel, not on the model: on a thread of
	 * their own (it reads the processes, and writes only c) */
	c->dumping = pthread_create(&c->dumper, NULL, dump_thread, c) == 0;
	if (!c->dumping)
		dump_namespaces(c);
	return c;
}

void endpoint_sockets_finish(struct sock_ctx *c)
{
	struct fd_entry **missing = NULL;
	size_t *owner = NULL, i, nmissing = 0;
	unsigned need = 0;

	if (c->dumping)
		pthread_join(c->dumper, NULL);
	index_fds(c);
	index_icons(c);
	/* by inode, in slices of whole inodes, on both cores: the fds of one
	 * socket, seen from one namespace, have one detail (its dump entry
	 * and its ends), made once, by the slice that holds them all */
	link_slices(c, &missing, &owner, &nmissing, &need);
	if (nmissing) {
		/* not in its holder's namespace nor any other dumped: try the
		 * namespaces of every other process, then link again */
		dump_other_namespaces(c, need, c->own);
		index_icons(c);
		for (i = 0; i < nmissing; i++)
			link_one(c, missing[i], owner[i]);
		explain_missing(c, missing, nmissing);
	}
	free(missing);
	free(owner);
	c->m->sockets = c->t;
	free(c->refs);
	free(c->icons);
	free(c->netns);
	free(c->ns_err);
	free(c->kinds);
	free(c);
}
