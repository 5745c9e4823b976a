/* unit_ofd.c - the grouping algorithm with a fake comparator: each item
 * carries its "true" description number (what kcmp would compare), and pids
 * can be made to refuse comparison (EPERM) or to vanish (ESRCH). */
#include "check.h"
#include "model/ofd.h"

#include <errno.h>
#include <stdlib.h>

struct fake {
	int truth;       /* the real description */
	int key;         /* the bucket key */
};

struct world {
	int denied_pid;  /* kcmp on this pid says EPERM */
	int gone_pid;    /* kcmp on this pid says ESRCH */
	int enosys;
};

static int fake_cmp(const struct ofd_item *a, const struct ofd_item *b, int *err, void *ctx)
{
	const struct world *w = ctx;
	const struct fake *x = a->user, *y = b->user;

	if (w->enosys) {
		*err = ENOSYS;
		return OFD_CMP_ERROR;
	}
	if (a->pid == w->denied_pid || b->pid == w->denied_pid) {
		*err = EPERM;
		return OFD_CMP_ERROR;
	}
	if (a->pid == w->gone_pid || b->pid == w->gone_pid) {
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
		it[i].pid = 100 + (int)(i % 5);
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
	struct fake f[N];
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
	struct fake f[N];
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
	struct fake f[3] = { { 1, 1 }, { 2, 2 }, { 3, 3 } };
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
	struct fake f[4] = { { 1, 9 }, { 2, 9 }, { 1, 9 }, { 5, 4 } };
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
	struct fake f[10];
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
	struct fake f[12];
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

static void test_enosys(void)
{
	struct fake f[3] = { { 1, 1 }, { 1, 1 }, { 2, 1 } };
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

int main(void)
{
	test_exact_grouping();
	test_singletons_need_no_calls();
	test_inherited_costs_one_call_per_fd();
	test_disabled();
	test_denied_pid();
	test_gone_pid();
	test_enosys();
	return check_done();
}
