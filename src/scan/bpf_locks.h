/* bpf_locks.h - the locks the BPF iterator read from an inode's lock lists
 * (bpf_scan.h's struct bpf_lock), as the fd details the /proc source makes
 * of fdinfo's "lock:" lines: one answer from both sources. */
#ifndef FDSHARE_BPF_LOCKS_H
#define FDSHARE_BPF_LOCKS_H

#include "kinds/details.h"
#include "scan/bpf_scan.h"

/* Fill d's lock lines (and their counts) from the locks of r, a record of
 * s; d's other details are left alone.  The lines are d's (fd_details_free). */
void bpf_locks_details(const struct bpf_scan *s, const struct bpf_fd *r, struct fd_details *d);

#endif
