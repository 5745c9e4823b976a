/* pidns.bpf.h - a task's process id as the reader of an iterator sees it.
 *
 * Task iterators visit the tasks of the reader's pid namespace
 * (task_active_pid_ns(current) when the iterator fd is created), but
 * task->tgid is the id in the initial namespace.  The id in the reader's
 * namespace is thread_pid->numbers[level], level being the reader's own pid
 * level, when that upid's namespace is the reader's. */
#ifndef FDSHARE_BPF_PIDNS_H
#define FDSHARE_BPF_PIDNS_H

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

/* The reader's pid namespace and its level. */
static __always_inline int reader_ns(struct pid_namespace **ns, unsigned int *level)
{
	struct task_struct *me = bpf_get_current_task_btf();
	struct pid *my_pid = BPF_CORE_READ(me, thread_pid);
	int nr;

	*level = BPF_CORE_READ(my_pid, level);
	return upid_at(my_pid, *level, &nr, ns);
}

/* pid's number in the reader's namespace (ns at level), or 0 when it has
 * none there (a process of an ancestor namespace: /proc says 0 too). */
static __always_inline int pid_nr_for(struct pid *pid, struct pid_namespace *my_ns,
				      unsigned int level)
{
	struct pid_namespace *ns;
	int nr;

	if (!pid || BPF_CORE_READ(pid, level) < level)
		return 0;
	if (upid_at(pid, level, &nr, &ns) < 0 || ns != my_ns || nr <= 0)
		return 0;
	return nr;
}

/* The pid of task's thread group leader in the reader's namespace; 0 when
 * task is not a thread group leader or not visible from the reader. */
static __always_inline int reader_tgid(struct task_struct *task)
{
	struct task_struct *me = bpf_get_current_task_btf();
	struct pid_namespace *my_ns, *ns;
	struct pid *pid, *my_pid;
	unsigned int level;
	int nr, my_nr;

	if (BPF_CORE_READ(task, pid) != BPF_CORE_READ(task, tgid))
		return 0;
	my_pid = BPF_CORE_READ(me, thread_pid);
	level = BPF_CORE_READ(my_pid, level);
	if (upid_at(my_pid, level, &my_nr, &my_ns) < 0)
		return 0;
	pid = BPF_CORE_READ(task, thread_pid);
	if (!pid || BPF_CORE_READ(pid, level) < level)
		return 0;
	if (upid_at(pid, level, &nr, &ns) < 0 || ns != my_ns || nr <= 0)
		return 0;
	return nr;
}

#endif
