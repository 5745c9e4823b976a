/* watch.h - the kernel's process events: the netlink proc connector, via libmnl.
 *
 * A socket of family NETLINK_CONNECTOR bound to the multicast group
 * CN_IDX_PROC receives one message per fork, exec, exit (and a few more) of
 * every task on the machine once a PROC_CN_MCAST_LISTEN request was sent.
 * Every message is an nlmsghdr (type NLMSG_DONE) + struct cn_msg (id
 * {CN_IDX_PROC, CN_VAL_PROC}) + struct proc_event (linux/cn_proc.h).
 *
 * The kernel reports pids as seen from the initial pid namespace, and
 * ignores a LISTEN from any other pid or user namespace (on 6.8+ it still
 * delivers events to such a socket, with pids its owner cannot map): so
 * watch_open() refuses to run outside the initial namespaces.
 *
 * Kernels 6.6+ accept a filter (struct proc_input: op + event mask, 8 bytes);
 * older ones ignore an 8-byte request silently.  watch_open() asks for the
 * filter first and falls back to the plain 4-byte LISTEN when no
 * acknowledgement comes.  Decoding (watch_decode) is a pure function over a
 * buffer, so the unit tests feed it constructed messages. */
#ifndef FDSHARE_WATCH_H
#define FDSHARE_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* What one decoded message (or one reader-made marker) says. */
enum pev_kind {
	PEV_ACK,      /* PROC_EVENT_NONE: the answer to a LISTEN/IGNORE request */
	PEV_FORK,     /* a task was created (a process, or a thread if pid != tgid) */
	PEV_EXEC,
	PEV_EXIT,     /* a task ended (a thread if pid != tgid) */
	PEV_COMM,     /* a task renamed itself (prctl PR_SET_NAME) */
	PEV_OTHER,    /* uid, gid, sid, ptrace, coredump: not used */
	PEV_LOST,     /* made by the reader: events were lost (err ENOBUFS or EOVERFLOW) */
	PEV_ERROR,    /* made by the reader: reading failed for good (err) */
};

struct proc_ev {
	enum pev_kind kind;
	unsigned cpu;
	unsigned long long ts_ns;    /* CLOCK_MONOTONIC, stamped by the kernel */
	unsigned seq, ack;           /* the cn_msg's: an ACK echoes the request's ack + 1 */
	int pid, tgid;               /* FORK: the child; EXEC, EXIT, COMM: the task */
	int parent_pid, parent_tgid; /* FORK: forking thread and its process; EXIT: the real parent */
	unsigned exit_code;          /* EXIT: wait status (code << 8, or signal | 0x80 core) */
	int exit_signal;             /* EXIT: signal sent to the parent (-1 for threads) */
	int err;                     /* ACK: the kernel's error; LOST/ERROR: errno */
	char comm[16];               /* COMM: the new name, NUL-terminated */
};

/* Which step of watch_open() failed, to say what is missing. */
enum watch_fail {
	WATCH_FAIL_NONE,
	WATCH_FAIL_PIDNS,     /* not in the initial pid namespace */
	WATCH_FAIL_USERNS,    /* not in the initial user namespace */
	WATCH_FAIL_SOCKET,    /* socket(NETLINK_CONNECTOR): EPROTONOSUPPORT = no CONFIG_CONNECTOR */
	WATCH_FAIL_BIND,      /* bind to CN_IDX_PROC: EPERM = needs CAP_NET_ADMIN (old kernels) */
	WATCH_FAIL_SEND,      /* sending LISTEN */
	WATCH_FAIL_REFUSED,   /* the kernel answered LISTEN with an error (err) */
	WATCH_FAIL_NO_ACK,    /* no answer: no CONFIG_PROC_EVENTS */
	WATCH_FAIL_RECV,
};

struct watch_info {
	enum watch_fail fail;        /* WATCH_FAIL_NONE on success */
	int err;                     /* errno of the failed step */
	bool filtered;               /* the kernel filters events by kind (6.6+) */
	bool forced;                 /* SO_RCVBUFFORCE worked (CAP_NET_ADMIN) */
	size_t rcvbuf;               /* the receive buffer the kernel granted, bytes */
	size_t discarded;            /* events received before the acknowledgement */
};

struct watch;   /* opaque: the subscribed socket */

/* Open a connector socket, ask for a receive buffer of rcvbuf bytes, bind to
 * CN_IDX_PROC and subscribe (kernel filter: FORK, EXEC, EXIT and COMM);
 * events before the acknowledgement are discarded.  Returns the handle, or
 * NULL with errno set and info->fail saying which step failed.  The socket
 * is non-blocking. */
struct watch *watch_open(size_t rcvbuf, struct watch_info *info);
/* The socket, for poll(). */
int watch_fd(const struct watch *w);
/* One datagram: decode up to cap events into evs.  Returns the count (0 for
 * a message without events), or -1 with errno: EAGAIN nothing to read,
 * ENOBUFS events were lost (the kernel found the buffer full), other errors. */
ssize_t watch_read(struct watch *w, struct proc_ev *evs, size_t cap);
/* Unsubscribe (PROC_CN_MCAST_IGNORE) and close; NULL is fine. */
void watch_close(struct watch *w);

/* Decode the netlink messages in buf[0..len) (aligned as recv() fills it)
 * into at most cap events; messages that are not proc connector events are
 * skipped, malformed ones counted in *bad (may be NULL).  Pure. */
size_t watch_decode(const void *buf, size_t len, struct proc_ev *evs, size_t cap, size_t *bad);

/* What is missing, in words, for a failure of watch_open() ("the kernel has
 * no proc connector (CONFIG_CONNECTOR, CONFIG_PROC_EVENTS)" ...). */
const char *watch_fail_reason(enum watch_fail fail, int err);

#endif
