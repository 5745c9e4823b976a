/* sock_more.h - the sock_diag families beside unix and inet: packet
 * (packet_diag) and netlink (netlink_diag), for sock.c's dumps.
 *
 * Requests and answers (linux/packet_diag.h, linux/netlink_diag.h):
 *   packet   packet_diag_req{AF_PACKET, show PACKET_SHOW_INFO}
 *            -> packet_diag_msg{type, num (ethertype, network order), ino}
 *               + PACKET_DIAG_INFO (packet_diag_info: pdi_index, the
 *               interface bound to, 0 for all)
 *   netlink  netlink_diag_req{AF_NETLINK, NDIAG_PROTO_ALL, show NDIAG_SHOW_GROUPS}
 *            -> netlink_diag_msg{protocol, state, portid, dst_portid,
 *               dst_group, ino} + NETLINK_DIAG_GROUPS (u32 bitmap words)
 * Only bound netlink sockets (or ones in a multicast group) are listed. */
#ifndef FDSHARE_SOCK_MORE_H
#define FDSHARE_SOCK_MORE_H

#include <libmnl/libmnl.h>

#include "scan/sock.h"

/* Put the request of dump d (SOCK_AFPACKET or SOCK_NETLINK) after nlh. */
void sock_more_request(struct nlmsghdr *nlh, enum sock_dump d);
/* Parse one answer of dump d into *s (netns and dump set by the caller):
 * MNL_CB_OK, or MNL_CB_ERROR with errno EBADMSG when it is malformed. */
int sock_more_msg(const struct nlmsghdr *nlh, enum sock_dump d, struct sock_info *s);

/* Every attribute of nlh after a header of hdrlen bytes goes to cb (data
 * passed on); they must fill the message exactly.  MNL_CB_OK, or
 * MNL_CB_ERROR with errno EBADMSG (cb failed, or a bad frame).  In sock.c,
 * for both files. */
int sock_each_attr(const struct nlmsghdr *nlh, size_t hdrlen,
		   int (*cb)(const struct nlattr *a, void *data), void *data);

/* "route", "sock_diag", "audit" ... for a netlink protocol number; NULL
 * for one without a name here. */
const char *sock_netlink_proto_name(int proto);
/* "all" (ETH_P_ALL), "ip", "ipv6", "arp" ... for an ethertype; NULL when
 * unnamed (shown as a number). */
const char *sock_ethertype_name(unsigned proto);

#endif
