/* endpoint_epoll.c - what each epoll fd watches.
 *
 * An epoll fd's fdinfo lists every registered target as "tfd: N ...", where
 * N is the fd number the file had in the registering process at
 * EPOLL_CTL_ADD.  That number may since have been closed, or reused for
 * another file, and after a fork the registering process may be any holder
 * of the epoll description.  So fd N of each holder (the epoll fd's own
 * process first) is checked with kcmp(KCMP_EPOLL_TFD), which compares an fd
 * with the file really registered.  When fd N is not it, the file may live
 * on under another number (dup, then close): the holders' fds on the same
 * inode are tried too, a bounded number of them.  Where kcmp is refused or
 * disabled, fd N is taken when its inode matches the target's, and marked
 * unverified. */
#include "model/endpoint_detail.h"
#include "scan/procfs.h"
#include "base/parallel.h"
#include "base/util.h"

#include <errno.h>
#include <stdlib.h>

#define RENUMBERED_TRIES 64   /* kcmp calls per target when its number is stale */
#define EPOLL_THREADS 2

static int cmp_fd_num(const void *key, const void *elem)
{
	int fd = *(const int *)key;
	const struct fd_entry *f = elem;
	return (fd > f->fd) - (fd < f->fd);
}

/* fd number fd of p (its fds are sorted by number), or NULL. */
static struct fd_entry *fd_of(struct process *p, int fd)
{
	return p->nfds ? bsearch(&fd, p->fds, p->nfds, sizeof(*p->fds), cmp_fd_num) : NULL;
}

/* Try fd w->tfd of the process of epoll fd h. */
static bool try_holder(const struct model_options *o, unsigned long long *calls, struct fd_entry *h,
		       struct epoll_watch *w)
{
	struct fd_entry *cand;
	int r;

	if (h->proc->gone || !(cand = fd_of(h->proc, w->tfd)) || !cand->have_facts)
		return false;
	if (!o->use_kcmp) {
		if (!w->fd && cand->ino == w->ino) {
			w->fd = cand;
			w->err = -1;
		}
		return false;
	}
	r = kcmp_epoll_tfd(h->proc->pid, w->tfd, h->proc->pid, h->fd, w->tfd);
	++*calls;
	if (r == 1) {
		w->fd = cand;
		w->verified = true;
		w->err = 0;
		return true;
	}
	if (r < 0 && !w->fd && cand->ino == w->ino) {
		w->fd = cand;
		w->err = errno;
	}
	return false;
}

/* The number was closed (or reused) but the file lives on under another
 * number of the process of epoll fd h: look among its fds on the same
 * inode, proven by kcmp only (anon inodes share one inode number). */
static bool find_renumbered(unsigned long long *calls, struct fd_entry *h, struct epoll_watch *w,
			    int *budget)
{
	struct process *p = h->proc;
	size_t i;

	for (i = 0; i < p->nfds && *budget > 0; i++) {
		struct fd_entry *g = &p->fds[i];
		if (g->fd == w->tfd || !g->have_facts || g->ino != w->ino)
			continue;
		--*budget;
		++*calls;
		if (kcmp_epoll_tfd(p->pid, g->fd, p->pid, h->fd, w->tfd) == 1) {
			w->fd = g;
			w->verified = true;
			w->err = 0;
			return true;
		}
	}
	return false;
}

static void resolve(const struct model_options *o, const struct model *m, unsigned long long *calls,
		    struct fd_entry *ep, struct epoll_watch *w)
{
	const struct ofd_group *g = model_ofd(m, ep->ofd);
	int budget = RENUMBERED_TRIES;
	size_t i;

	if (try_holder(o, calls, ep, w))
		return;
	for (i = 0; g && i < g->nholders; i++)
		if (g->holders[i] != ep && try_holder(o, calls, g->holders[i], w))
			return;
	if (w->fd || !o->use_kcmp || find_renumbered(calls, ep, w, &budget))
		return;
	for (i = 0; g && i < g->nholders; i++)
		if (g->holders[i] != ep && !g->holders[i]->proc->gone &&
		    find_renumbered(calls, g->holders[i], w, &budget))
			return;
}

struct epoll_job {
	const struct model_options *o;
	struct model *m;
	unsigned long long calls[EPOLL_THREADS];   /* kcmp calls, per worker */
};

/* The epoll fds of process i: each writes only its own detail and
 * watches, and reads the others' fds, which nobody writes meanwhile. */
static void link_process(size_t i, unsigned worker, void *arg)
{
	struct epoll_job *j = arg;
	struct process *p = &j->m->procs[i];
	size_t k, n;

	for (n = 0; n < p->nfds; n++) {
		struct fd_entry *f = &p->fds[n];
		struct fd_detail *d;
		if (f->kind != KIND_EPOLL || !endpoint_live(f))
			continue;
		d = endpoint_detail(f);
		d->nwatches = fd_details_of(f)->ntargets;
		d->watches = xcalloc(d->nwatches + 1, sizeof(*d->watches));
		for (k = 0; k < d->nwatches; k++) {
			const struct epoll_target *t = &fd_details_of(f)->targets[k];
			struct epoll_watch *w = &d->watches[k];
			w->tfd = t->tfd;
			w->events = t->events;
			w->data = t->data;
			w->ino = t->ino;
			resolve(j->o, j->m, &j->calls[worker], f, w);
		}
	}
}

void endpoint_link_epoll(const struct model_options *o, struct model *m)
{
	struct epoll_job j = { .o = o, .m = m };
	unsigned t;

	/* a kcmp call per target, most of the time: on both cores */
	parallel_for(m->nprocs, parallel_threads(EPOLL_THREADS), link_process, &j);
	for (t = 0; t < EPOLL_THREADS; t++)
		m->kcmp_calls += j.calls[t];
}
