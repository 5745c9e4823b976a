/* fd.h - one process's file descriptors, read from its pinned /proc dir. */
#ifndef FDSHARE_FD_H
#define FDSHARE_FD_H

#include <stdbool.h>
#include <stddef.h>
#include "model/record.h"
#include "scan/mounts.h"
#include "scan/pseudofs.h"
#include "scan/statcache.h"

/* What one scanning thread keeps from process to process. */
struct fd_scan_ctx {
	struct mount_table *mounts;
	struct pseudofs pseudo;       /* names of pipes, sockets, anon inodes */
	struct stat_cache *stats;     /* one stat per file, not per fd */
	char *buf;                    /* scratch for fdinfo text, cap bytes */
	size_t cap;
};

/* A context for one thread (procroot: where the internal mounts are learnt);
 * fd_scan_ctx_free() releases what it holds. */
void fd_scan_ctx_init(struct fd_scan_ctx *c, const char *procroot);
void fd_scan_ctx_free(struct fd_scan_ctx *c);

/* Read every fd of p (pinned in dir) into p->fds/p->nfds.  An fd closed
 * between two reads is dropped; any other per-fd failure is kept as
 * fd->err.  Returns 0, or -1 with errno when the fd table itself cannot be
 * read (EACCES for another user's process; ENOENT/ESRCH once it has exited). */
int fd_scan_process(struct process *p, const struct pid_dir *dir, struct fd_scan_ctx *c);

#endif
