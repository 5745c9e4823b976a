/* endpoint_detail.c - what every part of endpoint linking shares (see
 * endpoint_detail.h): an fd's detail made on first use, its ends kept
 * sorted, and the questions the parts and the readers ask of an fd. */
#include "model/endpoint_detail.h"
#include "base/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

struct fd_detail *endpoint_detail(struct fd_entry *f)
{
	if (!f->detail) {
		f->detail = xcalloc(1, sizeof(*f->detail));
		f->detail->refs = 1;
	}
	return f->detail;
}

void endpoint_share_detail(struct fd_entry *f, struct fd_detail *d)
{
	f->detail = d;
	d->refs++;
}

void endpoint_add_end(struct fd_detail *d, struct fd_entry *g)
{
	size_t lo = 0, hi = d->nends;
	int c;

	/* ends mostly arrive in order: append without a search */
	if (d->nends && (c = fd_cmp_holder(&d->ends[d->nends - 1], &g)) >= 0) {
		if (c == 0)
			return;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			c = fd_cmp_holder(&d->ends[mid], &g);
			if (c == 0)
				return;
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	} else {
		lo = d->nends;
	}
	grow_array((void **)&d->ends, &d->ends_cap, d->nends + 1, sizeof(*d->ends));
	memmove(d->ends + lo + 1, d->ends + lo, (d->nends - lo) * sizeof(*d->ends));
	d->ends[lo] = g;
	d->nends++;
}

bool endpoint_live(const struct fd_entry *f)
{
	return !f->proc->gone && f->target && f->have_facts;
}

bool endpoint_protocol(const struct fd_entry *f, char *buf, size_t cap)
{
	size_t n = f->sock_proto ? strlen(f->sock_proto) : 0, i;

	if (f->kind != KIND_SOCKET || n == 0 || cap < n + 1)
		return false;
	/* "TCPv6" -> "tcp6", "UNIX" and "UNIX-STREAM" -> "unix", "NETLINK" ->
	 * "netlink" */
	if (strncmp(f->sock_proto, "UNIX", 4) == 0 && (n == 4 || f->sock_proto[4] == '-')) {
		memcpy(buf, "unix", 5);   /* cap > n >= 4 */
		return true;
	}
	if (n > 2 && strcmp(f->sock_proto + n - 2, "v6") == 0) {
		memcpy(buf, f->sock_proto, n - 2);
		buf[n - 2] = '6';
		buf[n - 1] = '\0';
	} else {
		memcpy(buf, f->sock_proto, n + 1);
	}
	/* "UDP-Lite" -> "udplite", as its v6 twin "UDPLITEv6" -> "udplite6" */
	for (i = 0, n = 0; buf[i]; i++)
		if (buf[i] != '-')
			buf[n++] = (char)tolower((unsigned char)buf[i]);
	buf[n] = '\0';
	return true;
}

int endpoint_sock_dump(const struct fd_entry *f)
{
	char proto[16];
	int d;

	if (!endpoint_protocol(f, proto, sizeof(proto)))
		return -1;
	for (d = 0; d < SOCK_DUMP_COUNT; d++)
		if (strcmp(proto, sock_dump_name((enum sock_dump)d)) == 0)
			return d;
	return -1;
}

bool endpoint_matches_path(const struct fd_entry *f, dev_t dev, ino_t ino)
{
	const struct fd_detail *d = f->detail;

	if (f->have_stat && f->st_dev == dev && f->ino == ino)
		return true;
	/* a unix socket bound to that file: UNIX_DIAG_VFS gives the kernel's
	 * dev_t encoding, major in the high 12 bits */
	return d && d->have_sock && d->sock->have_vfs && d->sock->vfs_ino == ino &&
		makedev(d->sock->vfs_dev >> 20, d->sock->vfs_dev & 0xfffff) == dev;
}

