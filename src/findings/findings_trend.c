/* findings_trend.c - the rule about fd counts over time (--interval only).
 *
 *  fd-growth  a process whose fd count rose steadily between the scans
 *             (trend.h says what steady means: rising between at least half
 *             of the samples, falling between at most a tenth, by 2 or
 *             more in all), with its rate and the time left to its soft
 *             RLIMIT_NOFILE at that rate, and what the new fds are.  Not: a
 *             process that opens and closes as many (flat), one that opened
 *             a batch at once (one step), processes that started or ended
 *             between the scans (no before or no after).  A single scan
 *             has no trend: outside --interval the rule finds nothing. */
#include "findings/findings_rules.h"
#include "model/trend.h"

#define GROUPS_NAMED 3

void check_fd_growth(const struct model *m, const struct findings_config *c,
		     const struct rule *r, struct findings *out)
{
	const struct trend *t = m->trend;
	size_t i, k, named;

	(void)c;
	for (i = 0; t && i < t->nprocs; i++) {
		const struct trend_proc *tp = &t->procs[i];
		const struct process *p = model_process(m, tp->pid);
		struct finding *f;
		struct strbuf sb;

		if (!tp->steady || !p || p->gone || p->start_time != tp->start_time)
			continue;
		f = finding_new(out, r, r->severity);
		sb_init(&sb);
		say_proc(&sb, p);
		sb_printf(&sb, " opens fds steadily: %ld -> %ld in %.1f s (%+.1f per second, rising "
			  "between %zu of %zu samples)", tp->before, tp->after, tp->seen_seconds, tp->rate,
			  tp->rises, tp->steps);
		if (tp->seconds_to_limit >= 0) {
			sb_printf(&sb, "; at that rate it reaches its soft limit of %llu (RLIMIT_NOFILE) in ",
				  tp->limit);
			sb_duration(&sb, tp->seconds_to_limit);
		} else {
			sb_adds(&sb, "; its fd limit is unknown or unlimited");
		}
		for (k = 0, named = 0; k < tp->ngroups && named < GROUPS_NAMED; k++, named++) {
			sb_adds(&sb, k ? ", " : "; new: ");
			sb_printf(&sb, "+%zu ", tp->groups[k].count);
			sb_adds(&sb, tp->groups[k].what);
		}
		finding_message(f, &sb);
		sb_printf(&sb, "find where it opens these without closing them (fdshare -p %d lists "
			  "every fd; an fd per request or retry that is never closed is the usual cause); "
			  "restarting it only resets the count", p->pid);
		finding_hint(f, &sb);
		finding_pid(f, p->pid);
		finding_num(f, "before", tp->before);
		finding_num(f, "after", tp->after);
		finding_num(f, "milliseconds", (long long)(tp->seen_seconds * 1000 + 0.5));
		finding_num(f, "per_minute", (long long)(tp->rate * 60 + 0.5));
		if (tp->have_limit)
			finding_num(f, "limit", (long long)tp->limit);
		else
			finding_bytes(f, "limit", NULL, 0);
		if (tp->seconds_to_limit >= 0)
			finding_num(f, "seconds_to_limit", (long long)(tp->seconds_to_limit + 0.5));
		else
			finding_bytes(f, "seconds_to_limit", NULL, 0);
		finding_done(f);
		sb_free(&sb);
	}
}
