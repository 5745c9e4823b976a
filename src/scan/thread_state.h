/* thread_state.h - what each thread of a process is doing: the system call
 * it is blocked in with its first two arguments (task/TID/syscall) and,
 * where asked, the kernel function it sleeps in (task/TID/wchan).  Read at
 * most once per process and kept on it (process.tstate), for waits (waits.h)
 * and locks (locks.h) alike: one pin of /proc/PID serves both.
 *
 * The kernel asks for the permission ptrace would need; without it the
 * answer is an errno, never "not waiting".  fdshare never calls ptrace(2). */
#ifndef FDSHARE_THREAD_STATE_H
#define FDSHARE_THREAD_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/record.h"
#include "scan/procfs.h"

struct thread_state {
	struct syscall_info sc;   /* tid set */
	char wchan[64];           /* "" when not sleeping, hidden, or not asked */
};

/* Owned by the process (freed with it: thread_states_free). */
struct thread_states {
	struct thread_state *v;
	size_t n;
	int err;                  /* errno when they could not be read, else 0 */
	bool have_wchan;          /* the wait channels were read too */
};

/* Read p's threads through d (p pinned and checked by the caller) into
 * p->tstate, with the wait channels when wchan; nothing when p already has
 * them (with the wait channels, when asked).  Touches p only: callers may
 * run it for several processes at once. */
void thread_state_read(const struct pid_dir *d, struct process *p, bool wchan);
/* The same for each of v[0..n) that lacks it, pinning each again (one pin
 * per process, checked by start time), on both cores.  A process gone or
 * not readable gets an errno in its state. */
void thread_state_need(const struct model *m, struct process **v, size_t n, bool wchan);
/* Whether a source that has p pinned should read p's threads now (with
 * the wait channels), sparing a second pin later: p's fds show a lock, and
 * the locks read the threads of every holder. */
bool thread_state_wanted(const struct process *p);
/* Whether p's threads were asked for with (wchan) or without wait channels. */
bool thread_state_has(const struct process *p, bool wchan);
void thread_states_free(struct thread_states *t);

#endif
