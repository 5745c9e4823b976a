/* watch_queue.h - a reader thread that drains the proc connector into a queue.
 *
 * The kernel drops events (ENOBUFS) when the socket's buffer fills, so the
 * socket is read by a thread of its own that does nothing else: it polls the
 * socket and a stop eventfd, decodes, and appends to a queue.  All /proc
 * reading and all output happen in the consumer, which may block (a slow
 * pipe on stdout) without costing events.  The queue is bounded: past
 * max_backlog events the reader drops them and queues a PEV_LOST marker
 * (err EOVERFLOW), as it does for the kernel's ENOBUFS (err ENOBUFS). */
#ifndef FDSHARE_WATCH_QUEUE_H
#define FDSHARE_WATCH_QUEUE_H

#include <stddef.h>

#include "watch/watch.h"

struct wqueue;   /* opaque */

/* Start the reader on w (which stays the caller's; close it only after
 * wqueue_stop).  Signals the caller blocks stay blocked in the thread.
 * Returns the queue, or NULL with errno. */
struct wqueue *wqueue_start(struct watch *w, size_t max_backlog);
/* An eventfd that is readable while events are queued: poll it. */
int wqueue_fd(const struct wqueue *q);
/* Move every queued event, oldest first, into *evs (a growable array of
 * *cap entries, the caller's to free) and return how many. */
size_t wqueue_take(struct wqueue *q, struct proc_ev **evs, size_t *cap);
/* Stop and join the reader, free the queue (NULL is fine). */
void wqueue_stop(struct wqueue *q);

#endif
