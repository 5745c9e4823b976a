/* bpf_locks.c - a record's locks as fdinfo "lock:" lines would have parsed
 * (see bpf_locks.h).
 *
 * fdinfo numbers the lines of one fd from 1 in the order the program walks
 * them (flock list, then POSIX list); the device is the fd's own (the lock was
 * taken through this very file), printed by the kernel as its major and
 * minor; a waiter is never among an fd's lines. */
#include "scan/bpf_locks.h"
#include "base/util.h"

#include <sys/sysmacros.h>

static unsigned kind_bit(enum lk_kind k)
{
	return k == LK_OFD ? LOCK_OFD : k == LK_FLOCK ? LOCK_FLOCK : LOCK_POSIX;
}

void bpf_locks_details(const struct bpf_scan *s, const struct bpf_fd *r, struct fd_details *d)
{
	size_t i;

	if (!r->nlocks)
		return;
	d->lock_lines = xreallocarray(d->lock_lines, d->nlock_lines + r->nlocks, sizeof(*d->lock_lines));
	for (i = 0; i < r->nlocks; i++) {
		struct lock_line *x = &d->lock_lines[d->nlock_lines++];
		struct bpf_lock l;

		bpf_scan_lock(s, r, (unsigned)i, &l);
		*x = (struct lock_line){
			.id = (long long)i + 1,
			.kind = l.kind,
			.type = l.type,
			.pid = l.pid,
			.have_inode = true,
			.major = major(r->dev),
			.minor = minor(r->dev),
			.ino = r->ino,
			.start = l.start,
			.end = l.end,
		};
		d->nlocks++;
		d->lock_kinds |= kind_bit(x->kind);
		if (x->type == LK_WRITE)
			d->lock_write = true;
	}
}
