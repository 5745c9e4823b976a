/* unit_ofd.c - the grouping algorithm with a fake comparator: each item
 * carries its "true" description number (what kcmp would compare), and pids
 * can be made to refuse comparison (EPERM) or to vanish (ESRCH). */
#include "check.h"
#include "model/ofd.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct fake {
	int truth;       /* the real description */
	int key;         /* the bucket key */
	unsigned long long hint;   /* what the caller read: pos and flags */
	int pid;         /* 0: fill() picks one of five */
};

struct world {
	int denied_pid;  /* kcmp on this pid says EPERM */
	int gone_pid;    /* kcmp on this pid says ESRCH */
	unsigned long long gone_after;   /* ... only after this many calls */
	int enosys;
	unsigned long long calls, probes;   /* all calls; those of an fd with itself */
};

static int fake_cmp(const struct ofd_item *a, const struct ofd_item *b, int *err, void *ctx)
{
	struct world *w = ctx;
	const struct fake *x = a->user, *y = b->user;

	w->calls++;
	w->probes += a == b;
	if (w->enosys) {
		*err = ENOSYS;
		return OFD_CMP_ERROR;
	}
	if (a->pid == w->denied_pid || b->pid == w->denied_pid) {
		*err = EPERM;
		return OFD_CMP_ERROR;
	}
	if ((a->pid == w->gone_pid || b->pid == w->gone_pid) && w->calls > w->gone_after) {
		*err = ESRCH;
		return OFD_CMP_ERROR;
	}
	return (x->truth > y->truth) - (x->truth < y->truth);
}

static void fill(struct ofd_item *it, struct fake *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		it[i].key[0] = (unsigned long long)f[i].key;
		it[i].key[1] = it[i].key[2] = it[i].key[3] = 0;
		it[i].hint = f[i].hint;
		it[i].pid = f[i].pid ? f[i].pid : 100 + (int)(i % 5);
		it[i].fd = (int)i;
		it[i].user = &f[i];
		it[i].group = -2;
	}
}

/* Two items are grouped together exactly when their truth is equal. */
static int exact(const struct ofd_item *it, size_t n, const struct ofd_group_info *g)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct fake *a = it[i].user;
		if (it[i].group < 0 || !g[it[i].group].verified)
			return 0;
		for (j = 0; j < n; j++) {
			const struct fake *b = it[j].user;
			if ((a->truth == b->truth) != (it[i].group == it[j].group))
				return 0;
		}
	}
	return 1;
}

static void test_exact_grouping(void)
{
	enum { N = 200 };
	struct fake f[N] = { { 0, 0, 0, 0 } };
	struct ofd_item it[N];
	struct world w = { 0 };
	struct ofd_ops ops = { .cmp = fake_cmp, .ctx = &w, .enabled = true };
	struct ofd_group_info *g;
	size_t ng, i;

	srand(7);
	for (i = 0; i < N; i++) {
		f[i].truth = rand() % 40;
		f[i].key = f[i].truth % 7;   /* buckets mix several descriptions */
	}
	fill(it, f, N);
	ofd_group_items(it, N, &ops, &g, &ng);
	CHECK(exact(it, N, g), "kcmp order groups exactly the equal descriptions");
	CHECK(ng == 40 || ng <= 40, "no more groups than descriptions");
	/* n log n: 200 items in 7 buckets must take far fewer than n^2/2 calls */
	CHECK(ops.calls < 2000, "comparator calls stay O(n log n)");
	CHECK(!ops.saw_eperm, "no EPERM seen");
	free(g);
}

/* One description inherited by every process: one call per fd (plus one
 * access probe per pid), not a sort. */
static void test_inherited_costs_one_call_per_fd(void)
{
	enum { N = 500 };
	struct fake f[N] = { { 0, 0, 0, 0 } };
	struct ofd_item it[N];
	struct world w = { 0 };
	struct ofd_ops ops = { .cmp = fake_cmp, .ctx = &w, .enabled = true };
	struct ofd_group_info *g;
	size_t ng, i;

	for (i = 0; i < N; i++) {
		f[i].truth = 42;
		f[i].key = 3;
	}
	fill(it, f, N);
	ofd_group_items(it, N, &ops, &g, &ng);
	CHECK(ng == 1 && g[0].verified && g[0].nmembers == N, "inherited: one verified group");
	CHECK(ops.calls <= N - 1 + 5, "inherited: at most one call per fd plus one probe per pid");
	free(g);
}

static void test_singletons_need_no_calls(void)
{
	struct fake f[3] = { { 1, 1, 0, 0 }, { 2, 2, 0, 0 }, { 3, 3, 0, 0 } };
	struct ofd_item it[3];
	struct world w = { 0 };
	struct ofd_ops ops = { .cmp = fake_cmp, .ctx = &w, .enabled = true };
	struct ofd_group_info *g;
	size_t ng;

	fill(it, f, 3);
	ofd_group_items(it, 3, &ops, &g, &ng);
	CHECK(ng == 3 && ops.calls == 0, "distinct keys: three groups, no kcmp call");
	free(g);
}

static void test_disabled(void)
{
	struct fake f[4] = { { 1, 9, 0, 0 }, { 2, 9, 0, 0 }, { 1, 9, 0, 0 }, { 5, 4, 0, 0 } };
	struct ofd_item it[4];
	struct world w = { 0 };
	struct ofd_ops ops = { .cmp = fake_cmp, .ctx = &w, .enabled = false };
	struct ofd_group_info *g;
	size_t ng, i;
	int bucket_group = -1, ok = 1;

	fill(it, f, 4);
	ofd_group_items(it, 4, &ops, &g, &ng);
	for (i = 0; i < 4; i++) {
		const struct fake *x = it[i].user;
		if (x->key != 9)
			continue;
		if (bucket_group < 0)
			bucket_group = it[i].group;
		ok &= it[i].group == bucket_group;
	}
	CHECK(ok && bucket_group >= 0 && !g[bucket_group].verified && g[bucket_group].err == -1,
	      "disabled: one bucket is one unverified group");
	CHECK(ops.calls == 0, "disabled: no comparator call");
	free(g);
}

static void test_denied_pid(void)
{
	struct fake f[10] = { { 0, 0, 0, 0 } };
	struct ofd_item it[10];
	struct world w = { .denied_pid = 101 };
	struct ofd_ops ops = { .cmp = fake_cmp, .ctx = &w, .enabled = true };
	struct ofd_group_info *g;
	size_t ng, i;
	int ok_denied = 1, ok_rest = 1;

	for (i = 0; i < 10; i++) {
		f[i].truth = (int)(i % 2);
		f[i].key = 1;
	}
	fill(it, f, 10);   /* pids 100..104: fds 1 and 6 belong to pid 101 */
	ofd_group_items(it, 10, &ops, &g, &ng);
	for (i = 0; i < 10; i++) {
		if (it[i].pid == 101)
			ok_denied &= !g[it[i].group].verified && g[it[i].group].err == EPERM;
		else
			ok_rest &= g[it[i].group].verified;
	}
	CHECK(ok_denied, "EPERM pid: its fds are in an unverified group");
	CHECK(ok_rest, "EPERM pid: the others are still verified");
	CHECK(ops.saw_eperm, "EPERM is reported");
	free(g);
}

static void test_gone_pid(void)
{
	struct fake f[12] = { { 0, 0, 0, 0 } };
	struct ofd_item it[12];
	struct world w = { .gone_pid = 102 };
	struct ofd_ops ops = { .cmp = fake_cmp, .ctx = &w, .enabled = true };
	struct ofd_group_info *g;
	size_t ng, i;
	int dropped = 1, others = 1;

	for (i = 0; i < 12; i++) {
		f[i].truth = (int)(i % 3);
		f[i].key = 5;
	}
	fill(it, f, 12);
	ofd_group_items(it, 12, &ops, &g, &ng);
	for (i = 0; i < 12; i++) {
		if (it[i].pid == 102)
			dropped &= it[i].group == -1;
		else
			others &= it[i].group >= 0 && g[it[i].group].verified;
	}
	CHECK(dropped, "ESRCH pid: its fds are dropped");
	CHECK(others, "ESRCH pid: the rest is grouped and verified");
	free(g);
}

/* The pid that refuses comparison, or that ended, is the first of its
 * bucket (the lowest pid): it stands for nothing unasked.  Nothing is
 * probed ahead, so it is found when it is first asked. */
static void test_first_refuses_or_ended(void)
{
	struct fake f[10] = { { 0, 0, 0, 0 } };
	struct ofd_item it[10];
	struct world w = { .denied_pid = 100 };
	struct ofd_ops ops = { .cmp = fake_cmp, .ctx = &w, .enabled = true };
	struct ofd_group_info *g;
	size_t ng, i;
	int ok = 1;

	for (i = 0; i < 10; i++) {
		f[i].truth = (int)(i % 2);
		f[i].key = 1;
	}
	fill(it, f, 10);   /* pids 100..104: fds 0 and 5 belong to pid 100 */
	ofd_group_items(it, 10, &ops, &g, &ng);
	for (i = 0; i < 10; i++)
		ok &= it[i].pid == 100 ? !g[it[i].group].verified && g[it[i].group].err == EPERM
			: g[it[i].group].verified;
	CHECK(ok, "EPERM pid first in its bucket: its fds unverified, the rest verified");
	free(g);

	memset(&w, 0, sizeof(w));
	w.gone_pid = 100;
	ops = (struct ofd_ops){ .cmp = fake_cmp, .ctx = &w, .enabled = true };
	fill(it, f, 10);
	ofd_group_items(it, 10, &ops, &g, &ng);
	ok = 1;
	for (i = 0; i < 10; i++)
		ok &= it[i].pid == 100 ? it[i].group == -1 : it[i].group >= 0 && g[it[i].group].verified;
	CHECK(ok, "ESRCH pid first in its bucket: its fds dropped, the rest verified");
	free(g);
}

/* A process ends after its fd became a representative: the comparison
 * against it fails, the probe says the fd being placed is fine, so the
 * bucket is pruned and grouped again without it. */
static void test_representative_ends(void)
{
	enum { N = 40 };
	struct fake f[N];
	struct ofd_item it[N];
	struct world w = { .gone_pid = 100, .gone_after = 6 };
	struct ofd_ops ops = { .cmp = fake_cmp, .ctx = &w, .enabled = true };
	struct ofd_group_info *g;
	size_t ng, i;
	int ok = 1;

	for (i = 0; i < N; i++)
		f[i] = (struct fake){ .truth = (int)(i % 7), .key = 1, .hint = i % 3 };
	fill(it, f, N);
	ofd_group_items(it, N, &ops, &g, &ng);
	for (i = 0; i < N; i++)
		ok &= it[i].pid == 100 ? it[i].group == -1 : it[i].group >= 0 && g[it[i].group].verified;
	for (i = 0; i < N && ok; i++) {
		size_t j;
		for (j = 0; j < N; j++)
			if (it[i].pid != 100 && it[j].pid != 100)
				ok &= (((const struct fake *)it[i].user)->truth ==
				       ((const struct fake *)it[j].user)->truth) == (it[i].group == it[j].group);
	}
	CHECK(ok, "a representative's process ends mid-bucket: dropped, the rest exact");
	free(g);
}

static void test_enosys(void)
{
	struct fake f[3] = { { 1, 1, 0, 0 }, { 1, 1, 0, 0 }, { 2, 1, 0, 0 } };
	struct ofd_item it[3];
	struct world w = { .enosys = 1 };
	struct ofd_ops ops = { .cmp = fake_cmp, .ctx = &w, .enabled = true };
	struct ofd_group_info *g;
	size_t ng;

	fill(it, f, 3);
	ofd_group_items(it, 3, &ops, &g, &ng);
	CHECK(ng == 1 && !g[0].verified && g[0].err == ENOSYS && ops.saw_enosys,
	      "ENOSYS: the bucket is one unverified group");
	free(g);
}

/* ---- the hint: whom to ask first ---- */

static unsigned long long next_rand(unsigned long long *state)
{
	*state = *state * 6364136223846793005ull + 1442695040888963407ull;
	return *state >> 33;
}

/* Group f[0..n) and say how many comparator calls that took, access
 * probes apart (*probes_out when not NULL); *exact_out tells whether the
 * groups are exactly the true descriptions. */
static unsigned long long group_count_probes(struct fake *f, size_t n, int *exact_out,
					     unsigned long long *probes_out)
{
	struct ofd_item *it = calloc(n, sizeof(*it));
	struct world w = { 0 };
	struct ofd_ops ops = { .cmp = fake_cmp, .ctx = &w, .enabled = true };
	struct ofd_group_info *g;
	size_t ng;

	fill(it, f, n);
	ofd_group_items(it, n, &ops, &g, &ng);
	*exact_out = exact(it, n, g) && ops.calls == w.calls;
	if (probes_out)
		*probes_out = w.probes;
	free(g);
	free(it);
	return ops.calls - w.probes;
}

static unsigned long long group_count(struct fake *f, size_t n, int *exact_out)
{
	return group_count_probes(f, n, exact_out, NULL);
}

/* ceil(log2(x)) for x >= 1 */
static unsigned ceil_log2(size_t x)
{
	unsigned r = 0;

	while (((size_t)1 << r) < x)
		r++;
	return r;
}

/* A preforking server: one description (the listener, a log file) held by
 * 300 processes, read with one offset: one call per fd after the first, and
 * one access probe, for the first: the others' answers show their pids may
 * be compared. */
static void test_hint_prefork(void)
{
	enum { N = 300 };
	struct fake f[N];
	char what[160];
	unsigned long long calls, probes;
	size_t i;
	int ok;

	for (i = 0; i < N; i++)
		f[i] = (struct fake){ .truth = 1, .key = 1, .hint = 4096, .pid = 1000 + (int)i };
	calls = group_count_probes(f, N, &ok, &probes);
	snprintf(what, sizeof(what), "prefork 1 x %d: %llu calls = %.2f per fd, and %llu access "
		 "probe", N, calls, (double)calls / N, probes);
	CHECK(ok && calls == N - 1 && probes == 1, what);
}

/* A thousand files each opened once: distinct keys, no call at all. */
static void test_hint_distinct_files(void)
{
	enum { N = 1000 };
	struct fake f[N];
	unsigned long long calls;
	size_t i;
	int ok;

	for (i = 0; i < N; i++)
		f[i] = (struct fake){ .truth = (int)i, .key = (int)i, .hint = 0 };
	calls = group_count(f, N, &ok);
	CHECK(ok && calls == 0, "1000 distinct files: no call");
}

/* One file the way the bench workload holds it: a description inherited
 * by 300 processes, 200 separate open()s at random offsets, and 100 dups
 * of those (same offset as their original); the other files of the
 * processes in buckets of their own (one description of two fds each).
 * With the hint, inherited fds and dups cost one call each and only the
 * separate opens search; without it (every hint different) all search. */
static void test_hint_mixed(void)
{
	enum { INHERITED = 300, OPENS = 200, DUPS = 100, PAIRS = 400,
	       N = INHERITED + OPENS + DUPS + 2 * PAIRS };
	struct fake *f = calloc(N, sizeof(*f));
	unsigned long long with, without, seed = 11, most;
	char what[200];
	size_t i, n = 0;
	int ok, ok2;

	for (i = 0; i < INHERITED; i++)
		f[n++] = (struct fake){ .truth = 0, .key = 1, .hint = 17, .pid = 1000 + (int)i };
	for (i = 0; i < OPENS; i++)
		f[n++] = (struct fake){ .truth = 1 + (int)i, .key = 1,
					.hint = next_rand(&seed) % 4096, .pid = 1000 + (int)i };
	for (i = 0; i < DUPS; i++) {
		size_t orig = INHERITED + next_rand(&seed) % OPENS;
		f[n] = f[orig];
		n++;
	}
	for (i = 0; i < PAIRS; i++) {
		f[n++] = (struct fake){ .truth = 1000 + (int)i, .key = 2 + (int)i,
					.hint = 0, .pid = 1000 + (int)(i % 300) };
		f[n++] = (struct fake){ .truth = 1000 + (int)i, .key = 2 + (int)i,
					.hint = 0, .pid = 1000 + (int)((i + 1) % 300) };
	}
	with = group_count(f, N, &ok);
	for (i = 0; i < N; i++)
		f[i].hint = i;
	without = group_count(f, N, &ok2);
	/* one call per inherited fd, dup and pair, and a search (plus a hint
	 * that may have missed) per separate open; probes apart */
	most = (INHERITED - 1) + DUPS + PAIRS + OPENS * (ceil_log2(OPENS + 2) + 1);
	snprintf(what, sizeof(what), "mixed, %d fds: %llu calls = %.2f per fd with the hint, "
		 "%llu = %.2f without", N, with, (double)with / N, without, (double)without / N);
	CHECK(ok && ok2 && with <= most && with < without, what);
	free(f);
}

/* k separate open()s of one file: telling them apart takes log2(k!) calls
 * whatever the method; binary insertion stays close to that. */
static void test_hint_separate_opens(void)
{
	enum { N = 500 };
	struct fake f[N];
	unsigned long long calls, seed = 3;
	char what[160];
	double bound = lgamma(N + 1) / log(2);
	size_t i;
	int ok;

	for (i = 0; i < N; i++)
		f[i] = (struct fake){ .truth = (int)i, .key = 1, .hint = next_rand(&seed) % 4096,
				      .pid = 1000 + (int)i };
	for (i = N - 1; i > 0; i--) {   /* kcmp's order has nothing to do with pids */
		size_t j = next_rand(&seed) % (i + 1);
		int t = f[i].truth;
		f[i].truth = f[j].truth;
		f[j].truth = t;
	}
	calls = group_count(f, N, &ok);
	snprintf(what, sizeof(what), "%d separate opens: %llu calls = %.2f per fd (log2(%d!) = %.0f)",
		 N, calls, (double)calls / N, N, bound);
	CHECK(ok && (double)calls <= bound + 2.0 * N, what);
}

/* Hints that lie: one description seen at two offsets (it moved between
 * our reads), two descriptions with one offset.  The comparator decides:
 * the groups stay exact. */
static void test_hint_lies(void)
{
	enum { N = 400 };
	struct fake f[N];
	unsigned long long calls, seed = 5;
	size_t i;
	int ok;

	for (i = 0; i < N; i++)
		f[i] = (struct fake){ .truth = (int)(next_rand(&seed) % 60), .key = 1,
				      .hint = next_rand(&seed) % 3 };
	calls = group_count(f, N, &ok);
	CHECK(ok, "hints uncorrelated with descriptions: groups still exact");
	CHECK(calls < N * 9, "hints uncorrelated with descriptions: O(n log k) calls");
	for (i = 0; i < N; i++)
		f[i].hint = (unsigned long long)(f[i].truth % 2 ? f[i].truth : N - f[i].truth);
	f[0].hint = 999999;   /* its offset moved between reads */
	calls = group_count(f, N, &ok);
	CHECK(ok, "a moved offset splits nothing, an equal one merges nothing");
}

/* Buckets grouped on two threads: the same exact partition, whichever
 * thread took which bucket; denied and gone pids handled as on one. */
static void test_threads(void)
{
	enum { N = 3000 };
	struct fake *f = calloc(N, sizeof(*f));
	struct ofd_item *it = calloc(N, sizeof(*it));
	struct world w = { .denied_pid = 101, .gone_pid = 103 };
	struct ofd_ops ops = { .cmp = fake_cmp, .ctx = &w, .enabled = true, .threads = 2 };
	struct ofd_group_info *g;
	unsigned long long seed = 9;
	size_t ng, i, j, sum = 0;
	int ok = 1;

	for (i = 0; i < N; i++) {
		f[i].truth = (int)(next_rand(&seed) % 700);
		f[i].key = f[i].truth % 97;
		f[i].hint = next_rand(&seed) % 4;
	}
	fill(it, f, N);
	ofd_group_items(it, N, &ops, &g, &ng);
	for (i = 0; i < ng; i++)
		sum += g[i].nmembers;
	for (i = 0; i < N; i++) {
		const struct fake *a = it[i].user;
		if (it[i].pid == 103) {
			ok &= it[i].group == -1;
			continue;
		}
		if (it[i].pid == 101) {
			ok &= it[i].group >= 0 && !g[it[i].group].verified && g[it[i].group].err == EPERM;
			continue;
		}
		ok &= it[i].group >= 0 && (size_t)it[i].group < ng && g[it[i].group].verified;
		for (j = 0; j < N && ok; j++) {
			const struct fake *b = it[j].user;
			if (it[j].pid == 101 || it[j].pid == 103)
				continue;
			ok &= (a->truth == b->truth) == (it[i].group == it[j].group);
		}
	}
	CHECK(ok, "two threads: exact groups, denied pid unverified, gone pid dropped");
	CHECK(sum == (size_t)N - (N / 5), "two threads: every kept item counted in one group");
	CHECK(ops.saw_eperm, "two threads: EPERM reported");
	free(g);
	free(it);
	free(f);
}

int main(void)
{
	test_exact_grouping();
	test_singletons_need_no_calls();
	test_inherited_costs_one_call_per_fd();
	test_disabled();
	test_denied_pid();
	test_gone_pid();
	test_enosys();
	test_first_refuses_or_ended();
	test_representative_ends();
	test_hint_prefork();
	test_hint_distinct_files();
	test_hint_mixed();
	test_hint_separate_opens();
	test_hint_lies();
	test_threads();
	return check_done();
}
