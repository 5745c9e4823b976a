/* fuzz_mountinfo.c - parse_mountinfo_line, one line as mounts.c hands it
 * over (without its newline); the fs type is always NUL-terminated. */
#include "fuzz.h"
#include "scan/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct mount_entry e;

	if (parse_mountinfo_line(s, size, &e) == 0)
		FUZZ_ASSERT(memchr(e.fstype, '\0', sizeof(e.fstype)) != NULL && e.fstype[0] != '\0');
	free(s);
	return 0;
}
