/* bpf_source.c - the BPF source (source.h): every fd of every process from
 * the task_file iterator (bpf_scan.h), the processes from libproc2 as the
 * /proc source lists them (proc_scan.h), the open file descriptions named by
 * the kernel itself (PROOF_KERNEL: no kcmp call at all).
 *
 * Order (model.c's steps 1, 2 and 5; the iterator replaces 3 and 4):
 *   load       the programs are loaded first: a refusal (not root, no BTF,
 *              lockdown, a container, the verifier) fails the source before
 *              anything is read, and says why (source_ctx.why)
 *   list       libproc2's process table, as the /proc source reads it
 *   iterate    the task iterator (pid + start time of every process), then the
 *              task_file iterator (every fd); both after the listing, so every
 *              listed process still alive was seen
 *   per process  pinned and checked as the /proc source does; a process the
 *              task iterator did not see, or saw with another start time (its
 *              PID was reused), ended: gone.  Its fds are the iterator's
 *              records, decoded into neutral facts; fdinfo is read (through
 *              the pinned dir) only for fds whose kind has details the iterator
 *              does not give, and for the locks of a file only where the
 *              iterator could not read them from the kernel's lists itself;
 *              /proc/PID/maps is read (holds.h) only of the processes the
 *              task_vma iterator saw map deleted code, unless PATHs are asked
 *   describe   one description per struct file (bpf_scan's small ids), proof
 *              kernel; then every process is pinned again and dropped whole
 *              if it ended, as with /proc.
 *
 * What the records give is what fdinfo and readlink give (files.bpf.c says
 * field by field); the inode attributes are shown where the /proc source
 * stat()s (files on local file systems), not elsewhere, so the two sources
 * print the same answer (tests/cases/120-source-compare.sh). */
#include "scan/source.h"
#include "scan/bpf_scan.h"
#include "scan/bpf_locks.h"
#include "scan/holds.h"
#include "scan/mounts.h"
#include "kinds/kind_scan.h"
#include "kinds/kind_tty.h"
#include "scan/proc.h"
#include "scan/proc_scan.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#define FDINFO_BUF (256 * 1024)   /* epoll and inotify fdinfo can list thousands of entries */

/* f_flags in the kernel's values (record.h's FDF_* and these). */
#define K_ACCMODE   03u
#define K_CLOEXEC   02000000u
#define K_PATH      010000000u

/* Between read and describe. */
struct bpf_state {
	struct bpf_scan scan;
	struct mount_table *mounts;
	char *buf;                    /* FDINFO_BUF bytes of fdinfo scratch */
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
static ssize_t read_details(struct fd_entry *f, const struct pid_dir *dir, struct bpf_state *st)
{
	struct fdinfo fi;
	ssize_t n = procfs_fd_info(dir, f->fd, st->buf, FDINFO_BUF);

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

/* One record into neutral facts, as the /proc source would have read them. */
static void fill_fd(struct fd_entry *f, const struct bpf_fd *r, const struct pid_dir *dir,
		    struct bpf_state *st)
{
	static const enum fd_access by_accmode[] = { ACCESS_R, ACCESS_W, ACCESS_RW, ACCESS_UNKNOWN };
	ssize_t n;

	f->fd = r->fd;
	if (r->path) {
		f->target = xmemdup0(r->path, r->path_len);
		f->target_len = r->path_len;
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
			snprintf(f->stat_skipped, sizeof(f->stat_skipped), "%s", mi->fstype);
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
		if (f->kind == KIND_SOCKET)
			memcpy(f->sock_proto, r->proto, sizeof(f->sock_proto));
	}
	/* the locks fdinfo shows on this fd came with the record (bpf_locks.h),
	 * unless the program could not tell them exactly */
	n = needs_fdinfo(f) || r->locks_unread ? read_details(f, dir, st) : -1;
	if (n < 0 && r->nlocks) {
		struct fd_details d = fd_details_none;
		bpf_locks_details(&st->scan, r, &d);
		fd_details_release(f->details);
		f->details = fd_details_keep(&d);
	}
	/* the kind table's details (namespaces, BPF objects, io_uring, ptys,
	 * tun/tap, message queues), as the /proc source adds them, with the
	 * mount table loaded above */
	kind_refine(f, n >= 0 ? st->buf : NULL, n >= 0 ? (size_t)n : 0, st->mounts);
}

/* proc_scan_each's reader: p's fds from the records. */
static int read_fds(struct process *p, const struct pid_dir *dir, void *arg)
{
	struct bpf_state *st = arg;
	const struct subreaper_flag *t = bpf_scan_task(&st->scan, p->pid);
	const struct bpf_fd *r;
	size_t n, i;

	if (!t || t->start_time != p->start_time) {
		/* ended before the iterator ran, or its PID is a newcomer's now */
		p->err = ESRCH;
		errno = ESRCH;
		return -1;
	}
	r = bpf_scan_process(&st->scan, p->pid, &n);
	p->fds = xcalloc(n + 1, sizeof(*p->fds));
	p->nfds = n;
	for (i = 0; i < n; i++) {
		p->fds[i].proc = p;
		fill_fd(&p->fds[i], &r[i], dir, st);
	}
	return 0;
}

/* holds_maps_fn: p maps code maps would show as deleted (vmas.bpf.c). */
static bool maps_worth_reading(void *arg, const struct process *p)
{
	return bpf_scan_maps_deleted(arg, p->pid);
}

static void state_free(struct bpf_state *st)
{
	if (!st)
		return;
	bpf_scan_free(&st->scan);
	mounts_free(st->mounts);
	free(st->buf);
	free(st);
}

/* The listing, forgotten: a refused source leaves the model empty. */
static void forget_listing(struct model *m)
{
	size_t i;

	for (i = 0; i < m->nprocs; i++)
		proc_free_fields(&m->procs[i]);
	free(m->procs);
	m->procs = NULL;
	m->nprocs = 0;
}

/* The programs, loaded at the first scan and kept for the next ones
 * (--interval scans again and again): the process's, never closed. */
static struct bpf_scanner *loaded;

static int bpf_read(struct source_ctx *c, struct model *m)
{
	struct bpf_scan_options so = { .files = true, .paths = true, .subreapers = true, .maps = true };
	struct bpf_state *st;
	int err;

	if (!bpf_scan_procroot_ours(c->opt->procroot)) {
		snprintf(c->why, sizeof(c->why), "%s is not the /proc of fdshare's pid namespace",
			 c->opt->procroot);
		errno = EXDEV;
		return -1;
	}
	st = xcalloc(1, sizeof(*st));
	if (!loaded && bpf_scanner_open(&so, &loaded, c->why, sizeof(c->why)) < 0)
		goto fail;
	if (proc_scan_list(m) < 0) {
		snprintf(c->why, sizeof(c->why), "the process table could not be read");
		goto fail;
	}
	if (bpf_scanner_run(loaded, &st->scan, c->why, sizeof(c->why)) < 0) {
		err = errno;
		forget_listing(m);
		errno = err;
		goto fail;
	}
	st->mounts = mounts_new();
	st->buf = xmalloc(FDINFO_BUF);
	if (c->holds)
		holds_take_maps_from(c->holds, maps_worth_reading, &st->scan);
	proc_scan_each(c, m, read_fds, st);
	if (c->holds)
		holds_take_maps_from(c->holds, NULL, NULL);
	c->state = st;
	return 0;
fail:
	err = errno;
	state_free(st);
	errno = err;
	return -1;
}

static void bpf_describe(struct source_ctx *c, struct model *m)
{
	struct bpf_state *st = c->state;
	struct ofd_item *items = NULL;
	struct ofd_group_info *info;
	size_t n = 0, cap = 0, i, j;

	info = xcalloc(st->scan.nfiles + 1, sizeof(*info));
	for (i = 0; i < st->scan.nfiles; i++)
		info[i].verified = true;
	for (i = 0; i < m->nprocs; i++) {
		struct process *p = &m->procs[i];
		const struct bpf_fd *r;
		size_t nr;
		if (p->gone || !p->fds)
			continue;
		r = bpf_scan_process(&st->scan, p->pid, &nr);
		for (j = 0; j < p->nfds && j < nr; j++) {
			grow_array((void **)&items, &cap, n + 1, sizeof(*items));
			memset(&items[n], 0, sizeof(items[n]));
			items[n].pid = p->pid;
			items[n].fd = p->fds[j].fd;
			items[n].user = &p->fds[j];
			items[n].group = (int)r[j].file_id - 1;
			info[items[n].group].nmembers++;
			n++;
		}
	}
	m->kcmp = KCMP_OK;
	m->kcmp_calls = 0;
	proc_scan_drop_ended(m);
	model_set_ofds(m, items, n, info, st->scan.nfiles, PROOF_KERNEL);
	free(items);
	free(info);
	/* the tree takes the subreaper flags of the same load */
	c->subreapers = st->scan.subreapers;
	c->have_subreapers = true;
	memset(&st->scan.subreapers, 0, sizeof(st->scan.subreapers));
	state_free(st);
	c->state = NULL;
}

const struct fd_source bpf_source = { "bpf", bpf_read, bpf_describe };
