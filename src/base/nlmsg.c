/* nlmsg.c - netlink message framing checked with size_t arithmetic (see nlmsg.h). */
#include "base/nlmsg.h"

#include <string.h>

void nlmsg_walk_init(struct nlmsg_walk *w, const void *buf, size_t len)
{
	w->buf = buf;
	w->len = buf ? len : 0;
	w->off = 0;
	w->malformed = false;
}

const struct nlmsghdr *nlmsg_walk_next(struct nlmsg_walk *w)
{
	const struct nlmsghdr *nlh;
	size_t left, msg_len, step;
	__u32 claimed;

	if (w->malformed || w->off >= w->len)
		return NULL;
	left = w->len - w->off;
	if (left < sizeof(struct nlmsghdr)) {
		w->malformed = true;
		return NULL;
	}
	nlh = (const struct nlmsghdr *)(w->buf + w->off);
	memcpy(&claimed, &nlh->nlmsg_len, sizeof(claimed));
	msg_len = claimed;
	if (msg_len < sizeof(struct nlmsghdr) || msg_len > left) {
		w->malformed = true;
		return NULL;
	}
	/* the padding after the last message may be missing */
	step = NLMSG_ALIGN(msg_len);
	w->off += step < left ? step : left;
	return nlh;
}

size_t nlmsg_valid_prefix(const void *buf, size_t len, bool *malformed)
{
	struct nlmsg_walk w;

	nlmsg_walk_init(&w, buf, len);
	while (nlmsg_walk_next(&w))
		;
	*malformed = w.malformed;
	return w.malformed ? w.off : len;
}
