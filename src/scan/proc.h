/* proc.h - the process table, read through libproc2. */
#ifndef FDSHARE_PROC_H
#define FDSHARE_PROC_H

#include <sys/types.h>
#include "model/record.h"

/* Read every process (one entry per thread group, not per thread) into a new
 * array sorted by pid (*out, owned by the caller: free each with
 * proc_free_fields() then the array).  The calling process is left out.
 * Fills what stat holds (pid, ppid, pgrp, sid, state, comm, threads, start
 * time, kernel thread): libproc2 reads no status file; uids, signal masks
 * and NSpid come from the scan's own status read (proc_scan.c).
 * Returns the count, or -1 with errno when libproc2 fails as a whole. */
ssize_t proc_table_read(struct process **out);

/* Free what one process entry owns (strings, cmdline, fds); not the entry. */
void proc_free_fields(struct process *p);
/* Free p's fds (their targets, details and array) and leave it with none. */
void proc_free_fds(struct process *p);

#endif
