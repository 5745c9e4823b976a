/* parallel.h - one job per index, spread over a few threads.
 *
 * The scan's work is a list of independent jobs (a process's fds, a bucket
 * of fds to compare); each job writes only its own results, so the order
 * in which threads take them changes nothing in what is built. */
#ifndef FDSHARE_PARALLEL_H
#define FDSHARE_PARALLEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* Call fn(i, worker, arg) once for every i in [0, n), on at most nthreads
 * threads, the calling thread being one of them; worker (0 .. nthreads-1)
 * names the thread, so that each keeps scratch of its own.  Jobs are taken
 * in order, a few at a time, by whichever thread is free.  When a thread
 * cannot be started, the others do its share.  Returns when all are done. */
void parallel_for(size_t n, unsigned nthreads, void (*fn)(size_t i, unsigned worker, void *arg),
		  void *arg);

/* Make jobs 0 .. n-1 on at most nthreads threads as parallel_for does,
 * make(i, slot, worker, arg), and hand each on in the order of i,
 * emit(i, slot, arg), one at a time, on whichever thread finds it next:
 * output made in parallel leaves in order.  slot (i % nslots) names the
 * scratch a job makes its result in: it is free again once emitted, and at
 * most nslots jobs are made but not yet emitted (a job waits for its slot),
 * so what is held at once stays bounded. */
void parallel_ordered(size_t n, unsigned nthreads, unsigned nslots,
		      void (*make)(size_t i, unsigned slot, unsigned worker, void *arg),
		      void (*emit)(size_t i, unsigned slot, void *arg), void *arg);

/* Run a(arg_a) on the calling thread and b(arg_b) on a second one at the
 * same time; return when both are done.  When no thread can be started,
 * b runs after a, on the calling thread. */
void parallel_two(void (*a)(void *), void *arg_a, void (*b)(void *), void *arg_b);

/* Threads worth using: the CPUs this process may run on, at most max
 * (at least 1). */
unsigned parallel_threads(unsigned max);

/* Join thread t unless *joined says it was; then *joined is set (a thread
 * whose result several callers wait for). */
void parallel_join_once(pthread_t t, bool *joined);

#endif
