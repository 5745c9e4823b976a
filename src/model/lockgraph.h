/* lockgraph.h - which waiting processes can never go on: a pure analysis of
 * an abstract wait-for graph (nodes are processes, locks have holder nodes,
 * threads of nodes wait for locks), kept apart from /proc so that
 * tests/unit/unit_locks.c proves it on made-up graphs.
 *
 * A node is dead when it is stuck (every thread of it waits for a lock, so
 * it cannot release anything by itself) and each of its waiting threads
 * waits for a dead lock: one whose holders are known and all dead.  The
 * dead set is the greatest fixed point of that rule: a cycle of stuck
 * waiters is dead (a deadlock), and so is whoever waits behind it; one
 * holder that can still run (not stuck) saves every waiter of its locks. */
#ifndef FDSHARE_LOCKGRAPH_H
#define FDSHARE_LOCKGRAPH_H

#include <stdbool.h>
#include <stddef.h>

struct lockgraph_wait {
	size_t node;
	int thread;               /* which thread of the node (any id unique in the node) */
	size_t lock;
};

struct lockgraph {
	size_t nnodes, nlocks;
	const bool *stuck;                 /* per node */
	const size_t *const *holders;      /* per lock: holder nodes */
	const size_t *nholders;            /* per lock */
	const struct lockgraph_wait *waits;
	size_t nwaits;
};

/* Fill dead[0..nnodes) (see above). */
void lockgraph_dead(const struct lockgraph *g, bool *dead);
/* The cycle that following dead holders from dead node start runs into:
 * its nodes in wait order into out[] (at most max); the length (0 when
 * start is not dead).  start itself may only wait behind that cycle. */
size_t lockgraph_cycle(const struct lockgraph *g, const bool *dead, size_t start,
		       size_t *out, size_t max);

#endif
