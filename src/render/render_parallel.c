/* render_parallel.c - render_items_json (render_parallel.h): runs of items
 * made into memory writers by parallel_ordered, appended in order. */
#include "render/render_parallel.h"
#include "base/parallel.h"
#include "base/util.h"

#include <stdlib.h>

#define RUN_WEIGHT 256       /* fds a run holds: ~200 KiB of JSON, enough to
				outweigh the hand-over, few enough to keep
				SLOTS_PER_THREAD of them small */
#define SLOTS_PER_THREAD 3   /* runs made ahead of the one being written */
#define MAX_THREADS 4

struct run {
	size_t first, end;   /* items [first, end) */
	bool direct;         /* one heavy item: written straight to the stream */
};

struct items_job {
	struct json *out;              /* the stream's writer */
	struct json *start;            /* where every run begins (rebased from out) */
	struct json **slot;            /* a memory writer per slot */
	const struct render_items *it;
	struct run *runs;
};

static void make_run(size_t r, unsigned slot, unsigned worker, void *x)
{
	struct items_job *ij = x;
	const struct run *run = &ij->runs[r];
	size_t i;

	(void)worker;
	if (run->direct)
		return;
	json_rebase(ij->slot[slot], ij->start);
	for (i = run->first; i < run->end; i++)
		ij->it->write(ij->slot[slot], i, ij->it->arg);
}

static void emit_run(size_t r, unsigned slot, void *x)
{
	struct items_job *ij = x;
	const struct run *run = &ij->runs[r];

	if (run->direct)
		ij->it->write(ij->out, run->first, ij->it->arg);
	else
		json_append(ij->out, ij->slot[slot]);
}

/* Cut the items into runs of about RUN_WEIGHT; *nruns is set. */
static struct run *cut_runs(const struct render_items *it, size_t *nruns)
{
	struct run *runs = NULL;
	size_t n = 0, cap = 0, i, w, sum = 0;

	for (i = 0; i < it->n; i++) {
		w = it->weight(i, it->arg);
		if (w > RUN_WEIGHT || !n || runs[n - 1].direct || sum + w > RUN_WEIGHT) {
			grow_array((void **)&runs, &cap, n + 1, sizeof(*runs));
			runs[n].first = i;
			runs[n].direct = w > RUN_WEIGHT;
			n++;
			sum = 0;
		}
		runs[n - 1].end = i + 1;
		sum += w;
	}
	*nruns = n;
	return runs;
}

void render_items_json(struct json *j, const struct render_items *it, unsigned nthreads)
{
	struct items_job ij = { .out = j, .it = it };
	unsigned nslots, s;
	size_t nruns, i;

	if (nthreads <= 1 || it->n < 2) {
		for (i = 0; i < it->n; i++)
			it->write(j, i, it->arg);
		return;
	}
	ij.runs = cut_runs(it, &nruns);
	nslots = nthreads * SLOTS_PER_THREAD;
	ij.start = json_new_memory(false);
	json_rebase(ij.start, j);
	ij.slot = xcalloc(nslots, sizeof(*ij.slot));
	for (s = 0; s < nslots; s++)
		ij.slot[s] = json_new_memory(false);
	parallel_ordered(nruns, nthreads, nslots, make_run, emit_run, &ij);
	for (s = 0; s < nslots; s++)
		json_free(ij.slot[s]);
	free(ij.slot);
	json_free(ij.start);
	free(ij.runs);
}

unsigned render_threads(void)
{
	/* for the tests (fdshare(1), ENVIRONMENT): the same document from one
	 * thread as from several */
	const char *env = getenv("FDSHARE_RENDER_THREADS");
	char *end;
	unsigned long n;

	if (env && *env) {
		n = strtoul(env, &end, 10);
		if (!*end && n >= 1 && n <= 64)
			return (unsigned)n;
	}
	return parallel_threads(MAX_THREADS);
}
