/* findings_fds.c - the rules about fds and open file descriptions (exec-leak is
 * in findings_exec.c, the writers of a file in findings_writes.c).
 *
 *  deleted-open         a deleted regular file still open (memfd and
 *                       anonymous inodes are not files that were deleted,
 *                       nor an O_TMPFILE file, never linked: fd.c keeps its
 *                       "deleted" false), nor an empty one (a file-based
 *                       mutex: no space held).  The hint never says to truncate
 *                       a file some holder has open for writing: it may be
 *                       that process's output.
 *  fd-limit             open fds against the soft RLIMIT_NOFILE.
 *  nonblock-shared      O_NONBLOCK on a description that processes running
 *                       different programs share (one program's fcntl is
 *                       the other's surprise EAGAIN); workers of one program
 *                       sharing a non-blocking socket do that by design. */
#include "findings/findings_rules.h"
#include "scan/fd.h"

#include <stdlib.h>
#include <string.h>

/* ---- deleted-open ---- */

static int cmp_file(const void *x, const void *y)
{
	const struct fd_entry *a = *(struct fd_entry *const *)x, *b = *(struct fd_entry *const *)y;
	struct fd_ref ra = { a->proc->pid, a->fd }, rb = { b->proc->pid, b->fd };
	int c = cmp_file_id(a, b);

	return c ? c : cmp_fd_ref(&ra, &rb);
}

/* One finding for the fds v[0..n) of one deleted file. */
static void report_deleted(const struct rule_ctx *x, struct fd_entry **v, size_t n)
{
	const struct findings_config *c = x->c;
	const struct rule *r = x->r;
	struct findings *out = x->out;
	unsigned long long size = (unsigned long long)v[0]->st_size;
	struct finding *f = finding_new(out, r, severity_by(c, TH_DELETED_SIZE, (double)size, r->severity));
	const struct fd_entry *writer = NULL;
	size_t i, writers = 0;
	struct strbuf sb;

	for (i = 0; i < n; i++)
		if (fd_writable(v[i])) {
			writer = writer ? writer : v[i];
			writers++;
		}

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
	if (writer) {
		/* it may be the writer's output (cron's job capture, a daemon's
		 * log): truncating it would lose what it writes next */
		say_proc(&sb, writer->proc);
		sb_adds(&sb, " still has it open for writing: make it reopen its output (send the "
			"signal its logrotate postrotate script sends) or restart it; the space "
			"comes back when the last of these fds is closed");
	} else {
		sb_printf(&sb, "make the holder close or reopen it (restart it; tail -F follows a "
			  "log by name), or free the space now by truncating it: : > /proc/%d/fd/%d",
			  v[0]->proc->pid, v[0]->fd);
	}
	finding_hint(f, &sb);
	for (i = 0; i < n; i++)
		finding_fd(f, v[i]);
	finding_bytes(f, "target", v[0]->target, v[0]->target_len);
	finding_num(f, "size", (long long)size);
	finding_num(f, "ino", (long long)v[0]->ino);
	finding_num(f, "writers", (long long)writers);
	finding_done(f);
}

/* type reg needs a stat: nlink 0 was seen, not only a name; an empty one
 * holds no space (a file-based mutex, unlinked once opened) */
static bool deleted_file(const struct fd_entry *f)
{
	return f->deleted && f->kind == KIND_REG && f->have_stat && f->st_size > 0;
}

void check_deleted_open(const struct model *m, const struct findings_config *c,
			const struct rule *r, struct findings *out)
{
	struct rule_ctx x = { m, c, r, out };

	for_each_fd_run(&x, deleted_file, cmp_file, one_file, report_deleted);
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
		finding_str(f, "type", kind_name(g->holders[0]->kind));
		finding_num(f, "processes", g->nprocs);
		finding_done(f);
	}
}
