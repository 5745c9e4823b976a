/* kind_detail.h - the details of the fd kinds the generic scan cannot tell
 * apart (namespaces, BPF objects, io_uring, ptys, tun/tap): one allocation
 * per such fd, owned by its fd record, NULL for every other fd. */
#ifndef FDSHARE_KIND_DETAIL_H
#define FDSHARE_KIND_DETAIL_H

#include "kinds/kind_bpf.h"
#include "kinds/kind_io_uring.h"
#include "kinds/kind_nsfs.h"
#include "kinds/kind_tty.h"

struct kind_detail {
	union {
		struct nsfs_detail nsfs;      /* FD_NSFS */
		struct bpf_detail bpf;        /* FD_BPF_MAP, FD_BPF_PROG, FD_BPF_LINK */
		struct io_uring_detail uring; /* FD_IO_URING */
		struct chr_detail chr;        /* FD_CHR: a pty or tun/tap */
	} u;
};

#endif
