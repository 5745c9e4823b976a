/* locks.bpf.h - the locks fdinfo shows on one fd, read from the inode's lock
 * lists by the task_file iterator (files.bpf.c) instead of from
 * /proc/PID/fdinfo/N's "lock:" lines.
 *
 * What fdinfo prints (fs/locks.c, show_fd_locks and lock_get_status, kernel
 * 6.9 and later): the inode's flock list, then its POSIX list (POSIX and OFD
 * locks), then its lease list; of each, the locks taken through this very
 * struct file (flc_file) and owned by it (flock, OFD, lease) or by the fd
 * table of the process being read (POSIX).  Per lock: its kind (FL_OFDLCK:
 * OFDLCK, else POSIX; FL_FLOCK: FLOCK), READ/WRITE/UNLCK (flc_type), the pid
 * (-1 for OFD; else flc_pid, an initial-namespace pid, translated into the
 * reader's namespace, 0 where it is not visible), the file's device and
 * inode (the fd's own: flc_file is this file) and the range (fl_start,
 * fl_end; OFFSET_MAX prints as EOF; a flock "0 EOF").
 *
 * Where this walk cannot give exactly that, it says so (FILE_LOCKS_UNREAD)
 * and the reader reads fdinfo as before: a list longer than LOCK_WALK_MAX, a
 * matching lock beyond FILE_LOCKS_MAX, any lease (a lease's printed type
 * depends on its break state: rare enough to leave to fdinfo), a lock flag
 * fdinfo prints otherwise (FL_ACCESS), a pid of another process that cannot
 * be translated here (no bpf_task_from_pid, before 6.2, or the process is
 * gone), or a kernel whose locks are not struct file_lock_core (before 6.9)
 * or without bpf_loop (before 5.17).
 *
 * The lists are walked without the kernel's flc_lock (a program cannot take
 * it): a lock taken or dropped at that instant may be seen or not, as with
 * two reads of fdinfo; every step is a checked read and the walk is bounded. */
#ifndef FDSHARE_BPF_LOCKS_H
#define FDSHARE_BPF_LOCKS_H

/* include/linux/filelock.h */
#define FL_POSIX   1
#define FL_FLOCK   2
#define FL_ACCESS  8
#define FL_OFDLCK  1024
#define OFFSET_MAX 0x7fffffffffffffffLL

/* Entries of one list walked at most. */
#define LOCK_WALK_MAX 64

/* libbpf sets a __weak kfunc the kernel lacks to 0 (libbpf before 1.2 has
 * no bpf_ksym_exists). */
#ifndef bpf_ksym_exists
#define bpf_ksym_exists(sym) ((void *)(sym) != (void *)0)
#endif

extern struct task_struct *bpf_task_from_pid(int pid) __ksym __weak;
extern void bpf_task_release(struct task_struct *p) __ksym __weak;

/* The locks of one fd being gathered: bpf_loop's context. */
struct lock_walk {
	__u64 file;                      /* the fd's struct file */
	__u64 files;                     /* the process's fd table */
	int init_tgid;                   /* the process, in the initial namespace */
	int reader_pid;                  /* ... and in the reader's */
	int reader_level;                /* the reader's pid namespace level */
	struct lock_rec *out;            /* FILE_LOCKS_MAX entries */
	__u32 n;
	int unread;                      /* FILE_LOCKS_UNREAD is due */
	struct list_head *pos, *head;    /* the list being walked, where */
};

/* flc_pid as fdinfo prints it; -1 with w->unread set when it cannot tell. */
static __always_inline int lock_pid(struct lock_walk *w, int pid)
{
	struct task_struct *t;
	int nr;

	if (pid <= 0)
		return pid;             /* a remote lock's: printed as it is */
	if (pid == w->init_tgid)
		return w->reader_pid;
	if (w->reader_level == 0)
		return pid;             /* the reader sees initial-namespace pids */
	if (!bpf_ksym_exists(bpf_task_from_pid) || !bpf_ksym_exists(bpf_task_release)) {
		w->unread = 1;
		return -1;
	}
	t = bpf_task_from_pid(pid);
	if (!t) {
		/* gone: fdinfo may still translate its number (a process
		 * group's id outlives its leader) */
		w->unread = 1;
		return -1;
	}
	nr = reader_tgid(t);
	bpf_task_release(t);
	return nr;
}

/* One entry of a list: kept when fdinfo would print it on this fd. */
static __always_inline void lock_visit(struct lock_walk *w, struct file_lock_core *c)
{
	struct file_lock *fl = (struct file_lock *)c;    /* c is its first member */
	struct lock_rec r = {};
	unsigned int flags;
	__u64 owner;

	if ((__u64)BPF_CORE_READ(c, flc_file) != w->file)
		return;
	owner = (__u64)BPF_CORE_READ(c, flc_owner);
	if (owner != w->files && owner != w->file)
		return;
	flags = BPF_CORE_READ(c, flc_flags);
	if (flags & FL_POSIX) {
		if (flags & FL_ACCESS) {
			w->unread = 1;
			return;
		}
		r.kind = flags & FL_OFDLCK ? LOCK_REC_OFD : LOCK_REC_POSIX;
		r.start = BPF_CORE_READ(fl, fl_start);
		r.end = BPF_CORE_READ(fl, fl_end);
		if (r.end == OFFSET_MAX)
			r.end = -1;
	} else if (flags & FL_FLOCK) {
		r.kind = LOCK_REC_FLOCK;
		r.end = -1;
	} else {
		w->unread = 1;
		return;
	}
	r.type = BPF_CORE_READ(c, flc_type);
	r.pid = flags & FL_OFDLCK ? -1 : lock_pid(w, BPF_CORE_READ(c, flc_pid));
	if (w->n >= FILE_LOCKS_MAX) {
		w->unread = 1;
		return;
	}
	w->out[w->n & FILE_LOCKS_MAX] = r;
	w->n++;
}

/* One step of a list walk (bpf_loop's callback: the verifier checks it
 * once, not once per step): 1 at the end of the list. */
static long lock_step(__u32 i, void *arg)
{
	struct lock_walk *w = arg;
	struct list_head *pos = w->pos;

	if (!pos || pos == w->head || w->unread)
		return 1;
	lock_visit(w, (struct file_lock_core *)((char *)pos -
			bpf_core_field_offset(struct file_lock_core, flc_list)));
	w->pos = BPF_CORE_READ(pos, next);
	return 0;
}

/* Walk the list at head (at most LOCK_WALK_MAX entries). */
static __always_inline void lock_walk_list(struct lock_walk *w, struct list_head *head)
{
	w->head = head;
	w->pos = BPF_CORE_READ(head, next);
	bpf_loop(LOCK_WALK_MAX, lock_step, w, 0);
	if (w->pos && w->pos != head)
		w->unread = 1;          /* longer than walked, or a broken link */
}

/* Gather w's locks from ctx's lists; FILE_LOCKS_UNREAD or the count, as
 * file_rec.bits wants them. */
static __always_inline __u8 lock_walk(struct lock_walk *w, struct file_lock_context *ctx)
{
	char *base = (char *)ctx;

	if (!bpf_core_type_exists(struct file_lock_core) ||
	    !bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_loop))
		return FILE_LOCKS_UNREAD;
	if (list_used(ctx, bpf_core_field_offset(struct file_lock_context, flc_lease),
		      BPF_CORE_READ(ctx, flc_lease.next)))
		return FILE_LOCKS_UNREAD;
	lock_walk_list(w, (struct list_head *)(base + bpf_core_field_offset(struct file_lock_context, flc_flock)));
	lock_walk_list(w, (struct list_head *)(base + bpf_core_field_offset(struct file_lock_context, flc_posix)));
	if (w->unread)
		return FILE_LOCKS_UNREAD;
	return (__u8)(w->n << FILE_LOCKS_SHIFT);
}

#endif
