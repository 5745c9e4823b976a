/* trend.h - leaks in progress: fd counts over time (fdshare --interval).
 *
 * A leak is a trend, not a moment.  trend_collect() runs SCANS full scans
 * (model_build) SECONDS apart and, between two full scans, counts each
 * tracked process's fds (a readdir of /proc/PID/fd, its start time checked)
 * TREND_STEPS - 1 times more, evenly spaced: every process gets a count
 * series of TREND_STEPS * (SCANS - 1) + 1 samples.  From the first and the
 * last full scan it also knows which fds appeared (by fd number, mount and
 * inode) and what they are.
 *
 * "Steady" growth, the only growth finding fd-growth reports: the count
 * rose by 2 or more in all, rose between at least half of the consecutive
 * samples and fell between at most a tenth of them.  A process that opens
 * and closes as many fds stays flat; one that opened a batch once rose in
 * one step only; neither is a leak in progress.
 *
 * Processes seen in a later full scan but not in the first (a new pid, or
 * a pid reused: another start time) are "started"; those gone by the last
 * full scan are "ended": neither counts as growth.  The trend owns all it
 * points to; trend_free() releases it. */
#ifndef FDSHARE_TREND_H
#define FDSHARE_TREND_H

#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"
#include "base/util.h"

#define TREND_STEPS 10          /* samples per interval */
#define TREND_GROUPS_KEPT 8     /* appeared-fd groups kept per process */

enum trend_status { TREND_RUNNING, TREND_STARTED, TREND_ENDED };

/* Fds that appeared, grouped by what they are ("socket tcp 10.0.0.5:5432"). */
struct trend_group {
	char *what;               /* raw bytes (paths): escape when printing */
	size_t count;
};

struct trend_key { int fd, mnt_id; unsigned long long ino; };

struct trend_proc {
	int pid;
	unsigned long long start_time;
	char *comm;
	enum trend_status status;
	long *samples;            /* nsamples counts; -1 where not seen or not readable */
	long before, after;       /* first and last sample seen; -1 when none */
	double seen_seconds;      /* from its first to its last sample */
	double rate;              /* fds per second over that time */
	size_t steps, rises, falls;
	bool steady;
	bool have_limit;          /* its soft RLIMIT_NOFILE is known and finite */
	unsigned long long limit;
	double seconds_to_limit;  /* at rate, from after; -1 when not growing or unknown */
	struct trend_group *groups;   /* most first, at most TREND_GROUPS_KEPT */
	size_t ngroups;
	size_t appeared;          /* fds in the last scan not in the first */
	size_t new_ofds;          /* open file descriptions among them that no older
	                             fd of the process holds */
	struct trend_key *first_keys;  /* its fds at the first full scan, sorted */
	size_t nfirst;
	bool in_first, in_last;   /* seen by the first, by the last full scan */
};

struct trend_scan {
	double at;                /* seconds since the first scan began */
	size_t processes, fds, unreadable;
	bool complete;
};

struct trend {
	double interval;          /* seconds between full scans */
	unsigned scans;
	size_t nsamples;
	double *sample_at;        /* seconds since the start, per sample */
	struct trend_scan *scan;  /* scans entries */
	struct trend_proc *procs; /* by pid, then start time */
	size_t nprocs;
};

/* Run the scans and samples with model options mo; fill *t and leave the
 * last full scan in *last (the caller frees it with model_free).  Returns 0,
 * or -1 with errno when a scan could not start at all (no /proc). */
int trend_collect(const struct model_options *mo, double interval, unsigned scans,
		  struct trend *t, struct model *last);
void trend_free(struct trend *t);

/* Whether every full scan read everything. */
bool trend_complete(const struct trend *t);

/* From tp's samples (taken at sample_at[i] seconds), its in_first and
 * in_last, have_limit and limit: its status, before, after, rate, steps,
 * rises, falls, steady and seconds_to_limit.  Pure: tested on its own. */
void trend_judge(struct trend_proc *tp, const double *sample_at, size_t nsamples);

/* The process record of p (same pid and start time) in t, or NULL. */
const struct trend_proc *trend_find(const struct trend *t, const struct process *p);

#endif
