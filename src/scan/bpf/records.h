/* records.h - what fdshare's BPF programs write and bpf_scan.c reads: the
 * record layouts both sides compile (fixed-width types, no padding the two
 * compilers could place differently). */
#ifndef FDSHARE_BPF_RECORDS_H
#define FDSHARE_BPF_RECORDS_H

/* One thread group leader (subreaper.bpf.c), 16 bytes. */
struct subreaper_rec {
	__u32 pid;                   /* in the reader's pid namespace */
	__u8 is_child_subreaper;     /* signal->is_child_subreaper */
	__u8 has_child_subreaper;    /* signal->has_child_subreaper */
	__u8 pad[2];
	__u64 start_boottime;        /* task->start_boottime, ns since boot */
};

/* The longest path a record carries, its NUL included (readlink of
 * /proc/PID/fd/N fails beyond it too). */
#define FILE_REC_PATH_MAX 4096

/* file_rec.bits: paths the kernel makes from the inode number alone
 * ("pipe:[ino]", "socket:[ino]": the reader writes them, bpf_d_path() is not
 * called), and whether the file has locks (flock, POSIX, OFD, lease). */
#define FILE_PATH_PIPE   1
#define FILE_PATH_SOCKET 2
#define FILE_PATH_MADE   3      /* the two bits above */
#define FILE_LOCKED      4
/* The program could not give every lock fdinfo would show for this fd (a
 * lock list longer than it walks, a lease, a pid it could not translate, a
 * kernel older than struct file_lock_core): read fdinfo's lines instead. */
#define FILE_LOCKS_UNREAD 8
/* How many struct lock_rec follow the path: bits >> FILE_LOCKS_SHIFT. */
#define FILE_LOCKS_SHIFT 4
#define FILE_LOCKS_MAX   15

/* lock_rec.kind */
#define LOCK_REC_POSIX 1
#define LOCK_REC_OFD   2
#define LOCK_REC_FLOCK 3

/* One lock fdinfo would print on the fd of the file_rec before it (fs/locks.c
 * __show_fd_locks: taken through this struct file, owned by it or by the fd
 * table of the process), in fdinfo's order (flock list, then POSIX), 24 bytes. */
struct lock_rec {
	__s64 start;                 /* fl_start; 0 for a flock */
	__s64 end;                   /* fl_end, inclusive; -1: to the end of the file */
	__s32 pid;                   /* as fdinfo prints it: the reader's pid namespace's,
	                                -1 for an OFD lock, 0 when not visible there */
	__u8 kind;                   /* LOCK_REC_* */
	__u8 type;                   /* 0 read, 1 write, 2 unlock (F_RDLCK, F_WRLCK, F_UNLCK) */
	__u8 pad[2];
};

/* One (process, fd) (files.bpf.c), followed by path_len bytes of path, then
 * bits >> FILE_LOCKS_SHIFT struct lock_rec.  A record whose fd is
 * FILE_REC_TASK is a process's mark instead: the iterator reached it (pid,
 * and its start_boottime in pos) and its fds follow; nothing follows it. */
#define FILE_REC_TASK 0xffffffffu

struct file_rec {
	__u64 file;                  /* the struct file *: the open file description's
	                                identity; never leaves fdshare */
	__u64 pos;                   /* f_pos */
	__u64 ino;                   /* f_inode->i_ino */
	__s64 size;                  /* f_inode->i_size */
	__u32 pid;                   /* in the reader's pid namespace */
	__u32 fd;
	__u32 flags;                 /* f_flags (O_CLOEXEC is per fd: cloexec) */
	__u32 fmode;                 /* f_mode (FMODE_READ 1, FMODE_WRITE 2, ...) */
	__u32 dev;                   /* i_sb->s_dev, kernel encoding (major << 20 | minor) */
	__u32 rdev;                  /* i_rdev, kernel encoding */
	__s32 mnt_id;                /* the mount's id, as fdinfo's mnt_id */
	__u32 nlink;                 /* i_nlink: 0 for a deleted file */
	__u16 i_mode;                /* type and permission bits */
	__u16 path_len;              /* bytes of path after the record, NUL included; 0: none */
	__s16 path_err;              /* bpf_d_path's negative errno when it failed, else 0 */
	__u8 cloexec;                /* the fd's bit in files->fdt->close_on_exec */
	__u8 bits;                   /* FILE_PATH_PIPE or FILE_PATH_SOCKET: no path follows,
	                                the reader makes it from ino as the kernel would;
	                                FILE_LOCKED: the inode holds locks;
	                                FILE_LOCKS_UNREAD, and the count of lock_rec
	                                after the path (bits >> FILE_LOCKS_SHIFT) */
	char proto[16];              /* a socket's protocol name ("UNIX-STREAM", "TCPv6"), or "" */
};

/* One thread group leader (tasks.bpf.c), 240 bytes. */
#define TASK_REC_NSPID 32           /* pid namespace levels (the kernel's MAX_PID_NS_LEVEL) */

struct task_rec {
	__u64 start_boottime;        /* task->start_boottime, ns since boot */
	__u64 sigignore;             /* bit N-1: signal N ignored (SIG_IGN) */
	__u64 sigcatch;              /* bit N-1: signal N has a handler */
	__u64 sigblocked;            /* task->blocked */
	__u64 nofile_cur, nofile_max;  /* signal->rlim[RLIMIT_NOFILE]; ~0: unlimited */
	__u32 pid, ppid, pgrp, sid;  /* in the reader's pid namespace; 0: not visible there */
	__u32 ruid, euid;            /* real_cred's uid and euid (kernel ids) */
	__u32 state;                 /* task->__state */
	__u32 exit_state;            /* task->exit_state */
	__u32 flags;                 /* task->flags (PF_KTHREAD) */
	__s32 threads;               /* signal->nr_threads */
	__s32 nspid[TASK_REC_NSPID]; /* the reader's level first, as status's NSpid */
	__u8 nspid_count;
	__u8 is_child_subreaper;     /* signal->is_child_subreaper */
	__u8 has_child_subreaper;    /* signal->has_child_subreaper */
	__u8 has_mm;                 /* it has an address space (not a kernel thread, not exited) */
	__u32 netns;                 /* nsproxy->net_ns->ns.inum: its network namespace's
	                                inode, as ns/net names it; 0 for a zombie */
	char comm[16];               /* task->comm, raw */
};

/* One process's arguments (tasks.bpf.c, cmdlines), followed by len bytes
 * (NUL-separated, as /proc/PID/cmdline gives them). */
#define CMDLINE_REC_MAX 16384       /* a power of two: the most bytes carried */
#define CMDLINE_UNREAD 1            /* bits: not read here (long, rewritten, or the copy
                                       failed): read /proc/PID/cmdline instead */

struct cmdline_rec {
	__u64 start_boottime;        /* with pid: which process */
	__u32 pid;                   /* in the reader's pid namespace */
	__u32 len;
	__u32 bits;
	__u32 pad;
};

/* A process that maps deleted code, or code under a name ending in
 * " (deleted)" (vmas.bpf.c): its maps are worth reading.  8 bytes. */
struct maps_rec {
	__u32 pid;                   /* in the reader's pid namespace */
	__u32 pad;
};

#endif
