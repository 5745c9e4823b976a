/* fuzz_link.c - parse_link (readlink of /proc/PID/fd/N, which is not
 * NUL-terminated: the input is given as is, at its exact length). */
#include "fuzz.h"
#include "scan/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *t = malloc(size ? size : 1);
	struct link_info li;

	if (!t)
		abort();
	memcpy(t, data, size);
	parse_link(t, size, &li);
	FUZZ_ASSERT(li.kind <= LINK_OTHER);
	FUZZ_ASSERT(li.kind == LINK_ANON ? li.anon != ANON_NONE : li.anon == ANON_NONE);
	FUZZ_ASSERT(!li.deleted || li.kind == LINK_PATH);
	FUZZ_ASSERT(li.kind != LINK_PATH || (size > 0 && t[0] == '/'));
	free(t);
	return 0;
}
