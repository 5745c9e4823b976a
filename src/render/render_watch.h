/* render_watch.h - watch mode's output: one line per event, as text for
 * people or as NDJSON (one compact JSON object per line) for scripts.
 * Every key is documented in man/fdshare.1 (WATCH MODE). */
#ifndef FDSHARE_RENDER_WATCH_H
#define FDSHARE_RENDER_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "watch/watch_state.h"

struct watch_render {
	FILE *out;
	bool json;
	long long real_minus_mono_ns;   /* wall clock = CLOCK_MONOTONIC + this */
};

/* The first line: what is watched. */
struct watch_start {
	unsigned long long ts_ns;
	size_t processes;         /* in the seeded picture */
	bool filtered;            /* the kernel filters by event kind */
	size_t rcvbuf;            /* receive buffer granted, bytes */
	const int *pids;          /* -p roots (npids 0: every process) */
	size_t npids;
	unsigned kinds;           /* bit (1 << enum wkind) per kind printed */
};

/* The last line: how many of each kind were printed, and why it ended. */
struct watch_summary {
	unsigned long long ts_ns;
	unsigned long long counts[WK_COUNT];
	double seconds;
	const char *ended;        /* "count", "duration", "signal" */
	int signal;               /* the signal, for "signal" */
};

/* Each returns 0, or -1 when writing failed. */
int render_watch_start(const struct watch_render *o, const struct watch_start *st);
int render_watch_event(const struct watch_render *o, const struct wreport *r);
int render_watch_summary(const struct watch_render *o, const struct watch_summary *sm);

#endif
