/* watch_run.c - watch mode's loop (see watch_run.h). */
#include "watch/watch_run.h"
#include "render/render_watch.h"
#include "base/util.h"
#include "watch/watch.h"
#include "watch/watch_proc.h"
#include "watch/watch_queue.h"
#include "watch/watch_state.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#define PROCROOT "/proc"
#define MAX_BACKLOG (1u << 18)   /* queued events (72 bytes each) before fdshare drops some */

struct run {
	const struct watch_options *o;
	struct watch_render render;
	struct wstate *state;
	unsigned long long counts[WK_COUNT];
	unsigned long long printed;
	bool stop, write_failed;
	const char *ended;
	int signal;
};

static unsigned long long mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

static long long real_minus_mono(void)
{
	struct timespec ts;
	unsigned long long mono = mono_now();

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec - (long long)mono;
}

/* Every report of the state passes here: kind and scope filters, output, --count. */
static void on_report(void *arg, const struct wreport *r)
{
	struct run *run = arg;

	if (run->stop || !(run->o->kinds & (1u << r->kind)) || !r->in_scope)
		return;
	if (render_watch_event(&run->render, r) < 0) {
		run->write_failed = run->stop = true;
		return;
	}
	run->counts[r->kind]++;
	if (run->o->count && ++run->printed >= run->o->count) {
		run->stop = true;
		run->ended = "count";
	}
}

/* Read /proc into the picture (seed or re-synchronisation); 0 or -1. */
static int scan(struct run *run)
{
	struct stat_info *procs;
	ssize_t n = watch_proc_scan(PROCROOT, &procs);

	if (n < 0)
		return -1;
	wstate_load(run->state, procs, (size_t)n, mono_now());
	free(procs);
	return 0;
}

/* Events were lost: say so, then re-read /proc. */
static int lost(struct run *run, int err)
{
	struct wreport r;

	if (scan(run) < 0)
		return -1;
	memset(&r, 0, sizeof(r));
	r.kind = WK_LOST;
	r.ts_ns = mono_now();
	r.in_scope = true;
	r.comm = "";
	r.zombie_ns = -1;
	r.lost_err = err;
	r.processes = wstate_count(run->state);
	on_report(run, &r);
	return 0;
}

static int fail(struct watch_result *res, enum watch_end end, const char *what)
{
	res->end = end;
	res->err = errno;
	res->what = what;
	return -1;
}

/* Apply queued events; -1 when the reader failed or /proc could not be read. */
static int drain(struct run *run, struct wqueue *q, struct proc_ev **evs, size_t *cap,
		 struct watch_result *res)
{
	size_t i, n = wqueue_take(q, evs, cap);

	for (i = 0; i < n && !run->stop; i++) {
		const struct proc_ev *ev = &(*evs)[i];
		if (ev->kind == PEV_ERROR) {
			errno = ev->err;
			return fail(res, WATCH_SYSTEM, "reading the proc connector failed");
		}
		if (ev->kind == PEV_LOST) {
			if (lost(run, ev->err) < 0)
				return fail(res, WATCH_SYSTEM, "cannot re-read " PROCROOT);
		} else {
			wstate_event(run->state, ev);
		}
	}
	return 0;
}

/* How long poll() may sleep: until the next tick or the deadline. */
static int poll_timeout(struct run *run, unsigned long long now, unsigned long long deadline)
{
	unsigned long long wait = ~0ULL;

	if (wstate_busy(run->state))
		wait = WSTATE_TICK_NS;
	if (deadline)
		wait = deadline > now ? (deadline - now < wait ? deadline - now : wait) : 0;
	return wait == ~0ULL ? -1 : (int)((wait + 999999) / 1000000);
}

static void take_signal(struct run *run, int sfd)
{
	struct signalfd_siginfo si;

	if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		run->stop = true;
		run->ended = "signal";
		run->signal = (int)si.ssi_signo;
	}
}

/* Poll, apply, tick, until something ends the watch; 0 or -1. */
static int loop(struct run *run, struct wqueue *q, int sfd, struct watch_result *res)
{
	unsigned long long start = mono_now(), last_tick = start, now, deadline = 0;
	struct pollfd pfd[2] = { { wqueue_fd(q), POLLIN, 0 }, { sfd, POLLIN, 0 } };
	struct proc_ev *evs = NULL;
	size_t cap = 0;
	int r = 0;

	if (run->o->duration > 0)
		deadline = start + (unsigned long long)(run->o->duration * 1e9);
	while (!run->stop) {
		now = mono_now();
		if (poll(pfd, 2, poll_timeout(run, now, deadline)) < 0 && errno != EINTR) {
			r = fail(res, WATCH_SYSTEM, "poll");
			break;
		}
		if (pfd[1].revents)
			take_signal(run, sfd);
		if (!run->stop && (r = drain(run, q, &evs, &cap, res)) < 0)
			break;
		now = mono_now();
		if (!run->stop && wstate_busy(run->state) && now >= last_tick + WSTATE_TICK_NS) {
			wstate_tick(run->state, now);
			last_tick = now;
		}
		if (fflush(run->o->out) != 0)
			run->write_failed = run->stop = true;
		if (!run->stop && deadline && now >= deadline) {
			run->stop = true;
			run->ended = "duration";
		}
	}
	free(evs);
	return r;
}

static int summary(struct run *run, unsigned long long start)
{
	struct watch_summary sm;
	unsigned long long now = mono_now();

	memset(&sm, 0, sizeof(sm));
	sm.ts_ns = now;
	memcpy(sm.counts, run->counts, sizeof(sm.counts));
	sm.seconds = (double)(now - start) / 1e9;
	sm.ended = run->ended ? run->ended : "signal";
	sm.signal = run->signal;
	return render_watch_summary(&run->render, &sm) < 0 || fflush(run->o->out) != 0 ? -1 : 0;
}

/* The -p pids must be processes now. */
static int check_pids(struct run *run, struct watch_result *res)
{
	size_t i;

	for (i = 0; i < run->o->npids; i++)
		if (!wstate_has(run->state, run->o->pids[i])) {
			res->end = WATCH_NO_SUCH_PID;
			res->pid = run->o->pids[i];
			return -1;
		}
	return 0;
}

static int start_line(struct run *run, const struct watch_info *info)
{
	struct watch_start st;

	memset(&st, 0, sizeof(st));
	st.ts_ns = mono_now();
	st.processes = wstate_count(run->state);
	st.filtered = info->filtered;
	st.rcvbuf = info->rcvbuf;
	st.pids = run->o->pids;
	st.npids = run->o->npids;
	st.kinds = run->o->kinds;
	return render_watch_start(&run->render, &st) < 0 || fflush(run->o->out) != 0 ? -1 : 0;
}

/* Subscribed and reading: seed, then loop; 0 or -1. */
static int watch_subscribed(struct run *run, struct wqueue *q, int sfd,
			    const struct watch_info *info, struct watch_result *res)
{
	struct wprobe probe = watch_proc_probe(PROCROOT);
	unsigned long long start = mono_now();
	size_t i;
	int r;

	run->state = wstate_new(&probe, on_report, run);
	for (i = 0; i < run->o->npids; i++)
		wstate_add_root(run->state, run->o->pids[i]);
	if (scan(run) < 0)
		r = fail(res, WATCH_SYSTEM, "cannot read " PROCROOT);
	else if ((r = check_pids(run, res)) < 0)
		;
	else if (start_line(run, info) < 0)
		r = fail(res, WATCH_OUTPUT, "writing output failed");
	else if ((r = loop(run, q, sfd, res)) == 0 && !run->write_failed)
		r = summary(run, start) < 0 ? -1 : 0;
	if (run->write_failed || (r < 0 && res->end == WATCH_ENDED))
		r = fail(res, WATCH_OUTPUT, "writing output failed");
	wstate_free(run->state);
	return r;
}

int watch_run(const struct watch_options *o, struct watch_result *res)
{
	struct run run;
	struct watch_info info;
	struct watch *w;
	struct wqueue *q;
	sigset_t set, old;
	int sfd, r;

	memset(res, 0, sizeof(*res));
	memset(&run, 0, sizeof(run));
	run.o = o;
	run.render.out = o->out;
	run.render.json = o->json;
	run.render.real_minus_mono_ns = real_minus_mono();
	/* Blocked before the reader thread starts, so only the signalfd
	 * takes them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		r = fail(res, WATCH_SYSTEM, "signalfd");
	} else if (!(w = watch_open(o->rcvbuf, &info))) {
		r = fail(res, WATCH_NO_SUBSCRIPTION, watch_fail_reason(info.fail, info.err));
	} else {
		if (!(q = wqueue_start(w, MAX_BACKLOG)))
			r = fail(res, WATCH_SYSTEM, "cannot start the reader thread");
		else
			r = watch_subscribed(&run, q, sfd, &info, res);
		wqueue_stop(q);
		watch_close(w);
	}
	if (sfd >= 0) {
		/* A second Ctrl-C must not kill us once the mask is restored. */
		struct signalfd_siginfo si;
		while (read(sfd, &si, sizeof(si)) > 0)
			;
		close(sfd);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return r;
}
