/* waits.c - what the threads of chosen processes are blocked in (see
 * waits.h).  Each process's array is freed with the process (proc.c). */
#include "scan/waits.h"
#include "model/endpoint_detail.h"
#include "scan/thread_state.h"
#include "scan/fd.h"
#include "scan/procfs.h"
#include "base/util.h"

#include <limits.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

enum wait_kind waits_classify(long nr)
{
	switch (nr) {
#ifdef SYS_accept
	case SYS_accept:
#endif
	case SYS_accept4:
		return WAIT_ACCEPT;
#ifdef SYS_epoll_wait
	case SYS_epoll_wait:
#endif
#ifdef SYS_epoll_pwait2
	case SYS_epoll_pwait2:
#endif
	case SYS_epoll_pwait:
		return WAIT_EPOLL;
	case SYS_read:
	case SYS_readv:
		return WAIT_READ;
	case SYS_wait4:
	case SYS_waitid:
		return WAIT_CHILD;
#ifdef SYS_poll
	case SYS_poll:
#endif
#ifdef SYS_select
	case SYS_select:
#endif
	case SYS_ppoll:
	case SYS_pselect6:
		return WAIT_UNKNOWN;   /* its fds are in the caller's memory */
	}
	return WAIT_OTHER;
}

bool waits_has(const struct process *p, enum wait_kind kind, int fd)
{
	size_t i;

	for (i = 0; i < p->nwaits; i++)
		if (p->waits[i].kind == kind && (fd < 0 || p->waits[i].fd == fd))
			return true;
	return false;
}

bool waits_known(const struct process *p)
{
	return p->waits && p->nwaits && !waits_has(p, WAIT_UNKNOWN, -1);
}

void waits_children(long nr, unsigned long long arg0, unsigned long long arg1,
		    struct thread_wait *w)
{
	long long pid = (long long)arg0;   /* wait4's pid_t, sign-extended by the kernel */

	w->children = WAIT_UNKNOWN_CHILD;
	w->id = 0;
	if (nr == SYS_wait4) {
		if ((int)pid == -1) {
			w->children = WAIT_ANY_CHILD;
		} else if ((int)pid > 0) {
			w->children = WAIT_ONE_CHILD;
			w->id = (int)pid;
		} else if ((int)pid > INT_MIN) {
			w->children = WAIT_GROUP_CHILD;
			w->id = -(int)pid;
		}
		return;
	}
	/* waitid(idtype, id, ...): P_ALL 0, P_PID 1, P_PGID 2, P_PIDFD 3 */
	if (arg0 == 0) {
		w->children = WAIT_ANY_CHILD;
	} else if (arg0 == 1 && arg1 > 0 && arg1 <= INT_MAX) {
		w->children = WAIT_ONE_CHILD;
		w->id = (int)arg1;
	} else if (arg0 == 2 && arg1 <= INT_MAX) {
		w->children = WAIT_GROUP_CHILD;
		w->id = (int)arg1;
	}
}

bool waits_for_child(const struct process *p, const struct thread_wait *w,
		     const struct process *c)
{
	switch (w->children) {
	case WAIT_ANY_CHILD:
		return true;
	case WAIT_ONE_CHILD:
		return c->pid == w->id;
	case WAIT_GROUP_CHILD:
		return c->pgrp == (w->id ? w->id : p->pgrp);
	case WAIT_UNKNOWN_CHILD:
		break;
	}
	return true;   /* not known: it may be this one */
}

/* p's waits from its threads' system calls (thread_state.h), once. */
static void derive_waits(struct process *p)
{
	const struct thread_states *t = p->tstate;
	size_t i;

	if (p->waits || !t || t->err)
		return;   /* unknown: not allowed, or gone */
	p->waits = xcalloc(t->n + 1, sizeof(*p->waits));
	p->nwaits = t->n;
	for (i = 0; i < t->n; i++) {
		const struct syscall_info *si = &t->v[i].sc;
		struct thread_wait *w = &p->waits[i];
		w->kind = si->running || si->nr < 0 ? WAIT_UNKNOWN : waits_classify(si->nr);
		w->fd = (w->kind == WAIT_ACCEPT || w->kind == WAIT_EPOLL || w->kind == WAIT_READ) &&
			si->arg0 <= INT_MAX ? (int)si->arg0 : -1;
		if (w->kind == WAIT_CHILD)
			waits_children(si->nr, si->arg0, si->arg1, w);
	}
}

static bool is_pipe(const struct fd_entry *f)
{
	return f->have_facts && (f->kind == KIND_PIPE || f->kind == KIND_FIFO);
}

static bool readable(const struct fd_entry *f)
{
	const char *mode = fd_access_name(f);
	return strcmp(mode, "r") == 0 || strcmp(mode, "rw") == 0;
}

/* A listening socket whose description several processes hold. */
static bool shared_listener(const struct model *m, const struct fd_entry *f)
{
	const struct ofd_group *g = model_ofd(m, f->ofd);

	return g && g->nprocs > 1 && f->detail && f->detail->have_sock &&
		f->detail->sock->state == TCP_LISTEN;
}

/* Whether a is an ancestor of p (by parent pids, a bounded walk). */
static bool descends_from(const struct model *m, const struct process *p, const struct process *a)
{
	int hops;

	for (hops = 0; hops < 4096 && p && p->ppid > 0; hops++) {
		if (p->ppid == a->pid)
			return true;
		p = model_process(m, p->ppid);
	}
	return false;
}

/* A pipe or FIFO fd with its pipe's key beside it: sorted without
 * reaching into the fds. */
struct pipe_fd {
	unsigned long long ino;
	int mnt_id;
	unsigned order;             /* its place in the walk: a stable tie-break */
	const struct fd_entry *f;
};

static int cmp_pipe_fd(const void *x, const void *y)
{
	const struct pipe_fd *a = x, *b = y;

	if (a->mnt_id != b->mnt_id)
		return a->mnt_id < b->mnt_id ? -1 : 1;
	if (a->ino != b->ino)
		return (a->ino > b->ino) - (a->ino < b->ino);
	return (a->order > b->order) - (a->order < b->order);
}

/* Every pipe and FIFO fd of a process the waits may be read for, by pipe. */
static struct pipe_fd *pipe_fds(const struct model *m, size_t *n)
{
	struct pipe_fd *v = NULL;
	size_t i, j, cap = 0;

	*n = 0;
	for (i = 0; i < m->nprocs; i++)
		for (j = 0; !m->procs[i].gone && !m->procs[i].err && j < m->procs[i].nfds; j++) {
			const struct fd_entry *f = &m->procs[i].fds[j];
			if (!is_pipe(f))
				continue;
			grow_array((void **)&v, &cap, *n + 1, sizeof(*v));
			v[*n] = (struct pipe_fd){ f->ino, f->mnt_id, (unsigned)*n, f };
			(*n)++;
		}
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_pipe_fd);
	return v;
}

/* Whether reader rd of the pipe whose fds are v[0..n) could be one that
 * pipe-eof-blocked reports, were it blocked reading: it holds a write end
 * itself that fork left it (single-threaded, no close-on-exec), or every
 * other write end is its own or an ancestor's (and there is one).  Only
 * then is what it waits in worth reading. */
static bool eof_may_never_come(const struct model *m, const struct pipe_fd *v, size_t n,
			       const struct fd_entry *rd)
{
	const struct process *p = rd->proc;
	size_t i, writers = 0;

	for (i = 0; i < n; i++)
		if (v[i].f != rd && v[i].f->proc == p && fd_writable(v[i].f) && !v[i].f->cloexec &&
		    p->threads <= 1)
			return true;
	for (i = 0; i < n; i++) {
		const struct fd_entry *w = v[i].f;
		if (w == rd || !fd_writable(w))
			continue;
		if (w->proc != p && !descends_from(m, p, w->proc))
			return false;
		writers++;
	}
	return writers > 0;
}

/* The end of the run of v[0..n) (one pipe's fds) that starts at i. */
static size_t pipe_end(const struct pipe_fd *v, size_t n, size_t i)
{
	size_t k = i + 1;

	while (k < n && v[k].mnt_id == v[i].mnt_id && v[k].ino == v[i].ino)
		k++;
	return k;
}

static void want(struct process ***need, size_t *n, size_t *cap, bool *taken,
		 const struct model *m, const struct fd_entry *f)
{
	size_t i = (size_t)(f->proc - m->procs);

	if (taken[i])
		return;
	taken[i] = true;
	grow_array((void **)need, cap, *n + 1, sizeof(**need));
	(*need)[(*n)++] = &((struct model *)m)->procs[i];
}

/* Read the threads of need[0..n) (with the wait channels of those that
 * show locks, in the same visit), then their waits. */
static void read_needed(const struct model *m, struct process **need, size_t n)
{
	size_t i, k = 0;

	/* those that show locks first, with wait channels; then the others */
	for (i = 0; i < n; i++)
		if (thread_state_wanted(need[i])) {
			struct process *t = need[k];
			need[k++] = need[i];
			need[i] = t;
		}
	thread_state_need(m, need, k, true);
	thread_state_need(m, need + k, n - k, false);
	for (i = 0; i < n; i++)
		derive_waits(need[i]);
}

void waits_read(struct model *m)
{
	bool *taken = xcalloc(m->nprocs + 1, sizeof(*taken));
	struct process **need = NULL;
	struct pipe_fd *v;
	size_t i, j, k, end, n, nv, cap = 0;

	/* 1. the holders of a shared listener, and the pipe readers whose EOF
	 *    may never come */
	n = 0;
	for (i = 0; i < m->nprocs; i++)
		for (j = 0; !m->procs[i].gone && !m->procs[i].err && j < m->procs[i].nfds; j++)
			if (m->procs[i].fds[j].kind == KIND_SOCKET && shared_listener(m, &m->procs[i].fds[j])) {
				want(&need, &n, &cap, taken, m, &m->procs[i].fds[j]);
				break;
			}
	v = pipe_fds(m, &nv);
	for (i = 0; i < nv; i = end) {
		end = pipe_end(v, nv, i);
		for (k = i; k < end; k++)
			if (!taken[v[k].f->proc - m->procs] && readable(v[k].f) &&
			    eof_may_never_come(m, v + i, end - i, v[k].f))
				want(&need, &n, &cap, taken, m, v[k].f);
	}
	read_needed(m, need, n);
	/* 2. the ancestors holding a write end of a pipe whose reader is
	 *    blocked reading it: whether they wait for children */
	n = 0;
	for (i = 0; i < nv; i = end) {
		end = pipe_end(v, nv, i);
		for (k = i; k < end; k++) {
			const struct fd_entry *rd = v[k].f;
			if (!readable(rd) || !waits_has(rd->proc, WAIT_READ, rd->fd))
				continue;
			for (j = i; j < end; j++)
				if (v[j].f->proc != rd->proc && fd_writable(v[j].f) &&
				    descends_from(m, rd->proc, v[j].f->proc))
					want(&need, &n, &cap, taken, m, v[j].f);
		}
	}
	read_needed(m, need, n);
	free(need);
	free(v);
	free(taken);
}
