/* sock_procnet.c - ping and raw sockets from /proc/thread-self/net (see
 * sock_procnet.h). */
#include "scan/sock_procnet.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define TABLE_MAX (4 << 20)   /* a namespace with tens of thousands of raw sockets */

/* "HEX...:PORT" with words 32-bit words of address. */
static int parse_addr(const char *tok, int words, struct sock_addr *out)
{
	const char *colon = strchr(tok, ':');
	char hex[9], *end;
	unsigned long port;
	uint32_t w;
	int i;

	if (!colon || colon - tok != words * 8)
		return -1;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < words; i++) {
		memcpy(hex, tok + i * 8, 8);
		hex[8] = '\0';
		errno = 0;
		w = (uint32_t)strtoul(hex, &end, 16);
		if (errno || *end)
			return -1;
		/* the kernel printed the word as this machine reads it: its
		 * bytes in memory are the address's */
		if (words == 1) {
			out->addr[10] = out->addr[11] = 0xff;
			memcpy(out->addr + 12, &w, 4);
		} else {
			memcpy(out->addr + 4 * i, &w, 4);
		}
	}
	errno = 0;
	port = strtoul(colon + 1, &end, 16);
	if (errno || *end || colon[1] == '\0' || port > 0xffff)
		return -1;
	out->port = (unsigned)port;
	return 0;
}

static int parse_line(char *line, enum sock_dump d, struct sock_info *s)
{
	char *tok[12], *save = NULL, *end;
	int n = 0, words = sock_is_v6(d) ? 4 : 1;
	unsigned long long v;

	for (char *t = strtok_r(line, " \t", &save); t && n < 12; t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	if (n < 10 || parse_addr(tok[1], words, &s->local) < 0 || parse_addr(tok[2], words, &s->remote) < 0)
		return -1;
	errno = 0;
	v = strtoull(tok[3], &end, 16);
	if (errno || *end || v > 0xff)
		return -1;
	s->state = (int)v;
	v = strtoull(tok[7], &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return -1;
	s->uid = (unsigned)v;
	s->have_uid = true;
	v = strtoull(tok[9], &end, 10);
	if (errno || *end || tok[9][0] == '-')
		return -1;
	s->ino = v;
	return 0;
}

size_t sock_procnet_parse(struct sock_table *t, unsigned long long netns, enum sock_dump d,
			  const char *text, size_t len)
{
	size_t off = 0, added = 0;
	char line[512];
	bool header = true;

	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - text - off) : len - off;
		struct sock_info s;

		if (n < sizeof(line) && !header) {
			memcpy(line, text + off, n);
			line[n] = '\0';
			memset(&s, 0, sizeof(s));
			s.netns = netns;
			s.dump = d;
			s.family = sock_is_v6(d) ? AF_INET6 : AF_INET;
			if (parse_line(line, d, &s) == 0 && s.ino) {
				sock_table_add(t, &s);
				added++;
			}
		}
		header = false;
		off += n + (nl ? 1 : 0);
	}
	return added;
}

int sock_procnet_read(struct sock_table *t, unsigned long long netns, enum sock_dump d)
{
	const char *name = d == SOCK_PING ? "icmp" : d == SOCK_PING6 ? "icmp6"
		: d == SOCK_IPRAW ? "raw" : d == SOCK_IPRAW6 ? "raw6" : NULL;
	char path[64], *buf;
	size_t len = 0, cap = 64 << 10;
	ssize_t n;
	int fd, err;

	if (!name) {
		errno = EINVAL;
		return -1;
	}
	/* thread-self: the namespace this thread entered, not the process's */
	snprintf(path, sizeof(path), "/proc/thread-self/net/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	buf = xmalloc(cap);
	for (;;) {
		if (len == cap) {
			if (cap >= TABLE_MAX) {
				err = EFBIG;
				goto fail;
			}
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	sock_procnet_parse(t, netns, d, buf, len);
	free(buf);
	return 0;
fail:
	close(fd);
	free(buf);
	errno = err;
	return -1;
}
