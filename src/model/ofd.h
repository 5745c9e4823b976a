/* ofd.h - group fds by open file description: a cheap key, then kcmp order.
 *
 * Kept apart from /proc and from the model so it can be tested with a fake
 * comparator (tests/unit/unit_ofd.c); model.c supplies kcmp(KCMP_FILE). */
#ifndef FDSHARE_OFD_H
#define FDSHARE_OFD_H

#include <stdbool.h>
#include <stddef.h>

#define OFD_KEY_WORDS 4
#define OFD_CMP_ERROR (-1000)

struct ofd_item {
	/* Fds with different keys can never share a description (the caller
	 * builds the key from what fdinfo proves: mnt_id, ino, access mode ...). */
	unsigned long long key[OFD_KEY_WORDS];
	/* A hint, never a proof: fds of one description mostly show equal
	 * pos and status flags when read close together, so inside a bucket
	 * the representative with an equal hint is asked first.  A hint that
	 * lies (the offset moved between two reads) costs calls, not truth. */
	unsigned long long hint;
	int pid, fd;
	void *user;              /* the caller's record */
	int group;               /* out: index into the groups array, -1 = dropped (gone) */
};

struct ofd_group_info {
	bool verified;           /* every member proven equal by the comparator */
	int err;                 /* for unverified groups: EPERM, ENOSYS, ESRCH; -1 = comparator disabled */
	size_t nmembers;
};

struct ofd_ops {
	/* Compare two fds' descriptions: 0 same, <0 / >0 a consistent order, or
	 * OFD_CMP_ERROR with *err set (EPERM/EACCES: not allowed to compare this
	 * pid; ESRCH: process gone; EBADF: fd closed; ENOSYS: no kcmp). */
	int (*cmp)(const struct ofd_item *a, const struct ofd_item *b, int *err, void *ctx);
	void *ctx;
	bool enabled;            /* false: never call cmp, every multi-fd bucket is unverified */
	unsigned threads;        /* buckets grouped on this many threads (0 or 1: the
	                            caller's alone); cmp must then be thread-safe */
	unsigned long long calls;  /* out: comparator calls made */
	bool saw_eperm, saw_enosys;  /* out */
};

/* Assign every item a group (items[i].group) so that two items share a group
 * exactly when the comparator said they are the same description, or - where
 * it could not be asked - when they share a key (such groups are unverified).
 * The items array is reordered (sorted by key, pid, fd).  *groups gets a
 * malloc'd array (caller frees) of *ngroups entries, in no particular order
 * (which thread grouped what moves them; the partition stays).  O(n log n)
 * comparator calls, never all pairs; one call for an fd whose hint names its
 * description (a file every process inherited, a dup), about log2(k) for
 * one of k descriptions of one file opened separately, which is what proving
 * them apart takes (log2(k!) comparisons for k, whatever the method). */
void ofd_group_items(struct ofd_item *items, size_t n, struct ofd_ops *ops,
		     struct ofd_group_info **groups, size_t *ngroups);

#endif
