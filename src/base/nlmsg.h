/* nlmsg.h - walk the netlink messages of a received buffer with every
 * length checked in unsigned arithmetic against the bytes received.
 *
 * libmnl's mnl_nlmsg_ok() compares (int)nlmsg_len with the bytes left, so a
 * message claiming 0x80000000 bytes or more passes it, and mnl_nlmsg_next()
 * then steps backwards or off the buffer.  Both parsers of netlink input
 * (sock.c's dumps, watch.c's process events) check a buffer here before
 * libmnl or their own code walks it. */
#ifndef FDSHARE_NLMSG_H
#define FDSHARE_NLMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/netlink.h>

struct nlmsg_walk {
	const unsigned char *buf;   /* borrowed, NLMSG_ALIGNTO-aligned as recv() fills it */
	size_t len, off;
	bool malformed;             /* bytes were left that are no whole message */
};

/* Start a walk over buf[0..len). */
void nlmsg_walk_init(struct nlmsg_walk *w, const void *buf, size_t len);

/* The next whole message (nlmsg_len at least a header and within the bytes
 * left), or NULL at the end of the buffer or at the first malformed message
 * (w->malformed is then set, and the walk stays ended). */
const struct nlmsghdr *nlmsg_walk_next(struct nlmsg_walk *w);

/* How many leading bytes of buf[0..len) are whole messages: the prefix a
 * libmnl walk may be given.  *malformed says whether anything followed. */
size_t nlmsg_valid_prefix(const void *buf, size_t len, bool *malformed);

#endif
