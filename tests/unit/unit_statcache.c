/* unit_statcache.c - one stat per (mount id, inode): found again, kept
 * apart by either half of the key, and still there after the table grew. */
#include "check.h"
#include "scan/statcache.h"

#include <string.h>

int main(void)
{
	struct stat_cache *c = stat_cache_new();
	struct stat st, got;
	int i, all = 1;

	memset(&st, 0, sizeof(st));
	CHECK(!stat_cache_find(c, 26, 733, &got), "an empty cache finds nothing");
	st.st_mode = 0100644;
	st.st_size = 8192;
	st.st_nlink = 1;
	st.st_dev = 0xfe00;
	stat_cache_add(c, 26, 733, &st);
	CHECK(stat_cache_find(c, 26, 733, &got) && got.st_mode == 0100644 && got.st_size == 8192 &&
	      got.st_nlink == 1 && got.st_dev == 0xfe00 && got.st_ino == 733,
	      "the attributes come back for the same mount and inode");
	CHECK(!stat_cache_find(c, 27, 733, &got), "the same inode number on another mount is another file");
	CHECK(!stat_cache_find(c, 26, 734, &got), "another inode on the same mount is another file");
	for (i = 0; i < 5000; i++) {
		st.st_size = i;
		stat_cache_add(c, 30 + i % 7, 100000ull + (unsigned long long)i, &st);
	}
	for (i = 0; i < 5000; i++)
		all &= stat_cache_find(c, 30 + i % 7, 100000ull + (unsigned long long)i, &got) &&
			got.st_size == i;
	CHECK(all, "5000 files: every one found with its own size after the table grew");
	CHECK(stat_cache_find(c, 26, 733, &got) && got.st_size == 8192, "the first file is still there");
	stat_cache_free(c);
	return check_done();
}
