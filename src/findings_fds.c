/* findings_fds.c - the rules about fds and open file descriptions.
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
 *                       sharing a non-blocking socket do that by design. */
#include "findings_rules.h"
#include "fd.h"

#include <stdlib.h>
#include <string.h>

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
		a = fd_numbered(p, f->fd);
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
	struct finding *f = finding_new(out, r, r->severity);
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	sb_printf(&sb, "fd %d (", src->fd);
	say_target(&sb, src);
	sb_adds(&sb, ") of ");
	say_proc(&sb, src->proc);
	sb_adds(&sb, " has no close-on-exec and leaked across exec into ");
	for (i = 0; i < n && i < NAMES_LISTED; i++) {
		if (i)
			sb_adds(&sb, i + 1 == n ? " and " : ", ");
		say_proc(&sb, v[i].to->proc);
	}
	if (n > NAMES_LISTED)
		sb_printf(&sb, " and %zu more", n - NAMES_LISTED);
	sb_adds(&sb, n == 1 ? ", which runs another program and still holds it"
		    : ", which run other programs and still hold it");
	finding_message(f, &sb);
	sb_adds(&sb, "open it with O_CLOEXEC (or set FD_CLOEXEC) in ");
	say_proc(&sb, src->proc);
	sb_adds(&sb, ", or close it in the child between fork and exec; to hand an fd to a "
		"program on purpose, dup2() it onto the number that program expects");
	finding_hint(f, &sb);
	for (i = 0; i < n; i++) {
		finding_fd(f, v[i].from);
		finding_fd(f, v[i].to);
	}
	finding_num(f, "ofd", src->ofd);
	finding_bytes(f, "target", src->target, src->target_len);
	finding_num(f, "source_pid", src->proc->pid);
	finding_bytes(f, "source_exe", src->proc->exe, src->proc->exe_len);
	finding_bytes(f, "holder_exe", v[0].to->proc->exe, v[0].to->proc->exe_len);
	finding_num(f, "leaked_into", (long long)n);
	finding_done(f);
}

/* One finding per description that crossed an exec by accident into one or
 * more processes; each holder is compared with its nearest holding ancestor. */
void check_exec_leak(const struct model *m, const struct findings_config *c,
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

void check_shared_offset_write(const struct model *m, const struct findings_config *c,
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
		f = finding_new(out, r, beyond_stdio ? r->severity : SEV_INFO);
		sb_init(&sb);
		say_target(&sb, h);
		sb_printf(&sb, " is open for writing without O_APPEND in one open file description "
			  "that %d processes share (", g->nprocs);
		say_holders(&sb, g);
		sb_adds(&sb, "): they move one offset, so a seek and a write in one can overwrite "
			"or split another's writes");
		finding_message(f, &sb);
		sb_adds(&sb, "open the file in each process (each then has its own offset) with "
			"O_APPEND for logs, or write with pwrite(2) at offsets each process owns");
		finding_hint(f, &sb);
		for (j = 0; j < g->nholders; j++)
			finding_fd(f, g->holders[j]);
		finding_num(f, "ofd", g->id);
		finding_bytes(f, "target", h->target, h->target_len);
		finding_str(f, "mode", fd_mode_name(h));
		finding_num(f, "pos", (long long)h->info.pos);
		finding_num(f, "processes", g->nprocs);
		finding_done(f);
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
	return cmp_fd_ref(&ra, &rb);
}

/* One finding for the fds v[0..n) of one deleted file. */
static void report_deleted(const struct findings_config *c, const struct rule *r,
			   struct fd_entry **v, size_t n, struct findings *out)
{
	unsigned long long size = (unsigned long long)v[0]->st_size;
	struct finding *f = finding_new(out, r, severity_by(c, TH_DELETED_SIZE, (double)size, r->severity));
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	sb_add(&sb, v[0]->target, undeleted_len(v[0]->target, v[0]->target_len));
	sb_adds(&sb, " was deleted but is still open in ");
	for (i = 0; i < n && i < NAMES_LISTED; i++) {
		if (i)
			sb_adds(&sb, i + 1 == n ? " and " : ", ");
		say_proc(&sb, v[i]->proc);
		sb_printf(&sb, " fd %d", v[i]->fd);
	}
	if (n > NAMES_LISTED)
		sb_printf(&sb, " and %zu more", n - NAMES_LISTED);
	sb_adds(&sb, ": its ");
	say_size(&sb, size);
	sb_adds(&sb, n == 1 ? " stay in use until that fd is closed"
		    : " stay in use until the last of these fds is closed");
	finding_message(f, &sb);
	sb_printf(&sb, "make the holder close or reopen it (restart it, or send the signal "
		  "its logrotate postrotate script sends), or free the space now by truncating "
		  "it: : > /proc/%d/fd/%d", v[0]->proc->pid, v[0]->fd);
	finding_hint(f, &sb);
	for (i = 0; i < n; i++)
		finding_fd(f, v[i]);
	finding_bytes(f, "target", v[0]->target, v[0]->target_len);
	finding_num(f, "size", (long long)size);
	finding_num(f, "ino", (long long)v[0]->info.ino);
	finding_done(f);
}

void check_deleted_open(const struct model *m, const struct findings_config *c,
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

void check_fd_limit(const struct model *m, const struct findings_config *c,
		    const struct rule *r, struct findings *out)
{
	size_t i;

	for (i = 0; i < m->nprocs; i++) {
		const struct process *p = &m->procs[i];
		double pct = fd_limit_percent(p);
		enum severity sev = severity_by(c, TH_FD_LIMIT, pct, SEV_INFO);
		struct finding *f;
		struct strbuf sb;

		if (pct < 0 || sev == SEV_INFO)
			continue;
		f = finding_new(out, r, sev);
		sb_init(&sb);
		say_proc(&sb, p);
		sb_printf(&sb, " has %zu fds open, %.0f %% of its soft limit of %llu "
			  "(RLIMIT_NOFILE): at the limit open, socket, accept and pipe fail with EMFILE",
			  p->nfds, (double)(long long)pct, p->nofile.soft);
		finding_message(f, &sb);
		sb_printf(&sb, "look for fds it keeps without need (fdshare -p %d), or raise the "
			  "limit: LimitNOFILE= in its systemd unit, ulimit -n, prlimit --nofile", p->pid);
		finding_hint(f, &sb);
		finding_pid(f, p->pid);
		finding_num(f, "open", (long long)p->nfds);
		finding_num(f, "soft_limit", (long long)p->nofile.soft);
		if (p->nofile.hard_unlimited)
			finding_bytes(f, "hard_limit", NULL, 0);
		else
			finding_num(f, "hard_limit", (long long)p->nofile.hard);
		finding_num(f, "percent", (long long)pct);
		finding_done(f);
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

void check_nonblock_shared(const struct model *m, const struct findings_config *c,
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
		f = finding_new(out, r, r->severity);
		sb_init(&sb);
		sb_adds(&sb, "O_NONBLOCK is set on ");
		say_target(&sb, g->holders[0]);
		sb_printf(&sb, ", one open file description that %d processes running different "
			  "programs share (", g->nprocs);
		say_holders(&sb, g);
		sb_adds(&sb, "): a fcntl(F_SETFL) by one changes it for all, and a program that "
			"expects blocking I/O gets EAGAIN");
		finding_message(f, &sb);
		sb_adds(&sb, "give each program its own description (open the file again, or a new "
			"pipe or socket), or leave the status flags of inherited fds alone");
		finding_hint(f, &sb);
		for (j = 0; j < g->nholders; j++)
			finding_fd(f, g->holders[j]);
		finding_num(f, "ofd", g->id);
		finding_bytes(f, "target", g->holders[0]->target, g->holders[0]->target_len);
		finding_str(f, "type", fd_type_name(g->holders[0]->type));
		finding_num(f, "processes", g->nprocs);
		finding_done(f);
	}
}
