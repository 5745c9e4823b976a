/* watch_queue.c - the reader thread and its queue (see watch_queue.h). */
#include "watch/watch_queue.h"
#include "base/util.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct wqueue {
	struct watch *w;
	pthread_t thread;
	int ready_fd;             /* eventfd: the consumer polls it */
	int stop_fd;              /* eventfd: the reader polls it */
	size_t max_backlog;
	pthread_mutex_t lock;     /* guards evs, n, cap */
	struct proc_ev *evs;
	size_t n, cap;
};

static void poke(int fd)
{
	uint64_t one = 1;
	ssize_t r;

	do
		r = write(fd, &one, sizeof(one));
	while (r < 0 && errno == EINTR);
}

/* Append under the lock; a lost marker right after another says nothing new. */
static void push_locked(struct wqueue *q, const struct proc_ev *ev)
{
	if (ev->kind == PEV_LOST && q->n && q->evs[q->n - 1].kind == PEV_LOST)
		return;
	grow_array((void **)&q->evs, &q->cap, q->n + 1, sizeof(*q->evs));
	q->evs[q->n++] = *ev;
}

static void push_marker(struct wqueue *q, enum pev_kind kind, int err)
{
	struct proc_ev m;

	memset(&m, 0, sizeof(m));
	m.kind = kind;
	m.err = err;
	pthread_mutex_lock(&q->lock);
	push_locked(q, &m);
	pthread_mutex_unlock(&q->lock);
	poke(q->ready_fd);
}

static void push_events(struct wqueue *q, const struct proc_ev *evs, size_t n)
{
	struct proc_ev lost;
	size_t i;

	memset(&lost, 0, sizeof(lost));
	lost.kind = PEV_LOST;
	lost.err = EOVERFLOW;
	pthread_mutex_lock(&q->lock);
	for (i = 0; i < n; i++)
		push_locked(q, q->n < q->max_backlog ? &evs[i] : &lost);
	pthread_mutex_unlock(&q->lock);
	poke(q->ready_fd);
}

/* Read until the socket is empty; false once reading failed for good. */
static bool drain(struct wqueue *q)
{
	struct proc_ev evs[64];
	ssize_t n;

	for (;;) {
		n = watch_read(q->w, evs, ARRAY_LEN(evs));
		if (n > 0)
			push_events(q, evs, (size_t)n);
		else if (n == 0)
			continue;
		else if (errno == EAGAIN)
			return true;
		else if (errno == ENOBUFS)
			push_marker(q, PEV_LOST, ENOBUFS);
		else {
			push_marker(q, PEV_ERROR, errno);
			return false;
		}
	}
}

static void *reader(void *arg)
{
	struct wqueue *q = arg;
	struct pollfd pfd[2] = {
		{ watch_fd(q->w), POLLIN, 0 },
		{ q->stop_fd, POLLIN, 0 },
	};

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			push_marker(q, PEV_ERROR, errno);
			return NULL;
		}
		if (pfd[1].revents)
			return NULL;
		if (pfd[0].revents && !drain(q))
			return NULL;
	}
}

struct wqueue *wqueue_start(struct watch *w, size_t max_backlog)
{
	struct wqueue *q = xcalloc(1, sizeof(*q));
	int err;

	q->w = w;
	q->max_backlog = max_backlog ? max_backlog : 1;
	q->ready_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	q->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	pthread_mutex_init(&q->lock, NULL);
	if (q->ready_fd < 0 || q->stop_fd < 0)
		goto fail;
	err = pthread_create(&q->thread, NULL, reader, q);
	if (err) {
		errno = err;
		goto fail;
	}
	return q;
fail:
	err = errno;
	if (q->ready_fd >= 0)
		close(q->ready_fd);
	if (q->stop_fd >= 0)
		close(q->stop_fd);
	pthread_mutex_destroy(&q->lock);
	free(q);
	errno = err;
	return NULL;
}

int wqueue_fd(const struct wqueue *q)
{
	return q->ready_fd;
}

size_t wqueue_take(struct wqueue *q, struct proc_ev **evs, size_t *cap)
{
	uint64_t count;
	size_t n;

	/* Reset the eventfd first: a push after this pokes it again. */
	if (read(q->ready_fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		return 0;
	pthread_mutex_lock(&q->lock);
	n = q->n;
	grow_array((void **)evs, cap, n, sizeof(**evs));
	if (n)
		memcpy(*evs, q->evs, n * sizeof(**evs));
	q->n = 0;
	/* Give back the memory of a burst once it is over. */
	if (q->cap > 4096 && n < q->cap / 8) {
		free(q->evs);
		q->evs = NULL;
		q->cap = 0;
	}
	pthread_mutex_unlock(&q->lock);
	return n;
}

void wqueue_stop(struct wqueue *q)
{
	if (!q)
		return;
	poke(q->stop_fd);
	pthread_join(q->thread, NULL);
	close(q->ready_fd);
	close(q->stop_fd);
	pthread_mutex_destroy(&q->lock);
	free(q->evs);
	free(q);
}
