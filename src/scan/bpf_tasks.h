/* bpf_tasks.h - the BPF source's process table: the task iterator's records
 * (src/scan/bpf/tasks.bpf.c) decoded into struct process, and the few facts
 * of a process that still come from /proc, read through a dir pinned and
 * checked by start time.
 *
 * What the records give, for every process at once, in one read() loop:
 * pid, ppid, pgrp, sid, state, comm, uids, threads, start time, the signal
 * masks, NSpid, RLIMIT_NOFILE, the subreaper flags, and (a second, sleepable
 * iterator) the arguments.  What /proc still gives, per process: the exe
 * link (the verifier refuses bpf_d_path() on mm->exe_file here), a kernel
 * thread's name as stat shows it ("kworker/0:1-events"), and the arguments
 * the kernel's own rules rewrite (setproctitle()) or that are long. */
#ifndef FDSHARE_BPF_TASKS_H
#define FDSHARE_BPF_TASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "model/record.h"
#include "scan/subreaper_bpf.h"

/* How start times are made clock ticks as /proc/PID/stat shows them
 * (libproc2's PIDS_TICS_BEGAN): (boottime ns + the time namespace's
 * boottime offset) / (10^9 / USER_HZ). */
struct bpf_task_clock {
	long long boot_offset_ns;    /* bpf_scan_boottime_offset() */
	long hz;                     /* sysconf(_SC_CLK_TCK) */
};

/* ---- pure decoders (tests/unit/unit_bpf_tasks.c) ---- */

/* stat's state letter of a task's __state and exit_state words, as the
 * kernel's task_state_index() makes it: R S D T t X Z P I. */
char bpf_task_state_letter(unsigned state, unsigned exit_state);
/* A signal mask as status prints it: 16 lowercase hex digits, signal N at
 * bit N-1. */
void bpf_task_sigmask_hex(unsigned long long mask, char out[17]);
/* A start time in clock ticks since boot; 0 when it would be negative. */
unsigned long long bpf_task_ticks(unsigned long long boottime_ns, const struct bpf_task_clock *c);
/* RLIMIT_NOFILE's soft and hard values (~0: unlimited) as limits shows them. */
void bpf_task_nofile(unsigned long long cur, unsigned long long max, struct nofile_limit *out);

/* Decode the task records raw[0..len) into a new array of processes
 * sorted by pid (*out: free each with proc_free_fields(), then the array),
 * leaving out the process self; their subreaper flags into *sr (owned by
 * the caller).  Returns the count. */
size_t bpf_tasks_decode(const char *raw, size_t len, const struct bpf_task_clock *c, int self,
			struct process **out, struct subreaper_table *sr);

/* Give each process of procs[0..n) (sorted by pid) its arguments from the
 * cmdline records raw[0..len), where a record of that pid and start time
 * carries them; args_read[i] (n entries, caller's) says which got them. */
void bpf_tasks_cmdlines(const char *raw, size_t len, const struct bpf_task_clock *c,
			struct process *procs, size_t n, bool *args_read);

/* Pin p's /proc dir into *dir, checked by the start time the iterator saw
 * (procfs_pin_again); a kernel thread's name is taken from stat there.
 * 0, or -1: p->gone (it ended after the iterator, or its PID is a
 * newcomer's: dropped, counted as vanished) or p->err (ours: EMFILE ...). */
int bpf_tasks_pin(const char *procroot, struct process *p, struct pid_dir *dir);
/* Read through the pinned dir what the records lack: the arguments (unless
 * args_read) and the exe link.  What cannot be read stays unknown. */
void bpf_tasks_read_rest(struct process *p, const struct pid_dir *dir, bool args_read);

#endif
