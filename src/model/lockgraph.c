/* lockgraph.c - the dead set and its cycles (see lockgraph.h).  Graphs are
 * small (the processes waiting for locks at one moment), so the fixed point
 * is computed by plain repetition. */
#include "model/lockgraph.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static bool lock_dead(const struct lockgraph *g, const bool *dead, size_t lock)
{
	size_t i;

	if (!g->nholders[lock])
		return false;   /* holders unknown: never call that dead */
	for (i = 0; i < g->nholders[lock]; i++)
		if (g->holders[lock][i] >= g->nnodes || !dead[g->holders[lock][i]])
			return false;
	return true;
}

/* Whether thread t of node waits for some dead lock. */
static bool thread_dead(const struct lockgraph *g, const bool *dead, size_t node, int t)
{
	size_t i;

	for (i = 0; i < g->nwaits; i++)
		if (g->waits[i].node == node && g->waits[i].thread == t &&
		    g->waits[i].lock < g->nlocks && lock_dead(g, dead, g->waits[i].lock))
			return true;
	return false;
}

static bool node_dead(const struct lockgraph *g, const bool *dead, size_t node)
{
	size_t i;
	bool waits = false;

	for (i = 0; i < g->nwaits; i++) {
		if (g->waits[i].node != node)
			continue;
		waits = true;
		if (!thread_dead(g, dead, node, g->waits[i].thread))
			return false;
	}
	return waits;
}

void lockgraph_dead(const struct lockgraph *g, bool *dead)
{
	size_t i;
	bool changed = true;

	for (i = 0; i < g->nnodes; i++)
		dead[i] = g->stuck[i];
	while (changed) {
		changed = false;
		for (i = 0; i < g->nnodes; i++)
			if (dead[i] && !node_dead(g, dead, i)) {
				dead[i] = false;
				changed = true;
			}
	}
}

/* A dead holder of a dead lock node waits for: the next step of a walk. */
static size_t next_node(const struct lockgraph *g, const bool *dead, size_t node)
{
	size_t i, j;

	for (i = 0; i < g->nwaits; i++) {
		const struct lockgraph_wait *w = &g->waits[i];
		if (w->node != node || w->lock >= g->nlocks || !lock_dead(g, dead, w->lock))
			continue;
		for (j = 0; j < g->nholders[w->lock]; j++)
			if (g->holders[w->lock][j] < g->nnodes)
				return g->holders[w->lock][j];
	}
	return g->nnodes;
}

size_t lockgraph_cycle(const struct lockgraph *g, const bool *dead, size_t start,
		       size_t *out, size_t max)
{
	size_t *step = xcalloc(g->nnodes + 1, sizeof(*step));   /* 1 + position on the walk */
	size_t *walk = xcalloc(g->nnodes + 1, sizeof(*walk));
	size_t n = 0, node = start, first, len = 0, i;

	if (start >= g->nnodes || !dead[start]) {
		free(step);
		free(walk);
		return 0;
	}
	while (node < g->nnodes && !step[node]) {
		step[node] = ++n;
		walk[n - 1] = node;
		node = next_node(g, dead, node);
	}
	if (node < g->nnodes) {
		first = step[node] - 1;
		for (i = first; i < n && len < max; i++)
			out[len++] = walk[i];
	}
	free(step);
	free(walk);
	return len;
}
