/* radix.h - a stable sort of records by an unsigned 64-bit key, in linear
 * time: what replaces qsort where the model orders tens of thousands of
 * fds by inode or mount (a comparator that follows pointers misses the
 * cache on every call).
 *
 * A key of several words sorts word by word, least significant first: each
 * pass is stable, so the order of the more significant word wins and ties
 * keep the order of the less significant one (and, in the end, the caller's
 * own order: fds handed over by holder stay by holder). */
#ifndef FDSHARE_RADIX_H
#define FDSHARE_RADIX_H

#include <stddef.h>

struct radix_item {
	unsigned long long key;
	void *p;                  /* the caller's record */
};

/* Sort v[0..n) by key, stably (equal keys keep their order), with tmp as
 * scratch of n items.  Byte positions every key shares cost nothing. */
void radix_sort(struct radix_item *v, struct radix_item *tmp, size_t n);

#endif
