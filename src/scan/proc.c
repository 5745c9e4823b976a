/* proc.c - the process table through libproc2 (procps-ng 4.x pids API).
 *
 * libproc2 owns every string it returns until the next call, so everything is
 * copied out at once.  A process that vanishes while libproc2 reads it may
 * come back with zeros and empty strings; the fd scan later re-checks each
 * process's start time through its pinned /proc dir and drops those. */
#include "scan/proc.h"
#include "base/util.h"
#include "scan/thread_state.h"

#include <errno.h>
#include <libproc2/pids.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* PF_KTHREAD from the kernel's sched.h: stat's flags field marks kernel threads */
#define KTHREAD_FLAG 0x00200000UL

/* Only items libproc2 takes from stat (and the pid from the directory name):
 * the scan reads each process's status once itself, through the pinned dir
 * (proc_scan.c: uids, signal masks, NSpid), so asking libproc2 for any
 * status item would read every status file twice. */
static enum pids_item items[] = {
	PIDS_ID_PID, PIDS_ID_PPID, PIDS_ID_TGID, PIDS_ID_PGRP, PIDS_ID_SESSION,
	PIDS_STATE, PIDS_CMD, PIDS_NLWP, PIDS_TICS_BEGAN, PIDS_FLAGS,
};
enum rel {
	R_PID, R_PPID, R_TGID, R_PGRP, R_SID, R_STATE, R_CMD, R_NLWP, R_BEGAN, R_FLAGS,
};

static void fill_process(struct process *p, struct pids_stack *s)
{
	memset(p, 0, sizeof(*p));
	p->pid = PIDS_VAL(R_PID, s_int, s, info);
	p->ppid = PIDS_VAL(R_PPID, s_int, s, info);
	p->tgid = PIDS_VAL(R_TGID, s_int, s, info);
	p->pgrp = PIDS_VAL(R_PGRP, s_int, s, info);
	p->sid = PIDS_VAL(R_SID, s_int, s, info);
	p->state = (char)PIDS_VAL(R_STATE, s_ch, s, info);
	p->comm = xstrdup(PIDS_VAL(R_CMD, str, s, info));
	/* The arguments are read later through the pinned dir (model.c):
	 * libproc2's PIDS_CMDLINE_V splits an argument at a newline. */
	p->is_kthread = (PIDS_VAL(R_FLAGS, ul_int, s, info) & KTHREAD_FLAG) != 0;
	p->cmdline = xcalloc(1, sizeof(char *));
	p->threads = PIDS_VAL(R_NLWP, s_int, s, info);
	/* unknown (the kernel's (uid_t)-1) until the scan reads status; a
	 * process it cannot pin keeps it rather than pass for root */
	p->ruid = p->euid = (unsigned)-1;
	p->start_time = PIDS_VAL(R_BEGAN, ull_int, s, info);
}

static int cmp_pid(const void *a, const void *b)
{
	const struct process *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

ssize_t proc_table_read(struct process **out)
{
	struct pids_info *info = NULL;
	struct pids_fetch *fetch;
	struct process *procs;
	int r, i, n = 0, self = getpid();

	*out = NULL;
	r = procps_pids_new(&info, items, (int)ARRAY_LEN(items));
	if (r < 0) {
		errno = -r;
		return -1;
	}
	fetch = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	if (!fetch) {
		int saved = errno;
		procps_pids_unref(&info);
		errno = saved ? saved : EIO;
		return -1;
	}
	procs = xcalloc((size_t)fetch->counts->total + 1, sizeof(*procs));
	for (i = 0; i < fetch->counts->total; i++) {
		struct pids_stack *s = fetch->stacks[i];
		if (PIDS_VAL(R_PID, s_int, s, info) == self)
			continue;
		fill_process(&procs[n++], s);
	}
	procps_pids_unref(&info);
	qsort(procs, (size_t)n, sizeof(*procs), cmp_pid);
	*out = procs;
	return n;
}

void proc_free_fields(struct process *p)
{
	free(p->comm);
	free(p->exe);
	free(p->waits);
	thread_states_free(p->tstate);
	cmdline_free(p->cmdline);
	proc_free_fds(p);
}

void proc_free_fds(struct process *p)
{
	size_t i;

	for (i = 0; i < p->nfds; i++) {
		if (!p->fd_targets_packed)
			free(p->fds[i].target);
		fd_details_release(p->fds[i].details);
	}
	free(p->fds);
	p->fds = NULL;
	p->nfds = 0;
}
