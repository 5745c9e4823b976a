/* fd.c - read one process's fds: fdinfo, link target (made from fdinfo
 * for pipes, sockets and anon inodes: pseudofs.h), and (only on local file
 * systems, once per file) a stat of the open file, into struct fd_entry
 * records. */
#include "scan/fd.h"
#include "base/intern.h"
#include "base/util.h"
#include "kinds/kind_scan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* fdinfo prints the kernel's f_flags: the kernel's values (model.h's FDF_*),
 * with the access mode, O_PATH and this fd's O_CLOEXEC beside them. */
#define K_ACCMODE   03u
#define K_CLOEXEC   02000000u
#define K_PATH      010000000u

/* The description's facts from fdinfo's four lines; its kind details move
 * into the record. */
static void take_fdinfo(struct fd_entry *f, struct fdinfo *fi)
{
	static const enum fd_access by_accmode[] = { ACCESS_R, ACCESS_W, ACCESS_RW, ACCESS_UNKNOWN };

	fd_details_release(f->details);
	f->details = fd_details_keep(&fi->d);
	f->have_facts = fi->have_basic;
	if (!f->have_facts)
		return;
	f->access = fi->flags & K_PATH ? ACCESS_PATH : by_accmode[fi->flags & K_ACCMODE];
	f->cloexec = (fi->flags & K_CLOEXEC) != 0;
	f->status = fi->flags & ~(K_ACCMODE | K_CLOEXEC | K_PATH);
	f->pos = fi->pos;
	f->mnt_id = fi->mnt_id;
	f->ino = fi->ino;
}

/* stat of a path fd's file: once per file (mount id, inode) in a scan. */
static int stat_file(const struct pid_dir *dir, struct fd_entry *f, bool cached_only,
		     struct stat_cache *stats, struct stat *st)
{
	if (!f->have_facts)
		return procfs_fd_stat(dir, f->fd, cached_only, st);
	if (stat_cache_find(stats, f->mnt_id, f->ino, st))
		return 0;
	if (procfs_fd_stat(dir, f->fd, cached_only, st) < 0)
		return -1;
	/* kept only when the inode is the one fdinfo named: the fd may have
	 * been closed and reused in between (and on overlayfs fdinfo names
	 * the real file's inode, the stat the overlay's: not kept either) */
	if ((unsigned long long)st->st_ino == f->ino)
		stat_cache_add(stats, f->mnt_id, f->ino, st);
	return 0;
}

/* Type of a path fd.  stat() only where it cannot hang (local file systems);
 * returns -1 with errno ENOENT when the fd closed meanwhile. */
static int classify_path(const struct pid_dir *dir, struct fd_entry *f, struct fd_scan_ctx *c)
{
	const struct mount_info *mi = NULL;
	struct stat st;

	if (f->have_facts)
		mi = mounts_find_in(c->mounts, f->mnt_id, dir->dirfd);
	/* A mount missing from the holder's mountinfo (the file was opened
	 * before the holder changed mount namespace): cached attributes only. */
	if (mi && mi->remote) {
		f->stat_skipped = mi->fstype[0] ? intern(mi->fstype) : NULL;
	} else if (stat_file(dir, f, mi == NULL, c->stats, &st) < 0) {
		if (errno == ENOENT)
			return -1;
		f->stat_skipped = intern("stat failed");
	} else {
		f->have_stat = true;
		f->st_mode = st.st_mode;
		f->st_dev = st.st_dev;
		f->st_rdev = st.st_rdev;
		f->st_size = st.st_size;
		f->st_nlink = st.st_nlink;
	}
	f->kind = kind_recognise(f->target, f->target_len, f->have_stat, f->st_mode);
	/* " (deleted)" could be part of a real name: trust nlink when we have
	 * it.  An O_TMPFILE file (cron's job output) was never linked, so
	 * never deleted, though its link text says so. */
	f->deleted = kind_target_says_deleted(f->target, f->target_len) &&
		(!f->have_stat || f->st_nlink == 0) && !(f->status & FDF_TMPFILE);
	return 0;
}

static int classify(const struct pid_dir *dir, struct fd_entry *f, struct fd_scan_ctx *c)
{
	if (fd_on_path(f))
		return classify_path(dir, f, c);
	f->kind = kind_recognise(f->target, f->target_len, false, 0);
	/* which dump holds a socket, known even where sock_diag is not */
	if (f->kind == KIND_SOCKET) {
		char proto[16];
		if (procfs_fd_sockproto(dir, f->fd, proto, sizeof(proto)) > 0)
			f->sock_proto = intern(proto);
	}
	return 0;
}

static bool is_denied(int err)
{
	return err == EACCES || err == EPERM;
}

/* The fd's link text: made from fdinfo where that tells it all (pipes,
 * sockets, anon inodes: pseudofs.h), else readlink.  n is the fdinfo text's
 * length in c->buf, -1 when it could not be read.  0, or -1 with errno. */
static int read_target(const struct pid_dir *dir, struct fd_entry *f, struct fd_scan_ctx *c,
		       ssize_t n)
{
	char made[64];
	enum pseudofs_name check = PSEUDOFS_NAME_NONE;
	size_t len = 0;
	ssize_t r;

	if (n >= 0 && f->have_facts)
		len = pseudofs_link(&c->pseudo, c->buf, (size_t)n, f->mnt_id, f->ino,
				    made, sizeof(made), &check);
	if (len && check == PSEUDOFS_NAME_NONE) {
		f->target = xmemdup0(made, len);
		f->target_len = len;
		return 0;
	}
	r = procfs_fd_link(dir, f->fd, &f->target);
	if (r < 0)
		return -1;
	f->target_len = (size_t)r;
	if (len)
		pseudofs_checked(&c->pseudo, check, made, len, f->target, f->target_len);
	return 0;
}

/* Read one fd: fdinfo first (its mount id may spare the readlink), then
 * the link text; returns 1 to keep it, 0 to drop it (it closed meanwhile). */
static int read_one_fd(const struct pid_dir *dir, struct fd_entry *f, struct fd_scan_ctx *c)
{
	struct fdinfo fi;
	ssize_t n = procfs_fd_info(dir, f->fd, c->buf, c->cap);

	if (n < 0) {
		if (errno == ENOENT || errno == ESRCH)
			return 0;
		f->err = errno;
	} else if (parse_fdinfo(c->buf, (size_t)n, &fi) < 0) {
		f->err = EINVAL;
	} else {
		take_fdinfo(f, &fi);
	}
	if (read_target(dir, f, c, n) < 0) {
		if (errno == ENOENT || errno == ESRCH)
			return 0;
		f->err = errno;
		return 1;
	}
	if (classify(dir, f, c) < 0)
		return 0;
	kind_refine(f, n >= 0 ? c->buf : NULL, n >= 0 ? (size_t)n : 0, c->mounts);
	return 1;
}

/* The fd/ folder listed, but its links are refused (a process we may not
 * ptrace-read, e.g. PID 1 in some sandboxes): one error for the process,
 * not one per fd. */
static int refuse_all(struct process *p, int err)
{
	size_t i;

	for (i = 0; i < p->nfds; i++) {
		free(p->fds[i].target);
		fd_details_release(p->fds[i].details);
	}
	p->nfds = 0;
	p->err = err;
	errno = err;
	return -1;
}

/* Move the fds and their targets into one block, targets packed after the
 * records: one allocation per process instead of one per fd (each with its
 * malloc header and rounding), and the records trimmed to the fds kept.
 * free(p->fds) then frees the targets too (p->fd_targets_packed). */
static void pack_targets(struct process *p)
{
	size_t i, head = p->nfds * sizeof(*p->fds), bytes = 0;
	char *block, *d;

	for (i = 0; i < p->nfds; i++)
		if (p->fds[i].target)
			bytes += p->fds[i].target_len + 1;
	block = xmalloc(head + bytes + 1);
	memcpy(block, p->fds, head);
	free(p->fds);
	p->fds = (struct fd_entry *)(void *)block;
	d = block + head;
	for (i = 0; i < p->nfds; i++) {
		struct fd_entry *f = &p->fds[i];
		if (!f->target)
			continue;
		memcpy(d, f->target, f->target_len + 1);
		free(f->target);
		f->target = d;
		d += f->target_len + 1;
	}
	p->fd_targets_packed = true;
}

void fd_scan_ctx_init(struct fd_scan_ctx *c, const char *procroot)
{
	c->mounts = mounts_new();
	pseudofs_learn(&c->pseudo, procroot);
	c->stats = stat_cache_new();
	c->cap = 256 * 1024;   /* epoll and inotify fdinfo can list thousands of entries */
	c->buf = xmalloc(c->cap);
}

void fd_scan_ctx_free(struct fd_scan_ctx *c)
{
	mounts_free(c->mounts);
	stat_cache_free(c->stats);
	free(c->buf);
	memset(c, 0, sizeof(*c));
}

int fd_scan_process(struct process *p, const struct pid_dir *dir, struct fd_scan_ctx *c)
{
	int *nums = NULL;
	ssize_t n = procfs_list_fds(dir, &nums);
	size_t i;

	if (n < 0) {
		p->err = errno;
		return -1;
	}
	p->fds = xcalloc((size_t)n, sizeof(*p->fds));
	p->nfds = 0;
	for (i = 0; i < (size_t)n; i++) {
		struct fd_entry *f = &p->fds[p->nfds];
		memset(f, 0, sizeof(*f));
		f->fd = nums[i];
		f->proc = p;
		if (!read_one_fd(dir, f, c)) {
			free(f->target);
			fd_details_release(f->details);
			continue;
		}
		p->nfds++;
		if (p->nfds == 1 && !f->target && is_denied(f->err)) {
			free(nums);
			return refuse_all(p, f->err);
		}
	}
	free(nums);
	pack_targets(p);
	return 0;
}
