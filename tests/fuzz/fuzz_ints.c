/* fuzz_ints.c - parse_int and parse_pid_name (names under /proc and
 * /proc/PID/fd, -p values): a name taken as a PID is digits only and its
 * value is what the digits say. */
#include "fuzz.h"
#include "scan/parse.h"

#include <limits.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	long long v = 0;
	size_t i, len = strlen(s);
	int out;

	if (parse_pid_name(s, &out) == 0) {
		FUZZ_ASSERT(len > 0 && out >= 0);
		for (i = 0; i < len; i++) {
			FUZZ_ASSERT(s[i] >= '0' && s[i] <= '9');
			if (v <= INT_MAX)
				v = v * 10 + (s[i] - '0');
		}
		FUZZ_ASSERT(v == out);
	}
	if (parse_int(s, &out) == 0)
		FUZZ_ASSERT(len > 0);
	free(s);
	return 0;
}
