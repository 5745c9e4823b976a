/* watch_proc.h - /proc as watch mode reads it: the probe behind struct
 * wprobe, and a light scan (stat only) to seed and re-synchronise the
 * picture.  Gone processes (ENOENT, ESRCH) are not errors of the scan. */
#ifndef FDSHARE_WATCH_PROC_H
#define FDSHARE_WATCH_PROC_H

#include <sys/types.h>

#include "scan/parse.h"
#include "watch/watch_state.h"

/* A probe reading procroot ("/proc"; the string must outlive the probe). */
struct wprobe watch_proc_probe(const char *procroot);

/* The stat of every process (thread group) under procroot but our own, in
 * a malloc'd array (*out, the caller frees); the count, or -1 with errno
 * when procroot cannot be listed. */
ssize_t watch_proc_scan(const char *procroot, struct stat_info **out);

#endif
