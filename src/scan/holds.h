/* holds.h - the ways a process holds a file besides its fds: its current
 * directory (cwd), root directory (rtd), program (txt) and the files it maps
 * (mem), as lsof's FD column names them; and the matching of every holder,
 * fds included, against the PATH arguments (pathq.h).
 *
 * Nothing here opens or stats a mapped file or a program: their device and
 * inode come from /proc/PID/maps, as the kernel prints them.  cwd and rtd
 * are stat'ed through /proc/PID/{cwd,root} only on a local file system of
 * our mount namespace (found from the link's text by mount point); on a
 * remote one they are known by device and name only, and in another mount
 * namespace with the file system's cached attributes (AT_STATX_DONT_SYNC).
 * Path texts are matched only when they are paths of our own mount
 * namespace; elsewhere device and inode alone decide.
 *
 * Kept per process (struct process.holds, owned by the model): in PATH mode
 * the holds that match a PATH; in every mode the deleted programs and
 * libraries it still maps (finding deleted-mapped). */
#ifndef FDSHARE_HOLDS_H
#define FDSHARE_HOLDS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "model/record.h"
#include "scan/pathq.h"

enum hold_how { HOLD_CWD, HOLD_RTD, HOLD_TXT, HOLD_MEM };

struct hold {
	enum hold_how how;
	char *path;               /* raw link or maps text, owned; may end in " (deleted)" */
	size_t path_len;
	bool have_dev, have_ino;
	dev_t dev;
	unsigned long long ino;
	bool deleted;             /* the name ends in " (deleted)" */
	bool deleted_text;        /* txt/mem: a deleted file mapped as code (private,
	                             executable, not writable; not a memfd) */
	bool path_match;          /* matches a PATH argument */
};

/* "cwd", "rtd", "txt", "mem". */
const char *hold_how_name(enum hold_how h);

struct holds_ctx;             /* one scan's: mount points, our mount namespace, queries */

/* Whether p's maps can make a hold when no PATH is asked (it maps code
 * maps would show as deleted); a source that knows says false to spare the
 * read.  Called from holds_read's threads. */
typedef bool (*holds_maps_fn)(void *arg, const struct process *p);

/* A context for one scan; q (n of them, may be 0) must outlive it. */
struct holds_ctx *holds_ctx_new(const struct path_query *q, size_t n);
void holds_ctx_free(struct holds_ctx *c);

/* Without PATH arguments, read a process's maps only where fn (with arg)
 * says it is worth it, until called again with NULL. */
void holds_take_maps_from(struct holds_ctx *c, holds_maps_fn fn, void *arg);
/* Read p's holds through dirfd, its pinned /proc/PID (fds already read,
 * p->exe known); failures leave p->holds_err set and the holds read so far.
 * c is only read: the scan's threads share it. */
void holds_read(const struct holds_ctx *c, struct process *p, int dirfd);
/* Mark every fd and hold of m that matches a PATH, and count per PATH how
 * many match (m->path_held, n entries); after endpoint linking, so a unix
 * socket bound to a PATH counts. */
void holds_mark_matches(struct holds_ctx *c, struct model *m);
/* Free p's holds. */
void holds_free(struct process *p);
/* Whether p has a hold matching a PATH. */
bool holds_any_match(const struct process *p);

#endif
