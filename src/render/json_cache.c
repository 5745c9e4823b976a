/* json_cache.c - the per-thread value cache of json_cache.h: a small
 * direct-mapped table of memory writers (json_rebase, json_append) per
 * thread, freed when its thread ends. */
#include "render/json_cache.h"
#include "base/util.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#define CACHE_SLOTS 64   /* the descriptions a few processes share: a
			    family of processes repeats the same ones */

struct cached {
	const void *key;
	unsigned generation;
	struct json *value;   /* a memory writer holding the rendered value */
};

struct cache {
	struct cached slot[CACHE_SLOTS];
};

static unsigned generation = 1;
static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static __thread struct cache *this_thread;

static void cache_free(void *x)
{
	struct cache *c = x;
	size_t i;

	for (i = 0; i < CACHE_SLOTS; i++)
		if (c->slot[i].value)
			json_free(c->slot[i].value);
	free(c);
}

static void cache_key_make(void)
{
	pthread_key_create(&cache_key, cache_free);
}

static struct cache *thread_cache(void)
{
	if (!this_thread) {
		pthread_once(&cache_once, cache_key_make);
		this_thread = xcalloc(1, sizeof(*this_thread));
		/* freed by cache_free when the thread ends (the main thread's
		 * stays, reachable, until exit) */
		pthread_setspecific(cache_key, this_thread);
	}
	return this_thread;
}

void json_cache_value(struct json *j, const void *key,
		      void (*write)(struct json *j, const void *key))
{
	uintptr_t h = (uintptr_t)key;
	struct cached *e;
	unsigned gen = __atomic_load_n(&generation, __ATOMIC_RELAXED);

	h = ((h >> 4) * 0x9e3779b97f4a7c15ull) >> 40;   /* the address's bits, mixed */
	e = &thread_cache()->slot[h % CACHE_SLOTS];
	if (e->value && e->key == key && e->generation == gen && json_can_append(j, e->value)) {
		json_append(j, e->value);
		return;
	}
	if (!e->value)
		e->value = json_new_memory(false);
	json_rebase(e->value, j);
	write(e->value, key);
	e->key = key;
	e->generation = gen;
	json_append(j, e->value);
}

void json_cache_new_generation(void)
{
	__atomic_add_fetch(&generation, 1, __ATOMIC_RELAXED);
}
