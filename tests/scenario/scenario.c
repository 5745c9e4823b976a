/* scenario.c - build real process situations for fdshare's case tests.
 *
 *   scenario NAME
 *
 * Protocol: the program sets up situation NAME, writes "key=value" lines to
 * stdout that describe what it built (pids, fd numbers, paths, inodes), then
 * a line "ready", flushes, and waits until its stdin reaches EOF or it gets
 * SIGTERM/SIGINT/SIGHUP.  Then it ends every process it started (SIGTERM,
 * backed by PR_SET_PDEATHSIG in each child), reaps them, removes its temp
 * directory and exits 0.  Any setup failure: a message on stderr, exit 1
 * (before "ready").  It puts itself in a process group of its own, so a
 * caller may clean up with kill -- -PID if it hangs.  It closes every
 * inherited fd but 0, 1 and 2 first, so its processes hold only what the
 * scenario made (plus stdin/stdout/stderr, shared across its forks).
 *
 * Every scenario prints dir= (its temp directory: mkdtemp under $TMPDIR or
 * /tmp).  Pids are as seen in the scenario's own pid namespace.
 *
 *   dup          one process: fd, dup(fd) and dup2(fd, 10).
 *                pid fd dupfd fd2 path
 *   fork-offset  a file of 64+ bytes opened, then fork; the child reads 29
 *                bytes through the inherited fd before "ready".
 *                parent child fd pos=29 path
 *   two-opens    one process opens one file twice; reads 5 bytes on fd_b.
 *                pid fd_a fd_b pos_a=0 pos_b=5 path
 *   dup2-log     parent opens a log O_WRONLY|O_APPEND|O_CREAT and forks; the
 *                child moves it onto fd 1, writes a line, execs sleep.
 *                parent child fd (the parent's) child_fd=1 log
 *   pipe-exec    parent keeps a pipe's write end; the child has the read end
 *                on fd 0 and execs cat.
 *                parent child wfd rfd=0 inode
 *   server-fork  a TCP listener on 127.0.0.1, inherited by a forked child
 *                that never closes it.  parent child lfd port inode
 *   threads      one process, 3 extra threads, one open file.
 *                pid threads=4 fd path
 *   cloexec      one process, one fd with O_CLOEXEC and one without.
 *                pid fd_cloexec fd_plain path
 *   weird-names  a child named "a\x1b[31mb\nc" holding a file whose name has
 *                a newline and a \xff byte.
 *                parent pid (the child) fd comm_hex path_hex
 *   vanish       forks short-lived children (50 alive at a time, each with
 *                a grandchild sharing its fds) for as long as it runs.
 *                pid crowd=50
 *   unix-pair    socketpair; the parent keeps fds[0], the child fds[1].
 *                parent child fds=A,B pfd cfd pino cino
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CHILDREN 64

static char tmpdir[4096];
static pid_t children[MAX_CHILDREN];
static int nchildren;
static pid_t main_pid;
static volatile sig_atomic_t got_signal;
static sigset_t orig_mask;

/* ---- small helpers ---- */

__attribute__((noreturn, format(printf, 1, 2)))
static void die(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	fprintf(stderr, "scenario: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	/* A child must not run the parent's cleanup (atexit, stdio buffers). */
	if (getpid() != main_pid)
		_exit(1);
	exit(1);
}

__attribute__((format(printf, 2, 3)))
static void kv(const char *key, const char *fmt, ...)
{
	va_list ap;

	printf("%s=", key);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Print a byte string as lower-case hex: the protocol is line based, so
 * names holding a newline or invalid UTF-8 travel as hex. */
static void kv_hex(const char *key, const char *s)
{
	printf("%s=", key);
	for (; *s; s++)
		printf("%02x", (unsigned char)*s);
	putchar('\n');
}

static void temp_path(char *buf, size_t size, const char *name)
{
	if ((size_t)snprintf(buf, size, "%s/%s", tmpdir, name) >= size)
		die("path too long: %s", name);
}

/* Create NAME in the temp dir holding LEN bytes ("0123456789..." repeated),
 * so a read of N bytes moves the offset by exactly N. */
static void make_file(char *path, size_t size, const char *name, size_t len)
{
	int fd;
	size_t i;
	char c;

	temp_path(path, size, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die("create %s", path);
	for (i = 0; i < len; i++) {
		c = (char)('0' + i % 10);
		if (write(fd, &c, 1) != 1)
			die("write %s", path);
	}
	close(fd);
}

static int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags, 0644);

	if (fd < 0)
		die("open %s", path);
	return fd;
}

static ino_t fd_inode(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		die("fstat %d", fd);
	return st.st_ino;
}

static void read_exactly(int fd, size_t n)
{
	char buf[256];

	if (n > sizeof(buf) || read(fd, buf, n) != (ssize_t)n)
		die("read %zu bytes from fd %d", n, fd);
}

/* ---- children ---- */

/* Run in every child right after fork: undo the parent's signal setup
 * (the mask survives exec) and die with the parent. */
static void child_prepare(void)
{
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigprocmask(SIG_SETMASK, &orig_mask, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0)
		_exit(1);
	/* The parent may have died before prctl: then nobody would kill us. */
	if (getppid() != main_pid)
		_exit(1);
}

static pid_t fork_child(void)
{
	pid_t pid;

	if (nchildren == MAX_CHILDREN) {
		errno = EAGAIN;
		die("too many children");
	}
	/* Unflushed stdout would be written twice (once per process). */
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		child_prepare();
		return 0;
	}
	children[nchildren++] = pid;
	return pid;
}

/* A child that has done its part waits here until SIGTERM. */
__attribute__((noreturn))
static void child_wait(void)
{
	for (;;)
		pause();
}

/* A "done" pipe: the child writes one byte once it has built its part, so
 * "ready" never comes before the situation exists. */
static void sync_pipe(int p[2])
{
	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe2");
}

/* The child reports one number (e.g. the fd it opened) and closes its end:
 * a child that dies first gives the parent EOF instead. */
static void sync_signal(int p[2], int value)
{
	if (write(p[1], &value, sizeof(value)) != sizeof(value))
		_exit(1);
	close(p[1]);
}

static int sync_wait(int p[2], const char *what)
{
	int value;
	ssize_t n;

	close(p[1]);
	do
		n = read(p[0], &value, sizeof(value));
	while (n < 0 && errno == EINTR);
	if (n != sizeof(value)) {
		errno = EPIPE;
		die("%s: child failed", what);
	}
	close(p[0]);
	return value;
}

/* For a child that execs: the close-on-exec write end closes at a good
 * exec (EOF here); a failed exec sends its errno instead. */
static void exec_wait(int p[2], const char *what)
{
	int err;
	ssize_t n;

	close(p[1]);
	do
		n = read(p[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	if (n != 0) {
		errno = n == sizeof(err) ? err : EIO;
		die("%s: exec failed", what);
	}
}

__attribute__((noreturn))
static void exec_or_report(int p[2], char *const argv[])
{
	int err;

	close(p[0]);
	execvp(argv[0], argv);
	err = errno;
	if (write(p[1], &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

/* ---- the scenarios ---- */

static void sc_dup(void)
{
	char path[4200];
	int fd, dupfd, fd2;

	make_file(path, sizeof(path), "dup.txt", 64);
	fd = open_or_die(path, O_RDWR);
	dupfd = dup(fd);
	fd2 = dup2(fd, 10);
	if (dupfd < 0 || fd2 != 10)
		die("dup");
	kv("pid", "%d", (int)getpid());
	kv("fd", "%d", fd);
	kv("dupfd", "%d", dupfd);
	kv("fd2", "%d", fd2);
	kv("path", "%s", path);
}

static void sc_fork_offset(void)
{
	char path[4200];
	int fd, p[2];
	pid_t child;

	make_file(path, sizeof(path), "offset.txt", 100);
	fd = open_or_die(path, O_RDONLY);
	sync_pipe(p);
	child = fork_child();
	if (child == 0) {
		/* The offset lives in the shared description: the parent's
		 * fd moves with the child's read. */
		close(p[0]);
		read_exactly(fd, 29);
		sync_signal(p, 0);
		child_wait();
	}
	sync_wait(p, "fork-offset");
	kv("parent", "%d", (int)getpid());
	kv("child", "%d", (int)child);
	kv("fd", "%d", fd);
	kv("pos", "%ld", (long)lseek(fd, 0, SEEK_CUR));
	kv("path", "%s", path);
}

static void sc_two_opens(void)
{
	char path[4200];
	int fd_a, fd_b;

	make_file(path, sizeof(path), "twice.txt", 64);
	fd_a = open_or_die(path, O_RDONLY);
	fd_b = open_or_die(path, O_RDONLY);
	read_exactly(fd_b, 5);
	kv("pid", "%d", (int)getpid());
	kv("fd_a", "%d", fd_a);
	kv("fd_b", "%d", fd_b);
	kv("pos_a", "%d", 0);
	kv("pos_b", "%d", 5);
	kv("path", "%s", path);
}

static void sc_dup2_log(void)
{
	char path[4200];
	static const char line[] = "child started\n";
	char *const argv[] = { "sleep", "infinity", NULL };
	int fd, p[2];
	pid_t child;

	temp_path(path, sizeof(path), "app.log");
	fd = open_or_die(path, O_WRONLY | O_APPEND | O_CREAT);
	sync_pipe(p);
	child = fork_child();
	if (child == 0) {
		if (dup2(fd, 1) != 1)
			_exit(1);
		close(fd);
		if (write(1, line, sizeof(line) - 1) < 0)
			_exit(1);
		exec_or_report(p, argv);
	}
	exec_wait(p, "dup2-log");
	kv("parent", "%d", (int)getpid());
	kv("child", "%d", (int)child);
	kv("fd", "%d", fd);
	kv("child_fd", "%d", 1);
	kv("log", "%s", path);
}

static void sc_pipe_exec(void)
{
	char *const argv[] = { "cat", NULL };
	int pp[2], p[2];
	pid_t child;

	if (pipe(pp) < 0)
		die("pipe");
	sync_pipe(p);
	child = fork_child();
	if (child == 0) {
		if (dup2(pp[0], 0) != 0)
			_exit(1);
		close(pp[0]);
		close(pp[1]);
		exec_or_report(p, argv);
	}
	exec_wait(p, "pipe-exec");
	close(pp[0]);
	kv("parent", "%d", (int)getpid());
	kv("child", "%d", (int)child);
	kv("wfd", "%d", pp[1]);
	kv("rfd", "%d", 0);
	kv("inode", "%lu", (unsigned long)fd_inode(pp[1]));
}

static int tcp_listener(int *port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int s;

	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		die("socket");
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 8) < 0)
		die("bind/listen");
	if (getsockname(s, (struct sockaddr *)&sa, &len) < 0)
		die("getsockname");
	*port = ntohs(sa.sin_port);
	return s;
}

static void sc_server_fork(void)
{
	int lfd, port;
	pid_t child;

	lfd = tcp_listener(&port);
	/* The child inherits the listener and "forgets" to close it. */
	child = fork_child();
	if (child == 0)
		child_wait();
	kv("parent", "%d", (int)getpid());
	kv("child", "%d", (int)child);
	kv("lfd", "%d", lfd);
	kv("port", "%d", port);
	kv("inode", "%lu", (unsigned long)fd_inode(lfd));
}

static void *idle_thread(void *arg)
{
	sigset_t all;

	(void)arg;
	/* Only the main thread takes the end-of-run signal. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (;;)
		pause();
	return NULL;
}

static void sc_threads(void)
{
	char path[4200];
	pthread_t t;
	int i, fd, err;

	make_file(path, sizeof(path), "threads.txt", 64);
	fd = open_or_die(path, O_RDONLY);
	for (i = 0; i < 3; i++) {
		err = pthread_create(&t, NULL, idle_thread, NULL);
		if (err) {
			errno = err;
			die("pthread_create");
		}
		pthread_detach(t);
	}
	kv("pid", "%d", (int)getpid());
	kv("threads", "%d", 4);
	kv("fd", "%d", fd);
	kv("path", "%s", path);
}

static void sc_cloexec(void)
{
	char path[4200];
	int fd_c, fd_p;

	make_file(path, sizeof(path), "cloexec.txt", 64);
	fd_c = open_or_die(path, O_RDONLY | O_CLOEXEC);
	fd_p = open_or_die(path, O_RDONLY);
	kv("pid", "%d", (int)getpid());
	kv("fd_cloexec", "%d", fd_c);
	kv("fd_plain", "%d", fd_p);
	kv("path", "%s", path);
}

static void sc_weird_names(void)
{
	static const char comm[] = "a\x1b[31mb\nc";
	char path[4200];
	int fd, p[2];
	pid_t child;

	/* Made by the parent so the temp-dir cleanup knows it. */
	make_file(path, sizeof(path), "we\nird\xff.txt", 16);
	sync_pipe(p);
	child = fork_child();
	if (child == 0) {
		close(p[0]);
		if (prctl(PR_SET_NAME, comm) < 0)
			_exit(1);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			_exit(1);
		sync_signal(p, fd);
		child_wait();
	}
	fd = sync_wait(p, "weird-names");
	kv("parent", "%d", (int)getpid());
	kv("pid", "%d", (int)child);
	kv("fd", "%d", fd);
	kv_hex("comm_hex", comm);
	kv_hex("path_hex", path);
}

static void sc_unix_pair(void)
{
	int sv[2];
	pid_t child;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("socketpair");
	child = fork_child();
	if (child == 0) {
		close(sv[0]);
		child_wait();
	}
	kv("parent", "%d", (int)getpid());
	kv("child", "%d", (int)child);
	kv("fds", "%d,%d", sv[0], sv[1]);
	kv("pfd", "%d", sv[0]);
	kv("cfd", "%d", sv[1]);
	kv("pino", "%lu", (unsigned long)fd_inode(sv[0]));
	kv("cino", "%lu", (unsigned long)fd_inode(sv[1]));
	close(sv[1]);
}

/* ---- vanish: a crowd of short-lived processes ---- */

#define VANISH_CROWD 50

static char vanish_path[4200];
static pid_t crowd[VANISH_CROWD];

static void short_sleep(void)
{
	struct timespec ts = { 0, (1 + rand() % 15) * 1000000L };

	nanosleep(&ts, NULL);
}

/* One member of the crowd: a few fds, a grandchild sharing them (so a scan
 * meets shared descriptions whose holders vanish), then exit. */
__attribute__((noreturn))
static void vanish_member(void)
{
	pid_t g;
	int a, b, c;

	srand((unsigned)getpid());
	a = open(vanish_path, O_RDONLY);
	b = open("/dev/null", O_WRONLY);
	c = a >= 0 ? dup(a) : -1;
	if (a < 0 || b < 0 || c < 0)
		_exit(1);
	g = fork();
	if (g == 0) {
		short_sleep();
		_exit(0);
	}
	short_sleep();
	if (g > 0)
		waitpid(g, NULL, 0);
	_exit(0);
}

static void vanish_tick(void)
{
	int i, status;
	pid_t pid;

	for (i = 0; i < VANISH_CROWD; i++) {
		if (crowd[i] > 0 && waitpid(crowd[i], &status, WNOHANG) == crowd[i])
			crowd[i] = 0;
		if (crowd[i] > 0 || got_signal)
			continue;
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			child_prepare();
			vanish_member();
		}
		crowd[i] = pid > 0 ? pid : 0;
	}
}

/* The crowd ends by itself within milliseconds: wait for it rather than
 * kill it, so every grandchild is reaped by its own parent. */
static void vanish_end(void)
{
	int i;

	for (i = 0; i < VANISH_CROWD; i++)
		if (crowd[i] > 0)
			waitpid(crowd[i], NULL, 0);
}

static void sc_vanish(void)
{
	make_file(vanish_path, sizeof(vanish_path), "vanish.txt", 64);
	vanish_tick();
	kv("pid", "%d", (int)getpid());
	kv("crowd", "%d", VANISH_CROWD);
}

/* ---- waiting and the end ---- */

static void on_signal(int sig)
{
	got_signal = sig;
}

/* End-of-run signals stay blocked except inside ppoll(), so one can never
 * slip in between a check of got_signal and the wait. */
static void setup_signals(void)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &orig_mask);
}

/* Wait for EOF on stdin or a signal; TICK (if any) runs every few ms. */
static void wait_for_end(void (*tick)(void))
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	struct timespec ts = { 0, 2000000L };
	sigset_t unblocked = orig_mask;
	char buf[512];
	int n;

	sigdelset(&unblocked, SIGTERM);
	sigdelset(&unblocked, SIGINT);
	sigdelset(&unblocked, SIGHUP);
	while (!got_signal) {
		if (tick)
			tick();
		n = ppoll(&pfd, 1, tick ? &ts : NULL, &unblocked);
		if (n < 0 && errno != EINTR)
			die("ppoll");
		if (n <= 0)
			continue;
		/* POLLHUP or POLLIN: a read of 0 (or an error) is the end;
		 * anything written to us is ignored. */
		if (read(0, buf, sizeof(buf)) <= 0)
			break;
	}
}

static void end_children(void)
{
	int i;

	for (i = 0; i < nchildren; i++)
		kill(children[i], SIGTERM);
	for (i = 0; i < nchildren; i++)
		while (waitpid(children[i], NULL, 0) < 0 && errno == EINTR)
			;
}

/* The temp dir holds only files this program made, one level deep. */
static void remove_tmpdir(void)
{
	DIR *d;
	struct dirent *e;

	if (!tmpdir[0])
		return;
	d = opendir(tmpdir);
	if (d) {
		while ((e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(tmpdir);
}

static void cleanup_at_exit(void)
{
	if (getpid() != main_pid)
		return;
	end_children();
	remove_tmpdir();
}

static void make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	if (!base || !*base)
		base = "/tmp";
	if ((size_t)snprintf(tmpdir, sizeof(tmpdir), "%s/fdshare-scenario.XXXXXX", base)
	    >= sizeof(tmpdir) - 64) {
		errno = ENAMETOOLONG;
		die("TMPDIR");
	}
	if (!mkdtemp(tmpdir)) {
		tmpdir[0] = '\0';
		die("mkdtemp under %s", base);
	}
}

struct scenario {
	const char *name;
	void (*setup)(void);
	void (*tick)(void);
	void (*end)(void);
};

static const struct scenario scenarios[] = {
	{ "dup", sc_dup, NULL, NULL },
	{ "fork-offset", sc_fork_offset, NULL, NULL },
	{ "two-opens", sc_two_opens, NULL, NULL },
	{ "dup2-log", sc_dup2_log, NULL, NULL },
	{ "pipe-exec", sc_pipe_exec, NULL, NULL },
	{ "server-fork", sc_server_fork, NULL, NULL },
	{ "threads", sc_threads, NULL, NULL },
	{ "cloexec", sc_cloexec, NULL, NULL },
	{ "weird-names", sc_weird_names, NULL, NULL },
	{ "vanish", sc_vanish, vanish_tick, vanish_end },
	{ "unix-pair", sc_unix_pair, NULL, NULL },
};

static void usage(void)
{
	size_t i;

	fprintf(stderr, "usage: scenario NAME\nnames:");
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		fprintf(stderr, " %s", scenarios[i].name);
	fprintf(stderr, "\n");
}

int main(int argc, char **argv)
{
	const struct scenario *sc = NULL;
	size_t i;

	for (i = 0; argc == 2 && i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (strcmp(argv[1], scenarios[i].name) == 0)
			sc = &scenarios[i];
	if (!sc) {
		usage();
		return 2;
	}
	main_pid = getpid();
	/* Start from fds 0-2 only: fds inherited from whoever ran us would
	 * be shared with every scenario process and blur what we built. */
	close_range(3, ~0U, 0);
	/* Our own group: a caller can always kill -- -PID the lot.  It fails
	 * harmlessly when we already lead a session. */
	setpgid(0, 0);
	setup_signals();
	make_tmpdir();
	atexit(cleanup_at_exit);
	sc->setup();
	kv("dir", "%s", tmpdir);
	printf("ready\n");
	if (fflush(stdout) != 0)
		die("stdout");
	wait_for_end(sc->tick);
	if (sc->end)
		sc->end();
	return 0;
}
