/* fuzz_locks.c - libFuzzer harness for lockparse.c: any bytes as a
 * /proc/locks text and as one line.  Properties: no crash, no read outside
 * the input (ASan), every accepted line is internally consistent (a range
 * that does not end before it starts, a kind and type in range), and
 * parsing the same bytes twice gives the same records. */
#include "fuzz.h"
#include "scan/lockparse.h"

static void consistent(const struct lock_line *l)
{
	FUZZ_ASSERT((unsigned)l->kind < LK_KIND_COUNT);
	FUZZ_ASSERT(l->type == LK_READ || l->type == LK_WRITE || l->type == LK_UNLCK);
	FUZZ_ASSERT(l->end == -1 || l->end >= l->start);
	FUZZ_ASSERT(l->depth >= 0 && l->id >= 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lock_line *a, *b, one;
	size_t bad_a, bad_b, na, nb, i;

	na = lock_lines_parse((const char *)data, size, &a, &bad_a);
	nb = lock_lines_parse((const char *)data, size, &b, &bad_b);
	FUZZ_ASSERT(na == nb && bad_a == bad_b);
	for (i = 0; i < na; i++) {
		consistent(&a[i]);
		FUZZ_ASSERT(memcmp(&a[i], &b[i], sizeof(a[i])) == 0);
	}
	free(a);
	free(b);
	if (lock_line_parse((const char *)data, size, &one) == 0)
		consistent(&one);
	return 0;
}
