/* kind_link.c - pty and mqueue ends (see kind_link.h).
 *
 * A pty is named by its number within one devpts instance (each container
 * may mount its own).  A slave's instance is its file system's device; a
 * master opened through an instance's own pts/ptmx (what containers do)
 * has that device too, but one opened through /dev/ptmx on devtmpfs does
 * not say which instance it reaches.  Such a master is linked only when
 * every slave of its number is on one instance; with several it is marked
 * ambiguous and left unlinked, never guessed.
 *
 * A message queue is one inode: every other description open on it (the
 * same process's too) is an end; fds sharing this fd's description are not
 * (SHARED shows those). */
#include "kinds/kind_link.h"
#include "kinds/kind_detail.h"
#include "model/endpoint.h"

#include <stdlib.h>
#include <string.h>

static struct chr_detail *pty_of(const struct fd_entry *f, enum chr_kind k)
{
	if (f->kind != KIND_CHR || !f->details.more || f->details.more->u.chr.kind != k || !endpoint_live(f))
		return NULL;
	return &f->details.more->u.chr;
}

struct pty_ref {
	int index;
	dev_t dev;
	struct fd_entry *f;
};

static int cmp_pty_ref(const void *x, const void *y)
{
	const struct pty_ref *a = x, *b = y;

	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	return (a->dev > b->dev) - (a->dev < b->dev);
}

/* Every live fd of kind k into a new array sorted by index and device. */
static struct pty_ref *collect(struct model *m, enum chr_kind k, size_t *n)
{
	struct pty_ref *v = NULL;
	size_t cap = 0, i, j;

	*n = 0;
	for (i = 0; i < m->nprocs; i++)
		for (j = 0; j < m->procs[i].nfds; j++) {
			struct fd_entry *f = &m->procs[i].fds[j];
			struct chr_detail *c = pty_of(f, k);
			if (!c || c->tty_index < 0)
				continue;
			grow_array((void **)&v, &cap, *n + 1, sizeof(*v));
			v[*n] = (struct pty_ref){ c->tty_index, f->st_dev, f };
			(*n)++;
		}
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_pty_ref);
	return v;
}

/* Link master f to the slaves in s[lo..hi) (one number) on device dev, or
 * on any device when dev is 0. */
static void link_master(struct fd_entry *f, struct pty_ref *s, size_t lo, size_t hi, dev_t dev)
{
	struct fd_detail *d = endpoint_detail(f);
	size_t i;

	d->have_ends = true;
	for (i = lo; i < hi; i++) {
		if (dev && s[i].dev != dev)
			continue;
		endpoint_add_end(d, s[i].f);
		endpoint_add_end(endpoint_detail(s[i].f), f);
	}
}

static void link_ptys(struct model *m)
{
	size_t nm, ns, i, lo, hi;
	struct pty_ref *masters = collect(m, CHR_PTY_MASTER, &nm);
	struct pty_ref *slaves = collect(m, CHR_PTY_SLAVE, &ns);

	/* a slave with no master read has an empty answer, not an unknown one */
	for (i = 0; i < ns; i++)
		endpoint_detail(slaves[i].f)->have_ends = true;
	for (i = 0, lo = 0; i < nm; i++) {
		struct pty_ref *mr = &masters[i];
		bool own = false, several = false;
		while (lo < ns && slaves[lo].index < mr->index)
			lo++;
		for (hi = lo; hi < ns && slaves[hi].index == mr->index; hi++) {
			own |= slaves[hi].dev == mr->dev;
			several |= slaves[hi].dev != slaves[lo].dev;
		}
		if (own)
			link_master(mr->f, slaves, lo, hi, mr->dev);
		else if (!several)
			link_master(mr->f, slaves, lo, hi, 0);
		else
			mr->f->details.more->u.chr.ambiguous = true;
	}
	free(masters);
	free(slaves);
}

/* ---- message queues ---- */

struct mq_ref {
	dev_t dev;
	unsigned long long ino;
	struct fd_entry *f;
};

static int cmp_mq_ref(const void *x, const void *y)
{
	const struct mq_ref *a = x, *b = y;

	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	return (a->ino > b->ino) - (a->ino < b->ino);
}

static void link_queues(struct model *m)
{
	struct mq_ref *v = NULL;
	size_t n = 0, cap = 0, i, j, start, end;

	for (i = 0; i < m->nprocs; i++)
		for (j = 0; j < m->procs[i].nfds; j++) {
			struct fd_entry *f = &m->procs[i].fds[j];
			if (f->kind != KIND_MQUEUE || !endpoint_live(f))
				continue;
			grow_array((void **)&v, &cap, n + 1, sizeof(*v));
			v[n++] = (struct mq_ref){ f->st_dev, f->ino, f };
		}
	if (n)
		qsort(v, n, sizeof(*v), cmp_mq_ref);
	for (start = 0; start < n; start = end) {
		for (end = start + 1; end < n && cmp_mq_ref(&v[start], &v[end]) == 0; end++)
			;
		for (i = start; i < end; i++) {
			struct fd_detail *d = endpoint_detail(v[i].f);
			d->have_ends = true;
			for (j = start; j < end; j++)
				if (j != i && !(v[i].f->ofd && v[j].f->ofd == v[i].f->ofd))
					endpoint_add_end(d, v[j].f);
		}
	}
	free(v);
}

void kind_link(struct model *m)
{
	link_ptys(m);
	link_queues(m);
}
