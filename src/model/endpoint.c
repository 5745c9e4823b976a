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
#include "model/endpoint_detail.h"
#include "base/radix.h"
#include "base/util.h"
#include "kinds/kind_link.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>


/* ---- pipes and FIFOs ---- */

struct pipe_ref {
	unsigned long long k[3];   /* kind, device, inode: one pipe */
	struct fd_entry *f;
};

/* The pipe an fd is on; false for anything else (and O_PATH opens, which
 * hold neither end). */
static bool pipe_key(const struct fd_entry *f, unsigned long long k[3])
{
	if (!endpoint_live(f) || f->access == ACCESS_PATH)
		return false;
	if (f->kind == KIND_PIPE) {
		k[0] = 1, k[1] = 0, k[2] = f->ino;
	} else if (f->kind == KIND_FIFO && f->have_stat) {
		k[0] = 2, k[1] = f->st_dev, k[2] = f->ino;
	} else if (f->kind == KIND_FIFO) {
		/* not stat()ed (remote file system): the mount stands in */
		k[0] = 3, k[1] = (unsigned)f->mnt_id, k[2] = f->ino;
	} else {
		return false;
	}
	return true;
}

static bool can_read(const struct fd_entry *f) { return f->access != ACCESS_W; }
static bool can_write(const struct fd_entry *f) { return f->access != ACCESS_R && f->access != ACCESS_PATH; }

/* g holds the other end of f's pipe. */
static bool other_end(const struct fd_entry *f, const struct fd_entry *g)
{
	if (g == f || (f->ofd && g->ofd == f->ofd))
		return false;
	return (can_write(f) && can_read(g)) || (can_read(f) && can_write(g));
}

/* The pipe refs in v[0..n) by pipe, the fds of one description next to
 * each other, then by holder (the order they come in): a stable radix
 * sort, least significant word first.  Returns an array of n pointers. */
static struct pipe_ref **sort_pipe_refs(struct pipe_ref *v, size_t n)
{
	struct radix_item *r = xcalloc(n + 1, sizeof(*r)), *tmp = xcalloc(n + 1, sizeof(*tmp));
	struct pipe_ref **out = xcalloc(n + 1, sizeof(*out));
	size_t i;
	int w;

	for (i = 0; i < n; i++) {
		r[i].key = (unsigned)v[i].f->ofd;
		r[i].p = &v[i];
	}
	radix_sort(r, tmp, n);
	for (w = 2; w >= 0; w--) {
		for (i = 0; i < n; i++)
			r[i].key = ((struct pipe_ref *)r[i].p)->k[w];
		radix_sort(r, tmp, n);
	}
	for (i = 0; i < n; i++)
		out[i] = r[i].p;
	free(r);
	free(tmp);
	return out;
}

static void link_pipes(struct model *m)
{
	struct pipe_ref *refs = NULL, **v;
	size_t n = 0, cap = 0, i, j, start, end;

	for (i = 0; i < m->nprocs; i++)
		for (j = 0; j < m->procs[i].nfds; j++) {
			struct fd_entry *f = &m->procs[i].fds[j];
			unsigned long long k[3];
			if (!pipe_key(f, k))
				continue;
			grow_array((void **)&refs, &cap, n + 1, sizeof(*refs));
			memcpy(refs[n].k, k, sizeof(k));
			refs[n++].f = f;
		}
	v = sort_pipe_refs(refs, n);
	for (start = 0; start < n; start = end) {
		for (end = start + 1; end < n && memcmp(v[end]->k, v[start]->k, sizeof(v[0]->k)) == 0; end++)
			;
		for (i = start; i < end; i++) {
			struct fd_detail *d;
			/* the other ends of an fd are those of every fd of its
			 * description (other_end() looks at the description) */
			if (i > start && v[i]->f->ofd && v[i]->f->ofd == v[i - 1]->f->ofd) {
				endpoint_share_detail(v[i]->f, v[i - 1]->f->detail);
				continue;
			}
			d = endpoint_detail(v[i]->f);
			d->have_ends = true;
			for (j = start; j < end; j++)
				if (other_end(v[i]->f, v[j]->f))
					endpoint_add_end(d, v[j]->f);
		}
	}
	free(v);
	free(refs);
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
			if (f->kind != KIND_EVENTFD || !endpoint_live(f))
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
	struct sock_ctx *sockets = endpoint_sockets_start(m);

	link_pipes(m);
	link_eventfds(m);
	kind_link(m);
	endpoint_link_epoll(o, m);
	endpoint_sockets_finish(sockets);
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
	sock_table_free(m->sockets);
	m->sockets = NULL;
}
