/* lockreach.h - the files /proc/locks ties to some processes: a lock or
 * waiter line on a reached file reaches its pid, a line of a reached pid
 * reaches its file, until nothing new is reached (a wait chain or a
 * deadlock through other files and processes).  -p uses it to read the
 * other holders of those files (bpf_pick.h, proc_pick.h). */
#ifndef FDSHARE_LOCKREACH_H
#define FDSHARE_LOCKREACH_H

#include <stddef.h>

struct lock_file {
	unsigned major, minor;       /* the superblock's device, as /proc/locks prints it */
	unsigned long long ino;
};

/* Starting from pids[0..npids) and the inodes inos[0..ninos) (any device:
 * a superset is harmless), the files reached, as a new array in *out
 * (caller frees); returns their count (0 when /proc/locks is unreadable or
 * lists none). */
size_t lock_reach(const char *procroot, const int *pids, size_t npids,
		  const unsigned long long *inos, size_t ninos, struct lock_file **out);

#endif
