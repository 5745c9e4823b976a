/* parallel.h - one job per index, spread over a few threads.
 *
 * The scan's work is a list of independent jobs (a process's fds, a bucket
 * of fds to compare); each job writes only its own results, so the order
 * in which threads take them changes nothing in what is built. */
#ifndef FDSHARE_PARALLEL_H
#define FDSHARE_PARALLEL_H

#include <stddef.h>

/* Call fn(i, worker, arg) once for every i in [0, n), on at most nthreads
 * threads, the calling thread being one of them; worker (0 .. nthreads-1)
 * names the thread, so that each keeps scratch of its own.  Jobs are taken
 * in order, a few at a time, by whichever thread is free.  When a thread
 * cannot be started, the others do its share.  Returns when all are done. */
void parallel_for(size_t n, unsigned nthreads, void (*fn)(size_t i, unsigned worker, void *arg),
		  void *arg);

/* Run a(arg_a) on the calling thread and b(arg_b) on a second one at the
 * same time; return when both are done.  When no thread can be started,
 * b runs after a, on the calling thread. */
void parallel_two(void (*a)(void *), void *arg_a, void (*b)(void *), void *arg_b);

/* Threads worth using: the CPUs this process may run on, at most max
 * (at least 1). */
unsigned parallel_threads(unsigned max);

#endif
