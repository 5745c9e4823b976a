/* lockreach.c - the files /proc/locks ties to some processes (see
 * lockreach.h).  Lines are few (one per lock and waiter), the reached sets
 * small: plain lists do. */
#include "scan/lockreach.h"
#include "scan/lockparse.h"
#include "scan/procfs.h"
#include "base/util.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#define PROC_LOCKS_MAX (64u << 20)

static bool has_ino(const unsigned long long *v, size_t n, unsigned long long x)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

size_t lock_reach(const char *procroot, const int *pids, size_t npids,
		  const unsigned long long *inos, size_t ninos, struct lock_file **out)
{
	struct lock_line *v = NULL;
	unsigned long long *ino = NULL;
	int *pid = NULL;
	size_t n, bad, i, nino = 0, icap = 0, npid = 0, pcap = 0, nout = 0, ocap = 0;
	char path[4096], *buf = NULL;
	ssize_t len;
	bool grew;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/locks", procroot);
	len = procfs_read_all_at(AT_FDCWD, path, PROC_LOCKS_MAX, &buf);
	if (len <= 0) {
		free(buf);
		return 0;
	}
	n = lock_lines_parse(buf, (size_t)len, &v, &bad);
	free(buf);
	grow_array((void **)&ino, &icap, ninos + 1, sizeof(*ino));
	for (i = 0; i < ninos; i++)
		ino[nino++] = inos[i];
	grow_array((void **)&pid, &pcap, npids + 1, sizeof(*pid));
	for (i = 0; i < npids; i++)
		pid[npid++] = pids[i];
	do {
		grew = false;
		for (i = 0; i < n; i++) {
			bool ino_in, pid_in;
			if (!v[i].have_inode)
				continue;
			ino_in = has_ino(ino, nino, v[i].ino);
			pid_in = v[i].pid > 0 && int_list_has(pid, npid, v[i].pid);
			if (ino_in && v[i].pid > 0 && !pid_in) {
				grow_array((void **)&pid, &pcap, npid + 1, sizeof(*pid));
				pid[npid++] = v[i].pid;
				grew = true;
			} else if (pid_in && !ino_in) {
				grow_array((void **)&ino, &icap, nino + 1, sizeof(*ino));
				ino[nino++] = v[i].ino;
				grew = true;
			}
		}
	} while (grew);
	/* every line on a reached inode: its device too */
	for (i = 0; i < n; i++) {
		if (!v[i].have_inode || !has_ino(ino, nino, v[i].ino))
			continue;
		grow_array((void **)out, &ocap, nout + 1, sizeof(**out));
		(*out)[nout++] = (struct lock_file){ v[i].major, v[i].minor, v[i].ino };
	}
	free(v);
	free(ino);
	free(pid);
	return nout;
}
