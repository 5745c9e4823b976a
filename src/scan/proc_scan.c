/* proc_scan.c - the /proc source (source.h): libproc2's process table,
 * each process pinned and checked, its fds read through the pinned dir
 * (fd.c), then descriptions grouped by kcmp(2) KCMP_FILE (ofd.c).
 *
 * Order matters for correctness under races (model.c's header gives the
 * whole order): pin, check the start time, read, unpin at once; group;
 * pin again with the start time checked and drop whole what ended. */
#include "scan/source.h"
#include "scan/proc_pick.h"
#include "scan/fd.h"
#include "scan/holds.h"
#include "scan/mounts.h"
#include "scan/proc.h"
#include "scan/thread_state.h"
#include "base/parallel.h"
#include "base/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SCAN_THREADS 2   /* the machines we measure have two cores; more would
                            mostly contend for the same /proc locks */
#define CMDLINE_MAX (4u << 20)    /* bytes of arguments read; the kernel allows more */

/* What only status holds: uids, signal masks, NSpid (the listing read
 * stat alone: proc.h).  0, or -1 with errno (ENOENT/ESRCH: it ended). */
static int read_status(struct process *p, const struct pid_dir *dir)
{
	char buf[8192];
	struct status_info si;
	ssize_t n = procfs_read_at(dir->dirfd, "status", buf, sizeof(buf));

	if (n < 0)
		return -1;
	if (parse_status(buf, (size_t)n, &si) < 0 || !si.have_uid) {
		errno = EINVAL;
		return -1;
	}
	p->ruid = si.ruid;
	p->euid = si.euid;
	memcpy(p->sigblocked, si.sigblocked, sizeof(p->sigblocked));
	memcpy(p->sigignore, si.sigignore, sizeof(p->sigignore));
	memcpy(p->sigcatch, si.sigcatch, sizeof(p->sigcatch));
	memcpy(p->nspid, si.nspid, sizeof(p->nspid));
	p->nspid_count = si.nspid_count;
	return 0;
}

/* What the findings need of a process whose fds were read: the program it
 * runs (an exec shows as a change of it between parent and child) and its
 * fd limit.  Either stays unknown when unreadable. */
static void read_exe_and_limits(struct process *p, const struct pid_dir *dir)
{
	char buf[4096];
	ssize_t n = procfs_link_at(dir->dirfd, "exe", &p->exe);

	p->exe_len = n > 0 ? (size_t)n : 0;
	n = procfs_read_at(dir->dirfd, "limits", buf, sizeof(buf));
	p->have_nofile = n > 0 && parse_limits_nofile(buf, (size_t)n, &p->nofile) == 0;
}

/* The arguments, NUL-separated as the kernel keeps them (a newline inside
 * one stays in it).  Kernel threads and zombies have none; an unreadable
 * cmdline leaves the list empty. */
static void read_cmdline(struct process *p, const struct pid_dir *dir, char state)
{
	char *buf;
	ssize_t n;

	if (p->is_kthread || state == 'Z')
		return;
	n = procfs_read_all_at(dir->dirfd, "cmdline", CMDLINE_MAX, &buf);
	if (n < 0)
		return;
	cmdline_free(p->cmdline);
	p->cmdline = parse_cmdline(buf, (size_t)n);
	free(buf);
}

/* Pin a process and make sure it is still the one libproc2 described,
 * then read what the listing left to the pinned dir: status, cmdline.
 * comm is taken again from stat here, raw: libproc2 turns control bytes in
 * names into '?', and the JSON must carry the name as the kernel has it. */
static bool pin_process(const struct model_options *o, struct process *p, struct pid_dir *dir)
{
	struct stat_info si;

	if (procfs_pin(o->procroot, p->pid, dir) < 0 || procfs_stat(dir, &si) < 0 ||
	    (si.start_time == p->start_time && read_status(p, dir) < 0)) {
		/* ENOENT/ESRCH: it ended; anything else (EMFILE ...) is ours to report */
		if (errno == ENOENT || errno == ESRCH)
			p->gone = true;
		else
			p->err = errno;
		procfs_unpin(dir);
		return false;
	}
	if (si.start_time != p->start_time) {
		p->gone = true;   /* its PID already belongs to a newcomer */
		procfs_unpin(dir);
		return false;
	}
	free(p->comm);
	p->comm = xstrdup(si.comm);
	read_cmdline(p, dir, si.state);
	return true;
}

/* Step 1: libproc2's process table into m->procs / m->nprocs, sorted by
 * pid.  0, or -1 with errno. */
static int proc_scan_list(struct model *m)
{
	ssize_t n = proc_table_read(&m->procs);

	if (n < 0)
		return -1;
	m->nprocs = (size_t)n;
	return 0;
}

/* Read one process's fds (p pinned in dir) into p->fds: 0, or -1 with
 * p->err set (ENOENT/ESRCH: it ended). */
typedef int (*proc_fds_fn)(struct process *p, const struct pid_dir *dir, void *arg);

/* Steps 2-3 of model.c's order for one process: pin and check, read its
 * fds with read_fds, unpin at once (the scan's own fds stay a handful
 * however many processes there are; later reads pin again and check the
 * start time: model_pin_again). */
static void scan_one(struct source_ctx *c, struct process *p, proc_fds_fn read_fds, void *arg)
{
	struct pid_dir dir;

	if (!pin_process(c->opt, p, &dir))
		return;
	/* kernel threads have no fd table of their own worth reading */
	if (!p->is_kthread && p->state != 'Z') {
		if (read_fds(p, &dir, arg) < 0 &&
		    (p->err == ENOENT || p->err == ESRCH)) {
			p->gone = true;
			p->err = 0;
		}
		if (!p->err && !p->gone) {
			read_exe_and_limits(p, &dir);
			holds_read(c->holds, p, dir.dirfd);
			if (thread_state_wanted(p))   /* a lock holder: its threads now */
				thread_state_read(&dir, p, true);
		}
	}
	procfs_unpin(&dir);
}

/* Step 5: pin every process read again, start time checked: one that
 * ended is p->gone. */
static void proc_scan_drop_ended(struct model *m)
{
	size_t i;

	for (i = 0; i < m->nprocs; i++) {
		struct process *p = &m->procs[i];
		if (p->gone || p->unread)
			continue;
		if (procfs_still_there(m->procroot, p->pid, p->start_time) == 0)
			continue;
		if (errno == ESRCH)
			p->gone = true;
		else if (!p->err)
			p->err = errno;   /* could not be checked: said, not hidden */
	}
}

/* One read of every process, each thread with a scan context of its own
 * (fd.h: mounts, pseudofs names, stat cache, fdinfo buffer). */
struct scan_run {
	struct source_ctx *c;
	struct model *m;
	struct fd_scan_ctx *ctx;   /* one per thread */
};

static int proc_fds(struct process *p, const struct pid_dir *dir, void *arg)
{
	int r = fd_scan_process(p, dir, arg);
	size_t j;

	/* a process with sockets: its network namespace now, while it is
	 * pinned, not by a pin of its own when they are linked (endpoint.h);
	 * unreadable: that pin says why */
	for (j = 0; r == 0 && j < p->nfds; j++)
		if (p->fds[j].kind == KIND_SOCKET) {
			if (procfs_netns(dir, &p->netns) < 0)
				p->netns = 0;
			break;
		}
	return r;
}

static void read_one(size_t i, unsigned worker, void *arg)
{
	struct scan_run *r = arg;

	scan_one(r->c, &r->m->procs[i], proc_fds, &r->ctx[worker]);
}

/* Steps 1-3: list, then read every process, on two threads where there
 * are two CPUs: each writes only its process's record, so which thread
 * read which changes nothing in the model. */
static int proc_read(struct source_ctx *c, struct model *m)
{
	struct scan_run r = { .c = c, .m = m };
	unsigned nthreads = parallel_threads(SCAN_THREADS), t;

	if (proc_scan_list(m) < 0)
		return -1;
	r.ctx = xcalloc(nthreads, sizeof(*r.ctx));
	for (t = 0; t < nthreads; t++)
		fd_scan_ctx_init(&r.ctx[t], c->opt->procroot);
	parallel_for(m->nprocs, nthreads, read_one, &r);
	for (t = 0; t < nthreads; t++)
		fd_scan_ctx_free(&r.ctx[t]);
	free(r.ctx);
	return 0;
}

static int kcmp_items(const struct ofd_item *a, const struct ofd_item *b, int *err, void *ctx)
{
	int r = kcmp_file(a->pid, a->fd, b->pid, b->fd);

	(void)ctx;
	if (r == -2) {
		*err = errno;
		return OFD_CMP_ERROR;
	}
	return r;
}

/* The bucket key: what must be equal for two fds to be one description.
 * Not pos nor the status flags: another process may move the offset or
 * fcntl(F_SETFL) between our reads of two fds of one description, and we
 * must not split it.  Anon inodes (eventfd, epoll, timerfd ...) all share
 * one inode, so their link text and eventfd id split them further. */
static void make_key(const struct fd_entry *f, unsigned long long key[OFD_KEY_WORDS])
{
	unsigned accmode = (unsigned)f->access;   /* access mode and O_PATH */

	key[0] = ((unsigned long long)(unsigned)f->mnt_id << 32) | accmode;
	key[1] = f->ino;
	key[2] = kind_class(f->kind) == KC_ANON ? hash_bytes(f->target, f->target_len) : 0;
	key[3] = fd_details_of(f)->have_eventfd ? (unsigned long long)(fd_details_of(f)->eventfd_id + 1) : 0;
}

/* Whom to ask first inside a bucket (ofd.h): fds of one description read
 * close together mostly show one pos and one set of status flags. */
static unsigned long long make_hint(const struct fd_entry *f)
{
	return f->pos * 0x100000001b3ull ^ f->status;
}

/* Steps 4-5: group by kcmp, then drop whole every process that ended. */
static void proc_describe(struct source_ctx *c, struct model *m)
{
	const struct model_options *o = c->opt;
	struct ofd_item *items = NULL;
	struct ofd_group_info *info = NULL;
	struct ofd_ops ops = { .cmp = kcmp_items, .enabled = o->use_kcmp,
			       .threads = parallel_threads(SCAN_THREADS) };
	size_t n = 0, cap = 0, ninfo = 0, i, j;

	for (i = 0; i < m->nprocs; i++) {
		struct process *p = &m->procs[i];
		for (j = 0; j < p->nfds; j++) {
			struct fd_entry *f = &p->fds[j];
			if (!f->have_facts)
				continue;
			grow_array((void **)&items, &cap, n + 1, sizeof(*items));
			make_key(f, items[n].key);
			items[n].hint = make_hint(f);
			items[n].pid = p->pid;
			items[n].fd = f->fd;
			items[n].user = f;
			items[n].group = -1;
			n++;
		}
	}
	/* -p alone: prove only what can involve the selection (proc_pick.h) */
	if (o->narrow && o->npids) {
		n = proc_pick_items(m, items, n);
		m->narrowed = true;
	}
	ofd_group_items(items, n, &ops, &info, &ninfo);
	m->kcmp_calls = ops.calls;
	m->kcmp = !o->use_kcmp ? KCMP_DISABLED : ops.saw_enosys ? KCMP_UNAVAILABLE
		: ops.saw_eperm ? KCMP_PARTIAL_EPERM : KCMP_OK;
	/* step 5: anything that ended since it was read is dropped whole */
	proc_scan_drop_ended(m);
	model_set_ofds(m, items, n, info, ninfo, PROOF_KCMP);
	free(items);
	free(info);
}

const struct fd_source proc_source = { "proc", proc_read, proc_describe };
