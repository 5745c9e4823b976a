/* kind_link.h - the other ends of ptys and POSIX message queues, linked into
 * the model's fd details (endpoint.h) after grouping, as pipes are. */
#ifndef FDSHARE_KIND_LINK_H
#define FDSHARE_KIND_LINK_H

#include "model/model.h"

/* A pty master's ends: the holders of its slave; a slave's: the holders of
 * its master; a queue's: the other descriptions open on that queue. */
void kind_link(struct model *m);

#endif
