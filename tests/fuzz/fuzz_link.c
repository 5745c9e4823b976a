/* fuzz_link.c - kind_recognise on a target text (readlink of /proc/PID/fd/N,
 * which is not NUL-terminated: the input is given as is, at its exact length). */
#include "fuzz.h"
#include "kinds/kinds.h"

#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *t = malloc(size ? size : 1);
	enum fd_kind k, km;

	if (!t)
		abort();
	memcpy(t, data, size);
	k = kind_recognise(t, size, false, 0);
	km = kind_recognise(t, size, true, S_IFREG);
	FUZZ_ASSERT((unsigned)k < KIND_COUNT);
	FUZZ_ASSERT(!kind_target_says_deleted(t, size) || kind_target_is_path(t, size));
	FUZZ_ASSERT(!kind_target_is_path(t, size) || (size > 0 && t[0] == '/'));
	/* a path's kind comes from its file type bits alone */
	FUZZ_ASSERT(kind_target_is_path(t, size) ? k == KIND_UNKNOWN && km == KIND_REG : k == km);
	free(t);
	return 0;
}
