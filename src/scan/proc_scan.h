/* proc_scan.h - the /proc source's steps, for a source that reads fds
 * another way but lists and pins processes as it does (bpf_source.c).
 * The /proc source itself is proc_source (source.h). */
#ifndef FDSHARE_PROC_SCAN_H
#define FDSHARE_PROC_SCAN_H

#include "scan/source.h"

/* Read one process's fds (p pinned in dir) into p->fds: 0, or -1 with
 * p->err set (ENOENT/ESRCH: it ended). */
typedef int (*proc_fds_fn)(struct process *p, const struct pid_dir *dir, void *arg);

/* Step 1: libproc2's process table into m->procs / m->nprocs, sorted by
 * pid.  0, or -1 with errno. */
int proc_scan_list(struct model *m);
/* Steps 2-3: pin each process and check its start time, read its comm,
 * cmdline, status (uids, signal masks, NSpid: the listing has none), then (not kernel threads nor zombies) its fds with
 * read_fds, its exe, limits and holds; unpin. */
void proc_scan_each(struct source_ctx *c, struct model *m, proc_fds_fn read_fds, void *arg);
/* Step 5: pin every process read again, start time checked: one that ended
 * is p->gone. */
void proc_scan_drop_ended(struct model *m);

#endif
