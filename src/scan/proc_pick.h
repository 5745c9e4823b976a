/* proc_pick.h - -p PID with the /proc source: kcmp only where it can change
 * the answer for the selected processes.
 *
 * The /proc source must read every fd of every process (a sharer is found
 * by its inode first, and only fdinfo says an fd's inode), but it need not
 * prove descriptions that cannot involve a selected process: of the fds
 * read, those grouped are the selected processes' own, the others on one
 * of their files ((mount, inode); for anon inodes, the same bucket: kind
 * and eventfd id), pty sides, and the files /proc/locks ties to the
 * selection (lockreach.h).  The rest stay without a description, which
 * nothing -p shows needs: a socket's peers are found by inode
 * (endpoint_sock.c), whatever their description. */
#ifndef FDSHARE_PROC_PICK_H
#define FDSHARE_PROC_PICK_H

#include "model/ofd.h"
#include "model/record.h"

/* Keep of items[0..n) (user: the struct fd_entry *) those the selection
 * needs grouped, in order, at the front; returns how many.  Needs
 * p->selected set. */
size_t proc_pick_items(const struct model *m, struct ofd_item *items, size_t n);

#endif
