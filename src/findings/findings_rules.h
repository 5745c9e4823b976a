/* findings_rules.h - what the rule files (findings_fds.c, findings_exec.c,
 * findings_writes.c, findings_waits.c, findings_tree.c, findings_locks.c)
 * share: the rule record, the checks the table in findings.c lists, and the
 * helpers that build a finding (findings_build.c).
 * Not for the rest of fdshare: findings.h is the module's interface.
 *
 * A check appends to out with finding_new(), fills it (pids, fds, message,
 * hint, evidence) and calls finding_done() before the next finding_new():
 * that call may move the array the previous pointer points into. */
#ifndef FDSHARE_FINDINGS_RULES_H
#define FDSHARE_FINDINGS_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "findings/findings.h"
#include "base/util.h"

#define ANCESTRY_MAX 4096      /* a ppid chain longer than this is a race, not a tree */
#define NAMES_LISTED 4         /* processes named in a message; the fds list has all */

struct rule {
	const char *code;
	enum severity severity;   /* the default */
	void (*check)(const struct model *m, const struct findings_config *c,
		      const struct rule *r, struct findings *out);
};

/* ---- the checks (the table in findings.c) ---- */
void check_zombie(const struct model *m, const struct findings_config *c,
		  const struct rule *r, struct findings *out);
void check_reparented(const struct model *m, const struct findings_config *c,
		      const struct rule *r, struct findings *out);
void check_exec_leak(const struct model *m, const struct findings_config *c,
		     const struct rule *r, struct findings *out);
void check_listener_leak(const struct model *m, const struct findings_config *c,
			 const struct rule *r, struct findings *out);
void check_pipe_eof_blocked(const struct model *m, const struct findings_config *c,
			    const struct rule *r, struct findings *out);
void check_shared_offset_write(const struct model *m, const struct findings_config *c,
			       const struct rule *r, struct findings *out);
void check_write_clobber(const struct model *m, const struct findings_config *c,
			 const struct rule *r, struct findings *out);
void check_deleted_open(const struct model *m, const struct findings_config *c,
			const struct rule *r, struct findings *out);
void check_fd_limit(const struct model *m, const struct findings_config *c,
		    const struct rule *r, struct findings *out);
void check_nonblock_shared(const struct model *m, const struct findings_config *c,
			   const struct rule *r, struct findings *out);
void check_lock_deadlock(const struct model *m, const struct findings_config *c,
			 const struct rule *r, struct findings *out);
void check_lock_wait(const struct model *m, const struct findings_config *c,
		     const struct rule *r, struct findings *out);
void check_lock_inherited(const struct model *m, const struct findings_config *c,
			  const struct rule *r, struct findings *out);
void check_deleted_mapped(const struct model *m, const struct findings_config *c,
			  const struct rule *r, struct findings *out);
void check_fd_growth(const struct model *m, const struct findings_config *c,
		     const struct rule *r, struct findings *out);

/* What a check runs with, for helpers that call back into it. */
struct rule_ctx {
	const struct model *m;
	const struct findings_config *c;
	const struct rule *r;
	struct findings *out;
};

/* The fds of m's live processes that keep() selects, sorted with cmp (a
 * qsort comparator of struct fd_entry * elements), handed to each() one
 * run at a time: a run holds the fds for which same(run's first, fd). */
void for_each_fd_run(const struct rule_ctx *x, bool (*keep)(const struct fd_entry *f),
		     int (*cmp)(const void *a, const void *b),
		     bool (*same)(const struct fd_entry *a, const struct fd_entry *b),
		     void (*each)(const struct rule_ctx *x, struct fd_entry **v, size_t n));

/* ---- building a finding ---- */
/* Append a new, empty finding of rule r with severity sev to out. */
struct finding *finding_new(struct findings *out, const struct rule *r, enum severity sev);
/* Add a pid; add an fd (and its holder's pid). */
void finding_pid(struct finding *f, int pid);
void finding_fd(struct finding *f, const struct fd_entry *e);
/* Add evidence: a number, raw bytes (s NULL: null), a string. */
void finding_num(struct finding *f, const char *key, long long v);
void finding_bytes(struct finding *f, const char *key, const char *s, size_t len);
void finding_str(struct finding *f, const char *key, const char *s);
/* Take sb's text as the message / the hint (sb is left empty, reusable). */
void finding_message(struct finding *f, struct strbuf *sb);
void finding_hint(struct finding *f, struct strbuf *sb);
/* Sort pids and fds, drop repeats: the last call on a finding. */
void finding_done(struct finding *f);
/* Order of struct fd_ref: by pid, then fd (a qsort comparator). */
int cmp_fd_ref(const void *a, const void *b);
/* Order of the files of fds that were stat'ed: by device, then inode. */
int cmp_file_id(const struct fd_entry *a, const struct fd_entry *b);
/* Whether fds a and b (both stat'ed) are of one file. */
bool one_file(const struct fd_entry *a, const struct fd_entry *b);

/* ---- words (raw bytes of names: the renderers escape them) ---- */
/* "1234 (comm)" */
void say_proc(struct strbuf *sb, const struct process *p);
/* "1 (a) fd 3, 2 (b) fd 3 and 3 more": g's holders. */
void say_holders(struct strbuf *sb, const struct ofd_group *g);
/* f's link text, or "?" */
void say_target(struct strbuf *sb, const struct fd_entry *f);
/* "2.0 MiB", "512 bytes" */
void say_size(struct strbuf *sb, unsigned long long n);

/* ---- the model ---- */
/* p's fd with number fd, or NULL. */
const struct fd_entry *fd_numbered(const struct process *p, int fd);
/* Length of link text s[0..n) without a trailing " (deleted)". */
size_t undeleted_len(const char *s, size_t n);
/* Whether a and b (exe known) run the same program (replaced on disk or not). */
bool same_program(const struct process *a, const struct process *b);
/* Whether kcmp proved that several processes hold g. */
bool proven_shared(const struct ofd_group *g);
/* The severity value reaches for threshold t, or below when it reaches none. */
enum severity severity_by(const struct findings_config *c, enum threshold t, double value,
			  enum severity below);
/* Whether p holds description ofd. */
bool holds_ofd(const struct process *p, int ofd);
/* Whether an ancestor of p holds description ofd (p got it by fork). */
bool ancestor_holds(const struct model *m, const struct process *p, int ofd);
/* The nearest living ancestor of p that holds description ofd, or NULL. */
const struct process *holding_ancestor(const struct model *m, const struct process *p, int ofd);
/* Whether a is an ancestor of p. */
bool is_ancestor(const struct model *m, const struct process *a, const struct process *p);
/* Whether p runs a shell (bash, dash, sh, zsh, ksh, mksh, ash, busybox sh
 * ...), by its executable's name, or its command name when that is unknown
 * or busybox. */
bool is_shell(const struct process *p);
/* Whether p hands its fds to the commands it runs on purpose: a shell, or
 * flock(1), which runs its command with the lock's fd open (unless -o). */
bool hands_fds_on_purpose(const struct process *p);
/* Whether p is fdshare's parent or one of its ancestors: it waits for
 * fdshare while fdshare scans, so what it waits in is no evidence. */
bool waits_on_fdshare(const struct model *m, const struct process *p);

#endif
