/* stats.c - counters over a finished model (see stats.h). */
#include "model/stats.h"
#include "findings/findings.h"
#include "model/tree.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

struct deleted_file { unsigned long long dev, ino, size; };

static int cmp_deleted(const void *x, const void *y)
{
	const struct deleted_file *a = x, *b = y;

	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	return (a->ino > b->ino) - (a->ino < b->ino);
}

/* Sizes of the deleted regular files held open, each file once however
 * many fds hold it (what df counts and du cannot see). */
static unsigned long long deleted_bytes(const struct model *m, bool selected_only)
{
	struct deleted_file *v = NULL;
	unsigned long long sum = 0;
	size_t i, j, n = 0, cap = 0;

	for (i = 0; i < m->nprocs; i++) {
		const struct process *p = &m->procs[i];
		if (p->gone || (selected_only && !p->selected))
			continue;
		for (j = 0; j < p->nfds; j++) {
			const struct fd_entry *f = &p->fds[j];
			if (!f->deleted || f->kind != KIND_REG || !f->have_stat)
				continue;
			grow_array((void **)&v, &cap, n + 1, sizeof(*v));
			v[n].dev = f->st_dev;
			v[n].ino = f->ino;
			v[n++].size = (unsigned long long)f->st_size;
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_deleted);
	for (i = 0; i < n; i++)
		if (i == 0 || cmp_deleted(&v[i - 1], &v[i]) != 0)
			sum += v[i].size;
	free(v);
	return sum;
}

static void count_processes(const struct model *m, bool selected_only, struct scan_stats *s)
{
	size_t i;
	double pct;

	s->fd_usage_max = -1;
	for (i = 0; i < m->nprocs; i++) {
		const struct process *p = &m->procs[i];
		if (p->gone || (selected_only && !p->selected))
			continue;
		s->processes++;
		s->fds += p->nfds;
		pct = fd_limit_percent(p);
		if (pct > s->fd_usage_max)
			s->fd_usage_max = pct;
	}
}

static bool ofd_counted(const struct ofd_group *g, bool selected_only)
{
	size_t i;

	for (i = 0; selected_only && i < g->nholders; i++)
		if (g->holders[i]->proc->selected)
			return true;
	return !selected_only;
}

static int cmp_comm(const void *x, const void *y)
{
	const struct zombie_count *a = x, *b = y;
	return strcmp(a->parent_comm, b->parent_comm);
}

static bool group_counted(const struct tree *t, const struct zombie_group *g, bool selected_only)
{
	size_t i;

	if (!selected_only || t->nodes[g->parent].proc->selected)
		return true;
	for (i = 0; i < g->nchildren; i++)
		if (t->nodes[g->children[i]].proc->selected)
			return true;
	return false;
}

/* Zombies by the command name of their parent, merged by name. */
static void count_zombies(const struct model *m, bool selected_only, struct scan_stats *s)
{
	const struct tree *t = m->tree;
	struct zombie_count *zp;
	size_t i, k, n = 0;

	if (!t || !t->ngroups)
		return;
	zp = s->zombie_parents = xcalloc(t->ngroups, sizeof(*zp));
	for (i = 0; i < t->ngroups; i++) {
		const struct zombie_group *g = &t->groups[i];
		if (!group_counted(t, g, selected_only))
			continue;
		s->zombies += g->nchildren;
		zp[n].parent_comm = t->nodes[g->parent].proc->comm;
		zp[n++].zombies = g->nchildren;
	}
	if (n)
		qsort(zp, n, sizeof(*zp), cmp_comm);
	for (i = 0, k = 0; i < n; i++) {
		if (k && strcmp(zp[k - 1].parent_comm, zp[i].parent_comm) == 0)
			zp[k - 1].zombies += zp[i].zombies;
		else
			zp[k++] = zp[i];
	}
	s->nzombie_parents = k;
}

static void selected_unread(const struct model *m, struct scan_stats *s)
{
	size_t i, j;

	s->unreadable = s->fd_errors = 0;
	for (i = 0; i < m->nprocs; i++) {
		const struct process *p = &m->procs[i];
		if (p->gone || !p->selected)
			continue;
		s->unreadable += p->err != 0;
		for (j = 0; j < p->nfds; j++)
			s->fd_errors += p->fds[j].err != 0;
	}
}

void stats_compute(const struct model *m, bool selected_only, struct scan_stats *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	count_processes(m, selected_only, s);
	for (i = 0; i < m->nofds; i++) {
		if (!ofd_counted(&m->ofds[i], selected_only))
			continue;
		s->ofds++;
		s->shared_ofds += m->ofds[i].nprocs > 1;
	}
	count_zombies(m, selected_only, s);
	s->deleted_bytes = deleted_bytes(m, selected_only);
	/* With a selection, what could not be read counts over the selected
	 * processes: an unreadable other one (PID 1 in a container) leaves only
	 * its sharing unknown, which fdshare says on stderr and in JSON. */
	s->unreadable = m->unreadable;
	s->fd_errors = m->fd_errors;
	if (selected_only)
		selected_unread(m, s);
	s->vanished = m->vanished;
	s->complete = selected_only ? model_selection_complete(m) : model_complete(m);
}

void stats_free(struct scan_stats *s)
{
	free(s->zombie_parents);
	memset(s, 0, sizeof(*s));
}
