/* subreaper_bpf.c - the table of subreaper flags (subreaper_bpf.h). */
#include "scan/subreaper_bpf.h"

#include <stdlib.h>

void subreaper_table_free(struct subreaper_table *t)
{
	if (!t)
		return;
	free(t->flags);
	t->flags = NULL;
	t->n = 0;
}
