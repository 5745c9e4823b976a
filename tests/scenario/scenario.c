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
 *   ep-pipe-forgot, ep-fifo, ep-unix-server, ep-abstract, ep-tcp,
 *   ep-inet6-udp, ep-epoll, ep-anon, ep-pidfd, ep-netns, ep-userns
 *                the other ends of pipes, sockets and event fds: each is
 *                described above its sc_ep_* function, with what it prints.
 *   orphan       the seed's program: we fork a child, it forks a grandchild
 *                and exits; the pid namespace's init adopts the grandchild.
 *                parent child (gone) grandchild adopter (its ppid now)
 *   orphan-subreaper  the same after PR_SET_CHILD_SUBREAPER: we adopt it.
 *   daemon       the same, but the child calls setsid() first (a double-
 *                forked daemon: stdio on /dev/null, cwd /).
 *   daemon-subreaper  the daemon, adopted by us as a subreaper.
 *   zombies-MODE a child leaves 4 children unreaped, MODE being: default
 *                (never waits), ignore (SIG_IGN set after they died), caught
 *                (a handler reaping one per signal: 3 stay), blocked (a good
 *                handler, SIGCHLD blocked), stopped (state T), traced (we
 *                PTRACE_SEIZE it: t), dsleep (in vfork: D), pidns (it is the
 *                init of a new pid namespace).
 *                parent zombies=A,B,... count [vchild (dsleep's vfork child)]
 *   reaper-ok    the same with a handler that loops on waitpid: none left.
 *                parent zombies= count=0
 *   supervisor   a subreaper child starts 2 services through launchers that
 *                setsid() and exit; each service forks a worker; then it
 *                restarts the first service: 6 processes, the old worker
 *                adopted by the supervisor.
 *                supervisor services=A,B workers=C,D orphan restarted (gone)
 *
 * Watch mode (run beside fdshare --watch; these build their situation
 * before "ready", so the watcher sees it happen):
 *   watch-lifecycle  three children: one exits with code 3, one execs
 *                "sleep infinity" (ended with us), one is killed by SIGKILL.
 *                parent exiter code=3 execer killed signal=SIGKILL
 *   watch-orphan a child forks a grandchild and exits; once adopted, the
 *                grandchild reports its new parent.
 *                parent child (gone) grandchild adopter subreaper=0
 *   watch-orphan-subreaper  the same with PR_SET_CHILD_SUBREAPER on us:
 *                adopter = parent, subreaper=1.
 *   watch-zombie-delay  a child exits with code 7; we reap it 1 s after it
 *                became a zombie.  parent zombie code=7 delay_ms=1000
 *   watch-burst  after "ready": 3000 children that exit at once (32 alive
 *                at most), all reaped; stops early at EOF on stdin.
 *                parent count=3000
 *   watch-thread-orphan  a child's main thread forks a grandchild, then
 *                ends with pthread_exit() while another thread lives on.
 *                parent process child
 *
 * Findings (each trigger beside the twins that must stay silent; each is
 * described above its sc_f_* function, with what it prints):
 *   f-exec-leak, f-exec-leak-cloexec, f-listener-leak, f-prefork,
 *   f-pipe-kept-write, f-pipe-wait, f-pipe-ok, f-writers, f-writers-append,
 *   f-deleted, f-memfd, f-fd-limit, f-nonblock, f-nonblock-same,
 *   f-zombie-name, f-clobber, f-clobber-append, f-exec-leak-ended,
 *   f-listener-upgrade, f-pipe-kept-write-shared, f-tmpfile-capture,
 *   f-prefork-busy, f-listener-handover, f-pipe-sibling-wait,
 *   f-deleted-mapped, f-deleted-mapped-twins
 *   inotify-many  17 inotify watches (the kernel prints their numbers in hex)
 *
 * Locks (each described above its sc_l_* function, with what it prints):
 *   l-flock-fork, l-posix-fork, l-ofd-dup, l-lease, l-mixed, l-waiter, l-wait-stopped,
 *   l-wait-chain, l-deadlock, l-deadlock-ofd, l-pidfile
 *
 * The fd kinds of issue 11, each beside its look-alike (a kind this kernel
 * or user cannot make: "skip: why" on stderr, exit 77, before "ready"):
 *   k-nsfs       fds on /proc/self/ns/net, ns/user, ns/pid_for_children;
 *                twin: a regular file named "net:[4026531840]".
 *                fd_net net_ino fd_user user_ino fd_pid4c pid_ino fd_twin
 *   k-symlink    a symlink opened O_PATH|O_NOFOLLOW; twin: the same link
 *                opened O_PATH (it follows to a regular file).
 *                fd_link fd_follow link
 *   k-mqueue     a POSIX queue: we hold it; a child opens it by name (a
 *                separate description); a second queue is unlinked while
 *                open; twin: a regular file named like the queue.
 *                fd child child_fd name fd_unlinked fd_twin
 *   k-bpf        (root) a BPF array map, a socket filter program and a
 *                flow dissector link on a network namespace of our own;
 *                twin: an eventfd (another anonymous inode).
 *                fd_map map_id fd_prog prog_id fd_link link_id fd_twin
 *   k-io-uring   an io_uring of 8 entries and one with SQPOLL (4 entries);
 *                twin: an eventfd.  fd fd_sqpoll fd_twin
 *   k-pty        a pty master; a child holds its slave on fd 0 and 1; a
 *                second master whose slave nobody opened; twin: /dev/null.
 *                fd index child lone_fd lone_index fd_twin
 *   k-tun        (root) in a network namespace of our own: a tap device
 *                attached, and a tun fd never attached; twin: /dev/null.
 *                fd iface fd_idle fd_twin
 *   k-signals    a signalfd on USR1, RTMIN (34), RTMIN+8 (42) and 64.
 *                fd
 *   k-sockets    (root) in a network namespace of our own (loopback up,
 *                ping allowed for group 0): a raw ICMP socket on 127.0.0.1
 *                and its twin, a UDP socket there; a ping socket; a packet
 *                socket for every protocol on lo and one bound to nothing;
 *                a netlink route socket in groups 1 and 5 and one never
 *                bound; a connected UDP-Lite pair and its twin, a UDP pair;
 *                a TCP socket never bound; and, made in a second namespace
 *                we then leave (no process is in it), a unix socket and
 *                a UDP socket, beside the twin unix socketpair here.
 *                netns fd_raw fd_udp fd_ping fd_packet fd_packet_idle
 *                fd_netlink portid fd_netlink_idle fd_lite_a fd_lite_b
 *                fd_udp_a fd_udp_b fd_tcp_idle fd_gone_unix fd_gone_udp
 *                fd_pair_a fd_pair_b

 *
 * Holders and leaks (described above their functions, with what they print):
 *   holders      a directory held as cwd, rtd, txt, mem and through an fd
 *   leaker, leak-twin  one more fd every 50 ms, and its twin that closes each
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/io_uring.h>
#include <linux/netlink.h>
#include <mqueue.h>
#include <dirent.h>
#include <net/if.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CHILDREN 64
#define EXIT_SKIP 77   /* the kind cannot be made here */

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

/* A pipe pp whose read end is stdin of a forked child running cat (the
 * child closes both original ends first); returns once cat runs. */
static pid_t fork_cat_reader(int pp[2], const char *name)
{
	char *const argv[] = { "cat", NULL };
	int p[2];
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
	exec_wait(p, name);
	return child;
}

static void sc_pipe_exec(void)
{
	int pp[2];
	pid_t child = fork_cat_reader(pp, "pipe-exec");

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

/* ---- process trees: orphans, subreapers, zombies ---- */

#define ZOMBIES 4
#define SERVICES 2
#define MAX_STRAYS 8

/* Processes we end that are not (or no longer) our children. */
static pid_t strays[MAX_STRAYS];
static int nstrays;

/* The state letter (field 3) or the ppid (field 4) of pid from /proc; 0 or
 * -1 when it is gone. */
static char proc_state(pid_t pid, int *ppid)
{
	char path[64], buf[1024], *r;
	FILE *f;
	int pp = -1;
	char state = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f) && (r = strrchr(buf, ')')) != NULL)
		if (sscanf(r + 1, " %c %d", &state, &pp) != 2)
			state = 0;
	fclose(f);
	if (ppid)
		*ppid = pp;
	return state;
}

/* Wait (5 s at most) until pid is in state want. */
static void wait_state(pid_t pid, char want, const char *what)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (proc_state(pid, NULL) == want)
			return;
		usleep(10000);
	}
	errno = ETIMEDOUT;
	die("%s: %d never reached state %c", what, (int)pid, want);
}

/* Reap a child that has ended and forget it: the end of the run must not
 * signal its pid, which may by then be someone else's. */
static void reap_child(pid_t pid)
{
	int i;

	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	for (i = 0; i < nchildren; i++)
		if (children[i] == pid)
			children[i] = children[--nchildren];
}

/* End the strays: our children are reaped; the others (adopted by the pid
 * namespace's init) are waited for until their adopter has reaped them. */
static void end_strays(void)
{
	int i, t;

	for (i = 0; i < nstrays; i++)
		kill(strays[i], SIGTERM);
	for (i = 0; i < nstrays; i++) {
		if (waitpid(strays[i], NULL, 0) == strays[i])
			continue;
		for (t = 0; t < 500 && kill(strays[i], 0) == 0; t++)
			usleep(10000);
	}
	nstrays = 0;
}

/* A daemon's stdio goes to /dev/null and it leaves the directory it came from. */
static void daemon_stdio(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 || chdir("/") < 0)
		_exit(1);
	if (fd > 2)
		close(fd);
}

/* The seed's program: we fork a child, the child forks a grandchild and
 * exits; the grandchild is adopted by the pid namespace's init, or by us
 * when we are a subreaper.  With daemonize the child calls setsid() first
 * (the double-forked daemon), which is what lets /proc prove the adoption. */
static void orphan_family(bool subreaper, bool daemonize)
{
	int p[2], adopter = -1;
	pid_t c, g;

	if (subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		die("PR_SET_CHILD_SUBREAPER");
	sync_pipe(p);
	c = fork_child();
	if (c == 0) {
		close(p[0]);
		if (daemonize && setsid() < 0)
			_exit(1);
		g = fork();
		if (g < 0)
			_exit(1);
		if (g == 0) {
			/* fork cleared PR_SET_PDEATHSIG: it outlives its parent */
			if (daemonize)
				daemon_stdio();
			child_wait();
		}
		sync_signal(p, (int)g);
		_exit(0);
	}
	g = sync_wait(p, "orphan");
	reap_child(c);
	strays[nstrays++] = g;
	/* the kernel re-parents in the child's exit, before we could reap it */
	if (proc_state(g, &adopter) == 0)
		die("orphan: grandchild %d is gone", (int)g);
	kv("parent", "%d", (int)getpid());
	kv("child", "%d", (int)c);
	kv("grandchild", "%d", (int)g);
	kv("adopter", "%d", adopter);
}

static void sc_orphan(void) { orphan_family(false, false); }
static void sc_orphan_subreaper(void) { orphan_family(true, false); }
static void sc_daemon(void) { orphan_family(false, true); }
static void sc_daemon_subreaper(void) { orphan_family(true, true); }

/* ---- zombies: a parent that leaves ZOMBIES children unreaped ---- */

enum zmode { Z_DEFAULT, Z_IGNORE, Z_CAUGHT, Z_BLOCKED, Z_STOPPED, Z_TRACED, Z_DSLEEP,
	     Z_PIDNS, Z_REAPER_OK };
static enum zmode zmode;
static pid_t zparent, zvchild;
static char vfork_stack[64 * 1024] __attribute__((aligned(16)));

/* The handler of a parent that reaps one child per SIGCHLD: signals
 * coalesce, so children that exit together stay zombies. */
static void reap_once(int sig)
{
	int saved = errno;

	(void)sig;
	waitpid(-1, NULL, WNOHANG);
	errno = saved;
}

static void reap_all(int sig)
{
	int saved = errno;

	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	errno = saved;
}

/* The vfork child (Z_DSLEEP): while it lives, its parent sleeps in D. */
static int vfork_child(void *arg)
{
	int *p = arg, pid = (int)getpid();
	sigset_t none;

	if (write(p[1], &pid, sizeof(pid)) != sizeof(pid))
		_exit(1);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (;;)
		pause();
	return 0;
}

static void handle_sigchld(void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
}

/* Fork ZOMBIES children that exit at once, with SIGCHLD blocked, and wait
 * until each is a zombie without reaping it (WNOWAIT). */
static void make_zombies(pid_t kids[ZOMBIES])
{
	siginfo_t si;
	int i;

	for (i = 0; i < ZOMBIES; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			_exit(1);
		if (kids[i] == 0)
			_exit(0);
	}
	for (i = 0; i < ZOMBIES; i++)
		while (waitid(P_PID, (id_t)kids[i], &si, WEXITED | WNOWAIT) < 0)
			if (errno != EINTR)
				_exit(1);
}

static int count_zombies(const pid_t kids[ZOMBIES])
{
	siginfo_t si;
	int i, left = 0;

	for (i = 0; i < ZOMBIES; i++) {
		si.si_pid = 0;
		if (waitid(P_PID, (id_t)kids[i], &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == kids[i])
			left++;
	}
	return left;
}

/* The parent under test.  It reports how many zombies it left, then keeps
 * them until SIGTERM, when it reaps everything and exits. */
__attribute__((noreturn))
static void zombie_parent(int p[2])
{
	sigset_t chld, term;
	pid_t kids[ZOMBIES];
	int left, sig;

	close(p[0]);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	if (zmode == Z_CAUGHT)
		handle_sigchld(reap_once);
	if (zmode == Z_BLOCKED || zmode == Z_REAPER_OK)
		handle_sigchld(reap_all);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	make_zombies(kids);
	/* Z_BLOCKED keeps SIGCHLD blocked; the others let the one pending
	 * SIGCHLD in now: a handler runs once */
	if (zmode != Z_BLOCKED)
		sigprocmask(SIG_UNBLOCK, &chld, NULL);
	left = count_zombies(kids);
	if (zmode == Z_IGNORE)
		signal(SIGCHLD, SIG_IGN);   /* too late: the zombies stay */
	if (write(p[1], &left, sizeof(left)) != sizeof(left))
		_exit(1);
	if (zmode == Z_DSLEEP &&
	    clone(vfork_child, vfork_stack + sizeof(vfork_stack), CLONE_VM | CLONE_VFORK | SIGCHLD, p) < 0)
		_exit(1);
	close(p[1]);
	if (zmode == Z_STOPPED)
		raise(SIGSTOP);
	while (sigwait(&term, &sig) != 0)
		;
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_UNBLOCK, &chld, NULL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	_exit(0);
}

/* A child in a new pid namespace, of which it is the init (fork semantics:
 * no stack of its own).  Its parent is outside: getppid() says 0. */
static pid_t fork_pidns_init(void)
{
	pid_t pid;

	fflush(stdout);
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0)
		die("clone(CLONE_NEWPID)");
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigprocmask(SIG_SETMASK, &orig_mask, NULL);
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0)
			_exit(1);
		return 0;
	}
	children[nchildren++] = pid;
	return pid;
}

/* The zombie children of pid, as this pid namespace numbers them (from
 * /proc/PID/task/PID/children), as "a,b,c" into buf; returns the count. */
static int list_zombies(pid_t pid, char *buf, size_t size)
{
	char path[64];
	FILE *f;
	int kid, n = 0;
	size_t len = 0;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	f = fopen(path, "re");
	if (!f)
		die("%s", path);
	while (fscanf(f, "%d", &kid) == 1) {
		if (proc_state(kid, NULL) != 'Z' || len + 16 > size)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%d", n ? "," : "", kid);
		n++;
	}
	fclose(f);
	return n;
}

static int read_int(int fd, const char *what)
{
	int value;
	ssize_t n;

	do
		n = read(fd, &value, sizeof(value));
	while (n < 0 && errno == EINTR);
	if (n != sizeof(value)) {
		errno = EPIPE;
		die("%s: child failed", what);
	}
	return value;
}

/* Put the zombie parent into the state the mode asks for. */
static void zombie_parent_state(void)
{
	int status;

	switch (zmode) {
	case Z_STOPPED:
		wait_state(zparent, 'T', "zombies-stopped");
		break;
	case Z_DSLEEP:
		wait_state(zparent, 'D', "zombies-dsleep");
		break;
	case Z_TRACED:
		if (ptrace(PTRACE_SEIZE, zparent, NULL, NULL) < 0 ||
		    ptrace(PTRACE_INTERRUPT, zparent, NULL, NULL) < 0)
			die("ptrace %d", (int)zparent);
		while (waitpid(zparent, &status, __WALL) < 0)
			if (errno != EINTR)
				die("waitpid %d", (int)zparent);
		wait_state(zparent, 't', "zombies-traced");
		break;
	default:
		break;
	}
}

static void zombies_setup(enum zmode mode)
{
	char list[1024];
	int p[2], left, n;

	zmode = mode;
	sync_pipe(p);
	zparent = mode == Z_PIDNS ? fork_pidns_init() : fork_child();
	if (zparent == 0)
		zombie_parent(p);
	close(p[1]);
	left = read_int(p[0], "zombies");
	if (mode == Z_DSLEEP)
		zvchild = read_int(p[0], "zombies-dsleep");
	close(p[0]);
	zombie_parent_state();
	n = list_zombies(zparent, list, sizeof(list));
	if (n != left) {
		errno = EPROTO;
		die("zombies: the parent left %d, /proc shows %d", left, n);
	}
	kv("parent", "%d", (int)zparent);
	kv("zombies", "%s", list);
	kv("count", "%d", n);
	if (zvchild > 0)
		kv("vchild", "%d", (int)zvchild);
}

/* Let the parent go on, so it can take its SIGTERM and reap. */
static void zombies_end(void)
{
	if (zmode == Z_TRACED)
		ptrace(PTRACE_DETACH, zparent, NULL, NULL);
	if (zmode == Z_STOPPED)
		kill(zparent, SIGCONT);
	if (zvchild > 0)
		kill(zvchild, SIGTERM);
}

static void sc_zombies_default(void) { zombies_setup(Z_DEFAULT); }
static void sc_zombies_ignore(void) { zombies_setup(Z_IGNORE); }
static void sc_zombies_caught(void) { zombies_setup(Z_CAUGHT); }
static void sc_zombies_blocked(void) { zombies_setup(Z_BLOCKED); }
static void sc_zombies_stopped(void) { zombies_setup(Z_STOPPED); }
static void sc_zombies_traced(void) { zombies_setup(Z_TRACED); }
static void sc_zombies_dsleep(void) { zombies_setup(Z_DSLEEP); }
static void sc_zombies_pidns(void) { zombies_setup(Z_PIDNS); }
static void sc_reaper_ok(void) { zombies_setup(Z_REAPER_OK); }

/* ---- supervisor: a subreaper that re-spawns daemonized services ---- */

/* Service: forks one worker (which outlives it: no PDEATHSIG) and reports
 * both pids on p; then both wait to be ended. */
__attribute__((noreturn))
static void service(int p[2])
{
	int pids[2];
	pid_t w = fork();

	if (w < 0)
		_exit(1);
	if (w == 0)
		child_wait();
	pids[0] = (int)getpid();
	pids[1] = (int)w;
	if (write(p[1], pids, sizeof(pids)) != sizeof(pids))
		_exit(1);
	close(p[1]);
	child_wait();
}

/* Start a service the way a daemonizing launcher does: the launcher calls
 * setsid(), forks the service and exits; the supervisor reaps the launcher
 * and, as a subreaper, adopts the service. */
static pid_t spawn_service(pid_t *worker)
{
	int p[2], pids[2];
	pid_t l;

	sync_pipe(p);
	l = fork();
	if (l < 0)
		_exit(1);
	if (l == 0) {
		sigprocmask(SIG_SETMASK, &orig_mask, NULL);
		close(p[0]);
		if (setsid() < 0)
			_exit(1);
		l = fork();
		if (l < 0)
			_exit(1);
		if (l == 0)
			service(p);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], pids, sizeof(pids)) != sizeof(pids))
		_exit(1);
	close(p[0]);
	while (waitpid(l, NULL, 0) < 0 && errno == EINTR)
		;
	*worker = pids[1];
	return pids[0];
}

/* The supervisor: starts SERVICES services, then restarts the first (ends
 * and reaps it; its worker is adopted by the supervisor) and reports
 * {services..., workers..., orphaned worker, ended service}.  On SIGTERM it
 * ends them all and reaps whatever the kernel hands it. */
__attribute__((noreturn))
static void supervisor(int out[2])
{
	pid_t svc[SERVICES], wrk[SERVICES];
	int report[2 * SERVICES + 2], i, sig;
	sigset_t term;

	close(out[0]);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		_exit(1);
	for (i = 0; i < SERVICES; i++)
		svc[i] = spawn_service(&wrk[i]);
	report[2 * SERVICES] = (int)wrk[0];
	report[2 * SERVICES + 1] = (int)svc[0];
	kill(svc[0], SIGTERM);
	while (waitpid(svc[0], NULL, 0) < 0 && errno == EINTR)
		;
	svc[0] = spawn_service(&wrk[0]);
	for (i = 0; i < SERVICES; i++) {
		report[i] = (int)svc[i];
		report[SERVICES + i] = (int)wrk[i];
	}
	if (write(out[1], report, sizeof(report)) != sizeof(report))
		_exit(1);
	close(out[1]);
	while (sigwait(&term, &sig) != 0)
		;
	for (i = 0; i < SERVICES; i++) {
		kill(svc[i], SIGTERM);
		kill(wrk[i], SIGTERM);
	}
	kill(report[2 * SERVICES], SIGTERM);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	_exit(0);
}

static void sc_supervisor(void)
{
	int p[2], r[2 * SERVICES + 2];
	pid_t s;

	sync_pipe(p);
	s = fork_child();
	if (s == 0)
		supervisor(p);
	close(p[1]);
	if (read(p[0], r, sizeof(r)) != sizeof(r)) {
		errno = EPIPE;
		die("supervisor: no report");
	}
	close(p[0]);
	kv("supervisor", "%d", (int)s);
	kv("services", "%d,%d", r[0], r[1]);
	kv("workers", "%d,%d", r[2], r[3]);
	kv("orphan", "%d", r[4]);
	kv("restarted", "%d", r[5]);
}

/* ---- watch mode: process lifecycles for fdshare --watch ---- */

#define WATCH_BURST 3000
#define WATCH_ZOMBIE_MS 1000

/* Processes of the watch scenarios that are not our children (orphans,
 * adopted elsewhere): ended, and reaped when we are their subreaper. */
static pid_t watch_strays[4];
static int nwatch_strays;
static bool watch_reap_strays;

/* A child that we reap ourselves during setup: not in children[], whose
 * pids end_children() would signal long after they may have been reused. */
static pid_t watch_fork(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		child_prepare();
	return pid;
}

static int watch_reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid %d", (int)pid);
	return status;
}

/* Wait for EOF on fd (its writer is us: EOF when we end) or a signal. */
__attribute__((noreturn))
static void watch_linger(int fd)
{
	char c;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

static void watch_stray(pid_t pid)
{
	if (nwatch_strays < (int)(sizeof(watch_strays) / sizeof(watch_strays[0])))
		watch_strays[nwatch_strays++] = pid;
}

static void watch_end(void)
{
	int i;

	for (i = 0; i < nwatch_strays; i++)
		kill(watch_strays[i], SIGTERM);
	for (i = 0; watch_reap_strays && i < nwatch_strays; i++)
		while (waitpid(watch_strays[i], NULL, 0) < 0 && errno == EINTR)
			;
}

static void sc_watch_lifecycle(void)
{
	char *const argv[] = { "sleep", "infinity", NULL };
	pid_t a, b, c;
	int sa, sc, p[2];

	a = watch_fork();
	if (a == 0)
		_exit(3);
	/* Alive until we end: the watcher reads the new program's name and
	 * command line from /proc, which a zombie or a reaped process no
	 * longer has. */
	sync_pipe(p);
	b = fork_child();
	if (b == 0)
		exec_or_report(p, argv);
	exec_wait(p, "watch-lifecycle");
	c = watch_fork();
	if (c == 0)
		child_wait();
	kill(c, SIGKILL);
	sa = watch_reap(a);
	sc = watch_reap(c);
	if (!WIFEXITED(sa) || WEXITSTATUS(sa) != 3 || !WIFSIGNALED(sc) || WTERMSIG(sc) != SIGKILL) {
		errno = EPROTO;
		die("watch-lifecycle: unexpected wait statuses %#x %#x", sa, sc);
	}
	kv("parent", "%d", (int)getpid());
	kv("exiter", "%d", (int)a);
	kv("code", "%d", 3);
	kv("execer", "%d", (int)b);
	kv("killed", "%d", (int)c);
	kv("signal", "SIGKILL");
}

/* The grandchild: once its parent has gone, it reports its pid and its
 * adopter, then lingers until we end (no PDEATHSIG: its parent's death
 * is the point). */
__attribute__((noreturn))
static void watch_grandchild(int p[2], int life[2], pid_t parent)
{
	int msg[2];
	struct timespec ms = { 0, 1000000L };

	close(life[1]);
	while (getppid() == parent)
		nanosleep(&ms, NULL);
	msg[0] = (int)getpid();
	msg[1] = (int)getppid();
	if (write(p[1], msg, sizeof(msg)) != sizeof(msg))
		_exit(1);
	close(p[1]);
	watch_linger(life[0]);
}

static void watch_orphan(bool subreaper)
{
	int p[2], life[2], msg[2];
	pid_t child, g;
	ssize_t n;

	if (subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		die("PR_SET_CHILD_SUBREAPER");
	watch_reap_strays = subreaper;
	sync_pipe(p);
	if (pipe2(life, O_CLOEXEC) < 0)
		die("pipe2");
	child = watch_fork();
	if (child == 0) {
		child = getpid();   /* the grandchild's getppid() may be the adopter's already */
		g = fork();
		if (g == 0)
			watch_grandchild(p, life, child);
		_exit(g > 0 ? 0 : 1);
	}
	close(life[0]);
	close(p[1]);
	if (watch_reap(child) != 0) {
		errno = ECHILD;
		die("watch-orphan: the child failed");
	}
	do
		n = read(p[0], msg, sizeof(msg));
	while (n < 0 && errno == EINTR);
	if (n != sizeof(msg)) {
		errno = EPIPE;
		die("watch-orphan: the grandchild failed");
	}
	close(p[0]);
	watch_stray(msg[0]);
	kv("parent", "%d", (int)getpid());
	kv("child", "%d", (int)child);
	kv("grandchild", "%d", msg[0]);
	kv("adopter", "%d", msg[1]);
	kv("subreaper", "%d", subreaper ? 1 : 0);
}

static void sc_watch_orphan(void)
{
	watch_orphan(false);
}

static void sc_watch_orphan_subreaper(void)
{
	watch_orphan(true);
}

static void sc_watch_zombie_delay(void)
{
	struct timespec delay = { WATCH_ZOMBIE_MS / 1000, (WATCH_ZOMBIE_MS % 1000) * 1000000L };
	siginfo_t si;
	pid_t z;

	z = watch_fork();
	if (z == 0)
		_exit(7);
	/* A zombie from here on: wait without reaping, then hold it. */
	memset(&si, 0, sizeof(si));
	while (waitid(P_PID, (id_t)z, &si, WEXITED | WNOWAIT) < 0)
		if (errno != EINTR)
			die("waitid");
	while (nanosleep(&delay, &delay) < 0 && errno == EINTR)
		;
	watch_reap(z);
	kv("parent", "%d", (int)getpid());
	kv("zombie", "%d", (int)z);
	kv("code", "%d", 7);
	kv("delay_ms", "%d", WATCH_ZOMBIE_MS);
}

/* Thousands of processes that exit at once, at most 32 alive: after
 * "ready" (the first tick), as it may take long on a loaded machine; it
 * stops early once the caller closes our stdin. */
static bool watch_burst_done;

static void watch_burst_tick(void)
{
	struct pollfd in = { 0, POLLIN, 0 };
	int i, alive = 0;
	pid_t pid;

	if (watch_burst_done)
		return;
	watch_burst_done = true;
	fflush(stdout);
	for (i = 0; i < WATCH_BURST; i++) {
		if (i % 64 == 0 && poll(&in, 1, 0) > 0)
			break;
		if (alive == 32) {
			while (wait(NULL) < 0 && errno == EINTR)
				;
			alive--;
		}
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		alive++;
	}
	while (alive > 0 && (wait(NULL) > 0 || errno == EINTR))
		alive--;
}

static void sc_watch_burst(void)
{
	kv("parent", "%d", (int)getpid());
	kv("count", "%d", WATCH_BURST);
}

static void *watch_park(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* A process whose main thread forks a child and then ends with
 * pthread_exit(), while another thread lives on: that thread adopts it. */
static void sc_watch_thread_orphan(void)
{
	int p[2], life[2], err;
	pthread_t t;
	pid_t proc, k;

	sync_pipe(p);
	if (pipe2(life, O_CLOEXEC) < 0)
		die("pipe2");
	proc = fork_child();
	if (proc == 0) {
		close(p[0]);
		err = pthread_create(&t, NULL, watch_park, NULL);
		if (err)
			_exit(1);
		k = fork();
		if (k == 0) {
			close(life[1]);
			watch_linger(life[0]);
		}
		if (k < 0)
			_exit(1);
		sync_signal(p, (int)k);
		pthread_exit(NULL);
	}
	close(life[0]);
	k = sync_wait(p, "watch-thread-orphan");
	watch_stray(k);
	kv("parent", "%d", (int)getpid());
	kv("process", "%d", (int)proc);
	kv("child", "%d", (int)k);
}

/* ---- endpoints: the other end of pipes, sockets and event fds ---- */

/* Close every fd from 3 up but those in keep[] (a child that must hold only
 * its own end of what the parent built). */
static void close_except(const int *keep, int n)
{
	int fd, i, kept;

	for (fd = 3; fd < 1024; fd++) {
		for (kept = 0, i = 0; i < n; i++)
			kept |= keep[i] == fd;
		if (!kept)
			close(fd);
	}
}

/* A unix stream listener on sa (a path, or an abstract name: len given). */
static int unix_listener(const struct sockaddr_un *sa, socklen_t len, int backlog)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (s < 0 || bind(s, (const struct sockaddr *)sa, len) < 0 || listen(s, backlog) < 0)
		die("unix listener");
	return s;
}

static int unix_client(const struct sockaddr_un *sa, socklen_t len)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (s < 0 || connect(s, (const struct sockaddr *)sa, len) < 0)
		die("unix connect");
	return s;
}

/* A child that connects to sa, keeps only that socket (and sync) and
 * reports its fd number; returns its pid, *fd the number. */
static pid_t unix_client_child(const struct sockaddr_un *sa, socklen_t len, int *fd)
{
	int p[2], s;
	pid_t child;

	sync_pipe(p);
	child = fork_child();
	if (child == 0) {
		close_except(&p[1], 1);
		s = unix_client(sa, len);
		sync_signal(p, s);
		child_wait();
	}
	*fd = sync_wait(p, "unix client");
	return child;
}

/*   ep-pipe-forgot  like pipe-exec (the child runs cat on the read end), but
 *                the parent never closed its own read end.
 *                parent child wfd rfd (the parent's read end) crfd=0 inode */
static void sc_ep_pipe_forgot(void)
{
	int pp[2];
	pid_t child = fork_cat_reader(pp, "ep-pipe-forgot");

	kv("parent", "%d", (int)getpid());
	kv("child", "%d", (int)child);
	kv("wfd", "%d", pp[1]);
	kv("rfd", "%d", pp[0]);
	kv("crfd", "%d", 0);
	kv("inode", "%lu", (unsigned long)fd_inode(pp[1]));
}

/*   ep-fifo      a FIFO: a reader child, and a writer child that opened it
 *                twice (two descriptions of the write end).
 *                path reader rfd writer wfd wfd2 inode */
static void sc_ep_fifo(void)
{
	char path[4200];
	int p[2], q[2], rfd, wfd, fd;
	pid_t reader, writer;

	temp_path(path, sizeof(path), "fifo");
	if (mkfifo(path, 0600) < 0)
		die("mkfifo %s", path);
	sync_pipe(p);
	reader = fork_child();
	if (reader == 0) {
		close_except(&p[1], 1);
		/* O_NONBLOCK: no writer yet, and open must not wait for one */
		sync_signal(p, open_or_die(path, O_RDONLY | O_NONBLOCK));
		child_wait();
	}
	rfd = sync_wait(p, "ep-fifo reader");
	sync_pipe(p);
	sync_pipe(q);
	writer = fork_child();
	if (writer == 0) {
		int keep[2] = { p[1], q[1] };
		close_except(keep, 2);
		fd = open_or_die(path, O_WRONLY);
		sync_signal(p, fd);
		sync_signal(q, open_or_die(path, O_WRONLY));
		child_wait();
	}
	close(q[1]);
	q[1] = -1;
	wfd = sync_wait(p, "ep-fifo writer");
	kv("path", "%s", path);
	kv("reader", "%d", (int)reader);
	kv("rfd", "%d", rfd);
	kv("writer", "%d", (int)writer);
	kv("wfd", "%d", wfd);
	kv("wfd2", "%d", read_int(q[0], "ep-fifo second open"));
	close(q[0]);
	{
		struct stat st;
		if (stat(path, &st) < 0)
			die("stat %s", path);
		kv("inode", "%lu", (unsigned long)st.st_ino);
	}
}

/*   ep-unix-server  a unix stream listener on a path (backlog 4) in this
 *                process, with client A accepted (our afd) and client B
 *                waiting in the backlog, each client in a child of its own.
 *                pid lfd afd path backlog=4 lino aino client_a fd_a client_b
 *                fd_b */
static void sc_ep_unix_server(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int lfd, afd, fd_a, fd_b;
	pid_t a, b;

	temp_path(sa.sun_path, sizeof(sa.sun_path), "server.sock");
	lfd = unix_listener(&sa, sizeof(sa), 4);
	a = unix_client_child(&sa, sizeof(sa), &fd_a);
	afd = accept(lfd, NULL, NULL);
	if (afd < 0)
		die("accept");
	b = unix_client_child(&sa, sizeof(sa), &fd_b);
	kv("pid", "%d", (int)getpid());
	kv("lfd", "%d", lfd);
	kv("afd", "%d", afd);
	kv("path", "%s", sa.sun_path);
	kv("backlog", "%d", 4);
	kv("lino", "%lu", (unsigned long)fd_inode(lfd));
	kv("aino", "%lu", (unsigned long)fd_inode(afd));
	kv("client_a", "%d", (int)a);
	kv("fd_a", "%d", fd_a);
	kv("client_b", "%d", (int)b);
	kv("fd_b", "%d", fd_b);
}

/*   ep-abstract  a unix stream listener on the abstract name
 *                "fdshare-test-PID", a child connected and accepted.
 *                pid lfd afd name (without the leading NUL) child cfd */
static void sc_ep_abstract(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char name[64];
	socklen_t len;
	int lfd, afd, cfd;
	pid_t child;

	snprintf(name, sizeof(name), "fdshare-test-%d", (int)getpid());
	memcpy(sa.sun_path + 1, name, strlen(name));
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
	lfd = unix_listener(&sa, len, 4);
	child = unix_client_child(&sa, len, &cfd);
	afd = accept(lfd, NULL, NULL);
	if (afd < 0)
		die("accept");
	kv("pid", "%d", (int)getpid());
	kv("lfd", "%d", lfd);
	kv("afd", "%d", afd);
	kv("name", "%s", name);
	kv("child", "%d", (int)child);
	kv("cfd", "%d", cfd);
}

/* An inet socket of family/type bound to addr (port 0: any). */
static int inet_bound(int family, int type, const char *addr)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int s = socket(family, type, 0);

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		len = sizeof(*a);
		if (inet_pton(AF_INET, addr, &a->sin_addr) != 1)
			die("address %s", addr);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		len = sizeof(*a);
		if (inet_pton(AF_INET6, addr, &a->sin6_addr) != 1)
			die("address %s", addr);
	}
	if (s < 0 || bind(s, (struct sockaddr *)&ss, len) < 0)
		die("bind %s", addr);
	return s;
}

static int local_port(int s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(s, (struct sockaddr *)&ss, &len) < 0)
		die("getsockname");
	return ss.ss_family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
		: ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* Connect s to the address another socket of ours is bound to. */
static void connect_like(int s, int to)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(to, (struct sockaddr *)&ss, &len) < 0 ||
	    connect(s, (struct sockaddr *)&ss, len) < 0)
		die("connect");
}

/* A child that makes a socket like inet_bound and connects it to where
 * `to` is bound; it keeps only that socket; returns its pid, *fd its fd. */
static pid_t inet_client_child(int family, int type, const char *addr, int to, int *fd)
{
	int p[2], s;
	pid_t child;

	sync_pipe(p);
	child = fork_child();
	if (child == 0) {
		int keep[2] = { p[1], to };
		close_except(keep, 2);
		s = inet_bound(family, type, addr);
		connect_like(s, to);
		close(to);
		sync_signal(p, s);
		child_wait();
	}
	*fd = sync_wait(p, "inet client");
	return child;
}

/* Wait (5 s at most) until TCP listener l has n connections not accepted. */
static void wait_backlog(int l, unsigned n)
{
	struct tcp_info ti;
	socklen_t len;
	int i;

	for (i = 0; i < 500; i++) {
		len = sizeof(ti);
		if (getsockopt(l, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 && ti.tcpi_unacked == n)
			return;
		usleep(10000);
	}
	errno = ETIMEDOUT;
	die("wait for %u pending connections", n);
}

/*   ep-tcp       a TCP listener on 127.0.0.1 (backlog 8), inherited by a
 *                forked child that keeps it; a client child connected and
 *                accepted here; a second client child waiting in the
 *                backlog.  parent lchild lfd port backlog=8 client cfd afd
 *                pclient pfd */
static void sc_ep_tcp(void)
{
	int lfd, afd, cfd, pfd, p[2];
	pid_t lchild, client, pclient;

	lfd = inet_bound(AF_INET, SOCK_STREAM, "127.0.0.1");
	if (listen(lfd, 8) < 0)
		die("listen");
	sync_pipe(p);
	lchild = fork_child();
	if (lchild == 0) {
		int keep[2] = { p[1], lfd };
		close_except(keep, 2);
		sync_signal(p, 0);
		child_wait();
	}
	sync_wait(p, "ep-tcp listener child");
	client = inet_client_child(AF_INET, SOCK_STREAM, "127.0.0.1", lfd, &cfd);
	afd = accept(lfd, NULL, NULL);
	if (afd < 0)
		die("accept");
	pclient = inet_client_child(AF_INET, SOCK_STREAM, "127.0.0.1", lfd, &pfd);
	wait_backlog(lfd, 1);
	kv("parent", "%d", (int)getpid());
	kv("lchild", "%d", (int)lchild);
	kv("lfd", "%d", lfd);
	kv("port", "%d", local_port(lfd));
	kv("backlog", "%d", 8);
	kv("client", "%d", (int)client);
	kv("cfd", "%d", cfd);
	kv("afd", "%d", afd);
	kv("pclient", "%d", (int)pclient);
	kv("pfd", "%d", pfd);
}

/*   ep-inet6-udp  TCP over ::1: a listener here, a client child, accepted
 *                here; UDP on 127.0.0.1: two sockets connected to each
 *                other (ours ufd, the child's cufd), and an unconnected one
 *                here (sfd) that a second child's socket (c2fd) is
 *                connected to.
 *                parent child lfd6 afd6 cfd6 port6 ufd cufd sfd child2 c2fd */
static void sc_ep_inet6_udp(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int lfd, afd, cfd, ufd, cufd, sfd, c2fd, p[2], q[2];
	pid_t child, child2;

	lfd = inet_bound(AF_INET6, SOCK_STREAM, "::1");
	if (listen(lfd, 4) < 0)
		die("listen ::1");
	ufd = inet_bound(AF_INET, SOCK_DGRAM, "127.0.0.1");
	sync_pipe(p);
	sync_pipe(q);
	child = fork_child();
	if (child == 0) {
		int keep[4] = { p[1], q[1], lfd, ufd };
		close_except(keep, 4);
		cfd = inet_bound(AF_INET6, SOCK_STREAM, "::1");
		connect_like(cfd, lfd);
		cufd = inet_bound(AF_INET, SOCK_DGRAM, "127.0.0.1");
		connect_like(cufd, ufd);
		close(lfd);
		close(ufd);
		{
			int port = local_port(cufd);
			if (write(q[1], &port, sizeof(port)) != sizeof(port))
				_exit(1);
		}
		sync_signal(q, cufd);
		sync_signal(p, cfd);
		child_wait();
	}
	close(q[1]);
	sa.sin_port = htons((unsigned short)read_int(q[0], "ep-inet6-udp udp port"));
	cufd = read_int(q[0], "ep-inet6-udp udp socket");
	close(q[0]);
	cfd = sync_wait(p, "ep-inet6-udp client");
	if (connect(ufd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("connect udp");
	afd = accept(lfd, NULL, NULL);
	if (afd < 0)
		die("accept ::1");
	sfd = inet_bound(AF_INET, SOCK_DGRAM, "127.0.0.1");
	child2 = inet_client_child(AF_INET, SOCK_DGRAM, "127.0.0.1", sfd, &c2fd);
	kv("parent", "%d", (int)getpid());
	kv("child", "%d", (int)child);
	kv("lfd6", "%d", lfd);
	kv("afd6", "%d", afd);
	kv("cfd6", "%d", cfd);
	kv("port6", "%d", local_port(lfd));
	kv("ufd", "%d", ufd);
	kv("uport", "%d", local_port(ufd));
	kv("cufd", "%d", cufd);
	kv("sfd", "%d", sfd);
	kv("child2", "%d", (int)child2);
	kv("c2fd", "%d", c2fd);
}

/* This process's eventfd-id of fd (fdinfo), or -1. */
static long long eventfd_id(int fd)
{
	char path[64], line[256];
	long long id = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	if (!(f = fopen(path, "re")))
		die("%s", path);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "eventfd-id: %lld", &id) == 1)
			break;
	fclose(f);
	return id;
}

static void epoll_add(int ep, int fd, unsigned events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		die("epoll_ctl %d", fd);
}

/*   ep-epoll     an epoll fd watching a pipe's read end and an eventfd
 *                (count 3) that a child holds too; and a third target
 *                registered under fd number stale, since closed (its file
 *                lives on as fd kept).
 *                pid epfd rfd wfd efd count=3 id child stale kept */
static void sc_ep_epoll(void)
{
	int ep, pp[2], efd, p[2], stale[2], kept;
	pid_t child;

	if (pipe(pp) < 0 || (efd = eventfd(3, 0)) < 0 || (ep = epoll_create1(0)) < 0)
		die("pipe/eventfd/epoll");
	epoll_add(ep, pp[0], EPOLLIN);
	epoll_add(ep, efd, EPOLLIN);
	sync_pipe(p);
	child = fork_child();
	if (child == 0) {
		int keep[2] = { p[1], efd };
		close_except(keep, 2);
		sync_signal(p, 0);
		child_wait();
	}
	sync_wait(p, "ep-epoll child");
	if (pipe(stale) < 0)
		die("pipe");
	epoll_add(ep, stale[0], EPOLLIN);
	kept = dup(stale[0]);
	if (kept < 0)
		die("dup");
	close(stale[0]);
	kv("pid", "%d", (int)getpid());
	kv("epfd", "%d", ep);
	kv("rfd", "%d", pp[0]);
	kv("wfd", "%d", pp[1]);
	kv("efd", "%d", efd);
	kv("count", "%d", 3);
	kv("id", "%lld", eventfd_id(efd));
	kv("child", "%d", (int)child);
	kv("stale", "%d", stale[0]);
	kv("kept", "%d", kept);
}

/*   ep-anon      a signalfd for SIGUSR1|SIGUSR2, a timerfd on
 *                CLOCK_MONOTONIC due in 100 s every 5 s, an idle timerfd on
 *                CLOCK_REALTIME, an inotify fd watching the temp dir.
 *                pid sfd tfd idle ifd dir_ino */
static void sc_ep_anon(void)
{
	struct itimerspec its = { .it_value = { 100, 0 }, .it_interval = { 5, 0 } };
	sigset_t set;
	struct stat st;
	int sfd, tfd, idle, ifd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sfd = signalfd(-1, &set, 0);
	tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	idle = timerfd_create(CLOCK_REALTIME, 0);
	ifd = inotify_init1(0);
	if (sfd < 0 || tfd < 0 || idle < 0 || ifd < 0 || timerfd_settime(tfd, 0, &its, NULL) < 0)
		die("signalfd/timerfd/inotify");
	if (inotify_add_watch(ifd, tmpdir, IN_CREATE | IN_DELETE) < 0 || stat(tmpdir, &st) < 0)
		die("inotify_add_watch %s", tmpdir);
	kv("pid", "%d", (int)getpid());
	kv("sfd", "%d", sfd);
	kv("tfd", "%d", tfd);
	kv("idle", "%d", idle);
	kv("ifd", "%d", ifd);
	kv("dir_ino", "%lu", (unsigned long)st.st_ino);
}

/* ---- ep-pidfd: a pidfd of a child that ends on SIGUSR1 and is reaped on
 * SIGUSR2 ---- */

static pid_t pidfd_child;
static volatile sig_atomic_t pidfd_step;   /* 1: kill it, 2: reap it */

static void on_pidfd_signal(int sig)
{
	pidfd_step = sig == SIGUSR1 ? 1 : 2;
}

/*   ep-pidfd     a pidfd of a live child.  SIGUSR1: we kill the child and
 *                leave it a zombie; SIGUSR2: we reap it (test with kill -0).
 *                pid pfd child */
static void sc_ep_pidfd(void)
{
	struct sigaction sa;
	int pfd;

	pidfd_child = fork_child();
	if (pidfd_child == 0)
		child_wait();
	pfd = (int)syscall(SYS_pidfd_open, pidfd_child, 0);
	if (pfd < 0)
		die("pidfd_open");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_pidfd_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	kv("pid", "%d", (int)getpid());
	kv("pfd", "%d", pfd);
	kv("child", "%d", (int)pidfd_child);
}

static void ep_pidfd_tick(void)
{
	static int done;

	if (pidfd_step >= 1 && done < 1) {
		kill(pidfd_child, SIGKILL);
		done = 1;
	}
	if (pidfd_step >= 2 && done < 2) {
		reap_child(pidfd_child);
		done = 2;
	}
}

/* ---- network namespaces ---- */

static void loopback_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		die("SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		die("SIOCSIFFLAGS lo");
	close(s);
}

/* A listener on 127.0.0.1:port (0: any), a client connected to it and the
 * accepted socket: fds[0..2]. */
static void tcp_trio(int port, int fds[3])
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				  .sin_port = htons((unsigned short)port) };
	int one = 1;

	fds[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (fds[0] < 0 || setsockopt(fds[0], SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fds[0], (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fds[0], 4) < 0)
		die("listen on 127.0.0.1:%d", port);
	fds[1] = inet_bound(AF_INET, SOCK_STREAM, "127.0.0.1");
	connect_like(fds[1], fds[0]);
	fds[2] = accept(fds[0], NULL, NULL);
	if (fds[2] < 0)
		die("accept");
}

/* The inode of this process's network namespace. */
static unsigned long netns_ino(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	if (stat(path, &st) < 0)
		die("stat %s", path);
	return (unsigned long)st.st_ino;
}

/*   ep-netns     (root) we move to a network namespace of our own and
 *                make a listener on 127.0.0.1:port, a client and the
 *                accepted socket; a child moves on to another namespace and
 *                makes the same trio on the same port number, and a
 *                socketpair.  Nothing is left in the caller's namespace.
 *                pid lfd cfd afd port child nlfd ncfd nafd spfd0 spfd1
 *                netns child_netns */
static void sc_ep_netns(void)
{
	int here[3], there[5], p[2], i, port;
	pid_t child;

	if (unshare(CLONE_NEWNET) < 0)
		die("unshare(CLONE_NEWNET)");
	loopback_up();
	tcp_trio(0, here);
	port = local_port(here[0]);
	sync_pipe(p);
	child = fork_child();
	if (child == 0) {
		close_except(&p[1], 1);
		if (unshare(CLONE_NEWNET) < 0)
			die("unshare(CLONE_NEWNET)");
		loopback_up();
		tcp_trio(port, there);
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, there + 3) < 0)
			die("socketpair");
		for (i = 0; i < 5; i++)
			if (write(p[1], &there[i], sizeof(int)) != sizeof(int))
				_exit(1);
		close(p[1]);
		child_wait();
	}
	close(p[1]);
	for (i = 0; i < 5; i++)
		there[i] = read_int(p[0], "ep-netns child");
	close(p[0]);
	kv("pid", "%d", (int)getpid());
	kv("lfd", "%d", here[0]);
	kv("cfd", "%d", here[1]);
	kv("afd", "%d", here[2]);
	kv("port", "%d", port);
	kv("child", "%d", (int)child);
	kv("nlfd", "%d", there[0]);
	kv("ncfd", "%d", there[1]);
	kv("nafd", "%d", there[2]);
	kv("spfd0", "%d", there[3]);
	kv("spfd1", "%d", there[4]);
	kv("netns", "%lu", netns_ino(getpid()));
	kv("child_netns", "%lu", netns_ino(child));
}

/*   ep-userns    for an unprivileged run: a pipe to a child and a
 *                socketpair across the fork (both in our network
 *                namespace), and a second child in a user and network
 *                namespace of its own (unshare -Urn, allowed to anyone
 *                here) holding a socketpair there.
 *                pid child wfd rfd spfd cspfd nschild nsfd0 nsfd1 */
static void sc_ep_userns(void)
{
	int pp[2], sv[2], p[2], nsfd[2], i;
	pid_t child, nschild;

	if (pipe(pp) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("pipe/socketpair");
	sync_pipe(p);
	child = fork_child();
	if (child == 0) {
		int keep[3] = { p[1], pp[0], sv[1] };
		close_except(keep, 3);
		sync_signal(p, 0);
		child_wait();
	}
	sync_wait(p, "ep-userns child");
	close(pp[0]);
	close(sv[1]);
	sync_pipe(p);
	nschild = fork_child();
	if (nschild == 0) {
		close_except(&p[1], 1);
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
			die("unshare(CLONE_NEWUSER|CLONE_NEWNET)");
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, nsfd) < 0)
			die("socketpair");
		for (i = 0; i < 2; i++)
			if (write(p[1], &nsfd[i], sizeof(int)) != sizeof(int))
				_exit(1);
		close(p[1]);
		child_wait();
	}
	close(p[1]);
	for (i = 0; i < 2; i++)
		nsfd[i] = read_int(p[0], "ep-userns namespace child");
	close(p[0]);
	kv("pid", "%d", (int)getpid());
	kv("child", "%d", (int)child);
	kv("wfd", "%d", pp[1]);
	kv("rfd", "%d", pp[0]);
	kv("spfd", "%d", sv[0]);
	kv("cspfd", "%d", sv[1]);
	kv("nschild", "%d", (int)nschild);
	kv("nsfd0", "%d", nsfd[0]);
	kv("nsfd1", "%d", nsfd[1]);
}

/* ---- findings: each trigger and its twin (tests/cases/6x-*.sh) ---- */

/* The first line of /proc/PID/NAME, newline dropped, into buf; false when
 * it cannot be read (not yet there, or gone). */
static bool proc_line(pid_t pid, const char *name, char *buf, size_t size)
{
	char path[64];
	bool ok;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	f = fopen(path, "re");
	if (!f)
		return false;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* Wait (5 s at most) until pid is blocked in syscall nr (-1: in any call),
 * as /proc/PID/syscall shows it: a finding about what a process waits on
 * must not race its start. */
static void f_wait_blocked(pid_t pid, long nr, const char *what)
{
	char buf[256];
	long got;
	int i;

	for (i = 0; i < 500; i++) {
		if (proc_line(pid, "syscall", buf, sizeof(buf)) && sscanf(buf, "%ld", &got) == 1 &&
		    got >= 0 && (nr < 0 || got == nr) && proc_state(pid, NULL) == 'S')
			return;
		usleep(10000);
	}
	errno = ETIMEDOUT;
	die("%s: %d never blocked in syscall %ld", what, (int)pid, nr);
}

/* A child of a child: dies with its parent, which must reap it. */
static pid_t f_fork_sub(void)
{
	pid_t parent = getpid(), pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		_exit(1);
	if (pid == 0 && (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent))
		_exit(1);
	return pid;
}

static void f_send(int p[2], const int *v, size_t n)
{
	if (write(p[1], v, n * sizeof(*v)) != (ssize_t)(n * sizeof(*v)))
		_exit(1);
	close(p[1]);
}

static void f_recv(int p[2], int *v, size_t n, const char *what)
{
	ssize_t got;

	close(p[1]);
	do
		got = read(p[0], v, n * sizeof(*v));
	while (got < 0 && errno == EINTR);
	if (got != (ssize_t)(n * sizeof(*v))) {
		errno = EPIPE;
		die("%s: child failed", what);
	}
	close(p[0]);
}

/* A child that execs program (a name looked up in PATH, or a path) as
 * "program infinity", keeping what it inherited. */
static pid_t run_sleep_program(const char *program)
{
	char *const argv[] = { (char *)program, "infinity", NULL };
	int p[2];
	pid_t child;

	sync_pipe(p);
	child = fork_child();
	if (child == 0)
		exec_or_report(p, argv);
	exec_wait(p, program);
	return child;
}

/* A child that execs "sleep infinity" keeping what it inherited. */
static pid_t f_exec_sleep(void)
{
	return run_sleep_program("sleep");
}

/*   f-exec-leak  a file opened without O_CLOEXEC, then fork and exec of
 *                sleep: the child keeps the fd.   parent child fd path */
static void sc_f_exec_leak(void)
{
	char path[4200];
	int fd;
	pid_t child;

	make_file(path, sizeof(path), "leak.txt", 64);
	fd = open_or_die(path, O_RDONLY);
	child = f_exec_sleep();
	kv("parent", "%d", (int)getpid());
	kv("child", "%d", (int)child);
	kv("fd", "%d", fd);
	kv("path", "%s", path);
}

/*   f-exec-leak-cloexec  its twins: a file opened with O_CLOEXEC before
 *                fork and exec of sleep (gone in the child), and one
 *                without it shared with a forked child that runs on as the
 *                same program; stdio is shared with both.
 *                parent execer forker fd_cloexec fd_plain */
static void sc_f_exec_leak_cloexec(void)
{
	char path[4200];
	int fd_c, fd_p;
	pid_t execer, forker;

	make_file(path, sizeof(path), "noleak.txt", 64);
	fd_c = open_or_die(path, O_RDONLY | O_CLOEXEC);
	execer = f_exec_sleep();
	fd_p = open_or_die(path, O_RDONLY);
	forker = fork_child();
	if (forker == 0)
		child_wait();
	kv("parent", "%d", (int)getpid());
	kv("execer", "%d", (int)execer);
	kv("forker", "%d", (int)forker);
	kv("fd_cloexec", "%d", fd_c);
	kv("fd_plain", "%d", fd_p);
}

/*   f-listener-leak  a forking server: a child creates a TCP listener,
 *                forks a handler that keeps it and never accepts (blocked
 *                in pause), and accepts on it.  We do not hold it.
 *                server handler lfd port inode */
static void sc_f_listener_leak(void)
{
	int p[2], v[4];
	pid_t server, handler;

	sync_pipe(p);
	server = fork_child();
	if (server == 0) {
		close(p[0]);
		v[1] = tcp_listener(&v[2]);
		handler = f_fork_sub();
		if (handler == 0) {
			close(p[1]);
			child_wait();
		}
		v[0] = (int)handler;
		v[3] = (int)fd_inode(v[1]);
		f_send(p, v, 4);
		for (;;)
			close(accept(v[1], NULL, NULL));
	}
	f_recv(p, v, 4, "f-listener-leak");
	f_wait_blocked(server, -1, "server");
	f_wait_blocked(v[0], -1, "handler");
	kv("server", "%d", (int)server);
	kv("handler", "%d", v[0]);
	kv("lfd", "%d", v[1]);
	kv("port", "%d", v[2]);
	kv("inode", "%u", (unsigned)v[3]);
}

/* A prefork worker: accepts on lfd, or sits in epoll_wait with lfd watched. */
__attribute__((noreturn))
static void f_worker(int lfd, bool use_epoll)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = lfd };
	int ep;

	if (!use_epoll)
		for (;;)
			close(accept(lfd, NULL, NULL));
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0)
		_exit(1);
	for (;;)
		if (epoll_wait(ep, &ev, 1, -1) > 0)
			close(accept(lfd, NULL, NULL));
}

/*   f-prefork    its twin: we listen and keep the socket (the master); two
 *                workers accept on it, one waits in epoll_wait with it
 *                registered, one is busy (pause: handling a request).
 *                parent workers=A,B epoller busy lfd port */
static void sc_f_prefork(void)
{
	int lfd, port, i;
	pid_t w[4];

	lfd = tcp_listener(&port);
	for (i = 0; i < 4; i++) {
		w[i] = fork_child();
		if (w[i] == 0) {
			if (i == 3)
				child_wait();
			f_worker(lfd, i == 2);
		}
	}
	for (i = 0; i < 4; i++)
		f_wait_blocked(w[i], -1, "worker");
	kv("parent", "%d", (int)getpid());
	kv("workers", "%d,%d", (int)w[0], (int)w[1]);
	kv("epoller", "%d", (int)w[2]);
	kv("busy", "%d", (int)w[3]);
	kv("lfd", "%d", lfd);
	kv("port", "%d", port);
}

/*   f-prefork-busy  its twin at its limit: we listen and keep the socket
 *                (the master, which leaves accepting to its workers); both
 *                workers are busy (pause: each handling a request), none
 *                waits on the listener.   parent workers=A,B lfd port */
static void sc_f_prefork_busy(void)
{
	int lfd, port, i;
	pid_t w[2];

	lfd = tcp_listener(&port);
	for (i = 0; i < 2; i++) {
		w[i] = fork_child();
		if (w[i] == 0)
			child_wait();
	}
	for (i = 0; i < 2; i++)
		f_wait_blocked(w[i], -1, "worker");
	kv("parent", "%d", (int)getpid());
	kv("workers", "%d,%d", (int)w[0], (int)w[1]);
	kv("lfd", "%d", lfd);
	kv("port", "%d", port);
}

/*   f-listener-handover  socket activation: we listen and keep the socket
 *                (as systemd does) without accepting; a child gets it on
 *                another number (dup2, its own closed) and runs a service
 *                that has not come to accept yet (sleep).
 *                service lfd sfd port */
static void sc_f_listener_handover(void)
{
	char *const argv[] = { "sleep", "infinity", NULL };
	int lfd, sfd, port, p[2];
	pid_t service;

	lfd = tcp_listener(&port);
	sfd = lfd + 7;
	sync_pipe(p);
	service = fork_child();
	if (service == 0) {
		if (dup2(lfd, sfd) != sfd)
			_exit(1);
		close(lfd);
		exec_or_report(p, argv);
	}
	exec_wait(p, "sleep");
	f_wait_blocked(service, -1, "service");
	kv("service", "%d", (int)service);
	kv("lfd", "%d", lfd);
	kv("sfd", "%d", sfd);
	kv("port", "%d", port);
}

/* A child running cat on the read end of pp as its stdin; it keeps the
 * write end too when keep_write. */
static pid_t f_cat_reader(int pp[2], bool keep_write)
{
	char *const argv[] = { "cat", NULL };
	int p[2];
	pid_t child;

	sync_pipe(p);
	child = fork_child();
	if (child == 0) {
		if (dup2(pp[0], 0) != 0)
			_exit(1);
		close(pp[0]);
		if (!keep_write)
			close(pp[1]);
		exec_or_report(p, argv);
	}
	exec_wait(p, "cat");
	f_wait_blocked(child, SYS_read, "cat");
	return child;
}

/*   f-pipe-kept-write  cat reads a pipe until EOF but kept its write end
 *                (the child forgot close(p[1])); we closed both ends.
 *                reader rfd=0 wfd inode */
static void sc_f_pipe_kept_write(void)
{
	int pp[2];
	pid_t reader;

	if (pipe(pp) < 0)
		die("pipe");
	reader = f_cat_reader(pp, true);
	kv("reader", "%d", (int)reader);
	kv("rfd", "%d", 0);
	kv("wfd", "%d", pp[1]);
	kv("inode", "%lu", (unsigned long)fd_inode(pp[1]));
	close(pp[0]);
	close(pp[1]);
}

/*   f-pipe-wait  a child runs cat on a pipe, keeps the write end and waits
 *                for cat to end (waitpid): neither can go on.
 *                writer reader wfd inode */
static void sc_f_pipe_wait(void)
{
	char *const argv[] = { "cat", NULL };
	int p[2], pp[2], v[3];
	pid_t writer, reader;

	sync_pipe(p);
	writer = fork_child();
	if (writer == 0) {
		close(p[0]);
		if (pipe(pp) < 0)
			_exit(1);
		reader = f_fork_sub();
		if (reader == 0) {
			close(p[1]);
			if (dup2(pp[0], 0) != 0)
				_exit(1);
			close(pp[0]);
			close(pp[1]);
			execvp(argv[0], argv);
			_exit(127);
		}
		close(pp[0]);
		v[0] = (int)reader;
		v[1] = pp[1];
		v[2] = (int)fd_inode(pp[1]);
		f_send(p, v, 3);
		while (waitpid(reader, NULL, 0) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	f_recv(p, v, 3, "f-pipe-wait");
	f_wait_blocked(v[0], SYS_read, "cat");
	f_wait_blocked(writer, -1, "writer");
	kv("writer", "%d", (int)writer);
	kv("reader", "%d", v[0]);
	kv("wfd", "%d", v[1]);
	kv("inode", "%u", (unsigned)v[2]);
}

/*   f-pipe-sibling-wait  the twin of f-pipe-wait: cat reads a pipe whose
 *                write end is held by its sibling, which waits for a child
 *                of its own (that may end, and the sibling write or close):
 *                EOF can still come.  We closed both ends.
 *                writer reader inode */
static void sc_f_pipe_sibling_wait(void)
{
	int pp[2];
	pid_t reader, writer;

	if (pipe(pp) < 0)
		die("pipe");
	reader = f_cat_reader(pp, false);
	writer = fork_child();
	if (writer == 0) {
		pid_t sub;
		close(pp[0]);
		sub = f_fork_sub();
		if (sub == 0) {
			close(pp[1]);
			child_wait();
		}
		while (waitpid(sub, NULL, 0) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	f_wait_blocked(writer, -1, "writer");
	kv("writer", "%d", (int)writer);
	kv("reader", "%d", (int)reader);
	kv("inode", "%lu", (unsigned long)fd_inode(pp[1]));
	close(pp[0]);
	close(pp[1]);
}

/* cat reads a pipe (keeping its write end when keep_write); we keep the
 * write end too (a producer, not waiting for cat). */
static void f_pipe_producer(bool keep_write)
{
	int pp[2];
	pid_t reader;

	if (pipe(pp) < 0)
		die("pipe");
	reader = f_cat_reader(pp, keep_write);
	close(pp[0]);
	kv("parent", "%d", (int)getpid());
	kv("reader", "%d", (int)reader);
	kv("rfd", "%d", 0);
	kv("wfd", "%d", pp[1]);
	kv("inode", "%lu", (unsigned long)fd_inode(pp[1]));
}

/*   f-pipe-ok    its twins: cat reads a pipe whose write end it closed; we
 *                keep the write end (a producer, not waiting for cat).
 *                parent reader rfd=0 wfd inode */
static void sc_f_pipe_ok(void)
{
	f_pipe_producer(false);
}

/* A file opened with flags, written through ("parent" and a newline: 7
 * bytes), then shared with a forked child. */
static void f_writers(int flags)
{
	char path[4200];
	int fd;
	pid_t child;

	temp_path(path, sizeof(path), "out.log");
	fd = open_or_die(path, flags);
	if (write(fd, "parent\n", 7) != 7)
		die("write %s", path);
	child = fork_child();
	if (child == 0)
		child_wait();
	kv("parent", "%d", (int)getpid());
	kv("child", "%d", (int)child);
	kv("fd", "%d", fd);
	kv("path", "%s", path);
}

/*   f-writers    a file opened O_WRONLY without O_APPEND, written, then
 *                fork: two writers share one offset (7).   parent child fd path */
static void sc_f_writers(void)
{
	f_writers(O_WRONLY | O_CREAT | O_TRUNC);
}

/*   f-writers-append  the same with O_APPEND.   parent child fd path */
static void sc_f_writers_append(void)
{
	f_writers(O_WRONLY | O_CREAT | O_APPEND);
}

/*   f-clobber    the seed's race: we open a log O_WRONLY|O_CREAT|O_TRUNC, a
 *                forked child open()s it again (its own description); we
 *                write "parent\n", then the child writes "child\n" at its
 *                own offset 0, over ours: the file holds "child\n\n".
 *                parent child fd cfd path */
static void f_clobber(int flags)
{
	char path[4200];
	int fd, to_child[2], from_child[2], cfd;
	pid_t child;

	temp_path(path, sizeof(path), "app.log");
	fd = open_or_die(path, flags | O_CREAT | O_TRUNC);
	if (pipe2(to_child, O_CLOEXEC) < 0 || pipe2(from_child, O_CLOEXEC) < 0)
		die("pipe");
	child = fork_child();
	if (child == 0) {
		char go;
		close(to_child[1]);
		close(from_child[0]);
		cfd = open(path, flags, 0644);
		if (cfd < 0 || write(from_child[1], &cfd, sizeof(cfd)) != sizeof(cfd) ||
		    read(to_child[0], &go, 1) != 1 || write(cfd, "child\n", 6) != 6 ||
		    write(from_child[1], &cfd, sizeof(cfd)) != sizeof(cfd))
			_exit(1);
		close(to_child[0]);
		close(from_child[1]);
		child_wait();
	}
	close(to_child[0]);
	close(from_child[1]);
	if (read(from_child[0], &cfd, sizeof(cfd)) != sizeof(cfd))
		die("f-clobber: child open");
	if (write(fd, "parent\n", 7) != 7 || write(to_child[1], "w", 1) != 1 ||
	    read(from_child[0], &cfd, sizeof(cfd)) != sizeof(cfd))
		die("f-clobber: writes");
	close(to_child[1]);
	close(from_child[0]);
	kv("parent", "%d", (int)getpid());
	kv("child", "%d", (int)child);
	kv("fd", "%d", fd);
	kv("cfd", "%d", cfd);
	kv("path", "%s", path);
}

static void sc_f_clobber(void)
{
	f_clobber(O_WRONLY);
}

/*   f-clobber-append  its twin: both open it with O_APPEND; every write goes
 *                to the end ("parent\nchild\n").   parent child fd cfd path */
static void sc_f_clobber_append(void)
{
	f_clobber(O_WRONLY | O_APPEND);
}

/* Wait (5 s at most) until pid runs a program named comm. */
static void wait_comm(pid_t pid, const char *comm, const char *what)
{
	char buf[64];
	int i;

	for (i = 0; i < 500; i++) {
		if (proc_line(pid, "comm", buf, sizeof(buf)) && strcmp(buf, comm) == 0)
			return;
		usleep(10000);
	}
	errno = ETIMEDOUT;
	die("%s: %d never ran %s", what, (int)pid, comm);
}

/* In a child that outlives its parent: fork a child that dies with us and
 * execs sleep (keeping what it inherited but the fds of close_fds). */
static pid_t f_sub_sleep(int close_fd)
{
	char *const argv[] = { "sleep", "infinity", NULL };
	pid_t pid = f_fork_sub();

	if (pid == 0) {
		close(close_fd);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/*   f-exec-leak-ended  two chains from a process that has ended: a child
 *                opens a file without O_CLOEXEC, forks two children (this
 *                program, outliving it) and exits; each forks a child that
 *                execs sleep with the fd.
 *                first first_sleep second second_sleep fd path */
static void sc_f_exec_leak_ended(void)
{
	char path[4200];
	int p[2], v[6], rec[3], i, fd;
	pid_t opener, k;

	make_file(path, sizeof(path), "job.out", 16);
	sync_pipe(p);
	opener = fork_child();
	if (opener == 0) {
		close(p[0]);
		fd = open(path, O_WRONLY | O_APPEND);
		if (fd < 0)
			_exit(1);
		for (i = 0; i < 2; i++) {
			k = fork();   /* fork clears PR_SET_PDEATHSIG: it outlives us */
			if (k < 0)
				_exit(1);
			if (k == 0) {
				rec[0] = (int)getpid();
				rec[1] = (int)f_sub_sleep(p[1]);
				rec[2] = fd;
				if (write(p[1], rec, sizeof(rec)) != sizeof(rec))
					_exit(1);
				close(p[1]);
				child_wait();
			}
		}
		_exit(0);
	}
	close(p[1]);
	for (i = 0; i < 2; i++)
		if (read(p[0], rec, sizeof(rec)) != (ssize_t)sizeof(rec))
			die("f-exec-leak-ended: a child failed");
		else
			v[3 * i] = rec[0], v[3 * i + 1] = rec[1], v[3 * i + 2] = rec[2];
	close(p[0]);
	reap_child(opener);
	strays[nstrays++] = v[0];
	strays[nstrays++] = v[3];
	if (v[0] > v[3])
		for (i = 0; i < 3; i++)
			k = v[i], v[i] = v[i + 3], v[i + 3] = k;
	wait_comm(v[1], "sleep", "f-exec-leak-ended");
	wait_comm(v[4], "sleep", "f-exec-leak-ended");
	kv("first", "%d", v[0]);
	kv("first_sleep", "%d", v[1]);
	kv("second", "%d", v[3]);
	kv("second_sleep", "%d", v[4]);
	kv("fd", "%d", v[2]);
	kv("path", "%s", path);
}

/*   f-listener-upgrade  the twin of f-listener-leak after a binary upgrade:
 *                we listen (the old master, no workers); a forked child
 *                (the new master) keeps the listener and never accepts;
 *                its two children (the workers) wait in epoll_wait with it
 *                registered.   master workers=A,B lfd port */
static void sc_f_listener_upgrade(void)
{
	int lfd, port, p[2], v[2], i;
	pid_t master;

	lfd = tcp_listener(&port);
	sync_pipe(p);
	master = fork_child();
	if (master == 0) {
		close(p[0]);
		for (i = 0; i < 2; i++) {
			v[i] = (int)f_fork_sub();
			if (v[i] == 0) {
				close(p[1]);
				f_worker(lfd, true);
			}
		}
		f_send(p, v, 2);
		child_wait();
	}
	f_recv(p, v, 2, "f-listener-upgrade");
	f_wait_blocked(master, -1, "new master");
	f_wait_blocked(v[0], -1, "worker");
	f_wait_blocked(v[1], -1, "worker");
	kv("master", "%d", (int)master);
	kv("workers", "%d,%d", v[0], v[1]);
	kv("lfd", "%d", lfd);
	kv("port", "%d", port);
}

/*   f-pipe-kept-write-shared  cat reads a pipe until EOF and kept its write
 *                end; we keep a write end too (a producer that may write):
 *                cat still never sees EOF.   parent reader rfd=0 wfd inode */
static void sc_f_pipe_kept_write_shared(void)
{
	f_pipe_producer(true);
}

/*   f-tmpfile-capture  what Debian cron does with a job's output: a child
 *                (cron's) opens an O_TMPFILE file (never linked) in our
 *                temp dir, keeps it, and runs the job (sh -c 'echo ...;
 *                exec sleep') with it as stdout and stderr.
 *                keeper job fd */
static void sc_f_tmpfile_capture(void)
{
	char *const argv[] = { "sh", "-c", "echo job output; exec sleep infinity", NULL };
	int p[2], v[2], fd;
	pid_t keeper, job;

	sync_pipe(p);
	keeper = fork_child();
	if (keeper == 0) {
		close(p[0]);
		fd = open(tmpdir, O_TMPFILE | O_RDWR, 0600);
		if (fd < 0)
			_exit(1);
		job = f_fork_sub();
		if (job == 0) {
			close(p[1]);
			if (dup2(fd, 1) != 1 || dup2(fd, 2) != 2)
				_exit(1);
			close(fd);
			execvp(argv[0], argv);
			_exit(127);
		}
		v[0] = (int)job;
		v[1] = fd;
		f_send(p, v, 2);
		child_wait();
	}
	f_recv(p, v, 2, "f-tmpfile-capture");
	wait_comm(v[0], "sleep", "f-tmpfile-capture");
	kv("keeper", "%d", (int)keeper);
	kv("job", "%d", v[0]);
	kv("fd", "%d", v[1]);
}

/*   inotify-many  one inotify fd with 17 watches (files w01..w17 in our
 *                temp dir): watch descriptors 1..17, printed by the kernel
 *                in hex.   pid fd watches=17 */
static void sc_inotify_many(void)
{
	char path[4200], name[16];
	int fd, i;

	fd = inotify_init1(IN_CLOEXEC);
	if (fd < 0)
		die("inotify_init1");
	for (i = 1; i <= 17; i++) {
		snprintf(name, sizeof(name), "w%02d", i);
		make_file(path, sizeof(path), name, 1);
		if (inotify_add_watch(fd, path, IN_MODIFY) != i)
			die("inotify_add_watch %s", path);
	}
	kv("pid", "%d", (int)getpid());
	kv("fd", "%d", fd);
	kv("watches", "%d", 17);
}

/* Create NAME of size bytes (sparse past the first 4 KiB), unlink it, and
 * return the fd that keeps it. */
static int f_deleted_file(const char *name, off_t size, char *path, size_t cap)
{
	int fd;

	make_file(path, cap, name, 4096);
	fd = open_or_die(path, O_RDWR);
	if (ftruncate(fd, size) < 0 || unlink(path) < 0)
		die("ftruncate/unlink %s", path);
	return fd;
}

/*   f-deleted    two deleted files held open: 4096 bytes, and 2 MiB.
 *                pid fd size=4096 fd_big size_big=2097152 path path_big */
static void sc_f_deleted(void)
{
	char path[4200], big[4200];
	int fd, fd_big;

	fd = f_deleted_file("small.log", 4096, path, sizeof(path));
	fd_big = f_deleted_file("big.log", 2 << 20, big, sizeof(big));
	kv("pid", "%d", (int)getpid());
	kv("fd", "%d", fd);
	kv("size", "%d", 4096);
	kv("fd_big", "%d", fd_big);
	kv("size_big", "%d", 2 << 20);
	kv("path", "%s", path);
	kv("path_big", "%s", big);
}

/*   f-memfd      its twins: a memfd of 4096 bytes, and a plain file that
 *                is not deleted.   pid fd fd_file */
static void sc_f_memfd(void)
{
	char path[4200], buf[4096];
	int fd, fd_file;

	memset(buf, 'm', sizeof(buf));
	fd = memfd_create("cache", MFD_CLOEXEC);
	if (fd < 0 || write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
		die("memfd_create");
	make_file(path, sizeof(path), "kept.txt", 64);
	fd_file = open_or_die(path, O_RDONLY);
	kv("pid", "%d", (int)getpid());
	kv("fd", "%d", fd);
	kv("fd_file", "%d", fd_file);
}

/* A child with a soft RLIMIT_NOFILE of limit and exactly nfds fds open. */
static pid_t f_fds_child(int limit, int nfds)
{
	struct rlimit rl;
	int p[2], n;
	pid_t child;

	sync_pipe(p);
	child = fork_child();
	if (child == 0) {
		close(p[0]);
		close_except(&p[1], 1);
		if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
			_exit(1);
		rl.rlim_cur = (rlim_t)limit;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			_exit(1);
		/* 0, 1, 2 and p[1] are open; p[1] closes once we signal */
		for (n = 4; n <= nfds; n++)
			if (open("/dev/null", O_RDONLY) < 0)
				_exit(1);
		sync_signal(p, 0);
		child_wait();
	}
	sync_wait(p, "f-fd-limit");
	return child;
}

/*   f-fd-limit   three children with a soft RLIMIT_NOFILE of 20: 17 fds
 *                open (85 %), 19 (95 %), 5 (25 %).   warn crit ok limit=20 */
static void sc_f_fd_limit(void)
{
	kv("warn", "%d", (int)f_fds_child(20, 17));
	kv("crit", "%d", (int)f_fds_child(20, 19));
	kv("ok", "%d", (int)f_fds_child(20, 5));
	kv("limit", "%d", 20);
}

/* A pipe whose read end has O_NONBLOCK, shared with a child as its stdin. */
static void f_nonblock(bool exec_sleep)
{
	char *const argv[] = { "sleep", "infinity", NULL };
	int pp[2], p[2];
	pid_t child;

	if (pipe(pp) < 0 || fcntl(pp[0], F_SETFL, O_NONBLOCK) < 0)
		die("pipe");
	sync_pipe(p);
	child = fork_child();
	if (child == 0) {
		if (dup2(pp[0], 0) != 0)
			_exit(1);
		close(pp[0]);
		close(pp[1]);
		if (exec_sleep)
			exec_or_report(p, argv);
		close(p[0]);
		sync_signal(p, 0);
		child_wait();
	}
	if (exec_sleep)
		exec_wait(p, "f-nonblock");
	else
		sync_wait(p, "f-nonblock-same");
	kv("parent", "%d", (int)getpid());
	kv("child", "%d", (int)child);
	kv("fd", "%d", pp[0]);
	kv("inode", "%lu", (unsigned long)fd_inode(pp[0]));
}

/*   f-nonblock   a non-blocking pipe read end we keep, and a child that has
 *                it as stdin and execs sleep.   parent child fd inode */
static void sc_f_nonblock(void)
{
	f_nonblock(true);
}

/*   f-nonblock-same  its twin: the child stays the same program.
 *                parent child fd inode */
static void sc_f_nonblock_same(void)
{
	f_nonblock(false);
}

/*   f-zombie-name  a child named 'z"q\b' + newline + 'n' (a quote, a
 *                backslash, a newline) leaves one child unreaped: labels
 *                and names must be escaped in every output.
 *                parent zombie comm_hex */
static void sc_f_zombie_name(void)
{
	static const char comm[] = "z\"q\\b\nn";
	int p[2], v[1];
	pid_t parent, zombie;

	sync_pipe(p);
	parent = fork_child();
	if (parent == 0) {
		close(p[0]);
		/* an inherited SIG_IGN would let the kernel reap it */
		signal(SIGCHLD, SIG_DFL);
		if (prctl(PR_SET_NAME, comm) < 0)
			_exit(1);
		zombie = f_fork_sub();
		if (zombie == 0) {
			prctl(PR_SET_NAME, "zombie");   /* a name /proc/PID/stat reads back */
			_exit(0);
		}
		v[0] = (int)zombie;
		f_send(p, v, 1);
		child_wait();
	}
	f_recv(p, v, 1, "f-zombie-name");
	wait_state(v[0], 'Z', "f-zombie-name");
	kv("parent", "%d", (int)parent);
	kv("zombie", "%d", v[0]);
	kv_hex("comm_hex", comm);
}

/* ---- locks (tests/cases/7x-locks-*.sh) ---- */

static void l_flock(int fd, int op)
{
	if (flock(fd, op) < 0)
		die("flock %d", fd);
}

/* fcntl lock of [start, start+len) (len 0: to EOF) through fd, cmd F_SETLK,
 * F_SETLKW, F_OFD_SETLK or F_OFD_SETLKW. */
static void l_fcntl(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };

	if (fcntl(fd, cmd, &fl) < 0)
		die("fcntl lock on fd %d", fd);
}

/* Fork a child that keeps what we hold; print parent= and child=. */
static void l_fork_keeper(void)
{
	pid_t child;

	if ((child = fork_child()) == 0)
		child_wait();
	kv("parent", "%d", (int)getpid());
	kv("child", "%d", (int)child);
}

static void l_file(char *path, size_t size, const char *name, int *fd, int flags)
{
	make_file(path, size, name, 64);
	*fd = open_or_die(path, flags);
	kv("path", "%s", path);
	kv("ino", "%llu", (unsigned long long)fd_inode(*fd));
}

/*   l-flock-fork  we take a flock (LOCK_EX) on a file, then fork two workers
 *                that keep the fd (prefork): one description, one lock, on
 *                three fds.   parent workers=A,B fd path ino */
static void sc_l_flock_fork(void)
{
	char path[4200];
	pid_t w[2];
	int fd, i;

	l_file(path, sizeof(path), "flock.lock", &fd, O_RDWR);
	l_flock(fd, LOCK_EX);
	for (i = 0; i < 2; i++)
		if ((w[i] = fork_child()) == 0)
			child_wait();
	kv("parent", "%d", (int)getpid());
	kv("workers", "%d,%d", (int)w[0], (int)w[1]);
	kv("fd", "%d", fd);
}

/*   l-posix-fork  a POSIX write lock on bytes 0-9 through fd, a second open
 *                of the file as fd2, then fork: the child inherits both fds
 *                but not the lock.   parent child fd fd2 path ino */
static void sc_l_posix_fork(void)
{
	char path[4200];
	int fd, fd2;

	l_file(path, sizeof(path), "posix.lock", &fd, O_RDWR);
	l_fcntl(fd, F_SETLK, F_WRLCK, 0, 10);
	fd2 = open_or_die(path, O_RDONLY);
	l_fork_keeper();
	kv("fd", "%d", fd);
	kv("fd2", "%d", fd2);
}

/*   l-ofd-dup    an OFD read lock from byte 10 to EOF through fd, dupfd =
 *                dup(fd), fd2 a separate open, then fork: the lock is on fd
 *                and dupfd in both processes, never on fd2.
 *                parent child fd dupfd fd2 path ino */
static void sc_l_ofd_dup(void)
{
	char path[4200];
	int fd, dupfd, fd2;

	l_file(path, sizeof(path), "ofd.lock", &fd, O_RDWR);
	l_fcntl(fd, F_OFD_SETLK, F_RDLCK, 10, 0);
	if ((dupfd = dup(fd)) < 0)
		die("dup");
	fd2 = open_or_die(path, O_RDONLY);
	l_fork_keeper();
	kv("fd", "%d", fd);
	kv("dupfd", "%d", dupfd);
	kv("fd2", "%d", fd2);
}

/*   l-lease      a read lease (F_SETLEASE) through fd, then fork: the lease
 *                belongs to the description, on the fd of both.
 *                parent child fd path ino */
static void sc_l_lease(void)
{
	char path[4200];
	int fd;

	l_file(path, sizeof(path), "lease.dat", &fd, O_RDONLY);
	if (fcntl(fd, F_SETLEASE, F_RDLCK) < 0)
		die("F_SETLEASE");
	l_fork_keeper();
	kv("fd", "%d", fd);
}

/*   l-mixed      every lock an fd can show, for the two sources to agree on
 *                (tests/cases/120-source-compare.sh): a shared flock through
 *                fd, kept by a forked child (one description, two processes;
 *                the child's fd shows our pid); POSIX read 5-14 and write
 *                from 20 to EOF through pfd, dup'ed as pdup (one table, both
 *                fds show them); a second process opens that file itself and
 *                takes a POSIX write lock on 0-3: its lock is on its own
 *                fd, never on ours, ours never on its; 20 POSIX ranges
 *                through mfd (more than one record carries: read from
 *                fdinfo); on a file where that other process holds 70
 *                ranges, our lockless fd lfd (a list longer than the
 *                iterator walks).
 *                parent child other fd pfd pdup ofd mfd lfd */
static void sc_l_mixed(void)
{
	char path[4200], ppath[4200], mpath[4200], lpath[4200];
	int fd, pfd, pdup, mfd, lfd, p[2], i;
	pid_t child, other;

	make_file(path, sizeof(path), "mixed.flock", 64);
	make_file(ppath, sizeof(ppath), "mixed.posix", 64);
	make_file(mpath, sizeof(mpath), "mixed.many", 256);
	make_file(lpath, sizeof(lpath), "mixed.long", 256);
	fd = open_or_die(path, O_RDONLY);
	l_flock(fd, LOCK_SH);
	pfd = open_or_die(ppath, O_RDWR);
	l_fcntl(pfd, F_SETLK, F_RDLCK, 5, 10);
	l_fcntl(pfd, F_SETLK, F_WRLCK, 20, 0);
	if ((pdup = dup(pfd)) < 0)
		die("dup");
	mfd = open_or_die(mpath, O_RDWR);
	for (i = 0; i < 20; i++)
		l_fcntl(mfd, F_SETLK, i % 2 ? F_RDLCK : F_WRLCK, i * 4, 2);
	lfd = open_or_die(lpath, O_RDONLY);
	if ((child = fork_child()) == 0)
		child_wait();
	sync_pipe(p);
	if ((other = fork_child()) == 0) {
		int o = open(ppath, O_RDWR | O_CLOEXEC), l = open(lpath, O_RDWR | O_CLOEXEC);
		if (o < 0 || l < 0)
			_exit(1);
		l_fcntl(o, F_SETLK, F_WRLCK, 0, 4);
		for (i = 0; i < 70; i++)
			l_fcntl(l, F_SETLK, F_WRLCK, i * 3, 1);
		sync_signal(p, o);
		child_wait();
	}
	sync_wait(p, "l-mixed other");
	kv("parent", "%d", (int)getpid());
	kv("child", "%d", (int)child);
	kv("other", "%d", (int)other);
	kv("fd", "%d", fd);
	kv("pfd", "%d", pfd);
	kv("pdup", "%d", pdup);
	kv("mfd", "%d", mfd);
	kv("lfd", "%d", lfd);
}

/* A child that opens path, takes a lock with lock(fd), reports the fd and
 * sleeps (or, for a waiter, reports first and then blocks in lock(fd)). */
static pid_t l_child(const char *path, void (*lock)(int fd), bool report_first, int *fd)
{
	int p[2];
	pid_t pid;

	sync_pipe(p);
	if ((pid = fork_child()) == 0) {
		int f = open(path, O_RDWR | O_CLOEXEC);
		if (f < 0)
			_exit(1);
		if (report_first) {
			sync_signal(p, f);
			lock(f);
		} else {
			lock(f);
			sync_signal(p, f);
		}
		child_wait();
	}
	*fd = sync_wait(p, "lock child");
	return pid;
}

static void l_flock_ex(int fd) { l_flock(fd, LOCK_EX); }
static void l_posix_w(int fd) { l_fcntl(fd, F_SETLK, F_WRLCK, 0, 0); }
static void l_posix_w_wait(int fd) { l_fcntl(fd, F_SETLKW, F_WRLCK, 0, 0); }

/* A holder and a waiter of one file; returns the holder. */
static pid_t l_pair(const char *name, void (*hold)(int), void (*wait)(int), long nr)
{
	char path[4200];
	int hfd, wfd, fd;
	pid_t holder, waiter;

	l_file(path, sizeof(path), name, &fd, O_RDONLY | O_CLOEXEC);
	close(fd);
	holder = l_child(path, hold, false, &hfd);
	waiter = l_child(path, wait, true, &wfd);
	f_wait_blocked(waiter, nr, name);
	kv("holder", "%d", (int)holder);
	kv("waiter", "%d", (int)waiter);
	kv("hfd", "%d", hfd);
	kv("wfd", "%d", wfd);
	return holder;
}

/*   l-waiter     a child holds a flock and sleeps; another opens the file
 *                itself and blocks in flock(LOCK_EX).
 *                holder waiter hfd wfd path ino */
static void sc_l_waiter(void)
{
	l_pair("wait.lock", l_flock_ex, l_flock_ex, SYS_flock);
}

static pid_t l_stopped;
static char l_second_path[4200];

/*   l-wait-stopped  a child holds a POSIX write lock and is stopped
 *                (SIGSTOP); another blocks in fcntl(F_SETLKW) for it.
 *                holder waiter hfd wfd path ino */
static void sc_l_wait_stopped(void)
{
	l_stopped = l_pair("stopped.lock", l_posix_w, l_posix_w_wait, SYS_fcntl);
	if (kill(l_stopped, SIGSTOP) < 0)
		die("SIGSTOP");
	wait_state(l_stopped, 'T', "l-wait-stopped");
}

/* A stopped child would never see the SIGTERM of the end. */
static void l_wait_stopped_end(void)
{
	if (l_stopped > 0)
		kill(l_stopped, SIGCONT);
}

/*   l-wait-chain  c holds a flock on file 2 and is stopped; b holds a flock
 *                on file 1 and waits for file 2; a waits for file 1: a waits
 *                behind b, which waits for the stopped c.
 *                a b c a_fd b_fd1 b_fd2 c_fd path1 path2 */
static void l_take_then_wait(int fd)
{
	int second = open(l_second_path, O_RDWR | O_CLOEXEC);

	l_flock(fd, LOCK_EX);
	if (second < 0 || dup2(second, 20) < 0)
		_exit(1);
	l_flock(20, LOCK_EX);
}

static void sc_l_wait_chain(void)
{
	char p1[4200];
	int a_fd, b_fd, c_fd;
	pid_t a, b, c;

	make_file(p1, sizeof(p1), "first.lock", 8);
	make_file(l_second_path, sizeof(l_second_path), "second.lock", 8);
	c = l_child(l_second_path, l_flock_ex, false, &c_fd);
	b = l_child(p1, l_take_then_wait, true, &b_fd);
	f_wait_blocked(b, SYS_flock, "l-wait-chain b");
	a = l_child(p1, l_flock_ex, true, &a_fd);
	f_wait_blocked(a, SYS_flock, "l-wait-chain a");
	l_stopped = c;
	if (kill(c, SIGSTOP) < 0)
		die("SIGSTOP");
	wait_state(c, 'T', "l-wait-chain");
	kv("a", "%d", (int)a);
	kv("b", "%d", (int)b);
	kv("c", "%d", (int)c);
	kv("a_fd", "%d", a_fd);
	kv("b_fd1", "%d", b_fd);
	kv("b_fd2", "%d", 20);
	kv("c_fd", "%d", c_fd);
	kv("path1", "%s", p1);
	kv("path2", "%s", l_second_path);
}

/*   l-deadlock   child a takes a flock on file 1, child b on file 2; then a
 *                asks for file 2 and b for file 1 (each through an open of
 *                its own): both wait forever.
 *                a b path1 path2 a_fd1 a_fd2 b_fd1 b_fd2
 *   l-deadlock-ofd  the same with OFD write locks (F_OFD_SETLK, then
 *                F_OFD_SETLKW): /proc/locks shows those waiters as pid -1. */
static void l_ofd_w(int fd) { l_fcntl(fd, F_OFD_SETLK, F_WRLCK, 0, 0); }
static void l_ofd_w_wait(int fd) { l_fcntl(fd, F_OFD_SETLKW, F_WRLCK, 0, 0); }

static bool l_use_ofd;

static pid_t l_deadlocker(const char *first, const char *second, int go[2], int v[2])
{
	int p[2];
	pid_t pid;
	char c;

	sync_pipe(p);
	if ((pid = fork_child()) == 0) {
		int out[2];
		close(go[1]);
		close(p[0]);
		out[0] = open(first, O_RDWR | O_CLOEXEC);
		out[1] = open(second, O_RDWR | O_CLOEXEC);
		if (out[0] < 0 || out[1] < 0)
			_exit(1);
		(l_use_ofd ? l_ofd_w : l_flock_ex)(out[0]);
		if (write(p[1], out, sizeof(out)) != sizeof(out))
			_exit(1);
		if (read(go[0], &c, 1) != 0)   /* EOF: go */
			_exit(1);
		(l_use_ofd ? l_ofd_w_wait : l_flock_ex)(out[1]);
		child_wait();
	}
	close(p[1]);
	if (read(p[0], v, 2 * sizeof(int)) != 2 * sizeof(int)) {
		errno = EPIPE;
		die("l-deadlock: child failed");
	}
	close(p[0]);
	return pid;
}

static void sc_l_deadlock(void)
{
	char p1[4200], p2[4200];
	int go[2], a_fd[2], b_fd[2];
	pid_t a, b;

	make_file(p1, sizeof(p1), "one.lock", 8);
	make_file(p2, sizeof(p2), "two.lock", 8);
	sync_pipe(go);
	a = l_deadlocker(p1, p2, go, a_fd);
	b = l_deadlocker(p2, p1, go, b_fd);
	close(go[1]);
	close(go[0]);
	f_wait_blocked(a, l_use_ofd ? SYS_fcntl : SYS_flock, "l-deadlock a");
	f_wait_blocked(b, l_use_ofd ? SYS_fcntl : SYS_flock, "l-deadlock b");
	kv("a", "%d", (int)a);
	kv("b", "%d", (int)b);
	kv("path1", "%s", p1);
	kv("path2", "%s", p2);
	kv("a_fd1", "%d", a_fd[0]);
	kv("a_fd2", "%d", a_fd[1]);
	kv("b_fd1", "%d", b_fd[1]);
	kv("b_fd2", "%d", b_fd[0]);
}

static void sc_l_deadlock_ofd(void)
{
	l_use_ofd = true;
	sc_l_deadlock();
}

/*   l-pidfile    a daemon (after setsid) opens its pidfile without
 *                O_CLOEXEC, takes a flock, forks a helper that execs sleep
 *                (keeping the fd) and exits: the helper, adopted by init,
 *                keeps the daemon's lock.   daemon (gone) helper fd path */
static void sc_l_pidfile(void)
{
	char *const argv[] = { "sleep", "infinity", NULL };
	char path[4200], comm[64];
	int p[2], v[2], i;
	pid_t daemon_pid;
	FILE *f;

	make_file(path, sizeof(path), "daemon.pid", 0);
	sync_pipe(p);
	if ((daemon_pid = fork_child()) == 0) {
		int fd;
		close(p[0]);
		if (setsid() < 0 || (fd = open(path, O_RDWR)) < 0 || flock(fd, LOCK_EX) < 0)
			_exit(1);
		v[1] = fd;
		v[0] = (int)fork();
		if (v[0] < 0)
			_exit(1);
		if (v[0] == 0) {
			close(p[1]);
			daemon_stdio();
			execvp(argv[0], argv);
			_exit(127);
		}
		f_send(p, v, 2);
		_exit(0);
	}
	f_recv(p, v, 2, "l-pidfile");
	reap_child(daemon_pid);
	strays[nstrays++] = v[0];
	/* ready once the helper runs sleep */
	for (i = 0; i < 500; i++) {
		snprintf(comm, sizeof(comm), "/proc/%d/comm", v[0]);
		f = fopen(comm, "re");
		if (f && fgets(comm, sizeof(comm), f) && strcmp(comm, "sleep\n") == 0) {
			fclose(f);
			break;
		}
		if (f)
			fclose(f);
		usleep(10000);
	}
	kv("daemon", "%d", (int)daemon_pid);
	kv("helper", "%d", v[0]);
	kv("fd", "%d", v[1]);
	kv("path", "%s", path);
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

/* ---- who keeps it busy: holders besides fds, deleted code, leaks ---- */

/* Copy file from to to (mode 0755). */
static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in = open_or_die(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);

	if (out < 0)
		die("create %s", to);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			die("write %s", to);
	if (n < 0)
		die("read %s", from);
	close(in);
	close(out);
}

static const char *sleep_program(void)
{
	return access("/usr/bin/sleep", X_OK) == 0 ? "/usr/bin/sleep" : "/bin/sleep";
}

/* Map the first page of path with prot, privately, and close the fd. */
static void map_file(const char *path, int prot)
{
	int fd = open_or_die(path, O_RDONLY | O_CLOEXEC);

	if (mmap(NULL, 4096, prot, MAP_PRIVATE, fd, 0) == MAP_FAILED)
		die("mmap %s", path);
	close(fd);
}

/* A child that chdirs to dir (and chroots there when root is set), then waits. */
static pid_t child_in_dir(const char *dir, bool root)
{
	int p[2];
	pid_t child;

	sync_pipe(p);
	child = fork_child();
	if (child == 0) {
		if ((root && chroot(dir) < 0) || chdir(root ? "/" : dir) < 0)
			_exit(1);
		sync_signal(p, 0);
		child_wait();
	}
	sync_wait(p, root ? "chroot child" : "chdir child");
	return child;
}

/*   holders      a directory data/ held five ways, each by a process of its
 *                own: cwd_pid (its cwd), rtd_pid (chroot'ed there), txt_pid
 *                (runs data/prog, a copy of sleep), mem_pid (maps
 *                data/map.bin, no fd), fd_pid (fd on data/file.txt); and a
 *                twin other_pid whose cwd is data-other/ (a name that
 *                begins with data, not under it).
 *                data prog map file fd and the pids */
static void sc_holders(void)
{
	char data[4200], other[4200], prog[4200], map[4200], file[4200];
	int p[2], fd;
	pid_t pid;

	temp_path(data, sizeof(data), "data");
	temp_path(other, sizeof(other), "data-other");
	if (mkdir(data, 0755) < 0 || mkdir(other, 0755) < 0)
		die("mkdir %s", data);
	make_file(map, sizeof(map), "data/map.bin", 4096);
	make_file(file, sizeof(file), "data/file.txt", 64);
	temp_path(prog, sizeof(prog), "data/prog");
	copy_file(sleep_program(), prog);
	kv("cwd_pid", "%d", (int)child_in_dir(data, false));
	kv("rtd_pid", "%d", (int)child_in_dir(data, true));
	kv("other_pid", "%d", (int)child_in_dir(other, false));
	kv("txt_pid", "%d", (int)run_sleep_program(prog));
	sync_pipe(p);
	pid = fork_child();
	if (pid == 0) {
		map_file(map, PROT_READ);
		sync_signal(p, 0);
		child_wait();
	}
	sync_wait(p, "mapping child");
	kv("mem_pid", "%d", (int)pid);
	fd = open_or_die(file, O_RDONLY | O_CLOEXEC);
	kv("fd_pid", "%d", (int)getpid());
	kv("fd", "%d", fd);
	kv("data", "%s", data);
	kv("other", "%s", other);
	kv("prog", "%s", prog);
	kv("map", "%s", map);
	kv("file", "%s", file);
}

/*   f-deleted-mapped  after an "upgrade": child runs a copy of sleep that
 *                was deleted once it ran (txt), and we map a copy of our own
 *                program as code (private, read and exec) and delete it
 *                (a library).   pid child prog lib */
static void sc_f_deleted_mapped(void)
{
	char prog[4200], lib[4200];
	pid_t child;

	temp_path(prog, sizeof(prog), "sleep-old");
	copy_file(sleep_program(), prog);
	child = run_sleep_program(prog);
	temp_path(lib, sizeof(lib), "libold.so");
	copy_file("/proc/self/exe", lib);
	map_file(lib, PROT_READ | PROT_EXEC);
	if (unlink(prog) < 0 || unlink(lib) < 0)
		die("unlink");
	kv("pid", "%d", (int)getpid());
	kv("child", "%d", (int)child);
	kv("prog", "%s", prog);
	kv("lib", "%s", lib);
}

/*   f-deleted-mapped-twins  what must not count as deleted code: a memfd
 *                mapped as code, shared anonymous memory ("/dev/zero
 *                (deleted)"), a deleted file mapped as data only, a deleted
 *                file held through an fd only, a file on disk mapped as
 *                code.   pid fd (the deleted file held as an fd) */
static void sc_f_deleted_mapped_twins(void)
{
	char buf[4096], data[4200], held[4200], kept[4200];
	int mfd, fd;

	memset(buf, 0xc3, sizeof(buf));
	mfd = memfd_create("jit", MFD_CLOEXEC);
	if (mfd < 0 || write(mfd, buf, sizeof(buf)) != (ssize_t)sizeof(buf) ||
	    mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, mfd, 0) == MAP_FAILED)
		die("memfd mapped as code");
	if (mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
		die("shared anonymous mmap");
	make_file(data, sizeof(data), "data.bin", 4096);
	map_file(data, PROT_READ);
	make_file(held, sizeof(held), "held.bin", 4096);
	fd = open_or_die(held, O_RDONLY | O_CLOEXEC);
	if (unlink(data) < 0 || unlink(held) < 0)
		die("unlink");
	temp_path(kept, sizeof(kept), "libkept.so");
	copy_file("/proc/self/exe", kept);
	map_file(kept, PROT_READ | PROT_EXEC);
	kv("pid", "%d", (int)getpid());
	kv("fd", "%d", fd);
}

static int tcp_connect(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s >= 0 && connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(s);
		return -1;
	}
	return s;
}

/* Every 50 ms: open path, or connect to port (in turn); keep the fd, or
 * close it at once (the twin). */
__attribute__((noreturn))
static void leak_loop(const char *path, int port, bool keep)
{
	struct timespec ts = { 0, 50000000L };
	unsigned tick;
	int fd;

	for (tick = 0;; tick++) {
		fd = tick % 2 ? tcp_connect(port) : open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && !keep)
			close(fd);
		nanosleep(&ts, NULL);
	}
}

/* A leaker (keep) or its twin: a TCP listener on 127.0.0.1 in a child that
 * accepts and closes, and a child with a soft RLIMIT_NOFILE of 4096 that
 * opens a file or connects every 50 ms. */
static void leak_setup(bool keep)
{
	char path[4200];
	struct rlimit rl;
	int l, port, s;
	pid_t acceptor, leaker;

	make_file(path, sizeof(path), "leak.log", 64);
	l = tcp_listener(&port);
	acceptor = fork_child();
	if (acceptor == 0) {
		for (;;)
			if ((s = accept4(l, NULL, NULL, SOCK_CLOEXEC)) >= 0)
				close(s);
	}
	close(l);
	leaker = fork_child();
	if (leaker == 0) {
		if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
			_exit(1);
		rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			_exit(1);
		leak_loop(path, port, keep);
	}
	kv("leaker", "%d", (int)leaker);
	kv("acceptor", "%d", (int)acceptor);
	kv("port", "%d", port);
	kv("path", "%s", path);
	kv("limit", "%d", 4096);
}

/*   leaker       a process that keeps one more fd every 50 ms (a file, then
 *                a TCP connection to 127.0.0.1:port, in turn).
 *                leaker acceptor port path limit=4096 (its soft RLIMIT_NOFILE)
 *   leak-twin    the same, but each fd is closed right after it is opened. */
static void sc_leaker(void) { leak_setup(true); }
static void sc_leak_twin(void) { leak_setup(false); }

/* ---- the fd kinds of issue 11 (cases 130-134), each beside its look-alike ---- */

/* This kernel or user cannot make the kind: exit 77 with why, and the
 * case skips (tests/lib.sh skip_case). */
__attribute__((noreturn, format(printf, 1, 2)))
static void skip(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	fprintf(stderr, "skip: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	exit(EXIT_SKIP);
}

static int create_file(const char *name, char *path, size_t size)
{
	int fd;

	temp_path(path, size, name);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		die("create %s", name);
	return fd;
}

static unsigned long long inode_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		die("stat %s", path);
	return (unsigned long long)st.st_ino;
}

static char mq_names[2][64];            /* queues we made, unlinked at exit */

static void unlink_queues(void)
{
	int i;

	if (getpid() != main_pid)
		return;
	for (i = 0; i < 2; i++)
		if (mq_names[i][0])
			mq_unlink(mq_names[i]);
}

static void sc_k_nsfs(void)
{
	char path[4200];
	int fd_net = open("/proc/self/ns/net", O_RDONLY);
	int fd_user = open("/proc/self/ns/user", O_RDONLY);
	int fd_pid4c = open("/proc/self/ns/pid_for_children", O_RDONLY);
	int fd_twin;

	if (fd_net < 0 || fd_user < 0 || fd_pid4c < 0)
		die("open /proc/self/ns/*");
	fd_twin = create_file("net:[4026531840]", path, sizeof(path));
	kv("fd_net", "%d", fd_net);
	kv("net_ino", "%llu", inode_of("/proc/self/ns/net"));
	kv("fd_user", "%d", fd_user);
	kv("user_ino", "%llu", inode_of("/proc/self/ns/user"));
	kv("fd_pid4c", "%d", fd_pid4c);
	kv("pid_ino", "%llu", inode_of("/proc/self/ns/pid_for_children"));
	kv("fd_twin", "%d", fd_twin);
	kv("pid", "%d", (int)getpid());
}

static void sc_k_symlink(void)
{
	char target[4200], link[4200];
	int fd_link, fd_follow;

	close(create_file("target.txt", target, sizeof(target)));
	temp_path(link, sizeof(link), "link");
	if (symlink(target, link) < 0)
		die("symlink");
	fd_link = open(link, O_PATH | O_NOFOLLOW);
	fd_follow = open(link, O_PATH);
	if (fd_link < 0 || fd_follow < 0)
		die("open O_PATH");
	kv("fd_link", "%d", fd_link);
	kv("fd_follow", "%d", fd_follow);
	kv("link", "%s", link);
	kv("pid", "%d", (int)getpid());
}

static mqd_t make_queue(int i, const char *tag)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 32 };
	mqd_t q;

	static bool registered;

	if (!registered && atexit(unlink_queues) == 0)
		registered = true;
	snprintf(mq_names[i], sizeof(mq_names[i]), "/fdshare-%s-%d", tag, (int)getpid());
	q = mq_open(mq_names[i], O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
	if (q == (mqd_t)-1) {
		mq_names[i][0] = '\0';
		if (errno == ENOSYS || errno == EACCES || errno == EPERM)
			skip("mq_open");
		die("mq_open");
	}
	return q;
}

static void sc_k_mqueue(void)
{
	mqd_t q = make_queue(0, "mq"), gone = make_queue(1, "mqgone");
	char path[4200];
	int p[2], fd_twin;
	pid_t child;

	/* the twin: a regular file named like the queue */
	fd_twin = create_file(mq_names[0] + 1, path, sizeof(path));
	if (mq_unlink(mq_names[1]) < 0)
		die("mq_unlink");
	mq_names[1][0] = '\0';
	sync_pipe(p);
	child = fork_child();
	if (child == 0) {
		mqd_t c = mq_open(mq_names[0], O_WRONLY);
		if (c == (mqd_t)-1)
			_exit(1);
		if (dup2((int)c, 20) < 0)
			_exit(1);
		close((int)c);
		close((int)q);
		close((int)gone);
		close(fd_twin);
		close(p[0]);
		sync_signal(p, 0);
		child_wait();
	}
	sync_wait(p, "mqueue");
	kv("fd", "%d", (int)q);
	kv("child", "%d", (int)child);
	kv("child_fd", "%d", 20);
	kv("name", "%s", mq_names[0]);
	kv("fd_unlinked", "%d", (int)gone);
	kv("fd_twin", "%d", fd_twin);
	kv("pid", "%d", (int)getpid());
}

static int bpf_call(int cmd, union bpf_attr *a)
{
	return (int)syscall(SYS_bpf, cmd, a, sizeof(*a));
}

/* The id of a BPF object fd, from the kernel (not from fdinfo: that is what
 * fdshare reads). */
static unsigned bpf_id(int fd)
{
	union { struct bpf_map_info map; struct bpf_prog_info prog; struct bpf_link_info link; } info;
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	memset(&info, 0, sizeof(info));
	a.info.bpf_fd = (unsigned)fd;
	a.info.info_len = sizeof(info);
	a.info.info = (unsigned long)&info;
	if (bpf_call(BPF_OBJ_GET_INFO_BY_FD, &a) < 0)
		die("BPF_OBJ_GET_INFO_BY_FD");
	return info.map.id;   /* id is the first member of each */
}

static int load_prog(int type, int attach)
{
	/* r0 = 0; exit */
	struct bpf_insn insns[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = (unsigned)type;
	a.expected_attach_type = (unsigned)attach;
	a.insns = (unsigned long)insns;
	a.insn_cnt = 2;
	a.license = (unsigned long)"GPL";
	return bpf_call(BPF_PROG_LOAD, &a);
}

static void sc_k_bpf(void)
{
	union bpf_attr a;
	int fd_map, fd_prog, fd_dissector, fd_link, fd_ns, fd_twin;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 4;
	fd_map = bpf_call(BPF_MAP_CREATE, &a);
	if (fd_map < 0)
		skip("bpf(BPF_MAP_CREATE) (needs root or CAP_BPF)");
	fd_prog = load_prog(BPF_PROG_TYPE_SOCKET_FILTER, 0);
	if (fd_prog < 0)
		skip("bpf(BPF_PROG_LOAD)");
	/* a link that touches nothing of the machine's: a flow dissector on
	 * a network namespace of our own */
	if (unshare(CLONE_NEWNET) < 0)
		skip("unshare(CLONE_NEWNET)");
	fd_ns = open("/proc/self/ns/net", O_RDONLY);
	fd_dissector = load_prog(BPF_PROG_TYPE_FLOW_DISSECTOR, BPF_FLOW_DISSECTOR);
	if (fd_ns < 0 || fd_dissector < 0)
		skip("flow dissector program");
	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = (unsigned)fd_dissector;
	a.link_create.target_fd = (unsigned)fd_ns;
	a.link_create.attach_type = BPF_FLOW_DISSECTOR;
	fd_link = bpf_call(BPF_LINK_CREATE, &a);
	if (fd_link < 0)
		skip("bpf(BPF_LINK_CREATE)");
	close(fd_ns);
	fd_twin = eventfd(0, EFD_CLOEXEC);
	if (fd_twin < 0)
		die("eventfd");
	kv("fd_map", "%d", fd_map);
	kv("map_id", "%u", bpf_id(fd_map));
	kv("fd_prog", "%d", fd_prog);
	kv("prog_id", "%u", bpf_id(fd_prog));
	kv("fd_link", "%d", fd_link);
	kv("link_id", "%u", bpf_id(fd_link));
	kv("dissector_id", "%u", bpf_id(fd_dissector));
	kv("fd_twin", "%d", fd_twin);
	kv("pid", "%d", (int)getpid());
}

static void sc_k_io_uring(void)
{
	struct io_uring_params prm;
	int fd, fd_sqpoll, fd_twin;

	memset(&prm, 0, sizeof(prm));
	fd = (int)syscall(SYS_io_uring_setup, 8, &prm);
	if (fd < 0)
		skip("io_uring_setup (disabled by kernel.io_uring_disabled?)");
	memset(&prm, 0, sizeof(prm));
	prm.flags = IORING_SETUP_SQPOLL;
	prm.sq_thread_idle = 60000;
	fd_sqpoll = (int)syscall(SYS_io_uring_setup, 4, &prm);
	if (fd_sqpoll < 0)
		skip("io_uring_setup with SQPOLL");
	fd_twin = eventfd(0, EFD_CLOEXEC);
	if (fd_twin < 0)
		die("eventfd");
	kv("fd", "%d", fd);
	kv("fd_sqpoll", "%d", fd_sqpoll);
	kv("fd_twin", "%d", fd_twin);
	kv("pid", "%d", (int)getpid());
}

static int open_master(int *index)
{
	int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		skip("posix_openpt");
	if (grantpt(fd) < 0 || unlockpt(fd) < 0 || ioctl(fd, TIOCGPTN, index) < 0)
		die("pty setup");
	return fd;
}

static void sc_k_pty(void)
{
	int index, lone_index, fd, lone, fd_twin, p[2];
	pid_t child;

	fd = open_master(&index);
	lone = open_master(&lone_index);
	fd_twin = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd_twin < 0)
		die("/dev/null");
	sync_pipe(p);
	child = fork_child();
	if (child == 0) {
		char name[64];
		int s;
		snprintf(name, sizeof(name), "/dev/pts/%d", index);
		s = open(name, O_RDWR | O_NOCTTY);
		if (s < 0 || dup2(s, 0) < 0 || dup2(s, 1) < 0)
			_exit(1);
		close(s);
		/* the slave only: the masters stay ours alone */
		close(fd);
		close(lone);
		close(fd_twin);
		close(p[0]);
		sync_signal(p, 0);
		child_wait();
	}
	sync_wait(p, "pty slave");
	kv("fd", "%d", fd);
	kv("index", "%d", index);
	kv("child", "%d", (int)child);
	kv("lone_fd", "%d", lone);
	kv("lone_index", "%d", lone_index);
	kv("fd_twin", "%d", fd_twin);
	kv("pid", "%d", (int)getpid());
}

static void sc_k_tun(void)
{
	struct ifreq ifr;
	int fd, fd_idle, fd_twin;

	if (unshare(CLONE_NEWNET) < 0)
		skip("unshare(CLONE_NEWNET) (needs root)");
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	fd_idle = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0 || fd_idle < 0)
		skip("open /dev/net/tun");
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "fdtap%d", (int)(getpid() % 100000));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		skip("TUNSETIFF");
	fd_twin = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd_twin < 0)
		die("/dev/null");
	kv("fd", "%d", fd);
	kv("iface", "%s", ifr.ifr_name);
	kv("fd_idle", "%d", fd_idle);
	kv("fd_twin", "%d", fd_twin);
	kv("pid", "%d", (int)getpid());
}

static void sc_k_signals(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, 34);
	sigaddset(&set, 42);
	sigaddset(&set, 64);
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		die("signalfd");
	kv("fd", "%d", fd);
	kv("pid", "%d", (int)getpid());
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die("write %s", path);
	close(fd);
}

static int sock_or_die(int family, int type, int proto, const char *what)
{
	int s = socket(family, type | SOCK_CLOEXEC, proto);

	if (s < 0)
		die("socket %s", what);
	return s;
}

static void bind_loopback(int s)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind 127.0.0.1");
}

static void connect_pair(int a, int b)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(b, (struct sockaddr *)&ss, &len) < 0 || connect(a, (struct sockaddr *)&ss, len) < 0)
		die("connect b");
	len = sizeof(ss);
	if (getsockname(a, (struct sockaddr *)&ss, &len) < 0 || connect(b, (struct sockaddr *)&ss, len) < 0)
		die("connect a");
}

static void sc_k_sockets(void)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_groups = 1 | (1 << 4) };
	socklen_t len = sizeof(nl);
	int fd_raw, fd_udp, fd_ping, fd_packet, fd_packet_idle, fd_netlink, fd_netlink_idle;
	int lite[2], udp[2], pair[2], fd_tcp_idle, fd_gone_unix, fd_gone_udp, home;

	if (unshare(CLONE_NEWNET) < 0)
		skip("unshare(CLONE_NEWNET) (needs root)");
	loopback_up();
	write_file("/proc/sys/net/ipv4/ping_group_range", "0 0");
	fd_raw = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (fd_raw < 0)
		skip("raw socket");
	bind_loopback(fd_raw);
	fd_udp = sock_or_die(AF_INET, SOCK_DGRAM, 0, "udp");
	bind_loopback(fd_udp);
	fd_ping = sock_or_die(AF_INET, SOCK_DGRAM, IPPROTO_ICMP, "ping");
	bind_loopback(fd_ping);
	fd_packet = sock_or_die(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL), "packet");
	ll.sll_ifindex = (int)if_nametoindex("lo");
	if (bind(fd_packet, (struct sockaddr *)&ll, sizeof(ll)) < 0)
		die("bind packet");
	fd_packet_idle = sock_or_die(AF_PACKET, SOCK_DGRAM, 0, "packet");
	fd_netlink = sock_or_die(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, "netlink");
	if (bind(fd_netlink, (struct sockaddr *)&nl, sizeof(nl)) < 0 ||
	    getsockname(fd_netlink, (struct sockaddr *)&nl, &len) < 0)
		die("bind netlink");
	fd_netlink_idle = sock_or_die(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, "netlink");
	lite[0] = sock_or_die(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE, "udplite");
	lite[1] = sock_or_die(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE, "udplite");
	bind_loopback(lite[0]);
	bind_loopback(lite[1]);
	connect_pair(lite[0], lite[1]);
	udp[0] = sock_or_die(AF_INET, SOCK_DGRAM, 0, "udp");
	udp[1] = sock_or_die(AF_INET, SOCK_DGRAM, 0, "udp");
	bind_loopback(udp[0]);
	bind_loopback(udp[1]);
	connect_pair(udp[0], udp[1]);
	fd_tcp_idle = sock_or_die(AF_INET, SOCK_STREAM, 0, "tcp");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
		die("socketpair");
	kv("netns", "%lu", netns_ino(getpid()));
	/* sockets made in a namespace we leave: nobody is in it then */
	home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0 || unshare(CLONE_NEWNET) < 0)
		die("second network namespace");
	kv("gone_netns", "%llu", inode_of("/proc/thread-self/ns/net"));
	fd_gone_unix = sock_or_die(AF_UNIX, SOCK_DGRAM, 0, "unix");
	fd_gone_udp = sock_or_die(AF_INET, SOCK_DGRAM, 0, "udp");
	if (setns(home, CLONE_NEWNET) < 0)
		die("setns back");
	close(home);
	kv("fd_raw", "%d", fd_raw);
	kv("fd_udp", "%d", fd_udp);
	kv("fd_ping", "%d", fd_ping);
	kv("fd_packet", "%d", fd_packet);
	kv("fd_packet_idle", "%d", fd_packet_idle);
	kv("fd_netlink", "%d", fd_netlink);
	kv("portid", "%u", nl.nl_pid);
	kv("fd_netlink_idle", "%d", fd_netlink_idle);
	kv("fd_lite_a", "%d", lite[0]);
	kv("fd_lite_b", "%d", lite[1]);
	kv("fd_udp_a", "%d", udp[0]);
	kv("fd_udp_b", "%d", udp[1]);
	kv("fd_tcp_idle", "%d", fd_tcp_idle);
	kv("fd_gone_unix", "%d", fd_gone_unix);
	kv("fd_gone_udp", "%d", fd_gone_udp);
	kv("fd_pair_a", "%d", pair[0]);
	kv("fd_pair_b", "%d", pair[1]);
	kv("pid", "%d", (int)getpid());
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
	{ "ep-pipe-forgot", sc_ep_pipe_forgot, NULL, NULL },
	{ "ep-fifo", sc_ep_fifo, NULL, NULL },
	{ "ep-unix-server", sc_ep_unix_server, NULL, NULL },
	{ "ep-abstract", sc_ep_abstract, NULL, NULL },
	{ "ep-tcp", sc_ep_tcp, NULL, NULL },
	{ "ep-inet6-udp", sc_ep_inet6_udp, NULL, NULL },
	{ "ep-epoll", sc_ep_epoll, NULL, NULL },
	{ "ep-anon", sc_ep_anon, NULL, NULL },
	{ "ep-pidfd", sc_ep_pidfd, ep_pidfd_tick, NULL },
	{ "ep-netns", sc_ep_netns, NULL, NULL },
	{ "ep-userns", sc_ep_userns, NULL, NULL },
	{ "watch-lifecycle", sc_watch_lifecycle, NULL, NULL },
	{ "watch-orphan", sc_watch_orphan, NULL, watch_end },
	{ "watch-orphan-subreaper", sc_watch_orphan_subreaper, NULL, watch_end },
	{ "watch-zombie-delay", sc_watch_zombie_delay, NULL, NULL },
	{ "watch-burst", sc_watch_burst, watch_burst_tick, NULL },
	{ "watch-thread-orphan", sc_watch_thread_orphan, NULL, watch_end },
	{ "orphan", sc_orphan, NULL, end_strays },
	{ "orphan-subreaper", sc_orphan_subreaper, NULL, end_strays },
	{ "daemon", sc_daemon, NULL, end_strays },
	{ "daemon-subreaper", sc_daemon_subreaper, NULL, end_strays },
	{ "zombies-default", sc_zombies_default, NULL, zombies_end },
	{ "zombies-ignore", sc_zombies_ignore, NULL, zombies_end },
	{ "zombies-caught", sc_zombies_caught, NULL, zombies_end },
	{ "zombies-blocked", sc_zombies_blocked, NULL, zombies_end },
	{ "zombies-stopped", sc_zombies_stopped, NULL, zombies_end },
	{ "zombies-traced", sc_zombies_traced, NULL, zombies_end },
	{ "zombies-dsleep", sc_zombies_dsleep, NULL, zombies_end },
	{ "zombies-pidns", sc_zombies_pidns, NULL, zombies_end },
	{ "reaper-ok", sc_reaper_ok, NULL, zombies_end },
	{ "supervisor", sc_supervisor, NULL, NULL },
	{ "f-exec-leak", sc_f_exec_leak, NULL, NULL },
	{ "f-exec-leak-cloexec", sc_f_exec_leak_cloexec, NULL, NULL },
	{ "f-listener-leak", sc_f_listener_leak, NULL, NULL },
	{ "f-prefork", sc_f_prefork, NULL, NULL },
	{ "f-prefork-busy", sc_f_prefork_busy, NULL, NULL },
	{ "f-listener-handover", sc_f_listener_handover, NULL, NULL },
	{ "f-pipe-kept-write", sc_f_pipe_kept_write, NULL, NULL },
	{ "f-pipe-wait", sc_f_pipe_wait, NULL, NULL },
	{ "f-pipe-ok", sc_f_pipe_ok, NULL, NULL },
	{ "f-pipe-sibling-wait", sc_f_pipe_sibling_wait, NULL, NULL },
	{ "f-writers", sc_f_writers, NULL, NULL },
	{ "f-writers-append", sc_f_writers_append, NULL, NULL },
	{ "f-deleted", sc_f_deleted, NULL, NULL },
	{ "f-memfd", sc_f_memfd, NULL, NULL },
	{ "f-fd-limit", sc_f_fd_limit, NULL, NULL },
	{ "f-nonblock", sc_f_nonblock, NULL, NULL },
	{ "f-nonblock-same", sc_f_nonblock_same, NULL, NULL },
	{ "f-zombie-name", sc_f_zombie_name, NULL, NULL },
	{ "f-clobber", sc_f_clobber, NULL, NULL },
	{ "f-clobber-append", sc_f_clobber_append, NULL, NULL },
	{ "f-exec-leak-ended", sc_f_exec_leak_ended, NULL, end_strays },
	{ "f-listener-upgrade", sc_f_listener_upgrade, NULL, NULL },
	{ "f-pipe-kept-write-shared", sc_f_pipe_kept_write_shared, NULL, NULL },
	{ "f-tmpfile-capture", sc_f_tmpfile_capture, NULL, NULL },
	{ "inotify-many", sc_inotify_many, NULL, NULL },
	{ "l-flock-fork", sc_l_flock_fork, NULL, NULL },
	{ "l-posix-fork", sc_l_posix_fork, NULL, NULL },
	{ "l-ofd-dup", sc_l_ofd_dup, NULL, NULL },
	{ "l-lease", sc_l_lease, NULL, NULL },
	{ "l-mixed", sc_l_mixed, NULL, NULL },
	{ "l-waiter", sc_l_waiter, NULL, NULL },
	{ "l-wait-stopped", sc_l_wait_stopped, NULL, l_wait_stopped_end },
	{ "l-wait-chain", sc_l_wait_chain, NULL, l_wait_stopped_end },
	{ "l-deadlock", sc_l_deadlock, NULL, NULL },
	{ "l-deadlock-ofd", sc_l_deadlock_ofd, NULL, NULL },
	{ "l-pidfile", sc_l_pidfile, NULL, end_strays },
	{ "holders", sc_holders, NULL, NULL },
	{ "f-deleted-mapped", sc_f_deleted_mapped, NULL, NULL },
	{ "f-deleted-mapped-twins", sc_f_deleted_mapped_twins, NULL, NULL },
	{ "leaker", sc_leaker, NULL, NULL },
	{ "leak-twin", sc_leak_twin, NULL, NULL },
	{ "k-nsfs", sc_k_nsfs, NULL, NULL },
	{ "k-symlink", sc_k_symlink, NULL, NULL },
	{ "k-mqueue", sc_k_mqueue, NULL, NULL },
	{ "k-bpf", sc_k_bpf, NULL, NULL },
	{ "k-io-uring", sc_k_io_uring, NULL, NULL },
	{ "k-pty", sc_k_pty, NULL, NULL },
	{ "k-tun", sc_k_tun, NULL, NULL },
	{ "k-signals", sc_k_signals, NULL, NULL },
	{ "k-sockets", sc_k_sockets, NULL, NULL },
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
