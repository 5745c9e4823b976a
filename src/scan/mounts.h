/* mounts.h - which mount an fd's file lives on: mnt_id -> device, fs type.
 *
 * fdinfo gives each fd's mnt_id; mount ids are unique across mount
 * namespaces, so one table serves every process.  It is filled from
 * /proc/self/mountinfo first and, when an fd names a mount we do not know
 * (the process lives in another mount namespace), from that process's
 * mountinfo, once per mount namespace. */
#ifndef FDSHARE_MOUNTS_H
#define FDSHARE_MOUNTS_H

#include <stdbool.h>
#include <sys/types.h>

struct mount_table;   /* opaque */

struct mount_info {
	dev_t dev;
	char fstype[32];
	bool remote;          /* network or FUSE file system: never stat() there */
};

/* An empty table. */
struct mount_table *mounts_new(void);
void mounts_free(struct mount_table *t);

/* Add every mount listed in the mountinfo file under dirfd ("mountinfo" of
 * a pinned /proc/PID or /proc/self).  Returns 0 or -1 with errno. */
int mounts_load(struct mount_table *t, int pid_dirfd);

/* Load dirfd's mountinfo unless its mount namespace (read from ns/mnt) was
 * loaded already.  Returns 0 or -1 with errno. */
int mounts_load_ns(struct mount_table *t, int pid_dirfd);

/* The mount with this id, or NULL when unknown. */
const struct mount_info *mounts_find(const struct mount_table *t, int mnt_id);
/* The same, loading the mount namespace of the pinned process at pid_dirfd
 * on a miss (mounts_load_ns): an fd's mount, whichever namespace it is in. */
const struct mount_info *mounts_find_in(struct mount_table *t, int mnt_id, int pid_dirfd);

/* Whether some mount in the table has device dev and file system type
 * fstype (a file whose own mount is unknown, e.g. a POSIX message queue
 * opened through the kernel's internal mqueue mount). */
bool mounts_dev_has_type(const struct mount_table *t, dev_t dev, const char *fstype);

/* Whether a file system type is remote or FUSE-backed, where a stat() can hang. */
bool fstype_is_remote(const char *fstype);

#endif
