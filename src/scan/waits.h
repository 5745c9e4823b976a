/* waits.h - what each thread of a process is blocked in, for the findings
 * that must know whether a process waits on an fd: a listener's holder
 * blocked in accept (or in epoll_wait on an epoll fd watching it), a pipe's
 * reader blocked in read, a writer blocked in wait4 or waitid, and which
 * of its children that call may reap.
 *
 * From /proc/PID/task/TID/syscall (the call's number and first two
 * arguments; thread_state.h), only for the processes those findings look
 * at.  The kernel asks for the permission ptrace would need (root, or
 * one's own process under the default Yama policy); without it, or for a
 * thread on a CPU, the answer is unknown, never "not waiting".  fdshare
 * itself never calls ptrace(2). */
#ifndef FDSHARE_WAITS_H
#define FDSHARE_WAITS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/record.h"

enum wait_kind {
	WAIT_UNKNOWN,   /* running, or in a call that may wait on any fd (poll, select) */
	WAIT_ACCEPT,    /* accept, accept4 on fd */
	WAIT_EPOLL,     /* epoll_wait, epoll_pwait(2) on the epoll fd fd */
	WAIT_READ,      /* read, readv on fd */
	WAIT_CHILD,     /* wait4, waitid: for a child to end */
	WAIT_OTHER,     /* blocked in a call that waits on none of these */
};

/* Which children a WAIT_CHILD thread may reap (wait4's pid, waitid's
 * idtype and id). */
enum wait_children {
	WAIT_ANY_CHILD,           /* wait4(-1), waitid(P_ALL) */
	WAIT_ONE_CHILD,           /* wait4(pid > 0), waitid(P_PID): the child id */
	WAIT_GROUP_CHILD,         /* wait4(0 or -pgid), waitid(P_PGID): children in group id
	                             (0: the waiter's own group) */
	WAIT_UNKNOWN_CHILD,       /* waitid(P_PIDFD) or an id that cannot be a pid */
};

struct thread_wait {
	enum wait_kind kind;
	int fd;                   /* for ACCEPT, EPOLL and READ, else -1 */
	enum wait_children children;   /* for CHILD */
	int id;                   /* for WAIT_ONE_CHILD and WAIT_GROUP_CHILD */
};

/* Derive the waits of the processes these findings look at, from their
 * threads' system calls (thread_state.h: read once per process, shared with
 * the locks): the holders of a shared listening socket and the readers of
 * a pipe or FIFO whose EOF may never come (a write end of their own left by
 * fork, or every other write end held by an ancestor), then the ancestors
 * holding a write end of a pipe whose reader is blocked reading it. */
void waits_read(struct model *m);

/* What being blocked in syscall nr means (numbers of the architecture
 * fdshare was built for); pure. */
enum wait_kind waits_classify(long nr);
/* Whether some thread of p is blocked in kind on fd (fd -1: any). */
bool waits_has(const struct process *p, enum wait_kind kind, int fd);
/* Whether what p's threads wait for is known: read, and no thread running
 * or in poll/select. */
bool waits_known(const struct process *p);
/* Which children a thread blocked in wait4 (nr is SYS_wait4) or waitid
 * may reap, from the call's first two arguments, into w; pure. */
void waits_children(long nr, unsigned long long arg0, unsigned long long arg1,
		    struct thread_wait *w);
/* Whether p's thread waiting as w may reap child c (a live or zombie child
 * of p). */
bool waits_for_child(const struct process *p, const struct thread_wait *w,
		     const struct process *c);

#endif
