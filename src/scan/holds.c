/* holds.c - cwd, rtd, txt and mem holds, and PATH matching (see holds.h). */
#define _GNU_SOURCE
#include "scan/holds.h"
#include "model/endpoint_detail.h"
#include "scan/parse_maps.h"
#include "scan/procfs.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define DELETED_SUFFIX " (deleted)"
#define DELETED_LEN (sizeof(DELETED_SUFFIX) - 1)

struct holds_ctx {
	struct mount_points *mounts;   /* ours; NULL when unreadable */
	char mntns[64];                /* our ns/mnt link text, "" when unknown */
	const struct path_query *q;
	size_t nq;
	int dirfd;                     /* the pinned /proc/PID of the process being read */
	holds_maps_fn maps_of;         /* whether maps is worth reading, else NULL: read */
	void *maps_arg;
};

void holds_take_maps_from(struct holds_ctx *c, holds_maps_fn fn, void *arg)
{
	c->maps_of = fn;
	c->maps_arg = arg;
}

const char *hold_how_name(enum hold_how h)
{
	switch (h) {
	case HOLD_CWD: return "cwd";
	case HOLD_RTD: return "rtd";
	case HOLD_TXT: return "txt";
	case HOLD_MEM: return "mem";
	}
	return "?";
}

struct holds_ctx *holds_ctx_new(const struct path_query *q, size_t n)
{
	struct holds_ctx *c = xcalloc(1, sizeof(*c));
	ssize_t len = readlink("/proc/self/ns/mnt", c->mntns, sizeof(c->mntns) - 1);

	c->mntns[len > 0 ? len : 0] = '\0';
	c->mounts = mount_points_read();
	c->q = q;
	c->nq = n;
	return c;
}

void holds_ctx_free(struct holds_ctx *c)
{
	if (!c)
		return;
	mount_points_free(c->mounts);
	free(c);
}

static bool ends_deleted(const char *s, size_t n)
{
	return n > DELETED_LEN && memcmp(s + n - DELETED_LEN, DELETED_SUFFIX, DELETED_LEN) == 0;
}

static bool matches_any(const struct holds_ctx *c, const struct held_file *h)
{
	size_t k;

	for (k = 0; k < c->nq; k++)
		if (pathq_match(&c->q[k], h))
			return true;
	return false;
}

static struct hold *add_hold(struct process *p, enum hold_how how, const char *path, size_t len,
			     size_t *cap)
{
	struct hold *h;

	grow_array((void **)&p->holds, cap, p->nholds + 1, sizeof(*p->holds));
	h = &p->holds[p->nholds++];
	memset(h, 0, sizeof(*h));
	h->how = how;
	h->path = xmemdup0(path, len);
	h->path_len = len;
	h->deleted = ends_deleted(path, len);
	return h;
}

/* Whether the process read (c->dirfd) lives in our mount namespace (its
 * link texts are our paths). */
static bool same_mntns(const struct holds_ctx *c)
{
	char ns[64];
	ssize_t n = readlinkat(c->dirfd, "ns/mnt", ns, sizeof(ns) - 1);

	if (n <= 0 || !c->mntns[0])
		return false;
	ns[n] = '\0';
	return strcmp(ns, c->mntns) == 0;
}

/* cwd or root: its text, then device and inode where that is safe. */
static void read_dir_link(struct holds_ctx *c, struct process *p, bool own_ns, const char *name,
			  enum hold_how how, size_t *cap)
{
	const struct mount_point *mp;
	struct held_file hf = { 0 };
	struct statx sx;
	char *text = NULL;
	ssize_t n = procfs_link_at(c->dirfd, name, &text);
	int flags = AT_STATX_SYNC_AS_STAT;

	if (n < 0) {
		if (errno != ENOENT && errno != ESRCH)
			p->holds_err = errno;
		return;
	}
	/* its text is a path of ours only in our mount namespace */
	hf.path = own_ns ? text : NULL;
	hf.path_len = (size_t)n;
	mp = own_ns ? mount_points_of_path(c->mounts, text, (size_t)n) : NULL;
	if (mp && mp->remote) {
		hf.have_dev = true;       /* known from the mount table: never stat there */
		hf.dev = mp->dev;
	} else {
		if (!mp)
			flags = AT_STATX_DONT_SYNC;
		if (statx(c->dirfd, name, flags, STATX_INO, &sx) == 0) {
			hf.have_dev = hf.have_ino = true;
			hf.dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
			hf.ino = sx.stx_ino;
		}
	}
	if (matches_any(c, &hf)) {
		struct hold *h = add_hold(p, how, text, (size_t)n, cap);
		h->have_dev = hf.have_dev;
		h->have_ino = hf.have_ino;
		h->dev = hf.dev;
		h->ino = hf.ino;
		h->path_match = true;
	}
	free(text);
}

/* The kernel prints a newline in a mapped file's name as "\012": undo it so
 * the name compares with readlink's. */
static size_t unescape_newlines(const char *s, size_t n, char *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 4 <= n && memcmp(s + i, "\\012", 4) == 0) {
			out[k++] = '\n';
			i += 3;
		} else {
			out[k++] = s[i];
		}
	}
	return k;
}

/* One file mapping of maps: a txt or mem hold when it matches a PATH, or
 * when it is deleted code still mapped. */
static void take_mapping(struct holds_ctx *c, struct process *p, bool own_ns,
			 const struct maps_entry *e, char *name, size_t *cap)
{
	struct held_file hf = { .have_dev = true, .have_ino = true };
	size_t len = unescape_newlines(e->path, e->path_len, name);
	bool txt = p->exe && p->exe_len == len && memcmp(p->exe, name, len) == 0;
	bool deleted_text = ends_deleted(name, len) && maps_is_private_text(e) &&
		strncmp(name, "/memfd:", 7) != 0;
	bool match;
	size_t i;

	hf.dev = makedev(e->major, e->minor);
	hf.ino = e->ino;
	hf.path = own_ns ? name : NULL;
	hf.path_len = len;
	match = matches_any(c, &hf);
	if (!match && !deleted_text)
		return;
	/* one hold per file: its segments follow each other, but not always */
	for (i = 0; i < p->nholds; i++) {
		struct hold *h = &p->holds[i];
		if ((h->how == HOLD_TXT || h->how == HOLD_MEM) && h->dev == hf.dev && h->ino == hf.ino) {
			h->deleted_text |= deleted_text;
			return;
		}
	}
	{
		struct hold *h = add_hold(p, txt ? HOLD_TXT : HOLD_MEM, name, len, cap);
		h->have_dev = h->have_ino = true;
		h->dev = hf.dev;
		h->ino = hf.ino;
		h->deleted_text = deleted_text;
		h->path_match = match;
	}
}

static void read_maps(struct holds_ctx *c, struct process *p, bool own_ns, size_t *cap)
{
	int fd;
	FILE *f;
	char *line = NULL, *name = NULL;
	size_t lcap = 0, ncap = 0;
	ssize_t n;
	struct maps_entry e;

	/* without a PATH only deleted code makes a hold (take_mapping) */
	if (!c->nq && c->maps_of && !c->maps_of(c->maps_arg, p))
		return;
	fd = openat(c->dirfd, "maps", O_RDONLY | O_CLOEXEC);
	f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		if (errno != ENOENT && errno != ESRCH)
			p->holds_err = errno;
		return;
	}
	while ((n = getline(&line, &lcap, f)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		if (parse_maps_line(line, (size_t)n, &e) < 0 || e.ino == 0 || !e.path_len ||
		    e.path[0] != '/')
			continue;
		if (ncap < e.path_len + 1) {
			ncap = e.path_len + 1;
			name = xreallocarray(name, ncap, 1);
		}
		take_mapping(c, p, own_ns, &e, name, cap);
	}
	if (ferror(f) && errno != ESRCH && errno != ENOENT)
		p->holds_err = errno;
	free(line);
	free(name);
	fclose(f);
}

void holds_read(const struct holds_ctx *shared, struct process *p, int dirfd)
{
	/* a copy for this process: the scan reads processes on several
	 * threads, each with its own pinned dir */
	struct holds_ctx one = *shared, *c = &one;
	size_t cap = 0;
	bool own;

	c->dirfd = dirfd;
	own = c->nq && same_mntns(c);

	if (c->nq) {
		read_dir_link(c, p, own, "cwd", HOLD_CWD, &cap);
		read_dir_link(c, p, own, "root", HOLD_RTD, &cap);
	}
	read_maps(c, p, own, &cap);
}

void holds_free(struct process *p)
{
	size_t i;

	for (i = 0; i < p->nholds; i++)
		free(p->holds[i].path);
	free(p->holds);
	p->holds = NULL;
	p->nholds = 0;
}

bool holds_any_match(const struct process *p)
{
	size_t i;

	for (i = 0; i < p->nholds; i++)
		if (p->holds[i].path_match)
			return true;
	return false;
}

/* What fdshare knows of an fd's file, for matching: the stat when it was
 * done, else the device of its mount (remote file systems). */
static bool fd_held_file(const struct holds_ctx *c, const struct fd_entry *f, struct held_file *h)
{
	const struct mount_point *mp;

	memset(h, 0, sizeof(*h));
	if (!f->target || !fd_on_path(f) || !f->have_facts)
		return false;
	mp = mount_points_by_id(c->mounts, f->mnt_id);
	/* its text names a path of ours only when its mount is one of ours
	 * (another namespace's file may print as a path that is not) */
	h->path = mp ? f->target : NULL;
	h->path_len = f->target_len;
	h->have_ino = true;
	h->ino = f->ino;
	if (f->have_stat) {
		h->have_dev = true;
		h->dev = f->st_dev;
	} else if (mp) {
		h->have_dev = true;
		h->dev = mp->dev;
	} else {
		h->have_ino = false;
	}
	return true;
}

void holds_mark_matches(struct holds_ctx *c, struct model *m)
{
	struct held_file hf;
	size_t i, j, k;

	m->path_held = xcalloc(c->nq ? c->nq : 1, sizeof(*m->path_held));
	m->npath_held = c->nq;
	for (i = 0; i < m->nprocs; i++) {
		struct process *p = &m->procs[i];
		if (p->gone)
			continue;
		for (j = 0; j < p->nfds; j++) {
			struct fd_entry *f = &p->fds[j];
			bool have = fd_held_file(c, f, &hf);
			for (k = 0; k < c->nq; k++) {
				const struct path_query *q = &c->q[k];
				if ((have && pathq_match(q, &hf)) ||
				    (q->kind == PQ_FILE && !q->err && endpoint_matches_path(f, q->dev, q->ino))) {
					f->path_match = true;
					m->path_held[k]++;
				}
			}
		}
		for (j = 0; j < p->nholds; j++) {
			struct hold *h = &p->holds[j];
			struct held_file g = { h->have_dev, h->have_ino, h->dev, h->ino, h->path, h->path_len };
			for (k = 0; k < c->nq; k++)
				if (pathq_match(&c->q[k], &g))
					m->path_held[k]++;
		}
	}
}
