/* findings_build.c - building finding records, the words messages are
 * made of, and what several rules ask of the model (findings_rules.h). */
#include "findings/findings_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building a finding ---- */

struct finding *finding_new(struct findings *out, const struct rule *r, enum severity sev)
{
	struct finding *f;

	out->v = xreallocarray(out->v, out->n + 1, sizeof(*out->v));
	f = &out->v[out->n++];
	memset(f, 0, sizeof(*f));
	f->code = r->code;
	f->severity = sev;
	return f;
}

void finding_pid(struct finding *f, int pid)
{
	f->pids = xreallocarray(f->pids, f->npids + 1, sizeof(*f->pids));
	f->pids[f->npids++] = pid;
}

void finding_fd(struct finding *f, const struct fd_entry *e)
{
	f->fds = xreallocarray(f->fds, f->nfds + 1, sizeof(*f->fds));
	f->fds[f->nfds].pid = e->proc->pid;
	f->fds[f->nfds++].fd = e->fd;
	finding_pid(f, e->proc->pid);
}

static struct evidence *new_ev(struct finding *f, const char *key)
{
	struct evidence *e;

	f->ev = xreallocarray(f->ev, f->nev + 1, sizeof(*f->ev));
	e = &f->ev[f->nev++];
	memset(e, 0, sizeof(*e));
	e->key = key;
	return e;
}

void finding_num(struct finding *f, const char *key, long long v)
{
	struct evidence *e = new_ev(f, key);

	e->is_number = true;
	e->number = v;
}

/* Raw bytes (s may be NULL: null). */
void finding_bytes(struct finding *f, const char *key, const char *s, size_t len)
{
	struct evidence *e = new_ev(f, key);

	if (s) {
		e->text = xmemdup0(s, len);
		e->len = len;
	}
}

void finding_str(struct finding *f, const char *key, const char *s)
{
	finding_bytes(f, key, s, s ? strlen(s) : 0);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

int cmp_fd_ref(const void *a, const void *b)
{
	const struct fd_ref *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

int cmp_file_id(const struct fd_entry *a, const struct fd_entry *b)
{
	if (a->st_dev != b->st_dev)
		return a->st_dev < b->st_dev ? -1 : 1;
	return (a->ino > b->ino) - (a->ino < b->ino);
}

bool one_file(const struct fd_entry *a, const struct fd_entry *b)
{
	return cmp_file_id(a, b) == 0;
}

/* Sort pids and fds and drop repeats. */
void finding_done(struct finding *f)
{
	size_t i, n;

	if (f->npids)
		qsort(f->pids, f->npids, sizeof(*f->pids), cmp_int);
	for (i = n = 0; i < f->npids; i++)
		if (n == 0 || f->pids[n - 1] != f->pids[i])
			f->pids[n++] = f->pids[i];
	f->npids = n;
	if (f->nfds)
		qsort(f->fds, f->nfds, sizeof(*f->fds), cmp_fd_ref);
	for (i = n = 0; i < f->nfds; i++)
		if (n == 0 || cmp_fd_ref(&f->fds[n - 1], &f->fds[i]) != 0)
			f->fds[n++] = f->fds[i];
	f->nfds = n;
}

/* ---- words ---- */

/* "1234 (comm)" with the raw comm. */
void say_proc(struct strbuf *sb, const struct process *p)
{
	sb_printf(sb, "%d (%s)", p->pid, p->comm);
}

/* The holders of g by process and fd ("1 (a) fd 3, 2 (b) fd 3"), at most
 * NAMES_LISTED, then how many more. */
void say_holders(struct strbuf *sb, const struct ofd_group *g)
{
	size_t i;

	for (i = 0; i < g->nholders && i < NAMES_LISTED; i++) {
		if (i)
			sb_adds(sb, i + 1 == g->nholders ? " and " : ", ");
		say_proc(sb, g->holders[i]->proc);
		sb_printf(sb, " fd %d", g->holders[i]->fd);
	}
	if (g->nholders > NAMES_LISTED)
		sb_printf(sb, " and %zu more", g->nholders - NAMES_LISTED);
}

void say_target(struct strbuf *sb, const struct fd_entry *f)
{
	if (f->target)
		sb_add(sb, f->target, f->target_len);
	else
		sb_adds(sb, "?");
}

/* "2.0 MiB" */
void say_size(struct strbuf *sb, unsigned long long n)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)n;
	size_t u = 0;

	if (n < 1024) {
		sb_printf(sb, "%llu bytes", n);
		return;
	}
	for (v /= 1024; v >= 1024 && u + 1 < ARRAY_LEN(units); u++)
		v /= 1024;
	sb_printf(sb, "%.1f %s", v, units[u]);
}

void finding_message(struct finding *f, struct strbuf *sb)
{
	f->message = sb_detach(sb);
}

void finding_hint(struct finding *f, struct strbuf *sb)
{
	f->hint = sb_detach(sb);
}

/* ---- helpers over the model ---- */

static int cmp_fd_key(const void *key, const void *elem)
{
	int fd = *(const int *)key;
	const struct fd_entry *e = elem;
	return (fd > e->fd) - (fd < e->fd);
}

/* p's fd number fd, or NULL (p->fds is in fd order). */
const struct fd_entry *fd_numbered(const struct process *p, int fd)
{
	return p->nfds ? bsearch(&fd, p->fds, p->nfds, sizeof(*p->fds), cmp_fd_key) : NULL;
}

/* Length of link text s[0..n) without a trailing " (deleted)". */
size_t undeleted_len(const char *s, size_t n)
{
	static const char del[] = " (deleted)";
	size_t d = sizeof(del) - 1;

	return n > d && memcmp(s + n - d, del, d) == 0 ? n - d : n;
}

/* Length of the exe link without " (deleted)": a binary replaced on disk
 * is still the program its processes run. */
static size_t exe_len(const struct process *p)
{
	return undeleted_len(p->exe, p->exe_len);
}

bool same_program(const struct process *a, const struct process *b)
{
	size_t n = exe_len(a);
	return n == exe_len(b) && memcmp(a->exe, b->exe, n) == 0;
}

/* Descriptions that several processes share, as kcmp proved it. */
bool proven_shared(const struct ofd_group *g)
{
	return ofd_proven(g) && g->nprocs > 1;
}


enum severity severity_by(const struct findings_config *c, enum threshold t,
			  double value, enum severity below)
{
	if (c->crit[t] >= 0 && value >= c->crit[t])
		return SEV_CRITICAL;
	if (c->warn[t] >= 0 && value >= c->warn[t])
		return SEV_WARNING;
	return below;
}

/* Whether p holds description ofd. */
bool holds_ofd(const struct process *p, int ofd)
{
	size_t j;

	for (j = 0; j < p->nfds; j++)
		if (p->fds[j].ofd == ofd)
			return true;
	return false;
}

/* Whether an ancestor of p holds description ofd: p got it by fork. */
const struct process *holding_ancestor(const struct model *m, const struct process *p, int ofd)
{
	int depth;

	for (depth = 0; depth < ANCESTRY_MAX && p->ppid > 0; depth++) {
		p = model_process(m, p->ppid);
		if (!p)
			return NULL;
		if (!p->gone && holds_ofd(p, ofd))
			return p;
	}
	return NULL;
}

bool ancestor_holds(const struct model *m, const struct process *p, int ofd)
{
	return holding_ancestor(m, p, ofd) != NULL;
}

bool is_ancestor(const struct model *m, const struct process *a, const struct process *p)
{
	int depth;

	for (depth = 0; depth < ANCESTRY_MAX && p->ppid > 0; depth++) {
		if (p->ppid == a->pid)
			return true;
		if (!(p = model_process(m, p->ppid)))
			return false;
	}
	return false;
}

bool waits_on_fdshare(const struct model *m, const struct process *p)
{
	const struct process *parent;

	if (m->self_parent <= 0)
		return false;
	if (p->pid == m->self_parent)
		return true;
	parent = model_process(m, m->self_parent);
	return parent && is_ancestor(m, p, parent);
}

static bool name_in(const char *s, size_t n, const char *const *names, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
			return true;
	return false;
}

/* Whether p runs one of names[0..count): its executable's file name, or its
 * command name when that is unknown or busybox (whose applets share one). */
static bool runs_one_of(const struct process *p, const char *const *names, size_t count)
{
	const char *base;
	size_t n;

	if (p->exe) {
		n = exe_len(p);
		for (base = p->exe + n; base > p->exe && base[-1] != '/'; base--)
			;
		n -= (size_t)(base - p->exe);
		if (!(n == 7 && memcmp(base, "busybox", 7) == 0))
			return name_in(base, n, names, count);
	}
	return p->comm && name_in(p->comm, strlen(p->comm), names, count);
}

static const char *const shells[] = {
	"sh", "bash", "rbash", "dash", "zsh", "ksh", "ksh93", "mksh", "pdksh", "oksh",
	"ash", "yash", "posh", "lksh",
};

bool is_shell(const struct process *p)
{
	return runs_one_of(p, shells, ARRAY_LEN(shells));
}

bool hands_fds_on_purpose(const struct process *p)
{
	static const char *const flock[] = { "flock" };

	return is_shell(p) || runs_one_of(p, flock, 1);
}

void for_each_fd_run(const struct rule_ctx *x, bool (*keep)(const struct fd_entry *f),
		     int (*cmp)(const void *a, const void *b),
		     bool (*same)(const struct fd_entry *a, const struct fd_entry *b),
		     void (*each)(const struct rule_ctx *x, struct fd_entry **v, size_t n))
{
	const struct model *m = x->m;
	struct fd_entry **v = NULL;
	size_t i, j, n = 0, cap = 0, start;

	for (i = 0; i < m->nprocs; i++)
		for (j = 0; j < m->procs[i].nfds && !m->procs[i].gone; j++)
			if (keep(&m->procs[i].fds[j])) {
				grow_array((void **)&v, &cap, n + 1, sizeof(*v));
				v[n++] = &m->procs[i].fds[j];
			}
	if (n)
		qsort(v, n, sizeof(*v), cmp);
	for (start = 0, i = 1; i <= n; i++)
		if (i == n || !same(v[start], v[i])) {
			each(x, v + start, i - start);
			start = i;
		}
	free(v);
}
