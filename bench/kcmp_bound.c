/* kcmp_bound.c - how many kcmp(2) calls grouping fds into open file
 * descriptions needs at least, on a given machine's fds, next to what
 * fdshare's grouping (src/model/ofd.c) spends (not part of fdshare).
 *
 * Input (stdin), one fd a line, tab-separated, as bench/kcmp_bound makes it
 * from `fdshare --json --source proc` joined with `--source bpf` by (pid, fd):
 *
 *   pid  fd  key  pos  status  description
 *
 *   key          the /proc source's bucket key as text (mount id, inode,
 *                access mode, anon-inode name, eventfd id: make_key() in
 *                src/scan/proc_scan.c): fds with different keys are never
 *                compared
 *   pos, status  what the /proc source's hint is made of (make_hint():
 *                the offset and the status flags as read)
 *   description  the BPF source's open file description id: the kernel's
 *                own struct file, so the exact partition
 *
 * The bound.  Take one bucket of n fds holding k descriptions.  Any method
 * that proves its partition with a three-way comparator (kcmp answers less,
 * equal or greater by the kernel's pointers) must, on every input, end
 * knowing (a) for each description of s fds, s - 1 "equal" answers joining
 * them (if its fds fell into two parts never compared across, moving one
 * part to a new description between its neighbours changes no answer and
 * the method would be wrong there), and (b) the kernel's order of the k
 * descriptions (if two neighbours in that order were never compared
 * directly, merging them into one changes no answer either).  A method never
 * asks what earlier answers imply (dropping such calls costs nothing), so
 * every "equal" answer joins two parts: exactly n - k of them.
 *
 *   B1  With the partition fixed, the "equal" answers are forced and only
 *       "less"/"greater" answers branch: a binary tree with k! leaves, one
 *       per order of the descriptions, so on average over the orders at
 *       least log2(k!) of them.  B1 = (n - k) + log2(k!), even for a method
 *       told the partition in advance.
 *   B2  The method is not told which fds share: over every input that looks
 *       like this one (the same buckets; inside a bucket, the same hints,
 *       and in each hint class the same sizes of descriptions: all ways to
 *       cut the class into descriptions of those sizes, all k! orders) it
 *       must reach a different leaf for each (the leaf fixes partition and
 *       order).  With a answers "less/greater" and b = n - k "equal" on a
 *       path, Kraft's inequality for a tree whose nodes have two branches
 *       worth x and one worth y (2/x + 1/y = 1) gives
 *       E[a] log2 x + (n - k) log2 y >= log2 N, N the number of inputs:
 *       calls >= (n - k) + (log2 N - (n - k) log2 y) / log2 x, for every
 *       y > 1; we take the best y (summed over all buckets at once, so
 *       comparisons across buckets are allowed too).
 *   The bound printed is max(B1, B2): an average over the kernel's
 *   arbitrary order of struct file pointers, so no method proves this
 *   partition in fewer calls on average over inputs like it.  The hint
 *   classes are merged where one description spans two (an offset moved
 *   between our reads), so the true partition is always among the inputs.
 *
 * It also runs ofd.c itself on the same buckets and hints with a fake
 * comparator that knows the partition, the description order drawn at
 * random (-r rounds), and counts its calls: the grouping's own (to set
 * against the bound) and the access probes (one a process per thread,
 * to tell EPERM apart; not part of the problem the bound is about).
 *
 *   gcc -std=gnu11 -O2 -Isrc -o bench/out/kcmp_bound bench/kcmp_bound.c \
 *       src/model/ofd.c src/base/parallel.c src/base/util.c -lm -lpthread
 *   kcmp_bound [-r ROUNDS] [-m MEASURED_CALLS] [-n SCAN_FDS] < joined.tsv
 */
#define _GNU_SOURCE
#include "model/ofd.h"
#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fdrow {
	int pid, fd;
	char *key;
	unsigned long long hint;
	long desc;            /* the BPF source's description id */
	int block;            /* the description's number inside its bucket */
	int cls;              /* the hint class (merged) inside its bucket */
};

struct bucket {
	size_t start, n;      /* rows[start .. start + n) */
	int k;                /* descriptions */
	double log2_n;        /* log2 of the inputs that look like this bucket */
	double b1;            /* (n - k) + log2(k!) */
};

static struct fdrow *rows;
static size_t nrows;

static double log2_fact(double x)
{
	return lgamma(x + 1.0) / log(2.0);
}

static int by_key_desc(const void *x, const void *y)
{
	const struct fdrow *a = x, *b = y;
	int c = strcmp(a->key, b->key);

	if (c)
		return c;
	return (a->desc > b->desc) - (a->desc < b->desc);
}

static void read_rows(void)
{
	char *line = NULL, key[4096];
	size_t cap = 0, rcap = 0;
	unsigned long long pos, status;
	struct fdrow r;

	while (getline(&line, &cap, stdin) > 0) {
		if (sscanf(line, "%d\t%d\t%4095[^\t]\t%llu\t%llu\t%ld", &r.pid, &r.fd, key,
			   &pos, &status, &r.desc) != 6)
			continue;
		r.hint = pos * 0x100000001b3ull ^ status;   /* as make_hint() */
		r.key = xstrdup(key);
		grow_array((void **)&rows, &rcap, nrows + 1, sizeof(*rows));
		rows[nrows++] = r;
	}
	free(line);
}

/* ---- union-find over the fds of one bucket, for the hint classes ---- */

static int find(int *up, int i)
{
	while (up[i] != i)
		i = up[i] = up[up[i]];
	return i;
}

static void unite(int *up, int a, int b)
{
	a = find(up, a);
	b = find(up, b);
	if (a != b)
		up[a] = b;
}

static int by_int(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	return (a > b) - (a < b);
}

/* log2 of the ways to cut a class of nc fds into descriptions of the sizes
 * sizes[0..nb) (sorted), descriptions of one size being interchangeable. */
static double log2_cuts(int nc, int *sizes, int nb)
{
	double v = log2_fact(nc);
	int i, run = 1;

	for (i = 0; i < nb; i++) {
		v -= log2_fact(sizes[i]);
		if (i + 1 < nb && sizes[i + 1] == sizes[i]) {
			run++;
		} else {
			v -= log2_fact(run);
			run = 1;
		}
	}
	return v;
}

/* Number the descriptions and the merged hint classes of b; fill k, b1,
 * log2_n. */
static void measure_bucket(struct bucket *b)
{
	struct fdrow *r = rows + b->start;
	int n = (int)b->n, i, j, *up = xcalloc((size_t)n, sizeof(int));
	int *blk_size, *cls_of_blk, *sizes;
	double ln = 0;

	b->k = 0;
	for (i = 0; i < n; i++) {
		if (i == 0 || r[i].desc != r[i - 1].desc)
			b->k++;
		r[i].block = b->k - 1;
		up[i] = i;
	}
	/* merged hint classes: equal hints, or one description */
	for (i = 1; i < n; i++)
		if (r[i].block == r[i - 1].block)
			unite(up, i, i - 1);
	{
		struct { unsigned long long hint; int i; } *h = xcalloc((size_t)n, sizeof(*h));
		for (i = 0; i < n; i++) {
			h[i].hint = r[i].hint;
			h[i].i = i;
		}
		for (i = 1; i < n; i++)   /* insertion by hint: buckets are small mostly */
			for (j = i; j > 0 && h[j - 1].hint > h[j].hint; j--) {
				__typeof__(*h) t = h[j];
				h[j] = h[j - 1];
				h[j - 1] = t;
			}
		for (i = 1; i < n; i++)
			if (h[i].hint == h[i - 1].hint)
				unite(up, h[i].i, h[i - 1].i);
		free(h);
	}
	for (i = 0; i < n; i++)
		r[i].cls = find(up, i);
	blk_size = xcalloc((size_t)b->k, sizeof(int));
	cls_of_blk = xcalloc((size_t)b->k, sizeof(int));
	for (i = 0; i < n; i++) {
		blk_size[r[i].block]++;
		cls_of_blk[r[i].block] = r[i].cls;
	}
	/* per class: its size and its descriptions' sizes */
	sizes = xcalloc((size_t)b->k, sizeof(int));
	for (i = 0; i < n; i++) {
		int nc = 0, nb = 0, c = r[i].cls;
		if (c != i)
			continue;   /* each class once: at its root */
		for (j = 0; j < b->k; j++)
			if (cls_of_blk[j] == c) {
				sizes[nb++] = blk_size[j];
				nc += blk_size[j];
			}
		qsort(sizes, (size_t)nb, sizeof(int), by_int);
		ln += log2_cuts(nc, sizes, nb);
	}
	b->log2_n = ln + log2_fact(b->k);
	b->b1 = (double)(n - b->k) + log2_fact(b->k);
	free(up);
	free(blk_size);
	free(cls_of_blk);
	free(sizes);
}

/* ---- ofd.c on the same buckets, a comparator that knows the answer ---- */

struct sim {
	int *rank;               /* rank[global block]: the kernel's order, drawn */
	unsigned long long probes;
};

static int fake_cmp(const struct ofd_item *a, const struct ofd_item *b, int *err, void *ctx)
{
	struct sim *s = ctx;
	const struct fdrow *x = a->user, *y = b->user;
	int ra, rb;

	(void)err;
	if (a == b || (a->pid == b->pid && a->fd == b->fd)) {
		__atomic_add_fetch(&s->probes, 1, __ATOMIC_RELAXED);
		return 0;
	}
	ra = s->rank[x->block];
	rb = s->rank[y->block];
	return (ra > rb) - (ra < rb);
}

static unsigned long long rng = 88172645463325252ull;

static unsigned long long next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* One round: every description gets a random place in the kernel's order;
 * ofd.c groups; its partition is checked against the truth.  Returns the
 * grouping calls, the access probes apart (*probes). */
static unsigned long long simulate(struct bucket *bk, size_t nb, unsigned long long *probes)
{
	struct ofd_item *items = xcalloc(nrows + 1, sizeof(*items));
	struct ofd_group_info *info = NULL;
	size_t ninfo = 0, i, b, total_blocks = 0;
	struct sim s = { 0 };
	struct ofd_ops ops = { .cmp = fake_cmp, .ctx = &s, .enabled = true, .threads = 1 };
	int *base = xcalloc(nb + 1, sizeof(int)), *first_item;

	for (b = 0; b < nb; b++) {
		base[b] = (int)total_blocks;
		total_blocks += (size_t)bk[b].k;
	}
	s.rank = xcalloc(total_blocks + 1, sizeof(int));
	for (i = 0; i < total_blocks; i++)
		s.rank[i] = (int)i;
	for (i = total_blocks; i > 1; i--) {
		size_t j = next_rand() % i, t = (size_t)s.rank[i - 1];
		s.rank[i - 1] = s.rank[j];
		s.rank[j] = (int)t;
	}
	for (b = 0; b < nb; b++)
		for (i = bk[b].start; i < bk[b].start + bk[b].n; i++) {
			struct ofd_item *it = &items[i];
			rows[i].block += base[b];   /* global numbers for the comparator */
			it->key[0] = b;
			it->hint = rows[i].hint;
			it->pid = rows[i].pid;
			it->fd = rows[i].fd;
			it->user = &rows[i];
			it->group = -1;
		}
	ofd_group_items(items, nrows, &ops, &info, &ninfo);
	/* the partition must be the truth: same group exactly when same block */
	first_item = xcalloc(ninfo + 1, sizeof(int));
	for (i = 0; i < ninfo; i++)
		first_item[i] = -1;
	for (i = 0; i < nrows; i++) {
		const struct fdrow *r = items[i].user;
		int g = items[i].group;
		if (g < 0 || !info[g].verified) {
			fprintf(stderr, "kcmp_bound: ofd.c left pid %d fd %d ungrouped\n", r->pid, r->fd);
			exit(1);
		}
		if (first_item[g] < 0)
			first_item[g] = r->block;
		else if (first_item[g] != r->block) {
			fprintf(stderr, "kcmp_bound: ofd.c merged two descriptions\n");
			exit(1);
		}
	}
	if (ninfo != total_blocks) {
		fprintf(stderr, "kcmp_bound: ofd.c found %zu descriptions, there are %zu\n", ninfo, total_blocks);
		exit(1);
	}
	for (b = 0; b < nb; b++)
		for (i = bk[b].start; i < bk[b].start + bk[b].n; i++)
			rows[i].block -= base[b];
	*probes = s.probes;
	free(first_item);
	free(items);
	free(info);
	free(base);
	free(s.rank);
	return ops.calls - s.probes;
}

static int by_b1_desc(const void *x, const void *y)
{
	const struct bucket *a = x, *b = y;
	return (a->b1 < b->b1) - (a->b1 > b->b1);
}

int main(int argc, char **argv)
{
	struct bucket *bk = NULL;
	size_t nb = 0, cap = 0, i, shared_buckets = 0, fds_in_shared = 0;
	double e = 0, l = 0, b1 = 0, b2 = -1, best_y = 0, measured = -1, scan_fds = 0;
	unsigned long long calls = 0, probes = 0, p;
	int rounds = 5, opt, r;

	while ((opt = getopt(argc, argv, "r:m:n:")) != -1) {
		switch (opt) {
		case 'r': rounds = atoi(optarg); break;
		case 'm': measured = atof(optarg); break;
		case 'n': scan_fds = atof(optarg); break;
		default:
			fprintf(stderr, "usage: kcmp_bound [-r ROUNDS] [-m MEASURED_CALLS] [-n SCAN_FDS] < joined.tsv\n");
			return 100;
		}
	}
	if (rounds < 1)
		rounds = 1;
	read_rows();
	if (!nrows) {
		fprintf(stderr, "kcmp_bound: no fds on stdin\n");
		return 1;
	}
	if (scan_fds <= 0)
		scan_fds = (double)nrows;
	qsort(rows, nrows, sizeof(*rows), by_key_desc);
	for (i = 0; i < nrows; i++) {
		if (i == 0 || strcmp(rows[i].key, rows[i - 1].key) != 0) {
			grow_array((void **)&bk, &cap, nb + 1, sizeof(*bk));
			memset(&bk[nb], 0, sizeof(*bk));
			bk[nb++].start = i;
		}
		bk[nb - 1].n++;
	}
	for (i = 0; i < nb; i++) {
		measure_bucket(&bk[i]);
		e += (double)bk[i].n - bk[i].k;
		l += bk[i].log2_n;
		b1 += bk[i].b1;
		if (bk[i].n > 1) {
			shared_buckets++;
			fds_in_shared += bk[i].n;
		}
	}
	/* B2: the best y on a log scale from just above 1 to 2^40 */
	for (r = 1; r <= 4000; r++) {
		double y = 1.0 + pow(2.0, -10.0 + 50.0 * r / 4000.0);
		double x = 2.0 * y / (y - 1.0);
		double v = e + (l - e * log2(y)) / log2(x);
		if (v > b2) {
			b2 = v;
			best_y = y;
		}
	}
	for (r = 0; r < rounds; r++) {
		calls += simulate(bk, nb, &p);
		probes += p;
	}
	printf("fds joined %zu (of %.0f in the /proc scan), buckets %zu, of them with more than one fd %zu (%zu fds)\n",
	       nrows, scan_fds, nb, shared_buckets, fds_in_shared);
	printf("descriptions in them: %.0f fds beyond the first of their description (n - k)\n", e);
	printf("bound B1 = (n - k) + log2(k!)          %12.0f calls  %.3f per fd\n", b1, b1 / scan_fds);
	printf("bound B2 (partition unknown, y = %.3g) %12.0f calls  %.3f per fd\n", best_y, b2, b2 / scan_fds);
	printf("lower bound max(B1, B2)                %12.0f calls  %.3f per fd\n",
	       b1 > b2 ? b1 : b2, (b1 > b2 ? b1 : b2) / scan_fds);
	printf("ofd.c, same buckets and hints, %d random kernel orders: grouping %.0f calls (%.3f per fd), "
	       "access probes %.0f (%.3f per fd)\n", rounds, (double)calls / rounds,
	       (double)calls / rounds / scan_fds, (double)probes / rounds, (double)probes / rounds / scan_fds);
	if (measured >= 0)
		printf("measured: fdshare --source proc made %.0f kcmp calls, %.3f per fd (every call: "
		       "the epoll targets' KCMP_EPOLL_TFD too)\n", measured, measured / scan_fds);
	/* where the calls go: the buckets that need most */
	qsort(bk, nb, sizeof(*bk), by_b1_desc);
	printf("\nlargest buckets (n fds, k descriptions): B1, B1 per fd of the bucket\n");
	for (i = 0; i < nb && i < 8 && bk[i].b1 > 0; i++)
		printf("  n %5zu  k %5d  B1 %8.0f  %.2f per fd  (%s)\n", bk[i].n, bk[i].k, bk[i].b1,
		       bk[i].b1 / (double)bk[i].n, rows[bk[i].start].key);
	return 0;
}
