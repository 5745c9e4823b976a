/* unit_pseudofs.c - link texts made from fdinfo: the kinds named by their
 * keys (samples from fdinfo-samples), and, on this kernel, every kind we
 * can create compared with what readlink says of it. */
#define _GNU_SOURCE
#include "check.h"
#include "scan/pseudofs.h"

#include <fcntl.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

static void test_keys(void)
{
	static const struct {
		const char *text;
		enum pseudofs_name want;
		const char *what;
	} cases[] = {
		{ "pos:\t0\nflags:\t04002\nmnt_id:\t17\nino:\t1038\neventfd-count:                5\n"
		  "eventfd-id: 1\n", PSEUDOFS_NAME_EVENTFD, "eventfd by eventfd-count" },
		{ "pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\ntfd:       15 events:       1c data:"
		  "                f  pos:0 ino:40e sdev:10\n", PSEUDOFS_NAME_EPOLL, "epoll by tfd" },
		{ "pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\n", PSEUDOFS_NAME_NONE,
		  "an epoll or inotify with nothing registered: only readlink tells" },
		{ "pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t1038\nsigmask:\t0000000000004200\n",
		  PSEUDOFS_NAME_SIGNALFD, "signalfd by sigmask" },
		{ "pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\nclockid: 1\nticks: 0\n",
		  PSEUDOFS_NAME_TIMERFD, "timerfd by clockid" },
		{ "pos:\t0\nflags:\t04000\nmnt_id:\t17\nino:\t1038\ninotify wd:1 ino:3c51a sdev:fe00000"
		  " mask:300 ignored_mask:0\n", PSEUDOFS_NAME_INOTIFY, "inotify by its watch" },
		{ "pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\nfanotify flags:0 event-flags:8000\n",
		  PSEUDOFS_NAME_FANOTIFY, "fanotify by its flags line" },
		{ "pos:\t0\nflags:\t02000002\nmnt_id:\t4\nino:\t16715\nPid:\t16714\nNSpid:\t16714\n",
		  PSEUDOFS_NAME_PIDFD, "pidfd by Pid" },
		{ "pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t26\nmap_type:\t2\nkey_size:\t4\n",
		  PSEUDOFS_NAME_BPF_MAP, "bpf map by map_type" },
		{ "pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t9\nSqMask:\t0x3\nSqHead:\t0\n",
		  PSEUDOFS_NAME_IO_URING, "io_uring by SqMask" },
		{ "pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t9\nmap_type", PSEUDOFS_NAME_NONE,
		  "a key cut short names nothing" },
		{ "", PSEUDOFS_NAME_NONE, "empty fdinfo names nothing" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(pseudofs_anon_kind(cases[i].text, strlen(cases[i].text)) == cases[i].want,
		      cases[i].what);
}

/* Mount ids as the samples have them; a made name is checked once, then trusted. */
static void test_link_and_check(void)
{
	struct pseudofs ps = { .mnt_id = { 16, 10, 17, 4 } };
	const char *pipe_info = "pos:\t0\nflags:\t02000000\nmnt_id:\t16\nino:\t80330\n";
	const char *reg_info = "pos:\t5\nflags:\t02100002\nmnt_id:\t26\nino:\t10953121\n";
	const char *efd = "pos:\t0\nflags:\t04002\nmnt_id:\t17\nino:\t1038\neventfd-count: 5\n";
	char buf[64];
	enum pseudofs_name check;
	size_t n;

	n = pseudofs_link(&ps, pipe_info, strlen(pipe_info), 16, 80330, buf, sizeof(buf), &check);
	CHECK_STR(n ? buf : "", "pipe:[80330]", "pipefs: pipe:[INO]");
	CHECK(check == PSEUDOFS_NAME_PIPE, "the first pipe asks for a check");
	CHECK(pseudofs_checked(&ps, check, buf, n, "pipe:[80330]", 12), "the check agrees");
	n = pseudofs_link(&ps, pipe_info, strlen(pipe_info), 16, 7, buf, sizeof(buf), &check);
	CHECK(n && check == PSEUDOFS_NAME_NONE, "a checked name is trusted: no more readlink");
	n = pseudofs_link(&ps, reg_info, strlen(reg_info), 26, 10953121, buf, sizeof(buf), &check);
	CHECK(n == 0, "a regular file's path needs readlink");
	n = pseudofs_link(&ps, pipe_info, strlen(pipe_info), 10, 80335, buf, sizeof(buf), &check);
	CHECK_STR(n ? buf : "", "socket:[80335]", "sockfs: socket:[INO]");
	n = pseudofs_link(&ps, efd, strlen(efd), 17, 1038, buf, sizeof(buf), &check);
	CHECK_STR(n ? buf : "", "anon_inode:[eventfd]", "anon_inodefs: eventfd named by its key");
	/* another kernel names it otherwise: refused for the rest of the run */
	CHECK(!pseudofs_checked(&ps, check, buf, n, "anon_inode:[eventfd-new]", 24),
	      "a name readlink contradicts is reported");
	n = pseudofs_link(&ps, efd, strlen(efd), 17, 1038, buf, sizeof(buf), &check);
	CHECK(n == 0, "a contradicted name is never made again in the run");
	n = pseudofs_link(&ps, efd, strlen(efd), 4, 1038, buf, sizeof(buf), &check);
	CHECK(n == 0, "on pidfs only a pidfd is named");
	n = pseudofs_link(&ps, pipe_info, strlen(pipe_info), 16, 80330, buf, 8, &check);
	CHECK(n == 0, "a buffer too small makes no name");
}

/* ---- this kernel: every kind we can make, name made vs readlink ---- */

static int compare_real(struct pseudofs *ps, int fd, const char *what)
{
	char path[64], info[4096], link[256], made[256], msg[400];
	ssize_t n, ln;
	int f, mnt_id = -1;
	unsigned long long ino = 0;
	enum pseudofs_name check;
	size_t m;
	const char *p;

	if (fd < 0) {
		printf("skip: %s: not available here\n", what);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = open(path, O_RDONLY);
	n = f < 0 ? -1 : read(f, info, sizeof(info) - 1);
	if (f >= 0)
		close(f);
	info[n > 0 ? n : 0] = '\0';
	if ((p = strstr(info, "mnt_id:")))
		mnt_id = atoi(p + 7);
	if ((p = strstr(info, "\nino:")))
		ino = strtoull(p + 5, NULL, 10);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ln = readlink(path, link, sizeof(link) - 1);
	link[ln > 0 ? ln : 0] = '\0';
	m = pseudofs_link(ps, info, (size_t)(n > 0 ? n : 0), mnt_id, ino, made, sizeof(made), &check);
	snprintf(msg, sizeof(msg), "this kernel: %s is named \"%s\" as readlink says", what, link);
	CHECK(m > 0 && pseudofs_checked(ps, check, made, m, link, (size_t)(ln > 0 ? ln : 0)), msg);
	close(fd);
	return 1;
}

static int bpf_map(void)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = a.value_size = 4;
	a.max_entries = 1;
	return (int)syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof(a));
}

static void test_this_kernel(void)
{
	struct pseudofs ps;
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t mask;
	int p[2], s[2], ep, in;

	pseudofs_learn(&ps, "/proc");
	CHECK(ps.mnt_id[PSEUDOFS_PIPE] >= 0 && ps.mnt_id[PSEUDOFS_SOCK] >= 0 &&
	      ps.mnt_id[PSEUDOFS_ANON] >= 0, "the internal mounts' ids are learnt from our own fds");
	if (pipe(p) == 0) {
		compare_real(&ps, p[0], "a pipe's read end");
		compare_real(&ps, p[1], "a pipe's write end");
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0) {
		compare_real(&ps, s[0], "a unix socket");
		close(s[1]);
	}
	compare_real(&ps, socket(AF_INET, SOCK_DGRAM, 0), "a UDP socket");
	ep = epoll_create1(0);
	in = eventfd(0, 0);
	ev.data.fd = in;
	epoll_ctl(ep, EPOLL_CTL_ADD, in, &ev);
	compare_real(&ps, ep, "an epoll with a target");
	compare_real(&ps, in, "an eventfd");
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	compare_real(&ps, signalfd(-1, &mask, 0), "a signalfd");
	compare_real(&ps, timerfd_create(CLOCK_MONOTONIC, 0), "a timerfd");
	in = inotify_init1(0);
	inotify_add_watch(in, "/", IN_CREATE);
	compare_real(&ps, in, "an inotify with a watch");
#ifdef SYS_pidfd_open
	compare_real(&ps, (int)syscall(SYS_pidfd_open, getpid(), 0), "a pidfd");
#endif
	compare_real(&ps, bpf_map(), "a bpf map (root)");
}

int main(void)
{
	test_keys();
	test_link_and_check();
	test_this_kernel();
	return check_done();
}
