/* model.h - build the whole model (record.h holds what it is made of):
 * a source reads processes, fds and descriptions, then the neutral
 * derivations run once (model.c). */
#ifndef FDSHARE_MODEL_H
#define FDSHARE_MODEL_H

#include "model/record.h"

/* Build the whole model.  Returns 0, or -1 with errno when the scan could not
 * start at all (no /proc).  Per-process and per-fd failures are data. */
int model_build(const struct model_options *opt, struct model *m);
void model_free(struct model *m);

/* Whether the answer misses something that exists: unreadable processes or
 * fds, or a PATH that could not be resolved. */
bool model_complete(const struct model *m);
/* With -p/-u/-c: whether every selected process and each of its fds was read
 * (sharing with an unreadable other process is then unknown, not missing)
 * and the scan never ran short of its own fds or memory (then its sharers
 * may be missing); without a selection: model_complete(). */
bool model_selection_complete(const struct model *m);

#endif
