/* unit_radix.c - radix_sort against qsort with a tie-breaking comparator:
 * the same order for keys spread over every byte, keys that share their
 * high bytes (inodes), all-equal keys, and none; ties keep their order. */
#include "check.h"
#include "base/radix.h"

#include <stdint.h>
#include <stdlib.h>

static unsigned long long rng = 88172645463325252ull;

static unsigned long long next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* by key, then by position in the input (p holds it): a stable order */
static int cmp_stable(const void *x, const void *y)
{
	const struct radix_item *a = x, *b = y;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return ((uintptr_t)a->p > (uintptr_t)b->p) - ((uintptr_t)a->p < (uintptr_t)b->p);
}

static int same_as_qsort(size_t n, unsigned long long mask, unsigned long long base)
{
	struct radix_item *v = calloc(n + 1, sizeof(*v)), *w = calloc(n + 1, sizeof(*w));
	struct radix_item *tmp = calloc(n + 1, sizeof(*tmp));
	size_t i;
	int ok = 1;

	for (i = 0; i < n; i++) {
		v[i].key = base | (next_random() & mask);
		v[i].p = (void *)(uintptr_t)(i + 1);
		w[i] = v[i];
	}
	radix_sort(v, tmp, n);
	if (n)
		qsort(w, n, sizeof(*w), cmp_stable);
	for (i = 0; i < n; i++)
		ok &= v[i].key == w[i].key && v[i].p == w[i].p;
	free(v);
	free(w);
	free(tmp);
	return ok;
}

/* A key of two words sorted word by word, least significant first. */
static int two_words(size_t n)
{
	struct radix_item *v = calloc(n + 1, sizeof(*v)), *tmp = calloc(n + 1, sizeof(*tmp));
	unsigned long long (*k)[2] = calloc(n + 1, sizeof(*k));
	size_t i;
	int ok = 1;

	for (i = 0; i < n; i++) {
		k[i][0] = next_random() % 5;          /* a mount id */
		k[i][1] = 4000000 + next_random() % 64;   /* an inode */
		v[i].key = k[i][1];
		v[i].p = k[i];
	}
	radix_sort(v, tmp, n);
	for (i = 0; i < n; i++)
		v[i].key = ((unsigned long long *)v[i].p)[0];
	radix_sort(v, tmp, n);
	for (i = 1; i < n; i++) {
		const unsigned long long *a = v[i - 1].p, *b = v[i].p;
		ok &= a[0] < b[0] || (a[0] == b[0] && (a[1] < b[1] || (a[1] == b[1] && a < b)));
	}
	free(v);
	free(tmp);
	free(k);
	return ok;
}

int main(void)
{
	CHECK(same_as_qsort(0, ~0ull, 0), "no items");
	CHECK(same_as_qsort(1, ~0ull, 0), "one item");
	CHECK(same_as_qsort(5000, ~0ull, 0), "keys over all eight bytes");
	CHECK(same_as_qsort(5000, 0xfffff, 0x1234500000000ull), "inode-like keys: high bytes shared");
	CHECK(same_as_qsort(5000, 0xf, 0), "many ties keep their input order");
	CHECK(same_as_qsort(3000, 0, 77), "every key equal: input order");
	CHECK(same_as_qsort(4097, 0xff00ff00ff00ff00ull, 0), "every other byte varies");
	CHECK(two_words(6000), "two words, least significant first: lexicographic and stable");
	return check_done();
}
