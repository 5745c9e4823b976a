/* tree.h - parents, children, zombies, re-parenting and subreapers.
 *
 * A pure analysis of the finished process array (struct process, model.h):
 * no I/O, so every rule is unit-tested on made-up processes
 * (tests/unit/unit_tree.c).  Processes marked gone are treated as absent.
 *
 * What /proc can and cannot prove (the rules, documented in fdshare(1), TREE):
 *
 *  - fork() copies the session id and only setsid() changes it (to the
 *    caller's own pid, once: a session leader cannot call it again).  So a
 *    child C that never called setsid (sid != pid) carries the session its
 *    birth parent had when it forked C.  A parent P that never called setsid
 *    (P.sid != P.pid) has had one session all its life: if C.sid differs
 *    from it, P is not C's birth parent and C was re-parented ("session").
 *  - The init of the reader's pid namespace was born in a session whose
 *    leader this /proc cannot show (sid 0: the kernel's, or one outside the
 *    namespace); its children carry sid 0, or its own pid once it called
 *    setsid.  Any other session (but the child's own) means adoption.
 *  - A child that started before its parent was re-parented ("start_time").
 *  - Nothing else is proven: a re-parenting inside one session (to a
 *    subreaper, or to an init in the same session) leaves no trace in /proc,
 *    so "reparented" is then unknown, never false.  Adoption by another
 *    thread of the dead parent's thread group keeps the ppid (the kernel
 *    shows the thread group id) and both rules above see a birth parent.
 *  - A parent with a child proven re-parented is a subreaper, unless it is
 *    the init of a pid namespace (inits adopt orphans by definition).  No
 *    rule proves that a process is not a subreaper: unknown, never false.
 *  - With exact flags (tree_build_exact: the BPF task iterator read
 *    signal->is_child_subreaper of each process, subreaper_bpf.h), a
 *    process matched by pid and start time gets "subreaper" true or false
 *    from the kernel, not rule 4 above.  "reparented" stays evidence: the
 *    kernel keeps no birth parent, and a parent that is no subreaper now
 *    may have been one when it adopted (the flag can be cleared), so a
 *    child of a non-subreaper is still unknown, not "not reparented".  The
 *    heirs of zombies follow the kernel's own search (find_new_reaper):
 *    without has_child_subreaper, the pid-ns init; else the nearest
 *    ancestor with the flag, else the pid-ns init.
 *  - The one way to fool the session rule: clone(CLONE_PARENT) makes a
 *    child of the caller's parent with the caller's session, so a sibling
 *    that called setsid() first can make a child that looks adopted.  It is
 *    rare (runc's nsexec uses it, but that child calls setsid itself, which
 *    silences the rule) and documented in fdshare(1).
 *
 * Zombies are grouped by parent, each group with every reason that applies
 * (the parent's state, its SIGCHLD disposition and mask, being a pid-ns
 * init), the first of them being the one to act on. */
#ifndef FDSHARE_TREE_H
#define FDSHARE_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/record.h"
#include "scan/subreaper_bpf.h"
#include "base/util.h"

/* Three-valued answers: unknown is not false. */
enum tri { TRI_UNKNOWN = -1, TRI_FALSE = 0, TRI_TRUE = 1 };

/* Evidence bits of a re-parenting. */
#define REPARENT_SESSION 1u     /* the session rules */
#define REPARENT_START   2u     /* started before its parent */

enum adopter { ADOPTER_NONE, ADOPTER_PIDNS_INIT, ADOPTER_SUBREAPER };

struct tree_node {
	const struct process *proc;
	int parent;               /* index of the parent process, -1 when not in the table */
	int *children;            /* indexes, by pid; owned by the tree */
	size_t nchildren;
	bool present;             /* not gone */
	bool pidns_init;          /* its innermost NSpid is 1 */
	bool zombie;              /* state Z and no live thread left */
	bool leader_exited;       /* state Z but other threads still run */
	enum tri reparented;
	unsigned evidence;        /* REPARENT_* bits when reparented is true */
	enum adopter adopter;     /* what its parent is to it, when reparented is true */
	enum tri subreaper;
	bool exact;               /* subreaper is the kernel's flag (BPF), not evidence */
	bool subreaper_above;     /* when exact: has_child_subreaper (an ancestor is or was one) */
	int zombie_group;         /* index into zombie_groups of its zombie children, or -1 */
};

/* Why a parent leaves its zombies unreaped, in the order to act on them. */
enum zombie_reason {
	ZR_PARENT_STOPPED,        /* state T */
	ZR_PARENT_TRACED,         /* state t */
	ZR_PARENT_DSLEEP,         /* state D */
	ZR_SIGCHLD_BLOCKED,       /* SigBlk has SIGCHLD */
	ZR_SIGCHLD_IGNORED,       /* SigIgn has SIGCHLD: none should exist */
	ZR_PIDNS_INIT,            /* init of a pid namespace that does not reap */
	ZR_SIGCHLD_CAUGHT,        /* a handler that does not reap them */
	ZR_SIGCHLD_DEFAULT,       /* default disposition, never waited for */
	ZR_UNKNOWN,               /* the parent's signal masks could not be read */
	ZR_COUNT
};

struct zombie_group {
	int parent;               /* node index */
	int *children;            /* node indexes of its zombie children, by pid */
	size_t nchildren;
	unsigned reasons;         /* bit (1u << enum zombie_reason) for each that applies */
	enum zombie_reason reason;   /* the first that applies */
	int heir;                 /* node that would get them if the parent ended:
	                             nearest proven subreaper above, else the nearest
	                             pid-ns init above; -1 if neither is known */
};

struct tree {
	struct tree_node *nodes;  /* parallel to the process array: nodes[i] is procs[i] */
	size_t n;
	struct zombie_group *groups;   /* by parent pid */
	size_t ngroups;
	double uptime;            /* seconds since boot at the scan, 0 when unknown */
	long hz;                  /* clock ticks per second */
	bool exact;               /* exact subreaper flags were given (nodes say which matched) */
	int exact_err;            /* otherwise why not: ENODATA (not asked for: --source proc), EPERM, EXDEV, ... */
	size_t inexact;           /* when exact: present processes the flags did not cover */
};

/* Analyse procs[0..n) (sorted by pid).  uptime (seconds since boot, 0 if
 * unknown) and hz (clock ticks per second) only serve the ages.  Returns a
 * new tree that borrows procs (keep them alive); free with tree_free(). */
struct tree *tree_build(const struct process *procs, size_t n, double uptime, long hz);
/* The same with the kernel's subreaper flags (bpf_scan.h: subreaper_bpf_read), matched
 * to the processes by pid and start time (pids get reused); exact NULL
 * means none, err says why (0, ENODATA, EPERM, ...).  The tree copies what
 * it needs: the table may be freed at once. */
struct tree *tree_build_exact(const struct process *procs, size_t n, double uptime, long hz,
			      const struct subreaper_table *exact, int err);
/* Free the tree (not the processes). */
void tree_free(struct tree *t);

/* The node of procs[i] given the process pointer, or NULL when p is not in the array. */
const struct tree_node *tree_node_of(const struct tree *t, const struct process *p);
/* Index of the node of pid, or -1. */
int tree_find(const struct tree *t, int pid);

/* Seconds since p started (uptime minus its start time), or -1 when the
 * uptime is unknown.  For a zombie this is not the time since it exited:
 * the kernel keeps no exit time. */
double tree_age(const struct tree *t, const struct process *p);

/* Whether signal sig (1..64) is set in a 16-hex-digit mask from status
 * (SigIgn, SigCgt, SigBlk); false for an empty or malformed mask. */
bool sigmask_has(const char *hex, int sig);

/* Which processes a tree view shows: every present one (sel false), or the
 * ancestry and whole subtree of each selected process (sel true); kernel
 * threads only when kthreads.  Returns a new bool array parallel to nodes
 * (caller frees). */
bool *tree_view(const struct tree *t, bool sel, bool kthreads);

/* "sigchld-caught" ..., the stable code used in JSON. */
const char *zombie_reason_code(enum zombie_reason r);
/* One sentence: why the parent does not reap them. */
const char *zombie_reason_text(enum zombie_reason r);
/* A few words for one-line summaries ("SIGCHLD caught, no reaping loop"). */
const char *zombie_reason_brief(enum zombie_reason r);
/* Append what to do about group g: the reason's remedy with the parent's pid,
 * then who inherits the zombies if the parent ends. */
void zombie_hint(const struct tree *t, const struct zombie_group *g, struct strbuf *out);
/* "start_time", "session": names of evidence bits for output. */
const char *reparent_evidence_name(unsigned bit);

#endif
