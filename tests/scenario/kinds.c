/* kinds.c - real processes holding the fd kinds of issue 11, for the case
 * tests 130-139: each kind beside its look-alike.
 *
 *   scenario_kinds NAME
 *
 * The protocol is scenario.c's: set up NAME, print "key=value" lines, then
 * "ready"; wait for EOF on stdin (or SIGTERM/SIGINT/SIGHUP); end every child
 * (SIGTERM, backed by PR_SET_PDEATHSIG), reap them, remove the temp
 * directory, exit 0.  A setup failure: a message on stderr, exit 1; a kind
 * this kernel or this user cannot make: "skip: why" on stderr, exit 77.
 * Every scenario prints dir= (its temp directory) and pid= (the main
 * process).
 *
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
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/if_tun.h>
#include <linux/io_uring.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <mqueue.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CHILDREN 16
#define MAX_PATHS 16
#define EXIT_SKIP 77

static char tmpdir[4096];
static char *paths[MAX_PATHS];          /* files we made, removed at the end */
static int npaths;
static char mq_names[2][64];            /* queues we made, unlinked at the end */
static pid_t children[MAX_CHILDREN];
static int nchildren;
static pid_t main_pid;
static volatile sig_atomic_t got_signal;
static sigset_t orig_mask;

/* ---- helpers ---- */

__attribute__((noreturn, format(printf, 1, 2)))
static void die(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	fprintf(stderr, "scenario_kinds: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	if (getpid() != main_pid)
		_exit(1);
	exit(1);
}

/* This kernel or user cannot make the kind: the case skips with why. */
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

static const char *temp_path(const char *name)
{
	char buf[4200];

	if ((size_t)snprintf(buf, sizeof(buf), "%s/%s", tmpdir, name) >= sizeof(buf) ||
	    npaths == MAX_PATHS) {
		errno = ENAMETOOLONG;
		die("path %s", name);
	}
	paths[npaths] = strdup(buf);
	if (!paths[npaths])
		die("strdup");
	return paths[npaths++];
}

static int create_file(const char *name)
{
	int fd = open(temp_path(name), O_RDWR | O_CREAT | O_EXCL, 0600);

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

static void on_signal(int sig)
{
	(void)sig;
	got_signal = 1;
}

/* A child: default signals, dies with us. */
static pid_t fork_child(void)
{
	pid_t pid;

	if (nchildren == MAX_CHILDREN) {
		errno = EAGAIN;
		die("too many children");
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigprocmask(SIG_SETMASK, &orig_mask, NULL);
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != main_pid)
			_exit(1);
		return 0;
	}
	children[nchildren++] = pid;
	return pid;
}

/* The child tells the parent it is done (or dies: EOF). */
static void child_done(int p[2])
{
	char c = 1;

	close(p[0]);
	if (write(p[1], &c, 1) != 1)
		_exit(1);
	close(p[1]);
	for (;;)
		pause();
}

static void wait_child(int p[2], const char *what)
{
	char c;
	ssize_t n;

	close(p[1]);
	do
		n = read(p[0], &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1) {
		errno = EPIPE;
		die("%s: child failed", what);
	}
	close(p[0]);
}

static void make_pipe(int p[2])
{
	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe2");
}

/* ---- the scenarios ---- */

static void sc_nsfs(void)
{
	int fd_net = open("/proc/self/ns/net", O_RDONLY);
	int fd_user = open("/proc/self/ns/user", O_RDONLY);
	int fd_pid4c = open("/proc/self/ns/pid_for_children", O_RDONLY);
	int fd_twin;

	if (fd_net < 0 || fd_user < 0 || fd_pid4c < 0)
		die("open /proc/self/ns/*");
	fd_twin = create_file("net:[4026531840]");
	kv("fd_net", "%d", fd_net);
	kv("net_ino", "%llu", inode_of("/proc/self/ns/net"));
	kv("fd_user", "%d", fd_user);
	kv("user_ino", "%llu", inode_of("/proc/self/ns/user"));
	kv("fd_pid4c", "%d", fd_pid4c);
	kv("pid_ino", "%llu", inode_of("/proc/self/ns/pid_for_children"));
	kv("fd_twin", "%d", fd_twin);
}

static void sc_symlink(void)
{
	const char *target, *link;
	int fd_link, fd_follow;

	close(create_file("target.txt"));
	target = paths[npaths - 1];
	link = temp_path("link");
	if (symlink(target, link) < 0)
		die("symlink");
	fd_link = open(link, O_PATH | O_NOFOLLOW);
	fd_follow = open(link, O_PATH);
	if (fd_link < 0 || fd_follow < 0)
		die("open O_PATH");
	kv("fd_link", "%d", fd_link);
	kv("fd_follow", "%d", fd_follow);
	kv("link", "%s", link);
}

static mqd_t make_queue(int i, const char *tag)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 32 };
	mqd_t q;

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

static void sc_mqueue(void)
{
	mqd_t q = make_queue(0, "mq"), gone = make_queue(1, "mqgone");
	int p[2], fd_twin;
	pid_t child;

	/* the twin: a regular file named like the queue */
	fd_twin = create_file(mq_names[0] + 1);
	if (mq_unlink(mq_names[1]) < 0)
		die("mq_unlink");
	mq_names[1][0] = '\0';
	make_pipe(p);
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
		child_done(p);
	}
	wait_child(p, "mqueue");
	kv("fd", "%d", (int)q);
	kv("child", "%d", (int)child);
	kv("child_fd", "%d", 20);
	kv("name", "%s", mq_names[0]);
	kv("fd_unlinked", "%d", (int)gone);
	kv("fd_twin", "%d", fd_twin);
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

static void sc_bpf(void)
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
}

static void sc_io_uring(void)
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

static void sc_pty(void)
{
	int index, lone_index, fd, lone, fd_twin, p[2];
	pid_t child;

	fd = open_master(&index);
	lone = open_master(&lone_index);
	fd_twin = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd_twin < 0)
		die("/dev/null");
	make_pipe(p);
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
		child_done(p);
	}
	wait_child(p, "pty slave");
	kv("fd", "%d", fd);
	kv("index", "%d", index);
	kv("child", "%d", (int)child);
	kv("lone_fd", "%d", lone);
	kv("lone_index", "%d", lone_index);
	kv("fd_twin", "%d", fd_twin);
}

static void sc_tun(void)
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
}

static void sc_signals(void)
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
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die("write %s", path);
	close(fd);
}

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

static unsigned long long netns_ino(void)
{
	return inode_of("/proc/thread-self/ns/net");
}

static void sc_sockets(void)
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
	kv("netns", "%llu", netns_ino());
	/* sockets made in a namespace we leave: nobody is in it then */
	home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0 || unshare(CLONE_NEWNET) < 0)
		die("second network namespace");
	kv("gone_netns", "%llu", netns_ino());
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
}

/* ---- the frame ---- */

struct scenario {
	const char *name;
	void (*setup)(void);
};

static const struct scenario scenarios[] = {
	{ "k-nsfs", sc_nsfs },
	{ "k-symlink", sc_symlink },
	{ "k-mqueue", sc_mqueue },
	{ "k-bpf", sc_bpf },
	{ "k-io-uring", sc_io_uring },
	{ "k-pty", sc_pty },
	{ "k-tun", sc_tun },
	{ "k-signals", sc_signals },
	{ "k-sockets", sc_sockets },
};

static void cleanup(void)
{
	int i;

	if (getpid() != main_pid)
		return;
	for (i = 0; i < nchildren; i++)
		kill(children[i], SIGTERM);
	for (i = 0; i < nchildren; i++)
		while (waitpid(children[i], NULL, 0) < 0 && errno == EINTR)
			;
	for (i = 0; i < 2; i++)
		if (mq_names[i][0])
			mq_unlink(mq_names[i]);
	for (i = npaths - 1; i >= 0; i--) {
		unlink(paths[i]);
		free(paths[i]);
	}
	if (tmpdir[0])
		rmdir(tmpdir);
}

static void wait_for_end(void)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	sigset_t unblocked = orig_mask;
	char buf[256];
	int n;

	sigdelset(&unblocked, SIGTERM);
	sigdelset(&unblocked, SIGINT);
	sigdelset(&unblocked, SIGHUP);
	while (!got_signal) {
		n = ppoll(&pfd, 1, NULL, &unblocked);
		if (n < 0 && errno != EINTR)
			die("ppoll");
		if (n > 0 && read(0, buf, sizeof(buf)) <= 0)
			break;
	}
}

int main(int argc, char **argv)
{
	const struct scenario *sc = NULL;
	const char *base = getenv("TMPDIR");
	struct sigaction sa;
	sigset_t block;
	size_t i;

	for (i = 0; argc == 2 && i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (strcmp(argv[1], scenarios[i].name) == 0)
			sc = &scenarios[i];
	if (!sc) {
		fprintf(stderr, "usage: scenario_kinds NAME\nnames:");
		for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
			fprintf(stderr, " %s", scenarios[i].name);
		fprintf(stderr, "\n");
		return 2;
	}
	main_pid = getpid();
	close_range(3, ~0U, 0);
	setpgid(0, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &orig_mask);
	if (!base || !*base)
		base = "/tmp";
	snprintf(tmpdir, sizeof(tmpdir), "%s/fdshare-kinds.XXXXXX", base);
	if (!mkdtemp(tmpdir)) {
		tmpdir[0] = '\0';
		die("mkdtemp under %s", base);
	}
	atexit(cleanup);
	sc->setup();
	kv("pid", "%d", (int)getpid());
	kv("dir", "%s", tmpdir);
	printf("ready\n");
	if (fflush(stdout) != 0)
		die("stdout");
	wait_for_end();
	return 0;
}
