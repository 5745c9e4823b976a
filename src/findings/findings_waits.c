/* findings_waits.c - the rules that need to know what processes wait for
 * (waits.h).  Where the waits are not known (not readable, a thread
 * running or in poll/select), they stay silent.  fdshare's parent and its
 * ancestors wait for fdshare itself while it scans: they are never
 * evidence.
 *
 *  listener-leak     a listening socket held by a process that inherited it
 *                    (an ancestor holds it by the same number) and that
 *                    neither accepts on it nor waits on it, when no sibling
 *                    of the same program and no descendant holding it does
 *                    either.  Not: prefork
 *                    workers (one busy while scanned is still a worker; a
 *                    forked copy of its giver is flagged only when that
 *                    giver is seen accepting: a master that does not leaves
 *                    accepting to workers, all busy at its limit); a
 *                    new master after a binary upgrade (nginx USR2), whose
 *                    workers, its children, wait in epoll_wait with the
 *                    listener registered (epoll targets proven by kcmp) or in
 *                    poll/select (unknown: may accept); a service handed
 *                    it on another number (socket activation), which may
 *                    not accept yet; a holder whose waits cannot be read.
 *  pipe-eof-blocked  a process blocked reading a pipe or FIFO whose EOF can
 *                    never come: it holds a write end itself (single-
 *                    threaded, without close-on-exec: a leftover of fork),
 *                    whoever else holds one; or every write end is held by
 *                    an ancestor blocked waiting only for children that
 *                    cannot end before the reader (the reader and the
 *                    processes between them).  Not: a writer that waits for
 *                    any child (wait4(-1)) and has another child that can
 *                    end (a shell with a coproc running a command); a
 *                    self-pipe (close-on-exec) or a multi-threaded reader;
 *                    a FIFO server's keep-alive write end (no ancestor of
 *                    the reader holds it: it opened it itself);
 *                    a token pool (make's jobserver: every other writer
 *                    also reads it); a FIFO opened O_RDWR and read through
 *                    that fd; a producer that is not waiting. */
#include "findings/findings_rules.h"
#include "model/endpoint.h"
#include "scan/fd.h"
#include "scan/waits.h"

#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ---- listener-leak ---- */

static bool is_listener(const struct fd_entry *f)
{
	return f->detail && f->detail->have_sock && f->detail->sock->state == TCP_LISTEN;
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
		for (k = 0; f->kind == KIND_EPOLL && f->detail && k < f->detail->nwatches; k++)
			if (f->detail->watches[k].fd && f->detail->watches[k].fd->ofd == ofd)
				return true;
	}
	return false;
}

/* Whether a holder serves a listener.  What it waits for may be unknown (a
 * thread running, in poll or select, or waits not readable): never call
 * that "does not accept". */
enum serving { NOT_SERVING, MAY_SERVE, ACCEPTS };

static enum serving serving_of(const struct process *p, int ofd)
{
	return accepts_on(p, ofd) ? ACCEPTS : waits_known(p) ? NOT_SERVING : MAY_SERVE;
}

/* How g's holder a (a process) serves it, by serving[] of g's holders. */
static enum serving holder_serving(const struct ofd_group *g, const enum serving *serving,
				   const struct process *a)
{
	size_t i;

	for (i = 0; i < g->nholders; i++)
		if (g->holders[i]->proc == a)
			return serving[i];
	return MAY_SERVE;
}

/* Whether p (holding g from j on) got g by fork from giver: some fd of p's
 * has the number giver holds it by.  One handed over on another number
 * (dup2: systemd's socket activation) was given on purpose. */
static bool inherited_by_fork(const struct ofd_group *g, size_t j, const struct process *giver)
{
	const struct process *p = g->holders[j]->proc;
	const struct fd_entry *a;

	for (; j < g->nholders && g->holders[j]->proc == p; j++)
		if ((a = fd_numbered(giver, g->holders[j]->fd)) && a->ofd == g->id)
			return true;
	return false;
}

/* A holder that keeps the listener without serving it: it inherited it,
 * does not accept on it, and neither does a sibling running the same
 * program (prefork workers take turns: one busy with a request while
 * scanned is still a worker) nor a descendant holding it (the workers of
 * a new master after a binary upgrade); one handed it on another number
 * is its intended server, maybe still starting.  A forked copy of the process it
 * got it from (the same program) is a handler that kept it only when that
 * process is seen accepting on it; a master that does not leaves
 * accepting to its workers, and at its limit every worker is busy. */
static bool idle_inheritor(const struct model *m, const struct ofd_group *g, size_t j,
			   const enum serving *serving)
{
	const struct process *p = g->holders[j]->proc, *giver;
	size_t i;

	if (serving[j] != NOT_SERVING || !(giver = holding_ancestor(m, p, g->id)) ||
	    !inherited_by_fork(g, j, giver))
		return false;
	if (p->exe && giver->exe && same_program(p, giver) &&
	    holder_serving(g, serving, giver) != ACCEPTS)
		return false;
	for (i = 0; i < g->nholders; i++) {
		const struct process *q = g->holders[i]->proc;
		if (q == p || serving[i] == NOT_SERVING)
			continue;
		if (is_ancestor(m, p, q))
			return false;
		if (q->ppid == p->ppid && p->exe && q->exe && same_program(p, q))
			return false;
	}
	return true;
}

/* Whether p runs another (known) program than the nearest ancestor that
 * holds g: the listener crossed an exec into it. */
static bool runs_other_program(const struct model *m, const struct ofd_group *g,
			       const struct process *p)
{
	const struct process *a = holding_ancestor(m, p, g->id);

	return a && p->exe && a->exe && !same_program(a, p);
}

/* "tcp 127.0.0.1:8080" or "unix" */
static void listener_words(struct strbuf *sb, const struct fd_entry *f)
{
	const struct sock_info *s = f->detail->sock;
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
	const struct process *exec_run = NULL;
	struct finding *f = finding_new(out, r, r->severity);
	char proto[32];
	struct strbuf sb;
	size_t i, k;

	for (i = 0; i < n && !exec_run; i++)
		if (runs_other_program(m, g, idle[i]))
			exec_run = idle[i];
	sb_init(&sb);
	sb_adds(&sb, "the listening socket ");
	say_target(&sb, h);
	sb_adds(&sb, " (");
	listener_words(&sb, h);
	sb_adds(&sb, ") is held by ");
	for (i = 0; i < n && i < NAMES_LISTED; i++) {
		if (i)
			sb_adds(&sb, i + 1 == n ? " and " : ", ");
		say_proc(&sb, idle[i]);
	}
	if (n > NAMES_LISTED)
		sb_printf(&sb, " and %zu more", n - NAMES_LISTED);
	sb_adds(&sb, n == 1 ? ", which inherited it and does not accept on it"
		    : ", which inherited it and do not accept on it");
	sb_adds(&sb, ": the port stays open after the server ends, and connections queue where "
		"nobody accepts them");
	finding_message(f, &sb);
	if (exec_run) {
		/* a program run by exec holds it: a stray child, or a new binary
		 * of the server that never came up */
		say_proc(&sb, exec_run);
		sb_adds(&sb, " runs another program than the server: end it if it is a failed "
			"upgrade or a stray (the server keeps serving), and create the socket with "
			"SOCK_CLOEXEC, or close it before exec, so programs the server runs do not "
			"keep it");
	} else {
		sb_adds(&sb, "close the listening fd in the child right after fork (a handler needs "
			"only its connection), and create it with SOCK_CLOEXEC so programs run by exec "
			"do not keep it");
	}
	finding_hint(f, &sb);
	for (i = 0; i < g->nholders; i++) {
		const struct process *p = g->holders[i]->proc;
		for (k = 0; k < n && idle[k] != p; k++)
			;
		if (k < n || !ancestor_holds(m, p, g->id))
			finding_fd(f, g->holders[i]);
	}
	finding_num(f, "ofd", g->id);
	finding_bytes(f, "target", h->target, h->target_len);
	finding_str(f, "protocol", endpoint_protocol(h, proto, sizeof(proto)) ? proto : NULL);
	if (h->detail->sock->family != AF_UNIX)
		finding_num(f, "port", h->detail->sock->local.port);
	else
		finding_bytes(f, "port", NULL, 0);
	finding_num(f, "idle_holders", (long long)n);
	finding_done(f);
}

void check_listener_leak(const struct model *m, const struct findings_config *c,
			 const struct rule *r, struct findings *out)
{
	const struct process **idle = NULL;
	enum serving *serving = NULL;
	size_t i, j, n, cap = 0, scap = 0;

	(void)c;
	for (i = 0; i < m->nofds; i++) {
		const struct ofd_group *g = &m->ofds[i];
		if (!proven_shared(g) || !listener_of(g))
			continue;
		/* once per holder: what it waits in does not change with who asks */
		grow_array((void **)&serving, &scap, g->nholders, sizeof(*serving));
		for (j = 0; j < g->nholders; j++)
			serving[j] = j && g->holders[j - 1]->proc == g->holders[j]->proc ?
				serving[j - 1] : serving_of(g->holders[j]->proc, g->id);
		for (n = 0, j = 0; j < g->nholders; j++) {
			const struct process *p = g->holders[j]->proc;
			if ((j && g->holders[j - 1]->proc == p) || !idle_inheritor(m, g, j, serving))
				continue;
			grow_array((void **)&idle, &cap, n + 1, sizeof(*idle));
			idle[n++] = p;
		}
		if (n)
			report_listener(m, out, r, g, idle, n);
	}
	free(idle);
	free(serving);
}

/* ---- pipe-eof-blocked ---- */

static bool is_pipe_fd(const struct fd_entry *f)
{
	return f->have_facts && (f->kind == KIND_PIPE || f->kind == KIND_FIFO);
}

static bool pipe_readable(const struct fd_entry *f)
{
	/* O_PATH keeps the access bits of O_RDONLY */
	return f->access == ACCESS_R || f->access == ACCESS_RW || f->access == ACCESS_PATH;
}

static int cmp_pipe(const void *x, const void *y)
{
	const struct fd_entry *a = *(struct fd_entry *const *)x, *b = *(struct fd_entry *const *)y;
	struct fd_ref ra = { a->proc->pid, a->fd }, rb = { b->proc->pid, b->fd };

	if (a->mnt_id != b->mnt_id)
		return a->mnt_id < b->mnt_id ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	return cmp_fd_ref(&ra, &rb);
}

/* c's pid as p sees it (p may live in an outer pid namespace of c's). */
static int pid_seen_by(const struct process *c, const struct process *p)
{
	int level = p->nspid_count - 1;

	if (level > 0 && c->nspid_count > level)
		return c->nspid[level];
	return c->pid;
}

/* Whether p's thread waiting as w may reap child c: waits_for_child, with
 * ids read from the syscall taken in p's own pid namespace. */
static bool may_reap(const struct process *p, const struct thread_wait *w, const struct process *c)
{
	struct thread_wait seen = *w;

	if (w->children == WAIT_ONE_CHILD && pid_seen_by(c, p) == w->id)
		seen.id = c->pid;
	else if (w->children == WAIT_GROUP_CHILD && w->id && p->nspid_count > 1)
		seen.children = WAIT_UNKNOWN_CHILD;   /* a group id of another namespace */
	return waits_for_child(p, &seen, c);
}

/* Whether p is blocked waiting for children and every child it may reap
 * cannot end before reader rd: rd itself, or a process between p and rd.
 * A child that can end (another command of a shell, a zombie to reap) lets
 * p go on; a wait that matches no child is not understood: false. */
static bool waits_only_for(const struct model *m, const struct process *p, const struct process *rd)
{
	size_t i, t, matched;
	bool waiting = false;

	for (t = 0; t < p->nwaits; t++) {
		const struct thread_wait *w = &p->waits[t];
		if (w->kind != WAIT_CHILD)
			continue;
		waiting = true;
		for (matched = 0, i = 0; i < m->nprocs; i++) {
			const struct process *c = &m->procs[i];
			if (c->gone || c->ppid != p->pid || !may_reap(p, w, c))
				continue;
			if (c != rd && !is_ancestor(m, c, rd))
				return false;
			matched++;
		}
		if (!matched)
			return false;
	}
	return waiting;
}

/* A FIFO's write end that its reader did not get from a living ancestor:
 * it opened it itself, so that read() does not see EOF each time a client
 * leaves (a FIFO server's keep-alive, the portable form of opening it
 * O_RDWR; children it forks may hold it too). */
static bool fifo_keepalive(const struct model *m, const struct fd_entry *w)
{
	return w->kind == KIND_FIFO && w->ofd && !holding_ancestor(m, w->proc, w->ofd);
}

/* Whether write end w of rd's pipe will never be written to nor closed:
 * rd holds it itself, without close-on-exec, and has one thread (a
 * leftover of fork: a self-pipe is close-on-exec by habit, another thread
 * may be its writer, and a FIFO's keep-alive is kept on purpose), or an
 * ancestor of rd holds it while it waits only for children that cannot
 * end before rd. */
static bool stuck_writer(const struct model *m, const struct fd_entry *w, const struct fd_entry *rd)
{
	const struct process *p = w->proc;

	if (p == rd->proc)
		return !w->cloexec && p->threads <= 1 && !fifo_keepalive(m, w);
	if (waits_on_fdshare(m, p) || !waits_known(p) || !is_ancestor(m, p, rd->proc))
		return false;
	return waits_only_for(m, p, rd->proc);
}

static bool holds_end(struct fd_entry **v, size_t n, const struct process *p, bool write)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i]->proc == p && (write ? fd_writable(v[i]) : pipe_readable(v[i])))
			return true;
	return false;
}

/* A token pool (make's jobserver): other processes hold write ends, and
 * every one of them reads it too.  Its readers wait for tokens, not EOF. */
static bool token_pool(struct fd_entry **v, size_t n, const struct fd_entry *rd)
{
	bool others = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i]->proc == rd->proc || !fd_writable(v[i]))
			continue;
		if (!holds_end(v, n, v[i]->proc, false))
			return false;
		others = true;
	}
	return others;
}

/* What keeps reader rd from ever seeing EOF, among the fds v[0..n) of its
 * pipe: a write end rd holds itself (whoever else writes: EOF needs every
 * write end closed), unless the pipe is a token pool; else, when every
 * write end is held by a stuck writer, the first of them.  NULL when some
 * writer may still write or close, or when there is none (EOF comes).
 * The fd rd reads through is not its own writer: a FIFO opened O_RDWR and
 * read through that one fd is kept open on purpose. */
static const struct fd_entry *eof_blocker(const struct model *m, struct fd_entry **v, size_t n,
					  const struct fd_entry *rd)
{
	const struct fd_entry *first = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] != rd && v[i]->proc == rd->proc && fd_writable(v[i]) &&
		    stuck_writer(m, v[i], rd) && !token_pool(v, n, rd))
			return v[i];
	for (i = 0; i < n; i++) {
		if (v[i] == rd || !fd_writable(v[i]))
			continue;
		if (!stuck_writer(m, v[i], rd))
			return NULL;
		if (!first)
			first = v[i];
	}
	return first;
}

static void report_pipe(struct findings *out, const struct rule *r, const struct fd_entry *rd,
			const struct fd_entry *wr, size_t more)
{
	struct finding *f = finding_new(out, r, r->severity);
	bool self = wr->proc == rd->proc;
	struct strbuf sb;

	sb_init(&sb);
	say_proc(&sb, rd->proc);
	sb_adds(&sb, " is blocked reading ");
	say_target(&sb, rd);
	sb_printf(&sb, " (fd %d) until EOF, but ", rd->fd);
	if (self) {
		sb_printf(&sb, "holds its write end itself (fd %d): EOF can never arrive", wr->fd);
	} else {
		say_proc(&sb, wr->proc);
		sb_printf(&sb, " holds its write end (fd %d) while it waits for a child to end: "
			  "neither can go on", wr->fd);
	}
	if (more)
		sb_printf(&sb, " (and %zu more such reader%s of this pipe)", more, more == 1 ? "" : "s");
	finding_message(f, &sb);
	if (self) {
		sb_adds(&sb, "close the write end in the reader after fork, or create the pipe with "
			"pipe2(O_CLOEXEC) so a program run by exec does not inherit it");
	} else {
		sb_adds(&sb, "close the write end in ");
		say_proc(&sb, wr->proc);
		sb_adds(&sb, " once it has written all it will, before it waits for the reader");
	}
	finding_hint(f, &sb);
	finding_fd(f, rd);
	finding_fd(f, wr);
	finding_bytes(f, "target", rd->target, rd->target_len);
	finding_num(f, "ino", (long long)rd->ino);
	finding_num(f, "reader_pid", rd->proc->pid);
	finding_num(f, "writer_pid", wr->proc->pid);
	finding_str(f, "case", self ? "reader-holds-write-end" : "writer-waits-for-reader");
	finding_done(f);
}

/* One pipe (or FIFO): v[0..n) are its fds.  One finding for it, about its
 * first stuck reader. */
static void check_one_pipe(const struct rule_ctx *x, struct fd_entry **v, size_t n)
{
	const struct model *m = x->m;
	const struct fd_entry *rd = NULL, *wr = NULL, *b;
	size_t i, stuck = 0;

	for (i = 0; i < n; i++) {
		if (!pipe_readable(v[i]) || !waits_has(v[i]->proc, WAIT_READ, v[i]->fd) ||
		    waits_on_fdshare(m, v[i]->proc))
			continue;
		if (!(b = eof_blocker(m, v, n, v[i])))
			continue;
		if (!stuck++) {
			rd = v[i];
			wr = b;
		}
	}
	if (stuck)
		report_pipe(x->out, x->r, rd, wr, stuck - 1);
}

static bool same_pipe(const struct fd_entry *a, const struct fd_entry *b)
{
	return a->mnt_id == b->mnt_id && a->ino == b->ino;
}

void check_pipe_eof_blocked(const struct model *m, const struct findings_config *c,
			    const struct rule *r, struct findings *out)
{
	struct rule_ctx x = { m, c, r, out };

	for_each_fd_run(&x, is_pipe_fd, cmp_pipe, same_pipe, check_one_pipe);
}
