/* record.h - the whole picture fdshare renders, in neutral facts: processes,
 * their fds, and the open file descriptions those fds refer to, with the
 * helpers every layer shares (record.c).
 *
 * A source (scan/source.h) fills it, model_build() (model.h) derives the
 * rest, all before any renderer runs; renderers only read it.  The model
 * owns every string and array in it; model_free() releases all of it. */
#ifndef FDSHARE_RECORD_H
#define FDSHARE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "kinds/details.h"
#include "kinds/kinds.h"
#include "scan/parse.h"
#include "scan/procfs.h"

/* How an fd may be used (its open file description's access mode). */
enum fd_access { ACCESS_UNKNOWN, ACCESS_R, ACCESS_W, ACCESS_RW, ACCESS_PATH /* O_PATH */ };

/* A description's status flags: open(2)'s O_* bits in the kernel's values
 * (x86-64 and the generic ABI, as f_flags and fdinfo hold them, not
 * glibc's, which defines O_LARGEFILE as 0 on 64-bit), without the access
 * mode, O_PATH (both in enum fd_access) and O_CLOEXEC (per fd: cloexec). */
#define FDF_APPEND    02000u
#define FDF_NONBLOCK  04000u
#define FDF_DSYNC     010000u
#define FDF_ASYNC     020000u
#define FDF_DIRECT    040000u
#define FDF_LARGEFILE 0100000u
#define FDF_DIRECTORY 0200000u
#define FDF_NOFOLLOW  0400000u
#define FDF_NOATIME   01000000u
#define FDF_SYNC      04000000u
#define FDF_TMPFILE   020000000u

/* What proves that the fds of one open file description are one. */
enum ofd_proof {
	PROOF_NONE,      /* unverified: see the description's unverified_err */
	PROOF_KCMP,      /* kcmp(2) KCMP_FILE compared them */
	PROOF_KERNEL,    /* the kernel named the description itself (its struct file) */
};

struct process;
struct fd_detail;
struct thread_wait;
struct thread_states;
struct tree;
struct hold;
struct path_query;
struct trend;
struct lock_table;
struct proc_locks_early;
struct sock_table;

/* One fd, in neutral facts: any source (the /proc scanner, the BPF
 * iterator) fills the same fields; no reader needs to know which did. */
struct fd_entry {
	int fd;
	int err;                  /* errno when this fd's details could not be read, else 0 */
	char *target;             /* what it refers to as the kernel names it ("/etc/passwd",
	                             "pipe:[123]", "anon_inode:[eventfd]"), NUL-terminated;
	                             NULL if unknown */
	size_t target_len;
	enum fd_kind kind;        /* from the kind table (kinds.h) */

	/* the description's facts; valid when have_facts (in an order that
	 * leaves no padding: there is one record per fd) */
	bool have_facts;
	bool cloexec;             /* close-on-exec: a flag of this fd, not of its description */
	enum fd_access access;
	unsigned status;          /* FDF_* bits */
	int mnt_id;
	unsigned long long pos;
	unsigned long long ino;
	const struct fd_details *details;  /* what its kind adds (kinds/details.h): owned,
	                                      &fd_details_none or NULL (none); read it
	                                      with fd_details_of() */

	/* the inode's attributes; valid when have_stat */
	bool have_stat;
	bool deleted;
	mode_t st_mode;
	dev_t st_dev, st_rdev;
	off_t st_size;
	nlink_t st_nlink;
	const char *stat_skipped; /* why they were not read ("nfs4", "stat failed"), or
	                             NULL; shared (base/intern.h): the mount table is
	                             gone before rendering */
	const char *sock_proto;   /* a socket's protocol as the kernel names it
	                             ("UNIX-STREAM", "TCPv6"), shared (base/intern.h),
	                             or NULL */

	/* derived after the source (model.c) */
	int ofd;                  /* id of its open file description (1..), 0 if unknown */
	bool in_shared_ofd;       /* its description is held by another fd too */
	bool related;             /* shares its description with a selected process's fd */
	bool path_match;          /* refers to one of the PATH arguments */
	struct fd_entry *same_file;  /* another fd on the same file through a separate
	                                description (same process preferred), or NULL */
	struct process *proc;     /* the holder */
	struct fd_detail *detail; /* its other ends and kind details (endpoint.h), or NULL */
};

/* Accessors that keep readers short. */
/* Its kind's details; fd_details_none when it has none or none were read. */
static inline const struct fd_details *fd_details_of(const struct fd_entry *f)
{
	return f->details ? f->details : &fd_details_none;
}
static inline bool fd_append(const struct fd_entry *f) { return f->have_facts && (f->status & FDF_APPEND); }
static inline bool fd_nonblock(const struct fd_entry *f) { return f->have_facts && (f->status & FDF_NONBLOCK); }
/* Opened for writing (w or rw; not O_PATH). */
static inline bool fd_writable(const struct fd_entry *f)
{
	return f->have_facts && (f->access == ACCESS_W || f->access == ACCESS_RW);
}
static inline bool fd_readable(const struct fd_entry *f)
{
	return f->have_facts && (f->access == ACCESS_R || f->access == ACCESS_RW);
}
/* A file reached by a path (not a pipe, socket, anon inode or memfd). */
static inline bool fd_on_path(const struct fd_entry *f) { return kind_target_is_path(f->target, f->target_len); }
/* "r", "w", "rw", "path", or "?" when not known. */
const char *fd_access_name(const struct fd_entry *f);
/* Append the names of an fd's status flags ("O_APPEND", ...) to names[]
 * (at most max); O_PATH first when the access is path.  Returns the count. */
size_t fd_flag_names(const struct fd_entry *f, const char **names, size_t max);
/* The flags as the kernel's f_flags | O_CLOEXEC would read (fdinfo's "flags:"). */
unsigned fd_kernel_flags(const struct fd_entry *f);

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
	unsigned long long netns; /* its network namespace's inode, when the source read it
	                             with the process (BPF; /proc: one with sockets);
	                             0: read ns/net when needed */
	char sigignore[17], sigcatch[17], sigblocked[17];   /* 16 hex digits */
	char *exe;                /* raw readlink of /proc/PID/exe; NULL when unreadable
	                             (kernel thread, zombie, another user's process) */
	size_t exe_len;
	struct nofile_limit nofile;   /* RLIMIT_NOFILE from /proc/PID/limits, if have_nofile */
	bool have_nofile;
	struct thread_wait *waits;    /* what each thread is blocked in (waits.h), when
	                                 read; NULL when not asked or not readable */
	size_t nwaits;
	struct thread_states *tstate; /* its threads' system calls and wait channels
	                                 (thread_state.h), when read; owned */
	struct hold *holds;       /* cwd, rtd, txt, mem holds kept (holds.h), owned */
	size_t nholds;
	int holds_err;            /* errno when maps, cwd or root could not be read, else 0 */

	int err;                  /* errno when the fd table could not be read (EACCES), else 0 */
	bool selected;            /* asked for by -p/-u/-c: listed in full */
	bool gone;                /* vanished during the scan: left out of every output */
	bool related;             /* not selected, but holds a description a selected one holds */
	bool is_kthread;

	bool unread;              /* left out of a narrowed -p scan (bpf_pick.h): listed
	                             only (tree, zombies), nothing of it read */
	bool fds_partial;         /* fds holds only those related to the selection
	                             (a narrowed scan); fd_count is how many it has */
	size_t fd_count;

	struct fd_entry *fds;
	size_t nfds;
	bool fd_targets_packed;   /* the fds' targets live in the fds block (freed with it) */
};

struct fd_ref { int pid, fd; };

struct ofd_group {
	int id;
	enum ofd_proof proof;     /* what proved every holder is this description */
	int unverified_err;       /* PROOF_NONE: why (EPERM, ENOSYS, ESRCH); -1 = kcmp disabled */
	struct fd_entry **holders;  /* sorted by pid, then fd */
	size_t nholders;
	int nprocs;               /* distinct holder processes */
};

/* Whether the description's holders were proven to be one (kernel or kcmp). */
static inline bool ofd_proven(const struct ofd_group *g) { return g->proof != PROOF_NONE; }
/* "kernel", "kcmp" or "none", as JSON's "proof" says it. */
const char *ofd_proof_name(enum ofd_proof p);

enum kcmp_state { KCMP_OK, KCMP_PARTIAL_EPERM, KCMP_UNAVAILABLE, KCMP_DISABLED };

struct fd_source;

struct model_options {
	const char *procroot;     /* "/proc" */
	const struct fd_source *source;  /* what reads fds and descriptions (source.h);
	                                    NULL: the /proc source */
	bool source_fallback;     /* when source is refused (BPF: not root, no BTF ...),
	                             read with the /proc source instead (--source auto) */
	char *source_why;         /* when not: the caller's buffer of source_whylen bytes,
	                             filled with why model_build() failed */
	size_t source_whylen;
	bool use_kcmp;
	bool exact_subreapers;    /* the kernel's subreaper flags (BPF, subreaper_bpf.h): JSON and --tree show it */
	/* selection; a process is selected when it matches every non-empty list */
	const int *pids; size_t npids;
	const unsigned *uids; size_t nuids;
	const char *const *comms; size_t ncomms;
	/* PATH mode: match fds and other holds against these (pathq.h) */
	const struct path_query *queries; size_t nqueries;
	bool narrow;              /* -p alone: a source may read only what relates to
	                             the selection (the BPF source: bpf_pick.h) */
};

struct sock_table;

struct model {
	struct process *procs;    /* sorted by pid */
	size_t nprocs;
	struct ofd_group *ofds;   /* every description with at least one live fd, by id */
	struct fd_entry **ofd_holders;  /* one array holding every description's holders */
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
	const char *source;       /* the source that read it: "bpf", "proc" (static) */
	char source_fallback[256];  /* why --source auto did not read with BPF, or "" */
	const char *relocated_by; /* BPF: who matched the programs to the kernel's types,
	                             "kernel" or "libbpf" (static); NULL for /proc */
	bool narrowed;            /* only what relates to the -p selection was read */
	char narrow_refused[256]; /* why a -p scan read everything after all, or "" */
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
	struct proc_locks_early *locks_early;   /* /proc/locks being read meanwhile, until
	                             locks_read takes it (proc_locks_read.h) */
	struct sock_table *sockets;  /* the sock_diag dumps the socket fds' details
	                                point into (endpoint.h), or NULL */
	int self_parent;          /* fdshare's parent pid (it is left out of procs): it and
	                             its ancestors wait for fdshare, never evidence of a hang */
	struct sock_table *sock_dumps;  /* fdshare's network namespace's socket dumps a
	                                   source made already (-p: bpf_pick.h), for
	                                   endpoint_link to take instead of dumping again */
};

/* Pin p's /proc dir again into *dir (the scan holds none between reads),
 * checking it is still the process scanned (start time); unpin with
 * procfs_unpin(dir).  0, or -1 with errno (ESRCH: it ended, or its PID
 * belongs to a newcomer). */
int model_pin_again(const struct model *m, const struct process *p, struct pid_dir *dir);
/* qsort order of struct fd_entry pointers: by holder pid, then fd. */
int fd_cmp_holder(const void *x, const void *y);
/* Whether an errno says the scan itself ran out of a resource (fds, memory). */
bool model_short_of_resource(int err);

/* The description with this id, or NULL. */
const struct ofd_group *model_ofd(const struct model *m, int id);
/* The process with this pid, or NULL. */
const struct process *model_process(const struct model *m, int pid);

#endif
