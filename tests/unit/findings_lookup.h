/* findings_lookup.h - what the findings unit tests ask of a computed list:
 * how many findings carry a code, and the first that does (NULL: none).
 * Both borrow from the list; nothing is copied. */
#ifndef FDSHARE_FINDINGS_LOOKUP_H
#define FDSHARE_FINDINGS_LOOKUP_H

#include <string.h>

#include "findings/findings.h"

static inline size_t findings_count_code(const struct findings *l, const char *code)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += strcmp(l->v[i].code, code) == 0;
	return n;
}

static inline const struct finding *findings_first_code(const struct findings *l, const char *code)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].code, code) == 0)
			return &l->v[i];
	return NULL;
}

#endif
