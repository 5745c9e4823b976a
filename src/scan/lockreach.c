/* lockreach.c - the files /proc/locks ties to some processes (see
 * lockreach.h).  The reached sets are kept sorted: a worker of a busy
 * machine has a hundred files open, /proc/locks thousands of lines. */
#include "scan/lockreach.h"
#include "scan/procfs.h"
#include "base/util.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROC_LOCKS_MAX (64u << 20)

void lock_lines_read(const char *procroot, struct lock_lines *out)
{
	char path[4096], *buf = NULL;
	size_t bad;
	ssize_t len;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "%s/locks", procroot);
	len = procfs_read_all_at(AT_FDCWD, path, PROC_LOCKS_MAX, &buf);
	if (len > 0)
		out->n = lock_lines_parse(buf, (size_t)len, &out->v, &bad);
	free(buf);
}

void lock_lines_free(struct lock_lines *l)
{
	if (!l)
		return;
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
	return (x > y) - (x < y);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* A sorted set, grown one pass at a time: what a pass adds is appended
 * (and looked up linearly, it is small), then merged in by a sort. */
struct set {
	void *v;
	size_t n, sorted, cap, size;
	int (*cmp)(const void *, const void *);
};

static bool set_has(const struct set *s, const void *x)
{
	size_t i;

	if (s->sorted && bsearch(x, s->v, s->sorted, s->size, s->cmp))
		return true;
	for (i = s->sorted; i < s->n; i++)
		if (s->cmp((const char *)s->v + i * s->size, x) == 0)
			return true;
	return false;
}

static void set_add(struct set *s, const void *x)
{
	grow_array(&s->v, &s->cap, s->n + 1, s->size);
	memcpy((char *)s->v + s->n++ * s->size, x, s->size);
}

static void set_settle(struct set *s)
{
	if (s->n)
		qsort(s->v, s->n, s->size, s->cmp);
	s->sorted = s->n;
}

size_t lock_reach_in(const struct lock_lines *l, const int *pids, size_t npids,
		     const unsigned long long *inos, size_t ninos, struct lock_file **out)
{
	struct set ino = { .size = sizeof(unsigned long long), .cmp = cmp_ull };
	struct set pid = { .size = sizeof(int), .cmp = cmp_int };
	const struct lock_line *v = l->v;
	size_t i, nout = 0, ocap = 0;
	bool grew;

	*out = NULL;
	if (!l->n)
		return 0;
	for (i = 0; i < ninos; i++)
		set_add(&ino, &inos[i]);
	for (i = 0; i < npids; i++)
		set_add(&pid, &pids[i]);
	set_settle(&ino);
	set_settle(&pid);
	do {
		grew = false;
		for (i = 0; i < l->n; i++) {
			bool ino_in, pid_in;
			if (!v[i].have_inode)
				continue;
			ino_in = set_has(&ino, &v[i].ino);
			pid_in = v[i].pid > 0 && set_has(&pid, &v[i].pid);
			if (ino_in && v[i].pid > 0 && !pid_in) {
				set_add(&pid, &v[i].pid);
				grew = true;
			} else if (pid_in && !ino_in) {
				set_add(&ino, &v[i].ino);
				grew = true;
			}
		}
		set_settle(&ino);
		set_settle(&pid);
	} while (grew);
	/* every line on a reached inode: its device too */
	for (i = 0; i < l->n; i++) {
		if (!v[i].have_inode || !set_has(&ino, &v[i].ino))
			continue;
		grow_array((void **)out, &ocap, nout + 1, sizeof(**out));
		(*out)[nout++] = (struct lock_file){ v[i].major, v[i].minor, v[i].ino };
	}
	free(ino.v);
	free(pid.v);
	return nout;
}

size_t lock_reach(const char *procroot, const int *pids, size_t npids,
		  const unsigned long long *inos, size_t ninos, struct lock_file **out)
{
	struct lock_lines l;
	size_t n;

	lock_lines_read(procroot, &l);
	n = lock_reach_in(&l, pids, npids, inos, ninos, out);
	lock_lines_free(&l);
	return n;
}
