/* fuzz_cmdline.c - parse_cmdline (/proc/PID/cmdline): the arguments,
 * joined again with NULs, give back the input (a last NUL is optional). */
#include "fuzz.h"
#include "scan/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char **argv = parse_cmdline((const char *)data, size);
	size_t i, off = 0, n;

	for (i = 0; argv[i]; i++) {
		n = strlen(argv[i]);
		FUZZ_ASSERT(off + n <= size && memcmp(data + off, argv[i], n) == 0);
		off += n;
		FUZZ_ASSERT(off == size ? argv[i + 1] == NULL : data[off] == '\0');
		off += off < size;
	}
	FUZZ_ASSERT(off == size);
	cmdline_free(argv);
	return 0;
}
