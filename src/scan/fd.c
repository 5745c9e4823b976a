/* fd.c - read one process's fds: link target, fdinfo, and (only on local
 * file systems) a stat of the open file, into struct fd_entry records. */
#include "scan/fd.h"
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

/* The mount of a path fd, loading the process's mount namespace on a miss. */
static const struct mount_info *mount_of(const struct pid_dir *dir, struct mount_table *mounts, int mnt_id)
{
	const struct mount_info *mi = mounts_find(mounts, mnt_id);

	if (!mi && mounts_load_ns(mounts, dir->dirfd) == 0)
		mi = mounts_find(mounts, mnt_id);
	return mi;
}

/* Type of a path fd.  stat() only where it cannot hang (local file systems);
 * returns -1 with errno ENOENT when the fd closed meanwhile. */
static int classify_path(const struct pid_dir *dir, struct fd_entry *f, struct mount_table *mounts)
{
	const struct mount_info *mi = NULL;
	struct stat st;

	if (f->have_facts)
		mi = mount_of(dir, mounts, f->mnt_id);
	/* A mount missing from the holder's mountinfo (the file was opened
	 * before the holder changed mount namespace): cached attributes only. */
	if (mi && mi->remote) {
		snprintf(f->stat_skipped, sizeof(f->stat_skipped), "%s", mi->fstype);
	} else if (procfs_fd_stat(dir, f->fd, mi == NULL, &st) < 0) {
		if (errno == ENOENT)
			return -1;
		snprintf(f->stat_skipped, sizeof(f->stat_skipped), "stat failed");
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

static int classify(const struct pid_dir *dir, struct fd_entry *f, struct mount_table *mounts)
{
	if (fd_on_path(f))
		return classify_path(dir, f, mounts);
	f->kind = kind_recognise(f->target, f->target_len, false, 0);
	/* which dump holds a socket, known even where sock_diag is not */
	if (f->kind == KIND_SOCKET)
		procfs_fd_sockproto(dir, f->fd, f->sock_proto, sizeof(f->sock_proto));
	return 0;
}

static bool is_denied(int err)
{
	return err == EACCES || err == EPERM;
}

/* Read one fd; returns 1 to keep it, 0 to drop it (it closed meanwhile). */
static int read_one_fd(const struct pid_dir *dir, struct fd_entry *f, struct mount_table *mounts,
		       char *buf, size_t cap)
{
	struct fdinfo fi;
	ssize_t n;

	n = procfs_fd_link(dir, f->fd, &f->target);
	if (n < 0) {
		if (errno == ENOENT || errno == ESRCH)
			return 0;
		f->err = errno;
		return 1;
	}
	f->target_len = (size_t)n;
	n = procfs_fd_info(dir, f->fd, buf, cap);
	if (n < 0) {
		if (errno == ENOENT || errno == ESRCH)
			return 0;
		f->err = errno;
	} else if (parse_fdinfo(buf, (size_t)n, &fi) < 0) {
		f->err = EINVAL;
	} else {
		take_fdinfo(f, &fi);
	}
	if (classify(dir, f, mounts) < 0)
		return 0;
	kind_refine(f, n >= 0 ? buf : NULL, n >= 0 ? (size_t)n : 0, mounts);
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

int fd_scan_process(struct process *p, const struct pid_dir *dir, struct mount_table *mounts,
		    char *buf, size_t cap)
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
		if (!read_one_fd(dir, f, mounts, buf, cap)) {
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
