/* fusefile.c - a tiny FUSE file system over raw /dev/fuse (no libfuse) that
 * serves one read-only file, for tests of fdshare on FUSE mounts.
 *
 *   fusefile DIR [TYPE]   mount on DIR (fs type "fuse.TYPE", default
 *                         "fuse.fdsharetest") holding one file, DIR/file;
 *                         print "ready" once mounted, then serve requests
 *                         until the kernel ends the session (umount).
 *
 * The protocol (linux/fuse.h): each read() of /dev/fuse returns one request,
 * a fuse_in_header (len, opcode, unique, nodeid ...) and its argument; each
 * answer is one write() of a fuse_out_header (len, -errno, unique) and the
 * reply struct.  FORGET and INTERRUPT take no answer.  Node 1 is the root
 * directory, node 2 the file.  A test stops this process (SIGSTOP) to make
 * every request to the mount hang, as a dead network server would. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define ROOT_NODE 1
#define FILE_NODE 2

static const char content[] = "served by fusefile\n";

static int dev;

static void reply(uint64_t unique, int err, const void *arg, size_t len)
{
	struct fuse_out_header h = { .len = (uint32_t)(sizeof(h) + (err ? 0 : len)),
				     .error = -err, .unique = unique };
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)arg, err ? 0 : len } };

	/* ENOENT: the request was interrupted meanwhile; nothing to do */
	if (writev(dev, iov, 2) < 0 && errno != ENOENT)
		perror("fusefile: writev");
}

static void fill_attr(uint64_t node, struct fuse_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->ino = node;
	a->uid = getuid();
	a->gid = getgid();
	a->blksize = 4096;
	if (node == ROOT_NODE) {
		a->mode = S_IFDIR | 0755;
		a->nlink = 2;
	} else {
		a->mode = S_IFREG | 0644;
		a->nlink = 1;
		a->size = sizeof(content) - 1;
		a->blocks = 1;
	}
}

static void do_init(const struct fuse_in_header *in, const void *arg)
{
	const struct fuse_init_in *ii = arg;
	struct fuse_init_out out = { 0 };

	out.major = FUSE_KERNEL_VERSION;
	out.minor = ii->minor < FUSE_KERNEL_MINOR_VERSION ? ii->minor : FUSE_KERNEL_MINOR_VERSION;
	out.max_readahead = ii->max_readahead;
	out.max_write = 4096;
	out.max_background = 4;
	out.congestion_threshold = 2;
	out.time_gran = 1;
	reply(in->unique, 0, &out, sizeof(out));
}

static void do_lookup(const struct fuse_in_header *in, const char *name)
{
	struct fuse_entry_out out = { 0 };

	if (in->nodeid != ROOT_NODE || strcmp(name, "file") != 0) {
		reply(in->unique, ENOENT, NULL, 0);
		return;
	}
	out.nodeid = FILE_NODE;
	out.generation = 1;
	fill_attr(FILE_NODE, &out.attr);
	reply(in->unique, 0, &out, sizeof(out));
}

static void do_getattr(const struct fuse_in_header *in)
{
	struct fuse_attr_out out = { 0 };

	if (in->nodeid != ROOT_NODE && in->nodeid != FILE_NODE) {
		reply(in->unique, ENOENT, NULL, 0);
		return;
	}
	fill_attr(in->nodeid, &out.attr);
	reply(in->unique, 0, &out, sizeof(out));
}

static void do_read(const struct fuse_in_header *in, const struct fuse_read_in *ri)
{
	size_t size = sizeof(content) - 1, n = 0;

	if (ri->offset < size)
		n = size - ri->offset < ri->size ? size - ri->offset : ri->size;
	reply(in->unique, 0, content + (ri->offset < size ? ri->offset : 0), n);
}

static void do_statfs(const struct fuse_in_header *in)
{
	struct fuse_statfs_out out = { 0 };

	out.st.bsize = out.st.frsize = 4096;
	out.st.namelen = 255;
	reply(in->unique, 0, &out, sizeof(out));
}

/* One request; 0 to go on, -1 when the session ended. */
static int serve_one(char *buf, size_t cap)
{
	struct fuse_in_header *in = (struct fuse_in_header *)buf;
	void *arg = buf + sizeof(*in);
	struct fuse_open_out oo = { 0 };
	ssize_t n = read(dev, buf, cap);

	if (n < 0)
		return errno == EINTR || errno == ENOENT || errno == EAGAIN ? 0 : -1;
	if ((size_t)n < sizeof(*in))
		return -1;
	buf[n < (ssize_t)cap ? n : (ssize_t)cap - 1] = '\0';
	switch (in->opcode) {
	case FUSE_INIT: do_init(in, arg); break;
	case FUSE_LOOKUP: do_lookup(in, arg); break;
	case FUSE_GETATTR: do_getattr(in); break;
	case FUSE_OPEN: case FUSE_OPENDIR:
		reply(in->unique, 0, &oo, sizeof(oo));
		break;
	case FUSE_READ: do_read(in, arg); break;
	case FUSE_STATFS: do_statfs(in); break;
	case FUSE_RELEASE: case FUSE_RELEASEDIR: case FUSE_FLUSH:
		reply(in->unique, 0, NULL, 0);
		break;
	case FUSE_FORGET: case FUSE_BATCH_FORGET: case FUSE_INTERRUPT:
		break;
	case FUSE_DESTROY:
		reply(in->unique, 0, NULL, 0);
		return -1;
	default:
		reply(in->unique, ENOSYS, NULL, 0);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char buf[FUSE_MIN_READ_BUFFER + 65536];
	char opts[128];

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: fusefile DIR [TYPE]\n");
		return 100;
	}
	dev = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		perror("fusefile: /dev/fuse");
		return 1;
	}
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=%u,group_id=%u", dev,
		 getuid(), getgid());
	snprintf(buf, sizeof(buf), "fuse.%s", argc > 2 ? argv[2] : "fdsharetest");
	if (mount("fusefile", argv[1], buf, MS_NOSUID | MS_NODEV, opts) < 0) {
		perror("fusefile: mount");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (serve_one(buf, sizeof(buf)) == 0)
		;
	return 0;
}
