/* fuzz_syscall.c - parse_syscall (/proc/PID/task/TID/syscall): a running
 * thread has no call, a blocked one a call number from -1 up. */
#include "fuzz.h"
#include "scan/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct syscall_info si;

	if (parse_syscall(s, size, &si) == 0) {
		FUZZ_ASSERT(si.nr >= -1 && si.nr <= 100000);
		FUZZ_ASSERT(!si.running || si.nr == -1);
	}
	free(s);
	return 0;
}
