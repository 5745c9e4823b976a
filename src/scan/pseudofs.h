/* pseudofs.h - name fds of the kernel's internal file systems from fdinfo
 * alone, saving a readlink per pipe, socket and anon-inode fd.
 *
 * A pipe's link reads "pipe:[INO]", a socket's "socket:[INO]", an eventfd's
 * "anon_inode:[eventfd]": nothing in them that fdinfo does not already say,
 * once we know which mount ids are pipefs, sockfs, anon_inodefs and pidfs.
 * No mountinfo lists those internal mounts, so they are learnt from fdshare's
 * own pipe, socket, eventfd and pidfd.  An anon inode's kind comes from the
 * keys of its fdinfo ("eventfd-count:", "tfd:", "sigmask:" ...); where they
 * do not tell (an epoll with nothing registered, an inotify without
 * watches, a kind we do not know), the caller reads the link.  Each name is
 * checked against a real readlink the first time it is made in a run, and
 * never made again in that run if they differ (another kernel, another
 * text): a wrong guess costs a readlink, never a wrong name. */
#ifndef FDSHARE_PSEUDOFS_H
#define FDSHARE_PSEUDOFS_H

#include <stdbool.h>
#include <stddef.h>

enum pseudofs_fs { PSEUDOFS_PIPE, PSEUDOFS_SOCK, PSEUDOFS_ANON, PSEUDOFS_PID, PSEUDOFS_FS_COUNT };

/* The anon-inode kinds whose fdinfo keys name them, and the text their link has. */
enum pseudofs_name {
	PSEUDOFS_NAME_PIPE, PSEUDOFS_NAME_SOCKET, PSEUDOFS_NAME_EVENTFD, PSEUDOFS_NAME_EPOLL,
	PSEUDOFS_NAME_SIGNALFD, PSEUDOFS_NAME_TIMERFD, PSEUDOFS_NAME_INOTIFY,
	PSEUDOFS_NAME_FANOTIFY, PSEUDOFS_NAME_PIDFD, PSEUDOFS_NAME_IO_URING,
	PSEUDOFS_NAME_BPF_MAP, PSEUDOFS_NAME_BPF_PROG, PSEUDOFS_NAME_BPF_LINK,
	PSEUDOFS_NAME_USERFAULTFD, PSEUDOFS_NAME_COUNT,
	PSEUDOFS_NAME_NONE = -1,
};

/* What one scan knows: the mount ids (-1 unknown) and, per name, whether a
 * readlink has confirmed it yet.  Plain data: a thread copies it. */
struct pseudofs {
	int mnt_id[PSEUDOFS_FS_COUNT];
	unsigned char state[PSEUDOFS_NAME_COUNT];   /* unchecked, trusted, refused */
};

/* Learn the internal mounts' ids from our own fds' fdinfo (under
 * procroot/self).  Never fails: an id not learnt just means readlink. */
void pseudofs_learn(struct pseudofs *ps, const char *procroot);

/* Which anon-inode kind the fdinfo text (len bytes) names by its keys, or
 * PSEUDOFS_NAME_NONE when the keys do not tell.  Pure. */
enum pseudofs_name pseudofs_anon_kind(const char *fdinfo, size_t len);

/* The text readlink would give for an fd with this fdinfo (its mnt_id and
 * ino already parsed), written NUL-terminated into buf; returns its length,
 * or 0 when only a readlink can tell.  *check is set to the name made
 * (PSEUDOFS_NAME_NONE if none) when the caller must confirm it with a
 * readlink and pseudofs_checked() - once per name and run. */
size_t pseudofs_link(struct pseudofs *ps, const char *fdinfo, size_t len, int mnt_id,
		     unsigned long long ino, char *buf, size_t cap, enum pseudofs_name *check);

/* The real link text of an fd whose name was made as check: trust that name
 * from now on if the texts are equal, else never make it again this run.
 * Returns whether they were equal. */
bool pseudofs_checked(struct pseudofs *ps, enum pseudofs_name check, const char *made,
		      size_t made_len, const char *target, size_t target_len);

#endif
