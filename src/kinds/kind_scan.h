/* kind_scan.h - what the /proc source adds to the kind table's answer: the
 * details of namespaces, BPF objects, io_uring, ptys and tun/tap devices
 * (kinds/kind_detail.h), read from the link text and the fdinfo text the
 * scan read already, and POSIX message queues, told from regular files by
 * their mount.  Its only I/O is the once-per-run mqueue probe (mqprobe.h). */
#ifndef FDSHARE_KIND_SCAN_H
#define FDSHARE_KIND_SCAN_H

#include <stddef.h>

#include "model/record.h"
#include "scan/mounts.h"

/* Refine f->kind (KIND_REG -> KIND_MQUEUE) and fill f->details.more (owned
 * by f: fd_details_free) from fdinfo text (n bytes, NULL when unread) and
 * the mount table. */
void kind_refine(struct fd_entry *f, const char *fdinfo, size_t n, const struct mount_table *mounts);

#endif
