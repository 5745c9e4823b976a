/* lockreach.h - the files /proc/locks ties to some processes: a lock or
 * waiter line on a reached file reaches its pid, a line of a reached pid
 * reaches its file, until nothing new is reached (a wait chain or a
 * deadlock through other files and processes).  -p uses it to read the
 * other holders of those files (bpf_pick.h, proc_pick.h). */
#ifndef FDSHARE_LOCKREACH_H
#define FDSHARE_LOCKREACH_H

#include <stddef.h>

#include "scan/lockparse.h"

struct lock_file {
	unsigned major, minor;       /* the superblock's device, as /proc/locks prints it */
	unsigned long long ino;
};

/* /proc/locks as read at one moment, parsed. */
struct lock_lines {
	struct lock_line *v;         /* owned; NULL when none */
	size_t n;
};

/* Read and parse procroot/locks into *out (free with lock_lines_free): none
 * when it is unreadable. */
void lock_lines_read(const char *procroot, struct lock_lines *out);
/* Free what lock_lines_read filled; safe on a zeroed one. */
void lock_lines_free(struct lock_lines *l);

/* Starting from pids[0..npids) and the inodes inos[0..ninos) (any device:
 * a superset is harmless), the files the lines l reach, as a new array in
 * *out (caller frees); returns their count. */
size_t lock_reach_in(const struct lock_lines *l, const int *pids, size_t npids,
		     const unsigned long long *inos, size_t ninos, struct lock_file **out);
/* The same from procroot/locks read now (0 when it is unreadable or lists
 * none). */
size_t lock_reach(const char *procroot, const int *pids, size_t npids,
		  const unsigned long long *inos, size_t ninos, struct lock_file **out);

#endif
