/* fuzz.h - what every libFuzzer harness in tests/fuzz/ shares.
 *
 * Each fuzz_NAME.c defines LLVMFuzzerTestOneInput for one parser of bytes
 * that come from outside (/proc files, netlink messages, names) and checks
 * properties of its result, calling FUZZ_ASSERT (abort) when one fails.
 * "ninja fuzz" links each with libFuzzer (clang) into build/fuzz/fuzz_NAME;
 * the ordinary builds link each with replay.c into build/tests/unit_fuzz_NAME,
 * which replays the inputs kept in fixtures/fuzz/NAME/ (seeds, and every
 * input that once crashed). */
#ifndef FDSHARE_FUZZ_H
#define FDSHARE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(c) do { \
	if (!(c)) { \
		fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #c); \
		abort(); \
	} \
} while (0)

/* A NUL-terminated heap copy of the input, as /proc reads hand it to the
 * parsers (procfs_read_at terminates what it read); ASan sees reads past it. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
