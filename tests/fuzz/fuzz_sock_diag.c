/* fuzz_sock_diag.c - sock_parse_dump: netlink sock_diag answers as the
 * kernel would send them (first byte: which dump; the rest: the bytes
 * received, in a buffer of exactly that size).  Every entry kept must be
 * reachable through the lookups its dump is indexed by (inet: tuple and
 * port; unix: peer; every dump: inode), and a unix name fits its buffer. */
#include "fuzz.h"
#include "scan/sock.h"

#include <errno.h>

#define NETNS 4026531840ULL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sock_table *t;
	enum sock_dump d;
	void *buf;
	size_t i, n, len;
	int r;

	if (size < 1)
		return 0;
	d = (enum sock_dump)(data[0] % SOCK_DUMP_COUNT);
	len = size - 1;
	/* recv() fills an aligned buffer: the copy starts aligned */
	buf = malloc(len ? len : 1);
	if (!buf)
		abort();
	memcpy(buf, data + 1, len);
	t = sock_table_new();
	errno = 0;
	r = sock_parse_dump(t, NETNS, d, buf, len, 0, 0);
	FUZZ_ASSERT(r == 0 || r == 1 || (r == -1 && errno != 0));
	n = sock_table_count(t);
	for (i = 0; i < n; i++) {
		const struct sock_info *s = sock_table_at(t, i);
		size_t k, nicons, iter = 0;
		const unsigned *icons = sock_icons(t, s, &nicons);

		FUZZ_ASSERT(s->name_len <= SOCK_NAME_MAX && s->dump == d && s->netns == NETNS);
		for (k = 0; k < nicons; k++)
			FUZZ_ASSERT(icons != NULL && (icons[k] | 1u) != 0);
		if (s->ino)
			FUZZ_ASSERT(sock_find(t, NETNS, s->ino) != NULL);
		if (sock_is_inet(d)) {
			/* packet and netlink sockets have no address tuple to index */
			FUZZ_ASSERT(sock_find_tuple(t, NETNS, d, &s->local, &s->remote) != NULL);
			FUZZ_ASSERT(sock_next_on_port(t, NETNS, d, s->local.port, &iter) != NULL);
		} else if (d == SOCK_UNIX && s->have_peer && s->peer) {
			FUZZ_ASSERT(sock_next_with_peer(t, NETNS, s->peer, &iter) != NULL);
		}
		FUZZ_ASSERT(sock_is_inet(d) || d == SOCK_UNIX || d == SOCK_AFPACKET || d == SOCK_NETLINK);
		FUZZ_ASSERT(sock_state_name(s) != NULL);
	}
	sock_table_free(t);
	free(buf);
	return 0;
}
