/* render_parallel.h - the elements of one JSON array rendered on several
 * threads and written in their order, the output unchanged.
 *
 * Items are cut into runs of about the same weight (fds, say); each run is
 * rendered into a memory writer of its own, then appended to the stream's
 * writer in order (json_rebase, json_append), a few runs at a time so that
 * memory stays bounded.  An item heavier than a run is written straight to
 * the stream, in its turn, on one thread. */
#ifndef FDSHARE_RENDER_PARALLEL_H
#define FDSHARE_RENDER_PARALLEL_H

#include <stddef.h>

#include "base/json.h"

struct render_items {
	size_t n;                /* items 0 .. n-1 */
	/* The item's weight (its fds, say); runs are cut at RUN_WEIGHT. */
	size_t (*weight)(size_t i, void *arg);
	/* Write item i: zero or more elements of the open array (j is the
	 * stream's writer or a memory writer; only this call writes to it).
	 * Must be safe to call on several threads at once. */
	void (*write)(struct json *j, size_t i, void *arg);
	void *arg;
};

/* Write every item into the array open in j, in order, on up to nthreads
 * threads (1: all on this thread, straight to j). */
void render_items_json(struct json *j, const struct render_items *it, unsigned nthreads);

/* Threads a renderer uses: those this process may run on, at most a few;
 * FDSHARE_RENDER_THREADS=N (1-64, for tests) says how many. */
unsigned render_threads(void);

#endif
