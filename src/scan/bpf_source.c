/* bpf_source.c - the BPF source (source.h): every process from the task
 * iterator and every fd of every process from the task_file iterator
 * (bpf_scan.h, bpf_tasks.h), the open file descriptions named by the kernel
 * itself (PROOF_KERNEL: no kcmp call at all).
 *
 * Order (the iterators replace model.c's steps 1, 3 and 4):
 *   load       the programs are loaded first: a refusal (not root, no BTF,
 *              lockdown, a container, the verifier) fails the source before
 *              anything is read, and says why (source_ctx.why)
 *   iterate    the task iterators (every process's facts and arguments),
 *              then the task_file one (every fd): a process listed and
 *              still alive was seen by the second
 *   per process  on two threads, each with its own mount table and fdinfo
 *              scratch: /proc/PID pinned and checked by the iterator's start
 *              time (one that ended, or whose PID is a newcomer's, is gone);
 *              its fds are the iterator's records, decoded into neutral facts;
 *              through the pinned dir only what no record carries: fdinfo for
 *              fds whose kind has details the iterator does not give, and for
 *              the locks of a file only where the iterator could not read them
 *              from the kernel's lists itself; the exe link; /proc/PID/maps
 *              (holds.h) only of the processes the task_vma iterator saw map
 *              deleted code, unless PATHs are asked; and arguments the records
 *              left out.  Zombies need none.
 *   describe   one description per struct file (bpf_scan's small ids), proof
 *              kernel (no second pin of every process: bpf_describe says why).
 * -p alone narrows the task_file iterator and the per-process reads to what
 * relates to the selection (bpf_pick.h); every process is still listed.
 *
 * What the records give is what fdinfo and readlink give (files.bpf.c says
 * field by field); the inode attributes are shown where the /proc source
 * stat()s (files on local file systems), not elsewhere, so the two sources
 * print the same answer (tests/cases/120-source-compare.sh). */
#include "scan/source.h"
#include "scan/bpf_scan.h"
#include "scan/bpf_pick.h"
#include "scan/bpf_locks.h"
#include "scan/thread_state.h"
#include "scan/holds.h"
#include "scan/mounts.h"
#include "kinds/kind_scan.h"
#include "kinds/kind_tty.h"
#include "scan/bpf_tasks.h"
#include "scan/bpf_unseen.h"
#include "scan/parse.h"
#include "scan/proc.h"
#include "scan/procfs.h"
#include "base/intern.h"
#include "base/parallel.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define FDINFO_BUF (256 * 1024)   /* epoll and inotify fdinfo can list thousands of entries */

/* f_flags in the kernel's values (record.h's FDF_* and these). */
#define K_ACCMODE   03u
#define K_CLOEXEC   02000000u
#define K_PATH      010000000u

#define SCAN_THREADS 2   /* as the /proc source: the machines we measure have two cores */

/* One scan thread's own: the mount table (mounts_find_in() loads a mount
 * namespace into it on a miss, so it is not shared) and fdinfo scratch. */
struct bpf_scratch {
	struct mount_table *mounts;
	char *buf;                    /* FDINFO_BUF bytes of fdinfo scratch */
};

/* Between read and describe. */
struct bpf_state {
	struct bpf_scan scan;
	struct bpf_scratch *scratch;  /* one per thread */
	unsigned nthreads;
	bool *args_read;              /* per process: its arguments came from the records */
	bool *done;                   /* per process: read already (read_early) */
	size_t next_early;            /* the next process read_early takes */
	bool listed;                  /* list_processes() ran */
	struct bpf_task_clock clock;
	struct bpf_pick pick;         /* a narrowed -p scan's fd counts */
	struct source_ctx *c;
	struct model *m;
};

/* Whether an fd's kind has details only fdinfo gives: the anon inodes
 * (eventfd count, epoll targets, timerfd, signalfd mask, inotify and
 * fanotify marks, pidfd).  Files, pipes and sockets have none the record
 * lacks: even the locks fdinfo shows come with it (bpf_fd.nlocks). */
static bool needs_fdinfo(const struct fd_entry *f)
{
	if (kind_class(f->kind) == KC_ANON)
		return true;
	/* a pty master's index and a tun device's interface (kind_tty.h) */
	return f->kind == KIND_CHR && f->have_stat && chr_kind_of(f->st_rdev) != CHR_PLAIN;
}

/* The kind details (and lock lines) from fdinfo, through the pinned dir;
 * its text stays in st->buf for kind_refine().  Returns its length, or -1
 * when it could not be read: the fd closed meanwhile (it is kept with the
 * iterator's facts) or f->err says why. */
static ssize_t read_details(struct fd_entry *f, const struct pid_dir *dir, struct bpf_scratch *st)
{
	struct fdinfo fi;
	char name[32];
	ssize_t n;

	/* through the pinned /proc/PID itself: its fdinfo/ dir is not opened
	 * for the few fds that need it */
	snprintf(name, sizeof(name), "fdinfo/%d", f->fd);
	n = procfs_read_at(dir->dirfd, name, st->buf, FDINFO_BUF);

	if (n < 0) {
		if (errno != ENOENT && errno != ESRCH)
			f->err = errno;
		return -1;
	}
	if (parse_fdinfo(st->buf, (size_t)n, &fi) < 0) {
		f->err = EINVAL;
		return -1;
	}
	fd_details_release(f->details);
	f->details = fd_details_keep(&fi.d);
	fdinfo_free(&fi);
	return n;
}

/* One record into neutral facts, as the /proc source would have read them;
 * its path copied to *text, which moves past it. */
static void fill_fd(struct fd_entry *f, const struct bpf_fd *r, const struct pid_dir *dir,
		    const struct bpf_scan *scan, struct bpf_scratch *st, char **text)
{
	static const enum fd_access by_accmode[] = { ACCESS_R, ACCESS_W, ACCESS_RW, ACCESS_UNKNOWN };
	ssize_t n;

	f->fd = r->fd;
	if (r->path) {
		f->target = *text;
		f->target_len = r->path_len;
		memcpy(*text, r->path, r->path_len);
		(*text)[r->path_len] = '\0';
		*text += r->path_len + 1;
	} else {
		f->err = r->path_err ? r->path_err : EIO;
	}
	f->have_facts = true;
	f->access = r->flags & K_PATH ? ACCESS_PATH : by_accmode[r->flags & K_ACCMODE];
	f->cloexec = r->cloexec;
	f->status = r->flags & ~(K_ACCMODE | K_CLOEXEC | K_PATH);
	f->pos = r->pos;
	f->mnt_id = r->mnt_id;
	f->ino = r->ino;
	if (f->target && fd_on_path(f)) {
		const struct mount_info *mi = mounts_find_in(st->mounts, r->mnt_id, dir->dirfd);
		/* where the /proc source would not stat() (it could hang), the
		 * attributes stay unshown here too: one answer from both */
		if (mi && mi->remote) {
			f->stat_skipped = mi->fstype[0] ? intern(mi->fstype) : NULL;
		} else {
			f->have_stat = true;
			f->st_mode = r->i_mode;
			f->st_dev = r->dev;
			f->st_rdev = r->rdev;
			f->st_size = r->size;
			f->st_nlink = r->nlink;
		}
		f->kind = kind_recognise(f->target, f->target_len, f->have_stat, f->st_mode);
		f->deleted = kind_target_says_deleted(f->target, f->target_len) &&
			(!f->have_stat || f->st_nlink == 0) && !(f->status & FDF_TMPFILE);
	} else {
		f->kind = kind_recognise(f->target, f->target_len, false, 0);
		if (f->kind == KIND_SOCKET && r->proto[0])
			f->sock_proto = intern(r->proto);
	}
	/* the locks fdinfo shows on this fd came with the record (bpf_locks.h),
	 * unless the program could not tell them exactly */
	n = needs_fdinfo(f) || r->locks_unread ? read_details(f, dir, st) : -1;
	if (n < 0 && r->nlocks) {
		struct fd_details d = fd_details_none;
		bpf_locks_details(scan, r, &d);
		fd_details_release(f->details);
		f->details = fd_details_keep(&d);
	}
	/* the kind table's details (namespaces, BPF objects, io_uring, ptys,
	 * tun/tap, message queues), as the /proc source adds them, with the
	 * mount table loaded above */
	kind_refine(f, n >= 0 ? st->buf : NULL, n >= 0 ? (size_t)n : 0, st->mounts);
}

/* p's fds from the records. */
static void read_fds(struct process *p, const struct pid_dir *dir, const struct bpf_scan *scan,
		     struct bpf_scratch *st)
{
	const struct bpf_fd *r;
	size_t n, i, bytes = 0;
	char *block, *text;

	r = bpf_scan_process(scan, p->pid, &n);
	/* the records and their targets in one block, as the /proc source
	 * packs them (proc.h: fd_targets_packed): one allocation per process */
	for (i = 0; i < n; i++)
		if (r[i].path)
			bytes += r[i].path_len + 1;
	block = xcalloc(1, (n + 1) * sizeof(*p->fds) + bytes);
	p->fds = (struct fd_entry *)(void *)block;
	p->fd_targets_packed = true;
	p->nfds = n;
	text = block + (n + 1) * sizeof(*p->fds);
	for (i = 0; i < n; i++) {
		p->fds[i].proc = p;
		fill_fd(&p->fds[i], &r[i], dir, scan, st, &text);
		/* its description's small id, until bpf_describe() groups by it:
		 * the records are freed before that */
		p->fds[i].ofd = (int)r[i].file_id;
	}
}

/* One process, on one of the scan threads: what the records lack, through
 * its /proc dir pinned and checked by the iterator's start time.  A zombie
 * needs nothing of /proc (no fds, no arguments, no program); a kernel
 * thread only its name. */
static void read_one(size_t i, unsigned worker, void *arg)
{
	struct bpf_state *st = arg;
	struct process *p = &st->m->procs[i];
	struct pid_dir dir;

	if ((p->state == 'Z' && !p->is_kthread) || p->unread || p->err || st->done[i])
		return;
	if (bpf_tasks_pin(st->c->opt->procroot, p, &dir) < 0)
		return;
	if (!p->is_kthread) {
		read_fds(p, &dir, &st->scan, &st->scratch[worker]);
		bpf_tasks_read_rest(p, &dir, st->args_read[i]);
		holds_read(st->c->holds, p, dir.dirfd);
		if (thread_state_wanted(p))   /* a lock holder: its threads now, not pinned again */
			thread_state_read(&dir, p, true);
	}
	procfs_unpin(&dir);
}

/* Read p's fds again from the records, replaced since read_one took them
 * (bpf_scan.h: again): the rest it read stays. */
static void reread_fds(struct bpf_state *st, struct process *p)
{
	struct pid_dir dir;

	proc_free_fds(p);
	if (p->gone || p->err || bpf_tasks_pin(st->c->opt->procroot, p, &dir) < 0)
		return;
	read_fds(p, &dir, &st->scan, &st->scratch[0]);
	procfs_unpin(&dir);
}

static int cmp_proc_pid(const void *a, const void *b)
{
	const struct process *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* holds_maps_fn: p maps code maps would show as deleted (vmas.bpf.c). */
static bool maps_worth_reading(void *arg, const struct process *p)
{
	return bpf_scan_maps_deleted(arg, p->pid);
}

static void state_free(struct bpf_state *st)
{
	unsigned t;

	if (!st)
		return;
	bpf_scan_free(&st->scan);
	bpf_pick_free(&st->pick);
	for (t = 0; st->scratch && t < st->nthreads; t++) {
		mounts_free(st->scratch[t].mounts);
		free(st->scratch[t].buf);
	}
	free(st->scratch);
	free(st->args_read);
	free(st->done);
	free(st);
}

/* FDSHARE_TEST_UNLIST_PID=N, for tests only: drop process N from the task
 * records, as a kernel whose iterators do not visit it would (bpf_unseen.h:
 * the test suite checks that it is listed from /proc, unread, and said). */
static void unlist_for_tests(struct model *m)
{
	const char *env = getenv("FDSHARE_TEST_UNLIST_PID");
	int pid;
	size_t i;

	if (!env || parse_pid_name(env, &pid) < 0)
		return;
	for (i = 0; i < m->nprocs; i++)
		if (m->procs[i].pid == pid) {
			proc_free_fields(&m->procs[i]);
			memmove(&m->procs[i], &m->procs[i + 1], (m->nprocs - i - 1) * sizeof(*m->procs));
			m->nprocs--;
			return;
		}
}

/* The processes from the task records (and their arguments from the
 * cmdline ones), each thread's scratch, which maps are worth reading. */
static void list_processes(struct bpf_state *st)
{
	struct source_ctx *c = st->c;
	struct model *m = st->m;
	unsigned t;

	m->nprocs = bpf_tasks_decode(st->scan.task_raw, st->scan.task_len, &st->clock,
				     (int)getpid(), &m->procs, &c->subreapers);
	c->have_subreapers = true;
	unlist_for_tests(m);
	/* what /proc shows and the iterator did not: listed, unread (bpf_unseen.h) */
	bpf_unseen_add(c->opt->procroot, (int)getpid(), bpf_task_ticks(st->scan.tasks_start, &st->clock),
		       (unsigned long long)st->clock.hz * (BPF_MISSED_MARGIN_NS / 1000000000ULL),
		       &m->procs, &m->nprocs);
	st->args_read = xcalloc(m->nprocs + 1, sizeof(*st->args_read));
	st->done = xcalloc(m->nprocs + 1, sizeof(*st->done));
	bpf_tasks_cmdlines(st->scan.cmdline_raw, st->scan.cmdline_len, &st->clock, m->procs,
			   m->nprocs, st->args_read);
	st->nthreads = parallel_threads(SCAN_THREADS);
	st->scratch = xcalloc(st->nthreads, sizeof(*st->scratch));
	for (t = 0; t < st->nthreads; t++) {
		st->scratch[t].mounts = mounts_new();
		st->scratch[t].buf = xmalloc(FDINFO_BUF);
	}
	/* maps only where the task_vma iterator saw deleted code mapped
	 * (holds_read takes a copy of this per process) */
	if (c->holds)
		holds_take_maps_from(c->holds, maps_worth_reading, &st->scan);
	st->listed = true;
}

/* bpf_scan_feed: the task records are in (on the scan's second thread). */
static void feed_tasks_in(void *arg, struct bpf_scan *scan)
{
	(void)scan;
	list_processes(arg);
}

/* bpf_scan_feed: read, on the scan's second thread while the fd iterator
 * still runs on the first, a few of the processes whose records are all
 * in; the others are read after, on both threads. */
static bool feed_fds_upto(void *arg, const struct bpf_scan *scan, int upto)
{
	struct bpf_state *st = arg;
	size_t n = 0;

	(void)scan;
	while (n < 4 && st->next_early < st->m->nprocs && st->m->procs[st->next_early].pid < upto) {
		read_one(st->next_early, st->nthreads - 1, st);
		st->done[st->next_early++] = true;
		n++;
	}
	return n > 0;
}

/* The programs, loaded at the first scan and kept for the next ones
 * (--interval scans again and again): the process's, never closed. */
static struct bpf_scanner *loaded;

static int bpf_read(struct source_ctx *c, struct model *m)
{
	struct bpf_scan_options so = { .files = true, .paths = true, .tasks = true, .maps = true };
	struct bpf_scan_feed feed = { feed_tasks_in, feed_fds_upto, NULL };
	struct bpf_pick_ahead *ahead = NULL;
	struct bpf_state *st;
	size_t i;
	int err;

	if (!bpf_scan_procroot_ours(c->opt->procroot)) {
		snprintf(c->why, sizeof(c->why), "%s is not the /proc of fdshare's pid namespace",
			 c->opt->procroot);
		errno = EXDEV;
		return -1;
	}
	/* the -p filter's tables are sized only for a run that narrows */
	so.pick = c->opt->narrow && c->opt->npids;
	st = xcalloc(1, sizeof(*st));
	st->c = c;
	st->m = m;
	st->clock = (struct bpf_task_clock){ bpf_scan_boottime_offset(), sysconf(_SC_CLK_TCK) };
	feed.arg = st;
	/* -p alone: what the narrowed scan needs of /proc is read while the
	 * programs load (not where they cannot: BPF needs root) */
	if (c->opt->narrow && c->opt->npids && (loaded || geteuid() == 0))
		ahead = bpf_pick_ahead_start(c->opt->procroot, c->opt->pids, c->opt->npids,
					     m->locks_early);
	if (!loaded && bpf_scanner_open(&so, &loaded, c->why, sizeof(c->why)) < 0)
		goto fail;
	m->relocated_by = bpf_scanner_relocated_by(loaded);
	/* the task iterators list the processes while the task_file one
	 * reads their fds, and the processes whose records are all in are
	 * read meanwhile (bpf_scan_feed): a process listed and still alive
	 * that the fd iterator did not see is read again (bpf_scan.h).  -p
	 * alone: the fds only of what relates to the selection (bpf_pick.h),
	 * unless the narrowed scan cannot answer as the whole one would */
	if (c->opt->narrow && c->opt->npids &&
	    bpf_pick_run(loaded, c->opt->pids, c->opt->npids, c->opt->procroot, ahead, &st->scan,
			 &st->pick, m->narrow_refused, sizeof(m->narrow_refused)) == 0)
		m->narrowed = true;
	else if (bpf_scanner_run_fed(loaded, &feed, &st->scan, c->why, sizeof(c->why)) < 0)
		goto fail;
	bpf_pick_ahead_free(ahead);
	ahead = NULL;
	if (!st->listed)
		list_processes(st);
	/* a narrowed scan reads only the processes bpf_pick_these() names:
	 * the others stay listed with the task records' facts, unread */
	if (m->narrowed) {
		bool *these = bpf_pick_these(m, &st->scan, c->opt->pids, c->opt->npids);
		for (i = 0; i < m->nprocs; i++)
			m->procs[i].unread = !these[i];
		free(these);
	}
	/* those read early whose records were replaced since */
	for (i = 0; i < st->scan.nagain; i++) {
		struct process key = { .pid = (int)st->scan.again[i] }, *p;
		p = bsearch(&key, m->procs, m->nprocs, sizeof(key), cmp_proc_pid);
		if (p && st->done[p - m->procs])
			reread_fds(st, p);
	}
	parallel_for(m->nprocs, st->nthreads, read_one, st);
	if (c->holds)
		holds_take_maps_from(c->holds, NULL, NULL);
	bpf_scan_drop_fds(&st->scan);
	if (m->narrowed) {
		bpf_pick_set_counts(m, &st->pick, c->opt->pids, c->opt->npids);
		m->sock_dumps = bpf_pick_take_socks(&st->pick);
	}
	c->state = st;
	return 0;
fail:
	err = errno;
	bpf_pick_ahead_free(ahead);
	state_free(st);
	errno = err;
	return -1;
}

static void bpf_describe(struct source_ctx *c, struct model *m)
{
	struct bpf_state *st = c->state;

	m->kcmp = KCMP_OK;
	m->kcmp_calls = 0;
	/* No second pin of every process here (the /proc source needs one):
	 * the descriptions are the kernel's own struct file pointers, read by
	 * the iterator, not kcmp calls made later that a newcomer taking an
	 * ended process's PID could answer.  Each process was read as the
	 * iterator saw it, and its /proc reads went through a dir checked by
	 * that start time; one that ended after them is shown as it was then
	 * (a snapshot, as every scan is), one that ended before them was
	 * dropped (p->gone, counted as vanished).  read_fds() left each fd's
	 * small id (1..nfiles) in its ofd: the group numbers. */
	model_set_ofd_numbers(m, st->scan.nfiles, NULL, PROOF_KERNEL);
	state_free(st);
	c->state = NULL;
}

const struct fd_source bpf_source = { "bpf", bpf_read, bpf_describe };
