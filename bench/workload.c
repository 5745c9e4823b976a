/* workload.c - a synthetic fd load for bench/run (not part of fdshare).
 *
 * Starts N processes (-p, default 300, the leader included) that hold about
 * FDS_PER_PROC fds each (-f, default 134: ~40,000 fds in all), a mix of what
 * fdshare has to sort out:
 *
 *   inherited  the leader opens ~15% of the budget before forking: regular
 *              files, /dev/null, a pipe (both ends), a unix socketpair and
 *              the TCP listener; every process holds them, so each is one
 *              open file description shared by all N processes.  With -g G
 *              the processes come in families of G (a pre-forking server
 *              each): the leader opens a new set (the listener excepted)
 *              before each family, so a description is shared by at most
 *              G processes and the load grows linearly with N.
 *   pipes      processes come in pairs (A forks B): of the pipes A made
 *   socketpair before forking B, a quarter stay whole in both (both ends
 *              across parent and child); of the rest A keeps the write ends
 *              and B the read ends; of socketpairs one socket each.  A few
 *              files A opened before the fork are shared by the two.
 *   tcp        loopback connections to the shared listener on 127.0.0.1
 *              (never any other address); each process connects a few
 *              times and accepts as many (possibly its neighbours').
 *   files      independent open()s: of a few common files (one inode, many
 *              descriptions across processes) and of files of its own.
 *   events     an eventfd, a timerfd and an epoll instance watching them and
 *              a few of the process's pipes and sockets.
 *   dup        the rest of the budget: dup() of the process's own fds and of
 *              inherited ones (shared within one process).
 *   locks      a shared flock on every fifth inherited file (one lock on
 *              N processes' fds); on a process's own files, in turn, a POSIX
 *              write lock, a flock and an OFD lock (three of every four).
 *
 * stdout gets one line, "ready pid=<leader pid>", when every process is set
 * up; the leader is then the leader of the workload's process group.  It
 * waits until stdin reaches end of file, or SIGTERM/SIGINT/SIGHUP, then ends
 * the group (SIGTERM), reaps everything (it is a child subreaper) and removes
 * its temporary directory.  Needs root for large -p * -f (RLIMIT_NOFILE).
 *
 *   gcc -std=gnu11 -Wall -Wextra -Werror -O2 -o bench/out/workload bench/workload.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define NCOMMON 16            /* common files, opened independently by everyone */
#define NEVENTS 3             /* an eventfd, a timerfd and an epoll of each worker */

static int nprocs = 300;      /* the leader included */
static int per_proc = 134;    /* fds each worker holds, 0-2 included */
static int family;            /* -g: processes per inherited set, 0: all */
static int verbose;
static char dir[PATH_MAX];    /* the mkdtemp directory */
static int dirfd_ = -1;
static struct sockaddr_in listen_addr;
static int listener = -1;
static int ready_pipe[2] = { -1, -1 };
static volatile sig_atomic_t stop_signal;

/* What a worker holds: its fds, as candidates for dup(). */
static int held[65536];
static int nheld;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	size_t len = strlen(fmt);

	fprintf(stderr, "workload[%d]: ", (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (len && fmt[len - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
	_exit(1);
}

static void usage(FILE *out)
{
	fputs("Usage: workload [-p N_PROCS] [-f FDS_PER_PROC] [-g FAMILY] [-d BASEDIR] [-v]\n"
	      "  -p N   processes, the leader included (default 300)\n"
	      "  -f N   fds per worker process (default 134: ~40,000 in all; the\n"
	      "         leader holds only the ~15% every process inherits)\n"
	      "  -g N   families of N processes, each with its own inherited set\n"
	      "         (default: one family, every process shares one set)\n"
	      "  -d DIR where the temporary directory goes (default $TMPDIR or /tmp)\n"
	      "  -v     say what was set up, on stderr\n"
	      "Prints \"ready pid=<leader pid>\", then holds the fds until stdin ends\n"
	      "or SIGTERM; then ends its process group, reaps it and cleans up.\n", out);
}

static int parse_int(const char *s, int min, int max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "workload: '%s' is not a number in [%d, %d]\n", s, min, max);
		exit(100);
	}
	return (int)v;
}

/* ---- the fd budget ---- */

struct budget {
	int inherited;   /* opened by the leader before forking, 0-2 not counted */
	int pipes;       /* pipes per pair, one end each */
	int socketpairs; /* socketpairs per pair, one end each */
	int tcp;         /* connects per process (and as many accepts) */
	int common;      /* opens of the common files */
	int private_;    /* files of the process's own, opened once each */
};

static struct budget plan(void)
{
	struct budget b;
	int own;

	b.inherited = per_proc * 15 / 100;
	if (b.inherited < 7)
		b.inherited = 7;
	own = per_proc - 3 - b.inherited;
	b.pipes = own * 12 / 100;
	b.socketpairs = own * 10 / 100;
	b.tcp = own * 5 / 200;          /* connect + accept: 5% of the budget */
	b.common = own * 20 / 100;
	b.private_ = own * 20 / 100;
	/* the rest: dup() */
	return b;
}

static void hold(int fd)
{
	if (fd < 0)
		die("open/dup failed:");
	if (nheld < (int)(sizeof(held) / sizeof(held[0])))
		held[nheld++] = fd;
}

static void xclose(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int open_in_dir(const char *name, int flags)
{
	return openat(dirfd_, name, flags | O_CREAT, 0600);
}

static void fill_file(const char *name, size_t size)
{
	char buf[4096];
	int fd = open_in_dir(name, O_WRONLY | O_TRUNC);

	if (fd < 0)
		die("create %s/%s:", dir, name);
	memset(buf, 'x', sizeof(buf));
	while (size > 0) {
		size_t n = size < sizeof(buf) ? size : sizeof(buf);
		if (write(fd, buf, n) != (ssize_t)n)
			die("write %s/%s:", dir, name);
		size -= n;
	}
	close(fd);
}

static int tcp_socket(void)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };   /* RST on close: no TIME_WAIT left */
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		die("socket:");
	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	return s;
}

/* ---- the leader's shared set ---- */

/* The leader's inherited set but the listener: closed before the next
 * family's set is opened. */
static int inherited_fds[4096];
static int ninherited;

static int keep_inherited(int fd)
{
	if (fd < 0)
		die("open/pipe failed:");
	if (ninherited < (int)(sizeof(inherited_fds) / sizeof(inherited_fds[0])))
		inherited_fds[ninherited++] = fd;
	hold(fd);
	return fd;
}

static void open_listener(void)
{
	int opt = 1;

	listener = tcp_socket();
	setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &opt, sizeof(opt));
	memset(&listen_addr, 0, sizeof(listen_addr));
	listen_addr.sin_family = AF_INET;
	listen_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);   /* 127.0.0.1 only */
	listen_addr.sin_port = 0;
	if (bind(listener, (struct sockaddr *)&listen_addr, sizeof(listen_addr)) < 0)
		die("bind 127.0.0.1:");
	if (listen(listener, 4096) < 0)
		die("listen:");
	socklen_t len = sizeof(listen_addr);
	if (getsockname(listener, (struct sockaddr *)&listen_addr, &len) < 0)
		die("getsockname:");
}

/* The set every process of the next family inherits: the listener (already
 * open), a pipe, a socketpair, /dev/null and files; the previous family's set
 * is closed first. */
static void open_inherited(const struct budget *b)
{
	char name[64];
	int p[2], sp[2], i, n = 1;

	nheld = 0;
	hold(listener);
	while (ninherited > 0)
		close(inherited_fds[--ninherited]);
	if (pipe(p) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sp) < 0)
		die("pipe/socketpair:");
	keep_inherited(p[0]);
	keep_inherited(p[1]);
	keep_inherited(sp[0]);
	keep_inherited(sp[1]);
	n += 4;
	keep_inherited(open("/dev/null", O_RDWR));
	n++;
	for (i = 0; n < b->inherited; i++, n++) {
		int fd;
		snprintf(name, sizeof(name), "inherited.%d", i);
		fill_file(name, 8192);
		fd = open_in_dir(name, (i % 3 == 0 ? O_RDONLY : O_RDWR) | (i % 4 == 1 ? O_APPEND : 0));
		if (fd < 0)
			die("open %s:", name);
		keep_inherited(fd);
		lseek(fd, i * 17, SEEK_SET);
		if (i % 5 == 0 && flock(fd, LOCK_SH) < 0)
			die("flock %s:", name);
	}
}

/* Own file i gets a POSIX write lock, a flock, nothing or an OFD lock, in turn. */
static void lock_own(int fd, int i, const char *name)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	int r = 0;

	if (i % 4 == 0)
		r = fcntl(fd, F_SETLK, &fl);
	else if (i % 4 == 1)
		r = flock(fd, LOCK_EX);
	else if (i % 4 == 3)
		r = fcntl(fd, F_OFD_SETLK, &fl);
	if (r < 0)
		die("lock %s:", name);
}

/* ---- a worker ---- */

static unsigned rng;

static unsigned next_rand(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

/* An eventfd (with a count), a timerfd (armed, 1 h) and an epoll instance
 * watching both and the first few of the process's fds (pipes and sockets
 * among them). */
static void open_events(void)
{
	struct itimerspec its = { .it_value = { .tv_sec = 3600 }, .it_interval = { .tv_sec = 3600 } };
	int ev = eventfd(7, EFD_CLOEXEC | EFD_NONBLOCK);
	int tf = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	int i, watched = 0;

	if (ev < 0 || tf < 0 || ep < 0)
		die("eventfd/timerfd/epoll:");
	if (timerfd_settime(tf, 0, &its, NULL) < 0)
		die("timerfd_settime:");
	hold(ev);
	hold(tf);
	hold(ep);
	for (i = nheld - 1; i >= 0 && watched < 6; i--) {
		struct epoll_event e = { .events = EPOLLIN, .data.fd = held[i] };
		/* regular files cannot be watched (EPERM): skip them */
		if (held[i] != ep && epoll_ctl(ep, EPOLL_CTL_ADD, held[i], &e) == 0)
			watched++;
	}
}

static void open_own(const struct budget *b, int index, int nprivate)
{
	char name[64];
	int i, fd;

	for (i = 0; i < b->common; i++) {
		snprintf(name, sizeof(name), "common.%d", (index * 7 + i) % NCOMMON);
		fd = openat(dirfd_, name, i % 2 ? O_RDWR : O_RDONLY);
		hold(fd);
		lseek(fd, (off_t)(next_rand() % 4096), SEEK_SET);
	}
	for (i = 0; i < nprivate; i++) {
		snprintf(name, sizeof(name), "own.%d.%d", index, i);
		fd = open_in_dir(name, O_RDWR);
		hold(fd);
		if (i % 2 && write(fd, name, strlen(name)) < 0)
			die("write %s:", name);
		lock_own(fd, i, name);
	}
	open_events();
	for (i = 0; i < b->tcp; i++) {
		int c = tcp_socket(), a;
		if (connect(c, (struct sockaddr *)&listen_addr, sizeof(listen_addr)) < 0)
			die("connect 127.0.0.1:%d:", ntohs(listen_addr.sin_port));
		hold(c);
		/* the listener is shared: this may take a neighbour's connection;
		 * every process connects before it accepts, so none waits forever */
		a = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
		hold(a);
	}
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d)
		die("/proc/self/fd:");
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;   /* the DIR's own fd */
}

static void fill_with_dups(void)
{
	int have = count_fds() - 1;   /* the ready pipe's write end is not part of the load */

	while (have < per_proc) {
		int src = held[next_rand() % (unsigned)nheld];
		hold(dup(src));
		have++;
	}
}

static void worker_signals(void)
{
	sigset_t none;
	struct sigaction sa = { .sa_handler = SIG_DFL };

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void report_ready(char c)
{
	if (write(ready_pipe[1], &c, 1) != 1)
		die("ready pipe:");
	xclose(&ready_pipe[1]);
}

static void worker_wait(void)
{
	worker_signals();
	for (;;)
		pause();
}

/* One pair: A (this process) makes pipes and socketpairs and opens a few
 * files, forks B (when with_partner), and then:
 *  - a quarter of the pipes stay whole in both A and B (both ends across
 *    parent and child: descriptions shared by the two);
 *  - of the other pipes A keeps the write ends, B the read ends; of the
 *    socketpairs A keeps one socket, B the other;
 *  - the files opened before the fork stay in both (shared descriptions).
 * A lone A (no B) keeps both sides of every other split pipe/socketpair. */
static void run_pair(const struct budget *b, int index, bool with_partner, pid_t leader)
{
	int whole = b->pipes / 4, split = b->pipes - 2 * whole;
	int before_fork = b->private_ / 3;
	int npairs = whole + split + b->socketpairs;
	int *ends = calloc((size_t)npairs * 2, sizeof(int));
	char name[64];
	int i;
	pid_t partner = 0;
	bool is_b = false;

	if (!ends)
		die("out of memory");
	xclose(&ready_pipe[0]);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != leader)
		_exit(1);
	for (i = 0; i < whole + split; i++)
		if (pipe(&ends[2 * i]) < 0)
			die("pipe:");
	for (; i < npairs; i++)
		if (socketpair(AF_UNIX, i % 2 ? SOCK_DGRAM : SOCK_STREAM, 0, &ends[2 * i]) < 0)
			die("socketpair:");
	for (i = 0; i < before_fork; i++) {
		snprintf(name, sizeof(name), "pair.%d.%d", index, i);
		hold(open_in_dir(name, i % 2 ? O_RDWR : O_WRONLY | O_APPEND));
	}
	if (with_partner) {
		pid_t a = getpid();
		partner = fork();
		if (partner < 0)
			die("fork:");
		if (partner == 0) {
			is_b = true;
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != a)
				_exit(1);
		}
	}
	for (i = 0; i < npairs; i++) {
		int *e = &ends[2 * i];
		bool is_pipe = i < whole + split;
		int mine;

		if (i < whole || (!with_partner && i % 2 == 0)) {
			hold(e[0]);
			hold(e[1]);
			continue;
		}
		if (!with_partner) {
			xclose(&e[0]);
			xclose(&e[1]);
			continue;
		}
		/* pipes: A the write end [1], B the read end [0]; sockets: A [0], B [1] */
		mine = is_pipe ? !is_b : is_b;
		hold(e[mine]);
		xclose(&e[!mine]);
	}
	free(ends);
	rng = (unsigned)(index * 2 + is_b) * 2654435761u + 1;
	open_own(b, index * 2 + is_b, b->private_ - before_fork);
	fill_with_dups();
	report_ready('+');
	worker_wait();
}

/* ---- the leader ---- */

static void on_stop(int sig)
{
	stop_signal = sig;
}

static void remove_dir(void)
{
	DIR *d;
	struct dirent *de;

	if (dirfd_ < 0)
		return;
	d = fdopendir(dup(dirfd_));
	if (d) {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				unlinkat(dirfd_, de->d_name, 0);
		closedir(d);
	}
	xclose(&dirfd_);
	if (rmdir(dir) < 0)
		fprintf(stderr, "workload: rmdir %s: %s\n", dir, strerror(errno));
}

/* SIGTERM (and SIGCONT, for stopped ones) to the group but us, then reap
 * every child, the orphaned B's included (we are their subreaper). */
static void end_group(void)
{
	int status;

	kill(-getpgrp(), SIGTERM);   /* blocked in the leader */
	kill(-getpgrp(), SIGCONT);
	while (waitpid(-1, &status, 0) > 0 || errno == EINTR)
		;
}

static void fail(const char *msg)
{
	fprintf(stderr, "workload: %s\n", msg);
	end_group();
	remove_dir();
	exit(1);
}

static void raise_nofile(void)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)per_proc * 2 + 1024;
	FILE *f = fopen("/proc/sys/fs/nr_open", "r");
	unsigned long nr_open = 1048576;

	if (f) {
		if (fscanf(f, "%lu", &nr_open) != 1)
			nr_open = 1048576;
		fclose(f);
	}
	if (want > nr_open)
		want = nr_open;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("getrlimit:");
	if (rl.rlim_cur >= want)
		return;
	rl.rlim_cur = want;
	if (rl.rlim_max < want)
		rl.rlim_max = want;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("cannot raise RLIMIT_NOFILE to %lu (root needed):", (unsigned long)want);
}

int main(int argc, char **argv)
{
	const char *base = getenv("TMPDIR");
	struct budget b;
	struct sigaction sa = { .sa_handler = on_stop };
	sigset_t stops, none;
	char name[64];
	int opt, i, workers, started = 0, ready = 0;
	pid_t leader = getpid();

	while ((opt = getopt(argc, argv, "p:f:g:d:vh")) != -1) {
		switch (opt) {
		case 'p': nprocs = parse_int(optarg, 1, 100000); break;
		case 'f': per_proc = parse_int(optarg, 24, 60000); break;
		case 'g': family = parse_int(optarg, 2, 100000); break;
		case 'd': base = optarg; break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 100;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 100;
	}
	if (!base || !*base)
		base = "/tmp";

	/* our own process group, so that ending it ends nothing else */
	if (getpgrp() != leader && setpgid(0, 0) < 0)
		die("setpgid:");
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		die("PR_SET_CHILD_SUBREAPER:");
	raise_nofile();

	/* signals: blocked except inside ppoll; workers restore the defaults */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&stops);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGHUP);
	sigprocmask(SIG_BLOCK, &stops, NULL);
	sigemptyset(&none);

	if (snprintf(dir, sizeof(dir), "%s/fdshare-bench.XXXXXX", base) >= (int)sizeof(dir))
		die("base directory name too long");
	if (!mkdtemp(dir))
		die("mkdtemp %s:", dir);
	dirfd_ = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd_ < 0) {
		rmdir(dir);
		die("open %s:", dir);
	}
	for (i = 0; i < NCOMMON; i++) {
		snprintf(name, sizeof(name), "common.%d", i);
		fill_file(name, 65536);
	}

	b = plan();
	if (per_proc < 3 + b.inherited + 2 * (b.tcp + 1) + NEVENTS)
		fail("-f too small");
	open_listener();
	if (pipe(ready_pipe) < 0)
		fail("pipe");

	/* workers: nprocs - 1, in pairs; a family starts on an even number */
	workers = nprocs - 1;
	if (family > 0 && family % 2)
		family++;
	for (i = 0; i < workers && !stop_signal; i += 2) {
		pid_t pid;

		if (i == 0 || (family > 0 && i % family == 0))
			open_inherited(&b);
		pid = fork();
		if (pid < 0) {
			perror("workload: fork");
			break;
		}
		if (pid == 0)
			run_pair(&b, i / 2, i + 1 < workers, leader);   /* never returns */
		started += i + 1 < workers ? 2 : 1;
	}
	xclose(&ready_pipe[1]);

	/* wait for every worker's byte */
	while (ready < started) {
		struct pollfd pfd = { .fd = ready_pipe[0], .events = POLLIN };
		char buf[512];
		ssize_t n;

		if (stop_signal)
			fail("stopped before the workload was ready");
		if (ppoll(&pfd, 1, NULL, &none) < 0) {
			if (errno == EINTR)
				continue;
			fail("ppoll failed");
		}
		n = read(ready_pipe[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fail("a worker failed during setup");
		ready += (int)n;
	}
	xclose(&ready_pipe[0]);
	if (started < workers)
		fail("could not start every worker");
	if (verbose)
		fprintf(stderr, "workload: %d processes in group %d, %d fds each "
			"(%d inherited, %d pipe + %d socketpair ends, %d tcp, %d common + %d own files"
			" of which %d shared with the pair's other process, %d eventfd/timerfd/epoll,"
			" rest dup; families of %d), files in %s\n",
			started + 1, (int)leader, per_proc, b.inherited, b.pipes, b.socketpairs,
			2 * b.tcp, b.common, b.private_, b.private_ / 3, NEVENTS,
			family ? family : started + 1, dir);
	printf("ready pid=%d\n", (int)leader);
	fflush(stdout);

	/* hold until stdin ends or a signal */
	while (!stop_signal) {
		struct pollfd pfd = { .fd = 0, .events = POLLIN };
		char buf[4096];
		ssize_t n;

		if (ppoll(&pfd, 1, NULL, &none) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd.revents & POLLNVAL)
			break;
		n = read(0, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
	}
	end_group();
	remove_dir();
	if (verbose)
		fprintf(stderr, "workload: ended (%s)\n", stop_signal ? strsignal(stop_signal) : "stdin closed");
	return 0;
}
