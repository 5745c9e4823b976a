/* kind_scan.h - give an fd read by the /proc scan its precise kind: a
 * namespace, an O_PATH symlink, a POSIX message queue, a BPF object,
 * io_uring, a pty or a tun/tap device, from what the scan read already (the
 * link text, the fdinfo text, the stat, the mount table).  Its only I/O is
 * the once-per-run mqueue probe (mqprobe.h). */
#ifndef FDSHARE_KIND_SCAN_H
#define FDSHARE_KIND_SCAN_H

#include <stddef.h>

#include "model/model.h"
#include "scan/mounts.h"

/* Refine f->type and fill f->kind (owned by f; free with kind_free) from
 * fdinfo text (n bytes, NULL when unread) and the mount table. */
void kind_refine(struct fd_entry *f, const char *fdinfo, size_t n, const struct mount_table *mounts);
/* Free f->kind. */
void kind_free(struct fd_entry *f);

#endif
