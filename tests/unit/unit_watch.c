/* unit_watch.c - watch mode without a kernel: proc connector messages
 * (recorded from kernel 6.18 and constructed) through watch_decode(), and
 * event sequences through the state, over a fake /proc. */
#include "check.h"
#include "base/util.h"
#include "watch/watch.h"
#include "watch/watch_state.h"

#include <errno.h>
#include <signal.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS 1000000ULL

/* ---- messages ---- */

/* Recorded: fork of 31545 by 31543, then its exit(5), on cpu 1. */
static const unsigned char rec_fork[] = {
	0x4c, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0xa6, 0x8c, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0xa6, 0x8c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xfe, 0x75, 0x93, 0x33,
	0xfe, 0x02, 0x00, 0x00, 0x37, 0x7b, 0x00, 0x00, 0x37, 0x7b, 0x00, 0x00,
	0x39, 0x7b, 0x00, 0x00, 0x39, 0x7b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};
static const unsigned char rec_exit[] = {
	0x4c, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0xa7, 0x8c, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0xa7, 0x8c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00, 0x11, 0xa0, 0xb4, 0x33,
	0xfe, 0x02, 0x00, 0x00, 0x39, 0x7b, 0x00, 0x00, 0x39, 0x7b, 0x00, 0x00,
	0x00, 0x05, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x37, 0x7b, 0x00, 0x00,
	0x37, 0x7b, 0x00, 0x00,
};

/* An aligned buffer that messages are appended to. */
struct msgbuf {
	uint64_t words[512];
	size_t len;
};

static unsigned char *mb_bytes(struct msgbuf *b)
{
	return (unsigned char *)b->words;
}

static void mb_raw(struct msgbuf *b, const void *p, size_t n)
{
	memcpy(mb_bytes(b) + b->len, p, n);
	b->len += NLMSG_ALIGN(n);
}

/* One message: nlmsghdr (type) + cn_msg (idx, val, len = evlen) + the first
 * evlen bytes of ev; plen_cut shortens the netlink payload by that much. */
static void mb_msg(struct msgbuf *b, uint16_t type, uint32_t idx, const struct proc_event *ev,
		   size_t evlen, size_t plen_cut)
{
	unsigned char *p = mb_bytes(b) + b->len;
	struct nlmsghdr nlh;
	struct cn_msg cn;

	memset(&cn, 0, sizeof(cn));
	cn.id.idx = idx;
	cn.id.val = CN_VAL_PROC;
	cn.seq = 7;
	cn.ack = 42;
	cn.len = (uint16_t)evlen;
	memset(&nlh, 0, sizeof(nlh));
	nlh.nlmsg_type = type;
	nlh.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + sizeof(cn) + evlen - plen_cut);
	memcpy(p, &nlh, sizeof(nlh));
	memcpy(p + NLMSG_HDRLEN, &cn, sizeof(cn));
	memcpy(p + NLMSG_HDRLEN + sizeof(cn), ev, evlen);
	b->len += NLMSG_ALIGN(nlh.nlmsg_len);
}

static void mb_event(struct msgbuf *b, const struct proc_event *ev)
{
	mb_msg(b, NLMSG_DONE, CN_IDX_PROC, ev, sizeof(*ev), 0);
}

static struct proc_event mk(unsigned what, unsigned long long ts)
{
	struct proc_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.what = what;
	ev.cpu = 1;
	ev.timestamp_ns = ts;
	return ev;
}

static void test_recorded(void)
{
	struct msgbuf b = { .len = 0 };
	struct proc_ev evs[4];
	size_t bad, n;

	mb_raw(&b, rec_fork, sizeof(rec_fork));
	mb_raw(&b, rec_exit, sizeof(rec_exit));
	n = watch_decode(b.words, b.len, evs, 4, &bad);
	CHECK(n == 2 && bad == 0, "recorded: two messages in one buffer, two events");
	CHECK(evs[0].kind == PEV_FORK && evs[0].parent_pid == 31543 && evs[0].parent_tgid == 31543 &&
	      evs[0].pid == 31545 && evs[0].tgid == 31545, "recorded fork: 31543 -> 31545");
	CHECK(evs[0].cpu == 1 && evs[0].ts_ns == 0x2fe339375feULL && evs[0].seq == 0x8ca6,
	      "recorded fork: cpu, timestamp (unaligned u64), seq");
	CHECK(evs[1].kind == PEV_EXIT && evs[1].pid == 31545 && evs[1].tgid == 31545 &&
	      evs[1].exit_code == 0x500 && evs[1].exit_signal == 17 && evs[1].parent_tgid == 31543,
	      "recorded exit: code 5 as wait status 0x500, SIGCHLD, parent 31543");
}

static void test_constructed(void)
{
	struct msgbuf b = { .len = 0 };
	struct proc_event ev;
	struct proc_ev out[8];
	size_t bad, n;

	ev = mk(PROC_EVENT_EXEC, 5);
	ev.event_data.exec.process_pid = 11;
	ev.event_data.exec.process_tgid = 10;
	mb_event(&b, &ev);
	ev = mk(PROC_EVENT_COMM, 6);
	ev.event_data.comm.process_pid = 10;
	ev.event_data.comm.process_tgid = 10;
	memcpy(ev.event_data.comm.comm, "0123456789abcdef", 16);   /* no NUL */
	mb_event(&b, &ev);
	ev = mk(PROC_EVENT_NONE, 7);
	ev.event_data.ack.err = EPERM;
	mb_event(&b, &ev);
	ev = mk(PROC_EVENT_UID, 8);
	mb_event(&b, &ev);
	n = watch_decode(b.words, b.len, out, 8, &bad);
	CHECK(n == 4 && bad == 0, "constructed: four events");
	CHECK(out[0].kind == PEV_EXEC && out[0].pid == 11 && out[0].tgid == 10 && out[0].ts_ns == 5,
	      "exec: thread 11 of 10");
	CHECK(out[1].kind == PEV_COMM && strcmp(out[1].comm, "0123456789abcde") == 0,
	      "comm: 16 bytes without NUL are cut to a string");
	CHECK(out[2].kind == PEV_ACK && out[2].err == EPERM && out[2].ack == 42,
	      "ack: the kernel's error and the echoed ack");
	CHECK(out[3].kind == PEV_OTHER, "a uid event is decoded as other");
	n = watch_decode(b.words, b.len, out, 2, &bad);
	CHECK(n == 2, "no more than cap events");
}

static void set_nlmsg_len(unsigned char *msg, uint32_t len)
{
	memcpy(msg + offsetof(struct nlmsghdr, nlmsg_len), &len, sizeof(len));
}

static void test_malformed(void)
{
	struct msgbuf b = { .len = 0 };
	struct proc_event ev = mk(PROC_EVENT_EXIT, 1);
	struct proc_ev out[4];
	size_t bad, n;

	/* An exit without its parent fields: too short for its kind. */
	mb_msg(&b, NLMSG_DONE, CN_IDX_PROC, &ev, offsetof(struct proc_event, event_data) + 8, 0);
	n = watch_decode(b.words, b.len, out, 4, &bad);
	CHECK(n == 0 && bad == 1, "an exit event cut short is malformed");

	b.len = 0;
	mb_msg(&b, NLMSG_DONE, CN_IDX_PROC, &ev, sizeof(ev), 8);   /* cn.len past the payload */
	n = watch_decode(b.words, b.len, out, 4, &bad);
	CHECK(n == 0 && bad == 1, "cn_msg.len beyond the message is malformed");

	b.len = 0;
	mb_msg(&b, NLMSG_DONE, CN_IDX_PROC, &ev, 4, 0);
	n = watch_decode(b.words, b.len, out, 4, &bad);
	CHECK(n == 0 && bad == 1, "a proc_event without its header is malformed");

	b.len = 0;
	mb_msg(&b, NLMSG_DONE, CN_IDX_PROC + 1, &ev, sizeof(ev), 0);
	mb_msg(&b, NLMSG_NOOP, CN_IDX_PROC, &ev, sizeof(ev), 0);
	n = watch_decode(b.words, b.len, out, 4, &bad);
	CHECK(n == 0 && bad == 0, "another connector's message and NLMSG_NOOP are skipped quietly");

	b.len = 0;
	mb_event(&b, &ev);
	memset(mb_bytes(&b) + b.len, 0xff, 6);
	b.len += 6;
	n = watch_decode(b.words, b.len, out, 4, &bad);
	CHECK(n == 1 && bad == 1, "trailing bytes that are no message: counted, the event before kept");

	/* nlmsg_len of 2^31 and more: libmnl's (int) cast took them as fitting
	 * and stepped backwards, reading before or past the buffer */
	b.len = 0;
	mb_event(&b, &ev);
	set_nlmsg_len(mb_bytes(&b), 0x80000000u);
	n = watch_decode(b.words, b.len, out, 4, &bad);
	CHECK(n == 0 && bad == 1, "nlmsg_len 0x80000000: malformed, nothing decoded");
	set_nlmsg_len(mb_bytes(&b), 0xffffffb4u);   /* -76 as an int */
	n = watch_decode(b.words, b.len, out, 4, &bad);
	CHECK(n == 0 && bad == 1, "nlmsg_len 0xffffffb4 (-76 as int): malformed, no loop");
	b.len = 0;
	mb_event(&b, &ev);
	mb_event(&b, &ev);
	set_nlmsg_len(mb_bytes(&b) + b.len / 2, 0x80000000u + 76);
	n = watch_decode(b.words, b.len, out, 4, &bad);
	CHECK(n == 1 && bad == 1, "an event, then nlmsg_len 2^31 + 76: the first kept, one malformed");

	n = watch_decode(b.words, 10, out, 4, &bad);
	CHECK(n == 0 && bad == 1, "a buffer shorter than a header");
	n = watch_decode(b.words, 0, out, 4, &bad);
	CHECK(n == 0 && bad == 0, "an empty buffer");
}

/* ---- a fake /proc ---- */

struct fproc {
	int pid, ppid, threads;
	char state;
	unsigned long long start;
	const char *comm;
	bool ns_init;
};

static struct fproc fake[64];
static int nfake;

static struct fproc *fk(int pid)
{
	int i;

	for (i = 0; i < nfake; i++)
		if (fake[i].pid == pid)
			return &fake[i];
	return NULL;
}

/* Add or change pid in the fake /proc. */
static void fset(int pid, int ppid, char state, int threads, const char *comm)
{
	struct fproc *f = fk(pid);

	if (!f) {
		f = &fake[nfake++];
		f->pid = pid;
		f->start = 1000 + (unsigned long long)pid;
		f->ns_init = false;
	}
	f->ppid = ppid;
	f->state = state;
	f->threads = threads;
	f->comm = comm;
}

static void fgone(int pid)
{
	struct fproc *f = fk(pid);

	if (f)
		*f = fake[--nfake];
}

static int fake_stat(void *ctx, int pid, struct stat_info *out)
{
	struct fproc *f = fk(pid);

	(void)ctx;
	if (!f) {
		errno = ENOENT;
		return -1;
	}
	memset(out, 0, sizeof(*out));
	out->pid = pid;
	snprintf(out->comm, sizeof(out->comm), "%s", f->comm);
	out->state = f->state;
	out->ppid = f->ppid;
	out->num_threads = f->threads;
	out->start_time = f->start;
	return 0;
}

static char **fake_argv(void *ctx, int pid)
{
	struct fproc *f = fk(pid);
	char **argv;

	(void)ctx;
	if (!f)
		return NULL;
	argv = xcalloc(3, sizeof(char *));
	argv[0] = xstrdup(f->comm);
	argv[1] = xstrdup("-x");
	return argv;
}

static bool fake_ns_init(void *ctx, int pid)
{
	struct fproc *f = fk(pid);

	(void)ctx;
	return f && f->ns_init;
}

/* What the state reported, copied. */
struct rep {
	enum wkind kind;
	unsigned long long ts;
	bool in_scope;
	int pid, ppid, old_ppid, birth_ppid, parent_tid;
	enum wadopter adopter;
	unsigned status;
	long long zombie_ns;
	char comm[64], pcomm[64], old_comm[64], argv0[64];
	bool have_argv;
};

static struct rep reps[64];
static int nreps;

static void record(void *arg, const struct wreport *r)
{
	struct rep *p = &reps[nreps++];

	(void)arg;
	memset(p, 0, sizeof(*p));
	p->kind = r->kind;
	p->ts = r->ts_ns;
	p->in_scope = r->in_scope;
	p->pid = r->pid;
	p->ppid = r->ppid;
	p->old_ppid = r->old_ppid;
	p->birth_ppid = r->birth_ppid;
	p->parent_tid = r->parent_tid;
	p->adopter = r->adopter;
	p->status = r->status;
	p->zombie_ns = r->zombie_ns;
	snprintf(p->comm, sizeof(p->comm), "%s", r->comm ? r->comm : "(null)");
	snprintf(p->pcomm, sizeof(p->pcomm), "%s", r->pcomm ? r->pcomm : "(null)");
	snprintf(p->old_comm, sizeof(p->old_comm), "%s", r->old_comm ? r->old_comm : "");
	p->have_argv = r->argv != NULL;
	if (r->argv && r->argv[0])
		snprintf(p->argv0, sizeof(p->argv0), "%s", r->argv[0]);
}

/* A new state over a fake /proc holding init (1) and bash (100), seeded. */
static struct wstate *fresh(int root)
{
	static const struct wprobe probe = { fake_stat, fake_argv, fake_ns_init, NULL };
	struct stat_info procs[64];
	struct wstate *s;
	int i;

	nfake = 0;
	nreps = 0;
	fset(1, 0, 'S', 1, "init");
	fset(100, 1, 'S', 1, "bash");
	s = wstate_new(&probe, record, NULL);
	if (root)
		wstate_add_root(s, root);
	for (i = 0; i < nfake; i++)
		fake_stat(NULL, fake[i].pid, &procs[i]);
	wstate_load(s, procs, (size_t)nfake, 0);
	return s;
}

static void ev_fork(struct wstate *s, int parent, int ptid, int child, int ctgid, unsigned long long ts)
{
	struct proc_ev e = { .kind = PEV_FORK, .ts_ns = ts, .parent_pid = ptid, .parent_tgid = parent,
			     .pid = child, .tgid = ctgid };
	wstate_event(s, &e);
}

static void ev_exec(struct wstate *s, int pid, unsigned long long ts)
{
	struct proc_ev e = { .kind = PEV_EXEC, .ts_ns = ts, .pid = pid, .tgid = pid };
	wstate_event(s, &e);
}

static void ev_exit(struct wstate *s, int pid, int tgid, unsigned status, int parent, unsigned long long ts)
{
	struct proc_ev e = { .kind = PEV_EXIT, .ts_ns = ts, .pid = pid, .tgid = tgid,
			     .exit_code = status, .exit_signal = 17, .parent_pid = parent,
			     .parent_tgid = parent };
	wstate_event(s, &e);
}

static int count_kind(enum wkind k)
{
	int i, n = 0;

	for (i = 0; i < nreps; i++)
		n += reps[i].kind == k;
	return n;
}

static struct rep *last(enum wkind k)
{
	int i;

	for (i = nreps - 1; i >= 0; i--)
		if (reps[i].kind == k)
			return &reps[i];
	return NULL;
}

/* ---- state sequences ---- */

static void test_fork_exec_exit(void)
{
	struct wstate *s = fresh(0);
	struct rep *r;

	CHECK(wstate_count(s) == 2 && nreps == 0, "seed: two processes, nothing reported");
	fset(200, 100, 'R', 1, "bash");
	ev_fork(s, 100, 100, 200, 200, 10 * MS);
	r = last(WK_FORK);
	CHECK(r && r->pid == 200 && r->ppid == 100 && r->parent_tid == 100 &&
	      strcmp(r->comm, "bash") == 0 && strcmp(r->pcomm, "bash") == 0 && r->ts == 10 * MS,
	      "fork: child 200 of 100, the parent's name");
	fset(200, 100, 'R', 1, "sleep");
	ev_exec(s, 200, 11 * MS);
	r = last(WK_EXEC);
	CHECK(r && r->pid == 200 && strcmp(r->comm, "sleep") == 0 && strcmp(r->old_comm, "bash") == 0 &&
	      strcmp(r->argv0, "sleep") == 0, "exec: new name from stat, old name, argv");
	fset(200, 100, 'Z', 1, "sleep");
	ev_exit(s, 200, 200, 3 << 8, 100, 20 * MS);
	r = last(WK_EXIT);
	CHECK(r && r->pid == 200 && r->status == (3 << 8) && r->ppid == 100 && r->ts == 20 * MS &&
	      strcmp(r->comm, "sleep") == 0, "exit: status, parent, time, name");
	CHECK(count_kind(WK_ZOMBIE) == 0 && wstate_busy(s), "no zombie report at once, but watched");
	wstate_tick(s, 80 * MS);
	CHECK(count_kind(WK_ZOMBIE) == 0, "not a zombie worth telling 60 ms after its exit");
	wstate_tick(s, 130 * MS);
	r = last(WK_ZOMBIE);
	CHECK(r && r->pid == 200 && r->ppid == 100 && r->ts == 20 * MS,
	      "zombie: told after 100 ms, with the exit's time");
	wstate_tick(s, 500 * MS);
	CHECK(count_kind(WK_ZOMBIE) == 1 && count_kind(WK_REAPED) == 0, "told once; still a zombie");
	fgone(200);
	wstate_tick(s, 1220 * MS);
	r = last(WK_REAPED);
	CHECK(r && r->pid == 200 && r->ppid == 100 && r->zombie_ns == (long long)(1200 * MS) &&
	      r->ts == 1220 * MS, "reaped: by the parent, after 1.2 s as a zombie");
	CHECK(!wstate_has(s, 200) && !wstate_busy(s), "a reaped process leaves the picture");
	wstate_free(s);
}

/* env -> bash for a "#!/usr/bin/env bash" script: two exec events, both
 * read after the second exec: one report, with the program it became.  A
 * later exec of another program is reported again. */
static void test_shebang_chain(void)
{
	struct wstate *s = fresh(0);

	fset(210, 100, 'R', 1, "bash");
	ev_fork(s, 100, 100, 210, 210, 1 * MS);
	fset(210, 100, 'R', 1, "script");
	ev_exec(s, 210, 2 * MS);
	ev_exec(s, 210, 3 * MS);
	CHECK(count_kind(WK_EXEC) == 1 && strcmp(last(WK_EXEC)->comm, "script") == 0 &&
	      strcmp(last(WK_EXEC)->old_comm, "bash") == 0,
	      "shebang chain: two exec events read alike make one exec report (bash -> script)");
	fset(210, 100, 'R', 1, "sleep");
	ev_exec(s, 210, 4 * MS);
	CHECK(count_kind(WK_EXEC) == 2 && strcmp(last(WK_EXEC)->comm, "sleep") == 0 &&
	      strcmp(last(WK_EXEC)->old_comm, "script") == 0,
	      "its next exec of another program is reported (script -> sleep)");
	fgone(210);
	ev_exec(s, 210, 5 * MS);
	CHECK(count_kind(WK_EXEC) == 3, "an exec whose program cannot be read is never merged");
	wstate_free(s);
}

static void test_short_zombie(void)
{
	struct wstate *s = fresh(0);

	fset(201, 100, 'R', 1, "bash");
	ev_fork(s, 100, 100, 201, 201, 1 * MS);
	fset(201, 100, 'Z', 1, "bash");
	ev_exit(s, 201, 201, 0, 100, 2 * MS);
	fgone(201);
	wstate_tick(s, 150 * MS);
	CHECK(count_kind(WK_EXIT) == 1 && count_kind(WK_ZOMBIE) == 0 && count_kind(WK_REAPED) == 0,
	      "reaped within 100 ms: an exit, no zombie, no reaped");
	fset(202, 100, 'R', 1, "bash");
	ev_fork(s, 100, 100, 202, 202, 200 * MS);
	fgone(202);
	ev_exit(s, 202, 202, 9, 100, 201 * MS);
	CHECK(last(WK_EXIT)->pid == 202 && last(WK_EXIT)->status == 9 && !wstate_has(s, 202),
	      "reaped before fdshare looked: exit reported, forgotten");
	fset(203, 100, 'R', 1, "bash");
	ev_fork(s, 100, 100, 203, 203, 300 * MS);
	fgone(203);
	ev_exec(s, 203, 301 * MS);
	CHECK(last(WK_EXEC)->pid == 203 && strcmp(last(WK_EXEC)->comm, "(null)") == 0 &&
	      !last(WK_EXEC)->have_argv && strcmp(last(WK_EXEC)->old_comm, "bash") == 0,
	      "exec of a process gone before fdshare looked: new name and argv unknown, not the old ones");
	ev_exit(s, 203, 203, 0, 100, 302 * MS);
	CHECK(last(WK_EXIT)->pid == 203 && strcmp(last(WK_EXIT)->comm, "(null)") == 0,
	      "and its exit does not give it the old name either");
	wstate_free(s);
}

static void test_threads(void)
{
	struct wstate *s = fresh(0);
	struct rep *r;

	fset(600, 100, 'S', 2, "app");
	ev_fork(s, 100, 100, 600, 600, 1 * MS);
	ev_fork(s, 600, 600, 601, 600, 2 * MS);   /* a thread */
	CHECK(count_kind(WK_FORK) == 1, "a new thread is not a fork");
	ev_exit(s, 601, 600, 0, 100, 3 * MS);
	CHECK(count_kind(WK_EXIT) == 0 && wstate_has(s, 600), "a thread's exit is not a process exit");
	wstate_tick(s, 1500 * MS);
	CHECK(count_kind(WK_EXIT) == 0 && !wstate_busy(s), "nor later: nothing left to check");

	/* The leader forks a child, then pthread_exit()s; thread 603 lives. */
	fset(602, 600, 'S', 1, "app");
	ev_fork(s, 600, 600, 602, 602, 4 * MS);
	fset(600, 100, 'Z', 2, "app");
	ev_exit(s, 600, 600, 0, 100, 5 * MS);
	CHECK(count_kind(WK_EXIT) == 0 && wstate_busy(s), "leader gone, group alive: no exit yet");
	wstate_tick(s, 50 * MS);
	CHECK(count_kind(WK_REPARENT) == 0, "a thread adoption waits a tick");
	wstate_tick(s, 120 * MS);
	r = last(WK_REPARENT);
	CHECK(r && r->pid == 602 && r->adopter == ADOPT_THREAD && r->ppid == 600 && r->old_ppid == 600 &&
	      r->birth_ppid == 600 && r->ts == 5 * MS,
	      "reparent: the leader's child to another thread of 600, born of 600");
	fset(600, 100, 'Z', 1, "app");
	ev_exit(s, 603, 600, 4 << 8, 100, 300 * MS);
	r = last(WK_EXIT);
	CHECK(r && r->pid == 600 && r->status == (4 << 8) && r->ts == 300 * MS && count_kind(WK_EXIT) == 1,
	      "the last thread's exit ends the process, with its status");
	wstate_free(s);
}

static void test_exit_group_race(void)
{
	struct wstate *s = fresh(0);

	fset(700, 100, 'S', 3, "app");
	ev_fork(s, 100, 100, 700, 700, 1 * MS);
	fset(701, 700, 'S', 1, "kid");
	ev_fork(s, 700, 700, 701, 701, 2 * MS);
	/* exit_group(): the leader's event comes while two threads still die. */
	fset(700, 100, 'Z', 3, "app");
	ev_exit(s, 700, 700, 2 << 8, 100, 10 * MS);
	ev_exit(s, 704, 700, 2 << 8, 100, 10 * MS);
	fset(700, 100, 'Z', 1, "app");
	fset(701, 1, 'S', 1, "kid");
	ev_exit(s, 705, 700, 2 << 8, 100, 11 * MS);
	wstate_tick(s, 500 * MS);
	CHECK(count_kind(WK_EXIT) == 1 && last(WK_EXIT)->status == (2 << 8),
	      "exit_group: one process exit, once the last thread is gone");
	CHECK(count_kind(WK_REPARENT) == 1 && last(WK_REPARENT)->adopter == ADOPT_INIT &&
	      last(WK_REPARENT)->ppid == 1, "no passing thread adoption; init adopts the child");
	wstate_free(s);
}

/* /proc runs ahead of the events: the parent reaped the group before the
 * exit event of its last thread (killed by SIGTERM) was read.  A tick
 * must not end it with the status of the leader's pthread_exit(). */
/* A child pid of bash (100), two threads, whose leader pthread_exit()s
 * at ts (0 before it): pending, its other thread alive. */
static void leader_gone(struct wstate *s, int pid, unsigned long long ts)
{
	fset(pid, 100, 'S', 2, "app");
	ev_fork(s, 100, 100, pid, pid, ts - 1 * MS);
	fset(pid, 100, 'Z', 2, "app");
	ev_exit(s, pid, pid, 0, 100, ts);
}

static void test_last_thread_late(void)
{
	struct wstate *s = fresh(0);
	struct rep *r;

	leader_gone(s, 800, 2 * MS);
	fgone(800);
	wstate_tick(s, 200 * MS);
	wstate_tick(s, 4000 * MS);
	CHECK(count_kind(WK_EXIT) == 0 && wstate_busy(s),
	      "a group found reaped by a tick waits for its last thread's exit event");
	ev_exit(s, 801, 800, SIGTERM, 100, 150 * MS);
	r = last(WK_EXIT);
	CHECK(r && r->pid == 800 && r->status == SIGTERM && r->ts == 150 * MS && count_kind(WK_EXIT) == 1,
	      "the late event ends it, once, with the status it carries (SIGTERM)");

	/* The same when the event never comes: reported, with what is known. */
	leader_gone(s, 810, 5001 * MS);
	fset(810, 100, 'Z', 1, "app");
	wstate_tick(s, 5100 * MS);
	CHECK(count_kind(WK_EXIT) == 1, "a group found a lone zombie waits too");
	wstate_tick(s, 10200 * MS);
	r = last(WK_EXIT);
	CHECK(r && r->pid == 810 && r->status == 0 && count_kind(WK_EXIT) == 2,
	      "but not for ever: without the event, its exit after 5 s");
	wstate_free(s);
}

static void test_reparent(void)
{
	struct wstate *s = fresh(0);
	struct rep *r;

	fset(300, 100, 'S', 1, "bash");
	ev_fork(s, 100, 100, 300, 300, 1 * MS);
	fset(301, 300, 'S', 1, "bash");
	ev_fork(s, 300, 300, 301, 301, 2 * MS);
	fset(302, 301, 'S', 1, "bash");
	ev_fork(s, 301, 301, 302, 302, 3 * MS);
	fgone(301);
	fset(302, 1, 'S', 1, "bash");
	ev_exit(s, 301, 301, 0, 300, 4 * MS);
	r = last(WK_REPARENT);
	CHECK(r && r->pid == 302 && r->old_ppid == 301 && r->ppid == 1 && r->birth_ppid == 301 &&
	      r->adopter == ADOPT_INIT && strcmp(r->pcomm, "init") == 0 && r->ts == 4 * MS,
	      "orphan: adopted by init, birth parent kept");

	/* 300 is a subreaper: 303's child goes to it. */
	fset(303, 300, 'S', 1, "bash");
	ev_fork(s, 300, 300, 303, 303, 5 * MS);
	fset(304, 303, 'S', 1, "bash");
	ev_fork(s, 303, 303, 304, 304, 6 * MS);
	fgone(303);
	fset(304, 300, 'S', 1, "bash");
	ev_exit(s, 303, 303, 0, 300, 7 * MS);
	r = last(WK_REPARENT);
	CHECK(r && r->pid == 304 && r->ppid == 300 && r->old_ppid == 303 && r->adopter == ADOPT_SUBREAPER,
	      "adopted by an ancestor that is not init: a subreaper");

	/* 400 is pid 1 of a container's namespace. */
	fset(400, 1, 'S', 1, "cinit");
	fk(400)->ns_init = true;
	ev_fork(s, 1, 1, 400, 400, 8 * MS);
	fset(401, 400, 'S', 1, "sh");
	ev_fork(s, 400, 400, 401, 401, 9 * MS);
	fset(402, 401, 'S', 1, "sh");
	ev_fork(s, 401, 401, 402, 402, 10 * MS);
	fgone(401);
	fset(402, 400, 'S', 1, "sh");
	ev_exit(s, 401, 401, 0, 400, 11 * MS);
	r = last(WK_REPARENT);
	CHECK(r && r->pid == 402 && r->ppid == 400 && r->adopter == ADOPT_INIT,
	      "adopted by the init of a pid namespace: init");
	CHECK(count_kind(WK_REPARENT) == 3, "one reparent per orphan");

	/* A seeded child: birth parent unknown. */
	fset(150, 100, 'S', 1, "old");
	{
		struct stat_info procs[64];
		int i;
		for (i = 0; i < nfake; i++)
			fake_stat(NULL, fake[i].pid, &procs[i]);
		wstate_load(s, procs, (size_t)nfake, 12 * MS);
	}
	fgone(100);
	fset(150, 1, 'S', 1, "old");
	ev_exit(s, 100, 100, 0, 1, 13 * MS);
	r = last(WK_REPARENT);
	CHECK(r && r->pid == 150 && r->birth_ppid == 0 && r->old_ppid == 100,
	      "a process there before the watch: birth parent unknown (0)");
	wstate_free(s);
}

static void test_scope(void)
{
	struct wstate *s = fresh(100);
	struct rep *r;

	fset(900, 1, 'S', 1, "other");
	ev_fork(s, 1, 1, 900, 900, 1 * MS);
	CHECK(last(WK_FORK)->pid == 900 && !last(WK_FORK)->in_scope, "-p 100: a child of init is out of scope");
	fset(200, 100, 'S', 1, "bash");
	ev_fork(s, 100, 100, 200, 200, 2 * MS);
	CHECK(last(WK_FORK)->in_scope, "a new child of the root is in scope");
	fset(201, 200, 'S', 1, "bash");
	ev_fork(s, 200, 200, 201, 201, 3 * MS);
	CHECK(last(WK_FORK)->in_scope, "and its own child too");
	fgone(200);
	fset(201, 1, 'S', 1, "bash");
	ev_exit(s, 200, 200, 0, 100, 4 * MS);
	r = last(WK_REPARENT);
	CHECK(r && r->pid == 201 && r->in_scope, "the orphan's reparent is in scope");
	fset(202, 201, 'S', 1, "bash");
	ev_fork(s, 201, 201, 202, 202, 5 * MS);
	CHECK(last(WK_FORK)->in_scope, "an orphan stays in scope: so do its children");
	wstate_free(s);
}

static void test_resync(void)
{
	struct wstate *s = fresh(0);
	struct stat_info procs[64];
	struct rep *r;
	int i;

	fset(500, 100, 'S', 1, "a");
	ev_fork(s, 100, 100, 500, 500, 1 * MS);
	fset(501, 100, 'S', 1, "b");
	ev_fork(s, 100, 100, 501, 501, 2 * MS);
	/* While events were lost: 500 ended, 501 became a zombie, 502 began. */
	fgone(500);
	fset(501, 100, 'Z', 1, "b");
	fset(502, 100, 'S', 1, "c");
	for (i = 0; i < nfake; i++)
		fake_stat(NULL, fake[i].pid, &procs[i]);
	nreps = 0;
	wstate_load(s, procs, (size_t)nfake, 100 * MS);
	CHECK(nreps == 0 && !wstate_has(s, 500) && wstate_has(s, 502) && wstate_count(s) == 4,
	      "re-read: the gone one dropped quietly, the new one added");
	fgone(501);
	wstate_tick(s, 200 * MS);
	r = last(WK_REAPED);
	CHECK(r && r->pid == 501 && r->zombie_ns == -1,
	      "a zombie found by the re-read is reported reaped, time unknown");
	wstate_free(s);
}

static void test_pid_reuse(void)
{
	struct wstate *s = fresh(0);

	fset(800, 100, 'S', 1, "a");
	ev_fork(s, 100, 100, 800, 800, 1 * MS);
	fset(800, 100, 'Z', 1, "a");
	ev_exit(s, 800, 800, 0, 100, 2 * MS);
	wstate_tick(s, 150 * MS);
	CHECK(count_kind(WK_ZOMBIE) == 1, "800 is a zombie");
	/* Reaped and its pid given to a new process before the next tick. */
	fset(800, 100, 'R', 1, "b");
	fk(800)->start = 99999;
	ev_fork(s, 100, 100, 800, 800, 160 * MS);
	CHECK(nreps >= 2 && reps[nreps - 2].kind == WK_REAPED && reps[nreps - 2].zombie_ns == (long long)(158 * MS) &&
	      reps[nreps - 1].kind == WK_FORK, "a fork reusing a zombie's pid: reaped first, then the fork");
	wstate_free(s);
}

static void test_kinds(void)
{
	const char *bad = NULL;
	unsigned mask;

	CHECK(wkinds_parse("fork,exit", &mask, &bad) == 0 && mask == ((1u << WK_FORK) | (1u << WK_EXIT)),
	      "--events fork,exit");
	CHECK(wkinds_parse("reaped,zombie,reparent,lost,exec", &mask, &bad) == 0 &&
	      mask == (WK_ALL & ~((1u << WK_FORK) | (1u << WK_EXIT))), "--events with every other kind");
	CHECK(wkinds_parse("fork,nope", &mask, &bad) < 0 && bad && strcmp(bad, "nope") == 0,
	      "an unknown kind is named");
	CHECK(wkinds_parse("fork,,exit", &mask, &bad) < 0 && bad && strcmp(bad, "") == 0,
	      "an empty item is an error");
	CHECK(wkinds_parse("Fork", &mask, &bad) < 0, "kinds are lower case");
	CHECK_STR(wkind_name(WK_REAPED), "reaped", "kind names");
	CHECK_STR(wadopter_name(ADOPT_SUBREAPER), "subreaper", "adopter names");
	CHECK(strstr(watch_fail_reason(WATCH_FAIL_PIDNS, EPERM), "initial pid namespace") != NULL,
	      "the pid namespace failure names what is missing");
	CHECK(strstr(watch_fail_reason(WATCH_FAIL_SOCKET, EPROTONOSUPPORT), "CONFIG_PROC_EVENTS") != NULL,
	      "a kernel without the connector: the config options are named");
	CHECK(strstr(watch_fail_reason(WATCH_FAIL_REFUSED, EPERM), "CAP_NET_ADMIN") != NULL,
	      "a refused subscription names CAP_NET_ADMIN");
}

int main(void)
{
	test_recorded();
	test_constructed();
	test_malformed();
	test_fork_exec_exit();
	test_shebang_chain();
	test_short_zombie();
	test_threads();
	test_last_thread_late();
	test_exit_group_race();
	test_reparent();
	test_scope();
	test_resync();
	test_pid_reuse();
	test_kinds();
	return check_done();
}
