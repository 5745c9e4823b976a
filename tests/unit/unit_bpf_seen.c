/* unit_bpf_seen.c - bpf_scan_missed(): which listed processes the fd
 * iterator, run at the same time as the listing, may have missed.  Task
 * records and the fd iterator's marks are made by hand: a process it marked
 * (read), one it did not mark that was there long before (no fds), one
 * that started about when it began or after (read again), one whose PID it
 * marked with another start time (its fds hidden, read again), and the
 * look-alikes left alone: a kernel thread, a zombie. */
#include <linux/types.h>
#include "check.h"
#include "scan/bpf_scan.h"
#include "scan/bpf/records.h"

#include <stdlib.h>
#include <string.h>

#define SEC 1000000000ULL
#define PF_KTHREAD 0x00200000u

static struct task_rec task(unsigned pid, unsigned long long start)
{
	struct task_rec t;

	memset(&t, 0, sizeof(t));
	t.pid = pid;
	t.start_boottime = start;
	return t;
}

static int has(const struct bpf_mark *m, size_t n, unsigned pid, unsigned long long start)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (m[i].pid == pid && m[i].start == start)
			return 1;
	return 0;
}

int main(void)
{
	unsigned long long began = 100 * SEC;   /* the fd iterator's start */
	struct task_rec t[8];
	struct bpf_mark marks[] = {
		{ 10, 5 * SEC },                /* pid 10, as listed */
		{ 30, 7 * SEC },                /* pid 30 held by an earlier process */
	};
	struct bpf_mark reread[8], drop[16];
	size_t n, ndrop;

	t[0] = task(10, 5 * SEC);               /* marked: read */
	t[1] = task(20, 6 * SEC);               /* not marked, there long before: no fds */
	t[2] = task(30, began + SEC / 2);       /* its PID marked with another start */
	t[3] = task(40, began + SEC / 100);     /* started after the fd iterator began */
	t[4] = task(50, began - SEC / 10);      /* started just before: within the margin */
	t[5] = task(60, began + SEC);           /* a kernel thread: no fd table */
	t[5].flags = PF_KTHREAD;
	t[6] = task(70, began + SEC);           /* a zombie: no fds any more */
	t[6].exit_state = 16;
	t[7] = task(0, began + SEC);            /* not visible in our namespace */
	n = bpf_scan_missed((const char *)t, sizeof(t), marks, 2, began, reread, drop, &ndrop);

	CHECK(!has(reread, n, 10, 5 * SEC), "a process the fd iterator marked is not read again");
	CHECK(!has(reread, n, 20, 6 * SEC), "one it did not mark, there long before it began, had no fds");
	CHECK(has(reread, n, 30, began + SEC / 2), "one whose PID it marked with another start time is read again");
	CHECK(ndrop == 1 && drop[0].pid == 30 && drop[0].start == 7 * SEC,
	      "... and the fds it read under that PID (another process's) are dropped");
	CHECK(has(reread, n, 40, began + SEC / 100), "one that started after it began is read again");
	CHECK(has(reread, n, 50, began - SEC / 10), "one that started within the margin before it is read again");
	CHECK(n == 3, "kernel threads, zombies and processes of other namespaces are not read again");

	/* all marked: nothing to do */
	n = bpf_scan_missed((const char *)t, sizeof(struct task_rec), marks, 2, began, reread, drop, &ndrop);
	CHECK(n == 0 && ndrop == 0, "a listing the fd iterator marked whole needs nothing read again");
	/* no marks at all (the fd iterator ran before anything was started) */
	n = bpf_scan_missed((const char *)&t[1], sizeof(struct task_rec), NULL, 0, began, reread, drop, &ndrop);
	CHECK(n == 0 && ndrop == 0, "with no marks, processes from long before are taken as without fds");
	return check_done();
}
