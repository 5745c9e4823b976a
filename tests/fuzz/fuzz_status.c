/* fuzz_status.c - parse_status (/proc/PID/status): NSpid never holds more
 * than NSPID_MAX levels. */
#include "fuzz.h"
#include "scan/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct status_info si;

	if (parse_status(s, size, &si) == 0)
		FUZZ_ASSERT(si.nspid_count >= 0 && si.nspid_count <= NSPID_MAX);
	free(s);
	return 0;
}
