/* fuzz_kinds.c - the parsers of the fd kinds (src/kinds/) and of the
 * /proc/net socket tables (src/scan/sock_procnet.c), on bytes as fdinfo,
 * a link or /proc/net would give them.  First byte: which parser; the rest:
 * the text.  Every string kept must be terminated and fit its buffer;
 * counts stay in range. */
#include "fuzz.h"
#include "base/util.h"
#include "kinds/kind_bpf.h"
#include "kinds/kind_io_uring.h"
#include "kinds/kind_nsfs.h"
#include "kinds/kind_tty.h"
#include "scan/sock_procnet.h"

#define NETNS 4026531840ULL

static void fuzz_procnet(enum sock_dump d, const char *text, size_t len)
{
	struct sock_table *t = sock_table_new();
	size_t n = sock_procnet_parse(t, NETNS, d, text, len), i;

	FUZZ_ASSERT(n == sock_table_count(t));
	for (i = 0; i < n; i++) {
		const struct sock_info *s = sock_table_at(t, i);
		FUZZ_ASSERT(s->dump == d && s->ino != 0 && s->local.port <= 0xffff && s->remote.port <= 0xffff);
		FUZZ_ASSERT(sock_find(t, NETNS, s->ino) != NULL);
	}
	sock_table_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nsfs_detail ns;
	struct bpf_detail b;
	struct io_uring_detail u;
	struct chr_detail c;
	char *text;
	size_t len;

	if (size < 1)
		return 0;
	text = fuzz_cstr(data + 1, size - 1);
	len = size - 1;
	switch (data[0] % 8) {
	case 0:
		if (nsfs_parse_link(text, len, &ns) == 0)
			FUZZ_ASSERT(memchr(ns.type, '\0', sizeof(ns.type)) != NULL);
		break;
	case 1: case 2: case 3:
		bpf_parse_fdinfo((enum bpf_object)(data[0] % 8), text, len, &b);
		FUZZ_ASSERT(memchr(b.type, '\0', sizeof(b.type)) && memchr(b.tag, '\0', sizeof(b.tag)));
		break;
	case 4:
		io_uring_parse_fdinfo(text, len, &u);
		FUZZ_ASSERT(u.sq_entries >= -1 && u.cq_entries >= -1 && u.sq_thread >= -1);
		break;
	case 5:
		c = (struct chr_detail){ .kind = data[0] & 0x80 ? CHR_TUN : CHR_PTY_MASTER, .tty_index = -1 };
		chr_parse_fdinfo(text, len, &c);
		FUZZ_ASSERT(c.tty_index >= -1 && memchr(c.iface, '\0', sizeof(c.iface)));
		break;
	case 6:
		fuzz_procnet(data[0] & 0x80 ? SOCK_IPRAW6 : SOCK_IPRAW, text, len);
		break;
	case 7:
		fuzz_procnet(data[0] & 0x80 ? SOCK_PING6 : SOCK_PING, text, len);
		break;
	}
	free(text);
	return 0;
}
