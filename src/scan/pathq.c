/* pathq.c - PATH arguments resolved with a time bound, matched against what
 * holders hold; our namespace's mount points (see pathq.h).
 *
 * Why a child process and not a thread: a lookup stuck on a dead mount waits
 * in the kernel, killable only; a thread left there would keep fdshare from
 * ever exiting cleanly (and a sanitizer's leak check, which stops every
 * thread, would wait for it forever).  A child is killed and forgotten. */
#define _GNU_SOURCE
#include "scan/pathq.h"
#include "scan/mounts.h"
#include "scan/parse.h"
#include "scan/parse_maps.h"
#include "scan/procfs.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CANON_MAX 8192

/* What a resolving child sends back, followed by canon_len bytes. */
struct reply {
	int err;
	dev_t dev;
	unsigned long long ino;
	mode_t mode;
	int mnt_id;
	size_t canon_len;
};

/* fdinfo's "mnt_id:" of our own fd, or -1. */
static int own_mnt_id(int fd)
{
	char path[64], buf[4096], *p;
	ssize_t n;
	int id;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	n = procfs_read_at(AT_FDCWD, path, buf, sizeof(buf));
	if (n <= 0 || !(p = strstr(buf, "mnt_id:")))
		return -1;
	return sscanf(p + 7, "%d", &id) == 1 ? id : -1;
}

/* In the child: resolve arg, write the reply to wfd, exit. */
static void __attribute__((noreturn)) resolve_child(const char *arg, int wfd)
{
	static char canon[CANON_MAX];
	struct reply r = { 0 };
	char link[64];
	struct stat st;
	ssize_t n = 0;
	int fd = open(arg, O_PATH | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0) {
		r.err = errno;
	} else {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, canon, sizeof(canon));
		if (n < 0 || (size_t)n >= sizeof(canon)) {
			r.err = n < 0 ? errno : ENAMETOOLONG;
			n = 0;
		}
		r.dev = st.st_dev;
		r.ino = st.st_ino;
		r.mode = st.st_mode;
		r.mnt_id = own_mnt_id(fd);
		r.canon_len = (size_t)n;
	}
	if (write(wfd, &r, sizeof(r)) != (ssize_t)sizeof(r) ||
	    (n > 0 && write(wfd, canon, (size_t)n) != n))
		_exit(1);
	_exit(0);
}

char *pathq_lexical_absolute(const char *cwd, const char *arg)
{
	struct strbuf in, out;
	size_t i = 0, start;

	sb_init(&in);
	sb_init(&out);
	if (arg[0] != '/' && cwd)
		sb_adds(&in, cwd);
	sb_adds(&in, "/");
	sb_adds(&in, arg);
	while (i < in.len) {
		while (i < in.len && in.buf[i] == '/')
			i++;
		start = i;
		while (i < in.len && in.buf[i] != '/')
			i++;
		if (i - start == 0 || (i - start == 1 && in.buf[start] == '.'))
			continue;
		if (i - start == 2 && in.buf[start] == '.' && in.buf[start + 1] == '.') {
			while (out.len && out.buf[out.len - 1] != '/')
				out.len--;
			if (out.len)
				out.len--;
			if (out.buf)
				out.buf[out.len] = '\0';
			continue;
		}
		sb_adds(&out, "/");
		sb_add(&out, in.buf + start, i - start);
	}
	if (!out.len)
		sb_adds(&out, "/");
	sb_free(&in);
	return sb_detach(&out);
}

/* The argument made absolute from our cwd (the kernel's own name for it:
 * getcwd asks no file system). */
static char *lexical_absolute(const char *arg)
{
	char *cwd = arg[0] == '/' ? NULL : getcwd(NULL, 0);
	char *abs = pathq_lexical_absolute(cwd, arg);

	free(cwd);
	return abs;
}

/* Fill q from a child's complete reply. */
static void take_reply(struct path_query *q, const struct reply *r, const char *canon,
		       const struct mount_points *mp)
{
	const struct mount_point *m = mp ? mount_points_by_id(mp, r->mnt_id) : NULL;

	q->err = r->err;
	if (r->err)
		return;
	q->dev = r->dev;
	q->ino = r->ino;
	q->canon = xmemdup0(canon, r->canon_len);
	q->canon_len = r->canon_len;
	if (m)
		snprintf(q->fstype, sizeof(q->fstype), "%s", m->fstype);
	if (!S_ISDIR(r->mode))
		q->kind = PQ_FILE;
	else if (m && m->point_len == q->canon_len && memcmp(m->point, q->canon, q->canon_len) == 0)
		q->kind = PQ_MOUNT;
	else
		q->kind = PQ_DIR;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reap a killed child if it dies within 0.2 s (a lookup still pending in
 * FUSE or NFS is killable), so it does not stay a zombie of ours in the
 * scan; one that does not die is left behind. */
static void reap_briefly(pid_t pid)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int i;

	for (i = 0; i < 20; i++) {
		if (waitpid(pid, NULL, WNOHANG) != 0)
			return;
		nanosleep(&tick, NULL);
	}
}

struct pending {
	pid_t pid;
	int rfd;
	struct strbuf got;
	bool eof;
};

/* Read what is there; true once the child closed its end. */
static bool drain(struct pending *p)
{
	char buf[4096];
	ssize_t n = read(p->rfd, buf, sizeof(buf));

	if (n > 0)
		sb_add(&p->got, buf, (size_t)n);
	else if (n == 0 || errno != EINTR)
		p->eof = true;
	return p->eof;
}

void pathq_resolve(const char *const *args, size_t n, double timeout, struct path_query *q)
{
	struct pending *pend = xcalloc(n ? n : 1, sizeof(*pend));
	struct pollfd *pfd = xcalloc(n ? n : 1, sizeof(*pfd));
	struct mount_points *mp = mount_points_read();
	double deadline = now() + timeout;
	size_t i, open_ends = 0;

	for (i = 0; i < n; i++) {
		int p[2];
		memset(&q[i], 0, sizeof(q[i]));
		q[i].arg = args[i];
		q[i].kind = PQ_NAME;
		sb_init(&pend[i].got);
		pend[i].rfd = -1;
		if (pipe2(p, O_CLOEXEC) < 0 || (pend[i].pid = fork()) < 0) {
			q[i].err = errno;
			continue;
		}
		if (pend[i].pid == 0) {
			close(p[0]);
			resolve_child(args[i], p[1]);
		}
		close(p[1]);
		pend[i].rfd = p[0];
		open_ends++;
	}
	while (open_ends) {
		double left = deadline - now();
		size_t k = 0;
		if (left <= 0)
			break;
		for (i = 0; i < n; i++)
			if (pend[i].rfd >= 0 && !pend[i].eof) {
				pfd[k].fd = pend[i].rfd;
				pfd[k].events = POLLIN;
				k++;
			}
		if (poll(pfd, k, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++)
			if (pend[i].rfd >= 0 && !pend[i].eof) {
				struct pollfd one = { .fd = pend[i].rfd, .events = POLLIN };
				if (poll(&one, 1, 0) > 0 && drain(&pend[i]))
					open_ends--;
			}
	}
	for (i = 0; i < n; i++) {
		const struct reply *r = (const struct reply *)pend[i].got.buf;
		if (pend[i].rfd < 0)
			continue;
		if (pend[i].eof && pend[i].got.len >= sizeof(*r) &&
		    pend[i].got.len == sizeof(*r) + r->canon_len) {
			take_reply(&q[i], r, pend[i].got.buf + sizeof(*r), mp);
			waitpid(pend[i].pid, NULL, 0);
		} else {
			/* Stuck in the kernel: killed, and not waited for (a lookup
			 * already handed to a stopped FUSE daemon is not even
			 * killable).  What it would have said is unknown. */
			kill(pend[i].pid, SIGKILL);
			reap_briefly(pend[i].pid);
			q[i].timed_out = !pend[i].eof;
			if (!q[i].timed_out)
				q[i].err = EIO;
		}
		if (q[i].kind == PQ_NAME && (q[i].timed_out || q[i].err == 0)) {
			q[i].canon = lexical_absolute(args[i]);
			q[i].canon_len = strlen(q[i].canon);
		}
		close(pend[i].rfd);
		sb_free(&pend[i].got);
	}
	mount_points_free(mp);
	free(pend);
	free(pfd);
}

void pathq_free(struct path_query *q, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(q[i].canon);
		q[i].canon = NULL;
	}
}

/* Whether path text is base or lies under it. */
static bool text_is_or_under(const char *path, size_t len, const char *base, size_t blen)
{
	if (blen == 1 && base[0] == '/')
		return len > 0 && path[0] == '/';
	if (len < blen || memcmp(path, base, blen) != 0)
		return false;
	return len == blen || path[blen] == '/';
}

bool pathq_match(const struct path_query *q, const struct held_file *h)
{
	bool same_id = h->have_dev && h->have_ino && h->dev == q->dev && h->ino == q->ino;
	bool under = h->path && q->canon && text_is_or_under(h->path, h->path_len, q->canon, q->canon_len);

	if (q->err)
		return false;
	switch (q->kind) {
	case PQ_FILE:
		if (h->have_dev && h->have_ino)
			return same_id;
		/* a remote file whose inode was not read: by its name, on its device */
		return h->path && (!h->have_dev || h->dev == q->dev) && h->path_len == q->canon_len &&
			memcmp(h->path, q->canon, q->canon_len) == 0;
	case PQ_DIR:
		return same_id || under;
	case PQ_MOUNT:
		return h->have_dev ? h->dev == q->dev : under;
	case PQ_NAME:
		return under;
	}
	return false;
}

/* ---- mount points ---- */

struct mount_points {
	struct mount_point *v;
	size_t n, cap;
};

struct mount_points *mount_points_read(void)
{
	struct mount_points *mp;
	char *line = NULL, point[CANON_MAX];
	size_t cap = 0;
	ssize_t len;
	long plen;
	struct mount_entry e;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return NULL;
	mp = xcalloc(1, sizeof(*mp));
	while ((len = getline(&line, &cap, f)) > 0) {
		struct mount_point *m;
		if (line[len - 1] == '\n')
			len--;
		if (parse_mountinfo_line(line, (size_t)len, &e) < 0 ||
		    (plen = parse_mountinfo_point(line, (size_t)len, point, sizeof(point))) < 0)
			continue;
		grow_array((void **)&mp->v, &mp->cap, mp->n + 1, sizeof(*mp->v));
		m = &mp->v[mp->n++];
		m->mnt_id = e.mnt_id;
		m->dev = makedev(e.major, e.minor);
		m->point = xmemdup0(point, (size_t)plen);
		m->point_len = (size_t)plen;
		snprintf(m->fstype, sizeof(m->fstype), "%s", e.fstype);
		m->remote = fstype_is_remote(e.fstype);
	}
	free(line);
	fclose(f);
	return mp;
}

void mount_points_free(struct mount_points *mp)
{
	size_t i;

	if (!mp)
		return;
	for (i = 0; i < mp->n; i++)
		free(mp->v[i].point);
	free(mp->v);
	free(mp);
}

const struct mount_point *mount_points_of_path(const struct mount_points *mp, const char *path,
					       size_t len)
{
	const struct mount_point *best = NULL;
	size_t i;

	for (i = 0; mp && i < mp->n; i++) {
		const struct mount_point *m = &mp->v[i];
		if (text_is_or_under(path, len, m->point, m->point_len) &&
		    (!best || m->point_len >= best->point_len))
			best = m;
	}
	return best;
}

const struct mount_point *mount_points_by_id(const struct mount_points *mp, int mnt_id)
{
	size_t i;

	for (i = 0; mp && i < mp->n; i++)
		if (mp->v[i].mnt_id == mnt_id)
			return &mp->v[i];
	return NULL;
}
