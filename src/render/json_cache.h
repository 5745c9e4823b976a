/* json_cache.h - a JSON value rendered once and copied where it comes
 * again: the "endpoints" of the fds of one pipe or socket description,
 * which every holder repeats in full.
 *
 * Each thread keeps its own few values (no locks); a value is copied only
 * where the writer stands as it stood when the value was rendered (the
 * same depth and indentation), else rendered again. */
#ifndef FDSHARE_JSON_CACHE_H
#define FDSHARE_JSON_CACHE_H

#include "base/json.h"

/* Write key's value to j (a key is due): a copy of what write(j, key)
 * wrote for key before on this thread, in this generation, else write's
 * output, kept for next time.  write must write one value and depend on
 * nothing but key while the generation lasts. */
void json_cache_value(struct json *j, const void *key,
		      void (*write)(struct json *j, const void *key));

/* Forget every thread's values: call before rendering another model (keys
 * are addresses, which a new model may reuse). */
void json_cache_new_generation(void);

#endif
