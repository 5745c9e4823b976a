/* pseudofs.c - link texts of pipes, sockets and anon inodes from fdinfo.
 *
 * What the kernel prints (fs/pipe.c, net/socket.c, fs/anon_inodes.c: the
 * dentry names of the internal mounts), checked on 6.x:
 *   pipefs        "pipe:[INO]"            INO = fdinfo's ino, decimal
 *   sockfs        "socket:[INO]"
 *   anon_inodefs  "anon_inode:NAME", NAME as the creator passed it:
 *                 "[eventfd]", "[eventpoll]", "[signalfd]", "[timerfd]",
 *                 "inotify", "[fanotify]", "[io_uring]", "[userfaultfd]",
 *                 "bpf-map", "bpf-prog", "bpf_link", "[pidfd]" (pidfs on
 *                 6.9+ keeps that text)
 * fdinfo of an anon inode adds keys of its own after the four common ones;
 * the first key below that appears names the kind. */
#define _GNU_SOURCE   /* pidfd_open through syscall() */
#include "scan/pseudofs.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { UNCHECKED, TRUSTED, REFUSED };

static const struct {
	const char *key;       /* at the start of an fdinfo line */
	const char *link;      /* what readlink gives */
	enum pseudofs_fs fs;   /* where it lives (pidfd: pidfs or anon_inodefs) */
} names[PSEUDOFS_NAME_COUNT] = {
	[PSEUDOFS_NAME_PIPE] = { NULL, "pipe:", PSEUDOFS_PIPE },
	[PSEUDOFS_NAME_SOCKET] = { NULL, "socket:", PSEUDOFS_SOCK },
	[PSEUDOFS_NAME_EVENTFD] = { "eventfd-count:", "anon_inode:[eventfd]", PSEUDOFS_ANON },
	[PSEUDOFS_NAME_EPOLL] = { "tfd:", "anon_inode:[eventpoll]", PSEUDOFS_ANON },
	[PSEUDOFS_NAME_SIGNALFD] = { "sigmask:", "anon_inode:[signalfd]", PSEUDOFS_ANON },
	[PSEUDOFS_NAME_TIMERFD] = { "clockid:", "anon_inode:[timerfd]", PSEUDOFS_ANON },
	[PSEUDOFS_NAME_INOTIFY] = { "inotify wd:", "anon_inode:inotify", PSEUDOFS_ANON },
	[PSEUDOFS_NAME_FANOTIFY] = { "fanotify flags:", "anon_inode:[fanotify]", PSEUDOFS_ANON },
	[PSEUDOFS_NAME_PIDFD] = { "Pid:", "anon_inode:[pidfd]", PSEUDOFS_PID },
	[PSEUDOFS_NAME_IO_URING] = { "SqMask:", "anon_inode:[io_uring]", PSEUDOFS_ANON },
	[PSEUDOFS_NAME_BPF_MAP] = { "map_type:", "anon_inode:bpf-map", PSEUDOFS_ANON },
	[PSEUDOFS_NAME_BPF_PROG] = { "prog_type:", "anon_inode:bpf-prog", PSEUDOFS_ANON },
	[PSEUDOFS_NAME_BPF_LINK] = { "link_type:", "anon_inode:bpf_link", PSEUDOFS_ANON },
	[PSEUDOFS_NAME_USERFAULTFD] = { "API:", "anon_inode:[userfaultfd]", PSEUDOFS_ANON },
};

/* The mnt_id of one of our own fds, or -1. */
static int own_mnt_id(const char *procroot, int fd)
{
	char path[4096], buf[512], *line;
	ssize_t n;
	int f, id = -1;

	if (fd < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/self/fdinfo/%d", procroot, fd);
	f = open(path, O_RDONLY | O_CLOEXEC);
	if (f >= 0) {
		n = read(f, buf, sizeof(buf) - 1);
		close(f);
		buf[n > 0 ? n : 0] = '\0';
		line = strstr(buf, "\nmnt_id:");
		if (line && sscanf(line + 8, "%d", &id) != 1)
			id = -1;
	}
	close(fd);
	return id;
}

void pseudofs_learn(struct pseudofs *ps, const char *procroot)
{
	int p[2] = { -1, -1 };

	memset(ps, 0, sizeof(*ps));
	if (pipe2(p, O_CLOEXEC) == 0)
		close(p[1]);
	ps->mnt_id[PSEUDOFS_PIPE] = own_mnt_id(procroot, p[0]);
	ps->mnt_id[PSEUDOFS_SOCK] = own_mnt_id(procroot, socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	ps->mnt_id[PSEUDOFS_ANON] = own_mnt_id(procroot, eventfd(0, EFD_CLOEXEC));
#ifdef SYS_pidfd_open
	ps->mnt_id[PSEUDOFS_PID] = own_mnt_id(procroot, (int)syscall(SYS_pidfd_open, getpid(), 0));
#else
	ps->mnt_id[PSEUDOFS_PID] = -1;
#endif
}

enum pseudofs_name pseudofs_anon_kind(const char *fdinfo, size_t len)
{
	const char *line = fdinfo, *end = fdinfo + len, *nl;
	int i;

	for (; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		for (i = PSEUDOFS_NAME_EVENTFD; i < PSEUDOFS_NAME_COUNT; i++) {
			size_t k = strlen(names[i].key);
			if ((size_t)(nl - line) >= k && memcmp(line, names[i].key, k) == 0)
				return (enum pseudofs_name)i;
		}
	}
	return PSEUDOFS_NAME_NONE;
}

/* Which name an fd on the internal mount fs would get, from its fdinfo. */
static enum pseudofs_name name_of(const struct pseudofs *ps, int mnt_id, const char *fdinfo, size_t len)
{
	enum pseudofs_name k;

	if (mnt_id == ps->mnt_id[PSEUDOFS_PIPE])
		return PSEUDOFS_NAME_PIPE;
	if (mnt_id == ps->mnt_id[PSEUDOFS_SOCK])
		return PSEUDOFS_NAME_SOCKET;
	if (mnt_id != ps->mnt_id[PSEUDOFS_ANON] && mnt_id != ps->mnt_id[PSEUDOFS_PID])
		return PSEUDOFS_NAME_NONE;
	k = pseudofs_anon_kind(fdinfo, len);
	/* a pidfd lives on pidfs (6.9+) or anon_inodefs; the rest on anon_inodefs */
	if (k == PSEUDOFS_NAME_PIDFD || mnt_id == ps->mnt_id[PSEUDOFS_ANON])
		return k;
	return PSEUDOFS_NAME_NONE;
}

size_t pseudofs_link(struct pseudofs *ps, const char *fdinfo, size_t len, int mnt_id,
		     unsigned long long ino, char *buf, size_t cap, enum pseudofs_name *check)
{
	enum pseudofs_name k = mnt_id < 0 ? PSEUDOFS_NAME_NONE : name_of(ps, mnt_id, fdinfo, len);
	int n;

	*check = PSEUDOFS_NAME_NONE;
	if (k == PSEUDOFS_NAME_NONE || ps->state[k] == REFUSED)
		return 0;
	if (k == PSEUDOFS_NAME_PIPE || k == PSEUDOFS_NAME_SOCKET)
		n = snprintf(buf, cap, "%s[%llu]", names[k].link, ino);
	else
		n = snprintf(buf, cap, "%s", names[k].link);
	if (n < 0 || (size_t)n >= cap)
		return 0;
	if (ps->state[k] == UNCHECKED)
		*check = k;
	return (size_t)n;
}

bool pseudofs_checked(struct pseudofs *ps, enum pseudofs_name check, const char *made,
		      size_t made_len, const char *target, size_t target_len)
{
	bool same = made_len == target_len && memcmp(made, target, made_len) == 0;

	if (check != PSEUDOFS_NAME_NONE)
		ps->state[check] = same ? TRUSTED : REFUSED;
	return same;
}
