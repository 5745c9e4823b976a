/* fuzz_stat.c - parse_stat (/proc/PID/stat): whatever the bytes, the comm
 * it returns is NUL-terminated inside its buffer, and a parsed line has a
 * state and its pid. */
#include "fuzz.h"
#include "scan/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct stat_info si;

	memset(&si, 0xa5, sizeof(si));
	if (parse_stat(s, size, &si) == 0) {
		FUZZ_ASSERT(memchr(si.comm, '\0', sizeof(si.comm)) != NULL);
		FUZZ_ASSERT(si.state != '\0');
	}
	free(s);
	return 0;
}
