/* findings_exec.c - exec-leak: an fd that crossed an exec by accident.
 *
 * The holders of one description (kcmp proved it shared) form chains: each
 * holder's link goes to its nearest living ancestor that holds the
 * description through the same fd number (where it came from by fork).  A
 * holder without such an ancestor starts a chain (the opener, one that was
 * handed it on another number, or one whose giver has ended).
 *
 * A link from a to h is a leak when h holds it as fd > 2, neither copy is
 * close-on-exec, h runs another program than a (both known), and a is not
 * a shell.  One finding per chain with a leak.
 *
 * The source (where to set O_CLOEXEC) is named only when proven: the
 * chain's top is alive and its own parent is alive and either handed it
 * over (holds it on another number) or holds nothing of it, with no other
 * chain of this description in that case (two chains whose tops got it
 * from nobody alive share an origin that has ended: a job shell).
 * Otherwise the finding says it came from a process that has ended and
 * names who passed it on.
 *
 * Left alone: fds 0-2 (inherited on purpose); a forked child of the same
 * program (prefork servers); a description the parent keeps close-on-exec
 * or hands over on another number (socket activation, "cmd 3<&5"); every
 * chain whose top is a shell (bash, dash, sh, zsh, ksh, busybox sh hand
 * fds to their commands on purpose: "exec 9>lock; flock 9; cmd", and what
 * cmd runs inherits it as meant), and every chain whose top is flock(1),
 * which runs its command with the lock's fd ("flock -n job.lock cmd",
 * unless -o); a link from a shell or flock(1). */
#include "findings/findings_rules.h"
#include "scan/fd.h"
#include "model/tree.h"

#include <stdlib.h>
#include <string.h>

#define NO_PROC ((size_t)-1)

/* What every description's walk shares: each process's parent (an index
 * in m->procs, NO_PROC when it has none or is not listed), and which
 * processes hold the description being checked (stamped with its number),
 * so that a walk up the ancestry skips the others without a lookup. */
struct ancestry {
	size_t *parent;
	size_t *stamp;
	size_t current;
};

static void ancestry_init(const struct model *m, struct ancestry *a)
{
	const struct process *p;
	size_t i;

	a->parent = xcalloc(m->nprocs + 1, sizeof(*a->parent));
	a->stamp = xcalloc(m->nprocs + 1, sizeof(*a->stamp));
	a->current = 0;
	for (i = 0; i < m->nprocs; i++) {
		p = m->procs[i].ppid > 0 ? model_process(m, m->procs[i].ppid) : NULL;
		a->parent[i] = p ? (size_t)(p - m->procs) : NO_PROC;
	}
}

/* The nearest living ancestor's fd that holds f's description through f's
 * own number: where f came from by fork.  NULL when no ancestor has it.
 * The holders of f's description are stamped a->current. */
static const struct fd_entry *inherited_from(const struct model *m, const struct ancestry *an,
					     const struct fd_entry *f)
{
	size_t i = (size_t)(f->proc - m->procs);
	const struct process *p;
	const struct fd_entry *a;
	int depth;

	for (depth = 0; depth < ANCESTRY_MAX && an->parent[i] != NO_PROC; depth++) {
		i = an->parent[i];
		p = &m->procs[i];
		if (p->gone || an->stamp[i] != an->current)
			continue;   /* ended, or holds none of the description */
		a = fd_numbered(p, f->fd);
		if (a && a->ofd == f->ofd)
			return a;
	}
	return NULL;
}

/* Whether the link from a to h crossed an exec by accident. */
static bool leaked(const struct fd_entry *a, const struct fd_entry *h)
{
	return h->fd > 2 && h->have_facts && !h->cloexec && h->proc->exe &&
		a->have_facts && !a->cloexec && a->proc->exe &&
		!same_program(a->proc, h->proc) && !hands_fds_on_purpose(a->proc);
}

#define NO_LINK ((size_t)-1)

struct link {
	size_t from;   /* index in the holders of where it came from by fork, or NO_LINK */
	size_t top;    /* index of the chain's top holder */
};

/* Index of fd f among g's holders (sorted by pid, then fd), or NO_LINK. */
static size_t holder_index(const struct ofd_group *g, const struct fd_entry *f)
{
	size_t lo = 0, hi = g->nholders, mid;
	struct fd_ref key = { f->proc->pid, f->fd }, at;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		at.pid = g->holders[mid]->proc->pid;
		at.fd = g->holders[mid]->fd;
		c = cmp_fd_ref(&key, &at);
		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NO_LINK;
}

struct leak { size_t top, to; };

static int cmp_leak(const void *x, const void *y)
{
	const struct leak *a = x, *b = y;

	if (a->top != b->top)
		return a->top < b->top ? -1 : 1;
	return (a->to > b->to) - (a->to < b->to);
}

/* Where the top t of a chain got its description. */
enum giver {
	GIVER_HANDED,     /* its living parent holds it on another number: handed over */
	GIVER_NOT_HELD,   /* its living parent holds none of it: t opened it (or the
	                     parent closed its copy after fork) */
	GIVER_ENDED,      /* its parent is gone, or t is proven adopted */
};

static enum giver giver_of(const struct model *m, const struct fd_entry *t)
{
	const struct process *parent = model_process(m, t->proc->ppid);
	const struct tree_node *n = m->tree ? tree_node_of(m->tree, t->proc) : NULL;

	if (!parent || parent->gone || (n && n->reparented == TRI_TRUE))
		return GIVER_ENDED;
	return holds_ofd(parent, t->ofd) ? GIVER_HANDED : GIVER_NOT_HELD;
}

/* "a (x), b (y) and 2 more" for the processes of fds v[i].to, i < n. */
static void say_recipients(struct strbuf *sb, const struct fd_entry *const *to, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < NAMES_LISTED; i++) {
		if (i)
			sb_adds(sb, i + 1 == n ? " and " : ", ");
		say_proc(sb, to[i]->proc);
	}
	if (n > NAMES_LISTED)
		sb_printf(sb, " and %zu more", n - NAMES_LISTED);
}

/* One finding: the chain topped by top, whose leaks go from[i] -> to[i]. */
static void report_chain(struct findings *out, const struct rule *r, const struct fd_entry *top,
			 bool proven, const struct fd_entry *const *from,
			 const struct fd_entry *const *to, size_t n)
{
	struct finding *f = finding_new(out, r, r->severity);
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	sb_printf(&sb, "fd %d (", top->fd);
	say_target(&sb, top);
	if (proven) {
		sb_adds(&sb, ") of ");
		say_proc(&sb, top->proc);
		sb_adds(&sb, " has no close-on-exec and leaked across exec into ");
	} else {
		sb_adds(&sb, ") came from a process that has ended (");
		say_proc(&sb, top->proc);
		sb_adds(&sb, " got it from no living process); without close-on-exec, ");
		if (from[0]->proc == top->proc) {
			sb_adds(&sb, "it passed it across exec into ");
		} else {
			say_proc(&sb, from[0]->proc);
			sb_adds(&sb, " passed it across exec into ");
		}
	}
	say_recipients(&sb, to, n);
	sb_adds(&sb, n == 1 ? ", which runs another program and still holds it"
		    : ", which run other programs and still hold it");
	finding_message(f, &sb);
	if (proven) {
		sb_adds(&sb, "open it with O_CLOEXEC (or set FD_CLOEXEC) in ");
		say_proc(&sb, top->proc);
		sb_adds(&sb, " (or where its parent opens it, if it came from there), or close it in "
			"the child between fork and exec; to hand an fd to a program on purpose, "
			"dup2() it onto the number that program expects");
	} else {
		sb_adds(&sb, "the process that opened it has ended, so it cannot be fixed here: "
			"restarting ");
		say_proc(&sb, top->proc);
		sb_adds(&sb, " and what it started releases it; to keep it from coming back, find "
			"what starts ");
		say_proc(&sb, top->proc);
		sb_adds(&sb, " with this file open and make that program open it with O_CLOEXEC");
	}
	finding_hint(f, &sb);
	finding_fd(f, top);
	for (i = 0; i < n; i++) {
		finding_fd(f, from[i]);
		finding_fd(f, to[i]);
	}
	finding_num(f, "ofd", top->ofd);
	finding_bytes(f, "target", top->target, top->target_len);
	if (proven) {
		finding_num(f, "source_pid", top->proc->pid);
		finding_bytes(f, "source_exe", top->proc->exe, top->proc->exe_len);
	} else {
		finding_bytes(f, "source_pid", NULL, 0);
		finding_bytes(f, "source_exe", NULL, 0);
	}
	finding_str(f, "origin", proven ? "proven" : "ended");
	finding_num(f, "passed_by", from[0]->proc->pid);
	finding_bytes(f, "holder_exe", to[0]->proc->exe, to[0]->proc->exe_len);
	finding_num(f, "leaked_into", (long long)n);
	finding_done(f);
}

/* The chains of one proven-shared description g: links[], leaks[], from[]
 * and to[] are scratch space for g->nholders entries each. */
static void check_description(const struct model *m, struct ancestry *an, const struct rule *r,
			      const struct ofd_group *g, struct link *links, struct leak *leaks,
			      const struct fd_entry **from, const struct fd_entry **to,
			      struct findings *out)
{
	size_t i, j, k, n, nleaks = 0, tops_from_nobody = 0;
	const struct fd_entry *a, *top;
	enum giver giver;
	int depth;

	/* cheap first: most shared descriptions (stdio, close-on-exec ones)
	 * have no holder a leak could have reached */
	for (i = 0; i < g->nholders; i++) {
		const struct fd_entry *h = g->holders[i];
		if (h->fd > 2 && h->have_facts && !h->cloexec && h->proc->exe)
			break;
	}
	if (i == g->nholders)
		return;
	an->current++;
	for (i = 0; i < g->nholders; i++)
		an->stamp[g->holders[i]->proc - m->procs] = an->current;
	for (i = 0; i < g->nholders; i++) {
		a = inherited_from(m, an, g->holders[i]);
		links[i].from = a ? holder_index(g, a) : NO_LINK;
	}
	/* a link goes to a living ancestor: the chains have no cycle */
	for (i = 0; i < g->nholders; i++) {
		for (k = i, depth = 0; links[k].from != NO_LINK && depth < ANCESTRY_MAX; depth++)
			k = links[k].from;
		links[i].top = k;
	}
	for (j = 0; j < g->nholders; j++)
		if (links[j].from != NO_LINK && leaked(g->holders[links[j].from], g->holders[j]) &&
		    !hands_fds_on_purpose(g->holders[links[j].top]->proc)) {
			leaks[nleaks].top = links[j].top;
			leaks[nleaks++].to = j;
		}
	if (!nleaks)
		return;
	if (nleaks > 1)
		qsort(leaks, nleaks, sizeof(*leaks), cmp_leak);
	for (i = 0; i < g->nholders; i++)
		if (links[i].from == NO_LINK && giver_of(m, g->holders[i]) != GIVER_HANDED)
			tops_from_nobody++;
	for (i = 0; i < nleaks; i = j) {
		for (n = 0, j = i; j < nleaks && leaks[j].top == leaks[i].top; j++, n++) {
			from[n] = g->holders[links[leaks[j].to].from];
			to[n] = g->holders[leaks[j].to];
		}
		/* Two tops that got it from nobody alive share an origin that has
		 * ended (neither can have opened the other's description). */
		top = g->holders[leaks[i].top];
		giver = giver_of(m, top);
		report_chain(out, r, top, giver == GIVER_HANDED ||
			     (giver == GIVER_NOT_HELD && tops_from_nobody == 1), from, to, n);
	}
}

void check_exec_leak(const struct model *m, const struct findings_config *c,
		     const struct rule *r, struct findings *out)
{
	struct link *links = NULL;
	struct leak *leaks = NULL;
	const struct fd_entry **from = NULL, **to = NULL;
	struct ancestry an;
	size_t i, cap = 0;

	(void)c;
	ancestry_init(m, &an);
	for (i = 0; i < m->nofds; i++) {
		const struct ofd_group *g = &m->ofds[i];
		if (!proven_shared(g))
			continue;
		if (g->nholders > cap) {
			cap = g->nholders;
			links = xreallocarray(links, cap, sizeof(*links));
			leaks = xreallocarray(leaks, cap, sizeof(*leaks));
			from = xreallocarray(from, cap, sizeof(*from));
			to = xreallocarray(to, cap, sizeof(*to));
		}
		check_description(m, &an, r, g, links, leaks, from, to, out);
	}
	free(an.parent);
	free(an.stamp);
	free(links);
	free(leaks);
	free(from);
	free(to);
}
