/* findings.c - the rule table, the rules, and the configuration that
 * tunes them (see findings.h).
 *
 * Every rule states what it proves and which look-alikes it leaves alone:
 * a finding an admin learns to ignore is worse than none.
 *
 *  exec-leak            an fd > 2 without close-on-exec, held through the
 *                       same number by the nearest ancestor that holds its
 *                       description (also without close-on-exec), in a
 *                       process that runs another program than that
 *                       ancestor: it crossed an exec by accident.  Not: fds
 *                       0-2 (inherited on purpose), a forked child of the
 *                       same program (prefork servers), a description the
 *                       parent keeps close-on-exec or hands over on another
 *                       number (socket activation, "cmd 3<&5").
 *  shared-offset-write  a regular file's description open for writing
 *                       without O_APPEND, held by several processes: one
 *                       offset for all.  Info only when every holder has it
 *                       as fd 0-2 (a job's redirected output, written in turn).
 *  deleted-open         a deleted regular file still open (memfd and
 *                       anonymous inodes are not files that were deleted).
 *  fd-limit             open fds against the soft RLIMIT_NOFILE.
 *  nonblock-shared      O_NONBLOCK on a description that processes running
 *                       different programs share (one program's fcntl is
 *                       the other's surprise EAGAIN); workers of one program
 *                       sharing a non-blocking socket do that by design.
 *  zombie, reparented   from the tree (tree.h): zombies by parent with the
 *                       reason, processes proven re-parented. */
#include "findings.h"
#include "endpoint.h"
#include "fd.h"
#include "tree.h"
#include "util.h"
#include "waits.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#define ANCESTRY_MAX 4096      /* a ppid chain longer than this is a race, not a tree */
#define NAMES_LISTED 4         /* holders named in a message; the fds list has all */

struct rule {
	const char *code;
	enum severity severity;
	void (*check)(const struct model *m, const struct findings_config *c,
		      const struct rule *r, struct findings *out);
};

/* ---- building a finding ---- */

static struct finding *new_finding(struct findings *out, const struct rule *r, enum severity sev)
{
	struct finding *f;

	out->v = xreallocarray(out->v, out->n + 1, sizeof(*out->v));
	f = &out->v[out->n++];
	memset(f, 0, sizeof(*f));
	f->code = r->code;
	f->severity = sev;
	return f;
}

static void add_pid(struct finding *f, int pid)
{
	f->pids = xreallocarray(f->pids, f->npids + 1, sizeof(*f->pids));
	f->pids[f->npids++] = pid;
}

static void add_fd(struct finding *f, const struct fd_entry *e)
{
	f->fds = xreallocarray(f->fds, f->nfds + 1, sizeof(*f->fds));
	f->fds[f->nfds].pid = e->proc->pid;
	f->fds[f->nfds++].fd = e->fd;
	add_pid(f, e->proc->pid);
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

static void ev_num(struct finding *f, const char *key, long long v)
{
	struct evidence *e = new_ev(f, key);

	e->is_number = true;
	e->number = v;
}

/* Raw bytes (s may be NULL: null). */
static void ev_bytes(struct finding *f, const char *key, const char *s, size_t len)
{
	struct evidence *e = new_ev(f, key);

	if (s) {
		e->text = xmemdup0(s, len);
		e->len = len;
	}
}

static void ev_str(struct finding *f, const char *key, const char *s)
{
	ev_bytes(f, key, s, s ? strlen(s) : 0);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int cmp_ref(const void *a, const void *b)
{
	const struct fd_ref *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

/* Sort pids and fds and drop repeats. */
static void finish(struct finding *f)
{
	size_t i, n;

	if (f->npids)
		qsort(f->pids, f->npids, sizeof(*f->pids), cmp_int);
	for (i = n = 0; i < f->npids; i++)
		if (n == 0 || f->pids[n - 1] != f->pids[i])
			f->pids[n++] = f->pids[i];
	f->npids = n;
	if (f->nfds)
		qsort(f->fds, f->nfds, sizeof(*f->fds), cmp_ref);
	for (i = n = 0; i < f->nfds; i++)
		if (n == 0 || cmp_ref(&f->fds[n - 1], &f->fds[i]) != 0)
			f->fds[n++] = f->fds[i];
	f->nfds = n;
}

/* ---- words ---- */

/* "1234 (comm)" with the raw comm. */
static void proc_words(struct strbuf *sb, const struct process *p)
{
	sb_printf(sb, "%d (%s)", p->pid, p->comm);
}

/* The holders of g by process and fd ("1 (a) fd 3, 2 (b) fd 3"), at most
 * NAMES_LISTED, then how many more. */
static void holders_words(struct strbuf *sb, const struct ofd_group *g)
{
	size_t i;

	for (i = 0; i < g->nholders && i < NAMES_LISTED; i++) {
		if (i)
			sb_adds(sb, i + 1 == g->nholders ? " and " : ", ");
		proc_words(sb, g->holders[i]->proc);
		sb_printf(sb, " fd %d", g->holders[i]->fd);
	}
	if (g->nholders > NAMES_LISTED)
		sb_printf(sb, " and %zu more", g->nholders - NAMES_LISTED);
}

static void target_words(struct strbuf *sb, const struct fd_entry *f)
{
	if (f->target)
		sb_add(sb, f->target, f->target_len);
	else
		sb_adds(sb, "?");
}

/* "2.0 MiB" */
static void size_words(struct strbuf *sb, unsigned long long n)
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

static void set_message(struct finding *f, struct strbuf *sb)
{
	f->message = sb_detach(sb);
}

static void set_hint(struct finding *f, struct strbuf *sb)
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
static const struct fd_entry *fd_of(const struct process *p, int fd)
{
	return p->nfds ? bsearch(&fd, p->fds, p->nfds, sizeof(*p->fds), cmp_fd_key) : NULL;
}

/* Length of link text s[0..n) without a trailing " (deleted)". */
static size_t undeleted_len(const char *s, size_t n)
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

static bool same_program(const struct process *a, const struct process *b)
{
	size_t n = exe_len(a);
	return n == exe_len(b) && memcmp(a->exe, b->exe, n) == 0;
}

/* Descriptions that several processes share, as kcmp proved it. */
static bool proven_shared(const struct ofd_group *g)
{
	return g->verified && g->nprocs > 1;
}

/* ---- exec-leak ---- */

/* The nearest ancestor's fd that holds f's description through f's own
 * number: where f came from by fork.  NULL when no ancestor has it. */
static const struct fd_entry *inherited_from(const struct model *m, const struct fd_entry *f)
{
	const struct process *p = f->proc;
	const struct fd_entry *a;
	int depth;

	for (depth = 0; depth < ANCESTRY_MAX && p->ppid > 0; depth++) {
		p = model_process(m, p->ppid);
		if (!p)
			return NULL;
		if (p->gone)
			continue;
		a = fd_of(p, f->fd);
		if (a && a->ofd == f->ofd)
			return a;
	}
	return NULL;
}

/* Whether f crossed an exec by accident: see the top of this file. */
static const struct fd_entry *leak_source(const struct model *m, const struct fd_entry *f)
{
	const struct fd_entry *a;

	if (f->fd <= 2 || !f->info.have_basic || fd_cloexec(f) || !f->proc->exe || !f->ofd)
		return NULL;
	a = inherited_from(m, f);
	if (!a || fd_cloexec(a) || !a->proc->exe || same_program(a->proc, f->proc))
		return NULL;
	return a;
}

struct leak { const struct fd_entry *from, *to; };

/* The source to name for the leaks v[0..n) of one description: one that did
 * not itself get the fd by a leak (the top of a chain parent -> child ->
 * grandchild), the first such by pid. */
static const struct fd_entry *leak_root(const struct leak *v, size_t n)
{
	const struct fd_entry *root = v[0].from;
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < n && v[k].to != v[i].from; k++)
			;
		if (k == n && (root == v[0].from || v[i].from->proc->pid < root->proc->pid))
			root = v[i].from;
	}
	return root;
}

/* One finding for the leaks v[0..n) of one description. */
static void report_leak(struct findings *out, const struct rule *r, const struct leak *v, size_t n)
{
	const struct fd_entry *src = leak_root(v, n);
	struct finding *f = new_finding(out, r, r->severity);
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	sb_printf(&sb, "fd %d (", src->fd);
	target_words(&sb, src);
	sb_adds(&sb, ") of ");
	proc_words(&sb, src->proc);
	sb_adds(&sb, " has no close-on-exec and leaked across exec into ");
	for (i = 0; i < n && i < NAMES_LISTED; i++) {
		if (i)
			sb_adds(&sb, i + 1 == n ? " and " : ", ");
		proc_words(&sb, v[i].to->proc);
	}
	if (n > NAMES_LISTED)
		sb_printf(&sb, " and %zu more", n - NAMES_LISTED);
	sb_adds(&sb, n == 1 ? ", which runs another program and still holds it"
		    : ", which run other programs and still hold it");
	set_message(f, &sb);
	sb_adds(&sb, "open it with O_CLOEXEC (or set FD_CLOEXEC) in ");
	proc_words(&sb, src->proc);
	sb_adds(&sb, ", or close it in the child between fork and exec; to hand an fd to a "
		"program on purpose, dup2() it onto the number that program expects");
	set_hint(f, &sb);
	for (i = 0; i < n; i++) {
		add_fd(f, v[i].from);
		add_fd(f, v[i].to);
	}
	ev_num(f, "ofd", src->ofd);
	ev_bytes(f, "target", src->target, src->target_len);
	ev_num(f, "source_pid", src->proc->pid);
	ev_bytes(f, "source_exe", src->proc->exe, src->proc->exe_len);
	ev_bytes(f, "holder_exe", v[0].to->proc->exe, v[0].to->proc->exe_len);
	ev_num(f, "leaked_into", (long long)n);
	finish(f);
}

/* One finding per description that crossed an exec by accident into one or
 * more processes; each holder is compared with its nearest holding ancestor. */
static void check_exec_leak(const struct model *m, const struct findings_config *c,
			    const struct rule *r, struct findings *out)
{
	struct leak *v = NULL;
	size_t i, j, n, cap = 0;

	(void)c;
	for (i = 0; i < m->nofds; i++) {
		const struct ofd_group *g = &m->ofds[i];
		if (!proven_shared(g))
			continue;
		for (n = 0, j = 0; j < g->nholders; j++) {
			const struct fd_entry *src = leak_source(m, g->holders[j]);
			if (!src)
				continue;
			grow_array((void **)&v, &cap, n + 1, sizeof(*v));
			v[n].from = src;
			v[n++].to = g->holders[j];
		}
		if (n)
			report_leak(out, r, v, n);
	}
	free(v);
}

/* ---- shared-offset-write ---- */

static void check_shared_offset_write(const struct model *m, const struct findings_config *c,
				      const struct rule *r, struct findings *out)
{
	size_t i, j;

	(void)c;
	for (i = 0; i < m->nofds; i++) {
		const struct ofd_group *g = &m->ofds[i];
		const struct fd_entry *h = g->holders[0];
		bool beyond_stdio = false;
		struct finding *f;
		struct strbuf sb;

		if (!proven_shared(g) || h->type != FD_REG || !fd_writable(h) || fd_append(h))
			continue;
		for (j = 0; j < g->nholders; j++)
			beyond_stdio |= g->holders[j]->fd > 2;
		f = new_finding(out, r, beyond_stdio ? r->severity : SEV_INFO);
		sb_init(&sb);
		target_words(&sb, h);
		sb_printf(&sb, " is open for writing without O_APPEND in one open file description "
			  "that %d processes share (", g->nprocs);
		holders_words(&sb, g);
		sb_adds(&sb, "): they move one offset, so a seek and a write in one can overwrite "
			"or split another's writes");
		set_message(f, &sb);
		sb_adds(&sb, "open the file in each process (each then has its own offset) with "
			"O_APPEND for logs, or write with pwrite(2) at offsets each process owns");
		set_hint(f, &sb);
		for (j = 0; j < g->nholders; j++)
			add_fd(f, g->holders[j]);
		ev_num(f, "ofd", g->id);
		ev_bytes(f, "target", h->target, h->target_len);
		ev_str(f, "mode", fd_mode_name(h));
		ev_num(f, "pos", (long long)h->info.pos);
		ev_num(f, "processes", g->nprocs);
		finish(f);
	}
}

/* ---- deleted-open ---- */

static int cmp_file(const void *x, const void *y)
{
	const struct fd_entry *a = *(struct fd_entry *const *)x, *b = *(struct fd_entry *const *)y;
	struct fd_ref ra = { a->proc->pid, a->fd }, rb = { b->proc->pid, b->fd };

	if (a->st_dev != b->st_dev)
		return a->st_dev < b->st_dev ? -1 : 1;
	if (a->info.ino != b->info.ino)
		return a->info.ino < b->info.ino ? -1 : 1;
	return cmp_ref(&ra, &rb);
}

static enum severity by_threshold(const struct findings_config *c, enum threshold t,
				  double value, enum severity below)
{
	if (c->crit[t] >= 0 && value >= c->crit[t])
		return SEV_CRITICAL;
	if (c->warn[t] >= 0 && value >= c->warn[t])
		return SEV_WARNING;
	return below;
}

/* One finding for the fds v[0..n) of one deleted file. */
static void report_deleted(const struct findings_config *c, const struct rule *r,
			   struct fd_entry **v, size_t n, struct findings *out)
{
	unsigned long long size = (unsigned long long)v[0]->st_size;
	struct finding *f = new_finding(out, r, by_threshold(c, TH_DELETED_SIZE, (double)size, r->severity));
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	sb_add(&sb, v[0]->target, undeleted_len(v[0]->target, v[0]->target_len));
	sb_adds(&sb, " was deleted but is still open in ");
	for (i = 0; i < n && i < NAMES_LISTED; i++) {
		if (i)
			sb_adds(&sb, i + 1 == n ? " and " : ", ");
		proc_words(&sb, v[i]->proc);
		sb_printf(&sb, " fd %d", v[i]->fd);
	}
	if (n > NAMES_LISTED)
		sb_printf(&sb, " and %zu more", n - NAMES_LISTED);
	sb_adds(&sb, ": its ");
	size_words(&sb, size);
	sb_adds(&sb, n == 1 ? " stay in use until that fd is closed"
		    : " stay in use until the last of these fds is closed");
	set_message(f, &sb);
	sb_printf(&sb, "make the holder close or reopen it (restart it, or send the signal "
		  "its logrotate postrotate script sends), or free the space now by truncating "
		  "it: : > /proc/%d/fd/%d", v[0]->proc->pid, v[0]->fd);
	set_hint(f, &sb);
	for (i = 0; i < n; i++)
		add_fd(f, v[i]);
	ev_bytes(f, "target", v[0]->target, v[0]->target_len);
	ev_num(f, "size", (long long)size);
	ev_num(f, "ino", (long long)v[0]->info.ino);
	finish(f);
}

static void check_deleted_open(const struct model *m, const struct findings_config *c,
			       const struct rule *r, struct findings *out)
{
	struct fd_entry **v = NULL;
	size_t i, j, n = 0, cap = 0, start;

	for (i = 0; i < m->nprocs; i++) {
		const struct process *p = &m->procs[i];
		for (j = 0; j < p->nfds && !p->gone; j++) {
			struct fd_entry *f = &p->fds[j];
			/* type reg needs a stat: nlink 0 was seen, not only a name */
			if (!f->deleted || f->type != FD_REG || !f->have_stat)
				continue;
			grow_array((void **)&v, &cap, n + 1, sizeof(*v));
			v[n++] = f;
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_file);
	for (start = 0, i = 1; i <= n; i++)
		if (i == n || v[i]->st_dev != v[start]->st_dev || v[i]->info.ino != v[start]->info.ino) {
			report_deleted(c, r, v + start, i - start, out);
			start = i;
		}
	free(v);
}

/* ---- fd-limit ---- */

double fd_limit_percent(const struct process *p)
{
	if (p->gone || p->err || !p->have_nofile || p->nofile.soft_unlimited || p->nofile.soft == 0)
		return -1;
	return 100.0 * (double)p->nfds / (double)p->nofile.soft;
}

static void check_fd_limit(const struct model *m, const struct findings_config *c,
			   const struct rule *r, struct findings *out)
{
	size_t i;

	for (i = 0; i < m->nprocs; i++) {
		const struct process *p = &m->procs[i];
		double pct = fd_limit_percent(p);
		enum severity sev = by_threshold(c, TH_FD_LIMIT, pct, SEV_INFO);
		struct finding *f;
		struct strbuf sb;

		if (pct < 0 || sev == SEV_INFO)
			continue;
		f = new_finding(out, r, sev);
		sb_init(&sb);
		proc_words(&sb, p);
		sb_printf(&sb, " has %zu fds open, %.0f %% of its soft limit of %llu "
			  "(RLIMIT_NOFILE): at the limit open, socket, accept and pipe fail with EMFILE",
			  p->nfds, (double)(long long)pct, p->nofile.soft);
		set_message(f, &sb);
		sb_printf(&sb, "look for fds it keeps without need (fdshare -p %d), or raise the "
			  "limit: LimitNOFILE= in its systemd unit, ulimit -n, prlimit --nofile", p->pid);
		set_hint(f, &sb);
		add_pid(f, p->pid);
		ev_num(f, "open", (long long)p->nfds);
		ev_num(f, "soft_limit", (long long)p->nofile.soft);
		if (p->nofile.hard_unlimited)
			ev_bytes(f, "hard_limit", NULL, 0);
		else
			ev_num(f, "hard_limit", (long long)p->nofile.hard);
		ev_num(f, "percent", (long long)pct);
		finish(f);
	}
}

/* ---- nonblock-shared ---- */

/* Whether g's holders run at least two different (known) programs. */
static bool several_programs(const struct ofd_group *g)
{
	const struct process *first = NULL;
	size_t i;

	for (i = 0; i < g->nholders; i++) {
		const struct process *p = g->holders[i]->proc;
		if (!p->exe)
			continue;
		if (!first)
			first = p;
		else if (!same_program(first, p))
			return true;
	}
	return false;
}

static void check_nonblock_shared(const struct model *m, const struct findings_config *c,
				  const struct rule *r, struct findings *out)
{
	size_t i, j;

	(void)c;
	for (i = 0; i < m->nofds; i++) {
		const struct ofd_group *g = &m->ofds[i];
		struct finding *f;
		struct strbuf sb;

		if (!proven_shared(g) || !fd_nonblock(g->holders[0]) || !several_programs(g))
			continue;
		f = new_finding(out, r, r->severity);
		sb_init(&sb);
		sb_adds(&sb, "O_NONBLOCK is set on ");
		target_words(&sb, g->holders[0]);
		sb_printf(&sb, ", one open file description that %d processes running different "
			  "programs share (", g->nprocs);
		holders_words(&sb, g);
		sb_adds(&sb, "): a fcntl(F_SETFL) by one changes it for all, and a program that "
			"expects blocking I/O gets EAGAIN");
		set_message(f, &sb);
		sb_adds(&sb, "give each program its own description (open the file again, or a new "
			"pipe or socket), or leave the status flags of inherited fds alone");
		set_hint(f, &sb);
		for (j = 0; j < g->nholders; j++)
			add_fd(f, g->holders[j]);
		ev_num(f, "ofd", g->id);
		ev_bytes(f, "target", g->holders[0]->target, g->holders[0]->target_len);
		ev_str(f, "type", fd_type_name(g->holders[0]->type));
		ev_num(f, "processes", g->nprocs);
		finish(f);
	}
}

/* ---- zombie ---- */

/* pids of nodes idx[0..n), at most NAMES_LISTED, then how many more. */
static void node_pids_words(struct strbuf *sb, const struct tree *t, const int *idx, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < NAMES_LISTED; i++)
		sb_printf(sb, "%s%d", i ? ", " : "", t->nodes[idx[i]].proc->pid);
	if (n > NAMES_LISTED)
		sb_printf(sb, " and %zu more", n - NAMES_LISTED);
}

/* One finding per parent with unreaped zombies, with the tree's reason. */
static void check_zombie(const struct model *m, const struct findings_config *c,
			 const struct rule *r, struct findings *out)
{
	const struct tree *t = m->tree;
	size_t i, j;

	for (i = 0; t && i < t->ngroups; i++) {
		const struct zombie_group *g = &t->groups[i];
		const struct process *parent = t->nodes[g->parent].proc;
		struct finding *f = new_finding(out, r, by_threshold(c, TH_ZOMBIES, (double)g->nchildren, SEV_INFO));
		struct strbuf sb;

		sb_init(&sb);
		proc_words(&sb, parent);
		sb_printf(&sb, " has %zu zombie child%s it has not reaped (", g->nchildren,
			  g->nchildren == 1 ? "" : "ren");
		node_pids_words(&sb, t, g->children, g->nchildren);
		sb_printf(&sb, "): %s", zombie_reason_text(g->reason));
		set_message(f, &sb);
		zombie_hint(t, g, &sb);
		set_hint(f, &sb);
		add_pid(f, parent->pid);
		for (j = 0; j < g->nchildren; j++)
			add_pid(f, t->nodes[g->children[j]].proc->pid);
		ev_num(f, "parent_pid", parent->pid);
		ev_num(f, "zombies", (long long)g->nchildren);
		ev_str(f, "reason", zombie_reason_code(g->reason));
		if (g->heir >= 0)
			ev_num(f, "heir_pid", t->nodes[g->heir].proc->pid);
		else
			ev_bytes(f, "heir_pid", NULL, 0);
		finish(f);
	}
}

/* ---- reparented ---- */

/* "session, start_time": the names of the evidence bits. */
static void evidence_words(struct strbuf *sb, unsigned bits)
{
	unsigned bit;
	bool first = true;

	for (bit = 1; bit && bit <= bits; bit <<= 1)
		if (bits & bit) {
			sb_printf(sb, "%s%s", first ? "" : ", ", reparent_evidence_name(bit));
			first = false;
		}
}

/* One finding per adopter: the processes proven orphaned and adopted by it. */
static void report_adopted(const struct tree *t, int adopter, const int *kids, size_t n,
			   const struct rule *r, struct findings *out)
{
	const struct tree_node *a = &t->nodes[adopter];
	struct finding *f = new_finding(out, r, r->severity);
	unsigned bits = 0;
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	if (n == 1)
		proc_words(&sb, t->nodes[kids[0]].proc);
	else
		sb_printf(&sb, "%zu processes", n);
	sb_printf(&sb, " %s orphaned and adopted by ", n == 1 ? "was" : "were");
	proc_words(&sb, a->proc);
	sb_adds(&sb, a->pidns_init ? ", the init of its pid namespace" : ", a subreaper");
	for (i = 0; n > 1 && i < n && i < NAMES_LISTED; i++) {
		sb_adds(&sb, i ? ", " : ": ");
		proc_words(&sb, t->nodes[kids[i]].proc);
	}
	if (n > NAMES_LISTED)
		sb_printf(&sb, " and %zu more", n - NAMES_LISTED);
	for (i = 0; i < n; i++)
		bits |= t->nodes[kids[i]].evidence;
	sb_adds(&sb, " (evidence: ");
	evidence_words(&sb, bits);
	sb_adds(&sb, ")");
	set_message(f, &sb);
	sb_adds(&sb, "their parent ended without them: if they must not outlive it, have it end "
		"them (PR_SET_PDEATHSIG, killing the process group); to detach on purpose, "
		"start them with setsid or as a service of their own");
	set_hint(f, &sb);
	add_pid(f, a->proc->pid);
	for (i = 0; i < n; i++)
		add_pid(f, t->nodes[kids[i]].proc->pid);
	ev_num(f, "adopter_pid", a->proc->pid);
	ev_str(f, "adopter", a->pidns_init ? "pidns_init" : "subreaper");
	ev_num(f, "processes", (long long)n);
	sb_init(&sb);
	evidence_words(&sb, bits);
	ev_str(f, "evidence", sb.buf);
	sb_free(&sb);
	finish(f);
}

static void check_reparented(const struct model *m, const struct findings_config *c,
			     const struct rule *r, struct findings *out)
{
	const struct tree *t = m->tree;
	int *kids = NULL;
	size_t i, j, n, cap = 0;

	(void)c;
	for (i = 0; t && i < t->n; i++) {
		for (n = 0, j = 0; j < t->nodes[i].nchildren; j++) {
			int k = t->nodes[i].children[j];
			if (t->nodes[k].reparented != TRI_TRUE || !t->nodes[k].present)
				continue;
			grow_array((void **)&kids, &cap, n + 1, sizeof(*kids));
			kids[n++] = k;
		}
		if (n)
			report_adopted(t, (int)i, kids, n, r, out);
	}
	free(kids);
}

/* ---- listener-leak ---- */

static bool is_listener(const struct fd_entry *f)
{
	return f->detail && f->detail->have_sock && f->detail->sock.state == TCP_LISTEN;
}

/* Whether p holds description ofd. */
static bool holds(const struct process *p, int ofd)
{
	size_t j;

	for (j = 0; j < p->nfds; j++)
		if (p->fds[j].ofd == ofd)
			return true;
	return false;
}

/* Whether an ancestor of p holds description ofd: p got it by fork. */
static bool ancestor_holds(const struct model *m, const struct process *p, int ofd)
{
	int depth;

	for (depth = 0; depth < ANCESTRY_MAX && p->ppid > 0; depth++) {
		p = model_process(m, p->ppid);
		if (!p)
			return false;
		if (!p->gone && holds(p, ofd))
			return true;
	}
	return false;
}

/* Whether p waits for connections on description ofd: a thread blocked in
 * accept on one of its fds of it, or an epoll fd of p that watches it. */
static bool accepts_on(const struct process *p, int ofd)
{
	size_t j, k;

	for (j = 0; j < p->nfds; j++) {
		const struct fd_entry *f = &p->fds[j];
		if (f->ofd == ofd && waits_has(p, WAIT_ACCEPT, f->fd))
			return true;
		for (k = 0; f->type == FD_EPOLL && f->detail && k < f->detail->nwatches; k++)
			if (f->detail->watches[k].fd && f->detail->watches[k].fd->ofd == ofd)
				return true;
	}
	return false;
}

/* It does, or what it waits for is not known (a thread running, in poll or
 * select, or waits not readable): never call that "does not accept". */
static bool may_accept(const struct process *p, int ofd)
{
	return accepts_on(p, ofd) || !waits_known(p);
}

/* A holder that keeps the listener without serving it: it inherited it,
 * does not accept on it, and neither does a sibling running the same
 * program (prefork workers take turns: one busy with a request while
 * scanned is still a worker). */
static bool idle_inheritor(const struct model *m, const struct ofd_group *g, const struct process *p)
{
	size_t i;

	if (!ancestor_holds(m, p, g->id) || may_accept(p, g->id))
		return false;
	for (i = 0; i < g->nholders; i++) {
		const struct process *q = g->holders[i]->proc;
		if (q != p && q->ppid == p->ppid && p->exe && q->exe && same_program(p, q) &&
		    may_accept(q, g->id))
			return false;
	}
	return true;
}

/* "tcp 127.0.0.1:8080" or "unix" */
static void listener_words(struct strbuf *sb, const struct fd_entry *f)
{
	const struct sock_info *s = &f->detail->sock;
	char proto[32], addr[64];

	if (!endpoint_protocol(f, proto, sizeof(proto)))
		snprintf(proto, sizeof(proto), "socket");
	sb_adds(sb, proto);
	if (s->family != AF_UNIX) {
		sock_addr_text(&s->local, addr, sizeof(addr));
		sb_printf(sb, " %s:%u", addr, s->local.port);
	}
}

/* The holder whose socket the dump found listening, or NULL. */
static const struct fd_entry *listener_of(const struct ofd_group *g)
{
	size_t i;

	for (i = 0; i < g->nholders; i++)
		if (is_listener(g->holders[i]))
			return g->holders[i];
	return NULL;
}

/* One finding for description g, kept idle by idle[0..n); its fds and
 * those of the holders it came from. */
static void report_listener(const struct model *m, struct findings *out, const struct rule *r,
			    const struct ofd_group *g, const struct process **idle, size_t n)
{
	const struct fd_entry *h = listener_of(g);
	struct finding *f = new_finding(out, r, r->severity);
	char proto[32];
	struct strbuf sb;
	size_t i, k;

	sb_init(&sb);
	sb_adds(&sb, "the listening socket ");
	target_words(&sb, h);
	sb_adds(&sb, " (");
	listener_words(&sb, h);
	sb_adds(&sb, ") is held by ");
	for (i = 0; i < n && i < NAMES_LISTED; i++) {
		if (i)
			sb_adds(&sb, i + 1 == n ? " and " : ", ");
		proc_words(&sb, idle[i]);
	}
	if (n > NAMES_LISTED)
		sb_printf(&sb, " and %zu more", n - NAMES_LISTED);
	sb_adds(&sb, n == 1 ? ", which inherited it and does not accept on it"
		    : ", which inherited it and do not accept on it");
	sb_adds(&sb, ": the port stays open after the server ends, and connections queue where "
		"nobody accepts them");
	set_message(f, &sb);
	sb_adds(&sb, "close the listening fd in the child right after fork (a handler needs only "
		"its connection), and create it with SOCK_CLOEXEC so programs run by exec do not "
		"keep it");
	set_hint(f, &sb);
	for (i = 0; i < g->nholders; i++) {
		const struct process *p = g->holders[i]->proc;
		for (k = 0; k < n && idle[k] != p; k++)
			;
		if (k < n || !ancestor_holds(m, p, g->id))
			add_fd(f, g->holders[i]);
	}
	ev_num(f, "ofd", g->id);
	ev_bytes(f, "target", h->target, h->target_len);
	ev_str(f, "protocol", endpoint_protocol(h, proto, sizeof(proto)) ? proto : NULL);
	if (h->detail->sock.family != AF_UNIX)
		ev_num(f, "port", h->detail->sock.local.port);
	else
		ev_bytes(f, "port", NULL, 0);
	ev_num(f, "idle_holders", (long long)n);
	finish(f);
}

static void check_listener_leak(const struct model *m, const struct findings_config *c,
				const struct rule *r, struct findings *out)
{
	const struct process **idle = NULL;
	size_t i, j, n, cap = 0;

	(void)c;
	for (i = 0; i < m->nofds; i++) {
		const struct ofd_group *g = &m->ofds[i];
		if (!proven_shared(g) || !listener_of(g))
			continue;
		for (n = 0, j = 0; j < g->nholders; j++) {
			const struct process *p = g->holders[j]->proc;
			if ((j && g->holders[j - 1]->proc == p) || !idle_inheritor(m, g, p))
				continue;
			grow_array((void **)&idle, &cap, n + 1, sizeof(*idle));
			idle[n++] = p;
		}
		if (n)
			report_listener(m, out, r, g, idle, n);
	}
	free(idle);
}

/* ---- pipe-eof-blocked ---- */

static bool is_pipe_fd(const struct fd_entry *f)
{
	return f->info.have_basic && (f->type == FD_PIPE || f->type == FD_FIFO);
}

static bool pipe_readable(const struct fd_entry *f)
{
	unsigned acc = f->info.flags & 3;
	return acc == 0 || acc == 2;
}

static bool is_ancestor(const struct model *m, const struct process *a, const struct process *p)
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

static int cmp_pipe(const void *x, const void *y)
{
	const struct fd_entry *a = *(struct fd_entry *const *)x, *b = *(struct fd_entry *const *)y;
	struct fd_ref ra = { a->proc->pid, a->fd }, rb = { b->proc->pid, b->fd };

	if (a->info.mnt_id != b->info.mnt_id)
		return a->info.mnt_id < b->info.mnt_id ? -1 : 1;
	if (a->info.ino != b->info.ino)
		return a->info.ino < b->info.ino ? -1 : 1;
	return cmp_ref(&ra, &rb);
}

/* The write end that keeps reader rd from ever seeing EOF, among the fds
 * v[0..n) of its pipe: one the reader holds itself (another fd than the one
 * it reads: a FIFO opened O_RDWR on purpose is left alone), or one held by
 * an ancestor blocked waiting for a child to end. */
static const struct fd_entry *eof_blocker(const struct model *m, struct fd_entry **v, size_t n,
					  const struct fd_entry *rd)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] != rd && fd_writable(v[i]) && v[i]->proc == rd->proc)
			return v[i];
	for (i = 0; i < n; i++) {
		const struct process *w = v[i]->proc;
		if (fd_writable(v[i]) && w != rd->proc && waits_known(w) &&
		    waits_has(w, WAIT_CHILD, -1) && is_ancestor(m, w, rd->proc))
			return v[i];
	}
	return NULL;
}

static void report_pipe(struct findings *out, const struct rule *r, const struct fd_entry *rd,
			const struct fd_entry *wr, size_t more)
{
	struct finding *f = new_finding(out, r, r->severity);
	bool self = wr->proc == rd->proc;
	struct strbuf sb;

	sb_init(&sb);
	proc_words(&sb, rd->proc);
	sb_adds(&sb, " is blocked reading ");
	target_words(&sb, rd);
	sb_printf(&sb, " (fd %d) until EOF, but ", rd->fd);
	if (self) {
		sb_printf(&sb, "holds its write end itself (fd %d): EOF can never arrive", wr->fd);
	} else {
		proc_words(&sb, wr->proc);
		sb_printf(&sb, " holds its write end (fd %d) while it waits for a child to end: "
			  "neither can go on", wr->fd);
	}
	if (more)
		sb_printf(&sb, " (and %zu more such reader%s of this pipe)", more, more == 1 ? "" : "s");
	set_message(f, &sb);
	if (self) {
		sb_adds(&sb, "close the write end in the reader after fork, or create the pipe with "
			"pipe2(O_CLOEXEC) so a program run by exec does not inherit it");
	} else {
		sb_adds(&sb, "close the write end in ");
		proc_words(&sb, wr->proc);
		sb_adds(&sb, " once it has written all it will, before it waits for the reader");
	}
	set_hint(f, &sb);
	add_fd(f, rd);
	add_fd(f, wr);
	ev_bytes(f, "target", rd->target, rd->target_len);
	ev_num(f, "ino", (long long)rd->info.ino);
	ev_num(f, "reader_pid", rd->proc->pid);
	ev_num(f, "writer_pid", wr->proc->pid);
	ev_str(f, "case", self ? "reader-holds-write-end" : "writer-waits-for-reader");
	finish(f);
}

/* One pipe (or FIFO): v[0..n) are its fds.  One finding for it, about its
 * first stuck reader. */
static void check_one_pipe(const struct model *m, const struct rule *r, struct fd_entry **v,
			   size_t n, struct findings *out)
{
	const struct fd_entry *rd = NULL, *wr = NULL, *b;
	size_t i, stuck = 0;

	for (i = 0; i < n; i++) {
		if (!pipe_readable(v[i]) || !waits_has(v[i]->proc, WAIT_READ, v[i]->fd))
			continue;
		if (!(b = eof_blocker(m, v, n, v[i])))
			continue;
		if (!stuck++) {
			rd = v[i];
			wr = b;
		}
	}
	if (stuck)
		report_pipe(out, r, rd, wr, stuck - 1);
}

static void check_pipe_eof_blocked(const struct model *m, const struct findings_config *c,
				   const struct rule *r, struct findings *out)
{
	struct fd_entry **v = NULL;
	size_t i, j, n = 0, cap = 0, start;

	(void)c;
	for (i = 0; i < m->nprocs; i++)
		for (j = 0; j < m->procs[i].nfds && !m->procs[i].gone; j++)
			if (is_pipe_fd(&m->procs[i].fds[j])) {
				grow_array((void **)&v, &cap, n + 1, sizeof(*v));
				v[n++] = &m->procs[i].fds[j];
			}
	if (n)
		qsort(v, n, sizeof(*v), cmp_pipe);
	for (start = 0, i = 1; i <= n; i++)
		if (i == n || v[i]->info.mnt_id != v[start]->info.mnt_id ||
		    v[i]->info.ino != v[start]->info.ino) {
			check_one_pipe(m, r, v + start, i - start, out);
			start = i;
		}
	free(v);
}

/* ---- the table ---- */

static const struct rule rules[] = {
	{ "zombie", SEV_WARNING, check_zombie },
	{ "reparented", SEV_INFO, check_reparented },
	{ "exec-leak", SEV_WARNING, check_exec_leak },
	{ "listener-leak", SEV_WARNING, check_listener_leak },
	{ "pipe-eof-blocked", SEV_WARNING, check_pipe_eof_blocked },
	{ "shared-offset-write", SEV_WARNING, check_shared_offset_write },
	{ "deleted-open", SEV_INFO, check_deleted_open },
	{ "fd-limit", SEV_WARNING, check_fd_limit },
	{ "nonblock-shared", SEV_INFO, check_nonblock_shared },
};

size_t findings_rule_count(void)
{
	return ARRAY_LEN(rules);
}

const char *findings_rule_code(size_t i)
{
	return i < ARRAY_LEN(rules) ? rules[i].code : NULL;
}

enum severity findings_rule_severity(size_t i)
{
	return i < ARRAY_LEN(rules) ? rules[i].severity : SEV_INFO;
}

static size_t rule_index(const char *code)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(rules); i++)
		if (strcmp(rules[i].code, code) == 0)
			return i;
	return ARRAY_LEN(rules);
}

/* ---- configuration ---- */

static const char *const threshold_names[TH_COUNT] = {
	[TH_FD_LIMIT] = "fd-limit", [TH_ZOMBIES] = "zombies", [TH_DELETED_SIZE] = "deleted-size",
};

const char *findings_threshold_name(enum threshold t)
{
	return (unsigned)t < TH_COUNT ? threshold_names[t] : "";
}

void findings_config_init(struct findings_config *c)
{
	memset(c, 0, sizeof(*c));
	c->warn[TH_FD_LIMIT] = 80;
	c->crit[TH_FD_LIMIT] = 95;
	c->warn[TH_ZOMBIES] = 1;
	c->crit[TH_ZOMBIES] = 20;
	c->warn[TH_DELETED_SIZE] = 1024.0 * 1024 * 1024;
	c->crit[TH_DELETED_SIZE] = -1;
	c->min_severity = SEV_INFO;
}

static const char *keep_bad(const char *s)
{
	static char bad[128];

	snprintf(bad, sizeof(bad), "%s", s);
	return bad;
}

/* "95", "95%", "1.5G", "none" -> value (-1 for none); 0 or -1. */
static int threshold_value(const char *s, double *out)
{
	static const char units[] = "KMGT";
	const char *u;
	char *end;
	double v;
	size_t k;

	if (strcmp(s, "none") == 0) {
		*out = -1;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !(v < 1e18))
		return -1;
	if (*end && (u = strchr(units, *end & ~0x20)) != NULL) {
		for (k = (size_t)(u - units) + 1; k > 0; k--)
			v *= 1024;
		end++;
	} else if (*end == '%') {
		end++;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

int findings_set_thresholds(struct findings_config *c, bool crit, const char *list, const char **bad)
{
	char *copy = xstrdup(list), *save = NULL, *tok, *eq;
	double v;
	size_t t;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		eq = strchr(tok, '=');
		for (t = 0; eq && t < TH_COUNT; t++)
			if (strlen(threshold_names[t]) == (size_t)(eq - tok) &&
			    strncmp(tok, threshold_names[t], (size_t)(eq - tok)) == 0)
				break;
		if (!eq || t == TH_COUNT || threshold_value(eq + 1, &v) < 0) {
			*bad = keep_bad(tok);
			free(copy);
			return -1;
		}
		if (crit)
			c->crit[t] = v;
		else
			c->warn[t] = v;
	}
	free(copy);
	return 0;
}

int findings_ignore(struct findings_config *c, const char *list, const char **bad)
{
	char *copy = xstrdup(list), *save = NULL, *tok;
	size_t i;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		i = rule_index(tok);
		if (i == ARRAY_LEN(rules)) {
			*bad = keep_bad(tok);
			free(copy);
			return -1;
		}
		c->ignore |= 1ULL << i;
	}
	free(copy);
	return 0;
}

static const char *const severity_names[SEV_COUNT] = { "info", "warning", "critical" };

const char *severity_name(enum severity s)
{
	return (unsigned)s < SEV_COUNT ? severity_names[s] : "unknown";
}

int severity_parse(const char *s, enum severity *out)
{
	int i;

	for (i = 0; i < SEV_COUNT; i++)
		if (strcasecmp(s, severity_names[i]) == 0) {
			*out = (enum severity)i;
			return 0;
		}
	return -1;
}

/* ---- running the rules ---- */

static bool in_scope(const struct model *m, const struct finding *f, enum findings_scope scope)
{
	const struct process *p;
	const struct fd_entry *e;
	size_t i;

	if (scope == SCOPE_ALL)
		return true;
	for (i = 0; scope == SCOPE_SELECTED && i < f->npids; i++)
		if ((p = model_process(m, f->pids[i])) && p->selected)
			return true;
	for (i = 0; scope == SCOPE_PATHS && i < f->nfds; i++)
		if ((p = model_process(m, f->fds[i].pid)) && (e = fd_of(p, f->fds[i].fd)) &&
		    e->path_match)
			return true;
	return false;
}

static void finding_free(struct finding *f)
{
	size_t i;

	for (i = 0; i < f->nev; i++)
		free(f->ev[i].text);
	free(f->ev);
	free(f->pids);
	free(f->fds);
	free(f->message);
	free(f->hint);
}

static int cmp_finding(const void *x, const void *y)
{
	const struct finding *a = x, *b = y;
	size_t ra = rule_index(a->code), rb = rule_index(b->code);

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (a->npids && b->npids && a->pids[0] != b->pids[0])
		return a->pids[0] < b->pids[0] ? -1 : 1;
	if (a->nfds && b->nfds)
		return cmp_ref(&a->fds[0], &b->fds[0]);
	return 0;
}

void findings_compute(const struct model *m, const struct findings_config *c,
		      enum findings_scope scope, struct findings *out)
{
	size_t i, n;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < ARRAY_LEN(rules); i++)
		if (!(c->ignore & (1ULL << i)))
			rules[i].check(m, c, &rules[i], out);
	for (i = n = 0; i < out->n; i++) {
		if (out->v[i].severity >= c->min_severity && in_scope(m, &out->v[i], scope))
			out->v[n++] = out->v[i];
		else
			finding_free(&out->v[i]);
	}
	out->n = n;
	if (n)
		qsort(out->v, n, sizeof(*out->v), cmp_finding);
}

void findings_free(struct findings *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		finding_free(&fs->v[i]);
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

void findings_tally(const struct findings *fs, size_t counts[SEV_COUNT])
{
	size_t i;

	memset(counts, 0, SEV_COUNT * sizeof(*counts));
	for (i = 0; i < fs->n; i++)
		counts[fs->v[i].severity]++;
}
