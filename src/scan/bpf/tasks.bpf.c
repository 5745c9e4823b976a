/* tasks.bpf.c - a task iterator that writes, for every thread group leader
 * visible in the reader's pid namespace, one struct task_rec (records.h):
 * what /proc/PID/stat, status and limits would say of it, in one pass
 * instead of three files per process; and a sleepable one that copies each
 * process's arguments (cmdline) out of its memory.
 *
 * Field by field, against what /proc shows (fs/proc/array.c, base.c; the
 * comparison is tests/cases/122-source-compare-processes.sh):
 *   pid, ppid, pgrp, sid  thread_pid, real_parent's TGID, signal->pids[PGID],
 *                  [SID], each in the reader's namespace (pidns.bpf.h), 0
 *                  where it has none, as task_tgid_nr_ns() and friends say
 *   state, exit_state  the raw words; the reader turns them into stat's
 *                  letter as task_state_index() does (bpf_tasks.c)
 *   comm           task->comm, raw.  A kernel thread's stat shows a longer
 *                  name (workqueue workers: "kworker/0:1-events"): the reader
 *                  takes kernel threads' names from stat
 *   ruid, euid     real_cred->uid, euid: status's "Uid:" in the initial user
 *                  namespace (BPF loads only there)
 *   threads        signal->nr_threads, stat's num_threads
 *   sigignore, sigcatch  sighand->action[]: SIG_IGN, or a handler (SIG_DFL
 *                  neither), status's SigIgn and SigCgt; sigblocked
 *                  task->blocked, SigBlk
 *   nspid          thread_pid->numbers[] from the reader's level down, NSpid
 *   nofile_*       signal->rlim[RLIMIT_NOFILE], limits' "Max open files"
 *   has_mm         an address space: exe and cmdline exist.  The exe path is
 *                  not read here: the verifier does not trust mm->exe_file
 *                  (nor a mapping's vm_file) for bpf_d_path() from a task
 *                  iterator (6.18: "untrusted_ptr_file"), so the reader
 *                  reads the exe link
 *   netns          nsproxy->net_ns's inode, as the link ns/net names it (the
 *                  sockets' namespace, for the endpoint dumps)
 *   start_boottime with the pid, which process (pids get reused); stat's
 *                  field 22 once the reader converts it to clock ticks
 *   is/has_child_subreaper  as subreaper.bpf.c
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "records.h"
#include "pidns.bpf.h"

#define PF_KTHREAD 0x00200000
#define PIDTYPE_TGID 1
#define PIDTYPE_PGID 2
#define PIDTYPE_SID 3
#define RLIMIT_NOFILE 7
#define NSIG 64

/* A cmdline record and the longest arguments carried: too big for the stack. */
struct cmdline_buf {
	struct cmdline_rec rec;
	char args[CMDLINE_REC_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cmdline_buf);
} cmdline_bufs SEC(".maps");

/* SigIgn and SigCgt as status builds them: signal N is bit N-1. */
struct sig_walk {
	unsigned long base;              /* &sh->action[0].sa.sa_handler */
	unsigned long stride;            /* sizeof(struct k_sigaction) */
	__u64 ign, cgt;
};

/* One signal's handler (bpf_loop's callback: the verifier checks it once;
 * unrolled, the 64 rounds and their branches were most of the load time
 * of this program). */
static long sig_step(__u32 i, void *arg)
{
	struct sig_walk *w = arg;
	unsigned long handler = 0;

	if (i >= NSIG ||
	    bpf_probe_read_kernel(&handler, sizeof(handler), (void *)(w->base + i * w->stride)))
		return 0;
	if (handler == 1)
		w->ign |= 1ULL << i;
	else if (handler)
		w->cgt |= 1ULL << i;
	return 0;
}

static __always_inline void sig_actions(struct sighand_struct *sh, __u64 *ign, __u64 *cgt)
{
	struct sig_walk w = {
		.base = (unsigned long)sh + bpf_core_field_offset(struct sighand_struct, action)
			+ bpf_core_field_offset(struct k_sigaction, sa)
			+ bpf_core_field_offset(struct sigaction, sa_handler),
		.stride = bpf_core_type_size(struct k_sigaction),
	};
	int i;

	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_loop)) {
		bpf_loop(NSIG, sig_step, &w, 0);
	} else {
		/* before 5.17: the same steps, unrolled by the verifier */
		for (i = 0; i < NSIG; i++)
			sig_step((__u32)i, &w);
	}
	*ign = w.ign;
	*cgt = w.cgt;
}

/* NSpid: the pid's numbers from the reader's level to its own. */
static __always_inline void nspids(struct task_rec *r, struct pid *pid, unsigned int level)
{
	unsigned int top = BPF_CORE_READ(pid, level), i;
	struct pid_namespace *ns;
	int nr;

	for (i = 0; i < TASK_REC_NSPID; i++) {
		if (level + i > top)
			break;
		if (upid_at(pid, level + i, &nr, &ns) < 0)
			break;
		r->nspid[i] = nr;
		r->nspid_count = (__u8)(i + 1);
	}
}

SEC("iter/task")
int tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct pid_namespace *my_ns;
	struct signal_struct *sig;
	struct task_rec rec, *r = &rec;
	struct mm_struct *mm;
	unsigned int level;
	int pid;

	if (!task)
		return 0;
	pid = reader_tgid(task);
	if (pid <= 0 || reader_ns(&my_ns, &level) < 0)
		return 0;
	sig = BPF_CORE_READ(task, signal);
	if (!sig)
		return 0;
	__builtin_memset(r, 0, sizeof(*r));
	r->pid = (__u32)pid;
	r->start_boottime = task->start_boottime;
	r->ppid = (__u32)pid_nr_for(BPF_CORE_READ(task, real_parent, signal, pids[PIDTYPE_TGID]), my_ns, level);
	r->pgrp = (__u32)pid_nr_for(BPF_CORE_READ(sig, pids[PIDTYPE_PGID]), my_ns, level);
	r->sid = (__u32)pid_nr_for(BPF_CORE_READ(sig, pids[PIDTYPE_SID]), my_ns, level);
	r->state = task->__state;
	r->exit_state = (__u32)task->exit_state;
	r->flags = task->flags;
	r->threads = BPF_CORE_READ(sig, nr_threads);
	r->ruid = BPF_CORE_READ(task, real_cred, uid.val);
	r->euid = BPF_CORE_READ(task, real_cred, euid.val);
	r->sigblocked = task->blocked.sig[0];
	sig_actions(BPF_CORE_READ(task, sighand), &r->sigignore, &r->sigcatch);
	r->nofile_cur = BPF_CORE_READ(sig, rlim[RLIMIT_NOFILE].rlim_cur);
	r->nofile_max = BPF_CORE_READ(sig, rlim[RLIMIT_NOFILE].rlim_max);
	r->is_child_subreaper = BPF_CORE_READ_BITFIELD_PROBED(sig, is_child_subreaper);
	r->has_child_subreaper = BPF_CORE_READ_BITFIELD_PROBED(sig, has_child_subreaper);
	nspids(r, BPF_CORE_READ(task, thread_pid), level);
	r->netns = BPF_CORE_READ(task, nsproxy, net_ns, ns.inum);
	bpf_probe_read_kernel_str(r->comm, sizeof(r->comm), task->comm);
	mm = BPF_CORE_READ(task, mm);
	if (mm && !(r->flags & PF_KTHREAD)) {
		r->has_mm = 1;
	}
	bpf_seq_write(ctx->meta->seq, r, sizeof(*r));
	return 0;
}

/* The arguments of every process with an address space, copied from its
 * memory as /proc/PID/cmdline does (a sleepable program: the pages may have
 * to be faulted in).  Only the plain case is read here: arguments that fit
 * CMDLINE_REC_MAX and still end in their NUL; otherwise (setproctitle()
 * overwrote the NUL, or they are long) the record says so (len 0, bits) and
 * the reader reads cmdline from /proc. */
SEC("iter.s/task")
int cmdlines(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct cmdline_buf *b;
	struct mm_struct *mm;
	unsigned long start, end, size;
	__u32 zero = 0, n = 0;
	int pid;

	if (!task || (task->flags & PF_KTHREAD))
		return 0;
	pid = reader_tgid(task);
	mm = BPF_CORE_READ(task, mm);
	if (pid <= 0 || !mm)
		return 0;
	b = bpf_map_lookup_elem(&cmdline_bufs, &zero);
	if (!b)
		return 0;
	__builtin_memset(&b->rec, 0, sizeof(b->rec));
	b->rec.pid = (__u32)pid;
	b->rec.start_boottime = task->start_boottime;
	start = BPF_CORE_READ(mm, arg_start);
	end = BPF_CORE_READ(mm, arg_end);
	size = end - start;
	if (end > start) {
		if (size > CMDLINE_REC_MAX ||
		    bpf_copy_from_user_task(b->args, (__u32)size, (void *)start, task, 0) < 0 ||
		    b->args[(size - 1) & (CMDLINE_REC_MAX - 1)] != '\0')
			b->rec.bits = CMDLINE_UNREAD;   /* long, rewritten (setproctitle()), unreadable */
		else
			n = (__u32)size;
	}
	b->rec.len = n;
	if (n > CMDLINE_REC_MAX)
		return 0;
	bpf_seq_write(ctx->meta->seq, b, sizeof(b->rec) + n);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
