/* record.c - the neutral record's shared helpers (model.h): the access
 * mode's name, the status flags' names and the flags as the kernel would
 * print them; lookups of a description and a process; pinning a process
 * again; and model_set_ofds(), by which a source records descriptions
 * (source.h).  No source and no derivation lives here, so both sides can
 * use it without a circle. */
#include "model/record.h"
#include "scan/source.h"
#include "base/util.h"

#include <errno.h>
#include <stdlib.h>

#define K_ACCMODE 03u
#define K_CLOEXEC 02000000u
#define K_PATH    010000000u

const char *fd_access_name(const struct fd_entry *f)
{
	if (!f->have_facts)
		return "?";
	switch (f->access) {
	case ACCESS_R: return "r";
	case ACCESS_W: return "w";
	case ACCESS_RW: return "rw";
	case ACCESS_PATH: return "path";
	case ACCESS_UNKNOWN: break;
	}
	return "?";
}

unsigned fd_kernel_flags(const struct fd_entry *f)
{
	unsigned acc = f->access == ACCESS_R ? 0 : f->access == ACCESS_W ? 1
		: f->access == ACCESS_RW ? 2 : f->access == ACCESS_PATH ? K_PATH : K_ACCMODE;

	return f->status | acc | (f->cloexec ? K_CLOEXEC : 0);
}

size_t fd_flag_names(const struct fd_entry *f, const char **names, size_t max)
{
	static const struct { unsigned bit; const char *name; } table[] = {
		{ FDF_APPEND, "O_APPEND" }, { FDF_NONBLOCK, "O_NONBLOCK" },
		{ FDF_DSYNC, "O_DSYNC" }, { FDF_ASYNC, "O_ASYNC" },
		{ FDF_DIRECT, "O_DIRECT" }, { FDF_LARGEFILE, "O_LARGEFILE" },
		{ FDF_DIRECTORY, "O_DIRECTORY" }, { FDF_NOFOLLOW, "O_NOFOLLOW" },
		{ FDF_NOATIME, "O_NOATIME" }, { FDF_SYNC, "O_SYNC" },
		{ K_PATH, "O_PATH" }, { FDF_TMPFILE, "O_TMPFILE" },
	};
	unsigned flags = fd_kernel_flags(f);
	size_t i, n = 0;

	for (i = 0; i < ARRAY_LEN(table) && n < max; i++)
		if (flags & table[i].bit)
			names[n++] = table[i].name;
	return n;
}

const char *ofd_proof_name(enum ofd_proof p)
{
	switch (p) {
	case PROOF_KERNEL: return "kernel";
	case PROOF_KCMP: return "kcmp";
	case PROOF_NONE: break;
	}
	return "none";
}

int fd_cmp_holder(const void *x, const void *y)
{
	const struct fd_entry *a = *(struct fd_entry *const *)x, *b = *(struct fd_entry *const *)y;

	if (a->proc->pid != b->proc->pid)
		return a->proc->pid < b->proc->pid ? -1 : 1;
	return (a->fd > b->fd) - (a->fd < b->fd);
}

/* Whether v[0..n) is in fd_cmp_holder order already: the sources hand the
 * fds over process by process, so most groups are, and need no sort. */
static bool holders_sorted(struct fd_entry *const *v, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (fd_cmp_holder(&v[i - 1], &v[i]) > 0)
			return false;
	return true;
}

static int cmp_group_first(const void *x, const void *y)
{
	const struct ofd_group *a = x, *b = y;
	return fd_cmp_holder(&a->holders[0], &b->holders[0]);
}

void model_set_ofds(struct model *m, const struct ofd_item *items, size_t n,
		    const struct ofd_group_info *info, size_t ninfo, enum ofd_proof proven)
{
	size_t i, j, count = 0, total = 0;
	struct ofd_group *g = xcalloc(ninfo + 1, sizeof(*g));
	struct fd_entry **holders;

	/* every group's holders in one array (most groups hold one fd: one
	 * allocation each would cost more than the pointer) */
	for (i = 0; i < ninfo; i++)
		total += info[i].nmembers;
	holders = m->ofd_holders = xcalloc(total + 1, sizeof(*holders));
	for (i = 0; i < ninfo; i++) {
		g[i].proof = info[i].verified ? proven : PROOF_NONE;
		g[i].unverified_err = info[i].verified ? 0 : info[i].err;
		g[i].holders = holders;
		holders += info[i].nmembers;
	}
	for (i = 0; i < n; i++) {
		struct fd_entry *f = items[i].user;
		if (items[i].group < 0 || f->proc->gone)
			continue;
		g[items[i].group].holders[g[items[i].group].nholders++] = f;
	}
	for (i = 0; i < ninfo; i++) {
		if (!g[i].nholders)
			continue;
		if (!holders_sorted(g[i].holders, g[i].nholders))
			qsort(g[i].holders, g[i].nholders, sizeof(*g[i].holders), fd_cmp_holder);
		g[count++] = g[i];
	}
	qsort(g, count, sizeof(*g), cmp_group_first);
	for (i = 0; i < count; i++) {
		g[i].id = (int)i + 1;
		g[i].nprocs = 0;
		for (j = 0; j < g[i].nholders; j++) {
			struct fd_entry *f = g[i].holders[j];
			f->ofd = g[i].id;
			f->in_shared_ofd = g[i].nholders > 1;
			if (j == 0 || g[i].holders[j - 1]->proc != f->proc)
				g[i].nprocs++;
		}
	}
	m->ofds = g;
	m->nofds = count;
}

int model_pin_again(const struct model *m, const struct process *p, struct pid_dir *dir)
{
	return procfs_pin_again(m->procroot, p->pid, p->start_time, dir);
}

bool model_short_of_resource(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOMEM;
}

const struct ofd_group *model_ofd(const struct model *m, int id)
{
	return id >= 1 && (size_t)id <= m->nofds ? &m->ofds[id - 1] : NULL;
}

static int cmp_pid_key(const void *key, const void *elem)
{
	int pid = *(const int *)key;
	const struct process *p = elem;
	return (pid > p->pid) - (pid < p->pid);
}

const struct process *model_process(const struct model *m, int pid)
{
	return bsearch(&pid, m->procs, m->nprocs, sizeof(*m->procs), cmp_pid_key);
}
