/* endpoint_detail.h - an fd's other ends and kind details, as endpoint
 * linking (endpoint.h) fills them, and the helpers its parts share
 * (endpoint_detail.c).  Every fd_detail belongs to the model.  The fds of
 * one pipe description and of one socket share one fd_detail (their ends are
 * the same): a description held by k processes whose other end is held by k
 * more costs k entries, not k * k. */
#ifndef FDSHARE_ENDPOINT_DETAIL_H
#define FDSHARE_ENDPOINT_DETAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "model/record.h"
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

/* Why a socket still open is in no sock_diag dump. */
enum sock_absent {
	SOCK_ABSENT_NONE,
	SOCK_ABSENT_NETNS,            /* in a network namespace no process is in */
	SOCK_ABSENT_UNBOUND_OR_NETNS, /* unbound (tcp, udp, netlink are listed once
	                                 bound), or in such a namespace */
};

struct fd_detail {
	struct fd_entry **ends;      /* the fds holding the other end, by pid then fd */
	size_t nends, ends_cap;
	bool have_ends;              /* ends is the answer (maybe empty); false: unknown or n/a */
	int err;                     /* why the ends are unknown (EPERM, EPROTONOSUPPORT ...), or 0 */
	/* sockets found in a dump */
	bool have_sock;
	const struct sock_info *sock;  /* its dump entry, in the model's m->sockets (pipes,
	                                  epoll and the rest have none) */
	bool awaiting_accept;        /* a client in a listener's backlog: ends hold the listener */
	bool peer_found;             /* the other socket itself was found (held or not) */
	enum sock_absent absent;     /* a socket in no dump, still open: where it is */
	/* epoll */
	struct epoll_watch *watches;
	size_t nwatches;
	unsigned refs;               /* fds whose detail this is (endpoint_share_detail) */
};

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

/* Sockets (endpoint_sock.c): start dumping each network namespace their
 * fds need, once, on a thread of its own; then (after linking what needs
 * no dump) wait for the dumps and link every socket fd.  The model's
 * processes must not change in between; their fds' details may. */
struct sock_ctx;
struct sock_ctx *endpoint_sockets_start(struct model *m);
void endpoint_sockets_finish(struct sock_ctx *c);
/* epoll targets to the owner's fds (endpoint_epoll.c); adds its kcmp calls
 * to m->kcmp_calls. */
void endpoint_link_epoll(const struct model_options *o, struct model *m);

#endif
