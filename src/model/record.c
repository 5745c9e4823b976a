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

/* Every live fd's f->ofd holds its group's number (1..ngroups, 0 none):
 * make m->ofds of the groups some fd holds, numbered by their first holder,
 * each one's holders by pid, then fd, in one array.  The processes come by
 * pid and their fds by number (source.h), so one walk meets every group's
 * holders in that order and its first holder first: no sort. */
void model_set_ofd_numbers(struct model *m, size_t ngroups, const struct ofd_group_info *info,
			   enum ofd_proof proven)
{
	size_t *slot = xcalloc(ngroups + 1, sizeof(*slot));
	int *id = xcalloc(ngroups + 1, sizeof(*id));
	struct ofd_group *g = xcalloc(ngroups + 1, sizeof(*g));
	struct fd_entry **holders;
	size_t i, j, k, count = 0, total = 0, next = 0;

	for (i = 0; i < m->nprocs; i++)
		for (j = 0; j < m->procs[i].nfds; j++) {
			struct fd_entry *f = &m->procs[i].fds[j];
			if (m->procs[i].gone || f->ofd <= 0 || (size_t)f->ofd > ngroups) {
				f->ofd = 0;
				continue;
			}
			slot[f->ofd - 1]++;
			total++;
		}
	holders = m->ofd_holders = xcalloc(total + 1, sizeof(*holders));
	for (i = 0; i < m->nprocs; i++)
		for (j = 0; j < m->procs[i].nfds; j++) {
			struct fd_entry *f = &m->procs[i].fds[j];
			if (!f->ofd)
				continue;
			k = (size_t)f->ofd - 1;
			if (!id[k]) {
				/* the group's first holder: its number and its place */
				bool verified = !info || info[k].verified;
				struct ofd_group *n = &g[count++];
				n->id = id[k] = (int)count;
				n->proof = verified ? proven : PROOF_NONE;
				n->unverified_err = verified ? 0 : info[k].err;
				n->holders = holders + next;
				n->nholders = slot[k];
				slot[k] = next;
				next += n->nholders;
			}
			holders[slot[k]++] = f;
			f->ofd = id[k];
		}
	for (i = 0; i < count; i++)
		for (j = 0; j < g[i].nholders; j++) {
			struct fd_entry *f = g[i].holders[j];
			f->in_shared_ofd = g[i].nholders > 1;
			if (j == 0 || g[i].holders[j - 1]->proc != f->proc)
				g[i].nprocs++;
		}
	free(slot);
	free(id);
	m->ofds = g;
	m->nofds = count;
}

void model_set_ofds(struct model *m, const struct ofd_item *items, size_t n,
		    const struct ofd_group_info *info, size_t ninfo, enum ofd_proof proven)
{
	size_t i, j;

	for (i = 0; i < m->nprocs; i++)
		for (j = 0; j < m->procs[i].nfds; j++)
			m->procs[i].fds[j].ofd = 0;
	for (i = 0; i < n; i++)
		if (items[i].group >= 0)
			((struct fd_entry *)items[i].user)->ofd = items[i].group + 1;
	model_set_ofd_numbers(m, ninfo, info, proven);
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
