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
 * releases them (model_free calls it). */
#ifndef FDSHARE_ENDPOINT_H
#define FDSHARE_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "model/endpoint_detail.h"

/* Link every live fd of m to its other ends (one call, after grouping; it
 * pins processes again for their network namespaces).  Sockets of other network
 * namespaces are dumped from inside each namespace once (root only; else
 * their fds say EPERM).  kcmp is used only when o->use_kcmp. */
void endpoint_link(const struct model_options *o, struct model *m);
/* Free every fd's detail. */
void endpoint_free(struct model *m);

#endif
