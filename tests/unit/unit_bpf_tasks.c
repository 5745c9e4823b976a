/* unit_bpf_tasks.c - the BPF source's process decoding (bpf_tasks.h), on
 * records made here: stat's state letter from the kernel's state words,
 * status's signal masks, start times in clock ticks (with a time namespace
 * offset), RLIMIT_NOFILE, a whole record into struct process (ids, comm with
 * control bytes, NSpid, the limit only where fds are read, ourselves left
 * out, the subreaper flags kept), and arguments matched by pid and start
 * time (a record of a reused PID is not taken; a cut record ends the read). */
#include "check.h"
#include "scan/bpf_tasks.h"
#include "base/util.h"

#include <linux/types.h>
#include <stdlib.h>

#include "scan/bpf/records.h"

static void free_procs(struct process *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].comm);
		cmdline_free(p[i].cmdline);
	}
	free(p);
}

static void check_letters(void)
{
	CHECK(bpf_task_state_letter(0, 0) == 'R', "running: R");
	CHECK(bpf_task_state_letter(0x1, 0) == 'S', "TASK_INTERRUPTIBLE: S");
	CHECK(bpf_task_state_letter(0x2, 0) == 'D', "TASK_UNINTERRUPTIBLE: D");
	CHECK(bpf_task_state_letter(0x104, 0) == 'T', "TASK_STOPPED (WAKEKILL | __TASK_STOPPED): T");
	CHECK(bpf_task_state_letter(0x8, 0) == 't', "__TASK_TRACED: t");
	CHECK(bpf_task_state_letter(0x80, 0x20) == 'Z', "TASK_DEAD with EXIT_ZOMBIE: Z");
	CHECK(bpf_task_state_letter(0x80, 0x10) == 'X', "EXIT_DEAD: X");
	CHECK(bpf_task_state_letter(0x40, 0) == 'P', "TASK_PARKED: P");
	CHECK(bpf_task_state_letter(0x402, 0) == 'I', "TASK_IDLE (UNINTERRUPTIBLE | NOLOAD): I, not D");
	CHECK(bpf_task_state_letter(0x1000, 0) == 'D', "TASK_RTLOCK_WAIT: D");
	CHECK(bpf_task_state_letter(0x2001, 0) == 'S', "TASK_FREEZABLE | INTERRUPTIBLE: S");
}

static void check_small(void)
{
	struct bpf_task_clock c = { 0, 100 }, off = { -5000000000LL, 100 };
	struct nofile_limit l;
	char hex[17];

	bpf_task_sigmask_hex(1ULL << 16, hex);
	CHECK_STR(hex, "0000000000010000", "SIGCHLD (17) is bit 16, 16 hex digits");
	bpf_task_sigmask_hex(~0ULL, hex);
	CHECK_STR(hex, "ffffffffffffffff", "all 64 signals, lowercase");
	CHECK(bpf_task_ticks(1234567890123ULL, &c) == 123456, "ns since boot to ticks (USER_HZ 100)");
	CHECK(bpf_task_ticks(6000000000ULL, &off) == 100, "a time namespace's boottime offset is added first");
	CHECK(bpf_task_ticks(1000000000ULL, &off) == 0, "a start before the namespace's boot: 0, not a wrap");
	bpf_task_nofile(1024, 524288, &l);
	CHECK(!l.soft_unlimited && l.soft == 1024 && !l.hard_unlimited && l.hard == 524288,
	      "RLIMIT_NOFILE 1024 / 524288");
	bpf_task_nofile(~0ULL, ~0ULL, &l);
	CHECK(l.soft_unlimited && l.hard_unlimited, "RLIM_INFINITY: unlimited");
}

static struct task_rec rec(unsigned pid, const char *comm)
{
	struct task_rec r;

	memset(&r, 0, sizeof(r));
	r.pid = pid;
	r.ppid = 1;
	r.pgrp = pid;
	r.sid = 1;
	r.state = 1;
	r.threads = 1;
	r.start_boottime = (unsigned long long)pid * 10000000ULL;
	r.nofile_cur = 1024;
	r.nofile_max = 4096;
	r.nspid_count = 1;
	r.nspid[0] = (int)pid;
	r.has_mm = 1;
	memcpy(r.comm, comm, strlen(comm) < 16 ? strlen(comm) : 16);
	return r;
}

static void check_decode(void)
{
	struct bpf_task_clock c = { 0, 100 };
	struct task_rec r[4];
	struct subreaper_table sr;
	struct process *p;
	size_t n;

	r[0] = rec(7, "a\nb\x01");
	r[0].nspid_count = 2;
	r[0].nspid[1] = 1;
	r[0].sigignore = 1ULL << 16;
	r[0].ruid = 1000;
	r[0].netns = 4026531840u;
	r[0].euid = 0;
	r[1] = rec(3, "zombie");
	r[1].state = 0x80;
	r[1].exit_state = 0x20;
	r[1].has_mm = 0;
	r[2] = rec(9, "self");
	r[2].is_child_subreaper = 1;
	r[3] = rec(5, "kworker/0:1");
	r[3].flags = 0x00200000;
	r[3].has_mm = 0;
	n = bpf_tasks_decode((const char *)r, sizeof(r), &c, 9, &p, &sr);
	CHECK(n == 3, "three processes: ourselves (9) left out");
	CHECK(n == 3 && p[0].pid == 3 && p[1].pid == 5 && p[2].pid == 7, "sorted by pid");
	CHECK(sr.n == 4 && sr.flags[3].pid == 9 && sr.flags[3].is_child_subreaper,
	      "the subreaper flags keep every process, ourselves too");
	if (n == 3) {
		CHECK(strcmp(p[2].comm, "a\nb\x01") == 0, "comm raw: a newline and a control byte kept");
		CHECK(p[2].nspid_count == 2 && p[2].nspid[0] == 7 && p[2].nspid[1] == 1,
		      "NSpid: the reader's level first");
		CHECK(strcmp(p[2].sigignore, "0000000000010000") == 0 && strcmp(p[2].sigcatch, "0000000000000000") == 0,
		      "signal masks as status prints them");
		CHECK(p[2].ruid == 1000 && p[2].euid == 0 && p[2].tgid == 7 && p[2].ppid == 1,
		      "uids, tgid, ppid");
		CHECK(p[2].start_time == 7, "start time in ticks");
		CHECK(p[2].netns == 4026531840ULL && p[0].netns == 0,
		      "the network namespace's inode (none for a zombie: ns/net then)");
		CHECK(p[2].have_nofile && p[2].nofile.soft == 1024 && p[2].nofile.hard == 4096,
		      "the fd limit of a process whose fds are read");
		CHECK(p[0].state == 'Z' && !p[0].have_nofile, "a zombie: Z, no fd limit (as the /proc source)");
		CHECK(p[1].is_kthread && !p[1].have_nofile, "a kernel thread: flagged, no fd limit");
		CHECK(p[2].cmdline && !p[2].cmdline[0], "arguments empty until read");
	}
	{
		/* arguments: pid 7 "x\ny" and "", pid 5 with another start time
		 * (its PID reused), pid 3 unread, then a record cut short */
		char buf[512];
		size_t off = 0;
		bool got[3] = { false, false, false };
		struct cmdline_rec h;
		memset(&h, 0, sizeof(h));
		h.pid = 7;
		h.start_boottime = 70000000ULL;
		h.len = 5;
		memcpy(buf + off, &h, sizeof(h));
		memcpy(buf + off + sizeof(h), "x\ny\0\0", 5);
		off += sizeof(h) + 5;
		h.pid = 5;
		h.start_boottime = 1;
		h.len = 2;
		memcpy(buf + off, &h, sizeof(h));
		memcpy(buf + off + sizeof(h), "k\0", 2);
		off += sizeof(h) + 2;
		h.pid = 3;
		h.start_boottime = 30000000ULL;
		h.len = 0;
		h.bits = CMDLINE_UNREAD;
		memcpy(buf + off, &h, sizeof(h));
		off += sizeof(h);
		h.pid = 3;
		h.bits = 0;
		h.len = 100;
		memcpy(buf + off, &h, sizeof(h));
		off += sizeof(h) + 10;
		bpf_tasks_cmdlines(buf, off, &c, p, n, got);
		CHECK(got[2] && p[2].cmdline[0] && strcmp(p[2].cmdline[0], "x\ny") == 0 &&
		      p[2].cmdline[1] && p[2].cmdline[1][0] == '\0' && !p[2].cmdline[2],
		      "arguments: a newline inside one, an empty one kept");
		CHECK(!got[1] && !p[1].cmdline[0], "a record with another start time (a reused PID) is not taken");
		CHECK(!got[0], "unread, then cut short: left to /proc");
	}
	free_procs(p, n);
	subreaper_table_free(&sr);
}

int main(void)
{
	check_letters();
	check_small();
	check_decode();
	return check_done();
}
