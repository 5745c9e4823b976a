/* statcache.c - (mount id, inode) -> struct stat, an open-addressing hash. */
#include "scan/statcache.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

/* what the scan uses of a stat, 48 bytes rather than struct stat's 144 */
struct slot {
	unsigned long long ino;
	int mnt_id;
	unsigned mode;
	unsigned long long size;
	dev_t dev, rdev;
	unsigned nlink;
	bool used;
};

struct stat_cache {
	struct slot *slots;
	size_t cap, count;   /* cap a power of two, count <= cap / 2 */
};

static size_t slot_of(const struct stat_cache *c, int mnt_id, unsigned long long ino)
{
	unsigned long long h = (ino ^ ((unsigned long long)(unsigned)mnt_id << 40)) * 0x9E3779B97F4A7C15ull;
	size_t i = (size_t)(h >> 32) & (c->cap - 1);

	while (c->slots[i].used && (c->slots[i].ino != ino || c->slots[i].mnt_id != mnt_id))
		i = (i + 1) & (c->cap - 1);
	return i;
}

struct stat_cache *stat_cache_new(void)
{
	struct stat_cache *c = xcalloc(1, sizeof(*c));

	c->cap = 256;
	c->slots = xcalloc(c->cap, sizeof(*c->slots));
	return c;
}

void stat_cache_free(struct stat_cache *c)
{
	if (!c)
		return;
	free(c->slots);
	free(c);
}

bool stat_cache_find(const struct stat_cache *c, int mnt_id, unsigned long long ino, struct stat *st)
{
	const struct slot *s = &c->slots[slot_of(c, mnt_id, ino)];

	if (!s->used)
		return false;
	memset(st, 0, sizeof(*st));
	st->st_ino = s->ino;
	st->st_mode = s->mode;
	st->st_size = (off_t)s->size;
	st->st_dev = s->dev;
	st->st_rdev = s->rdev;
	st->st_nlink = s->nlink;
	return true;
}

static void grow(struct stat_cache *c)
{
	struct stat_cache bigger = { .cap = c->cap * 2 };
	size_t i;

	bigger.slots = xcalloc(bigger.cap, sizeof(*bigger.slots));
	for (i = 0; i < c->cap; i++)
		if (c->slots[i].used)
			bigger.slots[slot_of(&bigger, c->slots[i].mnt_id, c->slots[i].ino)] = c->slots[i];
	bigger.count = c->count;
	free(c->slots);
	*c = bigger;
}

void stat_cache_add(struct stat_cache *c, int mnt_id, unsigned long long ino, const struct stat *st)
{
	size_t i;

	if ((c->count + 1) * 2 > c->cap)
		grow(c);
	i = slot_of(c, mnt_id, ino);
	if (!c->slots[i].used)
		c->count++;
	c->slots[i] = (struct slot){
		.ino = ino, .mnt_id = mnt_id, .mode = st->st_mode, .size = (unsigned long long)st->st_size,
		.dev = st->st_dev, .rdev = st->st_rdev, .nlink = (unsigned)st->st_nlink, .used = true,
	};
}
