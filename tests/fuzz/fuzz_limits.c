/* fuzz_limits.c - parse_limits_nofile (/proc/PID/limits): no crash, no
 * read past the text, whatever the columns hold. */
#include "fuzz.h"
#include "scan/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct nofile_limit l;

	parse_limits_nofile(s, size, &l);
	free(s);
	return 0;
}
