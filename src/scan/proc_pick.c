/* proc_pick.c - which fds the /proc source groups for -p (see proc_pick.h). */
#include "scan/proc_pick.h"
#include "scan/lockreach.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

/* A file: (mount, inode), or an anon inode's whole bucket key. */
struct file_key {
	unsigned long long k[OFD_KEY_WORDS];
};

static int cmp_key(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct file_key));
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
	return (x > y) - (x < y);
}

static void key_of(const struct ofd_item *it, struct file_key *k)
{
	const struct fd_entry *f = it->user;

	memset(k, 0, sizeof(*k));
	if (kind_class(f->kind) == KC_ANON) {
		memcpy(k->k, it->key, sizeof(k->k));
	} else {
		k->k[0] = (unsigned)f->mnt_id;
		k->k[1] = f->ino;
	}
}

/* A pty's master (/dev/ptmx, 5:2) or slave (the majors of /dev/pts): its
 * other side is another file. */
static bool pty_side(const struct fd_entry *f)
{
	unsigned maj;

	if (f->kind != KIND_CHR || !f->have_stat)
		return false;
	maj = major(f->st_rdev);
	return (maj == 5 && minor(f->st_rdev) == 2) || (maj >= 136 && maj <= 143);
}

size_t proc_pick_items(const struct model *m, struct ofd_item *items, size_t n)
{
	struct file_key *keys = NULL, k;
	unsigned long long *inos = NULL, *locked;
	struct lock_file *lf;
	int *pids = NULL;
	size_t nkeys = 0, kcap = 0, ninos = 0, icap = 0, npids = 0, pcap = 0, nlf, i, kept = 0;

	for (i = 0; i < m->nprocs; i++)
		if (m->procs[i].selected) {
			grow_array((void **)&pids, &pcap, npids + 1, sizeof(*pids));
			pids[npids++] = m->procs[i].pid;
		}
	for (i = 0; i < n; i++) {
		const struct fd_entry *f = items[i].user;
		if (!f->proc->selected)
			continue;
		grow_array((void **)&keys, &kcap, nkeys + 1, sizeof(*keys));
		key_of(&items[i], &keys[nkeys++]);
		grow_array((void **)&inos, &icap, ninos + 1, sizeof(*inos));
		inos[ninos++] = f->ino;
	}
	nlf = lock_reach(m->procroot, pids, npids, inos, ninos, &lf);
	locked = xcalloc(nlf + 1, sizeof(*locked));
	for (i = 0; i < nlf; i++)
		locked[i] = lf[i].ino;
	if (nkeys)
		qsort(keys, nkeys, sizeof(*keys), cmp_key);
	if (nlf)
		qsort(locked, nlf, sizeof(*locked), cmp_ull);
	for (i = 0; i < n; i++) {
		const struct fd_entry *f = items[i].user;
		bool keep = f->proc->selected || pty_side(f);
		if (!keep) {
			key_of(&items[i], &k);
			keep = (nkeys && bsearch(&k, keys, nkeys, sizeof(k), cmp_key)) ||
				(nlf && bsearch(&f->ino, locked, nlf, sizeof(*locked), cmp_ull));
		}
		if (keep)
			items[kept++] = items[i];
	}
	free(keys);
	free(inos);
	free(locked);
	free(lf);
	free(pids);
	return kept;
}
