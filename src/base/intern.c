/* intern.c - the shared copies of intern.h: a short list searched in order
 * under a lock (the names come from a small set the kernel defines: file
 * system types, socket protocols). */
#include "base/intern.h"
#include "base/util.h"

#include <pthread.h>
#include <string.h>

struct interned {
	struct interned *next;
	size_t len;
	char s[];
};

static struct interned *interned_head;
static pthread_mutex_t interned_lock = PTHREAD_MUTEX_INITIALIZER;

const char *intern_len(const char *s, size_t len)
{
	struct interned *e;

	pthread_mutex_lock(&interned_lock);
	for (e = interned_head; e; e = e->next)
		if (e->len == len && memcmp(e->s, s, len) == 0)
			break;
	if (!e) {
		e = xmalloc(sizeof(*e) + len + 1);
		e->len = len;
		memcpy(e->s, s, len);
		e->s[len] = '\0';
		e->next = interned_head;
		interned_head = e;
	}
	pthread_mutex_unlock(&interned_lock);
	return e->s;
}

const char *intern(const char *s)
{
	return intern_len(s, strlen(s));
}
