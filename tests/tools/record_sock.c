/* record_sock.c - record the sock_diag dumps that tests/unit/unit_sock.c
 * replays (fixtures/netlink/).
 *
 *   build/record_sock DIR        (as root)
 *
 * In a network namespace of its own (so the dumps hold nothing but what it
 * made), with loopback up, it makes sockets of every kind fdshare reads:
 * a unix stream listener on /tmp/fdshare-record.sock with one accepted and one pending client,
 * an abstract-name datagram socket, a socketpair, a TCP listener on
 * 127.0.0.1 with an accepted connection, a TCP listener on ::1 with a
 * connection waiting to be accepted, a connected UDP pair on 127.0.0.1 and
 * an unconnected UDP socket on ::1, the same two in UDP-Lite, a packet
 * socket bound to loopback for IPv4, and a netlink route socket in two
 * multicast groups.  Then it dumps each kind once through
 * src/scan/sock.c and writes every buffer received to DIR/<kind>.bin, and
 * DIR/expect.txt: what the socket calls themselves (fstat, getsockname)
 * say each dump must hold, one socket per line:
 *
 *   count KIND N
 *   sock KIND INO key=value...     (state type name peer icons rq wq local remote
 *                                   ethertype ifindex nlproto portid groups)
 *
 * Raw sockets are not recorded: raw_diag is an option many kernels leave
 * out (CONFIG_INET_RAW_DIAG), and its answers are inet_diag's; nor ping
 * sockets, which no sock_diag module lists (/proc/net/icmp does).
 * Rerun it to re-record; the unit test reads expect.txt, not constants. */
#define _GNU_SOURCE
#include "scan/sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/tcp.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define SERVER_PATH "/tmp/fdshare-record.sock"

static FILE *files[SOCK_DUMP_COUNT];
/* every dump but raw's (see above) */
#define RECORDED (SOCK_ALL_KINDS & ~SOCK_KIND(SOCK_IPRAW) & ~SOCK_KIND(SOCK_IPRAW6) & \
		  ~SOCK_KIND(SOCK_PING) & ~SOCK_KIND(SOCK_PING6))
static FILE *expect;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static unsigned long ino_of(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		die("fstat");
	return (unsigned long)st.st_ino;
}

static void tap(void *ctx, enum sock_dump d, const void *buf, size_t len)
{
	(void)ctx;
	if (fwrite(buf, 1, len, files[d]) != len)
		die("write fixture");
}

static void loopback_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		die("SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		die("SIOCSIFFLAGS lo");
	close(s);
}

/* ---- unix ---- */

static int unix_sock(int type)
{
	int s = socket(AF_UNIX, type, 0);
	if (s < 0)
		die("socket unix");
	return s;
}

static void unix_sockets(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static const char abstract[] = "\0fdshare-fixture";
	int l, c1, a1, c2, d, sp[2];
	socklen_t len;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", SERVER_PATH);
	unlink(sa.sun_path);
	l = unix_sock(SOCK_STREAM);
	if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(l, 5) < 0)
		die("bind/listen unix");
	c1 = unix_sock(SOCK_STREAM);
	c2 = unix_sock(SOCK_STREAM);
	if (connect(c1, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("connect unix");
	a1 = accept(l, NULL, NULL);
	if (a1 < 0 || connect(c2, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("accept/connect unix");
	fprintf(expect, "sock unix %lu type=stream state=LISTEN name=%s rq=1 wq=5 icons=%lu\n",
		ino_of(l), sa.sun_path, ino_of(c2));
	fprintf(expect, "sock unix %lu type=stream state=ESTABLISHED peer=%lu\n", ino_of(c1), ino_of(a1));
	fprintf(expect, "sock unix %lu type=stream state=ESTABLISHED peer=%lu name=%s\n",
		ino_of(a1), ino_of(c1), sa.sun_path);

	d = unix_sock(SOCK_DGRAM);
	memset(sa.sun_path, 0, sizeof(sa.sun_path));
	memcpy(sa.sun_path, abstract, sizeof(abstract) - 1);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + sizeof(abstract) - 1);
	if (bind(d, (struct sockaddr *)&sa, len) < 0)
		die("bind abstract");
	fprintf(expect, "sock unix %lu type=dgram state=UNCONN name=@%s\n", ino_of(d), abstract + 1);

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp) < 0)
		die("socketpair");
	fprintf(expect, "sock unix %lu type=seqpacket state=ESTABLISHED peer=%lu\n", ino_of(sp[0]), ino_of(sp[1]));
	fprintf(expect, "sock unix %lu type=seqpacket state=ESTABLISHED peer=%lu\n", ino_of(sp[1]), ino_of(sp[0]));
	/* c2 (pending, peer: the unaccepted embryo) is counted, not described */
	fprintf(expect, "count unix 7\n");
}

/* ---- inet ---- */

static void addr_text(const struct sockaddr_storage *ss, char *buf, size_t cap)
{
	char a[INET6_ADDRSTRLEN];
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)ss;
		inet_ntop(AF_INET, &s->sin_addr, a, sizeof(a));
		snprintf(buf, cap, "%s:%u", a, ntohs(s->sin_port));
	} else {
		const struct sockaddr_in6 *s = (const void *)ss;
		inet_ntop(AF_INET6, &s->sin6_addr, a, sizeof(a));
		snprintf(buf, cap, "[%s]:%u", a, ntohs(s->sin6_port));
	}
}

static void describe(const char *kind, int fd, const char *state, const char *extra)
{
	struct sockaddr_storage l, r;
	socklen_t len = sizeof(l);
	char lt[80], rt[80] = "";

	if (getsockname(fd, (struct sockaddr *)&l, &len) < 0)
		die("getsockname");
	addr_text(&l, lt, sizeof(lt));
	len = sizeof(r);
	if (getpeername(fd, (struct sockaddr *)&r, &len) == 0)
		addr_text(&r, rt, sizeof(rt));
	fprintf(expect, "sock %s %lu state=%s local=%s%s%s%s\n", kind, ino_of(fd), state, lt,
		*rt ? " remote=" : "", rt, extra);
}

static int inet_sock(int family, int type, const char *addr, int port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int s = socket(family, type, 0);

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (void *)&ss;
		a->sin_family = AF_INET;
		a->sin_port = htons((unsigned short)port);
		inet_pton(AF_INET, addr, &a->sin_addr);
		len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (void *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((unsigned short)port);
		inet_pton(AF_INET6, addr, &a->sin6_addr);
		len = sizeof(*a);
	}
	if (s < 0 || bind(s, (struct sockaddr *)&ss, len) < 0)
		die("socket/bind inet");
	return s;
}

static int inet_sock_proto(int family, int proto, const char *addr)
{
	int s = inet_sock(family, SOCK_DGRAM, addr, 0), p = socket(family, SOCK_DGRAM, proto);
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	/* bind the new protocol's socket where the probe UDP one was */
	if (p < 0 || getsockname(s, (struct sockaddr *)&ss, &len) < 0)
		die("socket udplite");
	close(s);
	if (bind(p, (struct sockaddr *)&ss, len) < 0)
		die("bind udplite");
	return p;
}

static void connect_to(int s, int to)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(to, (struct sockaddr *)&ss, &len) < 0 ||
	    connect(s, (struct sockaddr *)&ss, len) < 0)
		die("connect inet");
}

/* Wait until a TCP listener has n connections waiting for accept(). */
static void wait_pending(int l, unsigned n)
{
	struct tcp_info ti;
	socklen_t len;
	int i;

	for (i = 0; i < 1000; i++) {
		len = sizeof(ti);
		if (getsockopt(l, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 && ti.tcpi_unacked == n)
			return;
		usleep(1000);
	}
	errno = ETIMEDOUT;
	die("wait for the pending connection");
}

static void inet_sockets(void)
{
	int l4, c4, a4, l6, c6, u1, u2, u6;

	l4 = inet_sock(AF_INET, SOCK_STREAM, "127.0.0.1", 0);
	if (listen(l4, 8) < 0)
		die("listen");
	c4 = inet_sock(AF_INET, SOCK_STREAM, "127.0.0.1", 0);
	connect_to(c4, l4);
	a4 = accept(l4, NULL, NULL);
	if (a4 < 0)
		die("accept");
	describe("tcp", l4, "LISTEN", " rq=0 wq=8");
	describe("tcp", c4, "ESTABLISHED", "");
	describe("tcp", a4, "ESTABLISHED", "");
	fprintf(expect, "count tcp 3\n");

	l6 = inet_sock(AF_INET6, SOCK_STREAM, "::1", 0);
	if (listen(l6, 4) < 0)
		die("listen6");
	c6 = inet_sock(AF_INET6, SOCK_STREAM, "::1", 0);
	connect_to(c6, l6);
	wait_pending(l6, 1);
	describe("tcp6", l6, "LISTEN", " rq=1 wq=4");
	describe("tcp6", c6, "ESTABLISHED", "");
	/* the server side of c6, not accepted: inode 0, counted only */
	fprintf(expect, "count tcp6 3\n");

	u1 = inet_sock(AF_INET, SOCK_DGRAM, "127.0.0.1", 0);
	u2 = inet_sock(AF_INET, SOCK_DGRAM, "127.0.0.1", 0);
	connect_to(u1, u2);
	connect_to(u2, u1);
	describe("udp", u1, "ESTABLISHED", "");
	describe("udp", u2, "ESTABLISHED", "");
	fprintf(expect, "count udp 2\n");

	u6 = inet_sock(AF_INET6, SOCK_DGRAM, "::1", 0);
	describe("udp6", u6, "UNCONN", "");
	fprintf(expect, "count udp6 1\n");

	u1 = inet_sock_proto(AF_INET, IPPROTO_UDPLITE, "127.0.0.1");
	u2 = inet_sock_proto(AF_INET, IPPROTO_UDPLITE, "127.0.0.1");
	connect_to(u1, u2);
	describe("udplite", u1, "ESTABLISHED", "");
	describe("udplite", u2, "UNCONN", "");
	fprintf(expect, "count udplite 2\n");
	u6 = inet_sock_proto(AF_INET6, IPPROTO_UDPLITE, "::1");
	describe("udplite6", u6, "UNCONN", "");
	fprintf(expect, "count udplite6 1\n");
}

/* ---- packet and netlink ---- */

static void other_sockets(void)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP) };
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR };
	socklen_t len = sizeof(nl);
	int p, n;

	ll.sll_ifindex = (int)if_nametoindex("lo");
	p = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	if (p < 0 || bind(p, (struct sockaddr *)&ll, sizeof(ll)) < 0)
		die("packet socket");
	fprintf(expect, "sock packet %lu type=dgram ethertype=0x0800 ifindex=%d\n", ino_of(p), ll.sll_ifindex);
	fprintf(expect, "count packet 1\n");
	n = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (n < 0 || bind(n, (struct sockaddr *)&nl, sizeof(nl)) < 0 ||
	    getsockname(n, (struct sockaddr *)&nl, &len) < 0)
		die("netlink socket");
	fprintf(expect, "sock netlink %lu nlproto=0 portid=%u groups=0x%x\n", ino_of(n), nl.nl_pid,
		RTMGRP_LINK | RTMGRP_IPV4_IFADDR);
}

int main(int argc, char **argv)
{
	char path[4096];
	struct sock_table *t;
	int d;

	if (argc != 2) {
		fprintf(stderr, "usage: record_sock DIR\n");
		return 2;
	}
	if (unshare(CLONE_NEWNET) < 0)
		die("unshare(CLONE_NEWNET) (run as root)");
	loopback_up();
	for (d = 0; d < SOCK_DUMP_COUNT; d++) {
		if (!(RECORDED & SOCK_KIND(d)))
			continue;
		snprintf(path, sizeof(path), "%s/%s.bin", argv[1], sock_dump_name((enum sock_dump)d));
		if (!(files[d] = fopen(path, "w")))
			die(path);
	}
	snprintf(path, sizeof(path), "%s/expect.txt", argv[1]);
	if (!(expect = fopen(path, "w")))
		die(path);
	fprintf(expect, "# written by tests/tools/record_sock.c: what each dump in this folder holds\n");
	unix_sockets();
	inet_sockets();
	other_sockets();
	t = sock_table_new();
	sock_table_set_tap(t, tap, NULL);
	if (sock_table_dump(t, 1, RECORDED) < 0)
		die("sock_diag dump");
	sock_table_free(t);
	for (d = 0; d < SOCK_DUMP_COUNT; d++)
		if (files[d] && fclose(files[d]) != 0)
			die("close fixture");
	if (fclose(expect) != 0)
		die("close expect.txt");
	unlink(SERVER_PATH);
	return 0;
}
