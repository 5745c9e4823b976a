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
 *            included; left out when with_paths is false; for pipes and
 *            sockets (pipefs, sockfs: s_magic) not read but bits say which:
 *            the kernel names them "pipe:[ino]", "socket:[ino]", and so does
 *            the reader, for a fraction of bpf_d_path's cost
 *   proto    a socket's sk->sk_prot_creator->name = its "system.sockprotoname"
 *   locked   the inode's i_flctx lists hold a lock; then the locks fdinfo
 *            shows on this fd follow the path (locks.bpf.h), or, where the
 *            walk cannot give them exactly, FILE_LOCKS_UNREAD says to read
 *            its "lock:" lines
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "records.h"
#include "pidns.bpf.h"

#define S_IFMT   0170000
#define S_IFSOCK 0140000
#define PIPEFS_MAGIC 0x50495045
#define SOCKFS_MAGIC 0x534F434B

/* Set by the loader before the load: read each fd's path with bpf_d_path. */
const volatile __u8 with_paths = 1;

/* A record, the longest path and the fd's locks: too big for the 512-byte
 * stack. */
struct file_buf {
	struct file_rec rec;
	char path[FILE_REC_PATH_MAX];
	struct lock_rec locks[FILE_LOCKS_MAX + 1];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct file_buf);
} file_bufs SEC(".maps");

/* Reads the program would repeat fd after fd, kept while one task's fds
 * come (emptied at the next task: a table or mount freed and another made
 * at its address cannot be taken for it): the close-on-exec word of 64 fds,
 * the last mount's id. */
unsigned long *cx_bits;
__u32 cx_index;
unsigned long cx_word;
struct vfsmount *mnt_last;
int mnt_last_id;

static __always_inline void task_caches_empty(void)
{
	cx_bits = 0;
	mnt_last = 0;
}

/* The reader's pid of the task whose fds come now: the iterator visits one
 * task's fds in a row, so it is worked out once per task (one reader per
 * loaded object: fdshare loads its own, and empties last_task before each
 * run).  Each process reached is marked in the output first (records.h,
 * FILE_REC_TASK): the reader knows which processes the iterator saw, those
 * without fds excepted, and which process (its start time) their fds are.
 * The mark goes with the task's first fd: when that fd's output does not
 * fit the kernel's buffer any more, the kernel drops it and shows the same
 * fd again at the next read(), and the mark is written again with it. */
struct task_struct *last_task;
int last_pid;
__u32 mark_fd;

static __always_inline int task_pid_for_reader(struct bpf_iter__task_file *ctx, struct task_struct *task,
					       __u32 fd)
{
	struct file_rec mark;

	if (task != last_task) {
		last_task = task;
		last_pid = reader_tgid(task);
		mark_fd = fd;
		task_caches_empty();
	}
	if (last_pid > 0 && fd == mark_fd) {
		__builtin_memset(&mark, 0, sizeof(mark));
		mark.pid = (__u32)last_pid;
		mark.fd = FILE_REC_TASK;
		mark.pos = task->start_boottime;
		bpf_seq_write(ctx->meta->seq, &mark, sizeof(mark));
	}
	return last_pid;
}

/* The reader's pid namespace level (0: the initial namespace). */
static __always_inline int reader_level(void)
{
	struct task_struct *me = bpf_get_current_task_btf();

	return BPF_CORE_READ(me, thread_pid, level);
}

static __always_inline __u8 fd_cloexec(struct task_struct *task, __u32 fd)
{
	struct fdtable *fdt = task->files->fdt;
	unsigned long *bits, word = 0;
	__u32 index = fd / (8 * sizeof(word));

	if (!fdt || fd >= fdt->max_fds)
		return 0;
	bits = fdt->close_on_exec;
	if (!bits)
		return 0;
	if (bits != cx_bits || index != cx_index) {
		if (bpf_probe_read_kernel(&word, sizeof(word), bits + index))
			return 0;
		cx_bits = bits;
		cx_index = index;
		cx_word = word;
	}
	return (cx_word >> (fd % (8 * sizeof(word)))) & 1;
}

/* As fdinfo's mnt_id: the struct mount around the vfsmount. */
static __always_inline int mount_id(struct vfsmount *vfs)
{
	struct mount *mnt;

	if (vfs != mnt_last) {
		mnt = (struct mount *)((char *)vfs - bpf_core_field_offset(struct mount, mnt));
		mnt_last_id = BPF_CORE_READ(mnt, mnt_id);
		mnt_last = vfs;
	}
	return mnt_last_id;
}

/* A socket's protocol name, kept by its struct proto (static data, never
 * freed while a socket of it exists). */
struct proto *proto_last;
char proto_last_name[16];

/* Whether an inode's lock lists (flock, POSIX and OFD, leases) hold any. */
static __always_inline int list_used(struct file_lock_context *ctx, unsigned long off,
				     struct list_head *next)
{
	return next && (unsigned long)next != (unsigned long)ctx + off;
}

static __always_inline int has_locks(struct file_lock_context *ctx)
{
	if (!ctx)
		return 0;
	return list_used(ctx, bpf_core_field_offset(struct file_lock_context, flc_flock), ctx->flc_flock.next) ||
	       list_used(ctx, bpf_core_field_offset(struct file_lock_context, flc_posix), ctx->flc_posix.next) ||
	       list_used(ctx, bpf_core_field_offset(struct file_lock_context, flc_lease), ctx->flc_lease.next);
}

#include "pick.bpf.h"
#include "locks.bpf.h"

/* Fields are read by direct loads where the verifier knows the pointer's
 * kernel type (the context's task and file and what hangs from them: a
 * faulting load reads 0, no helper call); through bpf_probe_read_kernel where
 * it cannot (the struct mount around a vfsmount, the close-on-exec word). */
SEC("iter/task_file")
int files(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	__u32 fd = ctx->fd;   /* read once: the verifier refuses a load through ctx plus an offset */
	struct file_buf *b;
	struct file_rec *r;
	struct inode *inode;
	struct vfsmount *vfs;
	__u32 zero = 0, len = sizeof(struct file_rec);
	long n;
	int pid;

	if (!task || !file)
		return 0;
	pid = task_pid_for_reader(ctx, task, fd);
	if (pid <= 0 || pick_skip(file, (__u32)pid, fd))
		return 0;
	b = bpf_map_lookup_elem(&file_bufs, &zero);
	if (!b)
		return 0;
	r = &b->rec;
	__builtin_memset(r, 0, sizeof(*r));
	r->pid = (__u32)pid;
	r->fd = fd;
	r->file = (__u64)(unsigned long)file;
	r->pos = file->f_pos;
	r->flags = file->f_flags;
	r->fmode = file->f_mode;
	r->cloexec = fd_cloexec(task, fd);
	inode = file->f_inode;
	if (inode) {
		unsigned long magic = inode->i_sb->s_magic;
		r->ino = inode->i_ino;
		r->i_mode = inode->i_mode;
		r->nlink = inode->i_nlink;
		r->rdev = inode->i_rdev;
		r->size = inode->i_size;
		r->dev = inode->i_sb->s_dev;
		/* pipefs and sockfs name every file "pipe:[ino]" / "socket:[ino]" */
		r->bits = magic == PIPEFS_MAGIC ? FILE_PATH_PIPE
			: magic == SOCKFS_MAGIC ? FILE_PATH_SOCKET : 0;
		if (has_locks(inode->i_flctx)) {
			struct lock_walk w = {
				.file = (__u64)file, .files = (__u64)task->files, .init_tgid = task->tgid,
				.reader_pid = pid, .reader_level = reader_level(), .out = b->locks,
			};
			r->bits |= FILE_LOCKED | lock_walk(&w, inode->i_flctx);
		}
	}
	vfs = file->f_path.mnt;
	if (vfs)
		r->mnt_id = mount_id(vfs);
	if ((r->i_mode & S_IFMT) == S_IFSOCK) {
		struct socket *sock = file->private_data;
		struct proto *prot = sock ? BPF_CORE_READ(sock, sk, sk_prot_creator) : 0;
		if (prot && prot != proto_last) {
			__builtin_memset(proto_last_name, 0, sizeof(proto_last_name));
			bpf_probe_read_kernel_str(proto_last_name, sizeof(proto_last_name), &prot->name);
			proto_last = prot;
		}
		if (prot)
			__builtin_memcpy(r->proto, proto_last_name, sizeof(r->proto));
	}
	if (with_paths && !(r->bits & FILE_PATH_MADE)) {
		n = bpf_d_path(&file->f_path, b->path, sizeof(b->path));
		if (n > 0 && n <= FILE_REC_PATH_MAX) {
			r->path_len = (__u16)n;
			len += (__u32)n;
		} else if (n < 0) {
			r->path_err = (__s16)n;
		}
	}
	if (len > sizeof(b->rec) + sizeof(b->path))
		return 0;
	bpf_seq_write(ctx->meta->seq, b, len);
	len = (__u32)(r->bits >> FILE_LOCKS_SHIFT) & FILE_LOCKS_MAX;
	if (len)
		bpf_seq_write(ctx->meta->seq, b->locks, len * sizeof(struct lock_rec));
	return 0;
}

/* The kernel lets only GPL-compatible programs call bpf_seq_write() and
 * bpf_d_path(). */
char LICENSE[] SEC("license") = "Dual BSD/GPL";
