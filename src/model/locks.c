/* locks.c - join the kernel's locks to the model (see locks.h).
 *
 * The order of the join:
 *  1. every fdinfo "lock:" line becomes a held lock, once per description
 *     (flock, OFD, lease) or per owning process (POSIX);
 *  2. /proc/locks (read during the scan: proc_locks_read.h) is parsed:
 *     each held line is matched to one of those (the same kind, type, pid,
 *     file and range) or added as seen there only;
 *     its "->" lines become its waiters;
 *  3. the locks are sorted by file and numbered;
 *  4. every fd of a locked file (same inode, and the same device as the
 *     lock prints it: learned from fdinfo lock lines of that mount and
 *     inode, else the mount's device from mountinfo) is tied to the locks
 *     its description carries or its process owns;
 *  5. the threads of every process holding an fd of a locked file (and of
 *     every waiter /proc/locks names) are read (syscall, wchan; once per
 *     process, thread_state.h: the sources read lock holders' while they
 *     have them pinned, the waits may have read others): a thread blocked in flock/fcntl(SETLKW) on such an
 *     fd is matched to a waiter of step 2, or, where /proc/locks shows
 *     none (a flock whose taker's pid is not visible here), made one;
 *  6. the locks of the PATH arguments are marked.
 *
 * Measured (kernel 6.18): the fdinfo of EVERY fd of a description shows its
 * flock, OFD lock or lease, in every process (the kernel prints the locks
 * whose owner is that file or that fd table); a POSIX lock shows on the
 * owner's fds of the description it was taken through only, so its
 * owner's other opens of the file are tied to it here (step 4). */
#include "model/locks.h"
#include "scan/proc_locks_read.h"
#include "scan/thread_state.h"
#include "scan/pathq.h"
#include "scan/mounts.h"
#include "scan/procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef F_OFD_SETLKW
#define F_OFD_SETLKW 38
#endif

/* An fd of a locked file, with the device the locks print for it. */
struct fd_file {
	const struct fd_entry *f;
	unsigned major, minor;
};

/* An fd and one lock it shows (the index of locks_of_fd). */
struct lock_ref {
	const struct fd_entry *f;
	size_t lock;
};

/* A (mount, inode) whose lock device fdinfo told us. */
struct learned_dev {
	int mnt_id;
	unsigned long long ino;
	unsigned major, minor;
};

/* An fd of a living process with an inode: tied to the locks of its file
 * if that is locked (step 4).  The inode beside the pointer: most fds are
 * of no locked file, and are not looked at again. */
struct candidate {
	unsigned long long ino;
	const struct fd_entry *f;
};

/* The join's working state; only the table outlives it. */
struct join {
	struct model *m;
	struct lock_table *t;
	size_t cap;                 /* of t->locks */
	bool *matched;              /* per lock: a /proc/locks line took it (step 2) */
	struct fd_file *files;      /* fds of locked files, by pointer */
	size_t nfiles;
	struct learned_dev *learned;
	size_t nlearned;
	struct candidate *cands;    /* fds that may be of a locked file, in process and fd order */
	size_t ncands;
};

/* ---- small comparisons ---- */

#define CMP(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

/* Order of what the kernel prints of a lock: file, range, kind, type, pid. */
static int cmp_fields(const struct lock_line *x, const struct lock_line *y)
{
	CMP(x->major, y->major);
	CMP(x->minor, y->minor);
	CMP(x->ino, y->ino);
	CMP(x->start, y->start);
	CMP(x->end, y->end);
	CMP(x->kind, y->kind);
	CMP(x->type, y->type);
	CMP(x->pid, y->pid);
	return 0;
}

static void fields_of(const struct held_lock *l, struct lock_line *x)
{
	memset(x, 0, sizeof(*x));
	x->kind = l->kind;
	x->type = l->type;
	x->start = l->start;
	x->end = l->end;
	x->pid = l->pid;
	x->major = l->major;
	x->minor = l->minor;
	x->ino = l->ino;
}

static bool same_file(const struct held_lock *l, unsigned major, unsigned minor,
		      unsigned long long ino)
{
	return l->ino == ino && l->major == major && l->minor == minor;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
	return (x > y) - (x < y);
}

static int cmp_fd_file(const void *a, const void *b)
{
	return cmp_ptr(((const struct fd_file *)a)->f, ((const struct fd_file *)b)->f);
}

static int cmp_ref(const void *a, const void *b)
{
	const struct lock_ref *x = a, *y = b;
	int c = cmp_ptr(x->f, y->f);

	return c ? c : (x->lock > y->lock) - (x->lock < y->lock);
}

/* ---- steps 1 and 2: the locks ---- */

static struct held_lock *add_lock(struct join *j, const struct lock_line *x)
{
	struct held_lock *l;

	grow_array((void **)&j->t->locks, &j->cap, j->t->nlocks + 1, sizeof(*l));
	l = &j->t->locks[j->t->nlocks++];
	memset(l, 0, sizeof(*l));
	l->kind = x->kind;
	l->type = x->type;
	l->start = x->start;
	l->end = x->end;
	l->pid = x->pid;
	l->major = x->major;
	l->minor = x->minor;
	l->ino = x->ino;
	return l;
}

/* One fdinfo lock line with the fd that shows it and its owner key: the
 * description (flock, OFD, lease) or the process (POSIX). */
struct observation {
	struct lock_line x;         /* a copy: the sort reads it many times */
	const struct fd_entry *f;
	long long owner;
	int pid, fd;                /* f's, for the same reason */
};

static int cmp_observation(const void *a, const void *b)
{
	const struct observation *o = a, *q = b;
	int c = cmp_fields(&o->x, &q->x);

	if (c)
		return c;
	CMP(o->owner, q->owner);
	CMP(o->pid, q->pid);
	CMP(o->fd, q->fd);
	return 0;
}

/* f's first lock line of its own inode: the device its locks print. */
static void learn_dev(struct join *j, const struct fd_entry *f, size_t *cap)
{
	size_t n;

	for (n = 0; n < fd_details_of(f)->nlock_lines; n++) {
		const struct lock_line *x = &fd_details_of(f)->lock_lines[n];
		if (!x->have_inode || x->ino != f->ino)
			continue;
		grow_array((void **)&j->learned, cap, j->nlearned + 1, sizeof(*j->learned));
		j->learned[j->nlearned++] = (struct learned_dev){ f->mnt_id, f->ino, x->major, x->minor };
		break;
	}
}

static int cmp_learned(const void *a, const void *b);

/* One walk over every fd (100,000s: each is looked at once here): the
 * fdinfo lock lines, the devices they teach, and the fds step 4 ties. */
static struct observation *walk_fds(struct join *j, size_t *count)
{
	struct observation *v = NULL;
	size_t i, k, n, cap = 0, lcap = 0, ccap = 0;

	*count = 0;
	for (i = 0; i < j->m->nprocs; i++) {
		const struct process *p = &j->m->procs[i];
		for (k = 0; k < p->nfds; k++) {
			const struct fd_entry *f = &p->fds[k];
			if (!p->gone && f->have_facts) {
				grow_array((void **)&j->cands, &ccap, j->ncands + 1, sizeof(*j->cands));
				j->cands[j->ncands++] = (struct candidate){ f->ino, f };
			}
			if (!f->details || !f->details->nlock_lines)
				continue;
			learn_dev(j, f, &lcap);
			for (n = 0; !p->gone && n < f->details->nlock_lines; n++) {
				const struct lock_line *x = &f->details->lock_lines[n];
				if (x->depth || !x->have_inode)
					continue;
				grow_array((void **)&v, &cap, *count + 1, sizeof(*v));
				v[(*count)++] = (struct observation){ *x, f,
					lk_kind_per_description(x->kind) ? f->ofd : p->pid, p->pid, f->fd };
			}
		}
	}
	if (j->nlearned)
		qsort(j->learned, j->nlearned, sizeof(*j->learned), cmp_learned);
	return v;
}

/* Every fdinfo lock line, once per description or owning process. */
static void observe_fdinfo(struct join *j)
{
	size_t i, count;
	struct observation *v = walk_fds(j, &count);

	if (count)
		qsort(v, count, sizeof(*v), cmp_observation);
	for (i = 0; i < count; i++) {
		struct held_lock *l;
		if (i && cmp_fields(&v[i].x, &v[i - 1].x) == 0 && v[i].owner == v[i - 1].owner)
			continue;
		l = add_lock(j, &v[i].x);
		l->via = v[i].f;
		if (lk_kind_per_description(l->kind))
			l->ofd = v[i].f->ofd;
		else if (l->kind == LK_POSIX)
			l->owner = v[i].f->proc;
	}
	free(v);
}

static void add_waiter(struct held_lock *l, const struct lock_waiter *w)
{
	l->waiters = xreallocarray(l->waiters, l->nwaiters + 1, sizeof(*w));
	l->waiters[l->nwaiters++] = *w;
}

static void waiter_from_line(struct held_lock *l, const struct lock_line *x)
{
	struct lock_waiter w = {
		.pid = x->pid > 0 ? x->pid : 0, .fd = -1, .kind = x->kind, .type = x->type,
		.have_type = true, .start = x->start, .end = x->end, .have_range = true,
		.depth = x->depth,
	};
	add_waiter(l, &w);
}

/* A lock's fields beside its index: the sorted index /proc/locks lines are
 * matched against. */
struct keyed {
	struct lock_line x;
	size_t lock;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *p = a, *q = b;
	int c = cmp_fields(&p->x, &q->x);

	return c ? c : (p->lock > q->lock) - (p->lock < q->lock);
}

static struct keyed *fields_order(const struct lock_table *t)
{
	struct keyed *v = xcalloc(t->nlocks + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < t->nlocks; i++) {
		fields_of(&t->locks[i], &v[i].x);
		v[i].lock = i;
	}
	if (t->nlocks)
		qsort(v, t->nlocks, sizeof(*v), cmp_keyed);
	return v;
}

/* The first position in v[0..n) whose fields are not below x's. */
static size_t lower_bound(const struct keyed *v, size_t n, const struct lock_line *x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_fields(&v[mid].x, x) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void read_proc_locks_lines(struct join *j, const char *procroot)
{
	struct proc_locks_text text;
	struct lock_line *v;
	size_t len, n, i, k, nseen, current = SIZE_MAX;
	struct keyed *order;
	char *buf;

	proc_locks_take(j->m->locks_early, procroot, &text);
	j->m->locks_early = NULL;
	buf = text.buf;
	len = text.len;
	j->t->proc_locks_err = text.err;
	if (!buf)
		return;
	n = lock_lines_parse(buf, len, &v, &j->t->bad_lines);
	free(buf);
	j->matched = xcalloc(j->t->nlocks + n + 1, sizeof(bool));
	nseen = j->t->nlocks;
	order = fields_order(j->t);
	for (i = 0; i < n; i++) {
		if (v[i].depth) {
			if (current != SIZE_MAX)
				waiter_from_line(&j->t->locks[current], &v[i]);
			continue;
		}
		current = SIZE_MAX;
		if (!v[i].have_inode)
			continue;
		/* the first lock fdinfo showed with these fields and no line yet */
		for (k = lower_bound(order, nseen, &v[i]); k < nseen && current == SIZE_MAX &&
		     cmp_fields(&order[k].x, &v[i]) == 0; k++)
			if (!j->matched[order[k].lock])
				current = order[k].lock;
		if (current == SIZE_MAX) {
			struct held_lock *l = add_lock(j, &v[i]);
			if (l->kind == LK_POSIX && l->pid > 0)
				l->owner = model_process(j->m, l->pid);
			if (l->owner && l->owner->gone)
				l->owner = NULL;
			current = j->t->nlocks - 1;
		}
		j->matched[current] = true;
		j->t->locks[current].in_proc_locks = true;
	}
	free(order);
	free(v);
}

/* ---- step 3 ---- */

static int cmp_lock(const void *a, const void *b)
{
	const struct held_lock *x = a, *y = b;

	if (x->major != y->major)
		return x->major < y->major ? -1 : 1;
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return (x->ofd > y->ofd) - (x->ofd < y->ofd);
}

static void number_locks(struct lock_table *t)
{
	size_t i;

	if (t->nlocks)
		qsort(t->locks, t->nlocks, sizeof(*t->locks), cmp_lock);
	for (i = 0; i < t->nlocks; i++)
		t->locks[i].id = (int)i + 1;
}

/* ---- step 4: fds ---- */

static int cmp_learned(const void *a, const void *b)
{
	const struct learned_dev *x = a, *y = b;

	CMP(x->mnt_id, y->mnt_id);
	CMP(x->ino, y->ino);
	return 0;
}


/* The locked inodes, hashed: the first test for each of the many fds
 * (most of them of no locked file).  Slot value 0 is empty; inode 0 is
 * kept aside. */
struct ino_set {
	unsigned long long *slots;
	size_t mask;
	bool zero;
};

static size_t ino_slot(const struct ino_set *s, unsigned long long ino)
{
	return (size_t)((ino * 0x9E3779B97F4A7C15ull) >> 32) & s->mask;
}

static void ino_set_build(struct ino_set *s, const struct lock_table *t)
{
	size_t i, k, size = 16;

	while (size < 2 * t->nlocks)
		size *= 2;
	s->slots = xcalloc(size, sizeof(*s->slots));
	s->mask = size - 1;
	s->zero = false;
	for (i = 0; i < t->nlocks; i++) {
		unsigned long long ino = t->locks[i].ino;
		if (!ino) {
			s->zero = true;
			continue;
		}
		for (k = ino_slot(s, ino); s->slots[k] && s->slots[k] != ino; k = (k + 1) & s->mask)
			;
		s->slots[k] = ino;
	}
}

static bool ino_set_has(const struct ino_set *s, unsigned long long ino)
{
	size_t k;

	if (!ino)
		return s->zero;
	for (k = ino_slot(s, ino); s->slots[k]; k = (k + 1) & s->mask)
		if (s->slots[k] == ino)
			return true;
	return false;
}

/* The device f's locks print: fdinfo's word for its mount and inode, else
 * the mount's device.  false when neither is known. */
static bool lock_dev_of(struct join *j, struct mount_table *mounts, struct process *p,
			const struct fd_entry *f, unsigned *major, unsigned *minor)
{
	const struct mount_info *mi;
	struct pid_dir dir;
	struct learned_dev key = { f->mnt_id, f->ino, 0, 0 };
	const struct learned_dev *ld = j->nlearned ?
		bsearch(&key, j->learned, j->nlearned, sizeof(key), cmp_learned) : NULL;

	if (ld) {
		*major = ld->major;
		*minor = ld->minor;
		return true;
	}
	mi = mounts_find(mounts, f->mnt_id);
	if (!mi && model_pin_again(j->m, p, &dir) == 0) {
		/* a mount of another namespace: the scan unpinned p, pin it again */
		if (mounts_load_ns(mounts, dir.dirfd) == 0)
			mi = mounts_find(mounts, f->mnt_id);
		procfs_unpin(&dir);
	}
	if (!mi)
		return false;
	*major = major(mi->dev);
	*minor = minor(mi->dev);
	return true;
}

/* The first lock of file (major, minor, ino): the locks are sorted by file. */
static size_t first_of_file(const struct lock_table *t, unsigned major, unsigned minor,
			    unsigned long long ino)
{
	size_t lo = 0, hi = t->nlocks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct held_lock *l = &t->locks[mid];
		if (l->major < major || (l->major == major && (l->minor < minor ||
		    (l->minor == minor && l->ino < ino))))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether f's own fdinfo lists l. */
static bool fd_shows(const struct fd_entry *f, const struct held_lock *l)
{
	struct lock_line x;
	size_t i;

	fields_of(l, &x);
	for (i = 0; i < fd_details_of(f)->nlock_lines; i++)
		if (fd_details_of(f)->lock_lines[i].depth == 0 && cmp_fields(&fd_details_of(f)->lock_lines[i], &x) == 0)
			return true;
	return false;
}

/* A flock, OFD lock or lease: on the fds of its description, each of which
 * the kernel lists it for (so even a grouping kcmp could not prove cannot
 * add a holder); a POSIX lock: on its owner's fds of the file. */
static bool fd_carries(const struct held_lock *l, const struct fd_entry *f)
{
	if (lk_kind_per_description(l->kind))
		return l->ofd && l->ofd == f->ofd && fd_shows(f, l);
	return l->kind == LK_POSIX && l->owner == f->proc;
}

/* Room for one more in v, an array of n grown by doubling: full when n is
 * a power of two (the capacity is the smallest one not below n). */
static void *room_for_one(void *v, size_t n, size_t size)
{
	return n && (n & (n - 1)) ? v : xreallocarray(v, n ? 2 * n : 1, size);
}

/* f shows lock n: f and its process (the fds come in process order, so a
 * process is new when it is not the last one) go on the lock's lists. */
static void tie_fd(struct join *j, size_t lock, const struct fd_entry *f, size_t *cap)
{
	struct held_lock *l = &j->t->locks[lock];

	l->fds = room_for_one(l->fds, l->nfds, sizeof(*l->fds));
	l->fds[l->nfds++] = f;
	if (!l->nholders || l->holders[l->nholders - 1] != f->proc) {
		l->holders = room_for_one(l->holders, l->nholders, sizeof(*l->holders));
		l->holders[l->nholders++] = f->proc;
	}
	grow_array((void **)&j->t->refs, cap, j->t->nrefs + 1, sizeof(*j->t->refs));
	j->t->refs[j->t->nrefs++] = (struct lock_ref){ f, lock };
}

/* l's holder processes: those of its fds (tie_fd), else its POSIX owner. */
static void owner_as_holder(struct held_lock *l)
{
	if (!l->nholders && l->owner) {
		l->holders = xcalloc(1, sizeof(*l->holders));
		l->holders[l->nholders++] = l->owner;
	}
}

static void tie_fds(struct join *j)
{
	struct mount_table *mounts = mounts_new();
	struct ino_set inos;
	size_t i, n, cap = 0, refcap = 0;
	unsigned major, minor;

	ino_set_build(&inos, j->t);

	for (i = 0; j->t->nlocks && i < j->ncands; i++) {
		const struct fd_entry *f = j->cands[i].f;
		bool locked_file = false;
		if (!ino_set_has(&inos, j->cands[i].ino) ||
		    !fd_on_path(f) || !lock_dev_of(j, mounts, f->proc, f, &major, &minor))
			continue;
		for (n = first_of_file(j->t, major, minor, f->ino); n < j->t->nlocks &&
		     same_file(&j->t->locks[n], major, minor, f->ino); n++) {
			struct held_lock *l = &j->t->locks[n];
			locked_file = true;
			if (fd_carries(l, f))
				tie_fd(j, n, f, &refcap);
		}
		if (!locked_file)
			continue;
		grow_array((void **)&j->files, &cap, j->nfiles + 1, sizeof(*j->files));
		j->files[j->nfiles++] = (struct fd_file){ f, major, minor };
	}
	mounts_free(mounts);
	free(inos.slots);
	if (j->nfiles)
		qsort(j->files, j->nfiles, sizeof(*j->files), cmp_fd_file);
	if (j->t->nrefs)
		qsort(j->t->refs, j->t->nrefs, sizeof(*j->t->refs), cmp_ref);
	for (i = 0; i < j->t->nlocks; i++)
		owner_as_holder(&j->t->locks[i]);
}

static const struct fd_file *file_of(const struct join *j, const struct fd_entry *f)
{
	struct fd_file key = { f, 0, 0 };

	return j->nfiles ? bsearch(&key, j->files, j->nfiles, sizeof(key), cmp_fd_file) : NULL;
}

/* ---- step 5: threads ---- */

static int cmp_lock_proc(const void *a, const void *b)
{
	const struct lock_proc *x = a, *y = b;
	return (x->proc->pid > y->proc->pid) - (x->proc->pid < y->proc->pid);
}

static const struct fd_entry *fd_of(const struct process *p, int fd)
{
	size_t lo = 0, hi = p->nfds;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->fds[mid].fd == fd)
			return &p->fds[mid];
		if (p->fds[mid].fd < fd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* What a thread blocked in nr(arg0, arg1) asks for: 1 a flock (type set),
 * 2 a POSIX or OFD lock (fcntl; kind set), 0 nothing. */
static int request_of(long nr, unsigned long long arg1, enum lk_kind *kind, enum lk_type *type)
{
#ifdef SYS_flock
	if (nr == SYS_flock && !(arg1 & LOCK_NB) && (arg1 & (LOCK_SH | LOCK_EX))) {
		*kind = LK_FLOCK;
		*type = arg1 & LOCK_EX ? LK_WRITE : LK_READ;
		return 1;
	}
#endif
#ifdef SYS_fcntl
	if (nr == SYS_fcntl && (arg1 == F_SETLKW || arg1 == F_OFD_SETLKW)) {
		*kind = arg1 == F_SETLKW ? LK_POSIX : LK_OFD;
		return 2;
	}
#endif
	(void)nr;
	(void)arg1;
	(void)kind;
	(void)type;
	return 0;
}

/* lp's threads from its process's thread states (thread_state.h: read
 * once, shared with the waits). */
static void fill_threads(struct lock_proc *lp)
{
	const struct thread_states *t = lp->proc->tstate;
	enum lk_kind kind;
	enum lk_type type;
	size_t i;

	if (!t || t->err) {
		lp->err = t ? t->err : ESRCH;
		return;
	}
	lp->threads = xcalloc(t->n + 1, sizeof(*lp->threads));
	lp->nthreads = t->n;
	for (i = 0; i < t->n; i++) {
		const struct syscall_info *si = &t->v[i].sc;
		struct lock_thread *th = &lp->threads[i];
		th->tid = si->tid;
		th->running = si->running;
		th->nr = si->running ? -1 : si->nr;
		th->arg0 = si->arg0;
		th->arg1 = si->arg1;
		th->lock_request = !th->running && th->nr >= 0 &&
			request_of(th->nr, th->arg1, &kind, &type) != 0;
		memcpy(th->wchan, t->v[i].wchan, sizeof(th->wchan));
	}
}

/* p once: taken[] marks the processes (by their place in the model) already
 * in the table, so the work stays linear in locked fds and processes. */
static void add_proc(struct join *j, const struct process *p, bool *taken, size_t *cap)
{
	if (!p || p->gone || p->err || taken[p - j->m->procs])
		return;
	taken[p - j->m->procs] = true;
	grow_array((void **)&j->t->procs, cap, j->t->nprocs + 1, sizeof(*j->t->procs));
	memset(&j->t->procs[j->t->nprocs], 0, sizeof(*j->t->procs));
	j->t->procs[j->t->nprocs++].proc = p;
}

static void read_all_threads(struct join *j)
{
	size_t i, k, cap = 0;
	bool *taken = xcalloc(j->m->nprocs + 1, sizeof(*taken));
	struct process **need;

	for (i = 0; i < j->nfiles; i++)
		add_proc(j, j->files[i].f->proc, taken, &cap);
	for (i = 0; i < j->t->nlocks; i++)
		for (k = 0; k < j->t->locks[i].nwaiters; k++)
			if (j->t->locks[i].waiters[k].pid > 0)
				add_proc(j, model_process(j->m, j->t->locks[i].waiters[k].pid), taken,
					 &cap);
	free(taken);
	/* one visit per process, shared with the waits (those it read are not
	 * read again) */
	need = xcalloc(j->t->nprocs + 1, sizeof(*need));
	for (i = 0; i < j->t->nprocs; i++)
		need[i] = &j->m->procs[j->t->procs[i].proc - j->m->procs];
	thread_state_need(j->m, need, j->t->nprocs, true);
	free(need);
	for (i = 0; i < j->t->nprocs; i++)
		fill_threads(&j->t->procs[i]);
	if (j->t->nprocs)
		qsort(j->t->procs, j->t->nprocs, sizeof(*j->t->procs), cmp_lock_proc);
}

/* ---- step 5, continued: blocked threads as waiters ---- */

static bool conflicts(const struct held_lock *l, enum lk_kind kind, enum lk_type type,
		      const struct fd_entry *f)
{
	if (kind == LK_FLOCK)
		return l->kind == LK_FLOCK && l->ofd != f->ofd && (type == LK_WRITE || l->type == LK_WRITE);
	return false;
}

/* A /proc/locks waiter of the same file and kind this thread may be. */
static struct lock_waiter *listed_waiter(struct join *j, const struct fd_file *ff,
					 const struct process *p, enum lk_kind kind)
{
	size_t i, k;

	for (i = 0; i < j->t->nlocks; i++) {
		struct held_lock *l = &j->t->locks[i];
		if (!same_file(l, ff->major, ff->minor, ff->f->ino))
			continue;
		for (k = 0; k < l->nwaiters; k++) {
			struct lock_waiter *w = &l->waiters[k];
			if (w->tid || w->kind != kind)
				continue;
			if (w->pid == p->pid || (kind == LK_OFD && w->pid == 0))
				return w;
		}
	}
	return NULL;
}

static void match_thread(struct join *j, const struct process *p, const struct lock_thread *th)
{
	enum lk_kind kind = LK_OTHER;
	enum lk_type type = LK_WRITE;
	const struct fd_entry *f;
	const struct fd_file *ff;
	struct lock_waiter *w, made;
	int what = request_of(th->nr, th->arg1, &kind, &type);
	size_t i;

	if (!th->lock_request || !what || th->arg0 > INT_MAX ||
	    !(f = fd_of(p, (int)th->arg0)) || !(ff = file_of(j, f)))
		return;
	if ((w = listed_waiter(j, ff, p, kind))) {
		w->pid = p->pid;
		w->tid = th->tid;
		w->fd = f->fd;
		return;
	}
	if (what != 1)
		return;   /* POSIX and OFD requests are always in /proc/locks */
	made = (struct lock_waiter){ .pid = p->pid, .tid = th->tid, .fd = f->fd, .kind = kind,
		.type = type, .have_type = true, .start = 0, .end = -1, .have_range = true,
		.depth = 1 };
	for (i = 0; i < j->t->nlocks; i++) {
		struct held_lock *l = &j->t->locks[i];
		if (same_file(l, ff->major, ff->minor, f->ino) && conflicts(l, kind, type, f))
			add_waiter(l, &made);
	}
}

static void match_threads(struct join *j)
{
	size_t i, k;

	for (i = 0; i < j->t->nprocs; i++)
		for (k = 0; k < j->t->procs[i].nthreads; k++)
			match_thread(j, j->t->procs[i].proc, &j->t->procs[i].threads[k]);
}

/* The locks of the PATH arguments: by stat's device, which is the
 * superblock's on most file systems, or through an fd of the file. */
static void mark_paths(const struct model_options *o, struct lock_table *t)
{
	size_t i, k;

	for (i = 0; i < t->nlocks; i++) {
		struct held_lock *l = &t->locks[i];
		for (k = 0; k < o->nqueries && !l->path_match; k++) {
			const struct path_query *q = &o->queries[k];
			bool same_dev = l->major == major(q->dev) && l->minor == minor(q->dev);
			/* a file: that inode; a mount point: any lock on its device */
			l->path_match = !q->err && ((q->kind == PQ_FILE && same_dev && l->ino == q->ino) ||
						    (q->kind == PQ_MOUNT && same_dev));
		}
		for (k = 0; o->nqueries && k < l->nfds && !l->path_match; k++)
			l->path_match = l->fds[k]->path_match;
	}
}

void locks_read(const struct model_options *o, struct model *m)
{
	struct join j = { .m = m };

	j.t = xcalloc(1, sizeof(*j.t));
	m->locks = j.t;
	observe_fdinfo(&j);
	read_proc_locks_lines(&j, o->procroot);
	number_locks(j.t);
	tie_fds(&j);
	read_all_threads(&j);
	match_threads(&j);
	mark_paths(o, j.t);
	free(j.matched);
	free(j.files);
	free(j.learned);
	free(j.cands);
}

void locks_free(struct lock_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nlocks; i++) {
		free(t->locks[i].fds);
		free(t->locks[i].holders);
		free(t->locks[i].waiters);
	}
	free(t->locks);
	free(t->refs);
	for (i = 0; i < t->nprocs; i++)
		free(t->procs[i].threads);
	free(t->procs);
	free(t);
}

/* ---- queries ---- */

size_t locks_of_fd(const struct model *m, const struct fd_entry *f,
		   const struct held_lock **out, size_t max)
{
	const struct lock_table *t = m->locks;
	size_t lo = 0, hi = t ? t->nrefs : 0, n = 0;

	/* the first ref of f, then the run of them (ordered by lock, so by id) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_ptr(t->refs[mid].f, f) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; t && lo < t->nrefs && t->refs[lo].f == f && n < max; lo++)
		if (!n || out[n - 1] != &t->locks[t->refs[lo].lock])
			out[n++] = &t->locks[t->refs[lo].lock];
	return n;
}

const struct held_lock *locks_by_id(const struct model *m, int id)
{
	return m->locks && id >= 1 && (size_t)id <= m->locks->nlocks ? &m->locks->locks[id - 1] : NULL;
}

const struct lock_proc *locks_proc(const struct model *m, const struct process *p)
{
	size_t lo = 0, hi = m->locks ? m->locks->nprocs : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct lock_proc *lp = &m->locks->procs[mid];
		if (lp->proc->pid == p->pid)
			return lp;
		if (lp->proc->pid < p->pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

enum lock_stall locks_stall(const struct model *m, const struct process *p)
{
	const struct lock_proc *lp;
	size_t i;

	if (p->state == 'T')
		return STALL_STOPPED;
	if (p->state == 't')
		return STALL_TRACED;
	lp = locks_proc(m, p);
	if (!lp || !lp->threads || !lp->nthreads)
		return STALL_UNKNOWN;
	for (i = 0; i < lp->nthreads; i++)
		if (!lp->threads[i].lock_request)
			return STALL_NONE;
	return STALL_LOCK_WAIT;
}

bool lock_awaited_by(const struct held_lock *l, const struct process *p)
{
	size_t i;

	for (i = 0; i < l->nwaiters; i++)
		if (l->waiters[i].pid == p->pid)
			return true;
	return false;
}

const struct held_lock *locks_awaited(const struct model *m, const struct process *p)
{
	size_t i;

	for (i = 0; m->locks && i < m->locks->nlocks; i++)
		if (lock_awaited_by(&m->locks->locks[i], p))
			return &m->locks->locks[i];
	return NULL;
}

/* ---- words ---- */

static const char *syscall_name(long nr)
{
	static const struct { long nr; const char *name; } names[] = {
		{ SYS_read, "read" }, { SYS_write, "write" }, { SYS_readv, "readv" },
		{ SYS_writev, "writev" }, { SYS_flock, "flock" }, { SYS_fcntl, "fcntl" },
		{ SYS_wait4, "wait4" }, { SYS_waitid, "waitid" }, { SYS_nanosleep, "nanosleep" },
		{ SYS_clock_nanosleep, "clock_nanosleep" }, { SYS_accept4, "accept4" },
		{ SYS_epoll_pwait, "epoll_pwait" }, { SYS_ppoll, "ppoll" },
		{ SYS_pselect6, "pselect6" }, { SYS_futex, "futex" }, { SYS_recvfrom, "recvfrom" },
		{ SYS_recvmsg, "recvmsg" }, { SYS_sendto, "sendto" }, { SYS_sendmsg, "sendmsg" },
		{ SYS_connect, "connect" }, { SYS_rt_sigsuspend, "rt_sigsuspend" },
		{ SYS_rt_sigtimedwait, "rt_sigtimedwait" },
#ifdef SYS_pause
		{ SYS_pause, "pause" },
#endif
#ifdef SYS_accept
		{ SYS_accept, "accept" },
#endif
#ifdef SYS_epoll_wait
		{ SYS_epoll_wait, "epoll_wait" },
#endif
#ifdef SYS_poll
		{ SYS_poll, "poll" },
#endif
#ifdef SYS_select
		{ SYS_select, "select" },
#endif
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(names); i++)
		if (names[i].nr == nr)
			return names[i].name;
	return NULL;
}

/* Calls whose first argument is an fd worth naming. */
static bool takes_fd(long nr)
{
	return nr == SYS_read || nr == SYS_write || nr == SYS_readv || nr == SYS_writev ||
		nr == SYS_flock || nr == SYS_fcntl || nr == SYS_accept4 || nr == SYS_recvfrom ||
		nr == SYS_recvmsg || nr == SYS_sendto || nr == SYS_sendmsg || nr == SYS_connect ||
		nr == SYS_epoll_pwait;
}

static void say_thread(const struct lock_thread *th, struct strbuf *sb)
{
	const char *name;

	if (th->running) {
		sb_adds(sb, "running");
		return;
	}
	if (th->nr < 0) {
		sb_adds(sb, "sleeping outside a system call");
	} else {
		name = syscall_name(th->nr);
		if (name)
			sb_printf(sb, "sleeping in %s", name);
		else
			sb_printf(sb, "sleeping in system call %ld", th->nr);
		if (takes_fd(th->nr) && th->arg0 <= INT_MAX)
			sb_printf(sb, " on fd %d", (int)th->arg0);
	}
	if (th->wchan[0])
		sb_printf(sb, " (%s)", th->wchan);
}

void locks_say_state(const struct model *m, const struct process *p, struct strbuf *sb)
{
	const struct lock_proc *lp = locks_proc(m, p);
	size_t i;

	if (p->state == 'T' || p->state == 't') {
		sb_adds(sb, p->state == 'T' ? "stopped (T)" : "traced (t)");
		return;
	}
	if (p->state == 'D')
		sb_adds(sb, "in uninterruptible sleep (D), ");
	if (!lp || !lp->threads || !lp->nthreads) {
		sb_printf(sb, "state %c, threads not readable", p->state ? p->state : '?');
		return;
	}
	for (i = 0; i < lp->nthreads && i < 4; i++) {
		if (i)
			sb_adds(sb, "; ");
		if (lp->nthreads > 1)
			sb_printf(sb, "thread %d ", lp->threads[i].tid);
		say_thread(&lp->threads[i], sb);
	}
	if (lp->nthreads > 4)
		sb_printf(sb, "; %zu more threads", lp->nthreads - 4);
}

void locks_say_lock(const struct held_lock *l, struct strbuf *sb)
{
	sb_printf(sb, "%s %s", lk_kind_name(l->kind), lk_type_name(l->type));
	if (l->kind == LK_POSIX || l->kind == LK_OFD) {
		if (l->end < 0)
			sb_printf(sb, " %lld-EOF", l->start);
		else
			sb_printf(sb, " %lld-%lld", l->start, l->end);
	}
}

void locks_say_file(const struct held_lock *l, struct strbuf *sb)
{
	const struct fd_entry *f = l->nfds ? l->fds[0] : l->via;

	if (f && f->target)
		sb_add(sb, f->target, f->target_len);
	else
		sb_printf(sb, "dev %02x:%02x inode %llu", l->major, l->minor, l->ino);
}
