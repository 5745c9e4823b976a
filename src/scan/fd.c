/* fd.c - read one process's fds: link target, fdinfo, and (only on local
 * file systems) a stat of the open file, into struct fd_entry records. */
#include "scan/fd.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* fdinfo prints the kernel's f_flags: use the kernel's values (x86-64 and
 * the generic ABI), not glibc's, which defines O_LARGEFILE as 0 on 64-bit. */
#define K_ACCMODE   03
#define K_APPEND    02000
#define K_NONBLOCK  04000
#define K_DSYNC     010000
#define K_ASYNC     020000
#define K_DIRECT    040000
#define K_LARGEFILE 0100000
#define K_DIRECTORY 0200000
#define K_NOFOLLOW  0400000
#define K_NOATIME   01000000
#define K_CLOEXEC   02000000
#define K_SYNC      04000000
#define K_PATH      010000000
#define K_TMPFILE   020000000

static const char *const type_names[FD_TYPE_COUNT] = {
	[FD_UNKNOWN] = "unknown", [FD_REG] = "reg", [FD_DIR] = "dir",
	[FD_CHR] = "chr", [FD_BLK] = "blk", [FD_FIFO] = "fifo",
	[FD_PIPE] = "pipe", [FD_SOCKET] = "socket", [FD_EVENTFD] = "eventfd",
	[FD_EPOLL] = "epoll", [FD_SIGNALFD] = "signalfd",
	[FD_TIMERFD] = "timerfd", [FD_INOTIFY] = "inotify",
	[FD_FANOTIFY] = "fanotify", [FD_PIDFD] = "pidfd", [FD_MEMFD] = "memfd",
	[FD_ANON] = "anon",
};

const char *fd_type_name(enum fd_type t)
{
	return (unsigned)t < FD_TYPE_COUNT ? type_names[t] : "unknown";
}

const char *fd_mode_name(const struct fd_entry *f)
{
	if (!f->info.have_basic)
		return "?";
	if (f->info.flags & K_PATH)
		return "path";
	switch (f->info.flags & K_ACCMODE) {
	case 0: return "r";
	case 1: return "w";
	case 2: return "rw";
	}
	return "?";
}

int fd_cloexec(const struct fd_entry *f)
{
	return f->info.have_basic && (f->info.flags & K_CLOEXEC) != 0;
}

bool fd_append(const struct fd_entry *f)
{
	return f->info.have_basic && (f->info.flags & K_APPEND) != 0;
}

bool fd_nonblock(const struct fd_entry *f)
{
	return f->info.have_basic && (f->info.flags & K_NONBLOCK) != 0;
}

bool fd_writable(const struct fd_entry *f)
{
	unsigned acc = f->info.flags & K_ACCMODE;

	return f->info.have_basic && !(f->info.flags & K_PATH) && (acc == 1 || acc == 2);
}

size_t fd_flag_names(unsigned flags, const char **names, size_t max)
{
	static const struct { unsigned bit; const char *name; } table[] = {
		{ K_APPEND, "O_APPEND" }, { K_NONBLOCK, "O_NONBLOCK" },
		{ K_DSYNC, "O_DSYNC" }, { K_ASYNC, "O_ASYNC" },
		{ K_DIRECT, "O_DIRECT" }, { K_LARGEFILE, "O_LARGEFILE" },
		{ K_DIRECTORY, "O_DIRECTORY" }, { K_NOFOLLOW, "O_NOFOLLOW" },
		{ K_NOATIME, "O_NOATIME" }, { K_SYNC, "O_SYNC" },
		{ K_PATH, "O_PATH" }, { K_TMPFILE, "O_TMPFILE" },
	};
	size_t i, n = 0;

	for (i = 0; i < ARRAY_LEN(table) && n < max; i++)
		if (flags & table[i].bit)
			names[n++] = table[i].name;
	return n;
}

static enum fd_type type_of_anon(enum anon_kind k)
{
	switch (k) {
	case ANON_EVENTFD: return FD_EVENTFD;
	case ANON_EPOLL: return FD_EPOLL;
	case ANON_SIGNALFD: return FD_SIGNALFD;
	case ANON_TIMERFD: return FD_TIMERFD;
	case ANON_INOTIFY: return FD_INOTIFY;
	case ANON_FANOTIFY: return FD_FANOTIFY;
	case ANON_PIDFD: return FD_PIDFD;
	default: return FD_ANON;
	}
}

static enum fd_type type_of_mode(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG: return FD_REG;
	case S_IFDIR: return FD_DIR;
	case S_IFCHR: return FD_CHR;
	case S_IFBLK: return FD_BLK;
	case S_IFIFO: return FD_FIFO;
	case S_IFSOCK: return FD_SOCKET;
	}
	return FD_UNKNOWN;
}

/* The mount of a path fd, loading the process's mount namespace on a miss. */
static const struct mount_info *mount_of(struct process *p, struct mount_table *mounts, int mnt_id)
{
	const struct mount_info *mi = mounts_find(mounts, mnt_id);

	if (!mi && mounts_load_ns(mounts, p->dir.dirfd) == 0)
		mi = mounts_find(mounts, mnt_id);
	return mi;
}

/* stat of a path fd's file: once per file (mount id, inode) in a scan. */
static int stat_file(struct process *p, struct fd_entry *f, bool cached_only,
		     struct stat_cache *stats, struct stat *st)
{
	if (!f->info.have_basic)
		return procfs_fd_stat(&p->dir, f->fd, cached_only, st);
	if (stat_cache_find(stats, f->info.mnt_id, f->info.ino, st))
		return 0;
	if (procfs_fd_stat(&p->dir, f->fd, cached_only, st) < 0)
		return -1;
	/* kept only when the inode is the one fdinfo named: the fd may have
	 * been closed and reused in between (and on overlayfs fdinfo names
	 * the real file's inode, the stat the overlay's: not kept either) */
	if ((unsigned long long)st->st_ino == f->info.ino)
		stat_cache_add(stats, f->info.mnt_id, f->info.ino, st);
	return 0;
}

/* Type of a path fd.  stat() only where it cannot hang (local file systems);
 * returns -1 with errno ENOENT when the fd closed meanwhile. */
static int classify_path(struct process *p, struct fd_entry *f, struct fd_scan_ctx *c)
{
	const struct mount_info *mi = NULL;
	struct stat st;

	if (f->info.have_basic)
		mi = mount_of(p, c->mounts, f->info.mnt_id);
	/* A mount missing from the holder's mountinfo (the file was opened
	 * before the holder changed mount namespace): cached attributes only. */
	if (mi && mi->remote) {
		snprintf(f->stat_skipped, sizeof(f->stat_skipped), "%s", mi->fstype);
	} else if (stat_file(p, f, mi == NULL, c->stats, &st) < 0) {
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
		f->type = type_of_mode(st.st_mode);
	}
	/* " (deleted)" could be part of a real name: trust nlink when we have
	 * it.  An O_TMPFILE file (cron's job output) was never linked, so
	 * never deleted, though its link text says so. */
	f->deleted = f->link.deleted && (!f->have_stat || f->st_nlink == 0) &&
		!(f->info.have_basic && (f->info.flags & K_TMPFILE));
	return 0;
}

static int classify(struct process *p, struct fd_entry *f, struct fd_scan_ctx *c)
{
	parse_link(f->target, f->target_len, &f->link);
	switch (f->link.kind) {
	case LINK_PIPE: f->type = FD_PIPE; break;
	case LINK_SOCKET:
		f->type = FD_SOCKET;
		/* which dump holds it, known even where sock_diag is not */
		procfs_fd_sockproto(&p->dir, f->fd, f->sock_proto, sizeof(f->sock_proto));
		break;
	case LINK_ANON: f->type = type_of_anon(f->link.anon); break;
	case LINK_MEMFD: f->type = FD_MEMFD; break;
	case LINK_PATH: return classify_path(p, f, c);
	case LINK_OTHER: f->type = FD_UNKNOWN; break;
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
static int read_target(struct process *p, struct fd_entry *f, struct fd_scan_ctx *c, ssize_t n)
{
	char made[64];
	enum pseudofs_name check = PSEUDOFS_NAME_NONE;
	size_t len = 0;
	ssize_t r;

	if (n >= 0 && f->info.have_basic)
		len = pseudofs_link(&c->pseudo, c->buf, (size_t)n, f->info.mnt_id, f->info.ino,
				    made, sizeof(made), &check);
	if (len && check == PSEUDOFS_NAME_NONE) {
		f->target = xmemdup0(made, len);
		f->target_len = len;
		return 0;
	}
	r = procfs_fd_link(&p->dir, f->fd, &f->target);
	if (r < 0)
		return -1;
	f->target_len = (size_t)r;
	if (len)
		pseudofs_checked(&c->pseudo, check, made, len, f->target, f->target_len);
	return 0;
}

/* Read one fd: fdinfo first (its mount id may spare the readlink), then
 * the link text; returns 1 to keep it, 0 to drop it (it closed meanwhile). */
static int read_one_fd(struct process *p, struct fd_entry *f, struct fd_scan_ctx *c)
{
	ssize_t n = procfs_fd_info(&p->dir, f->fd, c->buf, c->cap);

	if (n < 0) {
		if (errno == ENOENT || errno == ESRCH)
			return 0;
		f->err = errno;
	} else if (parse_fdinfo(c->buf, (size_t)n, &f->info) < 0) {
		f->err = EINVAL;
	}
	if (read_target(p, f, c, n) < 0) {
		if (errno == ENOENT || errno == ESRCH)
			return 0;
		f->err = errno;
		return 1;
	}
	if (classify(p, f, c) < 0)
		return 0;
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
		fdinfo_free(&p->fds[i].info);
	}
	p->nfds = 0;
	p->err = err;
	errno = err;
	return -1;
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

int fd_scan_process(struct process *p, struct fd_scan_ctx *c)
{
	int *nums = NULL;
	ssize_t n = procfs_list_fds(&p->dir, &nums);
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
		if (!read_one_fd(p, f, c)) {
			free(f->target);
			fdinfo_free(&f->info);
			continue;
		}
		p->nfds++;
		if (p->nfds == 1 && !f->target && is_denied(f->err)) {
			free(nums);
			return refuse_all(p, f->err);
		}
	}
	free(nums);
	return 0;
}
