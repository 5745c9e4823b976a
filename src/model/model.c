/* model.c - build the whole model: a source (source.h) reads processes, fds
 * and open file descriptions; then the neutral derivations run once, from
 * what any source filled: same-file links, endpoints, waits, related
 * processes, PATH matches, locks, counts, the tree.
 *
 * Order matters for correctness under races (the /proc source, proc_scan.c,
 * does steps 1-5; a source that reads the kernel's own records keeps 2 and 5):
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
#include "base/radix.h"
#include "scan/holds.h"
#include "model/locks.h"
#include "scan/proc_locks_read.h"
#include "scan/proc.h"
#include "scan/sock.h"
#include "scan/source.h"
#include "scan/bpf_scan.h"
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

/* ---- grouping ---- */

/* ---- the same file opened separately ---- */

/* For the run v[0..n) (one file, by holder): before[i] is the nearest
 * k < i of v[i]'s process whose description differs from v[i]'s, after[i]
 * the nearest k > i, each n when none; one pass each way (a description
 * held by many fds of one process would make a search from every fd
 * quadratic). */
static void nearest_other(struct fd_entry **v, size_t n, size_t *before, size_t *after)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i == 0 || v[i - 1]->proc != v[i]->proc)
			before[i] = n;
		else if (v[i - 1]->ofd != v[i]->ofd)
			before[i] = i - 1;
		else
			before[i] = before[i - 1];   /* the same description: its answer */
	}
	for (i = n; i-- > 0;) {
		if (i + 1 == n || v[i + 1]->proc != v[i]->proc)
			after[i] = n;
		else if (v[i + 1]->ofd != v[i]->ofd)
			after[i] = i + 1;
		else
			after[i] = after[i + 1];
	}
}

/* An fd of the run v[0..n) (one file, with at least two descriptions) with
 * another description than v[self]'s, from its own process if there is one
 * (the nearest before it, else after it), else the first in the run; alt is
 * the first index whose description differs from v[0]'s. */
static struct fd_entry *separate_open(struct fd_entry **v, size_t n, size_t self,
				      const size_t *before, const size_t *after, size_t alt)
{
	if (before[self] < n)
		return v[before[self]];
	if (after[self] < n)
		return v[after[self]];
	return v[0]->ofd != v[self]->ofd ? v[0] : v[alt];
}

/* Two open() calls of one file give two descriptions with their own
 * offsets: point each such fd at one of the others, so output can say so. */
static void link_same_files(struct model *m)
{
	struct fd_entry **v;
	struct radix_item *r = NULL, *tmp;
	size_t n = 0, cap = 0, i, j, start, end, alt, *before, *after;

	/* by file (mount, then inode), each file's fds by holder: the order
	 * they come in (processes by pid, fds by number) */
	for (i = 0; i < m->nprocs; i++)
		for (j = 0; j < m->procs[i].nfds; j++) {
			struct fd_entry *f = &m->procs[i].fds[j];
			if (m->procs[i].gone || !f->ofd || !fd_on_path(f))
				continue;
			grow_array((void **)&r, &cap, n + 1, sizeof(*r));
			r[n].key = f->ino;
			r[n++].p = f;
		}
	tmp = xcalloc(n + 1, sizeof(*tmp));
	radix_sort(r, tmp, n);
	for (i = 0; i < n; i++)   /* signed order of mount ids */
		r[i].key = (unsigned)((struct fd_entry *)r[i].p)->mnt_id ^ 0x80000000u;
	radix_sort(r, tmp, n);
	free(tmp);
	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = r[i].p;
	free(r);
	before = xcalloc(n + 1, sizeof(*before));
	after = xcalloc(n + 1, sizeof(*after));
	for (start = 0; start < n; start = end) {
		alt = 0;
		for (end = start + 1; end < n && v[end]->mnt_id == v[start]->mnt_id &&
		     v[end]->ino == v[start]->ino; end++)
			if (!alt && v[end]->ofd != v[start]->ofd)
				alt = end - start;
		if (!alt)
			continue;   /* one description: nothing opened separately */
		nearest_other(v + start, end - start, before, after);
		for (i = start; i < end; i++)
			v[i]->same_file = separate_open(v + start, end - start, i - start,
							before, after, alt);
	}
	free(before);
	free(after);
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

/* The tree, with the kernel's subreaper flags when they are asked for: those
 * the source read in its own load (the BPF source), or read now
 * (subreaper_bpf.h); otherwise from evidence, and the tree keeps why
 * (ENODATA: not asked for, --source proc; EPERM, EXDEV ...). */
static void build_tree(const struct model_options *o, struct model *m, struct source_ctx *sc)
{
	struct subreaper_table exact = { 0 };
	int err = 0;

	if (sc->have_subreapers) {
		exact = sc->subreapers;
		memset(&sc->subreapers, 0, sizeof(sc->subreapers));
		sc->have_subreapers = false;
	} else if (!o->exact_subreapers) {
		err = ENODATA;
	} else if (subreaper_bpf_read_at(o->procroot, &exact) < 0) {
		err = errno;
	}
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

int model_build(const struct model_options *o, struct model *m)
{
	double start = now_seconds();
	const struct fd_source *src = o->source ? o->source : &proc_source;
	struct source_ctx sc = { .opt = o };
	size_t i;
	int r;

	memset(m, 0, sizeof(*m));
	m->procroot = o->procroot;
	m->selection = o->npids || o->nuids || o->ncomms;
	m->self_parent = getppid();
	m->locks_early = proc_locks_start(o->procroot);   /* overlaps the scan */
	for (i = 0; i < o->nqueries; i++)
		m->paths_unresolved |= o->queries[i].timed_out;
	sc.holds = holds_ctx_new(o->queries, o->nqueries);
	r = src->read(&sc, m);
	if (r < 0 && src != &proc_source && o->source_fallback) {
		/* --source auto: BPF refused, /proc instead (the refused
		 * source read nothing into m); JSON says why */
		snprintf(m->source_fallback, sizeof(m->source_fallback), "%s", sc.why);
		src = &proc_source;
		r = src->read(&sc, m);
	}
	if (r < 0) {
		int err = errno;
		if (o->source_why)
			snprintf(o->source_why, o->source_whylen, "%s", sc.why);
		holds_ctx_free(sc.holds);
		model_free(m);
		errno = err;
		return -1;
	}
	m->source = src->name;
	/* after the read: it replaced libproc2's '?'-mangled comm with the raw one */
	for (i = 0; i < m->nprocs; i++)
		m->procs[i].selected = m->selection && matches_selection(o, &m->procs[i]);
	src->describe(&sc, m);
	link_same_files(m);
	endpoint_link(o, m);   /* pins processes again for ns/net */
	waits_read(m);         /* needs the listening state; pins again */
	mark_related(m);
	holds_mark_matches(sc.holds, m);
	holds_ctx_free(sc.holds);
	locks_read(o, m);      /* needs the descriptions, the PATH matches, and the pins */
	count_results(m);
	m->uptime = read_uptime(o->procroot);
	build_tree(o, m, &sc);
	m->scan_seconds = now_seconds() - start;
	return 0;
}

void model_free(struct model *m)
{
	size_t i;

	tree_free(m->tree);
	locks_free(m->locks);
	proc_locks_drop(m->locks_early);
	sock_table_free(m->sock_dumps);
	endpoint_free(m);
	for (i = 0; i < m->nprocs; i++) {
		holds_free(&m->procs[i]);
		proc_free_fields(&m->procs[i]);
	}
	free(m->path_held);
	free(m->procs);
	free(m->ofd_holders);
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
	/* a scan that ran short of its own fds or memory may have missed the
	 * selected processes' sharers: incomplete by our doing, not unknown
	 * by permission (which of the processes it could still read depends
	 * on timing, so never call that answer complete) */
	if (m->short_processes || m->short_fds)
		return false;
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

