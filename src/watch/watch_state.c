/* watch_state.c - the picture of processes and the events derived from it
 * (see watch_state.h for what is reported and why). */
#include "watch/watch_state.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Thread groups whose leader exited but which show no zombie after this
 * long (the pid runs again: an exec from another thread, or reuse) are
 * taken as ended. */
#define PENDING_GIVE_UP_NS 1000000000ULL
/* /proc runs ahead of the events: a tick may find a group gone (reaped, or
 * a zombie with no thread left) before the exit event of its last thread
 * was read, and only that event carries the group's status (e.g. SIGTERM,
 * where the leader's pthread_exit() said 0).  The tick waits this long for
 * it (the reader thread may be starved on a loaded machine) before it
 * reports the exit with the status it has. */
#define LAST_THREAD_WAIT_NS 5000000000ULL

struct wnode {
	int pid, ppid;
	int parent_tid;                  /* the thread that forked it, 0 unknown */
	int birth_ppid;                  /* parent at fork, 0 unknown */
	unsigned long long start_time;   /* from stat, 0 until read */
	unsigned long long exit_ts;      /* the group's last thread exit */
	unsigned long long zombie_since; /* 0 unknown */
	unsigned long long gone_seen;    /* when a tick first found the pending group ended, 0 not yet */
	unsigned status;                 /* wait status of that exit */
	unsigned nkids;                  /* nodes whose ppid is this pid */
	unsigned gen;                    /* the last scan that saw it */
	char comm[64];                   /* "": unknown */
	unsigned long long exec_seen;    /* hash of the program its last exec report showed, 0 none */
	bool scope, scope_set;
	bool leader_dead;                /* the leader thread exited */
	bool dead;                       /* the whole group exited */
	bool zombie;                     /* dead and not reaped */
	bool zombie_told;                /* its zombie event went out (or it was one when first seen) */
	bool pending;                    /* leader dead, group alive: in s->pending */
	struct wnode *next;              /* hash chain */
};

/* A child whose parent thread exited while its group lives on. */
struct orphan {
	int pid, tgid, tid;
	unsigned long long ts;
};

struct wstate {
	struct wprobe probe;
	wemit_fn emit;
	void *arg;
	struct wnode **buckets;
	size_t nbuckets, count;
	unsigned gen;
	int *roots;
	size_t nroots, rootcap;
	int *zombies;
	size_t nzombies, zombiecap;
	int *pending;
	size_t npending, pendingcap;
	struct orphan *orphans;
	size_t norphans, orphancap;
};

/* ---- names ---- */

static const char *const kind_names[WK_COUNT] = {
	"fork", "exec", "exit", "reparent", "zombie", "reaped", "lost",
};

const char *wkind_name(enum wkind k)
{
	return (unsigned)k < WK_COUNT ? kind_names[k] : "unknown";
}

int wkinds_parse(const char *list, unsigned *mask, const char **bad)
{
	static char badbuf[64];
	const char *p = list, *end;
	size_t len, k;

	*mask = 0;
	for (;; p = end + 1) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		for (k = 0; k < WK_COUNT; k++)
			if (strlen(kind_names[k]) == len && strncmp(p, kind_names[k], len) == 0)
				break;
		if (k == WK_COUNT) {
			snprintf(badbuf, sizeof(badbuf), "%.*s", (int)(len < 60 ? len : 60), p);
			*bad = badbuf;
			return -1;
		}
		*mask |= 1u << k;
		if (!end)
			return 0;
	}
}

const char *wadopter_name(enum wadopter a)
{
	switch (a) {
	case ADOPT_INIT: return "init";
	case ADOPT_SUBREAPER: return "subreaper";
	case ADOPT_THREAD: return "thread";
	}
	return "unknown";
}

/* ---- the hash of nodes ---- */

static size_t bucket_of(const struct wstate *s, int pid)
{
	return ((unsigned)pid * 2654435761u) & (s->nbuckets - 1);
}

static struct wnode *find(const struct wstate *s, int pid)
{
	struct wnode *n;

	if (!s->nbuckets || pid <= 0)
		return NULL;
	for (n = s->buckets[bucket_of(s, pid)]; n; n = n->next)
		if (n->pid == pid)
			return n;
	return NULL;
}

static void rehash(struct wstate *s)
{
	struct wnode **old = s->buckets, *n, *next;
	size_t i, oldn = s->nbuckets;

	s->nbuckets = oldn ? oldn * 2 : 1024;
	s->buckets = xcalloc(s->nbuckets, sizeof(*s->buckets));
	for (i = 0; i < oldn; i++)
		for (n = old[i]; n; n = next) {
			next = n->next;
			n->next = s->buckets[bucket_of(s, n->pid)];
			s->buckets[bucket_of(s, n->pid)] = n;
		}
	free(old);
}

/* Every node n (the hash must not change inside the loop). */
#define FOR_EACH_NODE(s, n) \
	for (size_t b_ = 0; b_ < (s)->nbuckets; b_++) \
		for (struct wnode *n = (s)->buckets[b_]; n; n = n->next)

static void set_ppid(struct wstate *s, struct wnode *n, int ppid)
{
	struct wnode *p;

	if ((p = find(s, n->ppid)) && p->nkids)
		p->nkids--;
	n->ppid = ppid;
	if ((p = find(s, ppid)))
		p->nkids++;
}

static bool is_root(const struct wstate *s, int pid)
{
	size_t i;

	for (i = 0; i < s->nroots; i++)
		if (s->roots[i] == pid)
			return true;
	return false;
}

/* In scope: a root or a descendant of one (memoised; chains are short). */
static bool scope_of(struct wstate *s, struct wnode *n, int depth)
{
	struct wnode *p;

	if (!n->scope_set) {
		p = find(s, n->ppid);
		n->scope = is_root(s, n->pid) ||
			(p && p != n && depth < 4096 && scope_of(s, p, depth + 1));
		n->scope_set = true;
	}
	return n->scope;
}

static bool in_scope(struct wstate *s, struct wnode *n)
{
	return s->nroots == 0 || scope_of(s, n, 0);
}

static struct wnode *node_add(struct wstate *s, int pid, int ppid, const char *comm)
{
	struct wnode *n = xcalloc(1, sizeof(*n));

	if (s->count >= s->nbuckets)
		rehash(s);
	n->pid = pid;
	n->ppid = 0;
	snprintf(n->comm, sizeof(n->comm), "%s", comm ? comm : "");
	n->gen = s->gen;
	n->next = s->buckets[bucket_of(s, pid)];
	s->buckets[bucket_of(s, pid)] = n;
	s->count++;
	set_ppid(s, n, ppid);
	return n;
}

/* A node made for a pid met outside the scan or a fork: children it may
 * already have in the picture are counted once (rare, so a full pass). */
static void count_kids(struct wstate *s, struct wnode *p)
{
	p->nkids = 0;
	FOR_EACH_NODE(s, n)
		p->nkids += n->ppid == p->pid && n != p;
}

static void drop_from(int *list, size_t *n, int pid)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (list[i] == pid) {
			list[i] = list[--*n];
			return;
		}
}

static void node_remove(struct wstate *s, struct wnode *n)
{
	struct wnode **pp, *p;

	if ((p = find(s, n->ppid)) && p != n && p->nkids)
		p->nkids--;
	for (pp = &s->buckets[bucket_of(s, n->pid)]; *pp; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	s->count--;
	if (n->zombie)
		drop_from(s->zombies, &s->nzombies, n->pid);
	if (n->pending)
		drop_from(s->pending, &s->npending, n->pid);
	free(n);
}

static void push_pid(int **list, size_t *n, size_t *cap, int pid)
{
	grow_array((void **)list, cap, *n + 1, sizeof(int));
	(*list)[(*n)++] = pid;
}

/* ---- reporting ---- */

/* The name of pid: from the picture, else from its stat; NULL if unknown. */
static const char *comm_of(struct wstate *s, int pid, struct stat_info *buf)
{
	struct wnode *n = find(s, pid);

	if (n)
		return n->comm;
	if (pid > 0 && s->probe.stat(s->probe.ctx, pid, buf) == 0)
		return buf->comm;
	return NULL;
}

/* A report about node n, with its parent filled in. */
static void report_init(struct wstate *s, struct wreport *r, enum wkind kind,
			struct wnode *n, unsigned long long ts, struct stat_info *pbuf)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->ts_ns = ts;
	r->in_scope = in_scope(s, n);
	r->pid = n->pid;
	r->comm = n->comm[0] ? n->comm : NULL;
	r->ppid = n->ppid;
	r->pcomm = comm_of(s, n->ppid, pbuf);
	r->zombie_ns = -1;
}

static void emit_simple(struct wstate *s, enum wkind kind, struct wnode *n, unsigned long long ts)
{
	struct stat_info pbuf;
	struct wreport r;

	report_init(s, &r, kind, n, ts, &pbuf);
	r.status = n->status;
	s->emit(s->arg, &r);
}

/* A zombie went away at ts: report (if its zombie event went out) and forget it. */
static void reaped(struct wstate *s, struct wnode *n, unsigned long long ts)
{
	struct stat_info pbuf;
	struct wreport r;

	if (!n->zombie_told) {
		node_remove(s, n);
		return;
	}
	report_init(s, &r, WK_REAPED, n, ts, &pbuf);
	if (n->zombie_since && ts >= n->zombie_since)
		r.zombie_ns = (long long)(ts - n->zombie_since);
	s->emit(s->arg, &r);
	node_remove(s, n);
}

static void reparented(struct wstate *s, struct wnode *c, int old, int adopter,
		       enum wadopter how, unsigned long long ts)
{
	struct stat_info pbuf;
	struct wreport r;

	set_ppid(s, c, adopter);
	c->parent_tid = 0;
	report_init(s, &r, WK_REPARENT, c, ts, &pbuf);
	r.old_ppid = old;
	r.birth_ppid = c->birth_ppid;
	r.adopter = how;
	s->emit(s->arg, &r);
}

/* ---- exits and adoption ---- */

/* The pids of the nodes whose parent is tgid (malloc'd, *n of them). */
static int *children_of(struct wstate *s, int tgid, size_t *n)
{
	struct wnode *p = find(s, tgid);
	int *kids = NULL;
	size_t cap = 0;

	*n = 0;
	if (!p || !p->nkids)
		return NULL;
	FOR_EACH_NODE(s, c)
		if (c->ppid == tgid && c != p)
			push_pid(&kids, n, &cap, c->pid);
	return kids;
}

/* The group tgid is gone: its children belong to whoever /proc says now. */
static void adopt_children(struct wstate *s, int tgid, unsigned long long ts)
{
	struct stat_info st;
	struct wnode *c;
	size_t i, n;
	int *kids = children_of(s, tgid, &n);

	for (i = 0; i < n; i++) {
		c = find(s, kids[i]);
		if (!c || s->probe.stat(s->probe.ctx, c->pid, &st) < 0)
			continue;   /* gone too: its own exit event tells */
		if ((c->start_time && st.start_time != c->start_time) || st.ppid == tgid)
			continue;
		reparented(s, c, tgid, st.ppid,
			   st.ppid == 1 || s->probe.is_ns_init(s->probe.ctx, st.ppid)
			   ? ADOPT_INIT : ADOPT_SUBREAPER, ts);
	}
	free(kids);
}

/* Children that thread tid of group tgid forked: another thread of the
 * group has them now, unless the group is dying; decided at a later tick. */
static void note_orphans(struct wstate *s, int tgid, int tid, unsigned long long ts)
{
	struct wnode *c;
	size_t i, n;
	int *kids = children_of(s, tgid, &n);

	for (i = 0; i < n; i++) {
		c = find(s, kids[i]);
		if (!c || c->parent_tid != tid)
			continue;
		grow_array((void **)&s->orphans, &s->orphancap, s->norphans + 1, sizeof(*s->orphans));
		s->orphans[s->norphans++] = (struct orphan){ c->pid, tgid, tid, ts };
	}
	free(kids);
}

static void forget_orphans(struct wstate *s, int tgid)
{
	size_t i = 0;

	while (i < s->norphans)
		if (s->orphans[i].tgid == tgid)
			s->orphans[i] = s->orphans[--s->norphans];
		else
			i++;
}

/* The whole group of n exited at n->exit_ts; zombie: not reaped yet.  n is
 * freed unless it is a zombie. */
static void group_exited(struct wstate *s, struct wnode *n, bool zombie)
{
	n->dead = true;
	if (n->pending) {
		n->pending = false;
		drop_from(s->pending, &s->npending, n->pid);
	}
	forget_orphans(s, n->pid);
	emit_simple(s, WK_EXIT, n, n->exit_ts);
	if (zombie) {
		n->zombie = true;
		n->zombie_since = n->exit_ts;
		push_pid(&s->zombies, &s->nzombies, &s->zombiecap, n->pid);
	}
	adopt_children(s, n->pid, n->exit_ts);
	if (!zombie)
		node_remove(s, n);
}

/* The leader of n has exited: has the group?  Reads its stat; true while
 * n is still in the picture.  by_event: called for an exit event, whose
 * status is the group's; a tick (!by_event) that finds the group ended
 * first waits for that event (LAST_THREAD_WAIT_NS). */
static bool settle_group(struct wstate *s, struct wnode *n, unsigned long long now, bool by_event)
{
	struct stat_info st;
	bool gone, zombie = false;

	gone = s->probe.stat(s->probe.ctx, n->pid, &st) < 0 || st.state == 'X' ||
		(n->start_time && st.start_time != n->start_time);
	if (!gone)
		zombie = st.state == 'Z' && st.num_threads <= 1;
	if ((gone || zombie) && !by_event) {
		if (!n->gone_seen)
			n->gone_seen = now;
		if (now < n->gone_seen + LAST_THREAD_WAIT_NS)
			goto keep_pending;
	}
	if (gone) {
		group_exited(s, n, false);
		return false;
	}
	n->start_time = st.start_time;
	if (zombie) {
		snprintf(n->comm, sizeof(n->comm), "%s", st.comm);
		group_exited(s, n, true);
		return true;
	}
	if (st.state != 'Z' && now > n->exit_ts + PENDING_GIVE_UP_NS) {
		group_exited(s, n, false);
		return false;
	}
keep_pending:
	if (!n->pending) {
		n->pending = true;
		push_pid(&s->pending, &s->npending, &s->pendingcap, n->pid);
	}
	return true;
}

/* ---- events ---- */

static void ev_fork(struct wstate *s, const struct proc_ev *ev)
{
	struct stat_info st;
	struct wnode *c, *p;

	if (ev->pid != ev->tgid)
		return;   /* a new thread */
	c = find(s, ev->tgid);
	if (c && c->dead) {
		reaped(s, c, ev->ts_ns);   /* its pid is in use again */
		c = NULL;
	}
	p = find(s, ev->parent_tgid);
	if (!c) {
		c = node_add(s, ev->tgid, ev->parent_tgid, p ? p->comm : NULL);
		if (!p && s->probe.stat(s->probe.ctx, c->pid, &st) == 0)
			snprintf(c->comm, sizeof(c->comm), "%s", st.comm);
	} else {
		/* Seen by a scan that raced with the fork: the event is the truth. */
		set_ppid(s, c, ev->parent_tgid);
		c->scope_set = false;
	}
	c->birth_ppid = ev->parent_tgid;
	c->parent_tid = ev->parent_pid;
	{
		struct stat_info pbuf;
		struct wreport r;
		report_init(s, &r, WK_FORK, c, ev->ts_ns, &pbuf);
		r.parent_tid = ev->parent_pid;
		s->emit(s->arg, &r);
	}
}

/* A node for a process first met in an exec or exit event. */
static struct wnode *node_met(struct wstate *s, int pid, int ppid_hint)
{
	struct stat_info st;
	struct wnode *n;

	if (s->probe.stat(s->probe.ctx, pid, &st) == 0) {
		n = node_add(s, pid, st.ppid, st.comm);
		n->start_time = st.start_time;
	} else if (ppid_hint > 0) {
		n = node_add(s, pid, ppid_hint, NULL);
	} else {
		return NULL;
	}
	count_kids(s, n);
	return n;
}

static void free_argv(char **argv)
{
	size_t i;

	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* What an exec report shows of the new program (name, start, command line),
 * hashed; 0 when the program could not be read (never deduplicated). */
static unsigned long long exec_hash(const char *comm, unsigned long long start, char **argv)
{
	unsigned long long h;
	size_t i;

	if (!comm[0] || !argv)
		return 0;
	h = hash_bytes(comm, strlen(comm)) ^ (start * 0x9E3779B97F4A7C15ull);
	for (i = 0; argv[i]; i++)
		h = h * 31 + hash_bytes(argv[i], strlen(argv[i]) + 1);
	return h ? h : 1;
}

static void ev_exec(struct wstate *s, const struct proc_ev *ev)
{
	struct stat_info st, pbuf;
	struct wnode *n = find(s, ev->tgid);
	struct wreport r;
	unsigned long long seen;
	char old[64];
	char **argv;

	if (n && n->dead) {
		reaped(s, n, ev->ts_ns);   /* a zombie does not exec: its pid is reused */
		n = NULL;
	}
	if (!n && !(n = node_met(s, ev->tgid, 0)))
		return;
	snprintf(old, sizeof(old), "%s", n->comm);
	/* The event does not carry the new name: read it, or admit it is
	 * unknown (a short-lived program may be reaped before we look). */
	if (s->probe.stat(s->probe.ctx, n->pid, &st) == 0) {
		snprintf(n->comm, sizeof(n->comm), "%s", st.comm);
		n->start_time = st.start_time;
	} else {
		n->comm[0] = '\0';
	}
	if (n->pending) {
		/* A thread exec'd and took over the leader's pid: the group lives. */
		n->pending = n->leader_dead = false;
		drop_from(s->pending, &s->npending, n->pid);
		forget_orphans(s, n->pid);
	}
	argv = s->probe.argv(s->probe.ctx, n->pid);
	/* A shebang chain (env -> bash) is two execs in a row; read after
	 * both, each shows the same program: report it once. */
	seen = exec_hash(n->comm, n->start_time, argv);
	if (seen && seen == n->exec_seen) {
		free_argv(argv);
		return;
	}
	n->exec_seen = seen;
	report_init(s, &r, WK_EXEC, n, ev->ts_ns, &pbuf);
	r.old_comm = old[0] ? old : NULL;
	r.argv = argv;
	s->emit(s->arg, &r);
	free_argv(argv);
}

static void ev_exit(struct wstate *s, const struct proc_ev *ev)
{
	struct wnode *n = find(s, ev->tgid);

	if (ev->pid != ev->tgid) {
		/* A thread: its children go to another thread, and if the
		 * leader is gone already this may end the group. */
		if (!n || n->dead)
			return;
		note_orphans(s, n->pid, ev->pid, ev->ts_ns);
		if (n->leader_dead) {
			n->status = ev->exit_code;
			n->exit_ts = ev->ts_ns;
			settle_group(s, n, ev->ts_ns, true);
		}
		return;
	}
	if (!n && !(n = node_met(s, ev->tgid, ev->parent_tgid)))
		return;
	if (n->dead)
		return;
	if (ev->parent_tgid > 0 && ev->parent_tgid != n->ppid)
		set_ppid(s, n, ev->parent_tgid);
	n->leader_dead = true;
	n->status = ev->exit_code;
	n->exit_ts = ev->ts_ns;
	if (settle_group(s, n, ev->ts_ns, true) && n->pending)
		note_orphans(s, n->pid, n->pid, ev->ts_ns);
}

static void ev_comm(struct wstate *s, const struct proc_ev *ev)
{
	struct wnode *n = find(s, ev->tgid);

	if (n && ev->pid == ev->tgid)
		snprintf(n->comm, sizeof(n->comm), "%s", ev->comm);
}

void wstate_event(struct wstate *s, const struct proc_ev *ev)
{
	switch (ev->kind) {
	case PEV_FORK: ev_fork(s, ev); break;
	case PEV_EXEC: ev_exec(s, ev); break;
	case PEV_EXIT: ev_exit(s, ev); break;
	case PEV_COMM: ev_comm(s, ev); break;
	default: break;
	}
}

/* ---- ticks ---- */

static void tick_zombies(struct wstate *s, unsigned long long now)
{
	struct stat_info st;
	struct wnode *n;
	size_t i = 0;

	while (i < s->nzombies) {
		n = find(s, s->zombies[i]);
		if (!n || !n->zombie) {
			s->zombies[i] = s->zombies[--s->nzombies];
			continue;
		}
		if (s->probe.stat(s->probe.ctx, n->pid, &st) < 0 || st.state != 'Z' ||
		    (n->start_time && st.start_time != n->start_time)) {
			reaped(s, n, now);   /* swaps another pid into slot i */
			continue;
		}
		if (!n->zombie_told && now >= n->zombie_since + WSTATE_ZOMBIE_NS) {
			n->zombie_told = true;
			emit_simple(s, WK_ZOMBIE, n, n->zombie_since);
		}
		i++;
	}
}

static void tick_pending(struct wstate *s, unsigned long long now)
{
	int *pids;
	size_t i, n = s->npending;
	struct wnode *g;

	if (!n)
		return;
	pids = xmalloc(n * sizeof(int));
	memcpy(pids, s->pending, n * sizeof(int));
	for (i = 0; i < n; i++)
		if ((g = find(s, pids[i])) && g->pending)
			settle_group(s, g, now, false);
	free(pids);
}

/* Thread adoptions that lasted a tick, with the group still alive. */
static void tick_orphans(struct wstate *s, unsigned long long now)
{
	struct stat_info st;
	struct wnode *g, *c;
	struct orphan o;
	size_t i = 0;

	while (i < s->norphans) {
		o = s->orphans[i];
		if (now < o.ts + WSTATE_TICK_NS) {
			i++;
			continue;
		}
		s->orphans[i] = s->orphans[--s->norphans];
		g = find(s, o.tgid);
		c = find(s, o.pid);
		if (g && !g->dead && c && c->ppid == o.tgid && c->parent_tid == o.tid &&
		    s->probe.stat(s->probe.ctx, o.pid, &st) == 0 && st.ppid == o.tgid)
			reparented(s, c, o.tgid, o.tgid, ADOPT_THREAD, o.ts);
	}
}

void wstate_tick(struct wstate *s, unsigned long long now_ns)
{
	tick_pending(s, now_ns);
	tick_orphans(s, now_ns);
	tick_zombies(s, now_ns);
}

bool wstate_busy(const struct wstate *s)
{
	return s->nzombies || s->npending || s->norphans;
}

/* ---- scans ---- */

/* One process of a scan: new, updated, or replacing a reused pid. */
static void load_one(struct wstate *s, const struct stat_info *p, unsigned long long now)
{
	struct wnode *n = find(s, p->pid);

	if (n && n->start_time && p->start_time != n->start_time) {
		if (n->zombie)
			reaped(s, n, now);
		else
			node_remove(s, n);
		n = NULL;
	}
	if (!n) {
		n = node_add(s, p->pid, p->ppid, p->comm);
		n->start_time = p->start_time;
		if (p->state == 'Z' && p->num_threads <= 1) {
			/* A zombie already: since when is unknown. */
			n->dead = n->zombie = n->zombie_told = n->leader_dead = true;
			push_pid(&s->zombies, &s->nzombies, &s->zombiecap, n->pid);
		} else if (p->state == 'Z') {
			/* Its leader exited, other threads live on. */
			n->leader_dead = n->pending = true;
			n->exit_ts = now;
			push_pid(&s->pending, &s->npending, &s->pendingcap, n->pid);
		}
		return;
	}
	n->gen = s->gen;
	n->start_time = p->start_time;
	if (n->ppid != p->ppid)
		set_ppid(s, n, p->ppid);
	if (!n->dead)
		snprintf(n->comm, sizeof(n->comm), "%s", p->comm);
	if (p->state == 'Z' && p->num_threads <= 1 && !n->zombie) {
		/* Its exit was among the lost events. */
		n->dead = n->zombie = n->zombie_told = n->leader_dead = true;
		n->zombie_since = 0;
		if (n->pending) {
			n->pending = false;
			drop_from(s->pending, &s->npending, n->pid);
		}
		push_pid(&s->zombies, &s->nzombies, &s->zombiecap, n->pid);
	}
}

void wstate_load(struct wstate *s, const struct stat_info *procs, size_t n, unsigned long long now_ns)
{
	struct wnode **gone = NULL;
	size_t i, ngone = 0, cap = 0;

	s->gen++;
	for (i = 0; i < n; i++)
		load_one(s, &procs[i], now_ns);
	/* Gone while events were lost: dropped quietly; zombies are left to
	 * the next tick, which reports them reaped. */
	FOR_EACH_NODE(s, g)
		if (g->gen != s->gen && !g->zombie) {
			grow_array((void **)&gone, &cap, ngone + 1, sizeof(*gone));
			gone[ngone++] = g;
		}
	for (i = 0; i < ngone; i++)
		node_remove(s, gone[i]);
	free(gone);
	s->norphans = 0;
	FOR_EACH_NODE(s, p) {
		p->nkids = 0;
		p->scope_set = p->scope_set && p->scope;   /* new parents may bring others in */
	}
	FOR_EACH_NODE(s, c) {
		struct wnode *p = find(s, c->ppid);
		if (p && p != c)
			p->nkids++;
	}
}

bool wstate_has(const struct wstate *s, int pid)
{
	return find(s, pid) != NULL;
}

size_t wstate_count(const struct wstate *s)
{
	return s->count;
}

/* ---- life ---- */

struct wstate *wstate_new(const struct wprobe *probe, wemit_fn emit, void *arg)
{
	struct wstate *s = xcalloc(1, sizeof(*s));

	s->probe = *probe;
	s->emit = emit;
	s->arg = arg;
	rehash(s);
	return s;
}

void wstate_add_root(struct wstate *s, int pid)
{
	push_pid(&s->roots, &s->nroots, &s->rootcap, pid);
}

void wstate_free(struct wstate *s)
{
	struct wnode *n, *next;
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nbuckets; i++)
		for (n = s->buckets[i]; n; n = next) {
			next = n->next;
			free(n);
		}
	free(s->buckets);
	free(s->roots);
	free(s->zombies);
	free(s->pending);
	free(s->orphans);
	free(s);
}
