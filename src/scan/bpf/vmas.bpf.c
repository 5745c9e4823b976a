/* vmas.bpf.c - which processes map code that /proc/PID/maps would show as
 * deleted: a task_vma iterator (kernel 5.12 and later) that writes one
 * struct maps_rec (records.h) for each thread group leader, visible in the
 * reader's pid namespace, with a mapping that is
 *   private, executable and not writable (maps' "r-xp", "--xp": code), and
 *   of a file that is unlinked (i_nlink 0, or its dentry unhashed: maps
 *   adds " (deleted)") or whose name ends in " (deleted)" itself.
 * Those are the only mappings that make a hold when no PATH is asked
 * (scan/holds.h: deleted code still mapped); the BPF source reads the maps of
 * these processes only.  The program is wider than the rule (a memfd, a
 * deleted data file mapped executable): a wider net only reads more maps,
 * never a different answer.
 *
 * Why not every mapping with its path, replacing maps: bpf_d_path() takes
 * only trusted pointers, and the iterator's vma (so its vm_file) is not one
 * (the verifier refuses it on 6.18). */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "records.h"
#include "pidns.bpf.h"

#define VM_WRITE    0x2
#define VM_EXEC     0x4
#define VM_MAYSHARE 0x80

#define DELETED_SUFFIX " (deleted)"
#define DELETED_LEN    10

/* The task whose mappings come now, its pid for the reader, and whether it
 * was written already (one reader per loaded object). */
struct task_struct *vma_task;
int vma_pid;
int vma_written;

/* Whether a dentry's name ends in " (deleted)". */
static __always_inline int named_deleted(struct dentry *d)
{
	char tail[DELETED_LEN];
	const char *want = DELETED_SUFFIX;
	__u32 len = BPF_CORE_READ(d, d_name.len);
	const unsigned char *name = BPF_CORE_READ(d, d_name.name);
	int i;

	if (len < DELETED_LEN || !name ||
	    bpf_probe_read_kernel(tail, sizeof(tail), name + len - DELETED_LEN))
		return 0;
	for (i = 0; i < DELETED_LEN; i++)
		if (tail[i] != want[i])
			return 0;
	return 1;
}

SEC("iter/task_vma")
int vmas(struct bpf_iter__task_vma *ctx)
{
	struct task_struct *task = ctx->task;
	struct vm_area_struct *vma = ctx->vma;
	struct maps_rec r = {};
	struct dentry *d;
	struct file *file;
	unsigned long flags;

	if (!task || !vma)
		return 0;
	if (task != vma_task) {
		vma_task = task;
		vma_pid = reader_tgid(task);
		vma_written = 0;
	}
	if (vma_pid <= 0 || vma_written)
		return 0;
	file = vma->vm_file;
	flags = vma->vm_flags;
	if (!file || !(flags & VM_EXEC) || (flags & (VM_WRITE | VM_MAYSHARE)))
		return 0;
	d = BPF_CORE_READ(file, f_path.dentry);
	if (BPF_CORE_READ(file, f_inode, i_nlink) != 0 && d &&
	    BPF_CORE_READ(d, d_hash.pprev) != 0 && !named_deleted(d))
		return 0;
	r.pid = (__u32)vma_pid;
	vma_written = 1;
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
