/* model.h - the whole picture fdshare renders: processes, their fds, and the
 * open file descriptions those fds refer to.
 *
 * model_build() fills it completely (libproc2 process table -> each process's
 * fds from /proc -> grouping by kcmp) before any renderer runs; renderers
 * only read it.  The model owns every string and array in it; model_free()
 * releases all of it. */
#ifndef FDSHARE_MODEL_H
#define FDSHARE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "scan/parse.h"
#include "scan/procfs.h"

enum fd_type {
	FD_UNKNOWN, FD_REG, FD_DIR, FD_CHR, FD_BLK, FD_FIFO, FD_PIPE, FD_SOCKET,
	FD_EVENTFD, FD_EPOLL, FD_SIGNALFD, FD_TIMERFD, FD_INOTIFY, FD_FANOTIFY,
	FD_PIDFD, FD_MEMFD, FD_ANON,
	FD_NSFS, FD_SYMLINK, FD_MQUEUE, FD_BPF_MAP, FD_BPF_PROG, FD_BPF_LINK, FD_IO_URING,
	FD_TYPE_COUNT
};
/* "reg", "pipe", ... as used in text and JSON. */
const char *fd_type_name(enum fd_type t);

struct process;
struct fd_detail;
struct thread_wait;
struct tree;
struct hold;
struct path_query;
struct trend;
struct lock_table;
struct kind_detail;

struct fd_entry {
	int fd;
	int err;                  /* errno when this fd's details could not be read, else 0 */
	char *target;             /* raw readlink bytes, NUL-terminated (NULL if unreadable) */
	size_t target_len;
	struct link_info link;
	struct fdinfo info;       /* valid when info.have_basic */
	enum fd_type type;
	bool have_stat;           /* the st_* fields below are valid */
	mode_t st_mode;
	dev_t st_dev, st_rdev;
	off_t st_size;
	nlink_t st_nlink;
	char stat_skipped[32];    /* why stat was not done ("nfs4", "stat failed"), or "";
	                             a copy: the mount table is gone before rendering */
	bool deleted;
	int ofd;                  /* id of its open file description (1..), 0 if unknown */
	bool in_shared_ofd;       /* its description is held by another fd too */
	bool ofd_verified;        /* that sharing (or not) was proven by kcmp */
	bool related;             /* shares its description with a selected process's fd */
	bool path_match;          /* refers to one of the PATH arguments */
	struct fd_entry *same_file;  /* another fd on the same file through a separate
	                                description (same process preferred), or NULL */
	struct process *proc;     /* the holder */
	char sock_proto[16];      /* a socket's sockprotoname ("UNIX-STREAM", "TCPv6"), or "" */
	struct fd_detail *detail; /* its other ends and kind details (endpoint.h), or NULL */
	struct kind_detail *kind; /* namespace, BPF, io_uring, pty, tun details
	                             (kinds/kind_detail.h), owned; or NULL */
};

struct process {
	int pid, ppid, tgid, pgrp, sid;
	char state;
	char *comm;               /* raw bytes from the kernel */
	char **cmdline;           /* NULL-terminated; empty for kernel threads and zombies */
	unsigned ruid, euid;
	int threads;
	unsigned long long start_time;   /* clock ticks since boot */
	int nspid[NSPID_MAX];
	int nspid_count;
	char sigignore[17], sigcatch[17], sigblocked[17];   /* 16 hex digits */
	char *exe;                /* raw readlink of /proc/PID/exe; NULL when unreadable
	                             (kernel thread, zombie, another user's process) */
	size_t exe_len;
	struct nofile_limit nofile;   /* RLIMIT_NOFILE from /proc/PID/limits, if have_nofile */
	bool have_nofile;
	struct thread_wait *waits;    /* what each thread is blocked in (waits.h), when
	                                 read; NULL when not asked or not readable */
	size_t nwaits;
	struct hold *holds;       /* cwd, rtd, txt, mem holds kept (holds.h), owned */
	size_t nholds;
	int holds_err;            /* errno when maps, cwd or root could not be read, else 0 */

	int err;                  /* errno when the fd table could not be read (EACCES), else 0 */
	bool selected;            /* asked for by -p/-u/-c: listed in full */
	bool gone;                /* vanished during the scan: left out of every output */
	bool related;             /* not selected, but holds a description a selected one holds */
	bool is_kthread;

	struct fd_entry *fds;
	size_t nfds;
	struct pid_dir dir;       /* pinned while its fds are read, then closed: the
	                             scan holds a few fds whatever the process count;
	                             model_pin_again() pins it for a later read */
};

struct fd_ref { int pid, fd; };

struct ofd_group {
	int id;
	bool verified;            /* kcmp proved every holder is the same description */
	int unverified_err;       /* why not: EPERM, ENOSYS, ESRCH; -1 = kcmp disabled */
	struct fd_entry **holders;  /* sorted by pid, then fd */
	size_t nholders;
	int nprocs;               /* distinct holder processes */
};

enum kcmp_state { KCMP_OK, KCMP_PARTIAL_EPERM, KCMP_UNAVAILABLE, KCMP_DISABLED };

struct model_options {
	const char *procroot;     /* "/proc" */
	bool use_kcmp;
	bool exact_subreapers;    /* try the optional BPF part (subreaper_bpf.h): JSON and --tree show it */
	/* selection; a process is selected when it matches every non-empty list */
	const int *pids; size_t npids;
	const unsigned *uids; size_t nuids;
	const char *const *comms; size_t ncomms;
	/* PATH mode: match fds and other holds against these (pathq.h) */
	const struct path_query *queries; size_t nqueries;
};

struct model {
	struct process *procs;    /* sorted by pid */
	size_t nprocs;
	struct ofd_group *ofds;   /* every description with at least one live fd, by id */
	size_t nofds;
	size_t nfds;              /* fds read */
	size_t unreadable;        /* processes whose fds could not be read */
	size_t fd_errors;         /* fds whose details could not be read */
	size_t vanished;          /* processes that ended during the scan */
	enum kcmp_state kcmp;
	unsigned long long kcmp_calls;
	bool selection;           /* -p/-u/-c was given */
	size_t nselected;
	double scan_seconds;
	double uptime;            /* seconds since boot at the scan (/proc/uptime), 0 if unknown */
	struct tree *tree;        /* parents, zombies, re-parenting (tree.h) */
	size_t *path_held;        /* per PATH query: fds and holds that match it */
	bool paths_unresolved;    /* a PATH was not resolved in time: matched by name only */
	const struct trend *trend;  /* --interval: fd counts over time (trend.h), set by
	                               the caller on the last scan's model; else NULL */
	size_t npath_held;
	const char *procroot;     /* of the scan (model_options), for model_pin_again() */
	/* what the scan could not read for want of a resource of its own (EMFILE,
	 * ENFILE, ENOMEM), included in unreadable and fd_errors: the first errno */
	size_t short_processes, short_fds;
	int short_err;
	struct lock_table *locks; /* file locks, holders and waiters (locks.h) */
	int self_parent;          /* fdshare's parent pid (it is left out of procs): it and
	                             its ancestors wait for fdshare, never evidence of a hang */
};

/* Build the whole model.  Returns 0, or -1 with errno when the scan could not
 * start at all (no /proc).  Per-process and per-fd failures are data. */
int model_build(const struct model_options *opt, struct model *m);
void model_free(struct model *m);

/* Pin p's /proc dir again after the scan unpinned it, checking it is still
 * the process scanned (start time); unpin with procfs_unpin(&p->dir).
 * 0, or -1 with errno (ESRCH: it ended, or its PID belongs to a newcomer). */
int model_pin_again(const struct model *m, struct process *p);
/* Whether an errno says the scan itself ran out of a resource (fds, memory). */
bool model_short_of_resource(int err);

/* Whether the answer misses something that exists: unreadable processes or
 * fds, or a PATH that could not be resolved. */
bool model_complete(const struct model *m);
/* With -p/-u/-c: whether every selected process and each of its fds was read
 * (sharing with an unreadable other process is then unknown, not missing);
 * without a selection: model_complete(). */
bool model_selection_complete(const struct model *m);
/* The description with this id, or NULL. */
const struct ofd_group *model_ofd(const struct model *m, int id);
/* The process with this pid, or NULL. */
const struct process *model_process(const struct model *m, int pid);

#endif
