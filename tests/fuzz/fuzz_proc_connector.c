/* fuzz_proc_connector.c - watch_decode: proc connector messages as the
 * kernel would send them, in a buffer of exactly the bytes received.  It
 * decodes at most what fits, counts the rest as malformed, and never more
 * events than messages could hold. */
#include "fuzz.h"
#include "watch/watch.h"

#include <linux/netlink.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proc_ev evs[64];
	size_t n, bad, cap = size ? data[0] % 65 : 0;
	void *buf = malloc(size ? size : 1);

	if (!buf)
		abort();
	memcpy(buf, data, size);
	n = watch_decode(buf, size, evs, cap, &bad);
	FUZZ_ASSERT(n <= cap);
	FUZZ_ASSERT(n <= size / NLMSG_HDRLEN);
	for (size_t i = 0; i < n; i++) {
		FUZZ_ASSERT(evs[i].kind <= PEV_OTHER);
		FUZZ_ASSERT(evs[i].kind != PEV_COMM || memchr(evs[i].comm, '\0', sizeof(evs[i].comm)));
	}
	n = watch_decode(buf, size, evs, cap, NULL);
	FUZZ_ASSERT(n <= cap);
	free(buf);
	return 0;
}
