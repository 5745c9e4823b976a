/* bpf_tasks.c - the BPF source's process table from the task iterator's
 * records (bpf_tasks.h). */
#include "scan/bpf_tasks.h"
#include "scan/procfs.h"
#include "scan/parse.h"
#include "base/util.h"

#include <errno.h>
#include <linux/types.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/bpf/records.h"

_Static_assert(sizeof(struct task_rec) == 240, "the program writes 240-byte task records");
_Static_assert(sizeof(struct cmdline_rec) == 24, "the program writes 24-byte cmdline headers");

#define PF_KTHREAD 0x00200000u
#define CMDLINE_MAX (4u << 20)    /* bytes of arguments read from /proc, as proc_scan.c */

/* The kernel's task state bits (include/linux/sched.h). */
#define TASK_REPORT       0x7fu   /* RUNNING..PARKED, EXIT_DEAD, EXIT_ZOMBIE */
#define TASK_IDLE         0x402u  /* UNINTERRUPTIBLE | NOLOAD */
#define TASK_RTLOCK_WAIT  0x1000u
#define TASK_UNINTERRUPTIBLE 0x2u
#define TASK_REPORT_IDLE  0x80u

char bpf_task_state_letter(unsigned state, unsigned exit_state)
{
	static const char letters[] = "RSDTtXZPI";
	unsigned s = (state | exit_state) & TASK_REPORT;
	int bit = 0;

	if (state == TASK_IDLE)
		s = TASK_REPORT_IDLE;
	else if (state == TASK_RTLOCK_WAIT)
		s = TASK_UNINTERRUPTIBLE;
	/* fls(): the highest bit set, 1-based; 0 for none (running) */
	while (s) {
		bit++;
		s >>= 1;
	}
	return letters[bit];
}

void bpf_task_sigmask_hex(unsigned long long mask, char out[17])
{
	snprintf(out, 17, "%016llx", mask);
}

unsigned long long bpf_task_ticks(unsigned long long boottime_ns, const struct bpf_task_clock *c)
{
	long long ns = (long long)boottime_ns + c->boot_offset_ns;

	if (ns < 0 || c->hz <= 0)
		return 0;
	return (unsigned long long)ns / (unsigned long long)(1000000000L / c->hz);
}

void bpf_task_nofile(unsigned long long cur, unsigned long long max, struct nofile_limit *out)
{
	memset(out, 0, sizeof(*out));
	out->soft_unlimited = cur == ~0ULL;
	out->hard_unlimited = max == ~0ULL;
	out->soft = out->soft_unlimited ? 0 : cur;
	out->hard = out->hard_unlimited ? 0 : max;
}

static void fill_process(struct process *p, const struct task_rec *r, const struct bpf_task_clock *c)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->pid = p->tgid = (int)r->pid;
	p->ppid = (int)r->ppid;
	p->pgrp = (int)r->pgrp;
	p->sid = (int)r->sid;
	p->state = bpf_task_state_letter(r->state, r->exit_state);
	p->comm = xmemdup0(r->comm, strnlen(r->comm, sizeof(r->comm)));
	p->cmdline = xcalloc(1, sizeof(char *));
	p->is_kthread = (r->flags & PF_KTHREAD) != 0;
	p->ruid = r->ruid;
	p->euid = r->euid;
	p->threads = r->threads;
	p->start_time = bpf_task_ticks(r->start_boottime, c);
	bpf_task_sigmask_hex(r->sigignore, p->sigignore);
	bpf_task_sigmask_hex(r->sigcatch, p->sigcatch);
	bpf_task_sigmask_hex(r->sigblocked, p->sigblocked);
	for (i = 0; i < r->nspid_count && i < NSPID_MAX && i < TASK_REC_NSPID; i++)
		p->nspid[i] = r->nspid[i];
	p->nspid_count = i;
	p->netns = r->netns;
	/* as the /proc source: the limit of a process whose fds are read */
	if (!p->is_kthread && p->state != 'Z') {
		bpf_task_nofile(r->nofile_cur, r->nofile_max, &p->nofile);
		p->have_nofile = true;
	}
}

static int cmp_pid(const void *a, const void *b)
{
	const struct process *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int cmp_flag(const void *a, const void *b)
{
	const struct subreaper_flag *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

size_t bpf_tasks_decode(const char *raw, size_t len, const struct bpf_task_clock *c, int self,
			struct process **out, struct subreaper_table *sr)
{
	size_t cap = len / sizeof(struct task_rec), n = 0, i;
	struct process *procs = xcalloc(cap + 1, sizeof(*procs));
	bool sorted = true;

	sr->flags = xcalloc(cap + 1, sizeof(*sr->flags));
	sr->n = 0;
	for (i = 0; i < cap; i++) {
		struct task_rec r;
		struct subreaper_flag *f = &sr->flags[sr->n];
		memcpy(&r, raw + i * sizeof(r), sizeof(r));
		if (r.pid == 0 || r.pid > INT32_MAX)
			continue;
		f->pid = (int)r.pid;
		f->start_time = bpf_task_ticks(r.start_boottime, c);
		f->is_child_subreaper = r.is_child_subreaper;
		f->has_child_subreaper = r.has_child_subreaper;
		sr->n++;
		if ((int)r.pid == self)
			continue;
		fill_process(&procs[n], &r, c);
		sorted &= n == 0 || procs[n - 1].pid < procs[n].pid;
		n++;
	}
	/* the kernel visits tasks by increasing pid */
	if (!sorted) {
		qsort(procs, n, sizeof(*procs), cmp_pid);
		qsort(sr->flags, sr->n, sizeof(*sr->flags), cmp_flag);
	}
	*out = procs;
	return n;
}

void bpf_tasks_cmdlines(const char *raw, size_t len, const struct bpf_task_clock *c,
			struct process *procs, size_t n, bool *args_read)
{
	size_t off = 0;

	while (off + sizeof(struct cmdline_rec) <= len) {
		struct cmdline_rec r;
		struct process key, *p;
		memcpy(&r, raw + off, sizeof(r));
		if (r.len > CMDLINE_REC_MAX || off + sizeof(r) + r.len > len)
			break;          /* cut short: the kernel writes whole records */
		off += sizeof(r) + r.len;
		if (r.bits & CMDLINE_UNREAD || r.pid == 0 || r.pid > INT32_MAX)
			continue;
		key.pid = (int)r.pid;
		p = bsearch(&key, procs, n, sizeof(*procs), cmp_pid);
		if (!p || p->start_time != bpf_task_ticks(r.start_boottime, c))
			continue;
		cmdline_free(p->cmdline);
		p->cmdline = parse_cmdline(raw + off - r.len, r.len);
		args_read[p - procs] = true;
	}
}

int bpf_tasks_pin(const char *procroot, struct process *p, struct pid_dir *dir)
{
	struct stat_info si;

	if (procfs_pin_again(procroot, p->pid, p->start_time, dir) < 0) {
		if (errno == ESRCH || errno == ENOENT)
			p->gone = true;
		else
			p->err = errno;
		return -1;
	}
	/* a kernel thread's name as stat shows it (workqueue workers add what
	 * they work on), as the /proc source shows it */
	if (p->is_kthread && procfs_stat(dir, &si) == 0 && si.start_time == p->start_time) {
		free(p->comm);
		p->comm = xstrdup(si.comm);
	}
	return 0;
}

void bpf_tasks_read_rest(struct process *p, const struct pid_dir *dir, bool args_read)
{
	char *buf;
	ssize_t n;

	if (p->is_kthread || p->state == 'Z')
		return;
	if (!args_read && (n = procfs_read_all_at(dir->dirfd, "cmdline", CMDLINE_MAX, &buf)) >= 0) {
		cmdline_free(p->cmdline);
		p->cmdline = parse_cmdline(buf, (size_t)n);
		free(buf);
	}
	n = procfs_link_at(dir->dirfd, "exe", &p->exe);
	p->exe_len = n > 0 ? (size_t)n : 0;
}
