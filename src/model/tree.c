/* tree.c - the process tree, re-parenting and subreaper evidence, zombie
 * groups.  The rules and what they cannot prove are in tree.h. */
#include "model/tree.h"
#include "base/util.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static int cmp_pid_key(const void *key, const void *elem)
{
	int pid = *(const int *)key;
	const struct tree_node *n = elem;
	return (pid > n->proc->pid) - (pid < n->proc->pid);
}

int tree_find(const struct tree *t, int pid)
{
	const struct tree_node *n = bsearch(&pid, t->nodes, t->n, sizeof(*t->nodes), cmp_pid_key);
	return n ? (int)(n - t->nodes) : -1;
}

const struct tree_node *tree_node_of(const struct tree *t, const struct process *p)
{
	if (!t || !t->n || p < t->nodes[0].proc || p > t->nodes[t->n - 1].proc)
		return NULL;
	return &t->nodes[p - t->nodes[0].proc];
}

bool sigmask_has(const char *hex, int sig)
{
	unsigned long long mask = 0;
	size_t i, len = hex ? strlen(hex) : 0;

	if (len == 0 || len > 16 || sig < 1 || sig > 64)
		return false;
	for (i = 0; i < len; i++) {
		char c = hex[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (v < 0)
			return false;
		mask = mask << 4 | (unsigned)v;
	}
	return (mask >> (sig - 1)) & 1;
}

double tree_age(const struct tree *t, const struct process *p)
{
	double age;

	if (t->uptime <= 0 || t->hz <= 0)
		return -1;
	age = t->uptime - (double)p->start_time / (double)t->hz;
	return age < 0 ? 0 : age;
}

/* ---- links ---- */

static void init_nodes(struct tree *t, const struct process *procs)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		struct tree_node *nd = &t->nodes[i];
		const struct process *p = &procs[i];
		nd->proc = p;
		nd->parent = -1;
		nd->present = !p->gone;
		nd->pidns_init = p->nspid_count > 0 ? p->nspid[p->nspid_count - 1] == 1 : p->pid == 1;
		nd->zombie = p->state == 'Z' && p->threads <= 1;
		nd->leader_exited = p->state == 'Z' && p->threads > 1;
		nd->reparented = TRI_UNKNOWN;
		nd->subreaper = TRI_UNKNOWN;
		nd->zombie_group = -1;
	}
}

/* A snapshot read over time can, through pid reuse, show a ppid loop: cut
 * each loop at the node where it closes, so every walk up ends. */
static void cut_loops(struct tree *t)
{
	unsigned char *state = xcalloc(t->n + 1, 1);   /* 0 new, 1 on the walk, 2 done */
	size_t i;
	int k, loop;

	for (i = 0; i < t->n; i++) {
		for (k = (int)i; k >= 0 && state[k] == 0; k = t->nodes[k].parent)
			state[k] = 1;
		loop = k >= 0 && state[k] == 1 ? k : -1;
		/* mark the whole walk done before cutting, or part of it stays "on the walk" */
		for (k = (int)i; k >= 0 && state[k] == 1; k = t->nodes[k].parent)
			state[k] = 2;
		if (loop >= 0)
			t->nodes[loop].parent = -1;
	}
	free(state);
}

static void link_parents(struct tree *t)
{
	size_t i;
	int j;

	for (i = 0; i < t->n; i++) {
		const struct process *p = t->nodes[i].proc;
		if (!t->nodes[i].present || p->ppid <= 0 || p->ppid == p->pid)
			continue;
		j = tree_find(t, p->ppid);
		if (j >= 0 && t->nodes[j].present)
			t->nodes[i].parent = j;
	}
	cut_loops(t);
	/* children in pid order: the nodes are visited in pid order */
	for (i = 0; i < t->n; i++)
		if (t->nodes[i].parent >= 0)
			t->nodes[t->nodes[i].parent].nchildren++;
	for (i = 0; i < t->n; i++) {
		t->nodes[i].children = xcalloc(t->nodes[i].nchildren + 1, sizeof(int));
		t->nodes[i].nchildren = 0;
	}
	for (i = 0; i < t->n; i++) {
		struct tree_node *pn;
		if (t->nodes[i].parent < 0)
			continue;
		pn = &t->nodes[t->nodes[i].parent];
		pn->children[pn->nchildren++] = (int)i;
	}
}

/* ---- re-parenting and subreapers ---- */

/* The init of the pid namespace this /proc belongs to. */
static bool reader_init(const struct process *p)
{
	return p->pid == 1 && p->nspid_count <= 1;
}

/* REPARENT_* bits that prove c was not born of its parent p (tree.h). */
static unsigned reparent_evidence(const struct process *c, const struct process *p)
{
	unsigned ev = 0;

	if (c->start_time < p->start_time)
		ev |= REPARENT_START;
	if (c->sid != c->pid) {
		if (p->sid != p->pid && c->sid != p->sid)
			ev |= REPARENT_SESSION;
		else if (reader_init(p) && p->sid == p->pid && c->sid != 0 && c->sid != p->pid)
			ev |= REPARENT_SESSION;
	}
	return ev;
}

static void find_adoptions(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		struct tree_node *c = &t->nodes[i], *p;
		if (c->parent < 0 || c->proc->is_kthread)
			continue;
		p = &t->nodes[c->parent];
		c->evidence = reparent_evidence(c->proc, p->proc);
		if (!c->evidence)
			continue;
		c->reparented = TRI_TRUE;
		c->adopter = p->pidns_init ? ADOPTER_PIDNS_INIT : ADOPTER_SUBREAPER;
		if (!p->pidns_init)
			p->subreaper = TRI_TRUE;
	}
}

static int cmp_flag_pid(const void *key, const void *elem)
{
	int pid = *(const int *)key;
	const struct subreaper_flag *f = elem;
	return (pid > f->pid) - (pid < f->pid);
}

/* The kernel's flags where they match a process by pid and start time; a
 * process they miss (gone by the read) keeps its evidence. */
static void apply_exact(struct tree *t, const struct subreaper_table *exact)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		struct tree_node *nd = &t->nodes[i];
		const struct subreaper_flag *f = exact->n ? bsearch(&nd->proc->pid, exact->flags, exact->n,
								     sizeof(*exact->flags), cmp_flag_pid) : NULL;
		if (!nd->present)
			continue;
		if (!f || f->start_time != nd->proc->start_time) {
			t->inexact++;
			continue;
		}
		nd->exact = true;
		nd->subreaper = f->is_child_subreaper ? TRI_TRUE : TRI_FALSE;
		nd->subreaper_above = f->has_child_subreaper;
	}
}

/* ---- zombies ---- */

static unsigned zombie_reasons(const struct tree_node *parent)
{
	const struct process *p = parent->proc;
	unsigned r = 0;

	if (p->state == 'T')
		r |= 1u << ZR_PARENT_STOPPED;
	if (p->state == 't')
		r |= 1u << ZR_PARENT_TRACED;
	if (p->state == 'D')
		r |= 1u << ZR_PARENT_DSLEEP;
	if (!p->sigcatch[0] && !p->sigignore[0] && !p->sigblocked[0])
		return r | 1u << ZR_UNKNOWN;
	if (sigmask_has(p->sigblocked, SIGCHLD))
		r |= 1u << ZR_SIGCHLD_BLOCKED;
	if (sigmask_has(p->sigignore, SIGCHLD))
		r |= 1u << ZR_SIGCHLD_IGNORED;
	if (parent->pidns_init)
		r |= 1u << ZR_PIDNS_INIT;
	if (sigmask_has(p->sigcatch, SIGCHLD))
		r |= 1u << ZR_SIGCHLD_CAUGHT;
	else if (!sigmask_has(p->sigignore, SIGCHLD))
		r |= 1u << ZR_SIGCHLD_DEFAULT;
	return r;
}

/* Who gets the orphans when node k ends: the nearest proven subreaper
 * above it, else the nearest pid-ns init above it.  An init's own end takes
 * its whole namespace with it: nobody inherits.  With exact flags, as the
 * kernel does: no subreaper is looked for when k's has_child_subreaper is
 * clear. */
static int find_heir(const struct tree *t, int k)
{
	bool look = !t->nodes[k].exact || t->nodes[k].subreaper_above;
	int a, init = -1;

	if (t->nodes[k].pidns_init)
		return -1;
	for (a = t->nodes[k].parent; a >= 0; a = t->nodes[a].parent) {
		if (look && t->nodes[a].subreaper == TRI_TRUE)
			return a;
		if (t->nodes[a].pidns_init) {
			init = a;
			break;
		}
	}
	return init;
}

static void group_zombies(struct tree *t)
{
	size_t i, j, cap = 0;

	for (i = 0; i < t->n; i++) {
		struct tree_node *p = &t->nodes[i];
		struct zombie_group *g;
		size_t nz = 0;
		for (j = 0; j < p->nchildren; j++)
			nz += t->nodes[p->children[j]].zombie;
		if (!nz)
			continue;
		grow_array((void **)&t->groups, &cap, t->ngroups + 1, sizeof(*t->groups));
		g = &t->groups[t->ngroups];
		memset(g, 0, sizeof(*g));
		g->parent = (int)i;
		g->children = xcalloc(nz, sizeof(int));
		for (j = 0; j < p->nchildren; j++)
			if (t->nodes[p->children[j]].zombie)
				g->children[g->nchildren++] = p->children[j];
		g->reasons = zombie_reasons(p);
		for (g->reason = 0; g->reason < ZR_COUNT; g->reason++)
			if (g->reasons & (1u << g->reason))
				break;
		g->heir = find_heir(t, (int)i);
		p->zombie_group = (int)t->ngroups++;
	}
}

struct tree *tree_build_exact(const struct process *procs, size_t n, double uptime, long hz,
			      const struct subreaper_table *exact, int err)
{
	struct tree *t = xcalloc(1, sizeof(*t));

	t->n = n;
	t->nodes = xcalloc(n + 1, sizeof(*t->nodes));
	t->uptime = uptime;
	t->hz = hz;
	t->exact = exact != NULL;
	t->exact_err = exact ? 0 : err;
	init_nodes(t, procs);
	link_parents(t);
	find_adoptions(t);
	if (exact)
		apply_exact(t, exact);
	group_zombies(t);
	return t;
}

struct tree *tree_build(const struct process *procs, size_t n, double uptime, long hz)
{
	return tree_build_exact(procs, n, uptime, hz, NULL, ENODATA);
}

void tree_free(struct tree *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		free(t->nodes[i].children);
	for (i = 0; i < t->ngroups; i++)
		free(t->groups[i].children);
	free(t->nodes);
	free(t->groups);
	free(t);
}

/* ---- views ---- */

static void mark_subtree(const struct tree *t, int root, bool *view, int *stack)
{
	size_t top = 0, j;

	stack[top++] = root;
	while (top) {
		int k = stack[--top];
		view[k] = true;
		for (j = 0; j < t->nodes[k].nchildren; j++)
			stack[top++] = t->nodes[k].children[j];
	}
}

bool *tree_view(const struct tree *t, bool sel, bool kthreads)
{
	bool *view = xcalloc(t->n + 1, sizeof(bool));
	int *stack = xcalloc(t->n + 1, sizeof(int));
	size_t i;
	int a;

	for (i = 0; i < t->n; i++) {
		const struct tree_node *nd = &t->nodes[i];
		if (!nd->present)
			continue;
		if (!sel) {
			view[i] = true;
		} else if (nd->proc->selected) {
			for (a = nd->parent; a >= 0; a = t->nodes[a].parent)
				view[a] = true;
			mark_subtree(t, (int)i, view, stack);
		}
	}
	for (i = 0; i < t->n; i++)
		if (view[i] && t->nodes[i].proc->is_kthread && !kthreads && !t->nodes[i].proc->selected)
			view[i] = false;
	free(stack);
	return view;
}

/* ---- words ---- */

static const struct {
	const char *code, *brief, *text, *hint;
} reason_words[ZR_COUNT] = {
	[ZR_PARENT_STOPPED] = { "parent-stopped", "the parent is stopped (T)",
		"the parent is stopped (state T, by SIGSTOP or SIGTSTP): it cannot reap until it continues",
		"continue it: kill -CONT %d" },
	[ZR_PARENT_TRACED] = { "parent-traced", "the parent is stopped by a tracer (t)",
		"the parent is stopped by a debugger or tracer (state t): it cannot reap until the tracer lets it run",
		"let the tracer continue it, or detach the tracer (its pid is TracerPid in /proc/%d/status)" },
	[ZR_PARENT_DSLEEP] = { "parent-uninterruptible", "the parent is in uninterruptible sleep (D)",
		"the parent is in uninterruptible sleep (state D: waiting in the kernel, for I/O or a vfork child): it cannot reap until that wait ends",
		"find what it waits for: /proc/%d/wchan and /proc/%d/stack; it reaps only once the wait ends" },
	[ZR_SIGCHLD_BLOCKED] = { "sigchld-blocked", "SIGCHLD is blocked",
		"SIGCHLD is blocked in the parent: a SIGCHLD handler cannot run, so nothing reaps them",
		"unblock SIGCHLD, or reap from the main loop (or a signalfd): while (waitpid(-1, &status, WNOHANG) > 0)" },
	[ZR_SIGCHLD_IGNORED] = { "sigchld-ignored", "SIGCHLD ignored, yet zombies (they died before SIG_IGN)",
		"SIGCHLD is ignored, so the kernel reaps children as they exit and no zombie should exist: these exited before the parent set SIG_IGN, which does not reap zombies already there",
		"collect them once: while (waitpid(-1, NULL, WNOHANG) > 0); set SIG_IGN before forking" },
	[ZR_PIDNS_INIT] = { "pidns-init", "the parent is a pid-namespace init that does not reap",
		"the parent is the init (PID 1) of a pid namespace and does not reap: a container without an init, where every orphan of the namespace ends up",
		"run a real init as PID 1, such as tini (docker run --init), or reap in PID 1: while (waitpid(-1, &status, WNOHANG) > 0)" },
	[ZR_SIGCHLD_CAUGHT] = { "sigchld-caught", "SIGCHLD caught by a handler that does not reap them",
		"SIGCHLD has a handler, but it does not reap these children: SIGCHLD signals coalesce, so a handler that calls waitpid once (or waits for one pid) leaves the others",
		"reap in a loop in the handler: while (waitpid(-1, &status, WNOHANG) > 0)" },
	[ZR_SIGCHLD_DEFAULT] = { "sigchld-default", "SIGCHLD default, the parent never waits",
		"SIGCHLD has its default disposition and the parent does not wait for its children",
		"reap them: waitpid(-1, &status, WNOHANG) in a loop, or wait for each child" },
	[ZR_UNKNOWN] = { "unknown", "the parent's signal state is unknown",
		"the parent's signal masks could not be read",
		"look at SigIgn, SigCgt and SigBlk in /proc/%d/status" },
};

const char *zombie_reason_code(enum zombie_reason r)
{
	return r < ZR_COUNT ? reason_words[r].code : "unknown";
}

const char *zombie_reason_text(enum zombie_reason r)
{
	return r < ZR_COUNT ? reason_words[r].text : "";
}

const char *zombie_reason_brief(enum zombie_reason r)
{
	return r < ZR_COUNT ? reason_words[r].brief : "";
}

/* Whether the kernel's flags decide heir h of node k: k's and those of
 * every process between them are exact (none of them hides a subreaper). */
static bool heir_exact(const struct tree *t, int k, int h)
{
	int a;

	if (!t->nodes[k].exact)
		return false;
	if (!t->nodes[k].subreaper_above)
		return true;
	for (a = t->nodes[k].parent; a >= 0 && a != h; a = t->nodes[a].parent)
		if (!t->nodes[a].exact)
			return false;
	return a == h && (t->nodes[h].exact || t->nodes[h].pidns_init);
}

/* The hints name the parent's pid with "%d", at most twice. */
void zombie_hint(const struct tree *t, const struct zombie_group *g, struct strbuf *out)
{
	int pid = t->nodes[g->parent].proc->pid;
	const struct tree_node *heir = g->heir >= 0 ? &t->nodes[g->heir] : NULL;

	sb_printf(out, reason_words[g->reason].hint, pid, pid);
	if (t->nodes[g->parent].pidns_init)
		sb_printf(out, "; ending %d ends its pid namespace, and the kernel reaps them all", pid);
	else if (heir && heir_exact(t, g->parent, g->heir) && !heir->pidns_init)
		sb_printf(out, "; ending %d hands them to the subreaper %d, which must reap them",
			  pid, heir->proc->pid);
	else if (heir && heir_exact(t, g->parent, g->heir))
		sb_printf(out, "; ending %d hands them to %d, the init of its pid namespace, which must reap them",
			  pid, heir->proc->pid);
	else if (heir && heir->subreaper == TRI_TRUE)
		sb_printf(out, "; ending %d hands them to the subreaper %d (or to a nearer subreaper /proc does not show), which must reap them",
			  pid, heir->proc->pid);
	else if (heir)
		sb_printf(out, "; ending %d hands them to %d, the init of its pid namespace (or to a subreaper between them that /proc does not show), which must reap them",
			  pid, heir->proc->pid);
	else
		sb_printf(out, "; ending %d hands them to the nearest subreaper above it or to the init of its pid namespace", pid);
}

const char *reparent_evidence_name(unsigned bit)
{
	switch (bit) {
	case REPARENT_SESSION: return "session";
	case REPARENT_START: return "start_time";
	}
	return "";
}
