/* findings_locks.c - the rules about file locks (locks.h), each with the
 * look-alikes it leaves alone:
 *
 *  lock-deadlock   processes that wait for locks held by each other, round a
 *                  cycle, each with every thread blocked in flock() or
 *                  fcntl(F_SETLKW/F_OFD_SETLKW): none can go on.  The kernel
 *                  refuses POSIX cycles (EDEADLK) but not flock or OFD ones.
 *                  Not flagged: a wait for a lock one of whose holders can
 *                  still run (prefork workers share a flock: any of them may
 *                  release it), a process with another thread not waiting,
 *                  a waiter whose threads could not be read.
 *  lock-wait       a waiter whose lock is held only by processes that cannot
 *                  release it now: stopped (T), traced (t), or themselves
 *                  waiting for a lock (the chain is followed to its end).
 *                  Not flagged: a wait for a holder that runs or sleeps in
 *                  anything else (that is ordinary contention), holders not
 *                  readable (unknown is not stuck), a deadlock (reported as
 *                  lock-deadlock instead).
 *  lock-inherited  a flock kept alive only by processes that inherited its
 *                  description after the process that took it let go (it
 *                  ended, or no longer holds it), each of them re-parented
 *                  (its parent is gone: the pidfile case, a daemon's helper
 *                  exec'd with the lock fd open).  Not flagged: prefork
 *                  workers sharing the lock with the master that took it; the
 *                  shell idiom "exec 9>lock; flock 9; cmd" (the shell holds
 *                  fd 9 and its commands inherit it on purpose; a shell at
 *                  the top counts as the owner even when re-parented); OFD
 *                  locks (the kernel does not say who took them); holders
 *                  whose re-parenting /proc cannot prove. */
#include "findings/findings_rules.h"
#include "model/lockgraph.h"
#include "model/locks.h"
#include "model/tree.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHAIN_MAX 64

/* ---- the wait-for graph over m->locks ---- */

struct graph {
	struct lockgraph g;
	bool *stuck, *dead;
	size_t **holders, *nholders;
	struct lockgraph_wait *waits;
};

/* Node of process p: its index in m->locks->procs, or nnodes when absent. */
static size_t node_of(const struct model *m, const struct process *p)
{
	const struct lock_proc *lp = p ? locks_proc(m, p) : NULL;
	return lp ? (size_t)(lp - m->locks->procs) : m->locks->nprocs;
}

static void graph_build(const struct model *m, struct graph *gr)
{
	const struct lock_table *t = m->locks;
	size_t i, k, nw = 0, cap = 0;

	memset(gr, 0, sizeof(*gr));
	gr->stuck = xcalloc(t->nprocs + 1, sizeof(bool));
	gr->dead = xcalloc(t->nprocs + 1, sizeof(bool));
	gr->holders = xcalloc(t->nlocks + 1, sizeof(*gr->holders));
	gr->nholders = xcalloc(t->nlocks + 1, sizeof(size_t));
	for (i = 0; i < t->nprocs; i++)
		gr->stuck[i] = locks_stall(m, t->procs[i].proc) == STALL_LOCK_WAIT;
	for (i = 0; i < t->nlocks; i++) {
		const struct held_lock *l = &t->locks[i];
		gr->holders[i] = xcalloc(l->nholders + 1, sizeof(size_t));
		for (k = 0; k < l->nholders; k++)
			gr->holders[i][gr->nholders[i]++] = node_of(m, l->holders[k]);
		for (k = 0; k < l->nwaiters; k++) {
			const struct lock_waiter *w = &l->waiters[k];
			const struct process *p = w->pid > 0 ? model_process(m, w->pid) : NULL;
			if (!p || !w->tid || node_of(m, p) == t->nprocs)
				continue;
			grow_array((void **)&gr->waits, &cap, nw + 1, sizeof(*gr->waits));
			gr->waits[nw++] = (struct lockgraph_wait){ node_of(m, p), w->tid, i };
		}
	}
	gr->g = (struct lockgraph){
		.nnodes = t->nprocs, .nlocks = t->nlocks, .stuck = gr->stuck,
		.holders = (const size_t *const *)gr->holders, .nholders = gr->nholders,
		.waits = gr->waits, .nwaits = nw,
	};
	lockgraph_dead(&gr->g, gr->dead);
}

static void graph_free(struct graph *gr)
{
	size_t i;

	for (i = 0; i < gr->g.nlocks; i++)
		free(gr->holders[i]);
	free(gr->holders);
	free(gr->nholders);
	free(gr->waits);
	free(gr->stuck);
	free(gr->dead);
}

/* The first lock node waits for whose holders include next (or any, when
 * next is nnodes), with the waiter record. */
static const struct held_lock *awaited(const struct model *m, const struct graph *gr,
				       size_t node, size_t next, const struct lock_waiter **wout)
{
	const struct lock_table *t = m->locks;
	size_t i, k;

	for (i = 0; i < gr->g.nwaits; i++) {
		const struct lockgraph_wait *w = &gr->g.waits[i];
		const struct held_lock *l = &t->locks[w->lock];
		if (w->node != node)
			continue;
		for (k = 0; next != t->nprocs && k < gr->nholders[w->lock] &&
		     gr->holders[w->lock][k] != next; k++)
			;
		if (next != t->nprocs && k == gr->nholders[w->lock])
			continue;
		for (k = 0; k < l->nwaiters; k++)
			if (l->waiters[k].pid == t->procs[node].proc->pid && l->waiters[k].tid == w->thread)
				*wout = &l->waiters[k];
		return l;
	}
	return NULL;
}

/* "lock 2 (flock write on /run/a.lock)" */
static void say_lock_on(struct strbuf *sb, const struct held_lock *l)
{
	sb_printf(sb, "lock %d (", l->id);
	locks_say_lock(l, sb);
	sb_adds(sb, " on ");
	locks_say_file(l, sb);
	sb_adds(sb, ")");
}

/* "7 (app) waits for lock 2 (flock write on /run/a.lock) through fd 5" */
static void say_wait(struct strbuf *sb, const struct process *p, const struct held_lock *l,
		     const struct lock_waiter *w)
{
	say_proc(sb, p);
	sb_adds(sb, " waits for ");
	say_lock_on(sb, l);
	if (w && w->fd >= 0)
		sb_printf(sb, " through fd %d", w->fd);
}

static void finding_lock_fds(struct finding *f, const struct held_lock *l, const struct process *p)
{
	size_t i;

	for (i = 0; i < l->nfds; i++)
		if (!p || l->fds[i]->proc == p)
			finding_fd(f, l->fds[i]);
}

static void finding_waiter_fd(struct finding *f, const struct model *m, const struct lock_waiter *w)
{
	const struct process *p = w && w->pid > 0 ? model_process(m, w->pid) : NULL;
	size_t i;

	for (i = 0; p && i < p->nfds; i++)
		if (p->fds[i].fd == w->fd)
			finding_fd(f, &p->fds[i]);
	if (p)
		finding_pid(f, p->pid);
}

/* ---- lock-deadlock ---- */

static void report_deadlock(const struct model *m, const struct graph *gr, const size_t *cycle,
			    size_t n, size_t behind, const struct rule *r, struct findings *out)
{
	const struct lock_table *t = m->locks;
	struct finding *f = finding_new(out, r, r->severity);
	struct strbuf sb, ids;
	size_t i;

	sb_init(&sb);
	sb_init(&ids);
	sb_adds(&sb, "deadlock: ");
	for (i = 0; i < n; i++) {
		const struct process *p = t->procs[cycle[i]].proc, *q = t->procs[cycle[(i + 1) % n]].proc;
		const struct lock_waiter *w = NULL;
		const struct held_lock *l = awaited(m, gr, cycle[i], cycle[(i + 1) % n], &w);
		if (!l)
			continue;
		if (i)
			sb_adds(&sb, "; ");
		say_wait(&sb, p, l, w);
		sb_adds(&sb, q == p ? " that it holds itself through another open file description"
			: ", held by ");
		if (q != p)
			say_proc(&sb, q);
		finding_pid(f, p->pid);
		finding_waiter_fd(f, m, w);
		finding_lock_fds(f, l, q);
		sb_printf(&ids, "%s%d", ids.len ? "," : "", l->id);
	}
	sb_adds(&sb, ": none of them can go on");
	if (behind)
		sb_printf(&sb, ", and %zu more wait%s behind them", behind, behind == 1 ? "s" : "");
	finding_message(f, &sb);
	sb_adds(&sb, "end one of them (its locks go with its last fd of each description); then "
		"take such locks in one order everywhere, or use LOCK_NB / F_OFD_SETLK and retry");
	finding_hint(f, &sb);
	finding_num(f, "processes", (long long)n);
	finding_str(f, "locks", ids.buf);
	finding_num(f, "waiting_behind", (long long)behind);
	finding_done(f);
	sb_free(&ids);
}

void check_lock_deadlock(const struct model *m, const struct findings_config *c,
			 const struct rule *r, struct findings *out)
{
	struct graph gr;
	size_t i, k, n, behind = 0, ncycles = 0, *cycles, *lens;
	bool *reported;

	(void)c;
	if (!m->locks || !m->locks->nprocs)
		return;
	graph_build(m, &gr);
	n = gr.g.nnodes;
	cycles = xcalloc(n * n + 1, sizeof(size_t));   /* cycle c at cycles[c * n] */
	lens = xcalloc(n + 1, sizeof(size_t));
	reported = xcalloc(n + 1, sizeof(bool));
	for (i = 0; i < n; i++) {
		size_t *cy = &cycles[ncycles * n], len;
		if (!gr.dead[i] || reported[i])
			continue;
		len = lockgraph_cycle(&gr.g, gr.dead, i, cy, n);
		if (!len || reported[cy[0]])
			continue;   /* i waits behind a cycle already found */
		for (k = 0; k < len; k++)
			reported[cy[k]] = true;
		lens[ncycles++] = len;
	}
	for (i = 0; i < n; i++)
		behind += gr.dead[i] && !reported[i];
	/* each cycle once; those waiting behind are counted with the first */
	for (i = 0; i < ncycles; i++)
		report_deadlock(m, &gr, &cycles[i * n], lens[i], i ? 0 : behind, r, out);
	free(cycles);
	free(lens);
	free(reported);
	graph_free(&gr);
}

/* ---- lock-wait ---- */

static bool stalled(enum lock_stall s)
{
	return s == STALL_STOPPED || s == STALL_TRACED || s == STALL_LOCK_WAIT;
}

/* Whether every holder of l (known, not the waiter itself) is stalled. */
static bool held_by_stalled(const struct model *m, const struct held_lock *l, const struct process *waiter)
{
	size_t i;

	for (i = 0; i < l->nholders; i++)
		if (l->holders[i] == waiter || !stalled(locks_stall(m, l->holders[i])))
			return false;
	return l->nholders > 0;
}

/* "held by 5 (b), which waits for lock 2 (...) held by 6 (c), stopped (T)" */
static const struct process *say_chain(const struct model *m, const struct held_lock *l,
				       struct strbuf *sb, struct finding *f)
{
	const struct process *end = NULL;
	const struct process *seen[CHAIN_MAX];
	size_t depth, n, i, nseen = 0;

	for (depth = 0; l && l->nholders && depth < CHAIN_MAX; depth++) {
		n = l->nholders;
		sb_adds(sb, depth ? " held by " : "held by ");
		for (i = 0; i < n && i < NAMES_LISTED; i++) {
			if (i)
				sb_adds(sb, ", ");
			say_proc(sb, l->holders[i]);
			finding_pid(f, l->holders[i]->pid);
			finding_lock_fds(f, l, l->holders[i]);
		}
		if (n > NAMES_LISTED)
			sb_printf(sb, " and %zu more", n - NAMES_LISTED);
		end = l->holders[0];
		for (i = 0; i < nseen && seen[i] != end; i++)
			;
		if (i < nseen || locks_stall(m, end) != STALL_LOCK_WAIT || nseen == CHAIN_MAX) {
			sb_adds(sb, ", ");
			locks_say_state(m, end, sb);
			break;
		}
		seen[nseen++] = end;
		l = locks_awaited(m, end);
		if (l) {
			sb_adds(sb, ", which waits for ");
			say_lock_on(sb, l);
		}
	}
	return end;
}

static void report_wait(const struct model *m, const struct held_lock *l, const struct lock_waiter *w,
			const struct process *p, const struct rule *r, struct findings *out)
{
	struct finding *f = finding_new(out, r, r->severity);
	const struct process *end;
	struct strbuf sb;
	enum lock_stall s;

	sb_init(&sb);
	say_wait(&sb, p, l, w);
	sb_adds(&sb, ", ");
	finding_waiter_fd(f, m, w);
	end = say_chain(m, l, &sb, f);
	finding_message(f, &sb);
	s = end ? locks_stall(m, end) : STALL_UNKNOWN;
	if (s == STALL_STOPPED)
		sb_printf(&sb, "a stopped process keeps its locks: resume it (kill -CONT %d) or end it", end->pid);
	else if (s == STALL_TRACED)
		sb_printf(&sb, "a tracer holds %d stopped: let the debugger continue or detach it", end->pid);
	else if (end)
		sb_printf(&sb, "it waits behind other waiters: nothing moves until %d releases its lock; "
			  "see what %d is doing (fdshare -p %d) if that takes long", end->pid, end->pid,
			  end->pid);
	finding_hint(f, &sb);
	finding_num(f, "lock", l->id);
	finding_str(f, "kind", lk_kind_name(l->kind));
	if (end) {
		finding_num(f, "blocking_pid", end->pid);
		sb_init(&sb);
		locks_say_state(m, end, &sb);
		finding_bytes(f, "blocking_state", sb.buf, sb.len);
		sb_free(&sb);
	}
	finding_done(f);
}

void check_lock_wait(const struct model *m, const struct findings_config *c,
		     const struct rule *r, struct findings *out)
{
	struct graph gr;
	size_t i, k;

	(void)c;
	if (!m->locks || !m->locks->nlocks)
		return;
	graph_build(m, &gr);
	for (i = 0; i < m->locks->nlocks; i++) {
		const struct held_lock *l = &m->locks->locks[i];
		for (k = 0; k < l->nwaiters; k++) {
			const struct lock_waiter *w = &l->waiters[k];
			const struct process *p = w->pid > 0 ? model_process(m, w->pid) : NULL;
			size_t node = p ? node_of(m, p) : gr.g.nnodes;
			if (!p || p->gone || (node < gr.g.nnodes && gr.dead[node]) ||
			    !held_by_stalled(m, l, p))
				continue;
			report_wait(m, l, w, p, r, out);
		}
	}
	graph_free(&gr);
}

/* ---- lock-inherited ---- */

static bool reparented(const struct model *m, const struct process *p)
{
	size_t i = (size_t)(p - m->procs);

	return m->tree && i < m->tree->n && m->tree->nodes[i].reparented == TRI_TRUE;
}

/* Whether the process that took l still holds its description. */
static bool taker_holds(const struct model *m, const struct held_lock *l)
{
	const struct process *p = l->pid > 0 ? model_process(m, l->pid) : NULL;
	return p && !p->gone && holds_ofd(p, l->ofd);
}

static void report_inherited(const struct model *m, const struct held_lock *l,
			     const struct process *const *tops, size_t ntops,
			     const struct rule *r, struct findings *out)
{
	struct finding *f = finding_new(out, r, r->severity);
	const struct fd_entry *first = l->fds[0];
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	say_lock_on(&sb, l);
	sb_adds(&sb, " is kept by ");
	for (i = 0; i < l->nfds && i < NAMES_LISTED; i++) {
		if (i)
			sb_adds(&sb, i + 1 == l->nfds ? " and " : ", ");
		say_proc(&sb, l->fds[i]->proc);
		sb_printf(&sb, " fd %d", l->fds[i]->fd);
	}
	if (l->nfds > NAMES_LISTED)
		sb_printf(&sb, " and %zu more", l->nfds - NAMES_LISTED);
	if (l->pid > 0 && model_process(m, l->pid))
		sb_printf(&sb, ", which inherited it; %d, which took it, no longer holds it", l->pid);
	else if (l->pid > 0)
		sb_printf(&sb, ", which inherited it; %d, which took it, has ended", l->pid);
	else
		sb_adds(&sb, ", which inherited it; the process that took it has ended");
	finding_message(f, &sb);
	sb_adds(&sb, "the lock is released when ");
	say_proc(&sb, first->proc);
	sb_printf(&sb, " closes fd %d or ends%s; fix the program that takes it: open the lock file "
		  "with O_CLOEXEC (or close it in the child before exec)", first->fd,
		  l->nfds > 1 ? ", and so do the others" : "");
	finding_hint(f, &sb);
	for (i = 0; i < l->nfds; i++)
		finding_fd(f, l->fds[i]);
	for (i = 0; i < ntops; i++)
		finding_pid(f, tops[i]->pid);
	finding_num(f, "lock", l->id);
	finding_num(f, "ofd", l->ofd);
	finding_bytes(f, "target", first->target, first->target_len);
	if (l->pid > 0)
		finding_num(f, "taken_by", l->pid);
	else
		finding_bytes(f, "taken_by", NULL, 0);
	finding_bytes(f, "holder_exe", tops[0]->exe, tops[0]->exe_len);
	finding_done(f);
}

void check_lock_inherited(const struct model *m, const struct findings_config *c,
			  const struct rule *r, struct findings *out)
{
	const struct process **tops;
	size_t i, k, ntops;
	bool orphaned;

	(void)c;
	for (i = 0; m->locks && i < m->locks->nlocks; i++) {
		const struct held_lock *l = &m->locks->locks[i];
		const struct ofd_group *g = model_ofd(m, l->ofd);
		if (l->kind != LK_FLOCK || !g || !ofd_proven(g) || !l->nfds || taker_holds(m, l))
			continue;
		tops = xcalloc(l->nholders + 1, sizeof(*tops));
		orphaned = l->nholders > 0;
		for (k = ntops = 0; k < l->nholders && orphaned; k++) {
			const struct process *p = l->holders[k];
			if (ancestor_holds(m, p, l->ofd))
				continue;   /* got it from a holder that still has it */
			orphaned = reparented(m, p) && !is_shell(p);
			tops[ntops++] = p;
		}
		if (orphaned && ntops)
			report_inherited(m, l, tops, ntops, r, out);
		free(tops);
	}
}
