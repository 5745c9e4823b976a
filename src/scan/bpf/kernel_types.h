/* kernel_types.h - the few kernel types fdshare's BPF programs read, declared
 * by hand for CO-RE (compile once, run on every kernel with BTF).
 *
 * Why not a generated vmlinux.h: the build must not need the build machine's
 * /sys/kernel/btf/vmlinux (a package builder, a container or a kernel without
 * BTF has none), and a 100,000-line generated header pins nothing useful.
 * Every struct below carries __attribute__((preserve_access_index)): clang
 * then records each field access as a relocation (type and field name), and
 * libbpf rewrites the offsets against the running kernel's BTF when the
 * object is loaded.  So only the names matter here, not the layouts: fields
 * are listed in no particular order, only those read, and a field the kernel
 * keeps inside an anonymous union (file.f_path, inode.i_nlink, the iterator
 * contexts' pointers) is found there by name.  Sizes and offsets in this file
 * are never used as such.
 *
 * Add a field here when a program reads it; nothing else. */
#ifndef FDSHARE_BPF_KERNEL_TYPES_H
#define FDSHARE_BPF_KERNEL_TYPES_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;

#define CORE __attribute__((preserve_access_index))

struct seq_file;
struct pid_namespace;

struct upid {
	int nr;
	struct pid_namespace *ns;
} CORE;

struct pid {
	unsigned int level;
	struct upid numbers[1];          /* numbers[level + 1] in the kernel */
} CORE;

struct rlimit {
	unsigned long rlim_cur;
	unsigned long rlim_max;
} CORE;

struct signal_struct {
	unsigned int is_child_subreaper:1;
	unsigned int has_child_subreaper:1;
	int nr_threads;
	struct pid *pids[4];             /* PIDTYPE_PID, _TGID, _PGID, _SID */
	struct rlimit rlim[16];
} CORE;

typedef struct {
	unsigned long sig[1];
} sigset_t;

struct sigaction {
	void *sa_handler;                /* SIG_DFL 0, SIG_IGN 1, else a handler */
} CORE;

struct k_sigaction {
	struct sigaction sa;
} CORE;

struct sighand_struct {
	struct k_sigaction action[64];
} CORE;

typedef struct {
	unsigned int val;
} kuid_t;

struct cred {
	kuid_t uid;
	kuid_t euid;
} CORE;

struct ns_common {
	unsigned int inum;               /* the namespace's inode: "net:[inum]" */
} CORE;

struct net {
	struct ns_common ns;
} CORE;

struct nsproxy {
	struct net *net_ns;
} CORE;

struct file;

struct mm_struct {
	struct file *exe_file;
	unsigned long arg_start;
	unsigned long arg_end;
} CORE;

struct fdtable {
	unsigned int max_fds;
	unsigned long *close_on_exec;    /* one bit per fd */
} CORE;

struct files_struct {
	struct fdtable *fdt;
} CORE;

struct task_struct {
	int pid;
	int tgid;
	struct pid *thread_pid;
	struct signal_struct *signal;
	struct files_struct *files;
	__u64 start_boottime;
	unsigned int flags;              /* PF_KTHREAD ... */
	unsigned int __state;            /* TASK_RUNNING 0, TASK_INTERRUPTIBLE 1 ... */
	int exit_state;                  /* EXIT_ZOMBIE 0x20, EXIT_DEAD 0x10 */
	char comm[16];
	struct task_struct *real_parent;
	struct sighand_struct *sighand;
	sigset_t blocked;
	const struct cred *real_cred;
	struct mm_struct *mm;
	struct nsproxy *nsproxy;
} CORE;

struct super_block {
	unsigned int s_dev;              /* dev_t, the kernel's encoding */
	unsigned long s_magic;           /* the file system: PIPEFS_MAGIC, SOCKFS_MAGIC ... */
} CORE;

struct list_head {
	struct list_head *next;
} CORE;

/* An inode's locks; a list is empty when its next is itself. */
struct file_lock_context {
	struct list_head flc_flock;
	struct list_head flc_posix;
	struct list_head flc_lease;
} CORE;

/* One lock of those lists (kernel 6.9 and later: the part every kind shares,
 * first member c of struct file_lock and struct file_lease); flc_list links
 * it into its list.  flc_owner is the fd table (POSIX) or the struct file
 * (flock, OFD, lease) that owns it. */
struct file_lock_core {
	struct list_head flc_list;
	void *flc_owner;
	unsigned int flc_flags;
	unsigned char flc_type;
	int flc_pid;                     /* the initial pid namespace's */
	struct file *flc_file;
} CORE;

/* A POSIX or OFD lock's byte range (flock: the whole file). */
struct file_lock {
	struct file_lock_core c;
	long long fl_start;
	long long fl_end;                /* OFFSET_MAX: to the end of the file */
} CORE;

struct inode {
	struct file_lock_context *i_flctx;
	unsigned short i_mode;
	unsigned long i_ino;
	unsigned int i_nlink;
	unsigned int i_rdev;
	long long i_size;
	struct super_block *i_sb;
} CORE;

struct vfsmount {
	struct super_block *mnt_sb;
} CORE;

/* The vfsmount a path points to is the member mnt of a struct mount. */
struct mount {
	struct vfsmount mnt;
	int mnt_id;
} CORE;

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
} CORE;

struct file {
	unsigned int f_mode;
	unsigned int f_flags;
	long long f_pos;
	struct path f_path;
	struct inode *f_inode;
	void *private_data;              /* a socket file's struct socket */
} CORE;

struct proto {
	char name[32];
} CORE;

struct sock {
	struct proto *sk_prot_creator;
} CORE;

struct socket {
	struct sock *sk;
} CORE;

struct bpf_iter_meta {
	struct seq_file *seq;
} CORE;

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} CORE;

struct qstr {
	__u32 len;
	const unsigned char *name;
} CORE;

struct hlist_bl_node {
	struct hlist_bl_node **pprev;    /* NULL: unhashed (d_unhashed) */
} CORE;

struct dentry {
	struct hlist_bl_node d_hash;
	struct qstr d_name;
} CORE;

struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_flags;
	struct file *vm_file;
} CORE;

struct bpf_iter__task_vma {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
	struct vm_area_struct *vma;
} CORE;

struct bpf_iter__task_file {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
	__u32 fd;
	struct file *file;
} CORE;

#undef CORE

/* libbpf's bpf_helper_defs.h names these; BPF_FUNC_loop is asked for by
 * name (bpf_core_enum_value_exists: does the running kernel have it). */
enum bpf_func_id { BPF_FUNC_unspec, BPF_FUNC_loop = 181 };
struct bpf_map;

#define BPF_MAP_TYPE_PERCPU_ARRAY 6

#endif
