/* model.c - build the whole model: processes -> fds -> open file descriptions.
 *
 * Order matters for correctness under races:
 *  1. libproc2 lists the processes;
 *  2. each is pinned (/proc/PID held open) and its start time checked against
 *     libproc2's, so a PID reused in between is not taken for the old process;
 *  3. its fds are read through the pinned dirs, and it is unpinned at once
 *     (the scan's own fds stay a handful, whatever the process count);
 *  4. fds are grouped by kcmp (ofd.c);
 *  5. each process is pinned again and its start time checked: one that
 *     ended since step 2 is dropped whole, because kcmp calls made after it
 *     ended could have compared a newcomer that took over its PID.  Later
 *     reads (ns/net, task syscalls) pin again and check the same way. */
#include "model/model.h"
#include "model/endpoint.h"
#include "base/escape.h"
#include "base/parallel.h"
#include "scan/fd.h"
#include "scan/holds.h"
#include "model/locks.h"
#include "scan/mounts.h"
#include "model/ofd.h"
#include "scan/proc.h"
#include "scan/subreaper_bpf.h"
#include "model/tree.h"
#include "scan/waits.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CMDLINE_MAX (4u << 20)    /* bytes of arguments read; the kernel allows more */

static bool in_int_list(const int *v, size_t n, int x)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* -c PREFIX: the raw name (as JSON shows it) or the name as the text
 * output shows it ("a\x0ab" for a newline) begins with PREFIX. */
static bool comm_matches(const char *comm, const char *prefix)
{
	size_t len = strlen(prefix);
	char *shown;
	bool ok;

	if (strncmp(comm, prefix, len) == 0)
		return true;
	shown = escape_text_dup(comm);
	ok = strncmp(shown, prefix, len) == 0;
	free(shown);
	return ok;
}

static bool matches_selection(const struct model_options *o, const struct process *p)
{
	size_t i;
	bool ok;

	if (o->npids && !in_int_list(o->pids, o->npids, p->pid))
		return false;
	if (o->nuids) {
		for (ok = false, i = 0; i < o->nuids; i++)
			ok |= o->uids[i] == p->ruid;
		if (!ok)
			return false;
	}
	if (o->ncomms) {
		for (ok = false, i = 0; i < o->ncomms; i++)
			ok |= comm_matches(p->comm, o->comms[i]);
		if (!ok)
			return false;
	}
	return true;
}

/* NSpid (and a second look at uids) from status, read through the pinned dir. */
static void read_status(struct process *p)
{
	char buf[8192];
	struct status_info si;
	ssize_t n = procfs_read_at(p->dir.dirfd, "status", buf, sizeof(buf));

	if (n <= 0 || parse_status(buf, (size_t)n, &si) < 0)
		return;
	memcpy(p->nspid, si.nspid, sizeof(p->nspid));
	p->nspid_count = si.nspid_count;
}

/* What the findings need of a process whose fds were read: the program it
 * runs (an exec shows as a change of it between parent and child) and its
 * fd limit.  Either stays unknown when unreadable. */
static void read_exe_and_limits(struct process *p)
{
	char buf[4096];
	ssize_t n = procfs_link_at(p->dir.dirfd, "exe", &p->exe);

	p->exe_len = n > 0 ? (size_t)n : 0;
	n = procfs_read_at(p->dir.dirfd, "limits", buf, sizeof(buf));
	p->have_nofile = n > 0 && parse_limits_nofile(buf, (size_t)n, &p->nofile) == 0;
}

/* The arguments, NUL-separated as the kernel keeps them (a newline inside
 * one stays in it).  Kernel threads and zombies have none; an unreadable
 * cmdline leaves the list empty. */
static void read_cmdline(struct process *p, char state)
{
	char *buf;
	ssize_t n;

	if (p->is_kthread || state == 'Z')
		return;
	n = procfs_read_all_at(p->dir.dirfd, "cmdline", CMDLINE_MAX, &buf);
	if (n < 0)
		return;
	cmdline_free(p->cmdline);
	p->cmdline = parse_cmdline(buf, (size_t)n);
	free(buf);
}

/* Pin a process and make sure it is still the one libproc2 described.
 * comm is taken again from stat here, raw: libproc2 turns control bytes in
 * names into '?', and the JSON must carry the name as the kernel has it. */
static bool pin_process(const struct model_options *o, struct process *p)
{
	struct stat_info si;

	if (procfs_pin(o->procroot, p->pid, &p->dir) < 0 || procfs_stat(&p->dir, &si) < 0) {
		/* ENOENT/ESRCH: it ended; anything else (EMFILE ...) is ours to report */
		if (errno == ENOENT || errno == ESRCH)
			p->gone = true;
		else
			p->err = errno;
		procfs_unpin(&p->dir);
		return false;
	}
	if (si.start_time != p->start_time) {
		p->gone = true;   /* its PID already belongs to a newcomer */
		procfs_unpin(&p->dir);
		return false;
	}
	free(p->comm);
	p->comm = xstrdup(si.comm);
	read_cmdline(p, si.state);
	return true;
}

/* One scan over the processes, each thread with a context of its own. */
struct scan_run {
	const struct model_options *o;
	struct model *m;
	struct holds_ctx *hc;
	struct fd_scan_ctx *ctx;   /* one per thread */
};

static void scan_one(size_t i, unsigned worker, void *arg)
{
	struct scan_run *r = arg;
	struct process *p = &r->m->procs[i];

	if (!pin_process(r->o, p))
		return;
	read_status(p);
	/* kernel threads have no fd table of their own worth reading */
	if (!p->is_kthread && p->state != 'Z') {
		if (fd_scan_process(p, &r->ctx[worker]) < 0 && (p->err == ENOENT || p->err == ESRCH)) {
			p->gone = true;
			p->err = 0;
		}
		if (!p->err && !p->gone) {
			read_exe_and_limits(p);
			holds_read(r->hc, p);
		}
	}
	/* unpinned at once: the scan's own fds stay a handful however many
	 * processes there are; later reads pin again and check the start
	 * time (model_pin_again) */
	procfs_unpin(&p->dir);
}

/* Every process is read into its own record, on two threads where there
 * are two CPUs: which thread reads which changes nothing in the model. */
static void scan_processes(const struct model_options *o, struct model *m, struct holds_ctx *hc)
{
	unsigned nthreads = parallel_threads(2), t;
	struct scan_run r = { .o = o, .m = m, .hc = hc };

	r.ctx = xcalloc(nthreads, sizeof(*r.ctx));
	for (t = 0; t < nthreads; t++)
		fd_scan_ctx_init(&r.ctx[t], o->procroot);
	parallel_for(m->nprocs, nthreads, scan_one, &r);
	for (t = 0; t < nthreads; t++)
		fd_scan_ctx_free(&r.ctx[t]);
	free(r.ctx);
}

/* ---- grouping ---- */

static int kcmp_items(const struct ofd_item *a, const struct ofd_item *b, int *err, void *ctx)
{
	int r = kcmp_file(a->pid, a->fd, b->pid, b->fd);

	(void)ctx;
	if (r == -2) {
		*err = errno;
		return OFD_CMP_ERROR;
	}
	return r;
}

/* The bucket key: what must be equal for two fds to be one description.
 * Not pos nor the status flags: another process may move the offset or
 * fcntl(F_SETFL) between our reads of two fds of one description, and we
 * must not split it.  Anon inodes (eventfd, epoll, timerfd ...) all share
 * one inode, so their link text and eventfd id split them further. */
static void make_key(const struct fd_entry *f, unsigned long long key[OFD_KEY_WORDS])
{
	unsigned accmode = f->info.flags & 010000003;   /* access mode and O_PATH */

	key[0] = ((unsigned long long)(unsigned)f->info.mnt_id << 32) | accmode;
	key[1] = f->info.ino;
	key[2] = f->link.kind == LINK_ANON ? hash_bytes(f->target, f->target_len) : 0;
	key[3] = f->info.have_eventfd ? (unsigned long long)(f->info.eventfd_id + 1) : 0;
}

/* Whom to ask first inside a bucket (ofd.h): pos and the status flags but
 * close-on-exec, which is the fd's own. */
static unsigned long long make_hint(const struct fd_entry *f)
{
	return f->info.pos * 0x100000001b3ull ^ (f->info.flags & ~02000000u);
}

static int cmp_holder(const void *x, const void *y)
{
	const struct fd_entry *a = *(struct fd_entry *const *)x, *b = *(struct fd_entry *const *)y;

	if (a->proc->pid != b->proc->pid)
		return a->proc->pid < b->proc->pid ? -1 : 1;
	return (a->fd > b->fd) - (a->fd < b->fd);
}

static int cmp_group_first(const void *x, const void *y)
{
	const struct ofd_group *a = x, *b = y;
	return cmp_holder(&a->holders[0], &b->holders[0]);
}

/* Turn ofd.c's group indexes into model groups with holders, leaving out
 * fds of processes that are gone; ids follow the first holder's (pid, fd). */
static void collect_groups(struct model *m, struct ofd_item *items, size_t n,
			   const struct ofd_group_info *info, size_t ninfo)
{
	size_t i, j, count = 0;
	struct ofd_group *g = xcalloc(ninfo + 1, sizeof(*g));

	for (i = 0; i < ninfo; i++) {
		g[i].verified = info[i].verified;
		g[i].unverified_err = info[i].err;
		g[i].holders = xcalloc(info[i].nmembers + 1, sizeof(struct fd_entry *));
	}
	for (i = 0; i < n; i++) {
		struct fd_entry *f = items[i].user;
		if (items[i].group < 0 || f->proc->gone)
			continue;
		g[items[i].group].holders[g[items[i].group].nholders++] = f;
	}
	for (i = 0; i < ninfo; i++) {
		if (!g[i].nholders) {
			free(g[i].holders);
			continue;
		}
		qsort(g[i].holders, g[i].nholders, sizeof(*g[i].holders), cmp_holder);
		g[count++] = g[i];
	}
	qsort(g, count, sizeof(*g), cmp_group_first);
	for (i = 0; i < count; i++) {
		g[i].id = (int)i + 1;
		g[i].nprocs = 0;
		for (j = 0; j < g[i].nholders; j++) {
			struct fd_entry *f = g[i].holders[j];
			f->ofd = g[i].id;
			f->in_shared_ofd = g[i].nholders > 1;
			f->ofd_verified = g[i].verified;
			if (j == 0 || g[i].holders[j - 1]->proc != f->proc)
				g[i].nprocs++;
		}
	}
	m->ofds = g;
	m->nofds = count;
}

static void group_fds(const struct model_options *o, struct model *m)
{
	struct ofd_item *items = NULL;
	struct ofd_group_info *info = NULL;
	struct ofd_ops ops = { .cmp = kcmp_items, .enabled = o->use_kcmp,
			       .threads = parallel_threads(2) };
	size_t n = 0, cap = 0, ninfo = 0, i, j;

	for (i = 0; i < m->nprocs; i++) {
		struct process *p = &m->procs[i];
		for (j = 0; j < p->nfds; j++) {
			struct fd_entry *f = &p->fds[j];
			if (!f->info.have_basic)
				continue;
			grow_array((void **)&items, &cap, n + 1, sizeof(*items));
			make_key(f, items[n].key);
			items[n].hint = make_hint(f);
			items[n].pid = p->pid;
			items[n].fd = f->fd;
			items[n].user = f;
			items[n].group = -1;
			n++;
		}
	}
	ofd_group_items(items, n, &ops, &info, &ninfo);
	m->kcmp_calls = ops.calls;
	m->kcmp = !o->use_kcmp ? KCMP_DISABLED : ops.saw_enosys ? KCMP_UNAVAILABLE
		: ops.saw_eperm ? KCMP_PARTIAL_EPERM : KCMP_OK;
	/* step 5: anything that ended since it was read is dropped whole */
	for (i = 0; i < m->nprocs; i++) {
		struct process *p = &m->procs[i];
		if (p->gone)
			continue;
		if (model_pin_again(m, p) == 0)
			procfs_unpin(&p->dir);
		else if (errno == ESRCH || errno == ENOENT)
			p->gone = true;
		else if (!p->err)
			p->err = errno;   /* could not be checked: said, not hidden */
	}
	collect_groups(m, items, n, info, ninfo);
	free(items);
	free(info);
}

/* ---- the same file opened separately ---- */

static int cmp_file_then_holder(const void *x, const void *y)
{
	const struct fd_entry *a = *(struct fd_entry *const *)x, *b = *(struct fd_entry *const *)y;

	if (a->info.mnt_id != b->info.mnt_id)
		return a->info.mnt_id < b->info.mnt_id ? -1 : 1;
	if (a->info.ino != b->info.ino)
		return a->info.ino < b->info.ino ? -1 : 1;
	return cmp_holder(x, y);
}

/* An fd of the run v[0..n) (one file) with another description than f's,
 * from f's own process if there is one. */
static struct fd_entry *separate_open(struct fd_entry **v, size_t n, size_t self)
{
	struct fd_entry *f = v[self], *other = NULL;
	size_t i;

	for (i = self; i > 0 && v[i - 1]->proc == f->proc; i--)
		if (v[i - 1]->ofd != f->ofd)
			return v[i - 1];
	for (i = self + 1; i < n && v[i]->proc == f->proc; i++)
		if (v[i]->ofd != f->ofd)
			return v[i];
	for (i = 0; i < n && !other; i++)
		if (v[i]->ofd != f->ofd)
			other = v[i];
	return other;
}

/* Two open() calls of one file give two descriptions with their own
 * offsets: point each such fd at one of the others, so output can say so. */
static void link_same_files(struct model *m)
{
	struct fd_entry **v = NULL;
	size_t n = 0, cap = 0, i, j, start, end;

	for (i = 0; i < m->nprocs; i++)
		for (j = 0; j < m->procs[i].nfds; j++) {
			struct fd_entry *f = &m->procs[i].fds[j];
			if (m->procs[i].gone || !f->ofd || f->link.kind != LINK_PATH)
				continue;
			grow_array((void **)&v, &cap, n + 1, sizeof(*v));
			v[n++] = f;
		}
	if (n)
		qsort(v, n, sizeof(*v), cmp_file_then_holder);
	for (start = 0; start < n; start = end) {
		bool several = false;
		for (end = start + 1; end < n && v[end]->info.mnt_id == v[start]->info.mnt_id &&
		     v[end]->info.ino == v[start]->info.ino; end++)
			several |= v[end]->ofd != v[start]->ofd;
		if (!several)
			continue;
		for (i = start; i < end; i++)
			v[i]->same_file = separate_open(v + start, end - start, i - start);
	}
	free(v);
}

/* ---- selection and PATH matches ---- */

static void mark_related(struct model *m)
{
	size_t i, j;

	for (i = 0; i < m->nofds; i++) {
		struct ofd_group *g = &m->ofds[i];
		bool has_selected = false;
		for (j = 0; j < g->nholders; j++)
			has_selected |= g->holders[j]->proc->selected;
		if (!has_selected || g->nholders < 2)
			continue;
		for (j = 0; j < g->nholders; j++) {
			g->holders[j]->related = true;
			if (!g->holders[j]->proc->selected)
				g->holders[j]->proc->related = true;
		}
	}
}

static void count_results(struct model *m)
{
	size_t i, j;

	for (i = 0; i < m->nprocs; i++) {
		struct process *p = &m->procs[i];
		if (p->gone) {
			m->vanished++;
			continue;
		}
		if (p->selected)
			m->nselected++;
		if (p->err)
			m->unreadable++;
		if (model_short_of_resource(p->err)) {
			m->short_processes++;
			m->short_err = m->short_err ? m->short_err : p->err;
		}
		m->nfds += p->nfds;
		for (j = 0; j < p->nfds; j++) {
			if (p->fds[j].err)
				m->fd_errors++;
			if (model_short_of_resource(p->fds[j].err)) {
				m->short_fds++;
				m->short_err = m->short_err ? m->short_err : p->fds[j].err;
			}
		}
	}
}

/* Seconds since boot, the first number of PROCROOT/uptime ("3050.27 5907.92"),
 * or 0 when unreadable: zombie ages are then unknown. */
static double read_uptime(const char *procroot)
{
	char path[4096], buf[128], *end;
	double up;

	snprintf(path, sizeof(path), "%s/uptime", procroot);
	if (procfs_read_at(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
		return 0;
	up = strtod(buf, &end);
	return end != buf && *end == ' ' && up > 0 ? up : 0;
}

/* The tree, with the kernel's subreaper flags when they are asked for and
 * the optional BPF part is built and may run (subreaper_bpf.h); otherwise
 * from evidence, and the tree keeps why (ENOSYS: not built; ENODATA: not
 * asked for, loading costs a tenth of a second or more). */
static void build_tree(const struct model_options *o, struct model *m)
{
	struct subreaper_table exact = { 0 };
	int err = !subreaper_bpf_built() ? ENOSYS : !o->exact_subreapers ? ENODATA
		: subreaper_bpf_read_at(o->procroot, &exact) < 0 ? errno : 0;

	m->tree = tree_build_exact(m->procs, m->nprocs, m->uptime, sysconf(_SC_CLK_TCK),
				   err ? NULL : &exact, err);
	subreaper_table_free(&exact);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int model_pin_again(const struct model *m, struct process *p)
{
	return procfs_pin_again(m->procroot, p->pid, p->start_time, &p->dir);
}

bool model_short_of_resource(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOMEM;
}

int model_build(const struct model_options *o, struct model *m)
{
	double start = now_seconds();
	struct holds_ctx *hc;
	ssize_t n;
	size_t i;

	memset(m, 0, sizeof(*m));
	m->procroot = o->procroot;
	n = proc_table_read(&m->procs);
	if (n < 0)
		return -1;
	m->nprocs = (size_t)n;
	m->selection = o->npids || o->nuids || o->ncomms;
	m->self_parent = getppid();
	for (i = 0; i < o->nqueries; i++)
		m->paths_unresolved |= o->queries[i].timed_out;
	hc = holds_ctx_new(o->queries, o->nqueries);
	scan_processes(o, m, hc);
	/* after the scan: it replaced libproc2's '?'-mangled comm with the raw one */
	for (i = 0; i < m->nprocs; i++)
		m->procs[i].selected = m->selection && matches_selection(o, &m->procs[i]);
	group_fds(o, m);
	link_same_files(m);
	endpoint_link(o, m);   /* pins processes again for ns/net */
	waits_read(m);         /* needs the listening state; pins again */
	mark_related(m);
	holds_mark_matches(hc, m);
	holds_ctx_free(hc);
	locks_read(o, m);      /* needs the descriptions, the PATH matches, and the pins */
	count_results(m);
	m->uptime = read_uptime(o->procroot);
	build_tree(o, m);
	m->scan_seconds = now_seconds() - start;
	return 0;
}

void model_free(struct model *m)
{
	size_t i;

	tree_free(m->tree);
	locks_free(m->locks);
	endpoint_free(m);
	for (i = 0; i < m->nprocs; i++) {
		holds_free(&m->procs[i]);
		proc_free_fields(&m->procs[i]);
	}
	free(m->path_held);
	free(m->procs);
	for (i = 0; i < m->nofds; i++)
		free(m->ofds[i].holders);
	free(m->ofds);
	memset(m, 0, sizeof(*m));
}

bool model_complete(const struct model *m)
{
	return m->unreadable == 0 && m->fd_errors == 0 && !m->paths_unresolved;
}

bool model_selection_complete(const struct model *m)
{
	size_t i, j;

	if (!m->selection)
		return model_complete(m);
	for (i = 0; i < m->nprocs; i++) {
		const struct process *p = &m->procs[i];
		if (p->gone || !p->selected)
			continue;
		if (p->err)
			return false;
		for (j = 0; j < p->nfds; j++)
			if (p->fds[j].err)
				return false;
	}
	return true;
}

const struct ofd_group *model_ofd(const struct model *m, int id)
{
	return id >= 1 && (size_t)id <= m->nofds ? &m->ofds[id - 1] : NULL;
}

static int cmp_pid_key(const void *key, const void *elem)
{
	int pid = *(const int *)key;
	const struct process *p = elem;
	return (pid > p->pid) - (pid < p->pid);
}

const struct process *model_process(const struct model *m, int pid)
{
	return bsearch(&pid, m->procs, m->nprocs, sizeof(*m->procs), cmp_pid_key);
}
