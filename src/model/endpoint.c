/* endpoint.c - link fds to their other ends (see endpoint.h): the common
 * parts, pipes and FIFOs, and eventfds.
 *
 * A pipe is one inode with two ends: the read end and the write end are two
 * open file descriptions, so fds of one end share an OFD (or, for a FIFO
 * opened twice, are separate descriptions of the same end) and the fds
 * with the complementary access mode hold the other end.  The same process
 * may hold both ends: that is shown, never hidden (a parent that forgot to
 * close its own copy of a child's read end is what a user looks for).
 * An eventfd has no ends: every other holder can signal it, so its "other
 * ends" are the other holders of its one description. */
#include "model/endpoint.h"
#include "base/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#define K_ACCMODE 03
#define K_PATH    010000000

/* ---- helpers for every part ---- */

struct fd_detail *endpoint_detail(struct fd_entry *f)
{
	if (!f->detail) {
		f->detail = xcalloc(1, sizeof(*f->detail));
		f->detail->refs = 1;
	}
	return f->detail;
}

void endpoint_share_detail(struct fd_entry *f, struct fd_detail *d)
{
	f->detail = d;
	d->refs++;
}

static int cmp_fd_entry(const struct fd_entry *a, const struct fd_entry *b)
{
	if (a->proc->pid != b->proc->pid)
		return a->proc->pid < b->proc->pid ? -1 : 1;
	return (a->fd > b->fd) - (a->fd < b->fd);
}

void endpoint_add_end(struct fd_detail *d, struct fd_entry *g)
{
	size_t lo = 0, hi = d->nends;
	int c;

	/* ends mostly arrive in order: append without a search */
	if (d->nends && (c = cmp_fd_entry(d->ends[d->nends - 1], g)) >= 0) {
		if (c == 0)
			return;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			c = cmp_fd_entry(d->ends[mid], g);
			if (c == 0)
				return;
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	} else {
		lo = d->nends;
	}
	grow_array((void **)&d->ends, &d->ends_cap, d->nends + 1, sizeof(*d->ends));
	memmove(d->ends + lo + 1, d->ends + lo, (d->nends - lo) * sizeof(*d->ends));
	d->ends[lo] = g;
	d->nends++;
}

bool endpoint_live(const struct fd_entry *f)
{
	return !f->proc->gone && f->target && f->info.have_basic;
}

bool endpoint_protocol(const struct fd_entry *f, char *buf, size_t cap)
{
	size_t n = strlen(f->sock_proto), i;

	if (f->type != FD_SOCKET || n == 0 || cap < n + 1)
		return false;
	/* "TCPv6" -> "tcp6", "UNIX" and "UNIX-STREAM" -> "unix", "NETLINK" ->
	 * "netlink" */
	if (strncmp(f->sock_proto, "UNIX", 4) == 0 && (n == 4 || f->sock_proto[4] == '-')) {
		snprintf(buf, cap, "unix");
		return true;
	}
	if (n > 2 && strcmp(f->sock_proto + n - 2, "v6") == 0) {
		memcpy(buf, f->sock_proto, n - 2);
		buf[n - 2] = '6';
		buf[n - 1] = '\0';
	} else {
		memcpy(buf, f->sock_proto, n + 1);
	}
	for (i = 0; buf[i]; i++)
		buf[i] = (char)tolower((unsigned char)buf[i]);
	return true;
}

int endpoint_sock_dump(const struct fd_entry *f)
{
	char proto[16];
	int d;

	if (!endpoint_protocol(f, proto, sizeof(proto)))
		return -1;
	for (d = 0; d < SOCK_DUMP_COUNT; d++)
		if (strcmp(proto, sock_dump_name((enum sock_dump)d)) == 0)
			return d;
	return -1;
}

bool endpoint_matches_path(const struct fd_entry *f, dev_t dev, ino_t ino)
{
	const struct fd_detail *d = f->detail;

	if (f->have_stat && f->st_dev == dev && f->info.ino == ino)
		return true;
	/* a unix socket bound to that file: UNIX_DIAG_VFS gives the kernel's
	 * dev_t encoding, major in the high 12 bits */
	return d && d->have_sock && d->sock.have_vfs && d->sock.vfs_ino == ino &&
		makedev(d->sock.vfs_dev >> 20, d->sock.vfs_dev & 0xfffff) == dev;
}

/* ---- pipes and FIFOs ---- */

struct pipe_ref {
	unsigned long long k[3];   /* kind, device, inode: one pipe */
	struct fd_entry *f;
};

static int cmp_pipe_ref(const void *x, const void *y)
{
	const struct pipe_ref *a = x, *b = y;
	int i;

	for (i = 0; i < 3; i++)
		if (a->k[i] != b->k[i])
			return a->k[i] < b->k[i] ? -1 : 1;
	/* the fds of one description next to each other */
	if (a->f->ofd != b->f->ofd)
		return a->f->ofd < b->f->ofd ? -1 : 1;
	return cmp_fd_entry(a->f, b->f);
}

/* The pipe an fd is on; false for anything else (and O_PATH opens, which
 * hold neither end). */
static bool pipe_key(const struct fd_entry *f, unsigned long long k[3])
{
	if (!endpoint_live(f) || (f->info.flags & K_PATH))
		return false;
	if (f->type == FD_PIPE) {
		k[0] = 1, k[1] = 0, k[2] = f->link.ino;
	} else if (f->type == FD_FIFO && f->have_stat) {
		k[0] = 2, k[1] = f->st_dev, k[2] = f->info.ino;
	} else if (f->type == FD_FIFO) {
		/* not stat()ed (remote file system): the mount stands in */
		k[0] = 3, k[1] = (unsigned)f->info.mnt_id, k[2] = f->info.ino;
	} else {
		return false;
	}
	return true;
}

static bool can_read(const struct fd_entry *f) { return (f->info.flags & K_ACCMODE) != 1; }
static bool can_write(const struct fd_entry *f) { return (f->info.flags & K_ACCMODE) != 0; }

/* g holds the other end of f's pipe. */
static bool other_end(const struct fd_entry *f, const struct fd_entry *g)
{
	if (g == f || (f->ofd && g->ofd == f->ofd))
		return false;
	return (can_write(f) && can_read(g)) || (can_read(f) && can_write(g));
}

static void link_pipes(struct model *m)
{
	struct pipe_ref *v = NULL;
	size_t n = 0, cap = 0, i, j, start, end;

	for (i = 0; i < m->nprocs; i++)
		for (j = 0; j < m->procs[i].nfds; j++) {
			struct fd_entry *f = &m->procs[i].fds[j];
			unsigned long long k[3];
			if (!pipe_key(f, k))
				continue;
			grow_array((void **)&v, &cap, n + 1, sizeof(*v));
			memcpy(v[n].k, k, sizeof(k));
			v[n++].f = f;
		}
	if (n)
		qsort(v, n, sizeof(*v), cmp_pipe_ref);
	for (start = 0; start < n; start = end) {
		for (end = start + 1; end < n && memcmp(v[end].k, v[start].k, sizeof(v[0].k)) == 0; end++)
			;
		for (i = start; i < end; i++) {
			struct fd_detail *d;
			/* the other ends of an fd are those of every fd of its
			 * description (other_end() looks at the description) */
			if (i > start && v[i].f->ofd && v[i].f->ofd == v[i - 1].f->ofd) {
				endpoint_share_detail(v[i].f, v[i - 1].f->detail);
				continue;
			}
			d = endpoint_detail(v[i].f);
			d->have_ends = true;
			for (j = start; j < end; j++)
				if (other_end(v[i].f, v[j].f))
					endpoint_add_end(d, v[j].f);
		}
	}
	free(v);
}

/* ---- eventfds ---- */

static void link_eventfds(struct model *m)
{
	size_t i, j, k;

	for (i = 0; i < m->nprocs; i++)
		for (j = 0; j < m->procs[i].nfds; j++) {
			struct fd_entry *f = &m->procs[i].fds[j];
			const struct ofd_group *g;
			struct fd_detail *d;
			if (f->type != FD_EVENTFD || !endpoint_live(f))
				continue;
			d = endpoint_detail(f);
			d->have_ends = true;
			if (!(g = model_ofd(m, f->ofd)))
				continue;
			for (k = 0; k < g->nholders; k++)
				if (g->holders[k] != f)
					endpoint_add_end(d, g->holders[k]);
		}
}

void endpoint_link(const struct model_options *o, struct model *m)
{
	link_pipes(m);
	link_eventfds(m);
	endpoint_link_sockets(m);
	endpoint_link_epoll(o, m);
}

void endpoint_free(struct model *m)
{
	size_t i, j;

	for (i = 0; i < m->nprocs; i++)
		for (j = 0; j < m->procs[i].nfds; j++) {
			struct fd_detail *d = m->procs[i].fds[j].detail;
			if (!d)
				continue;
			m->procs[i].fds[j].detail = NULL;
			if (--d->refs > 0)
				continue;
			free(d->ends);
			free(d->watches);
			free(d);
		}
}
