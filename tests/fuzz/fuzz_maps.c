/* fuzz_maps.c - parse_maps_line and parse_mountinfo_point (parse_maps.h):
 * one /proc/PID/maps line, or one mountinfo line, as holds.c hands them over
 * (without the newline, in a buffer of exactly that size: ASan sees a read
 * past it).  The pathname must point inside the line, the permissions stay a
 * 4-letter string, the device fits the kernel's 12:20 bits, and a mount
 * point fits its buffer, NUL-terminated. */
#include "fuzz.h"
#include "scan/parse_maps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size ? size : 1);
	struct maps_entry e;
	char point[64];
	long n;

	if (!line)
		abort();
	memcpy(line, data, size);
	if (parse_maps_line(line, size, &e) == 0) {
		FUZZ_ASSERT(e.path >= line && e.path + e.path_len == line + size);
		FUZZ_ASSERT(strlen(e.perms) == 4 && e.major <= 0xfff && e.minor <= 0xfffff);
		FUZZ_ASSERT(e.path_len == 0 || e.path[0] != ' ');
		(void)maps_is_private_text(&e);
	}
	n = parse_mountinfo_point(line, size, point, sizeof(point));
	FUZZ_ASSERT(n == -1 || (n > 0 && (size_t)n < sizeof(point) && point[n] == '\0'));
	free(line);
	return 0;
}
