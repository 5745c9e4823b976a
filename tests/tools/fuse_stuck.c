/* fuse_stuck.c - the smallest FUSE file system, spoken over /dev/fuse by
 * hand (no libfuse), for tests that stop its daemon: a root directory
 * holding one file, "file", of 64 bytes.
 *
 *   fuse_stuck MOUNTPOINT
 *
 * Mounts itself (root only), prints "ready" once the kernel's INIT is
 * answered, then serves until the mount goes away.  Every reply says
 * "valid for 0 seconds", so each lookup and stat asks the daemon again:
 * once the test SIGSTOPs it, anything that touches the mount blocks, as on
 * a dead NFS server.  Requests it does not know get ENOSYS. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_NODE 2
#define FILE_SIZE 64

static int dev_fd;

static void reply(const struct fuse_in_header *in, int error, const void *body, size_t len)
{
	char buf[sizeof(struct fuse_out_header) + 4096];
	struct fuse_out_header out = {
		.len = (uint32_t)(sizeof(out) + (error ? 0 : len)),
		.error = -error,
		.unique = in->unique,
	};

	if (error)
		len = 0;
	memcpy(buf, &out, sizeof(out));
	if (len)
		memcpy(buf + sizeof(out), body, len);
	if (write(dev_fd, buf, out.len) < 0 && errno != ENOENT)
		perror("fuse_stuck: write");
}

static void fill_attr(uint64_t node, struct fuse_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->ino = node;
	a->nlink = 1;
	a->mode = node == FUSE_ROOT_ID ? S_IFDIR | 0755 : S_IFREG | 0644;
	a->size = node == FUSE_ROOT_ID ? 0 : FILE_SIZE;
	a->blksize = 4096;
}

static void serve(const struct fuse_in_header *in, const char *arg)
{
	union {
		struct fuse_init_out init;
		struct fuse_entry_out entry;
		struct fuse_attr_out attr;
		struct fuse_open_out open;
		struct fuse_statfs_out statfs;
		char data[FILE_SIZE];
	} o;
	const struct fuse_init_in *ii = (const void *)arg;
	const struct fuse_read_in *ri = (const void *)arg;

	memset(&o, 0, sizeof(o));
	switch (in->opcode) {
	case FUSE_INIT:
		o.init.major = FUSE_KERNEL_VERSION;
		o.init.minor = ii->minor < FUSE_KERNEL_MINOR_VERSION ? ii->minor : FUSE_KERNEL_MINOR_VERSION;
		o.init.max_write = 4096;
		reply(in, 0, &o.init, sizeof(o.init));
		printf("ready\n");
		fflush(stdout);
		return;
	case FUSE_LOOKUP:
		if (in->nodeid != FUSE_ROOT_ID || strcmp(arg, "file") != 0) {
			reply(in, ENOENT, NULL, 0);
			return;
		}
		o.entry.nodeid = FILE_NODE;
		fill_attr(FILE_NODE, &o.entry.attr);
		reply(in, 0, &o.entry, sizeof(o.entry));
		return;
	case FUSE_GETATTR:
		fill_attr(in->nodeid, &o.attr.attr);
		reply(in, 0, &o.attr, sizeof(o.attr));
		return;
	case FUSE_OPEN:
	case FUSE_OPENDIR:
		o.open.fh = 1;
		reply(in, 0, &o.open, sizeof(o.open));
		return;
	case FUSE_READ:
		memset(o.data, 'f', sizeof(o.data));
		reply(in, 0, o.data, ri->offset >= FILE_SIZE ? 0
		      : ri->size < FILE_SIZE - ri->offset ? ri->size : FILE_SIZE - ri->offset);
		return;
	case FUSE_READDIR:
		reply(in, 0, NULL, 0);
		return;
	case FUSE_STATFS:
		reply(in, 0, &o.statfs, sizeof(o.statfs));
		return;
	case FUSE_RELEASE: case FUSE_RELEASEDIR: case FUSE_FLUSH:
		reply(in, 0, NULL, 0);
		return;
	case FUSE_FORGET: case FUSE_BATCH_FORGET: case FUSE_INTERRUPT:
		return;   /* no reply */
	case FUSE_DESTROY:
		exit(0);
	default:
		reply(in, ENOSYS, NULL, 0);
	}
}

int main(int argc, char **argv)
{
	static char buf[1 << 17];   /* at least FUSE_MIN_READ_BUFFER */
	char opts[128];
	ssize_t n;

	if (argc != 2) {
		fprintf(stderr, "usage: fuse_stuck MOUNTPOINT\n");
		return 100;
	}
	dev_fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (dev_fd < 0) {
		perror("fuse_stuck: /dev/fuse");
		return 1;
	}
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0", dev_fd);
	if (mount("fuse_stuck", argv[1], "fuse.fuse_stuck", MS_NOSUID | MS_NODEV, opts) < 0) {
		perror("fuse_stuck: mount");
		return 1;
	}
	for (;;) {
		n = read(dev_fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == ENOENT))
			continue;
		if (n < 0)
			return errno == ENODEV ? 0 : 1;   /* ENODEV: unmounted */
		if ((size_t)n < sizeof(struct fuse_in_header))
			continue;
		serve((const struct fuse_in_header *)buf, buf + sizeof(struct fuse_in_header));
	}
}
