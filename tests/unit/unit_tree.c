/* unit_tree.c - the tree analysis on made-up process tables: parent links,
 * the re-parenting rules (and where they must answer "unknown", never
 * false), subreaper evidence, zombie groups and their reasons, heirs, views. */
#include "check.h"
#include "model/tree.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ZERO_MASK "0000000000000000"
#define CHLD_MASK "0000000000010000"   /* SIGCHLD = 17: bit 16 */

static struct process procs[32];
static size_t nprocs;

/* Add a process (call in pid order): sid, state and start time matter here. */
static struct process *add(int pid, int ppid, int sid, char state, unsigned long long start)
{
	struct process *p = &procs[nprocs++];

	memset(p, 0, sizeof(*p));
	p->pid = p->tgid = p->pgrp = pid;
	p->ppid = ppid;
	p->sid = sid;
	p->state = state;
	p->start_time = start;
	p->threads = 1;
	p->comm = "x";
	p->nspid[0] = pid;
	p->nspid_count = 1;
	strcpy(p->sigignore, ZERO_MASK);
	strcpy(p->sigcatch, ZERO_MASK);
	strcpy(p->sigblocked, ZERO_MASK);
	return p;
}

static struct tree *build(void)
{
	return tree_build(procs, nprocs, 1000.0, 100);
}

static const struct tree_node *node(const struct tree *t, int pid)
{
	int k = tree_find(t, pid);
	return k >= 0 ? &t->nodes[k] : NULL;
}

static void test_sigmask(void)
{
	CHECK(sigmask_has(CHLD_MASK, 17), "SIGCHLD (17) is bit 16 of the mask");
	CHECK(!sigmask_has(CHLD_MASK, 16), "bit 15 is not set");
	CHECK(!sigmask_has(ZERO_MASK, 17), "an empty mask has no SIGCHLD");
	CHECK(!sigmask_has("", 17), "an unread mask (\"\") has nothing");
	CHECK(!sigmask_has("00000000000g0000", 17), "a malformed mask has nothing");
	CHECK(sigmask_has("8000000000000000", 64), "signal 64 is the top bit");
	CHECK(sigmask_has("0000000000000001", 1), "signal 1 is the low bit");
	CHECK(!sigmask_has(CHLD_MASK, 0) && !sigmask_has(CHLD_MASK, 65), "signals out of range are never set");
}

static void test_links(void)
{
	struct tree *t;

	nprocs = 0;
	add(1, 0, 0, 'S', 1);
	add(10, 1, 0, 'S', 100);
	add(11, 10, 0, 'S', 200);
	add(12, 10, 0, 'S', 300);
	add(13, 99, 0, 'S', 300);          /* parent not in the table */
	procs[nprocs - 1].gone = false;
	add(14, 15, 0, 'S', 400);          /* parent gone */
	add(15, 1, 0, 'S', 350)->gone = true;
	t = build();
	CHECK(node(t, 11)->parent == tree_find(t, 10), "11's parent is 10");
	CHECK(node(t, 10)->nchildren == 2 && t->nodes[node(t, 10)->children[0]].proc->pid == 11 &&
	      t->nodes[node(t, 10)->children[1]].proc->pid == 12, "10's children are 11, 12 in pid order");
	CHECK(node(t, 1)->parent == -1, "1 has no parent (ppid 0)");
	CHECK(node(t, 13)->parent == -1, "a parent missing from the table makes a root");
	CHECK(node(t, 14)->parent == -1, "a gone parent makes a root");
	CHECK(!node(t, 15)->present, "a gone process is not present");
	CHECK(node(t, 1)->pidns_init && !node(t, 10)->pidns_init, "NSpid 1 is a pid-ns init, others not");
	CHECK(tree_node_of(t, &procs[2]) == node(t, 11), "tree_node_of maps a process to its node");
	CHECK(tree_find(t, 77) == -1, "tree_find of an absent pid is -1");
	CHECK(tree_age(t, &procs[1]) == 999.0, "age = uptime - start/hz (1000 - 100/100)");
	tree_free(t);

	/* a ppid loop from pid reuse must not make walks endless */
	nprocs = 0;
	add(100, 101, 0, 'S', 10);
	add(101, 100, 0, 'S', 20);
	t = build();
	CHECK((node(t, 100)->parent == -1) != (node(t, 101)->parent == -1), "a ppid loop is cut once");
	tree_free(t);
}

static void test_session_rule(void)
{
	struct tree *t;

	nprocs = 0;
	add(1, 0, 0, 'S', 1);                    /* init, never called setsid: sid 0 */
	add(20, 1, 5, 'S', 100);                 /* P: session 5, not its leader */
	add(21, 20, 25, 'S', 200);               /* C: session 25, not P's -> adopted */
	add(22, 20, 5, 'S', 200);                /* same session as P: unknown */
	add(23, 20, 23, 'S', 200);               /* called setsid: unknown */
	add(24, 1, 0, 'S', 100);                 /* init's session: unknown */
	add(30, 1, 30, 'S', 100);                /* Q: a session leader */
	add(31, 30, 25, 'S', 200);               /* Q may have called setsid after forking it */
	add(40, 1, 40, 'S', 50);
	add(41, 40, 40, 'S', 10);                /* started before its parent */
	t = build();
	CHECK(node(t, 21)->reparented == TRI_TRUE && node(t, 21)->evidence == REPARENT_SESSION,
	      "another session than a non-leader parent's: reparented (session)");
	CHECK(node(t, 21)->adopter == ADOPTER_SUBREAPER, "adopted by a non-init: a subreaper");
	CHECK(node(t, 20)->subreaper == TRI_TRUE, "its parent is a subreaper (evidence)");
	CHECK(node(t, 22)->reparented == TRI_UNKNOWN, "same session: unknown, not false");
	CHECK(node(t, 24)->reparented == TRI_UNKNOWN, "init's child in init's session: unknown");
	CHECK(node(t, 23)->reparented == TRI_UNKNOWN, "a session leader child: unknown");
	CHECK(node(t, 31)->reparented == TRI_UNKNOWN, "parent is a session leader (setsid after fork?): unknown");
	CHECK(node(t, 30)->subreaper == TRI_UNKNOWN, "no proof: subreaper unknown, not false");
	CHECK(node(t, 41)->reparented == TRI_TRUE && (node(t, 41)->evidence & REPARENT_START),
	      "started before its parent: reparented (start_time)");
	CHECK(node(t, 40)->subreaper == TRI_TRUE, "the parent of an older child is a subreaper");
	CHECK(node(t, 20)->reparented == TRI_TRUE && node(t, 20)->adopter == ADOPTER_PIDNS_INIT,
	      "session 5 under an init that never called setsid (sid 0): adopted by init");
	CHECK(node(t, 1)->subreaper == TRI_UNKNOWN, "init adopting is not a subreaper");
	CHECK(node(t, 1)->reparented == TRI_UNKNOWN && node(t, 1)->subreaper == TRI_UNKNOWN,
	      "init: nothing proven either way");
	tree_free(t);
}

static void test_init_rules(void)
{
	struct tree *t;
	struct process *n;

	nprocs = 0;
	add(1, 0, 1, 'S', 1);                    /* reader's init, a session leader */
	add(10, 1, 9, 'S', 100);                 /* session 9 (dead leader): adopted by init */
	add(11, 1, 0, 'S', 100);                 /* init's birth session: unknown */
	add(12, 1, 1, 'S', 100);                 /* init's own session: unknown */
	n = add(50, 1, 50, 'S', 100);            /* a nested pid-ns init, session leader */
	n->nspid[1] = 1;
	n->nspid_count = 2;
	n = add(51, 50, 60, 'S', 200);           /* its child in another session */
	n->nspid[1] = 2;
	n->nspid_count = 2;
	add(52, 2, 0, 'S', 100)->is_kthread = true;
	t = build();
	CHECK(node(t, 10)->reparented == TRI_TRUE && node(t, 10)->adopter == ADOPTER_PIDNS_INIT,
	      "reader's init as session leader: another session proves adoption by init");
	CHECK(node(t, 1)->subreaper == TRI_UNKNOWN, "an init that adopts is not called a subreaper");
	CHECK(node(t, 11)->reparented == TRI_UNKNOWN, "sid 0 under the reader's init: unknown");
	CHECK(node(t, 12)->reparented == TRI_UNKNOWN, "init's own session: unknown");
	CHECK(node(t, 50)->pidns_init, "innermost NSpid 1: a pid-ns init");
	CHECK(node(t, 51)->reparented == TRI_UNKNOWN,
	      "a nested init that leads its session may have forked before setsid: unknown");
	CHECK(node(t, 52)->reparented == TRI_UNKNOWN, "kernel threads: unknown");
	tree_free(t);
}

static struct process *zparent(int pid, int ppid, const char *ign, const char *cgt, const char *blk,
			       char state)
{
	struct process *p = add(pid, ppid, 0, state, 100);

	strcpy(p->sigignore, ign);
	strcpy(p->sigcatch, cgt);
	strcpy(p->sigblocked, blk);
	return p;
}

static const struct zombie_group *group_of(const struct tree *t, int pid)
{
	const struct tree_node *nd = node(t, pid);
	return nd && nd->zombie_group >= 0 ? &t->groups[nd->zombie_group] : NULL;
}

static void test_zombies(void)
{
	const struct zombie_group *g;
	struct tree *t;
	struct strbuf sb;

	nprocs = 0;
	add(1, 0, 0, 'S', 1);
	zparent(10, 1, ZERO_MASK, ZERO_MASK, ZERO_MASK, 'S');       /* default */
	zparent(11, 1, CHLD_MASK, ZERO_MASK, ZERO_MASK, 'S');       /* ignored */
	zparent(12, 1, ZERO_MASK, CHLD_MASK, ZERO_MASK, 'S');       /* caught */
	zparent(13, 1, ZERO_MASK, CHLD_MASK, CHLD_MASK, 'S');       /* caught, blocked */
	zparent(14, 1, ZERO_MASK, CHLD_MASK, ZERO_MASK, 'T');       /* caught, stopped */
	zparent(15, 1, ZERO_MASK, ZERO_MASK, ZERO_MASK, 't');
	zparent(16, 1, ZERO_MASK, ZERO_MASK, ZERO_MASK, 'D');
	zparent(17, 1, "", "", "", 'S');                            /* masks unread */
	zparent(18, 1, ZERO_MASK, ZERO_MASK, ZERO_MASK, 'S');       /* reaps: no zombies */
	add(20, 10, 0, 'Z', 200);
	add(21, 10, 0, 'Z', 300);
	add(22, 10, 0, 'S', 300);
	add(23, 11, 0, 'Z', 300);
	add(24, 12, 0, 'Z', 300);
	add(25, 13, 0, 'Z', 300);
	add(26, 14, 0, 'Z', 300);
	add(27, 15, 0, 'Z', 300);
	add(28, 16, 0, 'Z', 300);
	add(29, 17, 0, 'Z', 300);
	add(30, 18, 0, 'Z', 300)->threads = 3;                       /* leader exited, threads run */
	t = build();
	g = group_of(t, 10);
	CHECK(g && g->nchildren == 2 && t->nodes[g->children[0]].proc->pid == 20 &&
	      t->nodes[g->children[1]].proc->pid == 21, "10's group: zombies 20, 21, not the live 22");
	CHECK(g && g->reason == ZR_SIGCHLD_DEFAULT, "default disposition: sigchld-default");
	CHECK(g && g->heir == tree_find(t, 1), "ending 10 hands them to init");
	CHECK((g = group_of(t, 11)) && g->reason == ZR_SIGCHLD_IGNORED, "ignored: sigchld-ignored");
	CHECK((g = group_of(t, 12)) && g->reason == ZR_SIGCHLD_CAUGHT, "caught: sigchld-caught");
	g = group_of(t, 13);
	CHECK(g && g->reason == ZR_SIGCHLD_BLOCKED && (g->reasons & (1u << ZR_SIGCHLD_CAUGHT)),
	      "caught but blocked: sigchld-blocked first, caught also listed");
	g = group_of(t, 14);
	CHECK(g && g->reason == ZR_PARENT_STOPPED && (g->reasons & (1u << ZR_SIGCHLD_CAUGHT)),
	      "stopped parent: parent-stopped first, caught also listed");
	CHECK((g = group_of(t, 15)) && g->reason == ZR_PARENT_TRACED, "traced parent: parent-traced");
	CHECK((g = group_of(t, 16)) && g->reason == ZR_PARENT_DSLEEP, "D parent: parent-uninterruptible");
	CHECK((g = group_of(t, 17)) && g->reason == ZR_UNKNOWN, "unread masks: unknown");
	CHECK(!group_of(t, 18), "a leader that exited while threads run is no zombie");
	CHECK(node(t, 30)->leader_exited && !node(t, 30)->zombie, "... it is marked leader_exited");
	CHECK(t->ngroups == 8, "8 zombie groups");
	CHECK_STR(zombie_reason_code(ZR_SIGCHLD_CAUGHT), "sigchld-caught", "reason code");
	sb_init(&sb);
	zombie_hint(t, group_of(t, 14), &sb);
	CHECK(strstr(sb.buf, "kill -CONT 14") && strstr(sb.buf, "ending 14 hands them to 1"),
	      "the hint names the parent's pid and the heir");
	sb_free(&sb);
	tree_free(t);
}

static void test_heirs_and_pidns(void)
{
	const struct zombie_group *g;
	struct tree *t;
	struct process *p;
	struct strbuf sb;

	nprocs = 0;
	add(1, 0, 0, 'S', 1);
	add(10, 1, 0, 'S', 100);                  /* S: subreaper (has an adopted child) */
	add(11, 10, 0, 'S', 200);                 /* P: zombies under it */
	add(12, 10, 99, 'S', 150);                /* adopted by S: another session */
	add(13, 11, 0, 'Z', 300);
	p = add(20, 1, 0, 'S', 100);              /* a container's init */
	p->nspid[1] = 1;
	p->nspid_count = 2;
	p = add(21, 20, 0, 'Z', 200);
	p->nspid[1] = 2;
	p->nspid_count = 2;
	t = build();
	CHECK(node(t, 10)->subreaper == TRI_TRUE, "S is a subreaper by evidence");
	CHECK((g = group_of(t, 11)) && g->heir == tree_find(t, 10), "P's zombies would go to subreaper S");
	g = group_of(t, 20);
	CHECK(g && g->reason == ZR_PIDNS_INIT && g->heir == -1, "a pid-ns init's zombies: pidns-init, no heir");
	sb_init(&sb);
	zombie_hint(t, g, &sb);
	CHECK(strstr(sb.buf, "tini") && strstr(sb.buf, "ends its pid namespace"), "pid-ns init hint: tini");
	sb_free(&sb);
	tree_free(t);
}

/* The kernel's flags (tree_build_exact): they replace rule 4 where they
 * match by pid and start time, never touch "reparented", and decide heirs
 * as the kernel does. */
static void test_exact(void)
{
	struct subreaper_flag f[8];
	struct subreaper_table tab = { f, 0 };
	const struct zombie_group *g;
	struct tree *t;
	struct strbuf sb;

	nprocs = 0;
	add(1, 0, 0, 'S', 1);
	add(10, 1, 0, 'S', 100);                  /* S: flag set, adopted in its session */
	add(11, 10, 0, 'S', 200);                 /* P: zombies under it */
	add(12, 10, 0, 'S', 150);                 /* adopted by S, one session: no proof */
	add(13, 11, 0, 'Z', 300);
	add(20, 1, 0, 'S', 100);                  /* Q: proven adopter, flag clear now */
	add(21, 20, 99, 'S', 50);                 /* proven adopted (session, start) */
	add(30, 1, 0, 'S', 400);                  /* not covered: pid reused since */
	f[tab.n++] = (struct subreaper_flag){ 1, 1, false, false };
	f[tab.n++] = (struct subreaper_flag){ 10, 100, true, false };
	f[tab.n++] = (struct subreaper_flag){ 11, 200, false, false };
	f[tab.n++] = (struct subreaper_flag){ 12, 150, false, true };
	f[tab.n++] = (struct subreaper_flag){ 13, 300, false, true };
	f[tab.n++] = (struct subreaper_flag){ 20, 100, false, false };
	f[tab.n++] = (struct subreaper_flag){ 21, 50, false, false };
	f[tab.n++] = (struct subreaper_flag){ 30, 999, true, false };

	t = tree_build(procs, nprocs, 1000.0, 100);
	CHECK(!t->exact && t->exact_err == ENODATA && !node(t, 10)->exact, "tree_build: no exact flags (ENODATA: not asked for)");
	CHECK(node(t, 10)->subreaper == TRI_UNKNOWN && node(t, 20)->subreaper == TRI_TRUE,
	      "evidence: S unknown (one session), Q a subreaper (proven adoption)");
	tree_free(t);

	f[2].has_child_subreaper = true;          /* P's orphans look for a subreaper */
	t = tree_build_exact(procs, nprocs, 1000.0, 100, &tab, 0);
	CHECK(t->exact && t->exact_err == 0, "tree_build_exact: exact flags given");
	CHECK(node(t, 10)->exact && node(t, 10)->subreaper == TRI_TRUE, "S: subreaper true, exact");
	CHECK(node(t, 1)->exact && node(t, 1)->subreaper == TRI_FALSE, "init: flag clear, subreaper false");
	CHECK(node(t, 11)->subreaper == TRI_FALSE && node(t, 12)->subreaper == TRI_FALSE,
	      "S's children: subreaper false, exact");
	CHECK(node(t, 12)->reparented == TRI_UNKNOWN, "adopted in one session: reparented stays unknown");
	CHECK(node(t, 20)->subreaper == TRI_FALSE, "Q: the kernel's flag (clear now) wins over rule 4");
	CHECK(node(t, 21)->reparented == TRI_TRUE && node(t, 21)->adopter == ADOPTER_SUBREAPER,
	      "Q's adopted child: reparented true, adopter subreaper (evidence kept)");
	CHECK(!node(t, 30)->exact && node(t, 30)->subreaper == TRI_UNKNOWN && t->inexact == 1,
	      "start time differs (pid reused): not exact, evidence kept, counted");
	g = group_of(t, 11);
	CHECK(g && g->heir == tree_find(t, 10), "P has_child_subreaper: its zombies would go to S");
	sb_init(&sb);
	zombie_hint(t, g, &sb);
	CHECK(strstr(sb.buf, "hands them to the subreaper 10, which must reap them") &&
	      !strstr(sb.buf, "does not show"), "exact hint: the subreaper, no caveat");
	sb_free(&sb);
	tree_free(t);

	f[2].has_child_subreaper = false;         /* as the kernel: no subreaper looked for */
	t = tree_build_exact(procs, nprocs, 1000.0, 100, &tab, 0);
	g = group_of(t, 11);
	CHECK(g && g->heir == tree_find(t, 1), "P without has_child_subreaper: its zombies would go to init");
	sb_init(&sb);
	zombie_hint(t, g, &sb);
	CHECK(strstr(sb.buf, "hands them to 1, the init of its pid namespace, which must reap them") &&
	      !strstr(sb.buf, "does not show"), "exact hint: the init, no caveat");
	sb_free(&sb);
	tree_free(t);

	t = tree_build_exact(procs, nprocs, 1000.0, 100, NULL, EPERM);
	CHECK(!t->exact && t->exact_err == EPERM && node(t, 20)->subreaper == TRI_TRUE,
	      "refused (EPERM): evidence, and the tree keeps why");
	tree_free(t);
}

static void test_views(void)
{
	struct tree *t;
	bool *v;

	nprocs = 0;
	add(1, 0, 0, 'S', 1);
	add(2, 0, 0, 'S', 1)->is_kthread = true;
	add(3, 2, 0, 'I', 1)->is_kthread = true;
	add(10, 1, 0, 'S', 100);
	add(11, 10, 0, 'S', 200);
	add(12, 11, 0, 'S', 300);
	add(13, 1, 0, 'S', 300);
	t = build();
	v = tree_view(t, false, false);
	CHECK(v[tree_find(t, 1)] && v[tree_find(t, 13)] && !v[tree_find(t, 2)] && !v[tree_find(t, 3)],
	      "whole tree: kernel threads hidden");
	free(v);
	v = tree_view(t, false, true);
	CHECK(v[tree_find(t, 2)] && v[tree_find(t, 3)], "--kernel-threads shows them");
	free(v);
	procs[4].selected = true;   /* pid 11 */
	v = tree_view(t, true, false);
	CHECK(v[tree_find(t, 1)] && v[tree_find(t, 10)] && v[tree_find(t, 11)] && v[tree_find(t, 12)],
	      "-p 11: ancestry 1, 10 and subtree 12");
	CHECK(!v[tree_find(t, 13)] && !v[tree_find(t, 2)], "-p 11: not the sibling branch");
	free(v);
	tree_free(t);
}

int main(void)
{
	test_sigmask();
	test_links();
	test_session_rule();
	test_init_rules();
	test_zombies();
	test_heirs_and_pidns();
	test_exact();
	test_views();
	return check_done();
}
