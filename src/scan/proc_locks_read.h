/* proc_locks_read.h - /proc/locks read whole, on a thread of its own from
 * the start of the scan: the kernel walks its lock list from the head again
 * for each page it hands out (quadratic in the machine's locks; a larger
 * read buffer does not change that), so the read is overlapped with the
 * scan instead of waited for after it.  locks.c takes the text. */
#ifndef FDSHARE_PROC_LOCKS_READ_H
#define FDSHARE_PROC_LOCKS_READ_H

#include <stddef.h>

struct proc_locks_early;

struct proc_locks_text {
	char *buf;                /* the bytes read (NUL after them), caller frees; NULL on error */
	size_t len;
	int err;                  /* errno of the open or of a read, else 0 */
};

/* Start reading procroot/locks (procroot is kept by the caller until
 * taken); NULL when no thread could be started (then it is read when
 * taken). */
struct proc_locks_early *proc_locks_start(const char *procroot);
/* The text: e's (waiting for it, then freeing e), or, with e NULL, read now. */
void proc_locks_take(struct proc_locks_early *e, const char *procroot, struct proc_locks_text *out);
/* e's text, waiting for it; e keeps it (proc_locks_take still hands it
 * on): the -p read-ahead (bpf_pick.h) parses the same read instead of
 * making the kernel walk the list again.  NULL when e is NULL.  Not at the
 * same time as take or drop: the caller orders them (a thread joined). */
const struct proc_locks_text *proc_locks_peek(struct proc_locks_early *e);
/* Wait for e and free it and its text (a model freed before its locks were
 * read); NULL is fine. */
void proc_locks_drop(struct proc_locks_early *e);

#endif
