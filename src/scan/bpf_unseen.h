/* bpf_unseen.h - processes /proc lists that the BPF task iterator did not.
 *
 * The BPF source lists processes from the kernel's task iterator.  A kernel
 * may keep a task from iterators that /proc still shows (measured: a
 * sandbox whose PID 1 no task iterator visits, bound to it or not, while
 * /proc/1 exists and refuses fd/ even to root).  Left alone, such a process
 * would be missing from the model: no entry, not in "unreadable", the scan
 * called complete.  So the BPF source lists /proc's pids once and adds each
 * process that was there before the iterator ran (by more than the margin
 * fork needs to make a task visible to iterators) and that it did not list,
 * as /proc's stat and status show it, with its fds unread: the error is
 * the one opening its fd/ gave (EACCES), or EOPNOTSUPP when /proc would let
 * it be read (this source cannot: --source proc reads it).  One that started
 * meanwhile is a newcomer, not in this scan, as with the /proc source's
 * listing. */
#ifndef FDSHARE_BPF_UNSEEN_H
#define FDSHARE_BPF_UNSEEN_H

#include <stdbool.h>
#include <stddef.h>

#include "model/record.h"

/* The pids of have[0..nhave) (sorted) that are not in listed[0..nlisted)
 * (sorted), into out (room for nhave); returns their count.  Pure. */
size_t bpf_unseen_missing(const int *listed, size_t nlisted, const int *have, size_t nhave,
			  int *out);

/* Whether a process that started at start_ticks (clock ticks since boot,
 * as stat shows) was there when the task iterator began at iter_ticks,
 * margin_ticks allowed for fork.  Pure. */
bool bpf_unseen_was_there(unsigned long long start_ticks, unsigned long long iter_ticks,
			  unsigned long long margin_ticks);

/* Add to *procs / *nprocs (sorted by pid, realloc'd) every process of
 * procroot that the iterator, begun at iter_ticks, should have listed and
 * did not, as described above; self is left out.  Returns how many were
 * added (0 when /proc cannot be listed). */
size_t bpf_unseen_add(const char *procroot, int self, unsigned long long iter_ticks,
		      unsigned long long margin_ticks, struct process **procs, size_t *nprocs);

#endif
