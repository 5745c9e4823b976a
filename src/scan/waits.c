/* waits.c - what the threads of chosen processes are blocked in (see
 * waits.h).  Each process's array is freed with the process (proc.c). */
#include "scan/waits.h"
#include "model/endpoint_detail.h"
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

static void read_waits(const struct model *m, struct process *p)
{
	struct syscall_info *si;
	struct pid_dir dir;
	ssize_t n, i;

	if (p->waits || p->gone || p->err || model_pin_again(m, p, &dir) < 0)
		return;
	n = procfs_task_syscalls(&dir, &si);
	procfs_unpin(&dir);
	if (n < 0)
		return;   /* unknown: not allowed, or gone */
	p->waits = xcalloc((size_t)n + 1, sizeof(*p->waits));
	p->nwaits = (size_t)n;
	for (i = 0; i < n; i++) {
		struct thread_wait *w = &p->waits[i];
		w->kind = si[i].running || si[i].nr < 0 ? WAIT_UNKNOWN : waits_classify(si[i].nr);
		w->fd = (w->kind == WAIT_ACCEPT || w->kind == WAIT_EPOLL || w->kind == WAIT_READ) &&
			si[i].arg0 <= INT_MAX ? (int)si[i].arg0 : -1;
		if (w->kind == WAIT_CHILD)
			waits_children(si[i].nr, si[i].arg0, si[i].arg1, w);
	}
	free(si);
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

static bool first_pass(const struct model *m, const struct process *p)
{
	size_t j;

	for (j = 0; j < p->nfds; j++)
		if ((is_pipe(&p->fds[j]) && readable(&p->fds[j])) || shared_listener(m, &p->fds[j]))
			return true;
	return false;
}

struct pipe_key { int mnt_id; unsigned long long ino; };

static int cmp_key(const void *x, const void *y)
{
	const struct pipe_key *a = x, *b = y;

	if (a->mnt_id != b->mnt_id)
		return a->mnt_id < b->mnt_id ? -1 : 1;
	return (a->ino > b->ino) - (a->ino < b->ino);
}

/* The pipes some reader is blocked reading, sorted. */
static struct pipe_key *blocked_pipes(const struct model *m, size_t *n)
{
	struct pipe_key *v = NULL;
	size_t i, j, cap = 0;

	*n = 0;
	for (i = 0; i < m->nprocs; i++)
		for (j = 0; j < m->procs[i].nfds; j++) {
			const struct fd_entry *f = &m->procs[i].fds[j];
			if (!is_pipe(f) || !readable(f) || !waits_has(f->proc, WAIT_READ, f->fd))
				continue;
			grow_array((void **)&v, &cap, *n + 1, sizeof(*v));
			v[*n].mnt_id = f->mnt_id;
			v[(*n)++].ino = f->ino;
		}
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_key);
	return v;
}

static bool writes_blocked_pipe(const struct process *p, const struct pipe_key *v, size_t n)
{
	size_t j;

	for (j = 0; n && j < p->nfds; j++) {
		const struct fd_entry *f = &p->fds[j];
		struct pipe_key k = { f->mnt_id, f->ino };
		if (is_pipe(f) && fd_writable(f) && bsearch(&k, v, n, sizeof(*v), cmp_key))
			return true;
	}
	return false;
}

void waits_read(struct model *m)
{
	struct pipe_key *keys;
	size_t i, n;

	for (i = 0; i < m->nprocs; i++)
		if (first_pass(m, &m->procs[i]))
			read_waits(m, &m->procs[i]);
	keys = blocked_pipes(m, &n);
	for (i = 0; i < m->nprocs; i++)
		if (writes_blocked_pipe(&m->procs[i], keys, n))
			read_waits(m, &m->procs[i]);
	free(keys);
}
