/* radix.c - least significant digit radix sort, a byte at a time (see
 * radix.h).  Bytes where no two keys differ are skipped: inodes and mount
 * ids vary in their low bytes only, so most sorts take two to four passes. */
#include "base/radix.h"

#include <string.h>

void radix_sort(struct radix_item *v, struct radix_item *tmp, size_t n)
{
	struct radix_item *from = v, *to = tmp, *swap;
	unsigned long long differ = 0;
	size_t count[256], i, sum, c;
	unsigned shift;

	for (i = 1; i < n; i++)
		differ |= v[i].key ^ v[0].key;
	for (shift = 0; shift < 64; shift += 8) {
		if (!((differ >> shift) & 0xff))
			continue;
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(from[i].key >> shift) & 0xff]++;
		for (i = 0, sum = 0; i < 256; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			to[count[(from[i].key >> shift) & 0xff]++] = from[i];
		swap = from;
		from = to;
		to = swap;
	}
	if (from != v)
		memcpy(v, from, n * sizeof(*v));
}
