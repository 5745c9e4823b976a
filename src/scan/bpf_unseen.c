/* bpf_unseen.c - processes /proc lists that the BPF task iterator did not
 * (see bpf_unseen.h). */
#include "scan/bpf_unseen.h"
#include "scan/parse.h"
#include "scan/procfs.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

size_t bpf_unseen_missing(const int *listed, size_t nlisted, const int *have, size_t nhave,
			  int *out)
{
	size_t i = 0, j = 0, n = 0;

	for (j = 0; j < nhave; j++) {
		while (i < nlisted && listed[i] < have[j])
			i++;
		if (i == nlisted || listed[i] != have[j])
			out[n++] = have[j];
	}
	return n;
}

bool bpf_unseen_was_there(unsigned long long start_ticks, unsigned long long iter_ticks,
			  unsigned long long margin_ticks)
{
	return start_ticks + margin_ticks < iter_ticks;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int cmp_proc_pid(const void *a, const void *b)
{
	const struct process *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* procroot's numeric entries, sorted, into a new array; -1 with errno. */
static ssize_t list_pids(const char *procroot, int **out)
{
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dir = opendir(procroot);
	int pid;

	*out = NULL;
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		if (parse_pid_name(de->d_name, &pid) < 0)
			continue;
		grow_array((void **)out, &cap, n + 1, sizeof(**out));
		(*out)[n++] = pid;
	}
	closedir(dir);
	if (n)
		qsort(*out, n, sizeof(**out), cmp_int);
	return (ssize_t)n;
}

/* p as /proc shows it, when it was there before the iterator: 0, or -1
 * (ended, started since, or its stat unreadable: not added). */
static int read_unseen(const char *procroot, int pid, unsigned long long iter_ticks,
		       unsigned long long margin_ticks, struct process *p)
{
	struct stat_info st;
	struct status_info ss;
	struct pid_dir dir;
	char buf[8192];
	ssize_t n;

	if (procfs_pin(procroot, pid, &dir) < 0)
		return -1;
	if (procfs_stat(&dir, &st) < 0 || !bpf_unseen_was_there(st.start_time, iter_ticks, margin_ticks)) {
		procfs_unpin(&dir);
		return -1;
	}
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->tgid = pid;
	p->ppid = st.ppid;
	p->pgrp = st.pgrp;
	p->sid = st.session;
	p->state = st.state;
	p->comm = xstrdup(st.comm);
	p->cmdline = xcalloc(1, sizeof(*p->cmdline));
	p->threads = st.num_threads;
	p->start_time = st.start_time;
	n = procfs_read_at(dir.dirfd, "status", buf, sizeof(buf));
	if (n > 0 && parse_status(buf, (size_t)n, &ss) == 0) {
		p->ruid = ss.ruid;
		p->euid = ss.euid;
		memcpy(p->nspid, ss.nspid, sizeof(p->nspid));
		p->nspid_count = ss.nspid_count;
		memcpy(p->sigblocked, ss.sigblocked, sizeof(p->sigblocked));
		memcpy(p->sigignore, ss.sigignore, sizeof(p->sigignore));
		memcpy(p->sigcatch, ss.sigcatch, sizeof(p->sigcatch));
	}
	/* its fds stay unread: what /proc says of them, or that only the
	 * /proc source can read them */
	p->err = dir.fd_err ? dir.fd_err : EOPNOTSUPP;
	procfs_unpin(&dir);
	return 0;
}

size_t bpf_unseen_add(const char *procroot, int self, unsigned long long iter_ticks,
		      unsigned long long margin_ticks, struct process **procs, size_t *nprocs)
{
	int *have, *listed, *missing;
	ssize_t nhave = list_pids(procroot, &have);
	size_t i, nmissing, added = 0;

	if (nhave <= 0) {
		free(have);
		return 0;
	}
	listed = xcalloc(*nprocs + 1, sizeof(*listed));
	for (i = 0; i < *nprocs; i++)
		listed[i] = (*procs)[i].pid;
	missing = xcalloc((size_t)nhave, sizeof(*missing));
	nmissing = bpf_unseen_missing(listed, *nprocs, have, (size_t)nhave, missing);
	for (i = 0; i < nmissing; i++) {
		struct process p;
		if (missing[i] == self || read_unseen(procroot, missing[i], iter_ticks, margin_ticks, &p) < 0)
			continue;
		*procs = xreallocarray(*procs, *nprocs + 1, sizeof(**procs));
		(*procs)[(*nprocs)++] = p;
		added++;
	}
	if (added)
		qsort(*procs, *nprocs, sizeof(**procs), cmp_proc_pid);
	free(missing);
	free(listed);
	free(have);
	return added;
}
