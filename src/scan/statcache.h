/* statcache.h - one stat per file a scan meets, not one per fd.
 *
 * A file held by three hundred processes (a log every worker inherited, a
 * library's data file) is one inode: an fd's mount id and inode number
 * from fdinfo name it exactly (mount ids are unique system-wide, inode
 * numbers within a mount's file system), so the attributes read through
 * the first fd serve the others.  They are as old as that first read: a
 * scan is a snapshot taken over some milliseconds anyway. */
#ifndef FDSHARE_STATCACHE_H
#define FDSHARE_STATCACHE_H

#include <stdbool.h>
#include <sys/stat.h>

struct stat_cache;   /* opaque; one per scanning thread */

struct stat_cache *stat_cache_new(void);
void stat_cache_free(struct stat_cache *c);

/* Fill *st with the attributes kept for (mnt_id, ino) (only st_mode,
 * st_nlink, st_ino, st_size, st_dev and st_rdev; the rest zero); false when
 * none were kept. */
bool stat_cache_find(const struct stat_cache *c, int mnt_id, unsigned long long ino, struct stat *st);

/* Keep those attributes of st for (mnt_id, ino). */
void stat_cache_add(struct stat_cache *c, int mnt_id, unsigned long long ino, const struct stat *st);

#endif
