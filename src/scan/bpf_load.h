/* bpf_load.h - fdshare's two BPF objects (src/scan/bpf/: the fd iterator;
 * the process iterators) loaded into the running kernel, as fds of programs
 * and maps.
 *
 * Each object is loaded first through its light skeleton: a loader program
 * the kernel runs, which matches the programs to the kernel's types against
 * the kernel's own BTF (kernel 5.17 and later), so nothing of the kernel's
 * 6 MB of types is read or parsed here.  Where the kernel refuses that, the
 * same object is loaded by libbpf through its ordinary skeleton, which
 * reads /sys/kernel/btf/vmlinux and relocates in user space, and says why
 * when it cannot either.  FDSHARE_TEST_BPF_LOADER=libbpf (tests) skips the
 * first way.
 *
 * Nothing here prints: libbpf's first warning is kept for the reason. */
#ifndef FDSHARE_BPF_LOAD_H
#define FDSHARE_BPF_LOAD_H

#include <stddef.h>

#include "scan/bpf_scan.h"

/* The iterator programs, by what they walk. */
enum bpf_prog_id {
	BPF_PROG_FILES,               /* task_file: every fd */
	BPF_PROG_SUBREAPER,           /* task: subreaper flags */
	BPF_PROG_TASKS,               /* task: each process's facts */
	BPF_PROG_CMDLINES,            /* task, sleepable: arguments (kernel 5.18+) */
	BPF_PROG_VMAS,                /* task_vma: deleted code mapped */
	BPF_PROG_COUNT
};

struct bpf_objects;

/* Load what o asks for into *out (free with bpf_objects_close).  0, or -1
 * with errno and why (a sentence for an admin, at most whylen bytes):
 * EPERM in a container or under a policy, EPERM or EINVAL under lockdown,
 * EINVAL or EACCES the verifier refused (libbpf's words added). */
int bpf_objects_load(const struct bpf_scan_options *o, struct bpf_objects **out,
		     char *why, size_t whylen);
/* Unload; safe on NULL. */
void bpf_objects_close(struct bpf_objects *b);

/* The fd of a loaded program, or -1 when it was not loaded. */
int bpf_objects_prog(const struct bpf_objects *b, enum bpf_prog_id id);
/* The fd of the fd iterator object's map name ("pick_conf", ...), or -1. */
int bpf_objects_map_fd(const struct bpf_objects *b, const char *name);
/* Before a run of the fd iterator: it forgets the task its last run ended
 * on (the program keeps it in its .bss to notice a task's first fd). */
void bpf_objects_rewind_files(struct bpf_objects *b);
/* The same for the task_vma iterator. */
void bpf_objects_rewind_vmas(struct bpf_objects *b);
/* Who matched the programs to the kernel's types: "kernel" (the light
 * skeletons) or "libbpf". */
const char *bpf_objects_relocated_by(const struct bpf_objects *b);

#endif
