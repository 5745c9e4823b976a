/* ofd.c - grouping fds by open file description.
 *
 * Two fds share an open file description (one offset, one set of status
 * flags, one OFD lock) after dup(), fork() or SCM_RIGHTS; two open() calls of
 * one file give two descriptions.  Nothing in /proc says which: only
 * kcmp(KCMP_FILE) compares the kernel's struct file pointers, and it answers
 * with an order (less/equal/greater) that is consistent for the whole boot.
 *
 * So, as CRIU does when it checkpoints (criu/kcmp-ids.c), we group in two steps:
 *
 *  1. A cheap key the caller derives from fdinfo: fds with different keys
 *     cannot be one description.  Sorting by key makes buckets.
 *  2. Inside a bucket, kcmp's order keeps a sorted array of representatives
 *     (one fd per description found so far); each fd is placed by binary
 *     search: equal to a representative means the same description, else
 *     it becomes a new one.  O(n log k) calls for k descriptions in the
 *     bucket, never all pairs.
 *  3. Before that search, the fd is compared with the representative whose
 *     hint (the caller's: pos and status flags) equals its own: fds of one
 *     description read close together mostly show the same, so an fd of a
 *     file every process inherited, or a dup, costs one call.  The hint only
 *     chooses whom to ask first; kcmp's answer decides, and a "different"
 *     still narrows the search, so an offset that moved between our reads
 *     costs a call, never a wrong split or merge.  Separate open()s of one
 *     file still cost about log2(k) calls each: telling k descriptions apart
 *     by comparisons takes log2(k!) of them, however they are chosen.
 *
 * What can go wrong, and what we do:
 *  - EPERM (no ptrace read access to that pid) or ENOSYS: the fd cannot be
 *    compared.  Such fds of a bucket are put in one group marked unverified:
 *    they may or may not share; we never claim they do.  Nothing is probed
 *    ahead: every answered comparison shows both pids may be compared (as
 *    root, all of them), and only when a comparison fails is the fd being
 *    placed probed (kcmp of it with itself); the first fd of a bucket,
 *    which stands for its description unasked, is probed unless its pid
 *    already answered.  What a probe finds is kept per pid, so a bucket of a
 *    thousand /dev/null fds of other users costs one call per pid, not a
 *    sort.  (A probe per pid ahead cost one call per process and thread.)
 *  - ESRCH/EBADF (process ended, fd closed): the fd being placed is dropped
 *    when the probe says it was the one; when a representative was, the
 *    bucket's items are probed one by one, the dead ones dropped, and the
 *    bucket grouped again (a few times at most, then it is left unverified).
 */
#include "model/ofd.h"
#include "base/parallel.h"
#include "base/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum access { ACCESS_UNKNOWN, ACCESS_OK, ACCESS_DENIED, ACCESS_GONE };

/* pid -> access, a small open-addressing hash for the whole run */
struct access_map {
	int *pids;
	unsigned char *state;
	int *err;
	size_t cap, count;
};

/* One thread's grouping state: buckets never share a description, so each
 * thread groups whole buckets with groups, access map and counts of its own. */
struct grouper {
	const struct ofd_ops *ops;
	unsigned long long calls;
	bool saw_eperm, saw_enosys;
	struct access_map access;
	struct ofd_group_info *groups;
	size_t ngroups, cap;
};

static size_t access_slot(const struct access_map *m, int pid)
{
	size_t i = ((unsigned)pid * 2654435761u) & (m->cap - 1);

	while (m->pids[i] && m->pids[i] != pid)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void access_set(struct access_map *m, int pid, enum access a, int err)
{
	size_t i;

	if ((m->count + 1) * 2 > m->cap) {
		struct access_map bigger = { 0 };
		bigger.cap = m->cap ? m->cap * 2 : 64;
		bigger.pids = xcalloc(bigger.cap, sizeof(int));
		bigger.state = xcalloc(bigger.cap, 1);
		bigger.err = xcalloc(bigger.cap, sizeof(int));
		for (i = 0; i < m->cap; i++)
			if (m->pids[i])
				access_set(&bigger, m->pids[i], m->state[i], m->err[i]);
		free(m->pids);
		free(m->state);
		free(m->err);
		*m = bigger;
	}
	i = access_slot(m, pid);
	if (!m->pids[i])
		m->count++;
	m->pids[i] = pid;
	m->state[i] = (unsigned char)a;
	m->err[i] = err;
}

static enum access access_get(const struct access_map *m, int pid, int *err)
{
	size_t i;

	if (!m->cap)
		return ACCESS_UNKNOWN;
	i = access_slot(m, pid);
	if (!m->pids[i])
		return ACCESS_UNKNOWN;
	*err = m->err[i];
	return m->state[i];
}

static int call_cmp(struct grouper *g, const struct ofd_item *a, const struct ofd_item *b, int *err)
{
	g->calls++;
	*err = 0;
	return g->ops->cmp(a, b, err, g->ops->ctx);
}

static bool is_denied_err(int err)
{
	return err == EPERM || err == EACCES || err == ENOSYS;
}

/* Probe one item: compare it with itself.  Returns its access state. */
static enum access probe(struct grouper *g, const struct ofd_item *it, int *err)
{
	int r = call_cmp(g, it, it, err);

	if (r == 0)
		return ACCESS_OK;
	if (r != OFD_CMP_ERROR)
		return ACCESS_OK;   /* a comparator that is not reflexive: trust it anyway */
	if (*err == EPERM || *err == EACCES)
		g->saw_eperm = true;
	if (*err == ENOSYS)
		g->saw_enosys = true;
	return is_denied_err(*err) ? ACCESS_DENIED : ACCESS_GONE;
}

/* Settle an fd a comparison failed on, or one about to stand for a
 * description unasked: probe it (one call).  Its pid's state is kept, so
 * later buckets sort that pid's fds out without a call; an EBADF (this
 * fd closed) marks only the fd.  Returns the fd's state. */
static enum access settle(struct grouper *g, const struct ofd_item *it)
{
	int err;
	enum access a = probe(g, it, &err);

	if (a == ACCESS_OK || a == ACCESS_DENIED || err == ESRCH)
		access_set(&g->access, it->pid, a, err);
	return a;
}

/* A comparison answered: both pids may be compared (no probe for them). */
static void note_ok(struct grouper *g, int pid)
{
	int err;

	if (access_get(&g->access, pid, &err) != ACCESS_OK)
		access_set(&g->access, pid, ACCESS_OK, 0);
}

static int key_cmp(const struct ofd_item *a, const struct ofd_item *b)
{
	int i;

	for (i = 0; i < OFD_KEY_WORDS; i++)
		if (a->key[i] != b->key[i])
			return a->key[i] < b->key[i] ? -1 : 1;
	return 0;
}

static int identity_cmp(const struct ofd_item *a, const struct ofd_item *b)
{
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return (a->fd > b->fd) - (a->fd < b->fd);
}

static int item_order(const void *x, const void *y)
{
	const struct ofd_item *a = x, *b = y;
	int c = key_cmp(a, b);

	return c ? c : identity_cmp(a, b);
}

static int new_group(struct grouper *g, bool verified, int err)
{
	grow_array((void **)&g->groups, &g->cap, g->ngroups + 1, sizeof(*g->groups));
	g->groups[g->ngroups].verified = verified;
	g->groups[g->ngroups].err = err;
	g->groups[g->ngroups].nmembers = 0;
	return (int)g->ngroups++;
}

static void join(struct grouper *g, struct ofd_item *it, int group)
{
	it->group = group;
	g->groups[group].nmembers++;
}

/* The representatives of the bucket being grouped: one fd per description
 * found so far, kept in kcmp order, and where to find them by hint. */
struct reps {
	struct ofd_item **v;
	size_t n;
	int first_group;     /* groups of this bucket are first_group, first_group+1 ... */
	size_t *index;       /* index[group - first_group]: that group's place in v */
	struct hint_slot { unsigned long long hint; int group; } *slots;
	size_t nslots;       /* a power of two, at least twice the bucket */
};

static struct hint_slot *hint_slot(const struct reps *r, unsigned long long hint)
{
	size_t i = (size_t)((hint * 0x9E3779B97F4A7C15ull) >> 32) & (r->nslots - 1);

	while (r->slots[i].group >= 0 && r->slots[i].hint != hint)
		i = (i + 1) & (r->nslots - 1);
	return &r->slots[i];
}

/* Remember group as the latest description seen with this hint. */
static void hint_note(struct reps *r, unsigned long long hint, int group)
{
	struct hint_slot *s = hint_slot(r, hint);

	s->hint = hint;
	s->group = group;
}

/* Insert it as a new description at position at of the representatives. */
static void new_rep(struct grouper *g, struct reps *r, struct ofd_item *it, size_t at)
{
	size_t i;

	memmove(r->v + at + 1, r->v + at, (r->n - at) * sizeof(*r->v));
	r->v[at] = it;
	r->n++;
	join(g, it, new_group(g, true, 0));
	for (i = at; i < r->n; i++)
		r->index[r->v[i]->group - r->first_group] = i;
}

/* Place it: first against the representative with its hint (one call when
 * the hint is right, and its answer still halves the search when it is
 * not), then by binary search over the kcmp order: join the group of an
 * equal one, or become a new description.  Returns false on a comparator
 * error (someone went away: the caller prunes and retries). */
static bool place(struct grouper *g, struct ofd_item *it, struct reps *r)
{
	const struct hint_slot *s = hint_slot(r, it->hint);
	size_t lo = 0, hi = r->n;
	size_t mid = s->group >= 0 ? r->index[s->group - r->first_group] : hi / 2;
	int c, err;

	while (lo < hi) {
		c = call_cmp(g, it, r->v[mid], &err);
		if (c == OFD_CMP_ERROR)
			return false;
		note_ok(g, it->pid);
		note_ok(g, r->v[mid]->pid);
		if (c == 0) {
			join(g, it, r->v[mid]->group);
			hint_note(r, it->hint, it->group);
			return true;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
		mid = lo + (hi - lo) / 2;
	}
	new_rep(g, r, it, lo);
	hint_note(r, it->hint, it->group);
	return true;
}

/* Group the items v[0..n) whose pids were not known to refuse: one call
 * for an item whose hint finds its description, O(log k) otherwise, k
 * being the number of distinct descriptions in the bucket; never all
 * pairs.  No probe ahead: an item a comparison fails on is probed then,
 * and left ungrouped (group -1) when it is the one that cannot be
 * compared; the first one, which stands for its description unasked, is
 * probed unless its pid already answered.  Returns false when a
 * representative failed (its process ended, its fd closed): the groups
 * made are then undone. */
static bool group_comparable(struct grouper *g, struct ofd_item **v, size_t n)
{
	struct reps r = { .first_group = (int)g->ngroups, .nslots = 4 };
	size_t i;
	bool ok = true;
	int err;

	while (r.nslots < 2 * n)
		r.nslots *= 2;
	r.v = xcalloc(n, sizeof(*r.v));
	r.index = xcalloc(n, sizeof(*r.index));
	r.slots = xmalloc(r.nslots * sizeof(*r.slots));
	for (i = 0; i < r.nslots; i++)
		r.slots[i].group = -1;
	for (i = 0; i < n && ok; i++) {
		v[i]->group = -1;
		if (r.n == 0) {
			if (access_get(&g->access, v[i]->pid, &err) != ACCESS_OK &&
			    settle(g, v[i]) != ACCESS_OK)
				continue;
			new_rep(g, &r, v[i], 0);
			hint_note(&r, v[i]->hint, v[i]->group);
		} else if (!place(g, v[i], &r)) {
			/* it, or the representative asked: it when a probe says so */
			ok = settle(g, v[i]) != ACCESS_OK;
		}
	}
	free(r.v);
	free(r.index);
	free(r.slots);
	if (!ok) {
		g->ngroups = (size_t)r.first_group;
		for (i = 0; i < n; i++)
			v[i]->group = -1;
	}
	return ok;
}

/* The bucket's one unverified group for the fds of pids that refuse
 * comparison (*denied, made at the first). */
static void join_denied(struct grouper *g, struct ofd_item *it, int *denied, int err)
{
	if (*denied < 0)
		*denied = new_group(g, false, err == EACCES ? EPERM : err);
	join(g, it, *denied);
}

/* After grouping: the items left out whose pid refuses join the denied
 * group; the others (ended, fd closed) stay dropped. */
static void place_left_out(struct grouper *g, struct ofd_item **v, size_t n, int *denied)
{
	size_t i;
	int err;

	for (i = 0; i < n; i++)
		if (v[i]->group < 0 && access_get(&g->access, v[i]->pid, &err) == ACCESS_DENIED)
			join_denied(g, v[i], denied, err);
}

/* Split a bucket into the items to compare (v, returned count) and the
 * rest, without a call: fds of pids known to refuse join the denied
 * group, of pids known to have ended are dropped. */
static size_t partition(struct grouper *g, struct ofd_item *b, size_t n, struct ofd_item **v,
			int *denied)
{
	size_t i, nv = 0;
	int err;

	for (i = 0; i < n; i++) {
		switch (access_get(&g->access, b[i].pid, &err)) {
		case ACCESS_DENIED:
			join_denied(g, &b[i], denied, err);
			break;
		case ACCESS_GONE:
			b[i].group = -1;
			break;
		default:
			v[nv++] = &b[i];
		}
	}
	return nv;
}

/* Re-probe every item after a failed sort: keep the ones still there,
 * the refused ones join the denied group, the rest is dropped. */
static size_t prune_gone(struct grouper *g, struct ofd_item **v, size_t n, int *denied)
{
	size_t i, kept = 0;
	int err;

	for (i = 0; i < n; i++) {
		v[i]->group = -1;
		switch (settle(g, v[i])) {
		case ACCESS_OK:
			v[kept++] = v[i];
			break;
		case ACCESS_DENIED:
			access_get(&g->access, v[i]->pid, &err);
			join_denied(g, v[i], denied, err);
			break;
		default:
			break;
		}
	}
	return kept;
}

static void group_bucket(struct grouper *g, struct ofd_item *b, size_t n)
{
	struct ofd_item **v;
	size_t i, nv;
	int attempt, group, denied = -1;

	if (n == 1) {
		join(g, &b[0], new_group(g, true, 0));
		return;
	}
	if (!g->ops->enabled) {
		group = new_group(g, false, -1);
		for (i = 0; i < n; i++)
			join(g, &b[i], group);
		return;
	}
	v = xcalloc(n, sizeof(*v));
	nv = partition(g, b, n, v, &denied);
	for (attempt = 0; nv > 0; attempt++) {
		if (group_comparable(g, v, nv)) {
			place_left_out(g, v, nv, &denied);
			break;
		}
		if (attempt == 2) {
			/* the bucket keeps changing under us: say so rather than guess */
			group = new_group(g, false, ESRCH);
			for (i = 0; i < nv; i++)
				join(g, v[i], group);
			break;
		}
		nv = prune_gone(g, v, nv, &denied);
	}
	free(v);
}

struct run {
	struct ofd_item *items;
	size_t *start;             /* bucket b is items[start[b] .. start[b + 1]) */
	unsigned *worker;          /* which thread grouped bucket b */
	struct grouper *g;         /* one per thread */
};

static void group_one_bucket(size_t b, unsigned worker, void *arg)
{
	struct run *r = arg;

	r->worker[b] = worker;
	group_bucket(&r->g[worker], r->items + r->start[b], r->start[b + 1] - r->start[b]);
}

void ofd_group_items(struct ofd_item *items, size_t n, struct ofd_ops *ops,
		     struct ofd_group_info **groups, size_t *ngroups)
{
	unsigned nthreads = ops->threads ? ops->threads : 1, t;
	struct run r = { .items = items };
	size_t nbuckets = 0, cap = 0, b, i, total = 0, *offset;

	if (n)   /* items is NULL when no fd was read at all */
		qsort(items, n, sizeof(*items), item_order);
	for (i = 0; i < n; i++)
		if (i == 0 || key_cmp(&items[i - 1], &items[i]) != 0) {
			grow_array((void **)&r.start, &cap, nbuckets + 2, sizeof(*r.start));
			r.start[nbuckets++] = i;
		}
	grow_array((void **)&r.start, &cap, nbuckets + 1, sizeof(*r.start));
	r.start[nbuckets] = n;
	r.worker = xcalloc(nbuckets + 1, sizeof(*r.worker));
	r.g = xcalloc(nthreads, sizeof(*r.g));
	for (t = 0; t < nthreads; t++)
		r.g[t].ops = ops;
	parallel_for(nbuckets, nthreads, group_one_bucket, &r);

	/* one array of groups, thread after thread; items renumbered to it */
	offset = xcalloc(nthreads, sizeof(*offset));
	for (t = 0; t < nthreads; t++) {
		offset[t] = total;
		total += r.g[t].ngroups;
	}
	*groups = xcalloc(total + 1, sizeof(**groups));
	for (t = 0; t < nthreads; t++) {
		if (r.g[t].ngroups)
			memcpy(*groups + offset[t], r.g[t].groups, r.g[t].ngroups * sizeof(**groups));
		ops->calls += r.g[t].calls;
		ops->saw_eperm |= r.g[t].saw_eperm;
		ops->saw_enosys |= r.g[t].saw_enosys;
		free(r.g[t].groups);
		free(r.g[t].access.pids);
		free(r.g[t].access.state);
		free(r.g[t].access.err);
	}
	for (b = 0; b < nbuckets; b++)
		for (i = r.start[b]; i < r.start[b + 1]; i++)
			if (items[i].group >= 0)
				items[i].group += (int)offset[r.worker[b]];
	*ngroups = total;
	free(offset);
	free(r.start);
	free(r.worker);
	free(r.g);
}
