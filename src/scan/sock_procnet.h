/* sock_procnet.h - sockets sock_diag does not list: ping (ICMP echo)
 * sockets, which have no diag module at all, and raw sockets on kernels
 * built without raw_diag, from the calling thread's /proc/thread-self/net
 * tables (icmp, icmp6, raw, raw6), which show its network namespace.
 *
 * Format (net/ipv4/ping.c, raw.c, ipv6/datagram.c), after a header line:
 *   "SL: LOCAL:PORT REMOTE:PORT ST TXQ:RXQ TR:WHEN RETRNSMT UID TIMEOUT INODE REF PTR DROPS"
 * addresses in hex as the kernel's %08X of each big-endian 32-bit word (one
 * word for IPv4, four for IPv6), ports and state in hex, uid and inode in
 * decimal.  A raw socket's "port" is its IP protocol; a ping socket's its
 * echo identifier. */
#ifndef FDSHARE_SOCK_PROCNET_H
#define FDSHARE_SOCK_PROCNET_H

#include <stddef.h>

#include "scan/sock.h"

/* Parse len bytes of one such table for dump d (SOCK_PING, SOCK_PING6,
 * SOCK_IPRAW, SOCK_IPRAW6) of netns into t (pure).  Malformed lines are
 * skipped; returns the number of sockets added. */
size_t sock_procnet_parse(struct sock_table *t, unsigned long long netns, enum sock_dump d,
			  const char *text, size_t len);
/* Read the calling thread's table for d and parse it: 0, or -1 with errno. */
int sock_procnet_read(struct sock_table *t, unsigned long long netns, enum sock_dump d);

#endif
