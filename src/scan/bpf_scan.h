/* bpf_scan.h - every fd of every process, and every process's subreaper
 * flags, read from the kernel by fdshare's BPF programs (src/scan/bpf/: a
 * task_file iterator in one object, the task iterators in another, each
 * loaded (bpf_load.h) and run on a thread of its own).
 *
 * As root on a kernel with BTF that allows BPF, one read() loop visits every
 * (process, fd) of the reader's pid namespace: the struct file pointer is the
 * open file description itself (exact identity, no kcmp), and pos, flags,
 * close-on-exec, mount id, inode, device and the path come in the same
 * record.  The kernel pointer never leaves this module: each distinct one is
 * a small id (1..nfiles) in the table.
 *
 * Nothing here prints: bpf_load.c keeps libbpf's messages for the reason. */
#ifndef FDSHARE_BPF_SCAN_H
#define FDSHARE_BPF_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "scan/lockparse.h"
#include "scan/subreaper_bpf.h"

/* One lock fdinfo would show on an fd (the program read it from the inode's
 * lock lists: records.h's struct lock_rec). */
struct bpf_lock {
	long long start;
	long long end;                /* inclusive; -1: to the end of the file */
	int pid;                      /* as fdinfo prints it (-1: an OFD lock) */
	enum lk_kind kind;            /* LK_POSIX, LK_OFD or LK_FLOCK */
	enum lk_type type;
};

/* One (process, fd), as the kernel holds it at the iteration. */
struct bpf_fd {
	int pid;                      /* in the reader's pid namespace */
	int fd;
	unsigned file_id;             /* its open file description: equal ids = one
	                                 struct file (the kernel's identity), 1..nfiles */
	unsigned lock_at;             /* where its lock records are in raw (bpf_scan_lock) */
	unsigned long long pos;       /* f_pos */
	unsigned long long ino;
	long long size;               /* the inode's i_size */
	unsigned flags;               /* the description's f_flags (no O_CLOEXEC) */
	unsigned fmode;               /* f_mode: FMODE_READ 1, FMODE_WRITE 2, ... */
	dev_t dev;                    /* the inode's superblock device (user encoding) */
	dev_t rdev;                   /* a device node's device */
	int mnt_id;                   /* as /proc/PID/fdinfo/N's mnt_id */
	unsigned nlink;               /* 0: the file was deleted */
	mode_t i_mode;                /* type and permission bits */
	bool cloexec;                 /* the fd's close-on-exec bit */
	bool locked;                  /* its inode holds locks (flock, POSIX, OFD, lease) */
	bool locks_unread;            /* locked, but the program could not tell which of
	                                 them fdinfo shows on this fd: read it there */
	unsigned char nlocks;         /* when locked and read: how many locks fdinfo shows
	                                 on this fd (bpf_scan_lock) */
	int path_err;                 /* errno when the path was asked for and could
	                                 not be read (ENAMETOOLONG), else 0 */
	const char *path;             /* as readlink of /proc/PID/fd/N, NUL-terminated,
	                                 in the table's storage; NULL when not read */
	size_t path_len;              /* without the NUL */
	char proto[16];               /* a socket's protocol name ("TCPv6"), or "" */
};

struct bpf_scan {
	struct bpf_fd *fds;           /* sorted by pid, then fd; owned */
	size_t nfds;
	unsigned nfiles;              /* distinct open file descriptions */
	size_t nprocs;                /* distinct pids among fds */
	struct subreaper_table subreapers;  /* when asked for; owned */
	double load_seconds;          /* open, relocate, verify, load */
	double iter_seconds;          /* attach, create and read the iterators */
	char *raw;                    /* the paths and the lock records (bpf_scan_lock),
	                                 one after another; owned */
	char *made;                   /* NULL once the paths are in raw */
	char *task_raw;               /* the task records (records.h struct task_rec), as
	                                 read, when asked for (bpf_tasks.h decodes them); owned */
	unsigned long long tasks_start;   /* when the task iterator began: CLOCK_BOOTTIME
	                                 as the kernel keeps it (start_boottime's clock) */
	size_t task_len;
	char *cmdline_raw;            /* the cmdline records (struct cmdline_rec + bytes), as
	                                 read; NULL when the kernel refused that program */
	size_t cmdline_len;
	int *maps_pids;               /* when asked for: the processes that map code maps
	                                 would show as deleted (vmas.bpf.c), sorted; owned */
	size_t nmaps_pids;
	unsigned *again;              /* the processes the task_file iterator was run
	                                 again for, bound to each (bpf_scan_missed):
	                                 their records replaced, sorted pids; owned */
	size_t nagain;
};

struct bpf_scan_options {
	bool files;                   /* run the task_file iterator */
	bool paths;                   /* with each fd's path (bpf_d_path) */
	bool subreapers;              /* run the task iterator (subreaper flags) */
	bool tasks;                   /* run the task iterators of tasks.bpf.c (every
	                                 process's facts, and its arguments where the
	                                 kernel allows a sleepable iterator) */
	bool maps;                    /* run the task_vma iterator (deleted code mapped) */
	bool pick;                    /* the -p filter (bpf_pick.h) will be used: its
	                                 tables are made full size (else one entry) */
};

/* Which processes the task_file iterator saw.  The task iterators (the
 * listing) and the task_file one run at the same time, on two threads: a
 * process the listing has may have started after the fd iterator passed
 * its PID (a PID reused), or may hold a PID whose fds the fd iterator read
 * from an earlier holder.  So the fd iterator marks each process it reaches
 * (pid, start time: records.h FILE_REC_TASK) and bpf_scanner_run reads
 * again, bound to it, each listed process (not a zombie, not a kernel
 * thread) that it did not mark with that start time and that started less
 * than BPF_MISSED_MARGIN_NS before it began, or whose PID it marked with
 * another start time (those fds hidden).  One it did not mark that was
 * there long before simply had no fds.  The margin covers fork's step from
 * taking the start time to making the task visible to iterators. */
struct bpf_mark {
	unsigned pid;
	unsigned long long start;     /* start_boottime, ns */
};

#define BPF_MISSED_MARGIN_NS 1000000000ULL

/* Of the task records task_raw[0..task_len) (records.h struct task_rec),
 * those to read again, given the fd iterator's marks[0..nmarks) (sorted by
 * pid) and when it began (files_start, the kernel's boottime ns): into
 * reread (room for one per task record), the count returned; the marks
 * whose fds are another process's into drop (room for one per task
 * record), *ndrop set.  Pure: tests/unit/unit_bpf_seen.c. */
size_t bpf_scan_missed(const char *task_raw, size_t task_len, const struct bpf_mark *marks,
		       size_t nmarks, unsigned long long files_start, struct bpf_mark *reread,
		       struct bpf_mark *drop, size_t *ndrop);

/* The loaded programs (opaque). */
struct bpf_scanner;

/* Load the programs o asks for into *out (close with bpf_scanner_close).
 * Returns 0, or -1 with errno and why (a sentence for an admin, at most
 * whylen bytes) filled: EPERM not root / in a container, ENOENT no kernel
 * BTF, EPERM or EINVAL under lockdown, EINVAL or EACCES the verifier refused
 * (libbpf's words added). */
int bpf_scanner_open(const struct bpf_scan_options *o, struct bpf_scanner **out,
		     char *why, size_t whylen);
/* Run the loaded iterators (the task one first) into *out (free with
 * bpf_scan_free).  0, or -1 with errno and why. */
int bpf_scanner_run(struct bpf_scanner *s, struct bpf_scan *out, char *why, size_t whylen);
/* What bpf_scanner_run_fed tells its caller on the second thread while the
 * fd iterator still reads on the first, so that the caller's per-process
 * work starts as soon as records exist.  Either may be NULL. */
struct bpf_scan_feed {
	/* once: out's task, cmdline and mapping records are in */
	void (*tasks_in)(void *arg, struct bpf_scan *out);
	/* again and again: each process with a pid below upto has all its fd
	 * records in out (bpf_scan_process finds them, on this thread only).
	 * Do a little (a few processes) and return true, or return false when
	 * nothing is left to do below upto.  Records may still be replaced
	 * after (out->again: take those processes' fds anew). */
	bool (*fds_upto)(void *arg, const struct bpf_scan *out, int upto);
	void *arg;
};

/* bpf_scanner_run, feeding feed (not called when the two cannot run side
 * by side: one CPU, or no region for the records). */
int bpf_scanner_run_fed(struct bpf_scanner *s, const struct bpf_scan_feed *feed,
			struct bpf_scan *out, char *why, size_t whylen);
/* Run the task_file iterator bound to process pid alone (its threads'
 * tables) into *out (free with bpf_scan_free): its fds, and whatever the
 * -p filter (bpf_pick.h) is set to do.  0, or -1 with errno (ESRCH,
 * ENOENT: no such process). */
int bpf_scanner_run_process(struct bpf_scanner *s, int pid, struct bpf_scan *out);
/* The fd of the loaded object's map name (the -p filter's, when opened
 * with pick), or -1. */
int bpf_scanner_map_fd(const struct bpf_scanner *s, const char *name);
/* Unload; safe on NULL. */
void bpf_scanner_close(struct bpf_scanner *s);
/* Who matched the loaded programs to the kernel's types: "kernel" (its
 * own BTF, through the light skeletons) or "libbpf" (bpf_load.h). */
const char *bpf_scanner_relocated_by(const struct bpf_scanner *s);

/* The subreaper flags alone: the flags of every process of the caller's
 * pid namespace into *out (free with subreaper_table_free).  Returns 0, or
 * -1 with errno: EPERM when not root, otherwise why the kernel or libbpf
 * refused (EPERM, EACCES, EINVAL, ENOENT: no BTF). */
int subreaper_bpf_read(struct subreaper_table *out);
/* The same for a model read from procroot: also -1 with EXDEV when
 * procroot/self is not the caller (a /proc of another pid namespace, or a
 * fake one), whose pids are not the iterator's.  EPERM comes first. */
int subreaper_bpf_read_at(const char *procroot, struct subreaper_table *out);

/* Open, run and close at once. */
int bpf_scan_read(const struct bpf_scan_options *o, struct bpf_scan *out,
		  char *why, size_t whylen);

/* Whether procroot is the /proc of the caller's pid namespace (procroot/self
 * is the caller): only then are its pids the iterators'.  A fake /proc or
 * another namespace's is not. */
bool bpf_scan_procroot_ours(const char *procroot);

/* The boottime offset of the caller's time namespace in ns (0 without one):
 * /proc/PID/stat shows start times shifted by it. */
long long bpf_scan_boottime_offset(void);

/* Free what bpf_scan_read filled (not out itself); safe on a zeroed table. */
void bpf_scan_free(struct bpf_scan *s);

/* Free the fd records and their paths, keeping the subreaper table and
 * nfiles: once a source has taken what it needs from them. */
void bpf_scan_drop_fds(struct bpf_scan *s);

/* The task iterator's record of pid (its start time: which process), or NULL. */
const struct subreaper_flag *bpf_scan_task(const struct bpf_scan *s, int pid);
/* Whether pid maps code that maps would show as deleted (asked with maps). */
bool bpf_scan_maps_deleted(const struct bpf_scan *s, int pid);
/* Lock i (< f->nlocks) of those fdinfo shows on f, in its order, into *out. */
void bpf_scan_lock(const struct bpf_scan *s, const struct bpf_fd *f, unsigned i, struct bpf_lock *out);
/* The fds of pid in s (a run of s->fds), *n set to their count; NULL when none. */
const struct bpf_fd *bpf_scan_process(const struct bpf_scan *s, int pid, size_t *n);

#endif
