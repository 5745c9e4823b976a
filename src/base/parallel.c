/* parallel.c - parallel_for on pthreads: a shared next-job counter; and
 * parallel_two, two different jobs side by side. */
#define _GNU_SOURCE   /* sched_getaffinity */
#include "base/parallel.h"
#include "base/util.h"

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>

#define CHUNK 4   /* jobs taken at a time: few enough to balance uneven jobs */

struct pool {
	void (*fn)(size_t i, unsigned worker, void *arg);
	void *arg;
	size_t n;
	size_t next;       /* the next job not yet taken (atomic) */
};

struct worker {
	struct pool *pool;
	unsigned id;
	pthread_t thread;
};

static void *work(void *x)
{
	struct worker *w = x;
	struct pool *p = w->pool;
	size_t i, end;

	for (;;) {
		i = __atomic_fetch_add(&p->next, CHUNK, __ATOMIC_RELAXED);
		if (i >= p->n)
			break;
		end = i + CHUNK < p->n ? i + CHUNK : p->n;
		for (; i < end; i++)
			p->fn(i, w->id, p->arg);
	}
	return NULL;
}

void parallel_for(size_t n, unsigned nthreads, void (*fn)(size_t i, unsigned worker, void *arg),
		  void *arg)
{
	struct pool pool = { .fn = fn, .arg = arg, .n = n };
	struct worker *w;
	unsigned t, started = 1;

	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > n / CHUNK + 1)
		nthreads = (unsigned)(n / CHUNK + 1);
	w = xcalloc(nthreads, sizeof(*w));
	for (t = 0; t < nthreads; t++) {
		w[t].pool = &pool;
		w[t].id = t;
	}
	/* worker ids stay dense: a thread that failed to start leaves its
	 * share to the others */
	for (t = 1; t < nthreads; t++) {
		w[started].id = started;
		if (pthread_create(&w[started].thread, NULL, work, &w[started]) == 0)
			started++;
	}
	w[0].id = 0;
	work(&w[0]);
	for (t = 1; t < started; t++)
		pthread_join(w[t].thread, NULL);
	free(w);
}

/* parallel_ordered: jobs are taken in order and each thread makes its own
 * in order, so the lowest job not yet emitted never waits for a slot and
 * the waits cannot close a circle. */
struct ordered {
	void (*make)(size_t i, unsigned slot, unsigned worker, void *arg);
	void (*emit)(size_t i, unsigned slot, void *arg);
	void *arg;
	unsigned nslots;
	size_t *ready;           /* per slot: 1 + the job made in it, else 0 */
	size_t emitted;          /* jobs below this one are emitted */
	bool emitting;           /* a thread is emitting: it will see what is made meanwhile */
	pthread_mutex_t lock;
	pthread_cond_t freed;    /* emitted moved on */
};

static void ordered_job(size_t i, unsigned worker, void *x)
{
	struct ordered *o = x;
	unsigned slot = (unsigned)(i % o->nslots);

	pthread_mutex_lock(&o->lock);
	while (i >= o->emitted + o->nslots)
		pthread_cond_wait(&o->freed, &o->lock);
	pthread_mutex_unlock(&o->lock);
	o->make(i, slot, worker, o->arg);
	pthread_mutex_lock(&o->lock);
	o->ready[slot] = i + 1;
	if (!o->emitting) {
		o->emitting = true;
		for (;;) {
			size_t k = o->emitted;
			unsigned s = (unsigned)(k % o->nslots);
			if (o->ready[s] != k + 1)
				break;
			pthread_mutex_unlock(&o->lock);
			o->emit(k, s, o->arg);
			pthread_mutex_lock(&o->lock);
			o->ready[s] = 0;
			o->emitted = k + 1;
			pthread_cond_broadcast(&o->freed);
		}
		o->emitting = false;
	}
	pthread_mutex_unlock(&o->lock);
}

void parallel_ordered(size_t n, unsigned nthreads, unsigned nslots,
		      void (*make)(size_t i, unsigned slot, unsigned worker, void *arg),
		      void (*emit)(size_t i, unsigned slot, void *arg), void *arg)
{
	struct ordered o = { .make = make, .emit = emit, .arg = arg, .nslots = nslots ? nslots : 1 };

	o.ready = xcalloc(o.nslots, sizeof(*o.ready));
	pthread_mutex_init(&o.lock, NULL);
	pthread_cond_init(&o.freed, NULL);
	parallel_for(n, nthreads, ordered_job, &o);
	pthread_cond_destroy(&o.freed);
	pthread_mutex_destroy(&o.lock);
	free(o.ready);
}

struct second {
	void (*fn)(void *);
	void *arg;
};

static void *run_second(void *x)
{
	struct second *b = x;

	b->fn(b->arg);
	return NULL;
}

void parallel_two(void (*a)(void *), void *arg_a, void (*b)(void *), void *arg_b)
{
	struct second sb = { b, arg_b };
	pthread_t t;

	if (pthread_create(&t, NULL, run_second, &sb) != 0) {
		a(arg_a);
		b(arg_b);
		return;
	}
	a(arg_a);
	pthread_join(t, NULL);
}

unsigned parallel_threads(unsigned max)
{
	cpu_set_t set;
	int n = 1;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	if (n < 1)
		n = 1;
	return (unsigned)n < max ? (unsigned)n : max;
}

void parallel_join_once(pthread_t t, bool *joined)
{
	if (!*joined)
		pthread_join(t, NULL);
	*joined = true;
}
