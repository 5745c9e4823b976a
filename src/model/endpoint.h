/* endpoint.h - the other end of every pipe, FIFO, socket and eventfd, and
 * what each epoll fd watches, linked into the model after grouping.
 *
 * Pipes and FIFOs from /proc alone: the fds on one pipe inode whose access
 * mode complements this fd's are its other end.  Sockets from one sock_diag
 * dump per family and network namespace (sock.h): a unix socket's peer
 * inode, a listener's pending clients, an inet socket's reversed address
 * 4-tuple in the same namespace, each turned into the fds that hold it.
 * epoll targets are resolved to the owner's fd and proven with kcmp
 * KCMP_EPOLL_TFD.  Details of the other anon-inode kinds (pidfd, signalfd,
 * timerfd, inotify) are read from fdinfo as they are and need no linking.
 *
 * Every fd_detail and what it points to belongs to the model: endpoint_free()
 * releases them (model_free calls it).  The fds of one pipe description and
 * of one socket share one fd_detail (their ends are the same): a description
 * held by k processes whose other end is held by k more costs k entries, not
 * k * k. */
#ifndef FDSHARE_ENDPOINT_H
#define FDSHARE_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "model/model.h"
#include "scan/sock.h"

struct epoll_watch {
	int tfd;                     /* the target number from fdinfo "tfd:" */
	unsigned events;
	unsigned long long data;
	unsigned long long ino;      /* the watched file's inode */
	struct fd_entry *fd;         /* the watched fd in a holder of the epoll fd, or NULL
	                                (that fd number was closed or now names another file) */
	bool verified;               /* kcmp KCMP_EPOLL_TFD proved fd is the watched file */
	int err;                     /* unverified: EPERM, ENOSYS, ESRCH ...; -1 kcmp disabled */
};

struct fd_detail {
	struct fd_entry **ends;      /* the fds holding the other end, by pid then fd */
	size_t nends, ends_cap;
	bool have_ends;              /* ends is the answer (maybe empty); false: unknown or n/a */
	int err;                     /* why the ends are unknown (EPERM, EPROTONOSUPPORT ...), or 0 */
	/* sockets found in a dump */
	bool have_sock;
	struct sock_info sock;       /* a copy of its dump entry */
	bool awaiting_accept;        /* a client in a listener's backlog: ends hold the listener */
	bool peer_found;             /* the other socket itself was found (held or not) */
	/* epoll */
	struct epoll_watch *watches;
	size_t nwatches;
	unsigned refs;               /* fds whose detail this is (endpoint_share_detail) */
};

/* Link every live fd of m to its other ends (one call, after grouping and
 * while the processes are still pinned).  Sockets of other network
 * namespaces are dumped from inside each namespace once (root only; else
 * their fds say EPERM).  kcmp is used only when o->use_kcmp. */
void endpoint_link(const struct model_options *o, struct model *m);
/* Free every fd's detail. */
void endpoint_free(struct model *m);

/* Whether f refers to the file (dev, ino) named by a PATH argument: the file
 * it has open, or, for a unix socket, the socket file it is bound to. */
bool endpoint_matches_path(const struct fd_entry *f, dev_t dev, ino_t ino);

/* A socket's protocol as fdshare names it ("unix", "tcp", "tcp6", "udp",
 * "udp6", "netlink", "raw6" ...) into buf; false when unknown. */
bool endpoint_protocol(const struct fd_entry *f, char *buf, size_t cap);

/* ---- for the parts of this module (endpoint_sock.c, endpoint_epoll.c) ---- */

/* f's detail, made on first use. */
struct fd_detail *endpoint_detail(struct fd_entry *f);
/* Make d, complete, the detail of f too (f has none yet): for fds whose
 * ends and details are the same by construction. */
void endpoint_share_detail(struct fd_entry *f, struct fd_detail *d);
/* Add g to d's ends unless it is there already (ends stay sorted). */
void endpoint_add_end(struct fd_detail *d, struct fd_entry *g);
/* Whether f is a live fd of a process still in the model. */
bool endpoint_live(const struct fd_entry *f);
/* The dump a socket fd's protocol is in, or -1 (unknown, or not dumped). */
int endpoint_sock_dump(const struct fd_entry *f);

/* Sockets: dump each network namespace once and link (endpoint_sock.c). */
void endpoint_link_sockets(struct model *m);
/* epoll targets to the owner's fds (endpoint_epoll.c); adds its kcmp calls
 * to m->kcmp_calls. */
void endpoint_link_epoll(const struct model_options *o, struct model *m);

#endif
