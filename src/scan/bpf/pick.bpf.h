/* pick.bpf.h - the task_file program's filter for -p PID (files.bpf.c
 * includes it; src/scan/bpf_pick.c drives it).
 *
 * pick_conf[0].mode says what the program does with each fd it visits:
 *   PICK_ALL     write every record (the whole scan; the default)
 *   PICK_LEARN   write every record, and remember the fd's struct file and,
 *                but for anon inodes (one inode for every eventfd, epoll,
 *                timerfd ...), its inode: the iterator is then bound to one
 *                selected process (bpf_iter_link_info.task.pid)
 *   PICK_FILTER  count every fd per process (pick_counts) and write only
 *                the records of selected processes (pick_tgids) and of fds
 *                on a remembered struct file (fork, dup, SCM_RIGHTS sharing),
 *                inode (the other end of a pipe, another open of the same
 *                file, a lock's other holders and waiters, a socket's peer:
 *                bpf_pick.c adds those it learns from sock_diag and
 *                /proc/locks) or device number (the other side of a pty)
 * Keys are the kernel's own values: s_dev in its encoding (major << 20 |
 * minor, as file_rec.dev), i_ino, i_rdev.
 *
 * The filter visits every fd of the system, so it does per task what it
 * can: the iterator gives one task's fds in a row, and pick_conf[0] keeps
 * that task's pid, whether it is selected, and its fds counted so far,
 * written to pick_counts when the next task begins (the last task's is read
 * from pick_conf by bpf_pick.c).  Per fd, a bit of pick_bits (pick_bits.h)
 * says whether its inode may be a key; only then is it looked up, and the
 * struct file only on a learned inode (a learned struct file's inode was
 * learned with it) or an anon one (the verifier allows no arithmetic on the
 * pointer to hash it); the device only when a pty side was added. */
#ifndef FDSHARE_BPF_PICK_H
#define FDSHARE_BPF_PICK_H

#define PICK_ALL    0
#define PICK_LEARN  1
#define PICK_FILTER 2

/* UAPI values (linux/bpf.h), fixed by the kernel's ABI */
#ifndef BPF_MAP_TYPE_HASH
#define BPF_MAP_TYPE_HASH  1
#define BPF_MAP_TYPE_ARRAY 2
#define BPF_F_NO_PREALLOC  1
#define BPF_ANY            0
#define BPF_NOEXIST        1
#endif

#define ANON_INODE_FS_MAGIC 0x09041934
#define MQUEUE_MAGIC 0x19800202
#define PICK_MAX_KEYS 65536
#define PICK_MAX_PROCS 262144

struct pick_ino {
	__u32 dev;
	__u32 pad;
	__u64 ino;
};

#include "pick_bits.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pick_bits);
} pick_bits SEC(".maps");

static __always_inline void pick_bit_set(struct pick_bits *b, __u32 bit)
{
	b->w[(bit >> 6) & (PICK_BITS_WORDS - 1)] |= 1ULL << (bit & 63);
}

static __always_inline int pick_bit_test(const struct pick_bits *b, __u32 bit)
{
	return (b->w[(bit >> 6) & (PICK_BITS_WORDS - 1)] >> (bit & 63)) & 1;
}

/* bpf_pick.c writes mode and rdevs, and zeroes the rest, before a run */
struct pick_conf {
	__u32 mode;          /* PICK_ALL, PICK_LEARN or PICK_FILTER */
	__u32 rdevs;         /* pick_rdevs holds a key */
	__u32 pid;           /* the task whose fds come now (PICK_FILTER) */
	__u32 selected;      /* ... is in pick_tgids */
	__u64 n;             /* ... its fds so far, not yet in pick_counts */
	__u32 fd;            /* ... the last of its fds decided */
	__u32 skip;          /* ... and what was decided */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pick_conf);
} pick_conf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, PICK_MAX_KEYS);
	__type(key, __u32);
	__type(value, __u8);
} pick_tgids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, PICK_MAX_KEYS);
	__type(key, __u64);
	__type(value, __u8);
} pick_files SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, PICK_MAX_KEYS);
	__type(key, struct pick_ino);
	__type(value, __u8);
} pick_inodes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, PICK_MAX_KEYS);
	__type(key, __u32);
	__type(value, __u8);
} pick_rdevs SEC(".maps");

/* (mount, inode) pairs whose first fd was written: of a file only opened
 * by others, the first fd by (pid, fd) is the one SHARED names ("pid N fd
 * M opens the same file separately"); the iterator visits in that order */
struct pick_first_key {
	__u64 mnt;
	__u64 ino;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, PICK_MAX_KEYS);
	__type(key, struct pick_first_key);
	__type(value, __u8);
} pick_first SEC(".maps");

/* fds per process under PICK_FILTER, written or not (its fd count), but
 * the last task's (pick_conf) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, PICK_MAX_PROCS);
	__type(key, __u32);
	__type(value, __u64);
} pick_counts SEC(".maps");

/* Count an fd of pid; at the first of a new task, the last task's count
 * goes to pick_counts and the new one's selection is looked up, once. */
static __always_inline void pick_count(struct pick_conf *c, __u32 pid)
{
	__u64 *n;

	if (c->pid == pid) {
		c->n++;
		return;
	}
	if (c->pid) {
		n = bpf_map_lookup_elem(&pick_counts, &c->pid);
		if (n)
			*n += c->n;     /* never so: a task's fds come in one run */
		else
			bpf_map_update_elem(&pick_counts, &c->pid, &c->n, BPF_NOEXIST);
	}
	c->pid = pid;
	c->n = 1;
	c->selected = bpf_map_lookup_elem(&pick_tgids, &pid) != 0;
}

/* Under PICK_FILTER, whether an fd not selected is left out. */
static __always_inline int pick_decide(const struct pick_conf *conf, const struct pick_bits *bits,
				       struct file *file, struct inode *inode,
				       const struct pick_ino *ik, int anon)
{
	__u64 key = (__u64)(unsigned long)file;
	__u8 yes = 1;
	__u32 rdev;

	if (anon)
		return !bpf_map_lookup_elem(&pick_files, &key);
	if (pick_bit_test(bits, pick_bit(ik->dev, ik->ino)) &&
	    bpf_map_lookup_elem(&pick_inodes, ik)) {
		struct pick_first_key fk = { (__u64)(unsigned long)file->f_path.mnt, ik->ino };
		unsigned short type = inode->i_mode & 0170000;
		/* the description's other holders; every fd of another kind
		 * of file than a regular one, a directory or a device (pipes,
		 * FIFOs, sockets), of a message queue, a deleted file, a file
		 * with locks; every write-only fd of a file (write-clobber);
		 * else the first */
		if (bpf_map_lookup_elem(&pick_files, &key) ||
		    (type != 0100000 && type != 0040000 && type != 0020000 && type != 0060000) ||
		    inode->i_sb->s_magic == MQUEUE_MAGIC || inode->i_nlink == 0 ||
		    has_locks(inode->i_flctx) || (file->f_flags & 3) == 1)
			return 0;
		return bpf_map_update_elem(&pick_first, &fk, &yes, BPF_NOEXIST) != 0;
	}
	rdev = inode->i_rdev;
	return !rdev || !conf->rdevs || !bpf_map_lookup_elem(&pick_rdevs, &rdev);
}

/* Whether the program leaves the record of pid's fd out. */
static __always_inline int pick_skip(struct file *file, __u32 pid, __u32 fd)
{
	__u32 zero = 0;
	struct pick_conf *conf = bpf_map_lookup_elem(&pick_conf, &zero);
	struct pick_bits *bits;
	__u64 key = (__u64)(unsigned long)file;
	struct inode *inode = file->f_inode;
	struct pick_ino ik = { 0 };
	__u8 yes = 1;
	int anon;

	if (!conf || conf->mode == PICK_ALL)
		return 0;
	bits = bpf_map_lookup_elem(&pick_bits, &zero);
	if (!bits)
		return 0;
	anon = !inode || inode->i_sb->s_magic == ANON_INODE_FS_MAGIC;
	if (inode) {
		ik.dev = inode->i_sb->s_dev;
		ik.ino = inode->i_ino;
	}
	if (conf->mode == PICK_LEARN) {
		bpf_map_update_elem(&pick_files, &key, &yes, BPF_ANY);
		if (!anon) {
			bpf_map_update_elem(&pick_inodes, &ik, &yes, BPF_ANY);
			pick_bit_set(bits, pick_bit(ik.dev, ik.ino));
		}
		return 0;
	}
	/* the kernel shows an fd again when its record did not fit what the
	 * last read() took: the same answer, counted once (pick_first would
	 * refuse it the second time) */
	if (conf->n && conf->pid == pid && conf->fd == fd)
		return conf->skip;
	pick_count(conf, pid);
	conf->fd = fd;
	conf->skip = conf->selected ? 0 : pick_decide(conf, bits, file, inode, &ik, anon);
	return conf->skip;
}

#endif
