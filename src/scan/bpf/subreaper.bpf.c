/* subreaper.bpf.c - the optional BPF part of fdshare (ninja bpf): a task
 * iterator that writes, for every thread group leader visible in the pid
 * namespace of the reader, one struct subreaper_rec:
 *
 *   pid                  its process id in the reader's pid namespace
 *   is_child_subreaper   signal->is_child_subreaper: PR_SET_CHILD_SUBREAPER set
 *   has_child_subreaper  signal->has_child_subreaper: some ancestor is (or was)
 *                        a subreaper, so its orphans look for one on exit
 *   start_boottime       task->start_boottime, nanoseconds since boot: with
 *                        the pid, it names the process (pids get reused)
 *
 * The kernel's task iterator visits the tasks of the pid namespace of the
 * process that reads it (task_active_pid_ns(current)), but task->tgid is the
 * id in the initial namespace: the id in the reader's namespace is
 * thread_pid->numbers[level], level being the reader's own pid level.
 *
 * CO-RE: vmlinux.h is generated at build time (build/bpf/vmlinux.h, from
 * /sys/kernel/btf/vmlinux) and every kernel field is read with relocations,
 * so one object runs on kernels with other layouts.  The two flags are
 * bitfields: BPF_CORE_READ_BITFIELD_PROBED. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/* Keep in step with struct subreaper_rec in src/subreaper_bpf.c. */
struct subreaper_rec {
	__u32 pid;
	__u8 is_child_subreaper;
	__u8 has_child_subreaper;
	__u8 pad[2];
	__u64 start_boottime;
};

#define MAX_PID_NS_LEVEL 32

/* The upid of pid at level, read field by field with relocations. */
static __always_inline int upid_at(struct pid *pid, unsigned int level, int *nr,
				   struct pid_namespace **ns)
{
	struct upid *u;

	if (level >= MAX_PID_NS_LEVEL)
		return -1;
	u = (struct upid *)((char *)pid + bpf_core_field_offset(struct pid, numbers)
			    + level * bpf_core_type_size(struct upid));
	*nr = BPF_CORE_READ(u, nr);
	*ns = BPF_CORE_READ(u, ns);
	return 0;
}

SEC("iter/task")
int subreaper(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task, *me;
	struct pid_namespace *my_ns, *ns;
	struct signal_struct *sig;
	struct subreaper_rec r = {};
	struct pid *pid, *my_pid;
	unsigned int level;
	int nr, my_nr;

	if (!task)
		return 0;
	if (BPF_CORE_READ(task, pid) != BPF_CORE_READ(task, tgid))
		return 0;                       /* not a thread group leader */

	me = bpf_get_current_task_btf();        /* the reader */
	my_pid = BPF_CORE_READ(me, thread_pid);
	level = BPF_CORE_READ(my_pid, level);
	if (upid_at(my_pid, level, &my_nr, &my_ns) < 0)
		return 0;
	pid = BPF_CORE_READ(task, thread_pid);
	if (!pid || BPF_CORE_READ(pid, level) < level)
		return 0;                       /* not visible from the reader */
	if (upid_at(pid, level, &nr, &ns) < 0 || ns != my_ns || nr <= 0)
		return 0;

	sig = BPF_CORE_READ(task, signal);
	if (!sig)
		return 0;
	r.pid = (__u32)nr;
	r.is_child_subreaper = BPF_CORE_READ_BITFIELD_PROBED(sig, is_child_subreaper);
	r.has_child_subreaper = BPF_CORE_READ_BITFIELD_PROBED(sig, has_child_subreaper);
	r.start_boottime = BPF_CORE_READ(task, start_boottime);
	bpf_seq_write(seq, &r, sizeof(r));
	return 0;
}

/* The kernel lets only GPL-compatible programs call bpf_seq_write(). */
char LICENSE[] SEC("license") = "Dual BSD/GPL";
