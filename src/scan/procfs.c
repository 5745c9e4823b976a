/* procfs.c - /proc reads through pinned dirfds, and the kcmp wrapper. */
#define _GNU_SOURCE   /* statx */
#include "scan/procfs.h"
#include "scan/parse.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <linux/types.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int open_dir_at(int dirfd, const char *name)
{
	return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Open /proc/PID alone into a fresh pid_dir; 0 or -1 with errno. */
static int open_pid_dir(const char *procroot, int pid, struct pid_dir *out)
{
	char path[64];

	memset(out, 0, sizeof(*out));
	out->pid = pid;
	out->fd_dirfd = out->fdinfo_dirfd = -1;
	snprintf(path, sizeof(path), "%s/%d", procroot, pid);
	out->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return out->dirfd < 0 ? -1 : 0;
}

int procfs_pin(const char *procroot, int pid, struct pid_dir *out)
{
	if (open_pid_dir(procroot, pid, out) < 0)
		return -1;
	out->fd_dirfd = open_dir_at(out->dirfd, "fd");
	if (out->fd_dirfd < 0) {
		out->fd_err = errno;
		return 0;
	}
	out->fdinfo_dirfd = open_dir_at(out->dirfd, "fdinfo");
	if (out->fdinfo_dirfd < 0)
		out->fd_err = errno;
	return 0;
}

int procfs_pin_again(const char *procroot, int pid, unsigned long long start_time,
		     struct pid_dir *out)
{
	struct stat_info si = { .start_time = start_time };
	int saved;

	if (open_pid_dir(procroot, pid, out) < 0)
		return -1;
	/* a zombie keeps its PID, so an equal start time is the same process */
	if (procfs_stat(out, &si) == 0 && si.start_time == start_time)
		return 0;
	saved = errno;
	if (saved == ENOENT || si.start_time != start_time)
		saved = ESRCH;
	close(out->dirfd);
	out->dirfd = -1;
	errno = saved;
	return -1;
}

int procfs_still_there(const char *procroot, int pid, unsigned long long start_time)
{
	char path[64], buf[1024];
	struct stat_info si;
	ssize_t n;

	/* by path, nothing pinned: the start time in what was read decides */
	snprintf(path, sizeof(path), "%s/%d/stat", procroot, pid);
	n = procfs_read_at(AT_FDCWD, path, buf, sizeof(buf));
	if (n < 0)
		return errno == ENOENT ? (errno = ESRCH, -1) : -1;
	if (parse_stat(buf, (size_t)n, &si) < 0 || si.start_time != start_time) {
		errno = ESRCH;
		return -1;
	}
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void procfs_unpin(struct pid_dir *d)
{
	close_fd(&d->fdinfo_dirfd);
	close_fd(&d->fd_dirfd);
	close_fd(&d->dirfd);
}

ssize_t procfs_read_at(int dirfd, const char *name, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	/* seq_file reads return all they have up to the size asked for, so a
	 * short read is the end: saves a second read() per fdinfo file */
	while (len + 1 < cap) {
		size_t want = cap - 1 - len;
		n = read(fd, buf + len, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		len += (size_t)n;
		if ((size_t)n < want)
			break;
	}
	buf[len] = '\0';
	close(fd);
	return (ssize_t)len;
}

ssize_t procfs_read_all_at(int dirfd, const char *name, size_t max, char **out)
{
	size_t len = 0, cap = max < 4096 ? max : 4096;
	ssize_t n;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC), saved;

	*out = NULL;
	if (fd < 0)
		return -1;
	*out = xmalloc(cap + 1);
	while (len < max) {
		if (len == cap) {
			cap = cap * 2 < max ? cap * 2 : max;
			*out = xreallocarray(*out, cap + 1, 1);
		}
		n = read(fd, *out + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			close(fd);
			free(*out);
			*out = NULL;
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	(*out)[len] = '\0';
	close(fd);
	return (ssize_t)len;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Add the fd numbers of one getdents64 batch to *fds. */
static void take_fd_names(const char *buf, size_t len, int **fds, size_t *n, size_t *cap)
{
	size_t off = 0;
	int num;

	while (off < len) {
		const struct dirent64 *de = (const void *)(buf + off);
		off += de->d_reclen;
		if (parse_pid_name(de->d_name, &num) < 0)
			continue;
		grow_array((void **)fds, cap, *n + 1, sizeof(int));
		(*fds)[(*n)++] = num;
	}
}

ssize_t procfs_list_fds(const struct pid_dir *d, int **fds)
{
	/* getdents64 on the pinned dirfd itself, from its start: no duplicate
	 * to open, stat and close for a DIR stream */
	char buf[16384] __attribute__((aligned(8)));
	size_t n = 0, cap = 0;
	ssize_t got;

	*fds = NULL;
	if (d->fd_dirfd < 0) {
		errno = d->fd_err ? d->fd_err : EBADF;
		return -1;
	}
	if (lseek(d->fd_dirfd, 0, SEEK_SET) < 0)
		return -1;
	while ((got = getdents64(d->fd_dirfd, buf, sizeof(buf))) > 0)
		take_fd_names(buf, (size_t)got, fds, &n, &cap);
	if (got < 0) {
		int saved = errno;
		free(*fds);
		*fds = NULL;
		errno = saved;
		return -1;
	}
	if (n)
		qsort(*fds, n, sizeof(int), cmp_int);
	return (ssize_t)n;
}

ssize_t procfs_fd_link(const struct pid_dir *d, int fd, char **target)
{
	char name[16];

	snprintf(name, sizeof(name), "%d", fd);
	return procfs_link_at(d->fd_dirfd, name, target);
}

ssize_t procfs_link_at(int dirfd, const char *name, char **target)
{
	char first[512];
	size_t cap = sizeof(first);
	char *buf = first;
	ssize_t n;

	/* read into a scratch buffer and keep only what the link holds: one
	 * link is kept per fd, and most are far shorter than any guess */
	for (;;) {
		n = readlinkat(dirfd, name, buf, cap);
		if (n < 0 || (size_t)n < cap)
			break;
		/* truncated: a long path; try a larger buffer (PATH_MAX is not a bound here) */
		if (buf != first)
			free(buf);
		buf = NULL;
		if (cap >= 1 << 20) {
			errno = ENAMETOOLONG;
			break;
		}
		cap *= 4;
		buf = xmalloc(cap);
	}
	*target = NULL;
	if (n >= 0 && buf != NULL) {
		*target = xmalloc((size_t)n + 1);
		memcpy(*target, buf, (size_t)n);
		(*target)[n] = '\0';
	}
	if (buf != first) {
		int saved = errno;
		free(buf);
		errno = saved;
	}
	return *target ? n : -1;
}

/* Read and parse one thread's syscall file under the task dir; 1 read,
 * 0 the thread is gone, -1 with errno. */
static int task_syscall(int taskfd, const char *tid, struct syscall_info *si)
{
	char path[64], buf[256];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/syscall", tid);
	n = procfs_read_at(taskfd, path, buf, sizeof(buf));
	if (n < 0)
		return errno == ENOENT || errno == ESRCH ? 0 : -1;
	if (parse_syscall(buf, (size_t)n, si) < 0) {
		errno = EINVAL;
		return -1;
	}
	return 1;
}

ssize_t procfs_task_syscalls(const struct pid_dir *d, struct syscall_info **out)
{
	struct dirent *de;
	size_t n = 0, cap = 0;
	int fd, tid, r = 0, saved;
	DIR *dir;

	*out = NULL;
	fd = openat(d->dirfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(dir = fdopendir(fd))) {
		saved = errno;
		if (fd >= 0)
			close(fd);
		errno = saved;
		return -1;
	}
	while (r >= 0 && (de = readdir(dir))) {
		if (parse_pid_name(de->d_name, &tid) < 0)
			continue;
		grow_array((void **)out, &cap, n + 1, sizeof(**out));
		r = task_syscall(dirfd(dir), de->d_name, &(*out)[n]);
		if (r > 0)
			(*out)[n].tid = tid;
		n += r > 0;
	}
	saved = errno;
	closedir(dir);
	if (r < 0) {
		free(*out);
		*out = NULL;
		errno = saved;
		return -1;
	}
	return (ssize_t)n;
}

ssize_t procfs_task_wchan(const struct pid_dir *d, int tid, char *buf, size_t cap)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "task/%d/wchan", tid);
	n = procfs_read_at(d->dirfd, path, buf, cap);
	/* "0": not sleeping, or the symbol is hidden from us */
	if (n == 1 && buf[0] == '0')
		n = 0;
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

ssize_t procfs_fd_info(const struct pid_dir *d, int fd, char *buf, size_t cap)
{
	char name[16];

	if (d->fdinfo_dirfd < 0) {
		errno = d->fd_err ? d->fd_err : EBADF;
		return -1;
	}
	snprintf(name, sizeof(name), "%d", fd);
	return procfs_read_at(d->fdinfo_dirfd, name, buf, cap);
}

int procfs_fd_stat(const struct pid_dir *d, int fd, bool cached_only, struct stat *st)
{
	char name[16];
	struct statx sx;
	int flags = cached_only ? AT_STATX_DONT_SYNC : AT_STATX_SYNC_AS_STAT;

	snprintf(name, sizeof(name), "%d", fd);
	if (statx(d->fd_dirfd, name, flags, STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_INO | STATX_SIZE, &sx) < 0)
		return -1;
	memset(st, 0, sizeof(*st));
	st->st_mode = sx.stx_mode;
	st->st_nlink = sx.stx_nlink;
	st->st_ino = sx.stx_ino;
	st->st_size = (off_t)sx.stx_size;
	st->st_dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
	st->st_rdev = makedev(sx.stx_rdev_major, sx.stx_rdev_minor);
	return 0;
}

int procfs_stat(const struct pid_dir *d, struct stat_info *si)
{
	char buf[1024];
	ssize_t n;

	if (d->dirfd < 0) {
		errno = EBADF;
		return -1;
	}
	n = procfs_read_at(d->dirfd, "stat", buf, sizeof(buf));
	if (n < 0)
		return -1;
	if (parse_stat(buf, (size_t)n, si) < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int procfs_tgid_of(const char *procroot, int tid)
{
	char path[64], buf[4096], *line;
	int fd, tgid;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%d", procroot, tid);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = procfs_read_at(fd, "status", buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return -1;
	line = strstr(buf, "\nTgid:");
	if (!line || sscanf(line + 6, "%d", &tgid) != 1) {
		errno = EINVAL;
		return -1;
	}
	return tgid;
}

int kcmp_file(int pid1, int fd1, int pid2, int fd2)
{
	long r = syscall(SYS_kcmp, (pid_t)pid1, (pid_t)pid2, KCMP_FILE,
			 (unsigned long)fd1, (unsigned long)fd2);

	if (r < 0)
		return -2;
	switch (r) {
	case 0: return 0;
	case 1: return -1;
	case 2: return 1;
	}
	errno = EINVAL;
	return -2;
}

int kcmp_epoll_tfd(int pid, int fd, int epoll_pid, int epfd, int tfd)
{
	struct kcmp_epoll_slot slot = { .efd = (__u32)epfd, .tfd = (__u32)tfd, .toff = 0 };
	long r = syscall(SYS_kcmp, (pid_t)pid, (pid_t)epoll_pid, KCMP_EPOLL_TFD,
			 (unsigned long)fd, (unsigned long)&slot);

	if (r == 0)
		return 1;
	if (r > 0 || errno == ENOENT)   /* ENOENT: nothing registered under tfd */
		return 0;
	return -1;
}

#ifndef SYS_getxattrat
#define SYS_getxattrat 464   /* Linux 6.13; one number on every architecture */
#endif

/* getxattrat(2)'s argument block (linux/xattr.h, 6.13) */
struct getxattrat_args {
	__aligned_u64 value;
	__u32 size;
	__u32 flags;
};

static int no_getxattrat;   /* set once a kernel (or a seccomp filter) refused it */

/* getxattrat(dirfd, name, follow) into buf; -1 with errno, ENOSYS when it
 * is not there to ask. */
static ssize_t xattr_at(int dirfd, const char *name, const char *key, char *buf, size_t cap)
{
	struct getxattrat_args a = { .value = (__u64)(uintptr_t)buf, .size = (__u32)cap };
	long n;

	if (__atomic_load_n(&no_getxattrat, __ATOMIC_RELAXED)) {
		errno = ENOSYS;
		return -1;
	}
	n = syscall(SYS_getxattrat, dirfd, name, 0, key, &a, sizeof(a));
	if (n < 0 && (errno == ENOSYS || errno == EPERM)) {
		__atomic_store_n(&no_getxattrat, 1, __ATOMIC_RELAXED);
		errno = ENOSYS;
	}
	return n;
}

ssize_t procfs_fd_sockproto(const struct pid_dir *d, int fd, char *buf, size_t cap)
{
	char path[64];
	ssize_t n;

	if (d->fd_dirfd < 0 || cap == 0) {
		errno = EBADF;
		return -1;
	}
	/* relative to our own held dirfd: a /proc/PID path could meet a
	 * newcomer that took over the PID.  getxattrat (6.13) walks one name;
	 * before it, the same through /proc/self/fd/DIRFD/N (two magic links) */
	snprintf(path, sizeof(path), "%d", fd);
	n = xattr_at(d->fd_dirfd, path, "system.sockprotoname", buf, cap - 1);
	if (n < 0 && errno == ENOSYS) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d/%d", d->fd_dirfd, fd);
		n = getxattr(path, "system.sockprotoname", buf, cap - 1);
	}
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

int procfs_netns(const struct pid_dir *d, unsigned long long *ino)
{
	struct stat st;

	if (fstatat(d->dirfd, "ns/net", &st, 0) < 0)
		return -1;
	*ino = st.st_ino;
	return 0;
}

int procfs_open_netns(const struct pid_dir *d)
{
	return openat(d->dirfd, "ns/net", O_RDONLY | O_CLOEXEC);
}
