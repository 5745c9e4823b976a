/* kind_scan.c - precise kinds after the generic scan (see kind_scan.h).
 *
 *   link "TYPE:[INO]"            nsfs (kind_nsfs.h)
 *   link "anon_inode:bpf-map"... bpf map, prog, link (kind_bpf.h)
 *   link "anon_inode:[io_uring]" io_uring (kind_io_uring.h)
 *   stat S_IFLNK                 symlink: only an O_PATH|O_NOFOLLOW open
 *                                holds a symlink itself
 *   stat S_IFREG on a mount of type mqueue, or, when the fd's own mount is
 *                                unknown (mq_open uses the kernel's internal
 *                                mount), on the device of an mqueue mount
 *                                the table knows or of our own IPC
 *                                namespace's queues (mqprobe.h): mqueue
 *   stat S_IFCHR 5:2, 136-143:N, 10:200   pty master, slave, tun (kind_tty.h) */
#include "kinds/kind_scan.h"
#include "kinds/kind_detail.h"
#include "scan/mqprobe.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static struct kind_detail *detail_of(struct fd_entry *f)
{
	if (!f->kind)
		f->kind = xcalloc(1, sizeof(*f->kind));
	return f->kind;
}

static void refine_anon(struct fd_entry *f, const char *fdinfo, size_t n)
{
	enum bpf_object o = bpf_object_of_link(f->target, f->target_len);

	if (o != BPF_OBJ_NONE) {
		f->type = o == BPF_OBJ_MAP ? FD_BPF_MAP : o == BPF_OBJ_PROG ? FD_BPF_PROG : FD_BPF_LINK;
		bpf_parse_fdinfo(o, fdinfo, n, &detail_of(f)->u.bpf);
	} else if (io_uring_is_link(f->target, f->target_len)) {
		f->type = FD_IO_URING;
		io_uring_parse_fdinfo(fdinfo, n, &detail_of(f)->u.uring);
	}
}

static bool is_mqueue(const struct fd_entry *f, const struct mount_table *mounts)
{
	const struct mount_info *mi;
	dev_t own;

	if (!f->info.have_basic || !f->have_stat || !S_ISREG(f->st_mode))
		return false;
	mi = mounts_find(mounts, f->info.mnt_id);
	if (mi)
		return strcmp(mi->fstype, "mqueue") == 0;
	if (mounts_dev_has_type(mounts, f->st_dev, "mqueue"))
		return true;
	/* probed only for a file on an unknown mount of an in-memory file
	 * system (device major 0), and once per run */
	return major(f->st_dev) == 0 && mqprobe_dev(&own) == 0 && own == f->st_dev;
}

static void refine_path(struct fd_entry *f, const char *fdinfo, size_t n,
			const struct mount_table *mounts)
{
	enum chr_kind k;

	if (!f->have_stat)
		return;
	if (S_ISLNK(f->st_mode)) {
		f->type = FD_SYMLINK;
	} else if (is_mqueue(f, mounts)) {
		f->type = FD_MQUEUE;
	} else if (f->type == FD_CHR && (k = chr_kind_of(f->st_rdev)) != CHR_PLAIN) {
		struct chr_detail *c = &detail_of(f)->u.chr;
		c->kind = k;
		c->tty_index = k == CHR_PTY_SLAVE ? pty_slave_index(f->st_rdev) : -1;
		chr_parse_fdinfo(fdinfo, n, c);
	}
}

void kind_refine(struct fd_entry *f, const char *fdinfo, size_t n, const struct mount_table *mounts)
{
	struct nsfs_detail ns;

	if (!f->target)
		return;
	if (!fdinfo)
		n = 0;
	switch (f->link.kind) {
	case LINK_OTHER:
		if (nsfs_parse_link(f->target, f->target_len, &ns) == 0) {
			f->type = FD_NSFS;
			detail_of(f)->u.nsfs = ns;
		}
		break;
	case LINK_ANON:
		refine_anon(f, fdinfo ? fdinfo : "", n);
		break;
	case LINK_PATH:
		refine_path(f, fdinfo ? fdinfo : "", n, mounts);
		break;
	default:
		break;
	}
}

void kind_free(struct fd_entry *f)
{
	free(f->kind);
	f->kind = NULL;
}
