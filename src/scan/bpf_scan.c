/* bpf_scan.c - run the iterators of fdshare's BPF objects (src/scan/bpf/,
 * loaded by bpf_load.c) and turn their records into tables.
 *
 * Steps, each one a way to fail (the first errno is returned, with a reason):
 *   check                  root, kernel BTF present
 *   load                   bpf_load.c: the programs are relocated against the
 *                          running kernel's BTF (kernel_types.h), the verifier
 *                          checks them: EPERM without CAP_BPF + CAP_PERFMON (a
 *                          container), EPERM/EINVAL under lockdown, EINVAL or
 *                          EACCES when the verifier refuses
 *   attach, create, read   per iterator: a bpf_link, an iterator fd, read()
 *                          until 0; each read runs the program over more tasks
 *   decode                 records (records.h) into struct bpf_fd; each
 *                          distinct struct file pointer becomes a small id,
 *                          then the pointers are forgotten
 *
 * Start times: the task program reads task->start_boottime (ns since boot);
 * /proc/PID/stat shows it in clock ticks, shifted by the reader's time
 * namespace offset (/proc/self/timens_offsets, "boottime SECS NSECS"), so the
 * same conversion is made here. */
#include "scan/bpf_scan.h"
#include "scan/bpf_load.h"
#include "base/parallel.h"
#include "base/util.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/types.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "scan/bpf/records.h"

_Static_assert(sizeof(struct subreaper_rec) == 16, "the program writes 16-byte records");
_Static_assert(sizeof(struct file_rec) == 88, "the program writes 88-byte records");
_Static_assert(sizeof(struct lock_rec) == 24, "the program writes 24-byte lock records");
_Static_assert(sizeof(struct maps_rec) == 8, "the program writes 8-byte mapping records");

/* "socket:[" + 20 digits + "]" + NUL */
#define MADE_PATH_MAX 32

#define PF_KTHREAD_FLAG 0x00200000u   /* task_rec.flags: a kernel thread */

static int cmp_flag(const void *a, const void *b)
{
	const struct subreaper_flag *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Paths made from the inode number ("pipe:[ino]"), in blocks that never
 * move (the records point into them) chained from s->made: the first
 * pointer of a block is the next block. */
#define MADE_PER_BLOCK 4096

static void free_made(char *made)
{
	while (made) {
		char *next;
		memcpy(&next, made, sizeof(next));
		free(made);
		made = next;
	}
}

void bpf_scan_free(struct bpf_scan *s)
{
	if (!s)
		return;
	bpf_scan_drop_fds(s);
	free(s->task_raw);
	free(s->cmdline_raw);
	free(s->maps_pids);
	free(s->again);
	subreaper_table_free(&s->subreapers);
	memset(s, 0, sizeof(*s));
}

void bpf_scan_drop_fds(struct bpf_scan *s)
{
	free(s->fds);
	free(s->raw);
	free_made(s->made);
	s->fds = NULL;
	s->raw = s->made = NULL;
	s->nfds = 0;
}

const struct subreaper_flag *bpf_scan_task(const struct bpf_scan *s, int pid)
{
	struct subreaper_flag key = { .pid = pid };

	return bsearch(&key, s->subreapers.flags, s->subreapers.n, sizeof(key), cmp_flag);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

bool bpf_scan_maps_deleted(const struct bpf_scan *s, int pid)
{
	return s->nmaps_pids && bsearch(&pid, s->maps_pids, s->nmaps_pids, sizeof(pid), cmp_int);
}

const struct bpf_fd *bpf_scan_process(const struct bpf_scan *s, int pid, size_t *n)
{
	size_t lo = 0, hi = s->nfds, end;

	*n = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->fds[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < s->nfds && s->fds[end].pid == pid; end++)
		;
	*n = end - lo;
	return *n ? &s->fds[lo] : NULL;
}

bool bpf_scan_procroot_ours(const char *procroot)
{
	char path[4096], link[32];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/self", procroot);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = '\0';
	return strtol(link, NULL, 10) == (long)getpid();
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Where an iterator's output goes: a buffer grown as needed, or a region
 * reserved once that never moves (a reader on another thread decodes it as
 * it fills: each read's end is published under lock, readers woken). */
struct sink {
	char *buf;
	size_t len, cap;
	bool fixed;                   /* cap is the reserved region's size */
	pthread_mutex_t *lock;        /* with fixed: publish len here */
	pthread_cond_t *more;
	size_t *published;
};

/* Each read() gives whole records when it has room for the kernel's buffer
 * (8 pages): ask with more. */
#define READ_ROOM 65536

/* Run one iterator program to the end, over the tasks of process pid only
 * when pid > 0 (bpf_iter_link_info.task.pid); its output appended to the
 * sink.  0, or -1 with errno (the sink keeps what it held). */
static int run_iter_sink(int prog, int pid, struct sink *k)
{
	union bpf_iter_link_info linfo;
	LIBBPF_OPTS(bpf_link_create_opts, opts);
	size_t start = k->len;
	ssize_t r;
	int link, fd, err = 0;

	if (prog < 0) {
		errno = EINVAL;
		return -1;
	}
	memset(&linfo, 0, sizeof(linfo));
	linfo.task.pid = (__u32)pid;
	opts.iter_info = &linfo;
	opts.iter_info_len = sizeof(linfo);
	link = bpf_link_create(prog, 0, BPF_TRACE_ITER, pid > 0 ? &opts : NULL);
	if (link < 0)
		return -1;
	fd = bpf_iter_create(link);
	if (fd < 0) {
		err = errno;
		close(link);
		errno = err;
		return -1;
	}
	for (;;) {
		if (!k->fixed)
			grow_array((void **)&k->buf, &k->cap, k->len + READ_ROOM, 1);
		else if (k->cap - k->len < READ_ROOM) {
			err = E2BIG;
			break;
		}
		r = read(fd, k->buf + k->len, k->cap - k->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = errno;
			break;
		}
		if (r == 0)
			break;
		k->len += (size_t)r;
		if (k->lock) {
			pthread_mutex_lock(k->lock);
			*k->published = k->len;
			pthread_cond_signal(k->more);
			pthread_mutex_unlock(k->lock);
		}
	}
	close(fd);
	close(link);
	if (err) {
		k->len = start;
		errno = err;
		return -1;
	}
	return 0;
}

static int run_iter_into(int prog, int pid, char **buf, size_t *len, size_t *cap)
{
	struct sink k = { .buf = *buf, .len = *len, .cap = *cap };
	int r = run_iter_sink(prog, pid, &k);

	*buf = k.buf;
	*len = k.len;
	*cap = k.cap;
	return r;
}

/* run_iter_into a new buffer *buf; its length, or -1 with errno. */
static ssize_t run_iter(int prog, int pid, char **buf)
{
	size_t len = 0, cap = 0;
	int err;

	*buf = NULL;
	if (run_iter_into(prog, pid, buf, &len, &cap) < 0) {
		err = errno;
		free(*buf);
		*buf = NULL;
		errno = err;
		return -1;
	}
	return (ssize_t)len;
}

/* ---- subreaper records ---- */

long long bpf_scan_boottime_offset(void)
{
	char line[128];
	long long secs, nsecs, off = 0;
	FILE *f = fopen("/proc/self/timens_offsets", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "boottime %lld %lld", &secs, &nsecs) == 2)
			off = secs * 1000000000LL + nsecs;
	fclose(f);
	return off;
}

static int decode_subreapers(struct subreaper_table *out, const char *buf, size_t len)
{
	long hz = sysconf(_SC_CLK_TCK);
	long long off = bpf_scan_boottime_offset();
	size_t i, n = len / sizeof(struct subreaper_rec);

	if (hz <= 0 || 1000000000L % hz) {
		errno = EINVAL;
		return -1;
	}
	out->flags = xcalloc(n + 1, sizeof(*out->flags));
	for (i = 0; i < n; i++) {
		struct subreaper_rec r;
		struct subreaper_flag *f = &out->flags[out->n];
		long long ns;
		memcpy(&r, buf + i * sizeof(r), sizeof(r));
		if (r.pid == 0 || r.pid > INT32_MAX)
			continue;
		ns = (long long)r.start_boottime + off;
		f->pid = (int)r.pid;
		f->start_time = ns < 0 ? 0 : (unsigned long long)ns / (unsigned long long)(1000000000L / hz);
		f->is_child_subreaper = r.is_child_subreaper;
		f->has_child_subreaper = r.has_child_subreaper;
		out->n++;
	}
	qsort(out->flags, out->n, sizeof(*out->flags), cmp_flag);
	return 0;
}

/* ---- file records ---- */

/* struct file pointers to small ids: open addressing, a power of two,
 * doubled when half full. */
struct id_map {
	uint64_t *keys;
	unsigned *ids;
	size_t mask;
	unsigned next;
};

static void id_map_init(struct id_map *m, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	m->keys = xcalloc(cap, sizeof(*m->keys));
	m->ids = xcalloc(cap, sizeof(*m->ids));
	m->mask = cap - 1;
	m->next = 1;
}

static size_t id_map_slot(const struct id_map *m, uint64_t key)
{
	size_t i = (size_t)((key >> 6) * 0x9E3779B97F4A7C15ULL) & m->mask;

	while (m->ids[i] && m->keys[i] != key)
		i = (i + 1) & m->mask;
	return i;
}

static void id_map_grow(struct id_map *m)
{
	struct id_map old = *m;
	size_t i;

	id_map_init(m, old.mask + 1);
	m->next = old.next;
	for (i = 0; i <= old.mask; i++)
		if (old.ids[i]) {
			size_t j = id_map_slot(m, old.keys[i]);
			m->keys[j] = old.keys[i];
			m->ids[j] = old.ids[i];
		}
	free(old.keys);
	free(old.ids);
}

static unsigned id_map_get(struct id_map *m, uint64_t key)
{
	size_t i = id_map_slot(m, key);

	if (!m->ids[i]) {
		if (2 * (size_t)m->next > m->mask) {
			id_map_grow(m);
			i = id_map_slot(m, key);
		}
		m->keys[i] = key;
		m->ids[i] = m->next++;
	}
	return m->ids[i];
}

static void id_map_free(struct id_map *m)
{
	free(m->keys);
	free(m->ids);
}

static int cmp_fd(const void *a, const void *b)
{
	const struct bpf_fd *x = a, *y = b;
	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->fd > y->fd) - (x->fd < y->fd);
}

/* The kernel's dev_t (major << 20 | minor) as user space encodes it. */
static dev_t user_dev(uint32_t kdev)
{
	return makedev(kdev >> 20, kdev & 0xfffff);
}

/* The lock records after a file record's path. */
static size_t rec_locks(const struct file_rec *r)
{
	return (size_t)(r->bits >> FILE_LOCKS_SHIFT) & FILE_LOCKS_MAX;
}

/* A record's whole length: it, its path, its lock records. */
static size_t rec_size(const struct file_rec *r)
{
	return sizeof(*r) + r->path_len + rec_locks(r) * sizeof(struct lock_rec);
}

void bpf_scan_lock(const struct bpf_scan *s, const struct bpf_fd *f, unsigned i, struct bpf_lock *out)
{
	struct lock_rec l;

	memcpy(&l, s->raw + f->lock_at + (size_t)i * sizeof(l), sizeof(l));
	*out = (struct bpf_lock){
		.start = l.start, .end = l.end, .pid = l.pid,
		.kind = l.kind == LOCK_REC_OFD ? LK_OFD : l.kind == LOCK_REC_FLOCK ? LK_FLOCK : LK_POSIX,
		.type = l.type == F_WRLCK ? LK_WRITE : l.type == F_RDLCK ? LK_READ : LK_UNLCK,
	};
}

/* One process's run of records: its mark, and where its fds begin. */
struct run_seg {
	struct bpf_mark mark;
	size_t first;                 /* index in s->fds */
};

/* The file records decoded as they come: decode_more() may be called again
 * and again on a buffer the iterator is still appending to. */
struct decoder {
	struct id_map ids;
	size_t cap;                   /* of s->fds */
	size_t off;                   /* bytes of raw decoded */
	size_t made_left;             /* room in the newest made block */
	bool sorted, with_paths;
	int last_pid;
	struct run_seg *segs;         /* one per mark, in order */
	size_t nsegs, segcap;
};

static void decoder_init(struct decoder *d, size_t nfds_guess, bool with_paths)
{
	memset(d, 0, sizeof(*d));
	id_map_init(&d->ids, nfds_guess);
	d->sorted = true;
	d->with_paths = with_paths;
}

/* "pipe:[ino]" or "socket:[ino]" into made storage; its length in *len. */
static const char *make_path(struct bpf_scan *s, struct decoder *d, bool pipe,
			     unsigned long long ino, size_t *len)
{
	char digits[24], *p;
	size_t n = 0;

	if (!d->made_left) {
		char *block = xmalloc(sizeof(char *) + MADE_PER_BLOCK * MADE_PATH_MAX);
		memcpy(block, &s->made, sizeof(char *));
		s->made = block;
		d->made_left = MADE_PER_BLOCK;
	}
	p = s->made + sizeof(char *) + (MADE_PER_BLOCK - d->made_left) * MADE_PATH_MAX;
	d->made_left--;
	/* by hand: snprintf was a tenth of the decoding */
	do
		digits[n++] = (char)('0' + ino % 10);
	while ((ino /= 10) && n < sizeof(digits));
	*len = pipe ? 6 : 8;
	memcpy(p, pipe ? "pipe:[" : "socket:[", *len);
	while (n)
		p[(*len)++] = digits[--n];
	p[(*len)++] = ']';
	p[*len] = '\0';
	return p;
}

/* Decode the whole records of raw[d->off .. len): the paths stay in raw,
 * the made ones go to s->made. */
static void decode_more(struct bpf_scan *s, struct decoder *d, char *raw, size_t len)
{
	while (d->off + sizeof(struct file_rec) <= len) {
		struct file_rec r;
		struct bpf_fd *f;
		size_t off = d->off;
		char *path = raw + off + sizeof(r);

		memcpy(&r, raw + off, sizeof(r));
		if (off + rec_size(&r) > len)
			break;          /* the rest comes with the next read */
		d->off += rec_size(&r);
		if (r.fd == FILE_REC_TASK) {
			grow_array((void **)&d->segs, &d->segcap, d->nsegs + 1, sizeof(*d->segs));
			d->segs[d->nsegs++] = (struct run_seg){ { r.pid, r.pos }, s->nfds };
			continue;
		}
		if (r.pid == 0 || r.pid > INT32_MAX || r.fd > INT32_MAX)
			continue;
		grow_array((void **)&s->fds, &d->cap, s->nfds + 1, sizeof(*s->fds));
		f = &s->fds[s->nfds];
		memset(f, 0, sizeof(*f));
		/* the lock records stay in raw (an offset: raw is far below 4 GiB) */
		f->nlocks = off + sizeof(r) + r.path_len <= UINT32_MAX ? (unsigned char)rec_locks(&r) : 0;
		f->lock_at = f->nlocks ? (unsigned)(off + sizeof(r) + r.path_len) : 0;
		f->locks_unread = (r.bits & FILE_LOCKS_UNREAD) || (rec_locks(&r) && !f->nlocks);
		f->pid = (int)r.pid;
		f->fd = (int)r.fd;
		f->file_id = id_map_get(&d->ids, r.file);
		f->pos = r.pos;
		f->ino = r.ino;
		f->size = r.size;
		f->flags = r.flags;
		f->fmode = r.fmode;
		f->dev = user_dev(r.dev);
		f->rdev = user_dev(r.rdev);
		f->mnt_id = r.mnt_id;
		f->nlink = r.nlink;
		f->i_mode = r.i_mode;
		f->cloexec = r.cloexec;
		f->locked = (r.bits & FILE_LOCKED) != 0;
		f->path_err = r.path_err < 0 ? -r.path_err : 0;
		if (r.path_len > 0) {
			path[r.path_len - 1] = '\0';
			f->path = path;
			f->path_len = strlen(path);
		} else if (d->with_paths && (r.bits & FILE_PATH_MADE)) {
			f->path = make_path(s, d, (r.bits & FILE_PATH_MADE) == FILE_PATH_PIPE, r.ino,
					    &f->path_len);
		}
		memcpy(f->proto, r.proto, sizeof(f->proto));
		f->proto[sizeof(f->proto) - 1] = '\0';
		if (f->pid < d->last_pid)
			d->sorted = false;
		if (f->pid != d->last_pid)
			s->nprocs++;
		d->last_pid = f->pid;
		s->nfds++;
	}
}

/* Done decoding: the fds sorted by pid and fd, the ids counted. */
static void decoder_finish(struct bpf_scan *s, struct decoder *d)
{
	s->nfiles = d->ids.next - 1;
	id_map_free(&d->ids);
	free(d->segs);
	d->segs = NULL;
	/* The kernel visits tasks by increasing pid and each table by increasing fd. */
	if (!d->sorted)
		qsort(s->fds, s->nfds, sizeof(*s->fds), cmp_fd);
}

/* Decode the records in s->raw (len bytes) at once. */
static void decode_files(struct bpf_scan *s, size_t len, bool with_paths)
{
	struct decoder d;

	decoder_init(&d, len / 128 + 1, with_paths);
	decode_more(s, &d, s->raw, len);
	decoder_finish(s, &d);
}

/* Move every path, and every fd's lock records (bpf_scan_lock reads them
 * at lock_at), into one block of their own size and free the records they
 * were read with: the records (about three times the paths' bytes) would
 * otherwise stay for the whole read of the processes, at the peak.  raw
 * itself is freed here unless raw_mapped (the caller unmaps it). */
static void compact_paths(struct bpf_scan *s, bool raw_mapped)
{
	size_t i, total = 1, off = 0;
	char *paths;

	for (i = 0; i < s->nfds; i++) {
		if (s->fds[i].path)
			total += s->fds[i].path_len + 1;
		total += s->fds[i].nlocks * sizeof(struct lock_rec);
	}
	paths = xmalloc(total);
	/* the lock records first: the block is smaller than raw, so an
	 * offset that fitted there fits here */
	for (i = 0; i < s->nfds; i++) {
		struct bpf_fd *f = &s->fds[i];
		size_t n = f->nlocks * sizeof(struct lock_rec);
		if (!n)
			continue;
		memcpy(paths + off, s->raw + f->lock_at, n);
		f->lock_at = (unsigned)off;
		off += n;
	}
	for (i = 0; i < s->nfds; i++) {
		struct bpf_fd *f = &s->fds[i];
		if (!f->path)
			continue;
		memcpy(paths + off, f->path, f->path_len + 1);
		f->path = paths + off;
		off += f->path_len + 1;
	}
	if (!raw_mapped)
		free(s->raw);
	free_made(s->made);
	s->raw = paths;
	s->made = NULL;
}

/* ---- mapping records ---- */

static void decode_maps(struct bpf_scan *s, const char *buf, size_t len)
{
	size_t i, n = len / sizeof(struct maps_rec);

	s->maps_pids = xcalloc(n + 1, sizeof(*s->maps_pids));
	for (i = 0; i < n; i++) {
		struct maps_rec r;
		memcpy(&r, buf + i * sizeof(r), sizeof(r));
		if (r.pid > 0 && r.pid <= INT32_MAX)
			s->maps_pids[s->nmaps_pids++] = (int)r.pid;
	}
	qsort(s->maps_pids, s->nmaps_pids, sizeof(*s->maps_pids), cmp_int);
}

/* ---- which processes the fd iterator saw ---- */

static int cmp_mark(const void *a, const void *b)
{
	const struct bpf_mark *x = a, *y = b;
	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->start > y->start) - (x->start < y->start);
}

/* The mark of pid among marks[0..n) (sorted), or NULL. */
static const struct bpf_mark *find_mark(const struct bpf_mark *marks, size_t n, uint32_t pid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (marks[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && marks[lo].pid == pid ? &marks[lo] : NULL;
}

size_t bpf_scan_missed(const char *task_raw, size_t task_len, const struct bpf_mark *marks,
		       size_t nmarks, unsigned long long files_start, struct bpf_mark *reread,
		       struct bpf_mark *drop, size_t *ndrop)
{
	size_t i, n = task_len / sizeof(struct task_rec), nreread = 0;

	*ndrop = 0;
	for (i = 0; i < n; i++) {
		struct task_rec t;
		const struct bpf_mark *m;
		memcpy(&t, task_raw + i * sizeof(t), sizeof(t));
		/* kernel threads have no fd table, zombies none any more */
		if (t.pid == 0 || (t.flags & PF_KTHREAD_FLAG) || t.exit_state)
			continue;
		m = find_mark(marks, nmarks, t.pid);
		if (m && m->start == t.start_boottime)
			continue;                         /* seen */
		if (m)
			drop[(*ndrop)++] = *m;            /* another process with its PID */
		else if (t.start_boottime + BPF_MISSED_MARGIN_NS < files_start)
			continue;                         /* there all along: no fds */
		reread[nreread++] = (struct bpf_mark){ t.pid, t.start_boottime };
	}
	return nreread;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return (x > y) - (x < y);
}

/* Leave out of s->fds those after a mark in drop[0..ndrop) (sorted), and
 * those before index main of a process in again[0..nagain) (sorted: read
 * again after it). */
static void filter_fds(struct bpf_scan *s, const struct decoder *d, size_t main,
		       const struct bpf_mark *drop, size_t ndrop, const unsigned *again, size_t nagain)
{
	size_t i, kept = 0, seg = 0;
	int last_pid = 0;

	if (!ndrop && !nagain)
		return;
	for (i = 0; i < s->nfds; i++) {
		const struct bpf_fd *f = &s->fds[i];
		bool hide = false;
		unsigned pid = (unsigned)f->pid;
		while (seg + 1 < d->nsegs && d->segs[seg + 1].first <= i)
			seg++;
		if (seg < d->nsegs && d->segs[seg].first <= i && d->segs[seg].mark.pid == pid)
			hide = bsearch(&d->segs[seg].mark, drop, ndrop, sizeof(*drop), cmp_mark) != NULL;
		if (i < main && bsearch(&pid, again, nagain, sizeof(pid), cmp_uint))
			hide = true;
		if (!hide)
			s->fds[kept++] = *f;
	}
	s->nfds = kept;
	/* the ids stay: a description only hidden fds held has no holder
	 * left, and no holder, no description (model_set_ofds) */
	s->nprocs = 0;
	for (i = 0; i < s->nfds; i++) {
		s->nprocs += s->fds[i].pid != last_pid;
		last_pid = s->fds[i].pid;
	}
}

/* ---- the loaded programs ---- */

struct bpf_scanner {
	struct bpf_objects *loaded;   /* the programs and maps (bpf_load.h) */
	struct bpf_scan_options opt;
	double load_seconds;
};

static bool wants_tasks_object(const struct bpf_scan_options *o)
{
	return o->tasks || o->maps;
}

void bpf_scanner_close(struct bpf_scanner *s)
{
	if (!s)
		return;
	bpf_objects_close(s->loaded);
	free(s);
}

int bpf_scanner_open(const struct bpf_scan_options *o, struct bpf_scanner **out,
		     char *why, size_t whylen)
{
	struct bpf_scanner *s;
	double t0 = now_seconds();
	int err;

	*out = NULL;
	why[0] = '\0';
	if (geteuid() != 0) {
		snprintf(why, whylen, "not root: BPF iterators need CAP_BPF and CAP_PERFMON");
		errno = EPERM;
		return -1;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK) < 0) {
		snprintf(why, whylen, "this kernel has no BTF (/sys/kernel/btf/vmlinux): "
			 "the programs cannot be matched to its types");
		errno = ENOENT;
		return -1;
	}
	s = xcalloc(1, sizeof(*s));
	s->opt = *o;
	if (bpf_objects_load(o, &s->loaded, why, whylen) < 0) {
		err = errno;
		free(s);
		errno = err;
		return -1;
	}
	s->load_seconds = now_seconds() - t0;
	*out = s;
	return 0;
}

/* The fd records' region: reserved, not committed (the pages are taken as
 * the records fill them), so that it never moves while another thread
 * decodes it. */
#define RAW_RESERVE (8ULL << 30)

/* The fd iterator's run, and its records decoded as they come. */
struct files_run {
	struct bpf_scanner *s;
	struct bpf_scan *out;
	struct sink k;                /* the records */
	struct decoder d;
	pthread_mutex_t lock;
	pthread_cond_t more;
	size_t published;             /* bytes of k.buf read (under lock) */
	bool finished;                /* no more will come (under lock) */
	unsigned long long start;     /* when it began: CLOCK_BOOTTIME as the kernel
	                                 keeps it (start_boottime's clock) */
	int err;
	const char *failed;
};

/* Decode on this thread what the fd iterator reads on the other, until it
 * is done (with the reserved region only: a grown buffer moves); between
 * reads, the caller's work on the processes whose records are complete. */
static void decode_while_read(struct files_run *f, const struct bpf_scan_feed *feed)
{
	bool work = feed && feed->fds_upto, finished;
	size_t seen = 0, avail;

	if (!f->k.fixed)
		return;
	for (;;) {
		pthread_mutex_lock(&f->lock);
		avail = f->published;
		finished = f->finished;
		pthread_mutex_unlock(&f->lock);
		if (avail != seen) {
			decode_more(f->out, &f->d, f->k.buf, avail);
			seen = avail;
		}
		if (finished)
			return;
		/* records come by increasing pid: those below the last one
		 * decoded are whole */
		if (work && f->d.sorted && f->d.last_pid > 0 &&
		    feed->fds_upto(feed->arg, f->out, f->d.last_pid))
			continue;
		pthread_mutex_lock(&f->lock);
		while (!f->finished && f->published == seen)
			pthread_cond_wait(&f->more, &f->lock);
		pthread_mutex_unlock(&f->lock);
	}
}

/* One run of the process iterators (tasks, cmdlines, vmas), the second
 * thread's share while the first reads the fds; then it decodes those. */
struct tasks_run {
	struct bpf_scanner *s;
	struct bpf_scan *out;
	struct files_run *files;
	const struct bpf_scan_feed *feed;
	int err;
	const char *failed;           /* which iterator */
};

static unsigned long long kernel_boottime_now(void);

static void run_tasks_side(void *arg)
{
	struct tasks_run *t = arg;
	struct bpf_scanner *s = t->s;
	struct bpf_scan *out = t->out;
	char *buf = NULL;
	ssize_t len;

	if (s->opt.tasks) {
		out->tasks_start = kernel_boottime_now();
		len = run_iter(bpf_objects_prog(s->loaded, BPF_PROG_TASKS), 0, &out->task_raw);
		if (len < 0) {
			t->err = errno ? errno : EINVAL;
			t->failed = "task";
			return;
		}
		out->task_len = (size_t)len;
	}
	if (bpf_objects_prog(s->loaded, BPF_PROG_CMDLINES) >= 0) {
		/* without it the arguments come from /proc: not a failure */
		len = run_iter(bpf_objects_prog(s->loaded, BPF_PROG_CMDLINES), 0, &out->cmdline_raw);
		out->cmdline_len = len > 0 ? (size_t)len : 0;
	}
	if (s->opt.maps) {
		bpf_objects_rewind_vmas(s->loaded);
		len = run_iter(bpf_objects_prog(s->loaded, BPF_PROG_VMAS), 0, &buf);
		if (len < 0) {
			t->err = errno ? errno : EINVAL;
			t->failed = "task_vma";
			return;
		}
		decode_maps(out, buf, (size_t)len);
		free(buf);
	}
	if (t->files) {
		if (t->feed && t->feed->tasks_in)
			t->feed->tasks_in(t->feed->arg, out);
		decode_while_read(t->files, t->feed);
	}
}

static unsigned long long kernel_boottime_now(void)
{
	struct timespec ts;
	long long ns;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	ns = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec - bpf_scan_boottime_offset();
	return ns > 0 ? (unsigned long long)ns : 0;
}

static void run_files_side(void *arg)
{
	struct files_run *f = arg;
	struct bpf_scanner *s = f->s;
	char *buf = NULL;
	ssize_t len;

	if (s->opt.subreapers) {
		len = run_iter(bpf_objects_prog(s->loaded, BPF_PROG_SUBREAPER), 0, &buf);
		if (len < 0 || decode_subreapers(&f->out->subreapers, buf, (size_t)len) < 0) {
			f->err = errno ? errno : EINVAL;
			f->failed = "task";
		}
		free(buf);
	}
	if (s->opt.files && !f->err) {
		f->start = kernel_boottime_now();
		bpf_objects_rewind_files(s->loaded);
		if (run_iter_sink(bpf_objects_prog(s->loaded, BPF_PROG_FILES), 0, &f->k) < 0) {
			f->err = errno ? errno : EINVAL;
			f->failed = "task_file";
		}
	}
	pthread_mutex_lock(&f->lock);
	f->finished = true;
	pthread_cond_signal(&f->more);
	pthread_mutex_unlock(&f->lock);
}

/* The decoded paths that point into a grown buffer that moved from old
 * (len bytes) to new. */
static void rebase_paths(struct bpf_scan *s, uintptr_t old, size_t len, char *new)
{
	size_t i;

	for (i = 0; i < s->nfds; i++) {
		uintptr_t p = (uintptr_t)s->fds[i].path;
		if (p >= old && p < old + len)
			s->fds[i].path = new + (p - old);
	}
}

/* After both shares, the records decoded so far: read again, bound to it,
 * every listed process the fd iterator did not mark and may have missed
 * (started about when it ran: its PID passed already), or whose PID it saw
 * held by another process; those records left out.  0, or -1 with errno. */
static int complete_files(struct files_run *f)
{
	struct bpf_scan *out = f->out;
	struct bpf_mark *marks, *reread, *drop;
	size_t nreread, ndrop, i, n = out->task_len / sizeof(struct task_rec), main = out->nfds;
	unsigned *again;
	int r = 0;

	marks = xcalloc(f->d.nsegs + 1, sizeof(*marks));
	for (i = 0; i < f->d.nsegs; i++)
		marks[i] = f->d.segs[i].mark;
	qsort(marks, f->d.nsegs, sizeof(*marks), cmp_mark);
	reread = xcalloc(n + 1, sizeof(*reread));
	drop = xcalloc(2 * n + 1, sizeof(*drop));
	again = xcalloc(n + 1, sizeof(*again));
	nreread = bpf_scan_missed(out->task_raw, out->task_len, marks, f->d.nsegs, f->start,
				  reread, drop, &ndrop);
	for (i = 0; i < nreread; i++) {
		size_t seg = f->d.nsegs, j;
		uintptr_t old = (uintptr_t)f->k.buf;
		size_t oldlen = f->k.len;

		/* what the first pass read of it (if anything) is replaced */
		again[i] = reread[i].pid;
		bpf_objects_rewind_files(f->s->loaded);
		if (run_iter_sink(bpf_objects_prog(f->s->loaded, BPF_PROG_FILES), (int)reread[i].pid,
				  &f->k) < 0) {
			if (errno == ESRCH || errno == ENOENT)
				continue;         /* ended: its pin says so */
			r = -1;
			break;
		}
		if ((uintptr_t)f->k.buf != old)
			rebase_paths(out, old, oldlen, f->k.buf);
		out->raw = f->k.buf;
		decode_more(out, &f->d, f->k.buf, f->k.len);
		/* what it found now is another process's, if its PID was taken again */
		for (j = seg; j < f->d.nsegs && ndrop < 2 * n; j++)
			if (f->d.segs[j].mark.start != reread[i].start)
				drop[ndrop++] = f->d.segs[j].mark;
	}
	qsort(drop, ndrop, sizeof(*drop), cmp_mark);
	qsort(again, nreread, sizeof(*again), cmp_uint);
	filter_fds(out, &f->d, main, drop, ndrop, again, nreread);
	out->again = again;
	out->nagain = nreread;
	free(marks);
	free(reread);
	free(drop);
	return r;
}

int bpf_scanner_run(struct bpf_scanner *s, struct bpf_scan *out, char *why, size_t whylen)
{
	return bpf_scanner_run_fed(s, NULL, out, why, whylen);
}

int bpf_scanner_run_fed(struct bpf_scanner *s, const struct bpf_scan_feed *feed,
			struct bpf_scan *out, char *why, size_t whylen)
{
	struct files_run f = { .s = s, .out = out };
	struct tasks_run t = { .s = s, .out = out, .feed = feed };
	double t0 = now_seconds();
	bool both = s->opt.files && wants_tasks_object(&s->opt) && parallel_threads(2) > 1;
	bool decoding = false;
	int err = 0;

	memset(out, 0, sizeof(*out));
	why[0] = '\0';
	out->load_seconds = s->load_seconds;
	pthread_mutex_init(&f.lock, NULL);
	pthread_cond_init(&f.more, NULL);
	if (s->opt.files) {
		decoding = true;
		decoder_init(&f.d, 65536, s->opt.paths);
		void *region = mmap(NULL, RAW_RESERVE, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		/* out->raw is the region from the start: the feed reads lock
		 * records through it (bpf_scan_lock) */
		if (region != MAP_FAILED) {
			f.k = (struct sink){ .buf = region, .cap = RAW_RESERVE, .fixed = true,
					     .lock = &f.lock, .more = &f.more, .published = &f.published };
			out->raw = region;
		}
	}
	/* the fds on this thread; the processes on a second one at the same
	 * time, which then decodes the fds as they come.  Whatever the order
	 * in which the two reach a process, one listed and alive that the fd
	 * iterator did not mark is read again */
	if (both) {
		t.files = &f;
		parallel_two(run_files_side, &f, run_tasks_side, &t);
	} else {
		if (wants_tasks_object(&s->opt))
			run_tasks_side(&t);
		if (!t.err)
			run_files_side(&f);
	}
	if (t.err || f.err) {
		err = t.err ? t.err : f.err;
		snprintf(why, whylen, "the %s iterator failed (%s)", t.err ? t.failed : f.failed,
			 errno_name(err));
		goto done;
	}
	if (s->opt.files) {
		out->raw = f.k.buf;
		decode_more(out, &f.d, f.k.buf, f.k.len);
		if (s->opt.tasks && complete_files(&f) < 0) {
			err = errno ? errno : EINVAL;
			snprintf(why, whylen, "the task_file iterator failed (%s)", errno_name(err));
			goto done;
		}
		decoder_finish(out, &f.d);
		decoding = false;
		out->raw = f.k.buf;
		compact_paths(out, f.k.fixed);
		if (f.k.fixed)
			munmap(f.k.buf, RAW_RESERVE);
		f.k.buf = NULL;
	}
	out->iter_seconds = now_seconds() - t0;
done:
	if (decoding)
		decoder_finish(out, &f.d);
	if (f.k.buf) {
		out->raw = NULL;
		if (f.k.fixed)
			munmap(f.k.buf, RAW_RESERVE);
		else
			free(f.k.buf);
	}
	pthread_mutex_destroy(&f.lock);
	pthread_cond_destroy(&f.more);
	if (err) {
		bpf_scan_free(out);
		errno = err;
		return -1;
	}
	return 0;
}

int bpf_scanner_run_process(struct bpf_scanner *s, int pid, struct bpf_scan *out)
{
	ssize_t len;

	memset(out, 0, sizeof(*out));
	if (!s->opt.files || pid <= 0) {
		errno = EINVAL;
		return -1;
	}
	bpf_objects_rewind_files(s->loaded);
	len = run_iter(bpf_objects_prog(s->loaded, BPF_PROG_FILES), pid, &out->raw);
	if (len < 0)
		return -1;
	decode_files(out, (size_t)len, s->opt.paths);
	return 0;
}

const char *bpf_scanner_relocated_by(const struct bpf_scanner *s)
{
	return bpf_objects_relocated_by(s->loaded);
}

int bpf_scanner_map_fd(const struct bpf_scanner *s, const char *name)
{
	return bpf_objects_map_fd(s->loaded, name);
}

int bpf_scan_read(const struct bpf_scan_options *o, struct bpf_scan *out,
		  char *why, size_t whylen)
{
	struct bpf_scanner *s;
	int r, err;

	memset(out, 0, sizeof(*out));
	if (bpf_scanner_open(o, &s, why, whylen) < 0)
		return -1;
	r = bpf_scanner_run(s, out, why, whylen);
	err = errno;
	bpf_scanner_close(s);
	errno = err;
	return r;
}

int subreaper_bpf_read(struct subreaper_table *out)
{
	struct bpf_scan_options o = { .subreapers = true };
	struct bpf_scan s;
	char why[256];

	out->flags = NULL;
	out->n = 0;
	if (bpf_scan_read(&o, &s, why, sizeof(why)) < 0)
		return -1;
	*out = s.subreapers;
	s.subreapers.flags = NULL;
	s.subreapers.n = 0;
	bpf_scan_free(&s);
	return 0;
}

int subreaper_bpf_read_at(const char *procroot, struct subreaper_table *out)
{
	out->flags = NULL;
	out->n = 0;
	if (geteuid() != 0) {
		errno = EPERM;
		return -1;
	}
	if (!bpf_scan_procroot_ours(procroot)) {
		errno = EXDEV;
		return -1;
	}
	return subreaper_bpf_read(out);
}
