/* stats.h - counters over a finished model, for the health outputs
 * (--check perfdata, --prometheus metrics): over every process, or only
 * over the selected ones (-p/-u/-c).  Pure: no I/O. */
#ifndef FDSHARE_STATS_H
#define FDSHARE_STATS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"

/* Zombies of the parents that share one command name. */
struct zombie_count {
	const char *parent_comm;  /* borrowed from the model: raw bytes */
	size_t zombies;
};

struct scan_stats {
	size_t processes;         /* live processes counted */
	size_t fds;               /* their fds */
	/* What could not be read, over the whole scan whatever the selection:
	 * any process may hold a description the selected ones share. */
	size_t unreadable;        /* processes whose fds could not be read (selected only: of those) */
	size_t fd_errors;         /* fds not fully read */
	size_t vanished;          /* processes that ended during the scan */
	size_t ofds, shared_ofds; /* descriptions, and those held by several processes */
	size_t zombies;
	struct zombie_count *zombie_parents;   /* by parent command name, sorted; owned */
	size_t nzombie_parents;
	double fd_usage_max;      /* highest % of its soft RLIMIT_NOFILE a process uses; -1 unknown */
	unsigned long long deleted_bytes;   /* sizes of deleted files still open, each counted once */
	bool complete;            /* every (selected) process and fd could be read */
};

/* Count over m: every live process, or with selected_only only the selected
 * ones (zombie groups count when the parent or a zombie is selected).
 * Free with stats_free(). */
void stats_compute(const struct model *m, bool selected_only, struct scan_stats *out);
void stats_free(struct scan_stats *s);

#endif
