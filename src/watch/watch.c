/* watch.c - the proc connector subscription and its message decoding (see watch.h).
 *
 * Layout of one event, as the kernel sends it (all host byte order):
 *
 *   struct nlmsghdr   16 bytes, nlmsg_type NLMSG_DONE, nlmsg_pid 0 (the kernel)
 *   struct cn_msg     20 bytes: id {idx, val}, seq, ack, len (of what follows), flags
 *   struct proc_event what (u32), cpu (u32), timestamp_ns (u64), then the
 *                     union event_data: fork {parent_pid, parent_tgid,
 *                     child_pid, child_tgid}, exec {pid, tgid}, exit {pid,
 *                     tgid, exit_code, exit_signal, parent_pid, parent_tgid},
 *                     comm {pid, tgid, char comm[16]}, ack {err} ...
 *
 * The proc_event starts 36 bytes into the message, so its u64 is not
 * aligned: every field is copied out with memcpy at its offsetof(). */
#define _GNU_SOURCE
#include "watch/watch.h"
#include "base/nlmsg.h"
#include "base/util.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Kernel 6.6+ (struct proc_input); Debian 12's headers predate it. */
struct watch_proc_input {
	uint32_t mcast_op;
	uint32_t event_type;
};
#define WATCH_EVENT_ALL 0xe00003c7u   /* PROC_EVENT_ALL of 6.6+: every kind */
#define WATCH_EVENT_WANTED (PROC_EVENT_FORK | PROC_EVENT_EXEC | PROC_EVENT_EXIT | PROC_EVENT_COMM)

/* The inode numbers of the initial namespaces (PROC_PID_INIT_INO and
 * PROC_USER_INIT_INO in the kernel's proc_ns.h, fixed since 3.8). */
#define INIT_PIDNS_INO 0xeffffffcu
#define INIT_USERNS_INO 0xeffffffdu

#define FILTER_ACK_MS 250     /* a 6.6+ kernel answers at once; older ones never */
#define PLAIN_ACK_MS 1000

struct watch {
	struct mnl_socket *nl;
	unsigned seq;             /* of our requests */
	uint64_t buf[8192 / sizeof(uint64_t)];   /* aligned for nlmsghdr; an event is 76 bytes */
};

/* ---- decoding ---- */

static uint32_t rd32(const unsigned char *ev, size_t off)
{
	uint32_t v;
	memcpy(&v, ev + off, sizeof(v));
	return v;
}

static int rdpid(const unsigned char *ev, size_t off)
{
	return (int)rd32(ev, off);
}

#define OFF(field) offsetof(struct proc_event, event_data.field)
#define END(field) (offsetof(struct proc_event, event_data.field) + sizeof(((struct proc_event *)0)->event_data.field))

/* Fill *out from one proc_event of len bytes; -1 when it is too short. */
static int decode_event(const unsigned char *ev, size_t len, struct proc_ev *out)
{
	uint32_t what;

	if (len < offsetof(struct proc_event, event_data))
		return -1;
	what = rd32(ev, offsetof(struct proc_event, what));
	out->cpu = rd32(ev, offsetof(struct proc_event, cpu));
	memcpy(&out->ts_ns, ev + offsetof(struct proc_event, timestamp_ns), sizeof(out->ts_ns));
	switch (what) {
	case PROC_EVENT_NONE:
		if (len < END(ack))
			return -1;
		out->kind = PEV_ACK;
		out->err = (int)rd32(ev, OFF(ack.err));
		return 0;
	case PROC_EVENT_FORK:
		if (len < END(fork))
			return -1;
		out->kind = PEV_FORK;
		out->parent_pid = rdpid(ev, OFF(fork.parent_pid));
		out->parent_tgid = rdpid(ev, OFF(fork.parent_tgid));
		out->pid = rdpid(ev, OFF(fork.child_pid));
		out->tgid = rdpid(ev, OFF(fork.child_tgid));
		return 0;
	case PROC_EVENT_EXEC:
		if (len < END(exec))
			return -1;
		out->kind = PEV_EXEC;
		out->pid = rdpid(ev, OFF(exec.process_pid));
		out->tgid = rdpid(ev, OFF(exec.process_tgid));
		return 0;
	case PROC_EVENT_EXIT:
		if (len < END(exit))
			return -1;
		out->kind = PEV_EXIT;
		out->pid = rdpid(ev, OFF(exit.process_pid));
		out->tgid = rdpid(ev, OFF(exit.process_tgid));
		out->exit_code = rd32(ev, OFF(exit.exit_code));
		out->exit_signal = (int)rd32(ev, OFF(exit.exit_signal));
		out->parent_pid = rdpid(ev, OFF(exit.parent_pid));
		out->parent_tgid = rdpid(ev, OFF(exit.parent_tgid));
		return 0;
	case PROC_EVENT_COMM:
		if (len < END(comm))
			return -1;
		out->kind = PEV_COMM;
		out->pid = rdpid(ev, OFF(comm.process_pid));
		out->tgid = rdpid(ev, OFF(comm.process_tgid));
		memcpy(out->comm, ev + OFF(comm.comm), sizeof(out->comm) - 1);
		out->comm[sizeof(out->comm) - 1] = '\0';
		return 0;
	}
	out->kind = PEV_OTHER;
	return 0;
}

/* One netlink message: 1 event decoded, 0 not a proc connector event, -1 malformed. */
static int decode_msg(const struct nlmsghdr *nlh, struct proc_ev *out)
{
	const unsigned char *payload = mnl_nlmsg_get_payload(nlh);
	size_t plen = nlh->nlmsg_len - NLMSG_HDRLEN;
	struct cn_msg cn;

	if (nlh->nlmsg_type != NLMSG_DONE)
		return 0;
	if (plen < sizeof(cn))
		return -1;
	memcpy(&cn, payload, sizeof(cn));
	if (cn.id.idx != CN_IDX_PROC || cn.id.val != CN_VAL_PROC)
		return 0;
	if (cn.len > plen - sizeof(cn))
		return -1;
	memset(out, 0, sizeof(*out));
	out->seq = cn.seq;
	out->ack = cn.ack;
	return decode_event(payload + sizeof(cn), cn.len, out) < 0 ? -1 : 1;
}

size_t watch_decode(const void *buf, size_t len, struct proc_ev *evs, size_t cap, size_t *bad)
{
	const struct nlmsghdr *nlh;
	struct nlmsg_walk w;
	size_t n = 0;
	int r;

	if (bad)
		*bad = 0;
	nlmsg_walk_init(&w, buf, len);
	while (n < cap && (nlh = nlmsg_walk_next(&w)) != NULL) {
		r = decode_msg(nlh, &evs[n]);
		if (r > 0)
			n++;
		else if (r < 0 && bad)
			(*bad)++;
	}
	/* Bytes that do not form a whole message are malformed too. */
	if (w.malformed && bad)
		(*bad)++;
	return n;
}

/* ---- the socket ---- */

int watch_fd(const struct watch *w)
{
	return mnl_socket_get_fd(w->nl);
}

ssize_t watch_read(struct watch *w, struct proc_ev *evs, size_t cap)
{
	struct sockaddr_nl addr;
	struct iovec iov = { w->buf, sizeof(w->buf) };
	struct msghdr msg = { .msg_name = &addr, .msg_namelen = sizeof(addr), .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t r;

	do
		r = recvmsg(watch_fd(w), &msg, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	/* Only the kernel (port 0) speaks for the proc connector; a whole
	 * datagram or nothing. */
	if (msg.msg_namelen != sizeof(addr) || addr.nl_pid != 0 || (msg.msg_flags & MSG_TRUNC))
		return 0;
	return (ssize_t)watch_decode(w->buf, (size_t)r, evs, cap, NULL);
}

/* Send one request: the 8-byte proc_input (filter) or the plain 4-byte op. */
static int send_op(struct watch *w, uint32_t op, bool filter, uint32_t events, unsigned ack)
{
	uint64_t buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct watch_proc_input in = { op, events };
	size_t len = filter ? sizeof(in) : sizeof(op);
	struct cn_msg *cn;

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_pid = mnl_socket_get_portid(w->nl);
	cn = mnl_nlmsg_put_extra_header(nlh, sizeof(*cn) + len);
	cn->id.idx = CN_IDX_PROC;
	cn->id.val = CN_VAL_PROC;
	cn->seq = ++w->seq;
	cn->ack = ack;
	cn->len = (uint16_t)len;
	memcpy(cn->data, &in, len);
	return mnl_socket_sendto(w->nl, nlh, nlh->nlmsg_len) < 0 ? -1 : 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Wait up to ms for the acknowledgement of our request: it echoes our ack
 * + 1 (its seq is the kernel's own counter since 6.x, not ours); other
 * events are discarded (counted).  1 acknowledged (*err = the
 * kernel's answer), 0 timed out, -1 errno. */
static int wait_ack(struct watch *w, unsigned ack, int ms, int *err, size_t *discarded)
{
	struct pollfd pfd = { watch_fd(w), POLLIN, 0 };
	long long end = now_ms() + ms;
	struct proc_ev evs[16];
	ssize_t n, i;
	int r;

	for (;;) {
		long long left = end - now_ms();
		if (left <= 0)
			return 0;
		r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno != EINTR)
			return -1;
		if (r <= 0)
			continue;
		while ((n = watch_read(w, evs, ARRAY_LEN(evs))) >= 0 || errno == ENOBUFS) {
			for (i = 0; i < n; i++) {
				if (evs[i].kind == PEV_ACK && evs[i].ack == ack + 1) {
					*err = evs[i].err;
					return 1;
				}
				(*discarded)++;
			}
		}
		if (errno != EAGAIN)
			return -1;
	}
}

/* The kernel ignores LISTEN from other namespaces: say so up front. */
static enum watch_fail check_namespaces(void)
{
	struct stat st;

	if (stat("/proc/self/ns/pid", &st) == 0 && st.st_ino != INIT_PIDNS_INO)
		return WATCH_FAIL_PIDNS;
	if (stat("/proc/self/ns/user", &st) == 0 && st.st_ino != INIT_USERNS_INO)
		return WATCH_FAIL_USERNS;
	return WATCH_FAIL_NONE;
}

/* Ask for size bytes; SO_RCVBUFFORCE passes rmem_max but needs CAP_NET_ADMIN. */
static void set_rcvbuf(struct watch *w, size_t size, struct watch_info *info)
{
	int fd = watch_fd(w), v = size > INT32_MAX / 2 ? INT32_MAX / 2 : (int)size;
	socklen_t len = sizeof(v);

	info->forced = setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) == 0;
	if (!info->forced)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &len) == 0 && v > 0)
		info->rcvbuf = (size_t)v;
}

/* LISTEN with the 6.6+ filter, else the plain LISTEN; 0 or -1 (info filled). */
static int subscribe(struct watch *w, struct watch_info *info)
{
	/* Other listeners' acknowledgements reach us too: ours must differ. */
	unsigned ack = ((unsigned)getpid() * 2654435761u) ^ (unsigned)now_ms();
	int r, kerr = 0;

	if (send_op(w, PROC_CN_MCAST_LISTEN, true, WATCH_EVENT_ALL, ack) < 0)
		return info->fail = WATCH_FAIL_SEND, -1;
	r = wait_ack(w, ack, FILTER_ACK_MS, &kerr, &info->discarded);
	if (r > 0 && kerr == 0) {
		/* Understood: narrow it down.  The answer to this one carries
		 * what = NONE, which the new filter itself drops. */
		info->filtered = true;
		if (send_op(w, PROC_CN_MCAST_LISTEN, true, WATCH_EVENT_WANTED, ack) < 0)
			return info->fail = WATCH_FAIL_SEND, -1;
		return 0;
	}
	if (r == 0) {
		if (send_op(w, PROC_CN_MCAST_LISTEN, false, 0, ack) < 0)
			return info->fail = WATCH_FAIL_SEND, -1;
		r = wait_ack(w, ack, PLAIN_ACK_MS, &kerr, &info->discarded);
	}
	if (r < 0)
		return info->fail = WATCH_FAIL_RECV, -1;
	if (r == 0) {
		errno = ETIMEDOUT;
		return info->fail = WATCH_FAIL_NO_ACK, -1;
	}
	if (kerr) {
		errno = kerr;
		return info->fail = WATCH_FAIL_REFUSED, -1;
	}
	return 0;
}

struct watch *watch_open(size_t rcvbuf, struct watch_info *info)
{
	struct watch *w;
	int saved;

	memset(info, 0, sizeof(*info));
	info->fail = check_namespaces();
	if (info->fail != WATCH_FAIL_NONE) {
		errno = EPERM;
		return NULL;
	}
	w = xcalloc(1, sizeof(*w));
	w->nl = mnl_socket_open2(NETLINK_CONNECTOR, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!w->nl) {
		info->fail = WATCH_FAIL_SOCKET;
		goto fail;
	}
	set_rcvbuf(w, rcvbuf, info);
	if (mnl_socket_bind(w->nl, CN_IDX_PROC, MNL_SOCKET_AUTOPID) < 0) {
		info->fail = WATCH_FAIL_BIND;
		goto fail;
	}
	if (subscribe(w, info) < 0)
		goto fail;
	return w;
fail:
	info->err = errno;
	saved = errno;
	if (w->nl)
		mnl_socket_close(w->nl);
	free(w);
	errno = saved;
	return NULL;
}

void watch_close(struct watch *w)
{
	if (!w)
		return;
	/* Old kernels count listeners and send events while any is left. */
	send_op(w, PROC_CN_MCAST_IGNORE, false, 0, 0);
	mnl_socket_close(w->nl);
	free(w);
}

const char *watch_fail_reason(enum watch_fail fail, int err)
{
	switch (fail) {
	case WATCH_FAIL_NONE:
		return "no error";
	case WATCH_FAIL_PIDNS:
		return "not in the initial pid namespace: the kernel sends process events only "
		       "there (with its pids); run fdshare --watch on the host";
	case WATCH_FAIL_USERNS:
		return "not in the initial user namespace: the kernel ignores subscriptions "
		       "from other user namespaces; run fdshare --watch on the host";
	case WATCH_FAIL_SOCKET:
		return err == EPROTONOSUPPORT || err == EAFNOSUPPORT
			? "the kernel has no netlink connector (CONFIG_CONNECTOR, CONFIG_PROC_EVENTS)"
			: "cannot open a netlink connector socket";
	case WATCH_FAIL_BIND:
		return err == EPERM || err == EACCES
			? "the proc connector refused the subscription: this kernel needs "
			  "CAP_NET_ADMIN (run as root)"
			: "cannot join the proc connector's group";
	case WATCH_FAIL_SEND:
		return "cannot send the subscription to the proc connector";
	case WATCH_FAIL_REFUSED:
		return err == EPERM
			? "the proc connector refused the subscription: this kernel needs "
			  "CAP_NET_ADMIN (run as root)"
			: "the proc connector refused the subscription";
	case WATCH_FAIL_NO_ACK:
		return "the proc connector did not answer: the kernel lacks CONFIG_PROC_EVENTS";
	case WATCH_FAIL_RECV:
		return "cannot read from the proc connector";
	}
	return "unknown failure";
}
