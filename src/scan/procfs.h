/* procfs.h - all /proc and kcmp I/O for one process, through pinned dirfds.
 *
 * A process is pinned by opening /proc/PID once (O_DIRECTORY|O_PATH is not
 * enough for *at reads of its files, so a plain O_DIRECTORY open), plus its
 * fd/ and fdinfo/ folders.  Every later read goes through those dirfds: once
 * the process is gone they answer ESRCH/ENOENT even if its PID is reused, so a
 * new process can never be mistaken for the one we started reading.  The
 * scan pins one process at a time (so its own fd use stays bounded whatever
 * the process count); a read after that pins again and checks the start
 * time (procfs_pin_again).
 *
 * Nothing here opens, reads or stats the target of another process's fd
 * except procfs_fd_stat(), which callers only use after checking the file
 * system is local (see mounts.h). */
#ifndef FDSHARE_PROCFS_H
#define FDSHARE_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "scan/parse.h"

struct pid_dir {
	int pid;
	int dirfd;       /* /proc/PID, -1 when not open */
	int fd_dirfd;    /* /proc/PID/fd, -1 when not readable */
	int fdinfo_dirfd;/* /proc/PID/fdinfo, -1 when not readable */
	int fd_err;      /* errno of opening fd/ (EACCES for another user's process), 0 if open */
};

/* Open /proc/PID (procroot is "/proc" except in tests).  Returns 0, or -1 with
 * errno (ENOENT/ESRCH: the process is gone).  fd/ and fdinfo/ failures are not
 * errors here: they are recorded in fd_err. */
int procfs_pin(const char *procroot, int pid, struct pid_dir *out);
/* Pin /proc/PID again (the dir only, no fd/ nor fdinfo/) for a read after
 * the process was unpinned, and make sure it is still the process first
 * seen: its stat shows start_time (in clock ticks: a newcomer would have
 * to take the PID within the same tick to pass).  Returns 0, or -1 with
 * errno (ESRCH: it ended, or its PID now belongs to a newcomer; EMFILE ...
 * ours). */
int procfs_pin_again(const char *procroot, int pid, unsigned long long start_time,
		     struct pid_dir *out);
/* Whether the process first seen with start_time is still there (a zombie
 * counts): one read of /proc/PID/stat by path, nothing pinned.  0, or -1
 * with errno (ESRCH: it ended, or its PID belongs to a newcomer). */
int procfs_still_there(const char *procroot, int pid, unsigned long long start_time);
/* Close every dirfd of a pinned process (safe on a zeroed or closed one). */
void procfs_unpin(struct pid_dir *d);

/* Read a small file under the pinned dir (e.g. "stat", "status") into buf
 * (NUL-terminated, at most cap-1 bytes); returns the length or -1 with errno. */
ssize_t procfs_read_at(int dirfd, const char *name, char *buf, size_t cap);

/* Read a whole file under dirfd (e.g. "cmdline", which the kernel hands
 * out a page at a time) into a new buffer (*out, caller frees; NUL added
 * after the data), at most max bytes; returns the length or -1 with errno. */
ssize_t procfs_read_all_at(int dirfd, const char *name, size_t max, char **out);

/* List the fd numbers in fd/ into a malloc'd array (*fds, caller frees),
 * sorted ascending; returns the count or -1 with errno. */
ssize_t procfs_list_fds(const struct pid_dir *d, int **fds);

/* readlinkat of fd/N into a malloc'd buffer (*target, caller frees, NUL
 * terminated, may hold any byte but NUL); returns the length or -1 with errno. */
ssize_t procfs_fd_link(const struct pid_dir *d, int fd, char **target);
/* The same for any link under a dirfd (e.g. "exe" under /proc/PID). */
ssize_t procfs_link_at(int dirfd, const char *name, char **target);

/* What each thread of the pinned process is blocked in: task/TID/syscall
 * of every thread still there, parsed, into a malloc'd array (*out, caller
 * frees).  Returns the count, or -1 with errno (EACCES/EPERM: reading it
 * takes the permission ptrace would; ESRCH/ENOENT: the process ended). */
ssize_t procfs_task_syscalls(const struct pid_dir *d, struct syscall_info **out);

/* The kernel function thread tid of the pinned process sleeps in
 * (task/TID/wchan, "locks_lock_inode_wait"), NUL-terminated in buf; the
 * length, 0 when it is not sleeping or the name is hidden, or -1 with errno
 * (reading it takes the permission ptrace would). */
ssize_t procfs_task_wchan(const struct pid_dir *d, int tid, char *buf, size_t cap);

/* Read fdinfo/N into buf (NUL-terminated); length or -1 with errno. */
ssize_t procfs_fd_info(const struct pid_dir *d, int fd, char *buf, size_t cap);

/* stat of fd/N, following the magic link to the open file itself (no path
 * lookup happens: the kernel hands over the open file's own path).  With
 * cached_only, statx(AT_STATX_DONT_SYNC) asks the file system for what it
 * has cached, which NFS, CIFS, Ceph and FUSE answer without a round trip;
 * callers never stat files on known remote mounts at all. */
int procfs_fd_stat(const struct pid_dir *d, int fd, bool cached_only, struct stat *st);

/* Read and parse the pinned process's stat; 0, or -1 with errno. */
int procfs_stat(const struct pid_dir *d, struct stat_info *si);

/* The thread group id of a task (thread or process) from its status, or -1
 * with errno (ENOENT: no such task). */
int procfs_tgid_of(const char *procroot, int tid);

/* kcmp(pid1, pid2, KCMP_FILE, fd1, fd2): 0 same open file description,
 * -1 less, 1 greater, or -2 with errno set (EPERM, ESRCH, EBADF, ENOSYS...). */
int kcmp_file(int pid1, int fd1, int pid2, int fd2);

/* kcmp(pid, epoll_pid, KCMP_EPOLL_TFD): whether fd of pid is the file
 * registered under target number tfd (first registration) in the epoll
 * instance epfd of epoll_pid.  1 yes, 0 no (another file, or nothing
 * registered there), -1 with errno (EPERM, ESRCH, EBADF, ENOSYS...). */
int kcmp_epoll_tfd(int pid, int fd, int epoll_pid, int epfd, int tfd);

/* The protocol name of a socket fd ("UNIX-STREAM", "UNIX", "TCP", "UDPv6",
 * "NETLINK" ...), read from the socket inode's "system.sockprotoname"
 * attribute through the pinned fd/ dir (nothing is opened); NUL-terminated
 * in buf.  Returns the length or -1 with errno. */
ssize_t procfs_fd_sockproto(const struct pid_dir *d, int fd, char *buf, size_t cap);

/* The inode of the pinned process's network namespace (ns/net); 0 or -1. */
int procfs_netns(const struct pid_dir *d, unsigned long long *ino);
/* Open the pinned process's ns/net (for setns); the fd, or -1 with errno. */
int procfs_open_netns(const struct pid_dir *d);

#endif
