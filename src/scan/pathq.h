/* pathq.h - the PATH arguments of "fdshare PATH": resolved once, with a time
 * bound, into what holders are matched against; and the mount points of our
 * own mount namespace, which tell a path's file system from its text alone.
 *
 * Resolution runs in a child process per PATH (open O_PATH, fstat, the
 * kernel's name for it), all at once, waited for at most a timeout: a PATH
 * on a dead NFS server or a stopped FUSE daemon would block its lookup
 * forever.  A PATH not resolved in time is matched by name only (its text,
 * made absolute lexically), and says so.  Each query owns its strings;
 * pathq_free() releases them. */
#ifndef FDSHARE_PATHQ_H
#define FDSHARE_PATHQ_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum pathq_kind {
	PQ_FILE,     /* any file but a directory: fds, maps, cwd... of that very file */
	PQ_DIR,      /* a directory: it and everything under it (lsof +D) */
	PQ_MOUNT,    /* a mount point: everything on that file system (lsof +f --) */
	PQ_NAME,     /* not resolved in time: holders whose path text is it or under it */
};

struct path_query {
	const char *arg;          /* as given (borrowed from argv) */
	enum pathq_kind kind;
	dev_t dev;                /* FILE, DIR: its device; MOUNT: the file system's */
	unsigned long long ino;
	char *canon;              /* its absolute path as the kernel names it (NAME:
	                             the argument made absolute lexically) */
	size_t canon_len;
	char fstype[32];          /* the file system it is on ("" when unknown) */
	int err;                  /* resolution failed: ENOENT, EACCES ...; 0 */
	bool timed_out;           /* not resolved within the timeout: kind is PQ_NAME */
};

/* Resolve n PATH arguments at once, waiting at most timeout seconds in all.
 * Each q[i] is filled: one that failed has err set (ENOENT, EACCES ...; the
 * errno of fork or pipe when its child could not start), one that did not
 * answer in time timed_out (both with kind PQ_NAME). */
void pathq_resolve(const char *const *args, size_t n, double timeout, struct path_query *q);
void pathq_free(struct path_query *q, size_t n);
/* arg made absolute without the file system: joined to cwd when relative
 * (cwd may be NULL: "/"), "." and empty parts dropped, ".." taking the
 * part before it (never above "/").  Newly allocated. */
char *pathq_lexical_absolute(const char *cwd, const char *arg);

/* What the holder side knows of a file: device and inode when known, and
 * the path text /proc gave (readlink or maps; may end in " (deleted)"). */
struct held_file {
	bool have_dev, have_ino;
	dev_t dev;
	unsigned long long ino;
	const char *path;         /* NULL when not a path */
	size_t path_len;
};
/* Whether a held file is what q asks for (its kind's rule, see above). */
bool pathq_match(const struct path_query *q, const struct held_file *h);

/* ---- mount points of our mount namespace ---- */
struct mount_point {
	int mnt_id;
	dev_t dev;
	char *point;              /* unescaped, absolute */
	size_t point_len;
	char fstype[32];
	bool remote;              /* network or FUSE: never stat there */
};
struct mount_points;          /* opaque */

/* /proc/self/mountinfo as a list; NULL with errno when unreadable. */
struct mount_points *mount_points_read(void);
void mount_points_free(struct mount_points *mp);
/* The mount a path of our namespace lies on: the longest mount point that
 * is a prefix of it (the last mounted of equal ones), or NULL. */
const struct mount_point *mount_points_of_path(const struct mount_points *mp, const char *path,
					       size_t len);
/* The mount with this id, or NULL. */
const struct mount_point *mount_points_by_id(const struct mount_points *mp, int mnt_id);

#endif
