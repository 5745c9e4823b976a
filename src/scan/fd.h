/* fd.h - one process's file descriptors, read from its pinned /proc dir. */
#ifndef FDSHARE_FD_H
#define FDSHARE_FD_H

#include <stdbool.h>
#include <stddef.h>
#include "model/record.h"
#include "scan/mounts.h"

/* Read every fd of p (pinned in dir) into p->fds/p->nfds.
 * An fd closed between readdir and readlink is dropped; any other per-fd
 * failure is kept as fd->err.  buf (cap bytes) is scratch space for fdinfo
 * text.  Returns 0, or -1 with errno when the fd table itself cannot be read
 * (EACCES for another user's process; ENOENT/ESRCH once it has exited). */
int fd_scan_process(struct process *p, const struct pid_dir *dir, struct mount_table *mounts,
		    char *buf, size_t cap);

#endif
