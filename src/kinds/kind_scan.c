/* kind_scan.c - details after the kind table's recognition (see kind_scan.h).
 *
 *   nsfs                         type and inode from the link (kind_nsfs.h)
 *   bpf-map, bpf-prog, bpf-link  type and id from fdinfo (kind_bpf.h)
 *   io_uring                     rings and polling thread from fdinfo (kind_io_uring.h)
 *   reg on a mount of type mqueue, or, when the fd's own mount is unknown
 *                                (mq_open uses the kernel's internal mount),
 *                                on the device of an mqueue mount the table
 *                                knows or of our own IPC namespace's queues
 *                                (mqprobe.h): mqueue
 *   chr 5:2, 136-143:N, 10:200   pty master, slave, tun (kind_tty.h) */
#include "kinds/kind_scan.h"
#include "kinds/kind_detail.h"
#include "scan/mqprobe.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static struct kind_detail *detail_of(struct fd_entry *f)
{
	if (!f->details.more)
		f->details.more = xcalloc(1, sizeof(*f->details.more));
	return f->details.more;
}

static bool is_mqueue(const struct fd_entry *f, const struct mount_table *mounts)
{
	const struct mount_info *mi;
	dev_t own;

	if (!f->have_facts || !f->have_stat || !S_ISREG(f->st_mode))
		return false;
	mi = mounts_find(mounts, f->mnt_id);
	if (mi)
		return strcmp(mi->fstype, "mqueue") == 0;
	if (mounts_dev_has_type(mounts, f->st_dev, "mqueue"))
		return true;
	/* probed only for a file on an unknown mount of an in-memory file
	 * system (device major 0), and once per run */
	return major(f->st_dev) == 0 && mqprobe_dev(&own) == 0 && own == f->st_dev;
}

static void refine_chr(struct fd_entry *f, const char *fdinfo, size_t n)
{
	enum chr_kind k;
	struct chr_detail *c;

	if (!f->have_stat || (k = chr_kind_of(f->st_rdev)) == CHR_PLAIN)
		return;
	c = &detail_of(f)->u.chr;
	c->kind = k;
	c->tty_index = k == CHR_PTY_SLAVE ? pty_slave_index(f->st_rdev) : -1;
	chr_parse_fdinfo(fdinfo, n, c);
}

void kind_refine(struct fd_entry *f, const char *fdinfo, size_t n, const struct mount_table *mounts)
{
	struct nsfs_detail ns;

	if (!f->target)
		return;
	if (!fdinfo) {
		fdinfo = "";
		n = 0;
	}
	switch (f->kind) {
	case KIND_NSFS:
		if (nsfs_parse_link(f->target, f->target_len, &ns) == 0)
			detail_of(f)->u.nsfs = ns;
		break;
	case KIND_BPF_MAP:
		bpf_parse_fdinfo(BPF_OBJ_MAP, fdinfo, n, &detail_of(f)->u.bpf);
		break;
	case KIND_BPF_PROG:
		bpf_parse_fdinfo(BPF_OBJ_PROG, fdinfo, n, &detail_of(f)->u.bpf);
		break;
	case KIND_BPF_LINK:
		bpf_parse_fdinfo(BPF_OBJ_LINK, fdinfo, n, &detail_of(f)->u.bpf);
		break;
	case KIND_IO_URING:
		io_uring_parse_fdinfo(fdinfo, n, &detail_of(f)->u.uring);
		break;
	case KIND_REG:
		if (is_mqueue(f, mounts))
			f->kind = KIND_MQUEUE;
		break;
	case KIND_CHR:
		refine_chr(f, fdinfo, n);
		break;
	default:
		break;
	}
}
