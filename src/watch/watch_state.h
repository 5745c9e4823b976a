/* watch_state.h - watch mode's picture of the processes, and what it derives.
 *
 * The picture maps each process (thread group) to its parent, its birth
 * parent (from the FORK event; unknown for processes that were there when
 * the watch began), its comm, its start time and, once it has exited, since
 * when it has been a zombie.  It is seeded from a /proc scan and then kept
 * up to date by the kernel's events.  Besides the kernel's fork, exec and
 * exit it reports what the kernel does not say:
 *
 *   reparent  the children of an exiting process (or thread) now have
 *             another parent: the init of their pid namespace, a
 *             subreaper, or another thread of the same group.  Learnt by
 *             reading the child's ppid in /proc right after the exit event
 *             (the kernel reparents before it sends the event).
 *   zombie    a process exited and is still not reaped WSTATE_ZOMBIE_NS
 *             later (its /proc stat shows state Z at a tick): parents reap
 *             most children within microseconds, and whether fdshare
 *             looks before or after that is luck, not news.  Its time is
 *             the exit's, so it follows later events in the output.
 *   reaped    a reported zombie went away: /proc/PID/stat of known zombies
 *             is read at each wstate_tick(); reported with how long it was
 *             a zombie (unknown for zombies that were there at the start).
 *
 * A process has exited when its whole thread group has: the EXIT of a
 * thread (pid != tgid) is not a process exit, and neither is the EXIT of a
 * group leader whose other threads live on (pthread_exit() in main); such a
 * group is re-checked on later thread exits and at each tick.  Adoption by
 * another thread of the group is only reported once it has lasted a tick
 * (during exit_group() the kernel hands children from dying thread to
 * dying thread before the real adopter gets them).
 *
 * All /proc reading goes through struct wprobe, so the unit tests drive the
 * state with constructed events and a fake /proc. */
#ifndef FDSHARE_WATCH_STATE_H
#define FDSHARE_WATCH_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "scan/parse.h"
#include "watch/watch.h"

enum wkind {
	WK_FORK, WK_EXEC, WK_EXIT, WK_REPARENT, WK_ZOMBIE, WK_REAPED, WK_LOST,
	WK_COUNT
};
#define WK_ALL ((1u << WK_COUNT) - 1)

/* "fork", "exec", ... as used in text, JSON and --events. */
const char *wkind_name(enum wkind k);
/* Parse a comma-separated list of kind names into a bit mask (1 << kind);
 * 0, or -1 with *bad pointing at the unknown name (static storage). */
int wkinds_parse(const char *list, unsigned *mask, const char **bad);

enum wadopter { ADOPT_INIT, ADOPT_SUBREAPER, ADOPT_THREAD };
/* "init", "subreaper", "thread". */
const char *wadopter_name(enum wadopter a);

/* One thing to report.  Strings point into the picture: valid during the
 * emit callback only. */
struct wreport {
	enum wkind kind;
	unsigned long long ts_ns;    /* CLOCK_MONOTONIC: the kernel's stamp, or when it was noticed */
	bool in_scope;               /* the process is within -p's subtrees (always, without -p) */
	int pid;                     /* the process (0 for lost) */
	const char *comm;            /* its name, raw bytes; NULL when unknown */
	int ppid;                    /* its parent (after a reparent: the adopter) */
	const char *pcomm;           /* the parent's name, or NULL when unknown */
	int parent_tid;              /* fork: the thread that forked */
	const char *old_comm;        /* exec: the name before, or NULL */
	char *const *argv;           /* exec: the new command line, NULL when unreadable */
	unsigned status;             /* exit: the wait status */
	int old_ppid;                /* reparent: the parent that went away */
	int birth_ppid;              /* reparent: the parent at fork, 0 when unknown */
	enum wadopter adopter;       /* reparent */
	long long zombie_ns;         /* reaped: time as a zombie, -1 when unknown */
	int lost_err;                /* lost: ENOBUFS (kernel) or EOVERFLOW (fdshare's backlog) */
	size_t processes;            /* lost: processes known after re-reading /proc */
};

typedef void (*wemit_fn)(void *arg, const struct wreport *r);

/* /proc, as the state reads it.  Each returns -1 with errno (ENOENT, ESRCH:
 * the process is gone) or 0. */
struct wprobe {
	int (*stat)(void *ctx, int pid, struct stat_info *out);
	/* The command line as a malloc'd NULL-terminated array (each string
	 * malloc'd), or NULL when it cannot be read. */
	char **(*argv)(void *ctx, int pid);
	/* Whether pid is pid 1 of its own pid namespace (NSpid ends in 1). */
	bool (*is_ns_init)(void *ctx, int pid);
	void *ctx;
};

struct wstate;   /* opaque */

/* A new, empty picture that reports through emit(arg, report). */
struct wstate *wstate_new(const struct wprobe *probe, wemit_fn emit, void *arg);
void wstate_free(struct wstate *s);

/* Limit the scope to pid and its descendants, present and future (may be
 * called for several pids, before wstate_load).  Without a call, every
 * process is in scope. */
void wstate_add_root(struct wstate *s, int pid);
/* Load a /proc scan (every process's stat).  The first load seeds the
 * picture; a later one (after lost events) re-synchronises it: processes
 * that are gone are dropped quietly (known zombies are left to the next
 * tick, which reports them reaped), new ones are added, parents updated. */
void wstate_load(struct wstate *s, const struct stat_info *procs, size_t n, unsigned long long now_ns);
/* Whether pid is in the picture (a live process or a zombie). */
bool wstate_has(const struct wstate *s, int pid);
/* How many processes the picture holds. */
size_t wstate_count(const struct wstate *s);

/* Apply one kernel event (PEV_FORK, PEV_EXEC, PEV_EXIT, PEV_COMM; others
 * are ignored), reporting what follows from it. */
void wstate_event(struct wstate *s, const struct proc_ev *ev);
/* Periodic work at monotonic time now: reaped zombies, thread groups whose
 * leader exited, settled thread adoptions.  Call every WSTATE_TICK_NS or so
 * while wstate_busy(). */
void wstate_tick(struct wstate *s, unsigned long long now_ns);
#define WSTATE_TICK_NS 100000000ULL
/* A zombie is reported once it stays unreaped this long. */
#define WSTATE_ZOMBIE_NS 100000000ULL
/* Whether a tick has anything to look at. */
bool wstate_busy(const struct wstate *s);

#endif
