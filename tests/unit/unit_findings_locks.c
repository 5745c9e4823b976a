/* unit_findings_locks.c - the lock rules of src/findings/findings_locks.c on
 * hand-built models: lock-deadlock, lock-wait and lock-inherited each fire
 * on their situation and stay silent on their look-alikes.
 *
 * A model here is what model_build() and locks_read() leave: processes by
 * pid, fds by number, descriptions with their holders, and a lock table
 * whose locks list their fds, holders and waiters, and whose processes
 * list what each thread is blocked in. */
#include "check.h"
#include "findings/findings.h"
#include "findings_lookup.h"
#include "model/locks.h"
#include "model/tree.h"

#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#define NP 8
#define NL 4

static struct process procs[NP];
static struct fd_entry fds[NP][8];
static struct ofd_group groups[NL];
static struct fd_entry *group_holders[NL][NP];
static struct held_lock locks[NL];
static const struct fd_entry *lock_fds[NL][NP];
static const struct process *lock_holders[NL][NP];
static struct lock_waiter waiters[NL][NP];
static struct lock_proc lprocs[NP];
static struct lock_thread threads[NP][2];
static struct lock_table table;
static struct model model;
static struct findings found;
static struct findings_config cfg;

static void reset(void)
{
	tree_free(model.tree);
	memset(procs, 0, sizeof(procs));
	memset(fds, 0, sizeof(fds));
	memset(groups, 0, sizeof(groups));
	memset(locks, 0, sizeof(locks));
	memset(lprocs, 0, sizeof(lprocs));
	memset(threads, 0, sizeof(threads));
	memset(&table, 0, sizeof(table));
	memset(&model, 0, sizeof(model));
	model.procs = procs;
	model.ofds = groups;
	model.locks = &table;
	table.locks = locks;
	table.procs = lprocs;
}

/* Process pid (in pid order) with one thread, sleeping in pause(2) unless
 * told otherwise; also a node of the lock table. */
static struct process *proc(int pid, int ppid, int sid, const char *exe)
{
	struct process *p = &procs[model.nprocs];
	struct lock_proc *lp = &lprocs[table.nprocs];

	p->pid = p->tgid = pid;
	p->ppid = ppid;
	p->sid = sid;
	p->pgrp = sid;
	p->state = 'S';
	p->comm = (char *)"proc";
	p->exe = (char *)exe;
	p->exe_len = strlen(exe);
	p->fds = fds[model.nprocs];
	lp->proc = p;
	lp->threads = threads[model.nprocs];
	lp->nthreads = 1;
	lp->threads[0] = (struct lock_thread){ .tid = pid, .nr = SYS_pause };
	model.nprocs++;
	table.nprocs++;
	return p;
}

static struct fd_entry *fd(struct process *p, int num)
{
	struct fd_entry *f = &p->fds[p->nfds++];

	f->fd = num;
	f->proc = p;
	f->kind = KIND_REG;
	f->target = (char *)"/run/app.lock";
	f->target_len = strlen(f->target);
	f->have_facts = true;
	return f;
}

/* A verified description held by fds v[0..n). */
static int share(struct fd_entry **v, size_t n)
{
	struct ofd_group *g = &groups[model.nofds];
	size_t i;

	g->id = (int)++model.nofds;
	g->proof = PROOF_KCMP;
	g->holders = group_holders[g->id - 1];
	for (i = 0; i < n; i++) {
		if (!i || v[i - 1]->proc != v[i]->proc)
			g->nprocs++;
		g->holders[g->nholders++] = v[i];
		v[i]->ofd = g->id;
	}
	return g->id;
}

/* A flock write lock taken by taker, carried by the description of the
 * fds v[0..n). */
static struct held_lock *flock_on(struct fd_entry **v, size_t n, int taker)
{
	size_t k = table.nlocks++;
	struct held_lock *l = &locks[k];
	size_t i;

	l->id = (int)k + 1;
	l->kind = LK_FLOCK;
	l->type = LK_WRITE;
	l->end = -1;
	l->pid = taker;
	l->ino = 100 + k;
	l->ofd = share(v, n);
	l->fds = lock_fds[k];
	l->holders = lock_holders[k];
	l->waiters = waiters[k];
	for (i = 0; i < n; i++) {
		l->fds[l->nfds++] = v[i];
		if (!l->nholders || l->holders[l->nholders - 1] != v[i]->proc)
			l->holders[l->nholders++] = v[i]->proc;
	}
	return l;
}

/* p's thread waits for l through its fd num (blocked in flock). */
static void wait_for(struct held_lock *l, struct process *p, int num)
{
	struct lock_thread *th = &lprocs[p - procs].threads[0];

	th->nr = SYS_flock;
	th->arg0 = (unsigned long long)num;
	th->lock_request = true;
	l->waiters[l->nwaiters++] = (struct lock_waiter){ .pid = p->pid, .tid = p->pid, .fd = num,
		.kind = LK_FLOCK, .type = LK_WRITE, .have_type = true, .end = -1, .have_range = true,
		.depth = 1 };
}

static size_t run(const char *code)
{
	if (!model.tree)
		model.tree = tree_build(procs, model.nprocs, 0, 100);
	findings_free(&found);
	findings_compute(&model, &cfg, SCOPE_ALL, &found);
	return findings_count_code(&found, code);
}

/* 10 and 11 each hold one flock and wait for the other's. */
static void deadlock_world(bool second_thread_free)
{
	struct process *a, *b;
	struct fd_entry *v[1];
	struct held_lock *la, *lb;

	reset();
	a = proc(10, 1, 1, "/usr/bin/app");
	b = proc(11, 1, 1, "/usr/bin/app");
	v[0] = fd(a, 3);
	fd(a, 4);
	la = flock_on(v, 1, 10);
	v[0] = fd(b, 3);
	fd(b, 4);
	lb = flock_on(v, 1, 11);
	wait_for(lb, a, 4);
	wait_for(la, b, 4);
	if (second_thread_free) {
		lprocs[1].nthreads = 2;
		lprocs[1].threads[1] = (struct lock_thread){ .tid = 12, .nr = SYS_pause };
	}
}

static void test_deadlock(void)
{
	const struct finding *f;

	deadlock_world(false);
	CHECK(run("lock-deadlock") == 1, "lock-deadlock: two flocks waited for round a cycle");
	f = findings_first_code(&found, "lock-deadlock");
	CHECK(f && f->severity == SEV_CRITICAL && f->npids == 2 && f->pids[0] == 10 && f->pids[1] == 11,
	      "lock-deadlock: critical, naming both");
	CHECK(f && f->nfds == 4, "lock-deadlock: each one's held and waiting fd");
	CHECK(run("lock-wait") == 0, "lock-deadlock: not also a lock-wait");
	deadlock_world(true);
	CHECK(run("lock-deadlock") == 0, "lock-deadlock twin: a thread of 11 not waiting could unlock");
}

/* 20 waits for the flock 21 holds; 21 is in state (and its thread in nr). */
static void wait_world(char state, long nr)
{
	struct process *w, *h;
	struct fd_entry *v[1];
	struct held_lock *l;

	reset();
	w = proc(20, 1, 1, "/usr/bin/backup");
	h = proc(21, 1, 1, "/usr/bin/app");
	fd(w, 3);
	h->state = state;
	lprocs[1].threads[0].nr = nr;
	v[0] = fd(h, 5);
	l = flock_on(v, 1, 21);
	wait_for(l, w, 3);
}

static void test_wait(void)
{
	const struct finding *f;

	wait_world('T', SYS_pause);
	CHECK(run("lock-wait") == 1, "lock-wait: the holder is stopped");
	f = findings_first_code(&found, "lock-wait");
	CHECK(f && f->severity == SEV_WARNING && f->npids == 2, "lock-wait: warning, waiter and holder");
	CHECK(f && strstr(f->hint, "kill -CONT 21"), "lock-wait: the hint resumes the holder");
	wait_world('t', SYS_pause);
	CHECK(run("lock-wait") == 1, "lock-wait: the holder is traced");
	wait_world('S', SYS_read);
	CHECK(run("lock-wait") == 0, "lock-wait twin: the holder sleeps in read (ordinary contention)");
	wait_world('R', SYS_pause);
	lprocs[1].threads[0].running = true;
	CHECK(run("lock-wait") == 0, "lock-wait twin: the holder runs");
	wait_world('T', SYS_pause);
	lprocs[1].threads = NULL;
	CHECK(run("lock-wait") == 1, "lock-wait: stopped is known even when its threads are not");
	wait_world('S', SYS_pause);
	lprocs[1].threads = NULL;
	CHECK(run("lock-wait") == 0, "lock-wait twin: a holder whose threads could not be read");
}

/* Process 2 (a supervisor, never called setsid: sid 1) has adopted 31, in
 * session 30 of its dead parent; 31 holds the flock 30 took.  With
 * taker_alive, 30 is still there holding it too. */
static void inherited_world(const char *exe, bool taker_alive)
{
	struct process *s, *t = NULL, *h;
	struct fd_entry *v[2];
	size_t n = 0;

	reset();
	s = proc(2, 1, 1, "/sbin/supervisor");
	(void)s;
	if (taker_alive) {
		t = proc(30, 2, 30, "/usr/sbin/app");
		v[n++] = fd(t, 3);
	}
	h = proc(31, taker_alive ? 30 : 2, 30, exe);
	v[n++] = fd(h, 3);
	flock_on(v, n, 30);
}

static void test_inherited(void)
{
	const struct finding *f;

	inherited_world("/usr/lib/app/helper", false);
	CHECK(run("lock-inherited") == 1, "lock-inherited: the taker ended, an adopted helper keeps it");
	f = findings_first_code(&found, "lock-inherited");
	CHECK(f && f->severity == SEV_WARNING && f->npids == 1 && f->pids[0] == 31 && f->nfds == 1,
	      "lock-inherited: warning naming the helper and its fd");
	CHECK(f && strstr(f->hint, "closes fd 3"), "lock-inherited: the hint says which fd releases it");
	inherited_world("/usr/lib/app/helper", true);
	CHECK(run("lock-inherited") == 0, "lock-inherited twin: the taker still holds it (prefork)");
	inherited_world("/bin/bash", false);
	CHECK(run("lock-inherited") == 0, "lock-inherited twin: a shell at the top owns it (flock 9)");
	inherited_world("/usr/lib/app/helper", false);
	procs[1].sid = 1;                       /* its parent's session: adoption not proven */
	CHECK(run("lock-inherited") == 0, "lock-inherited twin: re-parenting not proven");
	inherited_world("/usr/lib/app/helper", false);
	groups[0].proof = PROOF_NONE;
	CHECK(run("lock-inherited") == 0, "lock-inherited twin: the description's sharing unproven");
}

int main(void)
{
	findings_config_init(&cfg);
	test_deadlock();
	test_wait();
	test_inherited();
	findings_free(&found);
	tree_free(model.tree);
	return check_done();
}
