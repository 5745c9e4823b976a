/* uring_fdinfo.c - does io_uring make reading every fdinfo file cheaper?
 * (a measurement for bench/README.md, not part of fdshare)
 *
 * Reads /proc/PID/fdinfo/N of every fd of every process three ways and
 * prints the time per fd of each, best of ROUNDS:
 *   sync     openat + read + close per fd, through a held fdinfo dirfd
 *            (what fdshare's /proc scan does)
 *   uring    the same three as one linked chain per fd, BATCH chains per
 *            io_uring_enter: openat into a direct descriptor (a slot of a
 *            registered sparse file table, so no fd number is handed out),
 *            a read of that slot hard-linked (fdinfo reads are short, and a
 *            short read would break a soft link), then its close
 *   list     just listing the fd/ folders, the part common to both
 * Raw syscalls only (no liburing).  Run as root to see every process.
 *
 *   gcc -std=gnu11 -O2 -Wall -Wextra -o bench/out/uring_fdinfo bench/uring_fdinfo.c
 *   bench/out/uring_fdinfo [-a] [-r ROUNDS] [-b BATCH] [-p PID]...
 * -a marks each openat IOSQE_ASYNC: straight to the kernel's worker threads
 * instead of a non-blocking try first (a /proc lookup is never cached, so
 * the try fails and the chain is handed over anyway).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BUFSZ 4096

struct proc_fds {
	int pid;
	int dirfd;        /* /proc/PID/fdinfo */
	int *fds;
	size_t n;
};

static struct proc_fds *procs;
static int force_async;   /* -a: IOSQE_ASYNC, straight to the kernel's workers */
static size_t nprocs, total_fds;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "uring_fdinfo: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* List the fds of pid into p (fdinfo dirfd kept open); 0 or -1. */
static int list_fds(int pid, struct proc_fds *p)
{
	char path[64];
	DIR *d;
	struct dirent *de;
	size_t cap = 0;
	int fd;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/fdinfo", pid);
	p->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->dirfd < 0)
		return -1;
	fd = openat(p->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		close(p->dirfd);
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		if (p->n == cap) {
			cap = cap ? cap * 2 : 64;
			p->fds = realloc(p->fds, cap * sizeof(int));
			if (!p->fds)
				die("realloc");
		}
		p->fds[p->n++] = atoi(de->d_name);
	}
	closedir(d);
	return 0;
}

static void list_all(const int *pids, size_t npids)
{
	DIR *d;
	struct dirent *de;
	size_t cap = 0, i;
	int self = getpid();

	for (i = 0; i < nprocs; i++) {
		close(procs[i].dirfd);
		free(procs[i].fds);
	}
	nprocs = total_fds = 0;
	if (npids) {
		procs = realloc(procs, npids * sizeof(*procs));
		for (i = 0; i < npids; i++)
			if (list_fds(pids[i], &procs[nprocs]) == 0)
				total_fds += procs[nprocs++].n;
		return;
	}
	d = opendir("/proc");
	if (!d)
		die("/proc");
	while ((de = readdir(d))) {
		int pid = atoi(de->d_name);
		if (pid <= 0 || pid == self)
			continue;
		if (nprocs == cap) {
			cap = cap ? cap * 2 : 256;
			procs = realloc(procs, cap * sizeof(*procs));
			if (!procs)
				die("realloc");
		}
		if (list_fds(pid, &procs[nprocs]) == 0)
			total_fds += procs[nprocs++].n;
	}
	closedir(d);
}

/* ---- sync ---- */

static size_t read_sync(void)
{
	static char buf[BUFSZ];
	char name[16];
	size_t i, j, bytes = 0;
	ssize_t n;
	int fd;

	for (i = 0; i < nprocs; i++)
		for (j = 0; j < procs[i].n; j++) {
			snprintf(name, sizeof(name), "%d", procs[i].fds[j]);
			fd = openat(procs[i].dirfd, name, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			n = read(fd, buf, sizeof(buf));
			close(fd);
			if (n > 0)
				bytes += (size_t)n;
		}
	return bytes;
}

/* ---- io_uring, raw ---- */

struct ring {
	int fd;
	unsigned *sq_head, *sq_tail, *sq_mask, *sq_array;
	unsigned *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	unsigned entries;
};

static int ring_setup(struct ring *r, unsigned entries, unsigned slots)
{
	struct io_uring_params p;
	struct io_uring_rsrc_register reg;
	void *sq, *cq;
	size_t sqsz, cqsz;

	memset(&p, 0, sizeof(p));
	r->fd = (int)syscall(SYS_io_uring_setup, entries, &p);
	if (r->fd < 0)
		return -1;
	r->entries = p.sq_entries;
	sqsz = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	cqsz = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP) {
		if (cqsz > sqsz)
			sqsz = cqsz;
		sq = cq = mmap(NULL, sqsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
			       r->fd, IORING_OFF_SQ_RING);
	} else {
		sq = mmap(NULL, sqsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
			  r->fd, IORING_OFF_SQ_RING);
		cq = mmap(NULL, cqsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
			  r->fd, IORING_OFF_CQ_RING);
	}
	if (sq == MAP_FAILED || cq == MAP_FAILED)
		return -1;
	r->sq_head = (unsigned *)((char *)sq + p.sq_off.head);
	r->sq_tail = (unsigned *)((char *)sq + p.sq_off.tail);
	r->sq_mask = (unsigned *)((char *)sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned *)((char *)sq + p.sq_off.array);
	r->cq_head = (unsigned *)((char *)cq + p.cq_off.head);
	r->cq_tail = (unsigned *)((char *)cq + p.cq_off.tail);
	r->cq_mask = (unsigned *)((char *)cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)((char *)cq + p.cq_off.cqes);
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		return -1;
	memset(&reg, 0, sizeof(reg));
	reg.nr = slots;
	reg.flags = IORING_RSRC_REGISTER_SPARSE;
	if (syscall(SYS_io_uring_register, r->fd, IORING_REGISTER_FILES2, &reg, sizeof(reg)) < 0)
		return -1;
	return 0;
}

static struct io_uring_sqe *next_sqe(struct ring *r, unsigned *tail)
{
	unsigned idx = *tail & *r->sq_mask;
	struct io_uring_sqe *sqe = &r->sqes[idx];

	memset(sqe, 0, sizeof(*sqe));
	r->sq_array[idx] = idx;
	(*tail)++;
	return sqe;
}

static size_t read_uring(struct ring *r, unsigned batch)
{
	static char (*bufs)[BUFSZ];
	static char (*names)[16];
	size_t i = 0, j = 0, bytes = 0;

	if (!bufs) {
		bufs = malloc((size_t)batch * BUFSZ);
		names = malloc((size_t)batch * 16);
		if (!bufs || !names)
			die("malloc");
	}
	while (i < nprocs) {
		unsigned tail = *r->sq_tail, k = 0, want, got = 0;

		/* one batch: up to `batch` chains, maybe across processes */
		for (; i < nprocs && k < batch; ) {
			struct io_uring_sqe *sqe;
			if (j >= procs[i].n) {
				i++;
				j = 0;
				continue;
			}
			snprintf(names[k], 16, "%d", procs[i].fds[j++]);
			sqe = next_sqe(r, &tail);
			sqe->opcode = IORING_OP_OPENAT;
			sqe->fd = procs[i].dirfd;
			sqe->addr = (unsigned long)names[k];
			sqe->open_flags = O_RDONLY;   /* O_CLOEXEC is refused with a direct descriptor */
			sqe->file_index = k + 1;
			sqe->flags = IOSQE_IO_LINK | (force_async ? IOSQE_ASYNC : 0);
			sqe->user_data = 0;
			sqe = next_sqe(r, &tail);
			sqe->opcode = IORING_OP_READ;
			sqe->fd = (int)k;
			sqe->addr = (unsigned long)bufs[k];
			sqe->len = BUFSZ;
			sqe->off = 0;
			sqe->flags = IOSQE_FIXED_FILE | IOSQE_IO_HARDLINK;
			sqe->user_data = 1;
			sqe = next_sqe(r, &tail);
			sqe->opcode = IORING_OP_CLOSE;
			sqe->file_index = k + 1;
			sqe->user_data = 2;
			k++;
		}
		if (!k)
			break;
		__atomic_store_n(r->sq_tail, tail, __ATOMIC_RELEASE);
		want = 3 * k;
		if (syscall(SYS_io_uring_enter, r->fd, want, want, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
			die("io_uring_enter");
		while (got < want) {
			unsigned head = *r->cq_head;
			unsigned ctail = __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE);
			for (; head != ctail; head++, got++) {
				struct io_uring_cqe *c = &r->cqes[head & *r->cq_mask];
				if (getenv("URING_DEBUG") && c->res < 0)
					fprintf(stderr, "op %llu: %s\n", (unsigned long long)c->user_data, strerror(-c->res));
				if (c->user_data == 1 && c->res > 0)
					bytes += (size_t)c->res;
			}
			__atomic_store_n(r->cq_head, head, __ATOMIC_RELEASE);
			if (got < want &&
			    syscall(SYS_io_uring_enter, r->fd, 0, want - got, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
				die("io_uring_enter");
		}
	}
	return bytes;
}

int main(int argc, char **argv)
{
	int rounds = 5, opt, *pids = calloc((size_t)argc, sizeof(int));
	unsigned batch = 64;
	size_t npids = 0, b1 = 0, b2 = 0;
	double best_sync = 1e9, best_uring = 1e9, best_list = 1e9, t;
	struct ring r;
	int k;

	while ((opt = getopt(argc, argv, "r:b:p:a")) != -1) {
		switch (opt) {
		case 'a': force_async = 1; break;
		case 'r': rounds = atoi(optarg); break;
		case 'b': batch = (unsigned)atoi(optarg); break;
		case 'p': pids[npids++] = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: uring_fdinfo [-a] [-r ROUNDS] [-b BATCH] [-p PID]...\n");
			return 100;
		}
	}
	if (batch < 1 || batch > 1024)
		batch = 64;
	if (ring_setup(&r, batch * 4, batch + 1) < 0)
		die("io_uring setup");
	for (k = 0; k < rounds; k++) {
		t = now();
		list_all(pids, npids);
		t = now() - t;
		best_list = t < best_list ? t : best_list;
		t = now();
		b1 = read_sync();
		t = now() - t;
		best_sync = t < best_sync ? t : best_sync;
		t = now();
		b2 = read_uring(&r, batch);
		t = now() - t;
		best_uring = t < best_uring ? t : best_uring;
	}
	printf("%zu processes, %zu fds, best of %d; fdinfo bytes read: sync %zu, uring %zu\n",
	       nprocs, total_fds, rounds, b1, b2);
	printf("list fd/ folders: %.2f us per fd\n", best_list * 1e6 / (double)total_fds);
	printf("sync openat+read+close: %.2f us per fd (%.0f ms)\n",
	       best_sync * 1e6 / (double)total_fds, best_sync * 1e3);
	printf("io_uring, batches of %u: %.2f us per fd (%.0f ms)\n", batch,
	       best_uring * 1e6 / (double)total_fds, best_uring * 1e3);
	return 0;
}
