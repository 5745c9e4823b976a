/* proc_locks_read.c - /proc/locks read on a thread of its own (see
 * proc_locks_read.h). */
#include "scan/proc_locks_read.h"
#include "base/parallel.h"
#include "base/util.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PROC_LOCKS_MAX (64u << 20)   /* a /proc/locks larger than this is cut short */

struct proc_locks_early {
	pthread_t thread;
	bool joined;              /* the thread is done and joined (peek or take) */
	const char *procroot;
	struct proc_locks_text text;
};

/* Read all of /proc/locks (it can exceed a page: read to the end). */
static void read_all(const char *procroot, struct proc_locks_text *out)
{
	char path[4096];
	size_t cap = 16384;
	ssize_t n;
	int fd;

	out->len = 0;
	out->err = 0;
	out->buf = NULL;
	snprintf(path, sizeof(path), "%s/locks", procroot);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		out->err = errno;
		return;
	}
	out->buf = xmalloc(cap + 1);
	for (;;) {
		if (out->len == cap) {
			if (cap >= PROC_LOCKS_MAX)
				break;
			out->buf = xreallocarray(out->buf, cap * 2 + 1, 1);
			cap *= 2;
		}
		n = read(fd, out->buf + out->len, cap - out->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			out->err = errno;
			break;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
	}
	out->buf[out->len] = '\0';
	close(fd);
}

static void *read_thread(void *arg)
{
	struct proc_locks_early *e = arg;

	read_all(e->procroot, &e->text);
	return NULL;
}

struct proc_locks_early *proc_locks_start(const char *procroot)
{
	struct proc_locks_early *e = xcalloc(1, sizeof(*e));

	e->procroot = procroot;
	if (pthread_create(&e->thread, NULL, read_thread, e) != 0) {
		free(e);
		return NULL;
	}
	return e;
}

static void join_once(struct proc_locks_early *e)
{
	parallel_join_once(e->thread, &e->joined);
}

const struct proc_locks_text *proc_locks_peek(struct proc_locks_early *e)
{
	if (!e)
		return NULL;
	join_once(e);
	return &e->text;
}

void proc_locks_take(struct proc_locks_early *e, const char *procroot, struct proc_locks_text *out)
{
	if (!e) {
		read_all(procroot, out);
		return;
	}
	join_once(e);
	*out = e->text;
	free(e);
}

void proc_locks_drop(struct proc_locks_early *e)
{
	struct proc_locks_text t;

	if (!e)
		return;
	proc_locks_take(e, NULL, &t);
	free(t.buf);
}
