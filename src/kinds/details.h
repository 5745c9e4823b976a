/* details.h - what an fd's kind adds to the neutral record: lock lines,
 * eventfd counter, epoll targets, timer, signal mask, pidfd, inotify watches,
 * fanotify marks, unix socket in-flight fds.  A source fills them (the /proc
 * source from fdinfo lines); the record owns the arrays: fd_details_free(). */
#ifndef FDSHARE_DETAILS_H
#define FDSHARE_DETAILS_H

#include <stdbool.h>
#include <stddef.h>

#include "scan/lockparse.h"

struct kind_detail;

enum lock_kind { LOCK_POSIX = 1, LOCK_FLOCK = 2, LOCK_OFD = 4, LOCK_OTHER = 8 };

struct epoll_target {
	int tfd;                     /* fd number in the epoll owner's table at EPOLL_CTL_ADD time */
	unsigned events;
	unsigned long long data;
	unsigned long long pos;
	unsigned long long ino;
	unsigned long long sdev;
};

struct inotify_watch {
	int wd;
	unsigned long long ino;
	unsigned long long sdev;     /* the watched inode's device, kernel encoding (major << 20 | minor) */
	unsigned mask;
};

struct fd_details {
	int nlocks;                  /* "lock:" lines */
	unsigned lock_kinds;         /* OR of enum lock_kind */
	bool lock_write;             /* some lock is a WRITE lock */
	struct lock_line *lock_lines;  /* owned: the well-formed "lock:" lines (lockparse.h) */
	size_t nlock_lines;

	bool have_scm_fds;           /* unix sockets */
	int scm_fds;

	bool have_eventfd;
	unsigned long long eventfd_count;
	long long eventfd_id;        /* -1 when the kernel does not print it */
	bool eventfd_semaphore;

	bool have_pidfd;
	int pidfd_pid;               /* -1 once the process has been reaped */

	bool have_sigmask;
	unsigned long long sigmask;

	bool have_timerfd;
	int timer_clockid;
	unsigned long long timer_ticks;
	long long timer_value_sec, timer_value_nsec;
	long long timer_interval_sec, timer_interval_nsec;

	size_t ntargets;             /* epoll "tfd:" lines */
	struct epoll_target *targets;  /* owned; free with fd_details_free() */

	int inotify_watches;         /* "inotify wd:" lines */
	struct inotify_watch *watches;  /* owned, the nwatches well-formed ones; see fd_details_free() */
	size_t nwatches;
	int fanotify_marks;          /* "fanotify ino:" lines */

	struct kind_detail *more;    /* namespace, BPF, io_uring, pty, tun details
	                                (kinds/kind_detail.h), owned; or NULL */
};

/* Free the arrays of d (epoll targets, inotify watches, lock lines) and
 * leave them empty. */
void fd_details_free(struct fd_details *d);

#endif
