/* subreaper.bpf.c - a task iterator that writes, for every thread group
 * leader visible in the pid namespace of the reader, one struct
 * subreaper_rec (records.h):
 *
 *   pid                  its process id in the reader's pid namespace
 *   is_child_subreaper   signal->is_child_subreaper: PR_SET_CHILD_SUBREAPER set
 *   has_child_subreaper  signal->has_child_subreaper: some ancestor is (or was)
 *                        a subreaper, so its orphans look for one on exit
 *   start_boottime       task->start_boottime, nanoseconds since boot: with
 *                        the pid, it names the process (pids get reused)
 *
 * Linked with files.bpf.c into one object (build.ninja): one load serves both.
 * The two flags are bitfields: BPF_CORE_READ_BITFIELD_PROBED. */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "records.h"
#include "pidns.bpf.h"

SEC("iter/task")
int subreaper(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct signal_struct *sig;
	struct subreaper_rec r = {};
	int pid;

	if (!task)
		return 0;
	pid = reader_tgid(task);
	if (pid <= 0)
		return 0;
	sig = BPF_CORE_READ(task, signal);
	if (!sig)
		return 0;
	r.pid = (__u32)pid;
	r.is_child_subreaper = BPF_CORE_READ_BITFIELD_PROBED(sig, is_child_subreaper);
	r.has_child_subreaper = BPF_CORE_READ_BITFIELD_PROBED(sig, has_child_subreaper);
	r.start_boottime = BPF_CORE_READ(task, start_boottime);
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
