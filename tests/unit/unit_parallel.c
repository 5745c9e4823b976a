/* unit_parallel.c - parallel_for: every job run exactly once, by a worker
 * whose id is in range, whatever the thread count; results written by
 * index come out as a plain loop would write them.  parallel_two: both
 * jobs run once, at the same time (each waits for the other to start).
 * Out of memory on several threads at once: the exit set_oom_exit() names
 * runs once (--check prints its one status line once). */
#include "check.h"
#include "base/parallel.h"
#include "base/util.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

struct jobs {
	int *runs;                 /* how often each index ran */
	unsigned *worker;          /* which worker ran it */
	unsigned long long *out;   /* its result */
	unsigned nthreads;
};

static void job(size_t i, unsigned worker, void *arg)
{
	struct jobs *j = arg;
	unsigned long long x = i + 1;
	int k;

	for (k = 0; k < 1000; k++)   /* some work, so that both threads take jobs */
		x = x * 6364136223846793005ull + 1442695040888963407ull;
	__atomic_fetch_add(&j->runs[i], 1, __ATOMIC_RELAXED);
	j->worker[i] = worker;
	j->out[i] = x;
}

static void run(size_t n, unsigned nthreads)
{
	struct jobs j = { calloc(n + 1, sizeof(int)), calloc(n + 1, sizeof(unsigned)),
			  calloc(n + 1, sizeof(unsigned long long)), nthreads };
	unsigned long long *plain = calloc(n + 1, sizeof(*plain));
	size_t i;
	int once = 1, in_range = 1, same = 1;
	char what[120];

	for (i = 0; i < n; i++) {   /* what one thread would compute */
		struct jobs one = { j.runs, j.worker, plain, 1 };
		job(i, 0, &one);
		j.runs[i] = 0;
	}
	parallel_for(n, nthreads, job, &j);
	for (i = 0; i < n; i++) {
		once &= j.runs[i] == 1;
		in_range &= j.worker[i] < (nthreads ? nthreads : 1);
		same &= j.out[i] == plain[i];
	}
	snprintf(what, sizeof(what), "%zu jobs on %u threads: each run once, by a worker in range, "
		 "results as one thread's", n, nthreads);
	CHECK(once && in_range && same, what);
	free(j.runs);
	free(j.worker);
	free(j.out);
	free(plain);
}

/* parallel_ordered: jobs of uneven size made into their slots, emitted in
 * order, each once, with what was made in that slot, never more than nslots
 * made and not yet emitted. */
struct ordered_jobs {
	unsigned long long *slot_value;   /* per slot: what the job made there */
	size_t *order;                    /* emit order */
	size_t nemitted;
	int outstanding, most;            /* made, not yet emitted */
	int wrong_slot, wrong_value;
	unsigned nslots;
};

static unsigned long long ordered_value(size_t i)
{
	unsigned long long x = i + 7;
	size_t k;

	for (k = 0; k < 200 + (i % 7) * 400; k++)   /* uneven work */
		x = x * 6364136223846793005ull + 1442695040888963407ull;
	return x;
}

static void ordered_make(size_t i, unsigned slot, unsigned worker, void *arg)
{
	struct ordered_jobs *o = arg;
	int now = __atomic_add_fetch(&o->outstanding, 1, __ATOMIC_SEQ_CST);
	int most = __atomic_load_n(&o->most, __ATOMIC_SEQ_CST);

	(void)worker;
	while (now > most && !__atomic_compare_exchange_n(&o->most, &most, now, false,
							  __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
	if (slot != i % o->nslots)
		__atomic_add_fetch(&o->wrong_slot, 1, __ATOMIC_SEQ_CST);
	o->slot_value[slot] = ordered_value(i);
}

static void ordered_emit(size_t i, unsigned slot, void *arg)
{
	struct ordered_jobs *o = arg;

	if (o->slot_value[slot] != ordered_value(i))
		o->wrong_value++;
	o->order[o->nemitted++] = i;
	__atomic_sub_fetch(&o->outstanding, 1, __ATOMIC_SEQ_CST);
}

static void run_ordered(size_t n, unsigned nthreads, unsigned nslots)
{
	struct ordered_jobs o = { calloc(nslots + 1, sizeof(unsigned long long)),
				  calloc(n + 1, sizeof(size_t)), 0, 0, 0, 0, 0, nslots };
	size_t i;
	int in_order = 1;
	char what[160];

	parallel_ordered(n, nthreads, nslots, ordered_make, ordered_emit, &o);
	for (i = 0; i < o.nemitted; i++)
		in_order &= o.order[i] == i;
	snprintf(what, sizeof(what), "ordered: %zu jobs on %u threads, %u slots: each emitted once, "
		 "in order, with its slot's result, at most %u held", n, nthreads, nslots, nslots);
	CHECK(o.nemitted == n && in_order && !o.wrong_slot && !o.wrong_value &&
	      o.most <= (int)(nslots ? nslots : 1), what);
	free(o.slot_value);
	free(o.order);
}

/* Each side says it started, then waits (bounded) for the other to: only
 * two threads at once see both. */
struct meeting {
	int started;
	int saw_other[2];
	int runs[2];
};

static void side(struct meeting *m, int me)
{
	long spins;

	__atomic_fetch_add(&m->started, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&m->runs[me], 1, __ATOMIC_SEQ_CST);
	for (spins = 0; spins < 2000000000L; spins++)
		if (__atomic_load_n(&m->started, __ATOMIC_SEQ_CST) == 2) {
			m->saw_other[me] = 1;
			break;
		}
}

static void side_a(void *arg) { side(arg, 0); }
static void side_b(void *arg) { side(arg, 1); }

/* ---- out of memory on four threads at once ---- */

static int oom_pipe[2];
static pthread_barrier_t oom_start;

/* As main.c's for --check: one line, then the end of the process; slow, so
 * that a second caller would have time to write its own. */
static void oom_say(void)
{
	ssize_t n = write(oom_pipe[1], "x", 1);

	(void)n;
	usleep(50000);
	_exit(3);
}

static void *oom_thread(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&oom_start);
	return xmalloc(SIZE_MAX / 2);
}

static void oom_once(void)
{
	pthread_t t[4];
	char buf[16];
	ssize_t n, said = 0;
	int status = 0, i;
	pid_t pid;

#if defined(__SANITIZE_ADDRESS__)
	printf("skip: out of memory on four threads (ASan stops a huge malloc itself)\n");
	return;
#endif
	if (pipe(oom_pipe) < 0 || (pid = fork()) < 0) {
		CHECK(0, "out of memory on four threads: pipe and fork");
		return;
	}
	if (pid == 0) {
		close(oom_pipe[0]);
		set_oom_exit(oom_say);
		pthread_barrier_init(&oom_start, NULL, 4);
		for (i = 0; i < 4; i++)
			pthread_create(&t[i], NULL, oom_thread, NULL);
		for (i = 0; i < 4; i++)
			pthread_join(t[i], NULL);
		_exit(0);
	}
	close(oom_pipe[1]);
	while ((n = read(oom_pipe[0], buf, sizeof(buf))) > 0)
		said += n;
	close(oom_pipe[0]);
	waitpid(pid, &status, 0);
	CHECK(said == 1, "out of memory on four threads at once: the oom exit ran once");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3, "... and ended the process with its status");
}

int main(void)
{
	struct meeting m = { 0 };

	run_ordered(0, 2, 4);
	run_ordered(1, 2, 4);
	run_ordered(3000, 2, 1);
	run_ordered(3000, 2, 3);
	run_ordered(3000, 4, 6);
	run_ordered(3000, 1, 2);
	parallel_two(side_a, &m, side_b, &m);
	CHECK(m.runs[0] == 1 && m.runs[1] == 1, "parallel_two: each job run once");
	CHECK(m.saw_other[0] && m.saw_other[1], "parallel_two: the two jobs ran at the same time");
	run(0, 2);
	run(1, 2);
	run(3, 2);
	run(5000, 2);
	run(5000, 1);
	run(777, 8);
	run(10, 0);
	CHECK(parallel_threads(2) >= 1 && parallel_threads(2) <= 2, "parallel_threads: between 1 and max");
	CHECK(parallel_threads(1) == 1, "parallel_threads(1) is 1");
	fflush(stdout);   /* not again in the child */
	oom_once();
	return check_done();
}
