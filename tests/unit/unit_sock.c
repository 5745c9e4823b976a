/* unit_sock.c - the sock_diag parser (src/scan/sock.c) on recorded dumps and on
 * malformed messages.
 *
 * fixtures/netlink/<kind>.bin are real dumps, every buffer the kernel sent
 * for one request, recorded by tests/tools/record_sock.c in a network
 * namespace of its own; fixtures/netlink/expect.txt says what each must hold
 * (taken from fstat/getsockname of the sockets it made, not from netlink).
 * Each is replayed in a heap block of exactly its size, whole and cut at
 * every length, so the sanitizers catch any read past the end. */
#include "check.h"
#include "scan/sock.h"
#include "scan/sock_procnet.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <sys/socket.h>

#define NETNS 7
#define FIXTURES "fixtures/netlink"

struct blob {
	char *buf;
	size_t len;
};

static struct blob load(const char *name)
{
	char path[256];
	struct blob b = { NULL, 0 };
	FILE *f;
	long n;

	snprintf(path, sizeof(path), FIXTURES "/%s", name);
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0) {
		perror(path);
		exit(2);
	}
	b.len = (size_t)n;
	b.buf = malloc(b.len ? b.len : 1);
	if (!b.buf || fread(b.buf, 1, b.len, f) != b.len) {
		perror(path);
		exit(2);
	}
	fclose(f);
	return b;
}

static enum sock_dump dump_named(const char *name)
{
	int d;

	for (d = 0; d < SOCK_DUMP_COUNT; d++)
		if (strcmp(sock_dump_name((enum sock_dump)d), name) == 0)
			return (enum sock_dump)d;
	fprintf(stderr, "unknown kind %s\n", name);
	exit(2);
}

/* Whether dump d has a recording: all but raw's and ping's
 * (tests/tools/record_sock.c; ping sockets are read from /proc). */
static int recorded(int d)
{
	return d != SOCK_IPRAW && d != SOCK_IPRAW6 && d != SOCK_PING && d != SOCK_PING6;
}

/* Parse a copy of exactly len bytes. */
static int parse_n(struct sock_table *t, enum sock_dump d, const char *buf, size_t len)
{
	char *copy = malloc(len ? len : 1);
	int r;

	memcpy(copy, buf, len);
	r = sock_parse_dump(t, NETNS, d, copy, len, 0, 0);
	free(copy);
	return r;
}

/* ---- the recorded dumps ---- */

static struct sock_table *load_all(void)
{
	struct sock_table *t = sock_table_new();
	char what[80];
	int d;

	for (d = 0; d < SOCK_DUMP_COUNT; d++) {
		char name[32];
		struct blob b;
		if (!recorded(d))
			continue;
		snprintf(name, sizeof(name), "%s.bin", sock_dump_name((enum sock_dump)d));
		b = load(name);
		snprintf(what, sizeof(what), "%s: the recorded dump parses to its end", name);
		CHECK(parse_n(t, (enum sock_dump)d, b.buf, b.len) == 0, what);
		free(b.buf);
	}
	return t;
}

static const char *type_name(int type)
{
	switch (type) {
	case SOCK_STREAM: return "stream";
	case SOCK_DGRAM: return "dgram";
	case SOCK_SEQPACKET: return "seqpacket";
	}
	return "?";
}

static void name_text(const struct sock_info *s, char *buf, size_t cap)
{
	if (s->name_len && s->name[0] == '\0')
		snprintf(buf, cap, "@%.*s", (int)s->name_len - 1, s->name + 1);
	else
		snprintf(buf, cap, "%.*s", (int)s->name_len, s->name);
}

static void addr_port(const struct sock_addr *a, char *buf, size_t cap)
{
	char t[64];

	sock_addr_text(a, t, sizeof(t));
	snprintf(buf, cap, strchr(t, ':') ? "[%s]:%u" : "%s:%u", t, a->port);
}

/* One "key=value" of an expect.txt sock line against the entry. */
static int field_ok(const struct sock_table *t, const struct sock_info *s, const char *k,
		    const char *v, char *got, size_t cap)
{
	size_t n;
	const unsigned *icons;

	if (strcmp(k, "type") == 0)
		snprintf(got, cap, "%s", type_name(s->type));
	else if (strcmp(k, "state") == 0)
		snprintf(got, cap, "%s", sock_state_name(s));
	else if (strcmp(k, "name") == 0)
		name_text(s, got, cap);
	else if (strcmp(k, "peer") == 0)
		snprintf(got, cap, "%llu", s->have_peer ? s->peer : 0);
	else if (strcmp(k, "rq") == 0)
		snprintf(got, cap, "%u", s->rqueue);
	else if (strcmp(k, "wq") == 0)
		snprintf(got, cap, "%u", s->wqueue);
	else if (strcmp(k, "local") == 0)
		addr_port(&s->local, got, cap);
	else if (strcmp(k, "remote") == 0)
		addr_port(&s->remote, got, cap);
	else if (strcmp(k, "ethertype") == 0)
		snprintf(got, cap, "0x%04x", s->pkt_proto);
	else if (strcmp(k, "ifindex") == 0)
		snprintf(got, cap, "%d", s->ifindex);
	else if (strcmp(k, "nlproto") == 0)
		snprintf(got, cap, "%d", s->nl_proto);
	else if (strcmp(k, "portid") == 0)
		snprintf(got, cap, "%u", s->portid);
	else if (strcmp(k, "groups") == 0)
		snprintf(got, cap, "0x%llx", s->groups);
	else if (strcmp(k, "icons") == 0) {
		icons = sock_icons(t, s, &n);
		snprintf(got, cap, "%u", n == 1 ? icons[0] : 0);
	} else
		snprintf(got, cap, "(unknown key)");
	return strcmp(got, v) == 0;
}

static void check_sock_line(const struct sock_table *t, char *line)
{
	char *save = NULL, *kind = strtok_r(line, " \n", &save);
	char *ino_s = strtok_r(NULL, " \n", &save), *kv, what[300], got[200];
	unsigned long long ino = strtoull(ino_s, NULL, 10);
	const struct sock_info *s = sock_find(t, NETNS, ino);

	snprintf(what, sizeof(what), "%s socket %llu is in the table, from its dump", kind, ino);
	CHECK(s && s->dump == dump_named(kind) && s->ino == ino, what);
	if (!s)
		return;
	while ((kv = strtok_r(NULL, " \n", &save))) {
		char *eq = strchr(kv, '=');
		if (!eq)
			continue;
		*eq = '\0';
		snprintf(what, sizeof(what), "%s socket %llu: %s is %s", kind, ino, kv, eq + 1);
		CHECK_STR(field_ok(t, s, kv, eq + 1, got, sizeof(got)) ? eq + 1 : got, eq + 1, what);
	}
}

static void check_count_line(const struct sock_table *t, char *line)
{
	char kind[16], what[100];
	size_t want, i, n = 0;

	if (sscanf(line, "%15s %zu", kind, &want) != 2)
		return;
	for (i = 0; i < sock_table_count(t); i++)
		n += sock_table_at(t, i)->dump == dump_named(kind);
	snprintf(what, sizeof(what), "%s: the dump holds %zu sockets (got %zu)", kind, want, n);
	CHECK(n == want, what);
}

static void test_expectations(const struct sock_table *t)
{
	struct blob b = load("expect.txt");
	char *text = malloc(b.len + 1), *save = NULL, *line;

	memcpy(text, b.buf, b.len);
	text[b.len] = '\0';
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char copy[512];
		snprintf(copy, sizeof(copy), "%s", line);
		if (strncmp(copy, "sock ", 5) == 0)
			check_sock_line(t, copy + 5);
		else if (strncmp(copy, "count ", 6) == 0)
			check_count_line(t, copy + 6);
	}
	free(text);
	free(b.buf);
}

/* The lookups endpoint.c relies on, on the recorded sockets. */
static void test_lookups(const struct sock_table *t)
{
	const struct sock_info *l = NULL, *c = NULL, *a, *s, *l6 = NULL;
	size_t i, it, n;
	int pending = 0, peers = 0;

	for (i = 0; i < sock_table_count(t); i++) {
		s = sock_table_at(t, i);
		if (s->dump == SOCK_TCP && s->state == 10)
			l = s;
		if (s->dump == SOCK_TCP6 && s->state == 10)
			l6 = s;
		if (s->dump == SOCK_UNIX && s->state == 10)
			c = s;
	}
	CHECK(l && l6 && c, "the fixtures hold a tcp, a tcp6 and a unix listener");
	if (!l || !l6 || !c)
		return;
	CHECK(sock_find(t, NETNS + 1, l->ino) == NULL, "another network namespace does not see it");
	CHECK(sock_find_any(t, l->ino) == NULL, "sock_find_any looks only in namespaces dumped (none by replay)");
	for (i = 0; i < sock_table_count(t); i++) {
		s = sock_table_at(t, i);
		if (s->dump != SOCK_TCP || s->remote.port != l->local.port || !s->ino)
			continue;
		a = sock_find_tuple(t, NETNS, SOCK_TCP, &s->remote, &s->local);
		CHECK(a && a->ino && a->ino != s->ino && a->local.port == l->local.port,
		      "the tcp client's reversed 4-tuple is the accepted socket");
	}
	for (it = 0; (s = sock_next_on_port(t, NETNS, SOCK_TCP6, l6->local.port, &it));)
		pending += s->ino == 0 && s->state == 1;
	CHECK(pending == 1, "tcp6: one connection on the listener's port waits for accept (inode 0)");
	CHECK(sock_icons(t, c, &n) && n == 1 && sock_find(t, NETNS, sock_icons(t, c, &n)[0]),
	      "the unix listener's pending client (ICONS) is a socket of the dump");
	for (i = 0; i < sock_table_count(t); i++) {
		s = sock_table_at(t, i);
		if (s->dump != SOCK_UNIX || !s->have_peer || !sock_find(t, NETNS, s->peer))
			continue;
		for (it = 0; (a = sock_next_with_peer(t, NETNS, s->peer, &it));)
			peers += a == s;
	}
	CHECK(peers == 4, "each connected unix socket is found again by its peer's inode");
}

/* Every prefix of every dump: no crash, no read past it, never "done". */
static void test_truncated(void)
{
	char name[32], what[100];
	int d, bad = 0;
	size_t len, whole;

	for (d = 0; d < SOCK_DUMP_COUNT; d++) {
		struct blob b;
		if (!recorded(d))
			continue;
		snprintf(name, sizeof(name), "%s.bin", sock_dump_name((enum sock_dump)d));
		b = load(name);
		for (len = 0; len < b.len; len++) {
			struct sock_table *t = sock_table_new();
			int r = parse_n(t, (enum sock_dump)d, b.buf, len);
			bad += r == 0;
			sock_table_free(t);
		}
		{
			struct sock_table *t = sock_table_new();
			parse_n(t, (enum sock_dump)d, b.buf, b.len);
			whole = sock_table_count(t);
			sock_table_free(t);
		}
		snprintf(what, sizeof(what), "%s: no prefix is taken for a whole dump (%zu entries)", name, whole);
		CHECK(bad == 0 && whole > 0, what);
		free(b.buf);
	}
}

/* ---- hand-made messages ---- */

static char msgbuf[4096] __attribute__((aligned(8)));

static struct nlmsghdr *unix_msg(unsigned ino)
{
	struct nlmsghdr *nlh;
	struct unix_diag_msg *m;

	memset(msgbuf, 0, sizeof(msgbuf));
	nlh = mnl_nlmsg_put_header(msgbuf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));
	m->udiag_family = AF_UNIX;
	m->udiag_type = SOCK_STREAM;
	m->udiag_state = 1;
	m->udiag_ino = ino;
	return nlh;
}

static int run(struct nlmsghdr *nlh, struct sock_table **tp)
{
	struct sock_table *t = sock_table_new();
	int r = parse_n(t, SOCK_UNIX, (const char *)nlh, nlh->nlmsg_len);

	if (tp)
		*tp = t;
	else
		sock_table_free(t);
	return r;
}

static void test_malformed(void)
{
	struct nlmsghdr *nlh;
	struct sock_table *t;
	char name[200];
	struct nlmsgerr *e;
	int r;

	nlh = unix_msg(100);
	mnl_attr_put_u32(nlh, UNIX_DIAG_PEER, 200);
	mnl_attr_put(nlh, 99, 3, "new");      /* an attribute from a newer kernel */
	r = run(nlh, &t);
	CHECK(r == 1 && sock_find(t, NETNS, 100) && sock_find(t, NETNS, 100)->peer == 200,
	      "a well-formed message is kept; an unknown attribute type is skipped");
	sock_table_free(t);

	nlh = unix_msg(100);
	mnl_attr_put_u16(nlh, UNIX_DIAG_PEER, 200);
	errno = 0;
	CHECK(run(nlh, NULL) == -1 && errno == EBADMSG, "PEER of 2 bytes (not a u32): EBADMSG");

	nlh = unix_msg(100);
	memset(name, 'x', sizeof(name));
	mnl_attr_put(nlh, UNIX_DIAG_NAME, sizeof(name), name);
	errno = 0;
	CHECK(run(nlh, NULL) == -1 && errno == EBADMSG, "NAME longer than sun_path: EBADMSG");

	nlh = unix_msg(100);
	mnl_attr_put(nlh, UNIX_DIAG_ICONS, 6, "123456");
	errno = 0;
	CHECK(run(nlh, NULL) == -1 && errno == EBADMSG, "ICONS not a multiple of 4 bytes: EBADMSG");

	nlh = unix_msg(100);
	mnl_attr_put(nlh, UNIX_DIAG_VFS, 4, "1234");
	errno = 0;
	CHECK(run(nlh, NULL) == -1 && errno == EBADMSG, "VFS shorter than unix_diag_vfs: EBADMSG");

	nlh = unix_msg(100);
	mnl_attr_put_u32(nlh, UNIX_DIAG_PEER, 200);
	((struct nlattr *)((char *)nlh + nlh->nlmsg_len - 8))->nla_len = 200;
	errno = 0;
	CHECK(run(nlh, &t) == -1 && errno == EBADMSG && sock_table_count(t) == 0,
	      "an attribute running past its message: EBADMSG, nothing kept");
	sock_table_free(t);

	nlh = unix_msg(100);
	nlh->nlmsg_len -= 2;
	errno = 0;
	CHECK(run(nlh, NULL) == -1 && errno == EBADMSG, "a message shorter than unix_diag_msg: EBADMSG");

	nlh = unix_msg(100);
	((struct unix_diag_msg *)mnl_nlmsg_get_payload(nlh))->udiag_family = AF_INET;
	errno = 0;
	CHECK(run(nlh, NULL) == -1 && errno == EBADMSG, "a unix dump answering another family: EBADMSG");

	memset(msgbuf, 0, sizeof(msgbuf));
	nlh = mnl_nlmsg_put_header(msgbuf);
	nlh->nlmsg_type = NLMSG_ERROR;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = -EPERM;
	errno = 0;
	CHECK(run(nlh, NULL) == -1 && errno == EPERM, "NLMSG_ERROR -EPERM: -1 with errno EPERM");

	memset(msgbuf, 0, sizeof(msgbuf));
	nlh = mnl_nlmsg_put_header(msgbuf);
	nlh->nlmsg_type = NLMSG_DONE;
	mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	CHECK(run(nlh, NULL) == 0, "NLMSG_DONE ends the dump");

	/* a kernel without a protocol's diag module ends its dump at once
	 * with the error in NLMSG_DONE's payload */
	memset(msgbuf, 0, sizeof(msgbuf));
	nlh = mnl_nlmsg_put_header(msgbuf);
	nlh->nlmsg_type = NLMSG_DONE;
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = -ENOENT;
	errno = 0;
	CHECK(run(nlh, NULL) == -1 && errno == ENOENT, "NLMSG_DONE carrying -ENOENT: -1 with errno ENOENT");
}

/* Parse a copy of buf that ends where an unmapped page begins: a read past
 * the bytes received faults even inside libmnl, which ASan does not see. */
static int parse_guarded(struct sock_table *t, const char *buf, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *copy;
	int r;

	if (map == MAP_FAILED || len > (size_t)page || mprotect(map + page, (size_t)page, PROT_NONE) < 0) {
		perror("unit_sock: guard page");
		exit(2);
	}
	copy = map + page - len;
	memcpy(copy, buf, len);
	r = sock_parse_dump(t, NETNS, SOCK_UNIX, copy, len, 0, 0);
	munmap(map, 2 * (size_t)page);
	return r;
}

/* nlmsg_len of 2^31 or more: libmnl's (int) cast takes it as fitting the
 * buffer, so the walk must be checked before libmnl sees it.  Each case is a
 * buffer of exactly the bytes received, followed by an unmapped page. */
static void test_huge_length(void)
{
	static const unsigned lens[] = { 0x80000000u, 0x80000010u, 0xfffffff0u, 0xffffffffu };
	struct sock_table *t;
	struct nlmsghdr *nlh;
	size_t i, one, two;
	char what[160];
	int r;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		nlh = unix_msg(100);
		one = nlh->nlmsg_len;
		nlh->nlmsg_len = lens[i];
		t = sock_table_new();
		errno = 0;
		r = parse_guarded(t, msgbuf, one);
		snprintf(what, sizeof(what), "nlmsg_len 0x%x in a %zu-byte buffer: EBADMSG, nothing kept",
			 lens[i], one);
		CHECK(r == -1 && errno == EBADMSG && sock_table_count(t) == 0, what);
		sock_table_free(t);
	}

	/* a good message, then one claiming 2^31 bytes: the first is kept */
	nlh = unix_msg(100);
	one = nlh->nlmsg_len;
	memcpy(msgbuf + one, msgbuf, one);
	((struct nlmsghdr *)(msgbuf + one))->nlmsg_len = 0x80000000u + (unsigned)one;
	two = 2 * one;
	t = sock_table_new();
	errno = 0;
	r = parse_guarded(t, msgbuf, two);
	CHECK(r == -1 && errno == EBADMSG && sock_table_count(t) == 1 && sock_find(t, NETNS, 100),
	      "a whole message, then nlmsg_len 2^31: the first kept, then EBADMSG");
	sock_table_free(t);

	/* a length shorter than the header itself */
	nlh = unix_msg(100);
	one = nlh->nlmsg_len;
	nlh->nlmsg_len = 4;
	t = sock_table_new();
	errno = 0;
	r = parse_n(t, SOCK_UNIX, msgbuf, one);
	CHECK(r == -1 && errno == EBADMSG && sock_table_count(t) == 0,
	      "nlmsg_len shorter than a header: EBADMSG");
	sock_table_free(t);
}

/* Two tcp entries with one 4-tuple: a TIME_WAIT leftover (inode 0) first,
 * then a live socket: the tuple lookup must give the live one. */
static void test_time_wait_tuple(void)
{
	struct sock_table *t = sock_table_new();
	struct nlmsghdr *nlh;
	struct inet_diag_msg *m;
	char *p = msgbuf;
	int i;
	const struct sock_info *s;

	memset(msgbuf, 0, sizeof(msgbuf));
	for (i = 0; i < 2; i++) {
		nlh = mnl_nlmsg_put_header(p);
		nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
		m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));
		m->idiag_family = AF_INET;
		m->idiag_state = i == 0 ? 6 : 1;     /* TIME_WAIT, then ESTABLISHED */
		m->idiag_inode = i == 0 ? 0 : 4242;
		m->id.idiag_sport = htons(1000);
		m->id.idiag_dport = htons(2000);
		m->id.idiag_src[0] = m->id.idiag_dst[0] = htonl(0x7f000001);
		p += nlh->nlmsg_len;
	}
	CHECK(parse_n(t, SOCK_TCP, msgbuf, (size_t)(p - msgbuf)) == 1 && sock_table_count(t) == 2,
	      "two inet messages in one buffer: both kept, more to come");
	s = sock_table_at(t, 0);
	s = sock_find_tuple(t, NETNS, SOCK_TCP6, &s->local, &s->remote);
	CHECK(s && s->ino == 4242, "one 4-tuple twice: the socket with an inode wins over TIME_WAIT (tcp6 asks tcp too)");
	sock_table_free(t);
}

/* A listener and 20,000 connections accepted on its port (one key, many
 * entries): each found by inode, the port's walk gives every one in the order
 * added, the listener first, and an unrelated port stays empty. */
static void test_many_on_one_port(void)
{
	struct sock_table *t = sock_table_new();
	struct sock_info si;
	const struct sock_info *s;
	size_t it, n = 0;
	unsigned i;
	int ordered = 1, found = 1;

	for (i = 0; i <= 20000; i++) {
		memset(&si, 0, sizeof(si));
		si.netns = NETNS;
		si.dump = SOCK_TCP;
		si.family = AF_INET;
		si.ino = 500000 + i;
		si.state = i == 0 ? TCP_LISTEN : TCP_ESTABLISHED;
		si.local.port = 8080;
		si.remote.port = i == 0 ? 0 : 30000 + i;
		sock_table_add(t, &si);
	}
	for (it = 0; (s = sock_next_on_port(t, NETNS, SOCK_TCP6, 8080, &it)); n++)
		ordered &= s->ino == 500000 + n;
	CHECK(n == 20001 && ordered, "20,001 sockets on one port: all walked, in the order added");
	for (i = 0; i <= 20000; i += 97)
		found &= (s = sock_find(t, NETNS, 500000 + i)) && s->ino == 500000 + i;
	CHECK(found, "each of them found by its inode");
	it = 0;
	CHECK(sock_next_on_port(t, NETNS, SOCK_TCP, 8081, &it) == NULL, "no socket on another port");
	it = 0;
	CHECK(sock_next_on_port(t, NETNS + 1, SOCK_TCP, 8080, &it) == NULL,
	      "nor on that port in another namespace");
	sock_table_free(t);
}

/* ---- the rest of the API ---- */

static void test_names(void)
{
	struct sock_addr a = { .addr = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 1 }, .port = 80 };
	struct sock_addr z = { .addr = { 0 } }, v6 = { .addr = { [15] = 1 } };
	struct sock_table *t = sock_table_new();
	char buf[64];

	sock_addr_text(&a, buf, sizeof(buf));
	CHECK_STR(buf, "127.0.0.1", "an IPv4 address reads as a dotted quad");
	sock_addr_text(&v6, buf, sizeof(buf));
	CHECK_STR(buf, "::1", "::1 reads as ::1");
	CHECK(sock_addr_is_loopback(&a) && sock_addr_is_loopback(&v6) && !sock_addr_is_loopback(&z),
	      "loopback: 127.0.0.1 and ::1, not ::");
	CHECK(sock_addr_is_any(&z) && !sock_addr_is_any(&a), "the wildcard is ::, not 127.0.0.1");
	CHECK(sock_table_error(t, 5, SOCK_TCP) == ENODATA, "a namespace never dumped: ENODATA");
	sock_table_fail(t, 5, SOCK_ALL_KINDS, EPERM);
	CHECK(sock_table_error(t, 5, SOCK_UDP6) == EPERM && sock_table_error(t, 6, SOCK_UDP6) == ENODATA,
	      "a failed namespace answers its error for every kind, only for itself");
	sock_table_free(t);
}

/* /proc/net/raw, raw6 and icmp tables (sock_procnet.c), as kernel 6.x
 * prints them on this little-endian machine. */
static void test_procnet(void)
{
	static const char raw[] =
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
		" 204: 0100007F:0001 0200007F:0000 01 00000000:00000000 00:00000000 00000000     0        0 11320878 2 00000000847d21aa 0\n"
		" 205: garbage\n"
		" 206: 00000000:0011 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 0 2 0 0\n";
	static const char raw6[] =
		"  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
		"   60: 00000000000000000000000001000000:003A 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 11320881 2 000000006c91aa45 0\n";
	static const char icmp[] =
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
		"   3: 00000000:0007 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 4242 2 0 0";
	struct sock_table *t = sock_table_new();
	const struct sock_info *s;
	char a[64];

	CHECK(sock_procnet_parse(t, NETNS, SOCK_IPRAW, raw, sizeof(raw) - 1) == 1,
	      "procnet raw: one socket (malformed line and inode 0 skipped)");
	s = sock_find(t, NETNS, 11320878);
	sock_addr_text(s ? &s->local : &(struct sock_addr){ 0 }, a, sizeof(a));
	CHECK(s && s->dump == SOCK_IPRAW && s->local.port == 1 && strcmp(a, "127.0.0.1") == 0 &&
	      s->state == 1, "procnet raw: icmp on 127.0.0.1, state 1");
	sock_addr_text(s ? &s->remote : &(struct sock_addr){ 0 }, a, sizeof(a));
	CHECK(s && strcmp(a, "127.0.0.2") == 0, "procnet raw: remote 127.0.0.2");
	CHECK(sock_procnet_parse(t, NETNS, SOCK_IPRAW6, raw6, sizeof(raw6) - 1) == 1, "procnet raw6: one socket");
	s = sock_find(t, NETNS, 11320881);
	sock_addr_text(s ? &s->local : &(struct sock_addr){ 0 }, a, sizeof(a));
	CHECK(s && s->local.port == 58 && strcmp(a, "::1") == 0, "procnet raw6: ipv6-icmp on ::1");
	CHECK(sock_procnet_parse(t, NETNS, SOCK_PING, icmp, sizeof(icmp) - 1) == 1,
	      "procnet icmp: last line without a newline");
	s = sock_find(t, NETNS, 4242);
	CHECK(s && s->dump == SOCK_PING && s->local.port == 7 && s->uid == 1000, "procnet icmp: id 7, uid 1000");
	CHECK(sock_procnet_parse(t, NETNS, SOCK_PING, "", 0) == 0, "procnet: empty text");
	sock_table_free(t);
}

int main(void)
{
	struct sock_table *t = load_all();

	test_expectations(t);
	test_lookups(t);
	sock_table_free(t);
	test_truncated();
	test_malformed();
	test_huge_length();
	test_time_wait_tuple();
	test_many_on_one_port();
	test_names();
	test_procnet();
	return check_done();
}
