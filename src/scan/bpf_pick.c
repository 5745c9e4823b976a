/* bpf_pick.c - the narrowed scan of -p PID with the BPF source (see
 * bpf_pick.h for what is related and why).
 *
 * Steps:
 *   ahead    while the programs load (bpf_source.c starts it first), a
 *            thread reads /proc/locks and dumps the sockets the selection
 *            holds (their protocols from /proc/PID/fd): kernel work that
 *            needs no program, on the other core;
 *   learn    for each selected pid, the task_file iterator bound to it
 *            (bpf_iter_link_info.task.pid) with the filter in PICK_LEARN:
 *            the program puts each fd's struct file and inode into the
 *            filter's maps itself (the pointers never reach user space) and
 *            writes its records, which say what else to add:
 *   extend   the sockets the endpoint code would link to a selected socket
 *            (one sock_diag dump per protocol the selection uses: those
 *            made ahead unless a socket came since, and handed on to the
 *            endpoint code, which would dump them again), the other side of
 *            its ptys, and the inodes /proc/locks ties to the selection
 *            through holders and waiters; each inode's bit set in the
 *            bitmap the filter tests before a lookup (pick_bits.h);
 *   filter   the task iterator, then the task_file iterator over every
 *            task with the filter in PICK_FILTER: only the records of
 *            selected processes and of fds on a key are written (and paths
 *            read), every fd is counted per process (the last one's
 *            count is left in pick_conf);
 *   reset    PICK_ALL, for a later whole scan by the same load. */
#include "scan/bpf_pick.h"
#include "scan/lockparse.h"
#include "scan/lockreach.h"
#include "scan/proc_locks_read.h"
#include "scan/procfs.h"
#include "scan/sock.h"
#include "base/parallel.h"
#include "base/util.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/types.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "scan/bpf/records.h"
#include "scan/bpf/pick_bits.h"

/* pick.bpf.h's values and key (the BPF side defines them for itself) */
#define PICK_ALL    0
#define PICK_LEARN  1
#define PICK_FILTER 2
#define PICK_MAX_KEYS 65536

/* pick.bpf.h's struct pick_conf */
struct pick_conf {
	uint32_t mode;
	uint32_t rdevs;
	uint32_t pid;
	uint32_t selected;
	uint64_t n;
	uint32_t fd;
	uint32_t skip;
};

struct pick_ino {
	uint32_t dev;        /* s_dev, kernel encoding */
	uint32_t pad;
	uint64_t ino;
};

#define KDEV(maj, min) ((uint32_t)(maj) << 20 | (uint32_t)(min))
#define PTMX_KDEV KDEV(5, 2)
#define PTS_MAJOR_FIRST 136
#define PTS_MAJOR_LAST 143

struct maps {
	int conf, tgids, files, inodes, rdevs, counts, first, bits;
	struct pick_bits *bitmap;   /* pick_bits' value, read after the learning
	                               runs set theirs, written back with the keys
	                               added here (add_inode); NULL before */
	size_t nkeys;        /* inodes and rdevs added from user space */
	bool have_rdevs;     /* some rdev added */
};

/* The filter's mode, its state for a new run. */
static int set_conf(const struct maps *mp, uint32_t mode)
{
	struct pick_conf c = { .mode = mode, .rdevs = mp->have_rdevs };
	uint32_t zero = 0;

	return bpf_map_update_elem(mp->conf, &zero, &c, BPF_ANY);
}

static int add_key(struct maps *mp, int fd, const void *key)
{
	uint8_t yes = 1;

	if (++mp->nkeys > PICK_MAX_KEYS / 2) {
		errno = E2BIG;
		return -1;
	}
	return bpf_map_update_elem(fd, key, &yes, BPF_ANY);
}

static int add_inode(struct maps *mp, uint32_t kdev, uint64_t ino)
{
	struct pick_ino k = { .dev = kdev, .ino = ino };
	uint32_t bit = pick_bit(kdev, ino);

	mp->bitmap->w[bit >> 6] |= 1ULL << (bit & 63);
	return add_key(mp, mp->inodes, &k);
}

/* Empty a hash map (a later scan by the same load starts clean). */
static void clear_map(int fd, size_t keysize)
{
	unsigned char key[16], next[16];

	while (bpf_map_get_next_key(fd, NULL, next) == 0) {
		memcpy(key, next, keysize);
		if (bpf_map_delete_elem(fd, key) < 0)
			break;
	}
}

static int bits_write(const struct maps *mp, const struct pick_bits *b)
{
	uint32_t zero = 0;
	return bpf_map_update_elem(mp->bits, &zero, b, BPF_ANY);
}

static void reset(struct maps *mp)
{
	set_conf(mp, PICK_ALL);
	clear_map(mp->tgids, sizeof(uint32_t));
	clear_map(mp->files, sizeof(uint64_t));
	clear_map(mp->inodes, sizeof(struct pick_ino));
	clear_map(mp->rdevs, sizeof(uint32_t));
	clear_map(mp->counts, sizeof(uint32_t));
	clear_map(mp->first, 2 * sizeof(uint64_t));
	bits_write(mp, &(struct pick_bits){ { 0 } });
}

static int find_maps(const struct bpf_scanner *s, struct maps *mp)
{
	memset(mp, 0, sizeof(*mp));
	mp->conf = bpf_scanner_map_fd(s, "pick_conf");
	mp->tgids = bpf_scanner_map_fd(s, "pick_tgids");
	mp->files = bpf_scanner_map_fd(s, "pick_files");
	mp->inodes = bpf_scanner_map_fd(s, "pick_inodes");
	mp->rdevs = bpf_scanner_map_fd(s, "pick_rdevs");
	mp->counts = bpf_scanner_map_fd(s, "pick_counts");
	mp->first = bpf_scanner_map_fd(s, "pick_first");
	mp->bits = bpf_scanner_map_fd(s, "pick_bits");
	return mp->conf < 0 || mp->tgids < 0 || mp->files < 0 || mp->inodes < 0 ||
		mp->rdevs < 0 || mp->counts < 0 || mp->first < 0 || mp->bits < 0 ? -1 : 0;
}

/* ---- sockets ---- */

/* The sock_diag dump a socket's protocol name ("UNIX-STREAM", "TCPv6")
 * comes from, or -1: no other end fdshare links (packet, netlink, raw ...). */
static int dump_of(const char *proto)
{
	if (strncmp(proto, "UNIX", 4) == 0)
		return SOCK_UNIX;
	if (strcmp(proto, "TCP") == 0)
		return SOCK_TCP;
	if (strcmp(proto, "TCPv6") == 0)
		return SOCK_TCP6;
	if (strcmp(proto, "UDP") == 0)
		return SOCK_UDP;
	if (strcmp(proto, "UDPv6") == 0)
		return SOCK_UDP6;
	if (strcmp(proto, "UDP-Lite") == 0)
		return SOCK_UDPLITE;
	if (strcmp(proto, "UDPLITEv6") == 0)
		return SOCK_UDPLITE6;
	return -1;
}

/* The sockets endpoint_sock.c may name as ends of unix socket s (a superset:
 * more is read, nothing is missed). */
static int add_unix_ends(struct maps *mp, const struct sock_table *t, const struct sock_info *s,
			 uint32_t kdev)
{
	const struct sock_info *o;
	const unsigned *icons;
	size_t k, n, it = 0;
	int r = 0;

	icons = sock_icons(t, s, &n);
	for (k = 0; k < n; k++)
		r |= add_inode(mp, kdev, icons[k]);
	if (s->have_peer && s->peer)
		r |= add_inode(mp, kdev, s->peer);
	while ((o = sock_next_with_peer(t, s->netns, s->ino, &it)))
		r |= add_inode(mp, kdev, o->ino);
	/* a listener whose backlog holds s */
	for (k = 0; k < sock_table_count(t); k++) {
		size_t j;
		o = sock_table_at(t, k);
		if (o->dump != SOCK_UNIX || o->state != TCP_LISTEN)
			continue;
		icons = sock_icons(t, o, &n);
		for (j = 0; j < n; j++)
			if (icons[j] == s->ino)
				r |= add_inode(mp, kdev, o->ino);
	}
	return r;
}

/* The same for an inet socket: its peer by tuple, the clients of a
 * listener's connections not yet accepted, every listening or unconnected
 * socket on the port it talks to (the server of a connection not yet
 * accepted, a UDP server). */
static int add_inet_ends(struct maps *mp, const struct sock_table *t, const struct sock_info *s,
			 uint32_t kdev)
{
	const struct sock_info *o, *peer;
	size_t it = 0;
	int r = 0;

	if (s->state == TCP_LISTEN) {
		while ((o = sock_next_on_port(t, s->netns, s->dump, s->local.port, &it)))
			if (!o->ino && o->remote.port &&
			    (peer = sock_find_tuple(t, s->netns, s->dump, &o->remote, &o->local)) && peer->ino)
				r |= add_inode(mp, kdev, peer->ino);
		return r;
	}
	if (!s->remote.port)
		return 0;
	peer = sock_find_tuple(t, s->netns, s->dump, &s->remote, &s->local);
	if (peer && peer->ino)
		r |= add_inode(mp, kdev, peer->ino);
	if (peer)
		while ((o = sock_next_on_port(t, s->netns, s->dump, peer->local.port, &it)))
			if (o->ino && o->remote.port == 0)
				r |= add_inode(mp, kdev, o->ino);
	it = 0;
	while ((o = sock_next_on_port(t, s->netns, s->dump, s->remote.port, &it)))
		if (o->ino && o->remote.port == 0)
			r |= add_inode(mp, kdev, o->ino);
	return r;
}

static unsigned long long own_netns(void)
{
	struct stat st;
	return stat("/proc/self/ns/net", &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

/* Whether t holds every socket of scan[0..n) of a kind it dumped (one
 * made or accepted since the dump is not in it: then it is dumped again). */
static bool socks_hold_all(const struct sock_table *t, const struct bpf_scan *scan, size_t n)
{
	unsigned long long ns = own_netns();
	size_t i, k;
	int d;

	for (k = 0; k < n; k++)
		for (i = 0; i < scan[k].nfds; i++) {
			const struct bpf_fd *f = &scan[k].fds[i];
			if ((f->i_mode & S_IFMT) != S_IFSOCK || sock_find(t, ns, f->ino) ||
			    sock_find_any(t, f->ino))
				continue;
			d = dump_of(f->proto);
			if (!f->proto[0] ||
			    (d >= 0 && sock_table_error(t, ns, (enum sock_dump)d) != ENODATA))
				return false;
		}
	return true;
}

/* ---- read ahead ---- */

/* A selection with more fds than this is not read ahead through /proc:
 * its sockets are dumped once its records say which kinds. */
#define AHEAD_MAX_FDS 4096

struct bpf_pick_ahead {
	pthread_t thread;
	char procroot[4096];
	int *pids;
	size_t npids;
	struct lock_lines locks;
	struct proc_locks_early *early;   /* the model's /proc/locks read, or NULL */
	struct sock_table *socks;     /* the dumps of kinds, in netns; owned */
	unsigned kinds;
	unsigned long long netns;
	bool joined;
};

/* The dumps the sockets of a->pids need, their protocols read as the /proc
 * source reads them (the "socket:[" link, then system.sockprotoname): 0
 * when there are none or too many fds to read them all. */
static unsigned ahead_socket_kinds(const struct bpf_pick_ahead *a)
{
	struct pid_dir dir;
	unsigned kinds = 0;
	size_t i, total = 0;
	ssize_t n, k;
	int *fds, d;

	for (i = 0; i < a->npids; i++) {
		if (procfs_pin(a->procroot, a->pids[i], &dir) < 0)
			continue;
		n = procfs_list_fds(&dir, &fds);
		total += n > 0 ? (size_t)n : 0;
		for (k = 0; k < n && total <= AHEAD_MAX_FDS; k++) {
			char proto[32], *target = NULL;
			if (procfs_fd_link(&dir, fds[k], &target) > 8 &&
			    strncmp(target, "socket:[", 8) == 0 &&
			    procfs_fd_sockproto(&dir, fds[k], proto, sizeof(proto)) > 0 &&
			    (d = dump_of(proto)) >= 0)
				kinds |= SOCK_KIND(d);
			free(target);
		}
		free(n > 0 ? fds : NULL);
		procfs_unpin(&dir);
		if (total > AHEAD_MAX_FDS)
			return 0;
	}
	return kinds;
}

static void *read_ahead(void *arg)
{
	struct bpf_pick_ahead *a = arg;

	const struct proc_locks_text *text;
	size_t bad;

	a->kinds = ahead_socket_kinds(a);
	if (a->kinds) {
		a->netns = own_netns();
		a->socks = sock_table_new();
		if (sock_table_dump(a->socks, a->netns, a->kinds) < 0)
			a->kinds = 0;
	}
	/* the model's read of /proc/locks, made meanwhile, else our own: the
	 * kernel re-walks its list for every page, so once is dear enough */
	text = proc_locks_peek(a->early);
	if (text && text->buf && !text->err)
		a->locks.n = lock_lines_parse(text->buf, text->len, &a->locks.v, &bad);
	else
		lock_lines_read(a->procroot, &a->locks);
	return NULL;
}

struct bpf_pick_ahead *bpf_pick_ahead_start(const char *procroot, const int *pids, size_t npids,
					    struct proc_locks_early *early)
{
	struct bpf_pick_ahead *a = xcalloc(1, sizeof(*a));

	a->early = early;
	snprintf(a->procroot, sizeof(a->procroot), "%s", procroot);
	a->pids = xcalloc(npids + 1, sizeof(*a->pids));
	memcpy(a->pids, pids, npids * sizeof(*pids));
	a->npids = npids;
	if (pthread_create(&a->thread, NULL, read_ahead, a) != 0) {
		free(a->pids);
		free(a);
		return NULL;
	}
	return a;
}

static void ahead_join(struct bpf_pick_ahead *a)
{
	parallel_join_once(a->thread, &a->joined);
}

/* The lines a read (NULL: nothing read ahead). */
static const struct lock_lines *ahead_locks(struct bpf_pick_ahead *a)
{
	if (!a)
		return NULL;
	ahead_join(a);
	return &a->locks;
}

/* The dumps a made of fdshare's namespace ns, when they are every kind in
 * kinds (the caller owns them then), else NULL. */
static struct sock_table *ahead_socks(struct bpf_pick_ahead *a, unsigned long long ns,
				      unsigned kinds)
{
	struct sock_table *t;

	if (!a)
		return NULL;
	ahead_join(a);
	if (!a->socks || a->netns != ns || (a->kinds & kinds) != kinds)
		return NULL;
	t = a->socks;
	a->socks = NULL;
	return t;
}

void bpf_pick_ahead_free(struct bpf_pick_ahead *a)
{
	if (!a)
		return;
	ahead_join(a);
	lock_lines_free(&a->locks);
	sock_table_free(a->socks);
	free(a->pids);
	free(a);
}

/* Every socket linked to a selected one, from the dumps made into *tp
 * (NULL: none needed); -1 with why when one cannot be found in fdshare's
 * own network namespace (the whole scan dumps the others through their
 * holders). */
static int add_socket_ends(struct maps *mp, const struct bpf_scan *sel, size_t nsel,
			   struct bpf_pick_ahead *ahead, struct sock_table **tp, char *why,
			   size_t whylen)
{
	struct sock_table *t;
	unsigned kinds = 0;
	unsigned long long ns;
	size_t i, j;
	int d, r = 0;

	for (i = 0; i < nsel; i++)
		for (j = 0; j < sel[i].nfds; j++)
			if ((sel[i].fds[j].i_mode & S_IFMT) == S_IFSOCK &&
			    (d = dump_of(sel[i].fds[j].proto)) >= 0)
				kinds |= SOCK_KIND(d);
	if (!kinds)
		return 0;
	ns = own_netns();
	/* dumped while the programs loaded, unless a socket came since */
	t = ahead_socks(ahead, ns, kinds);
	if (t && !socks_hold_all(t, sel, nsel)) {
		sock_table_free(t);
		t = NULL;
	}
	if (!t && sock_table_dump((t = sock_table_new()), ns, kinds) < 0) {
		snprintf(why, whylen, "sock_diag failed (%s)", errno_name(errno));
		sock_table_free(t);
		return -1;
	}
	for (i = 0; i < nsel && r == 0; i++)
		for (j = 0; j < sel[i].nfds && r == 0; j++) {
			const struct bpf_fd *f = &sel[i].fds[j];
			const struct sock_info *s;
			uint32_t kdev = KDEV(major(f->dev), minor(f->dev));
			if ((f->i_mode & S_IFMT) != S_IFSOCK || dump_of(f->proto) < 0)
				continue;
			s = sock_find(t, ns, f->ino);
			if (!s) {
				snprintf(why, whylen, "socket:[%llu] of %d is in no dump of fdshare's "
					 "network namespace", f->ino, f->pid);
				r = -1;
				break;
			}
			r = s->dump == SOCK_UNIX ? add_unix_ends(mp, t, s, kdev)
				: add_inet_ends(mp, t, s, kdev);
		}
	if (r == 0)
		*tp = t;
	else
		sock_table_free(t);
	return r;
}

/* ---- ptys ---- */

/* A pty master's index from its fdinfo ("tty-index:"), or -1. */
static int tty_index(const char *procroot, int pid, int fd)
{
	char path[4096], buf[4096], *p;
	ssize_t n;
	long v;

	snprintf(path, sizeof(path), "%s/%d/fdinfo/%d", procroot, pid, fd);
	n = procfs_read_at(AT_FDCWD, path, buf, sizeof(buf));
	if (n <= 0 || !(p = strstr(buf, "tty-index:")))
		return -1;
	v = strtol(p + 10, NULL, 10);
	return v >= 0 && v < (PTS_MAJOR_LAST - PTS_MAJOR_FIRST + 1) * 256 ? (int)v : -1;
}

static int add_pty_ends(struct maps *mp, const struct bpf_scan *sel, size_t nsel,
			const char *procroot)
{
	size_t i, j;
	int r = 0, idx;

	for (i = 0; i < nsel; i++)
		for (j = 0; j < sel[i].nfds; j++) {
			const struct bpf_fd *f = &sel[i].fds[j];
			uint32_t k;
			if ((f->i_mode & S_IFMT) != S_IFCHR)
				continue;
			if (major(f->rdev) >= PTS_MAJOR_FIRST && major(f->rdev) <= PTS_MAJOR_LAST) {
				k = PTMX_KDEV;
				r |= add_key(mp, mp->rdevs, &k);
				mp->have_rdevs = true;
			} else if (major(f->rdev) == 5 && minor(f->rdev) == 2 &&
				   (idx = tty_index(procroot, f->pid, f->fd)) >= 0) {
				k = KDEV(PTS_MAJOR_FIRST + idx / 256, idx % 256);
				r |= add_key(mp, mp->rdevs, &k);
				mp->have_rdevs = true;
			}
		}
	return r;
}

/* ---- locks ---- */

/* The files /proc/locks (as read ahead, else now) ties to the selection
 * (lockreach.h). */
static int add_lock_chains(struct maps *mp, const struct bpf_scan *sel, size_t nsel,
			   const int *pids, size_t npids, const char *procroot,
			   struct bpf_pick_ahead *ahead)
{
	const struct lock_lines *lines = ahead_locks(ahead);
	unsigned long long *inos = NULL;
	struct lock_file *lf;
	size_t ninos = 0, cap = 0, n, i, j;
	int r = 0;

	for (i = 0; i < nsel; i++)
		for (j = 0; j < sel[i].nfds; j++) {
			grow_array((void **)&inos, &cap, ninos + 1, sizeof(*inos));
			inos[ninos++] = sel[i].fds[j].ino;
		}
	n = lines ? lock_reach_in(lines, pids, npids, inos, ninos, &lf)
		: lock_reach(procroot, pids, npids, inos, ninos, &lf);
	for (i = 0; i < n && r == 0; i++)
		r = add_inode(mp, KDEV(lf[i].major, lf[i].minor), lf[i].ino);
	free(lf);
	free(inos);
	return r;
}

/* ---- the counts ---- */

static int cmp_count(const void *a, const void *b)
{
	const struct bpf_pick_count *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The counts map in batches of COUNT_BATCH (a syscall per entry would
 * cost more than the scan saves). */
#define COUNT_BATCH 4096

/* The counts of every task but the last, then the last one's, which the
 * filter keeps in pick_conf (it writes a task's count when the next begins). */
static int read_counts(const struct maps *mp, struct bpf_pick *pk)
{
	uint32_t keys[COUNT_BATCH], batch = 0, zero = 0;
	uint64_t vals[COUNT_BATCH];
	struct pick_conf last;
	size_t cap = 0, i;
	bool first = true, done = false;
	int r;

	while (!done) {
		uint32_t n = COUNT_BATCH;
		r = bpf_map_lookup_batch(mp->counts, first ? NULL : &batch, &batch, keys, vals, &n, NULL);
		if (r < 0 && errno != ENOENT)
			return -1;
		done = r < 0;          /* ENOENT: the last batch */
		first = false;
		for (i = 0; i < n; i++) {
			if (keys[i] == 0 || keys[i] > INT32_MAX)
				continue;
			grow_array((void **)&pk->counts, &cap, pk->ncounts + 1, sizeof(*pk->counts));
			pk->counts[pk->ncounts++] = (struct bpf_pick_count){ (int)keys[i], vals[i] };
		}
	}
	if (bpf_map_lookup_elem(mp->conf, &zero, &last) < 0)
		return -1;
	if (last.pid && last.pid <= INT32_MAX) {
		for (i = 0; i < pk->ncounts && pk->counts[i].pid != (int)last.pid; i++)
			;
		if (i == pk->ncounts) {
			grow_array((void **)&pk->counts, &cap, pk->ncounts + 1, sizeof(*pk->counts));
			pk->counts[pk->ncounts++] = (struct bpf_pick_count){ (int)last.pid, 0 };
		}
		pk->counts[i].fds += last.n;
	}
	if (pk->ncounts)
		qsort(pk->counts, pk->ncounts, sizeof(*pk->counts), cmp_count);
	return 0;
}

long long bpf_pick_fd_count(const struct bpf_pick *pk, int pid)
{
	struct bpf_pick_count key = { .pid = pid }, *c;

	c = pk->ncounts ? bsearch(&key, pk->counts, pk->ncounts, sizeof(key), cmp_count) : NULL;
	return c ? (long long)c->fds : -1;
}

/* ---- which processes are read ---- */

static int cmp_proc_pid(const void *key, const void *elem)
{
	int pid = *(const int *)key;
	const struct process *p = elem;
	return (pid > p->pid) - (pid < p->pid);
}

static long proc_index(const struct model *m, int pid)
{
	const struct process *p = m->nprocs ? bsearch(&pid, m->procs, m->nprocs, sizeof(*p),
						       cmp_proc_pid) : NULL;
	return p ? (long)(p - m->procs) : -1;
}

bool *bpf_pick_these(const struct model *m, const struct bpf_scan *scan, const int *pids,
		     size_t npids)
{
	bool *core = xcalloc(m->nprocs + 1, sizeof(bool)), *these = xcalloc(m->nprocs + 1, sizeof(bool));
	size_t i, n;
	long k;

	for (i = 0; i < m->nprocs; i++)
		core[i] = int_list_has(pids, npids, m->procs[i].pid) ||
			bpf_scan_process(scan, m->procs[i].pid, &n) != NULL;
	for (i = 0; i < m->nprocs; i++) {
		if (!core[i])
			continue;
		these[i] = true;
		if ((k = proc_index(m, m->procs[i].ppid)) >= 0)
			these[k] = true;
	}
	/* children of a core process, and the ancestry of a selected one */
	for (i = 0; i < m->nprocs; i++)
		if ((k = proc_index(m, m->procs[i].ppid)) >= 0 && core[k])
			these[i] = true;
	for (i = 0; i < npids; i++) {
		int guard = 0;
		for (k = proc_index(m, pids[i]); k >= 0 && guard++ < 4096;
		     k = proc_index(m, m->procs[k].ppid))
			these[k] = true;
	}
	free(core);
	return these;
}

void bpf_pick_set_counts(struct model *m, const struct bpf_pick *pk, const int *pids,
			 size_t npids)
{
	size_t i;
	long long n;

	for (i = 0; i < m->nprocs; i++) {
		struct process *p = &m->procs[i];
		if (p->unread || p->gone || p->err || int_list_has(pids, npids, p->pid) ||
		    (n = bpf_pick_fd_count(pk, p->pid)) < 0)
			continue;
		p->fds_partial = true;
		p->fd_count = (size_t)n;
	}
}

struct sock_table *bpf_pick_take_socks(struct bpf_pick *pk)
{
	struct sock_table *t = pk->socks;

	pk->socks = NULL;
	return t;
}

void bpf_pick_free(struct bpf_pick *pk)
{
	if (!pk)
		return;
	free(pk->counts);
	sock_table_free(pk->socks);
	memset(pk, 0, sizeof(*pk));
}

/* Whether this process has used the filter's maps already (one load, kept
 * for the process's life: bpf_source.c). */
static bool used;

int bpf_pick_run(struct bpf_scanner *s, const int *pids, size_t npids, const char *procroot,
		 struct bpf_pick_ahead *ahead, struct bpf_scan *out, struct bpf_pick *pk,
		 char *why, size_t whylen)
{
	struct bpf_scan *sel;
	struct maps mp;
	uint32_t zero = 0;
	size_t i;
	int r = 0;

	memset(out, 0, sizeof(*out));
	memset(pk, 0, sizeof(*pk));
	why[0] = '\0';
	if (find_maps(s, &mp) < 0) {
		snprintf(why, whylen, "the -p filter's maps are missing");
		errno = ENOENT;
		return -1;
	}
	/* a load's maps start empty; a second narrowed scan by the same load
	 * (none today: only a single scan narrows) empties them first */
	if (used)
		reset(&mp);
	used = true;
	sel = xcalloc(npids + 1, sizeof(*sel));
	r = set_conf(&mp, PICK_LEARN);
	for (i = 0; i < npids && r == 0; i++) {
		uint32_t tgid = (uint32_t)pids[i];
		uint8_t yes = 1;
		r = bpf_map_update_elem(mp.tgids, &tgid, &yes, BPF_ANY);
		/* a pid that does not exist (or no more) has no fds to learn */
		if (r == 0 && bpf_scanner_run_process(s, pids[i], &sel[i]) < 0)
			memset(&sel[i], 0, sizeof(sel[i]));
	}
	mp.bitmap = xcalloc(1, sizeof(*mp.bitmap));
	if (r == 0)
		r = bpf_map_lookup_elem(mp.bits, &zero, mp.bitmap);
	if (r < 0)
		snprintf(why, whylen, "the -p filter could not be set (%s)", errno_name(errno));
	else if (add_socket_ends(&mp, sel, npids, ahead, &pk->socks, why, whylen) < 0 ||
		 add_pty_ends(&mp, sel, npids, procroot) < 0 ||
		 add_lock_chains(&mp, sel, npids, pids, npids, procroot, ahead) < 0) {
		r = -1;
		if (!why[0])
			snprintf(why, whylen, "the selection reaches more files than the -p filter "
				 "holds (%s)", errno_name(errno));
	} else if (bits_write(&mp, mp.bitmap) < 0 || set_conf(&mp, PICK_FILTER) < 0) {
		r = -1;
		snprintf(why, whylen, "the -p filter could not be set (%s)", errno_name(errno));
	} else if ((r = bpf_scanner_run(s, out, why, whylen)) == 0 && read_counts(&mp, pk) < 0) {
		r = -1;
		snprintf(why, whylen, "the -p filter's counts could not be read (%s)", errno_name(errno));
		bpf_scan_free(out);
		bpf_pick_free(pk);
	}
	if (r < 0) {
		bpf_pick_free(pk);
	} else if (pk->socks && !socks_hold_all(pk->socks, out, 1)) {
		sock_table_free(pk->socks);
		pk->socks = NULL;
	}
	for (i = 0; i < npids; i++)
		bpf_scan_free(&sel[i]);
	free(sel);
	free(mp.bitmap);
	set_conf(&mp, PICK_ALL);
	return r;
}
