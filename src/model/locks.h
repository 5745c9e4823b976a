/* locks.h - file locks joined to the model: which open file description
 * carries each flock, OFD lock and lease, which process owns each POSIX
 * lock, which fds they show on, who waits for them, and what every holder
 * and waiter is doing.
 *
 * Sources, read while the processes are pinned (locks_read):
 *  - every fd's fdinfo "lock:" lines (kept by parse_fdinfo): the kernel
 *    prints a flock, OFD lock or lease on each fd of the description that
 *    carries it, in every process, and a POSIX lock on the owner's fds of
 *    the description it was taken through.  These give the exact join, and
 *    the lock's device as /proc/locks prints it (the superblock's: btrfs
 *    subvolumes and overlayfs make stat's st_dev differ from it);
 *  - /proc/locks: the same locks plus those of fds we could not read, and
 *    the requests waiting for each ("->" lines).  A flock whose taker's pid
 *    is no longer visible in our pid namespace is left out of it (with its
 *    waiters) by the kernel: fdinfo still shows it, with pid 0;
 *  - task/TID/syscall and wchan of every process holding an fd of a locked
 *    file: a thread blocked in flock(fd, LOCK_EX) or fcntl(fd, F_SETLKW or
 *    F_OFD_SETLKW) is a waiter, even where /proc/locks hides it or prints
 *    pid -1 (OFD).  Never ptrace: without the permission the answer is
 *    "unknown".
 *
 * Owned by the model (model.h: m->locks), freed by model_free(). */
#ifndef FDSHARE_LOCKS_H
#define FDSHARE_LOCKS_H

#include <stdbool.h>
#include <stddef.h>

#include "scan/lockparse.h"
#include "model/record.h"
#include "base/util.h"

struct lock_ref;

struct lock_waiter {
	int pid;                  /* the waiting process; 0 when not known (an OFD request
	                             /proc/locks prints as -1 that no blocked thread matched) */
	int tid;                  /* its blocked thread, 0 when not known */
	int fd;                   /* the fd it waits through, -1 when not known */
	enum lk_kind kind;
	enum lk_type type;
	bool have_type;           /* type known (not for a fcntl request seen only as a syscall) */
	long long start, end;     /* the range asked for; end -1: EOF */
	bool have_range;
	int depth;                /* 1: waits for the lock itself; 2 ...: queued behind another request */
};

struct held_lock {
	int id;                   /* 1.. in this model */
	enum lk_kind kind;
	enum lk_type type;
	long long start, end;     /* end -1: to the end of the file */
	int pid;                  /* as the kernel prints it: the owner of a POSIX lock, the
	                             taker of a flock or lease (0 when that pid is gone from
	                             our namespace), -1 for an OFD lock */
	unsigned major, minor;    /* the file: superblock device and inode */
	unsigned long long ino;
	int ofd;                  /* flock, OFD, lease: the description carrying it; 0 unknown */
	const struct process *owner;   /* POSIX: the owning process when in the model */
	const struct fd_entry *via;    /* an fd whose fdinfo shows it; NULL: /proc/locks only */
	bool in_proc_locks;       /* listed in /proc/locks */
	bool path_match;          /* its file is one of the PATH arguments (by device and
	                             inode, even when no fd of it could be read) */
	const struct fd_entry **fds;   /* the fds it shows on (locks_of_fd), by pid, fd */
	size_t nfds;
	const struct process **holders;   /* their processes, distinct, by pid; or the
	                                     POSIX owner without readable fds; may be none */
	size_t nholders;
	struct lock_waiter *waiters;
	size_t nwaiters;
};

/* What one thread of a holder or waiter is doing. */
struct lock_thread {
	int tid;
	bool running;             /* on a CPU */
	long nr;                  /* the system call it is blocked in; -1 none */
	unsigned long long arg0, arg1;
	char wchan[64];           /* the kernel function it sleeps in, "" unknown */
	bool lock_request;        /* blocked in flock()/fcntl(F_SETLKW, F_OFD_SETLKW) */
};

struct lock_proc {
	const struct process *proc;
	struct lock_thread *threads;   /* NULL when they could not be read (err) */
	size_t nthreads;
	int err;
};

struct lock_table {
	struct held_lock *locks;  /* by file (dev, inode), then start, kind, id */
	size_t nlocks;
	struct lock_proc *procs;  /* holders and waiters whose threads were read, by pid */
	size_t nprocs;
	int proc_locks_err;       /* errno reading /proc/locks, 0 when read */
	size_t bad_lines;         /* malformed lines skipped */
	struct lock_ref *refs;    /* private to locks.c: (fd, lock) pairs by fd, for locks_of_fd */
	size_t nrefs;
};

/* Join the locks to the model m (fds read and grouped, processes still
 * pinned) into a new table at m->locks.  Never fails: what could not be
 * read is recorded (proc_locks_err, lock_proc.err). */
void locks_read(const struct model_options *o, struct model *m);
void locks_free(struct lock_table *t);

/* The locks carried by f's description or owned through f (a POSIX lock of
 * f's process on f's file): into out[] (at most max), by id; the count. */
size_t locks_of_fd(const struct model *m, const struct fd_entry *f,
		   const struct held_lock **out, size_t max);
/* The lock with this id, or NULL. */
const struct held_lock *locks_by_id(const struct model *m, int id);
/* The threads of p as read for the locks, or NULL when not read. */
const struct lock_proc *locks_proc(const struct model *m, const struct process *p);

/* Why a process cannot release a lock by itself right now. */
enum lock_stall {
	STALL_NONE,               /* running or sleeping in something else */
	STALL_UNKNOWN,            /* its threads could not be read */
	STALL_STOPPED,            /* state T */
	STALL_TRACED,             /* state t */
	STALL_LOCK_WAIT,          /* every thread waits for a lock */
};
enum lock_stall locks_stall(const struct model *m, const struct process *p);
/* Whether p has a thread waiting for l. */
bool lock_awaited_by(const struct held_lock *l, const struct process *p);
/* The first lock (by id) p waits for, or NULL. */
const struct held_lock *locks_awaited(const struct model *m, const struct process *p);

/* "stopped (T)", "blocked in flock on fd 3 (locks_lock_inode_wait)",
 * "sleeping in read on fd 0 (pipe_read)", "running", "not readable". */
void locks_say_state(const struct model *m, const struct process *p, struct strbuf *sb);
/* "flock write 0-EOF" / "posix read 10-19". */
void locks_say_lock(const struct held_lock *l, struct strbuf *sb);
/* The locked file: a holder fd's link text, else "dev MAJ:MIN inode N" (raw bytes). */
void locks_say_file(const struct held_lock *l, struct strbuf *sb);

#endif
