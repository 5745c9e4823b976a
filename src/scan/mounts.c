/* mounts.c - the mnt_id table (see mounts.h). */
#include "scan/mounts.h"
#include "scan/parse.h"
#include "scan/procfs.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct mount_slot {
	int mnt_id;          /* 0 = empty (mount ids start at 1) */
	struct mount_info info;
};

struct mount_table {
	struct mount_slot *slots;
	size_t cap, count;   /* cap is a power of two */
	char **namespaces;   /* "mnt:[...]" of loaded namespaces */
	size_t nns, nscap;
};

struct mount_table *mounts_new(void)
{
	struct mount_table *t = xcalloc(1, sizeof(*t));
	t->cap = 256;
	t->slots = xcalloc(t->cap, sizeof(*t->slots));
	return t;
}

void mounts_free(struct mount_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nns; i++)
		free(t->namespaces[i]);
	free(t->namespaces);
	free(t->slots);
	free(t);
}

bool fstype_is_remote(const char *fstype)
{
	static const char *const remote[] = {
		"nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p",
		"ceph", "glusterfs", "lustre", "coda", "davfs", "gfs2", "ocfs2",
		"fuse", "fuseblk", "sshfs", "orangefs", "beegfs", "gpfs", "virtiofs",
	};
	size_t i;

	if (strncmp(fstype, "fuse.", 5) == 0)
		return true;
	for (i = 0; i < ARRAY_LEN(remote); i++)
		if (strcmp(fstype, remote[i]) == 0)
			return true;
	return false;
}

static struct mount_slot *slot_for(struct mount_slot *slots, size_t cap, int mnt_id)
{
	size_t i = ((unsigned)mnt_id * 2654435761u) & (cap - 1);

	while (slots[i].mnt_id && slots[i].mnt_id != mnt_id)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void rehash(struct mount_table *t)
{
	size_t i, ncap = t->cap * 2;
	struct mount_slot *n = xcalloc(ncap, sizeof(*n));

	for (i = 0; i < t->cap; i++)
		if (t->slots[i].mnt_id)
			*slot_for(n, ncap, t->slots[i].mnt_id) = t->slots[i];
	free(t->slots);
	t->slots = n;
	t->cap = ncap;
}

static void add_mount(struct mount_table *t, const struct mount_entry *e)
{
	struct mount_slot *s;

	if (e->mnt_id <= 0)
		return;
	if ((t->count + 1) * 2 > t->cap)
		rehash(t);
	s = slot_for(t->slots, t->cap, e->mnt_id);
	if (!s->mnt_id)
		t->count++;
	s->mnt_id = e->mnt_id;
	s->info.dev = makedev(e->major, e->minor);
	snprintf(s->info.fstype, sizeof(s->info.fstype), "%s", e->fstype);
	s->info.remote = fstype_is_remote(e->fstype);
}

int mounts_load(struct mount_table *t, int pid_dirfd)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	struct mount_entry e;
	int fd = openat(pid_dirfd, "mountinfo", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !(f = fdopen(fd, "r"))) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		errno = saved;
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		if (parse_mountinfo_line(line, (size_t)n, &e) == 0)
			add_mount(t, &e);
	}
	free(line);
	fclose(f);
	return 0;
}

int mounts_load_ns(struct mount_table *t, int pid_dirfd)
{
	char ns[64];
	ssize_t n = readlinkat(pid_dirfd, "ns/mnt", ns, sizeof(ns) - 1);
	size_t i;

	if (n < 0)
		return -1;
	ns[n] = '\0';
	for (i = 0; i < t->nns; i++)
		if (strcmp(t->namespaces[i], ns) == 0)
			return 0;
	grow_array((void **)&t->namespaces, &t->nscap, t->nns + 1, sizeof(char *));
	t->namespaces[t->nns++] = xstrdup(ns);
	return mounts_load(t, pid_dirfd);
}

const struct mount_info *mounts_find(const struct mount_table *t, int mnt_id)
{
	const struct mount_slot *s;

	if (mnt_id <= 0)
		return NULL;
	s = slot_for(t->slots, t->cap, mnt_id);
	return s->mnt_id ? &s->info : NULL;
}

bool mounts_dev_has_type(const struct mount_table *t, dev_t dev, const char *fstype)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		if (t->slots[i].mnt_id && t->slots[i].info.dev == dev &&
		    strcmp(t->slots[i].info.fstype, fstype) == 0)
			return true;
	return false;
}

const struct mount_info *mounts_find_in(struct mount_table *t, int mnt_id, int pid_dirfd)
{
	const struct mount_info *mi = mounts_find(t, mnt_id);

	if (!mi && mounts_load_ns(t, pid_dirfd) == 0)
		mi = mounts_find(t, mnt_id);
	return mi;
}
