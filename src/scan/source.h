/* source.h - what a source of the model implements.
 *
 * A source lists the processes and fills each one's fds with neutral facts
 * (model.h: access, cloexec, status flags, pos, mnt_id, ino, kind, details,
 * target, inode attributes), then gives every fd with facts its open file
 * description and the proof of it (PROOF_KERNEL when the kernel named the
 * description, PROOF_KCMP, or PROOF_NONE with why).  Everything after that
 * (same-file links, endpoints, waits, related processes, PATH matches, locks,
 * counts, the tree) is derived once in src/model/model.c from what the source
 * filled, whichever source it was.
 *
 * Race rules every source keeps (model.c's header says why): a process is
 * read only after checking its start time against the listing's; one that
 * ended before its descriptions were assigned is dropped whole (p->gone);
 * later per-process reads pin again by pid + start time (model_pin_again).
 * A source holds no per-process fd between processes. */
#ifndef FDSHARE_SOURCE_H
#define FDSHARE_SOURCE_H

#include "model/record.h"
#include "model/ofd.h"
#include "scan/subreaper_bpf.h"

struct holds_ctx;

struct source_ctx {
	const struct model_options *opt;
	struct holds_ctx *holds;  /* a process's cwd, root and maps are read into its
	                             holds with holds_read() while the source has it
	                             open (holds.h); owned by model.c */
	char why[256];            /* read() failed: why, for an admin ("not root: ...") */
	void *state;              /* the source's own, from read() to describe() */
	struct subreaper_table subreapers;  /* the kernel's subreaper flags, when the
	                                       source read them (have_subreapers); the
	                                       tree takes them */
	bool have_subreapers;
};

struct fd_source {
	const char *name;         /* "proc", ... */
	/* List the processes into m->procs / m->nprocs, sorted by pid, and fill
	 * each one still there: raw comm, cmdline, nspid, exe, nofile, holds and
	 * its fds, sorted by number (the model's derivations rely on both).  Per-fd failures are f->err, per-process ones p->err, ended
	 * processes p->gone.  0, or -1 with errno when it cannot start at all. */
	int (*read)(struct source_ctx *c, struct model *m);
	/* Give every fd with facts its description: one call of
	 * model_set_ofds(); set m->kcmp and m->kcmp_calls; mark p->gone every
	 * process that ended since it was read. */
	void (*describe)(struct source_ctx *c, struct model *m);
};

/* /proc + kcmp (proc_scan.c): the portable source. */
extern const struct fd_source proc_source;
/* The BPF task_file iterator (bpf_source.c): root, a kernel with BTF that
 * allows BPF; read() fails with why filled where it is refused. */
extern const struct fd_source bpf_source;

/* For sources: make m->ofds from the group number each fd holds in its
 * ofd field (1..ngroups; 0 or anything else: none), leaving out fds of
 * processes that are gone; info[k - 1] says whether group k was verified
 * (NULL: all were).  Otherwise as model_set_ofds(). */
void model_set_ofd_numbers(struct model *m, size_t ngroups, const struct ofd_group_info *info,
			   enum ofd_proof proven);
/* For sources: make m->ofds from items[0..n) (items[i].user is the
 * struct fd_entry *, items[i].group an index into info[0..ninfo), -1 to
 * leave it out), leaving out fds of processes that are gone.  A group whose
 * info says verified gets the proof `proven`, the others PROOF_NONE with
 * info's err.  Ids follow the first holder's (pid, fd); sets each fd's ofd
 * and in_shared_ofd. */
void model_set_ofds(struct model *m, const struct ofd_item *items, size_t n,
		    const struct ofd_group_info *info, size_t ninfo, enum ofd_proof proven);

#endif
