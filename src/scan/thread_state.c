/* thread_state.c - each thread's system call and wait channel, read once per
 * process (see thread_state.h). */
#include "scan/thread_state.h"
#include "base/parallel.h"
#include "base/util.h"

#include <errno.h>
#include <stdlib.h>

bool thread_state_has(const struct process *p, bool wchan)
{
	return p->tstate && (p->tstate->err || p->tstate->have_wchan || !wchan);
}

bool thread_state_wanted(const struct process *p)
{
	size_t j;

	for (j = 0; j < p->nfds; j++)
		if (fd_details_of(&p->fds[j])->nlock_lines)
			return true;
	return false;
}

static void read_wchans(const struct pid_dir *d, struct thread_states *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (procfs_task_wchan(d, t->v[i].sc.tid, t->v[i].wchan, sizeof(t->v[i].wchan)) < 0)
			t->v[i].wchan[0] = '\0';
	t->have_wchan = true;
}

void thread_state_read(const struct pid_dir *d, struct process *p, bool wchan)
{
	struct thread_states *t = p->tstate;
	struct syscall_info *si;
	ssize_t n, i;

	if (thread_state_has(p, wchan))
		return;
	if (t) {   /* the system calls were read without the wait channels */
		read_wchans(d, t);
		return;
	}
	t = xcalloc(1, sizeof(*t));
	p->tstate = t;
	n = procfs_task_syscalls(d, &si);
	if (n < 0) {
		t->err = errno ? errno : EIO;
		return;
	}
	t->v = xcalloc((size_t)n + 1, sizeof(*t->v));
	t->n = (size_t)n;
	for (i = 0; i < n; i++)
		t->v[i].sc = si[i];
	free(si);
	if (wchan)
		read_wchans(d, t);
}

struct need_run {
	const struct model *m;
	struct process **v;
	bool wchan;
};

static void need_job(size_t i, unsigned worker, void *arg)
{
	struct need_run *r = arg;
	struct process *p = r->v[i];
	struct pid_dir dir;

	(void)worker;
	if (thread_state_has(p, r->wchan))
		return;
	if (model_pin_again(r->m, p, &dir) < 0) {
		if (p->tstate)   /* gone since its system calls were read: no wait channels */
			p->tstate->have_wchan = true;
		else
			p->tstate = xcalloc(1, sizeof(*p->tstate));
		if (!p->tstate->n && !p->tstate->err)
			p->tstate->err = errno ? errno : ESRCH;
		return;
	}
	thread_state_read(&dir, p, r->wchan);
	procfs_unpin(&dir);
}

void thread_state_need(const struct model *m, struct process **v, size_t n, bool wchan)
{
	struct need_run r = { m, v, wchan };

	/* each process's threads are /proc reads of its own: on both cores */
	if (n)
		parallel_for(n, parallel_threads(2), need_job, &r);
}

void thread_states_free(struct thread_states *t)
{
	if (!t)
		return;
	free(t->v);
	free(t);
}
