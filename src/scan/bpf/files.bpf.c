/* files.bpf.c - every fd of every process in one pass: a task_file iterator
 * that writes, for each (process, fd) visible in the reader's pid namespace,
 * one struct file_rec (records.h) followed by the fd's path.
 *
 * The kernel's task_file iterator already skips a thread whose fd table is its
 * leader's; this program also skips a thread with a table of its own (a clone
 * without CLONE_FILES, or unshare(CLONE_FILES)): a process's fds are its
 * leader's table, as /proc/PID/fd shows them (and the /proc source reads).
 *
 * What each field is, against /proc/PID/fdinfo/N (checked fd by fd by
 * tests/cases/120-source-compare.sh):
 *   file     the struct file *: one pointer, one open file description
 *   pos      f_pos = "pos:"
 *   flags    f_flags = "flags:" without O_CLOEXEC, which fdinfo adds per fd
 *            from the bit of files->fdt->close_on_exec (cloexec here)
 *   mnt_id   container_of(f_path.mnt, struct mount, mnt)->mnt_id = "mnt_id:"
 *   ino      f_inode->i_ino = "ino:"
 *   path     bpf_d_path(&f_path) = readlink of /proc/PID/fd/N, " (deleted)"
 *            and "pipe:[...]" included; left out when with_paths is false
 *   proto    a socket's sk->sk_prot_creator->name = its "system.sockprotoname"
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "records.h"
#include "pidns.bpf.h"

#define S_IFMT   0170000
#define S_IFSOCK 0140000

/* Set by the loader before the load: read each fd's path with bpf_d_path. */
const volatile __u8 with_paths = 1;

/* A record and the longest path: too big for the 512-byte stack. */
struct file_buf {
	struct file_rec rec;
	char path[FILE_REC_PATH_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct file_buf);
} file_bufs SEC(".maps");

static __always_inline __u8 fd_cloexec(struct task_struct *task, __u32 fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	unsigned long *bits, word = 0;

	if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	bits = BPF_CORE_READ(fdt, close_on_exec);
	if (!bits || bpf_probe_read_kernel(&word, sizeof(word), bits + fd / (8 * sizeof(word))))
		return 0;
	return (word >> (fd % (8 * sizeof(word)))) & 1;
}

SEC("iter/task_file")
int files(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct file_buf *b;
	struct file_rec *r;
	struct inode *inode;
	struct vfsmount *vfs;
	__u32 zero = 0, len = sizeof(struct file_rec);
	long n;
	int pid;

	if (!task || !file)
		return 0;
	pid = reader_tgid(task);
	if (pid <= 0)
		return 0;
	b = bpf_map_lookup_elem(&file_bufs, &zero);
	if (!b)
		return 0;
	r = &b->rec;
	__builtin_memset(r, 0, sizeof(*r));
	r->pid = (__u32)pid;
	r->fd = ctx->fd;
	r->file = (__u64)(unsigned long)file;
	r->pos = BPF_CORE_READ(file, f_pos);
	r->flags = BPF_CORE_READ(file, f_flags);
	r->fmode = BPF_CORE_READ(file, f_mode);
	r->cloexec = fd_cloexec(task, ctx->fd);
	inode = BPF_CORE_READ(file, f_inode);
	if (inode) {
		r->ino = BPF_CORE_READ(inode, i_ino);
		r->i_mode = BPF_CORE_READ(inode, i_mode);
		r->nlink = BPF_CORE_READ(inode, i_nlink);
		r->rdev = BPF_CORE_READ(inode, i_rdev);
		r->size = BPF_CORE_READ(inode, i_size);
		r->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	}
	vfs = BPF_CORE_READ(file, f_path.mnt);
	if (vfs) {
		struct mount *mnt = (struct mount *)((char *)vfs - bpf_core_field_offset(struct mount, mnt));
		r->mnt_id = BPF_CORE_READ(mnt, mnt_id);
	}
	if ((r->i_mode & S_IFMT) == S_IFSOCK) {
		struct socket *sock = BPF_CORE_READ(file, private_data);
		struct proto *prot = sock ? BPF_CORE_READ(sock, sk, sk_prot_creator) : 0;
		if (prot)
			bpf_probe_read_kernel_str(r->proto, sizeof(r->proto), &prot->name);
	}
	if (with_paths) {
		n = bpf_d_path(&file->f_path, b->path, sizeof(b->path));
		if (n > 0 && n <= FILE_REC_PATH_MAX) {
			r->path_len = (__u16)n;
			len += (__u32)n;
		} else if (n < 0) {
			r->path_err = (__s16)n;
		}
	}
	if (len > sizeof(*b))
		return 0;
	bpf_seq_write(ctx->meta->seq, b, len);
	return 0;
}

/* The kernel lets only GPL-compatible programs call bpf_seq_write() and
 * bpf_d_path(). */
char LICENSE[] SEC("license") = "Dual BSD/GPL";
