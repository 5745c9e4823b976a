/* subreaper_bpf.h - exact subreaper flags of every process, as a BPF task
 * iterator reads them (src/scan/bpf/subreaper.bpf.c; bpf_scan.h's
 * subreaper_bpf_read reads them alone).
 *
 * /proc does not show another process's PR_SET_CHILD_SUBREAPER; the kernel
 * keeps it in signal->is_child_subreaper.  As root, on a kernel that allows
 * BPF, a task iterator reads it for every process of the reader's pid
 * namespace in one pass (tens of milliseconds, mostly loading).
 *
 * Nothing here prints: libbpf's messages are silenced. */
#ifndef FDSHARE_SUBREAPER_BPF_H
#define FDSHARE_SUBREAPER_BPF_H

#include <stdbool.h>
#include <stddef.h>

struct subreaper_flag {
	int pid;                       /* in the reader's pid namespace */
	unsigned long long start_time; /* clock ticks since boot, as field 22 of
	                                  /proc/PID/stat (with the pid: which process) */
	bool is_child_subreaper;       /* it set PR_SET_CHILD_SUBREAPER */
	bool has_child_subreaper;      /* an ancestor is or was a subreaper: its orphans
	                                  look for one before going to the pid-ns init */
};

struct subreaper_table {
	struct subreaper_flag *flags;  /* thread group leaders, sorted by pid; owned */
	size_t n;
};

/* Free what subreaper_bpf_read filled (not out itself); safe on a zeroed table. */
void subreaper_table_free(struct subreaper_table *t);

#endif
