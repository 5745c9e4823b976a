/* trend.c - fd counts over time and what appeared (see trend.h). */
#define _GNU_SOURCE
#include "model/trend.h"
#include "model/endpoint.h"
#include "scan/procfs.h"
#include "scan/sock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until(double when)
{
	struct timespec ts;

	ts.tv_sec = (time_t)when;
	ts.tv_nsec = (long)((when - (double)ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* The processes a trend follows: live user processes whose fds could be
 * read, the selected ones when there is a selection. */
static bool tracked(const struct model *m, const struct process *p)
{
	return !p->gone && !p->is_kthread && p->state != 'Z' && !p->err &&
		(!m->selection || p->selected);
}

static struct trend_proc *find_proc(struct trend *t, int pid, unsigned long long start)
{
	size_t i;

	for (i = 0; i < t->nprocs; i++)
		if (t->procs[i].pid == pid && t->procs[i].start_time == start)
			return &t->procs[i];
	return NULL;
}

static struct trend_proc *add_proc(struct trend *t, size_t *cap, const struct process *p)
{
	struct trend_proc *tp;
	size_t i;

	grow_array((void **)&t->procs, cap, t->nprocs + 1, sizeof(*t->procs));
	tp = &t->procs[t->nprocs++];
	memset(tp, 0, sizeof(*tp));
	tp->pid = p->pid;
	tp->start_time = p->start_time;
	tp->comm = xstrdup(p->comm);
	tp->samples = xmalloc(t->nsamples * sizeof(*tp->samples));
	for (i = 0; i < t->nsamples; i++)
		tp->samples[i] = -1;
	tp->before = tp->after = -1;
	tp->seconds_to_limit = -1;
	return tp;
}

static int cmp_key(const void *x, const void *y)
{
	const struct trend_key *a = x, *b = y;

	if (a->fd != b->fd)
		return a->fd < b->fd ? -1 : 1;
	if (a->mnt_id != b->mnt_id)
		return a->mnt_id < b->mnt_id ? -1 : 1;
	return (a->ino > b->ino) - (a->ino < b->ino);
}

static struct trend_key key_of(const struct fd_entry *f)
{
	struct trend_key k = { f->fd, f->mnt_id, f->ino };
	return k;
}

static void keep_first_keys(struct trend_proc *tp, const struct process *p)
{
	size_t i;

	tp->first_keys = xcalloc(p->nfds ? p->nfds : 1, sizeof(*tp->first_keys));
	for (i = 0; i < p->nfds; i++)
		tp->first_keys[i] = key_of(&p->fds[i]);
	tp->nfirst = p->nfds;
	qsort(tp->first_keys, tp->nfirst, sizeof(*tp->first_keys), cmp_key);
}

/* What an fd is, as a group's name: its type and target, a socket's
 * protocol and the address it talks to ("socket tcp 10.0.0.5:5432"). */
static void describe_fd(const struct fd_entry *f, struct strbuf *sb)
{
	const struct fd_detail *d = f->detail;
	char proto[16], addr[64];

	sb_adds(sb, kind_name(f->kind));
	if (f->kind == KIND_SOCKET) {
		if (endpoint_protocol(f, proto, sizeof(proto)))
			sb_printf(sb, " %s", proto);
		if (d && d->have_sock && d->sock->family != AF_UNIX) {
			const struct sock_addr *a = d->sock->remote.port ? &d->sock->remote : &d->sock->local;
			sock_addr_text(a, addr, sizeof(addr));
			sb_printf(sb, strchr(addr, ':') ? " %s[%s]:%u" : " %s%s:%u",
				  d->sock->remote.port ? "" : "local ", addr, a->port);
		} else if (d && d->have_sock && d->sock->name_len) {
			sb_adds(sb, d->sock->name[0] ? " " : " @");
			sb_add(sb, d->sock->name + !d->sock->name[0], d->sock->name_len - !d->sock->name[0]);
		}
		return;
	}
	if ((fd_on_path(f) || f->kind == KIND_MEMFD)) {
		sb_adds(sb, " ");
		sb_add(sb, f->target, f->target_len);
	}
}

static int cmp_group(const void *x, const void *y)
{
	const struct trend_group *a = x, *b = y;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->what, b->what);
}

static int cmp_int(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	return (a > b) - (a < b);
}

/* The fds of p (last scan) that the first scan did not see, grouped; and
 * the descriptions among them no older fd of p holds. */
static void find_appeared(struct trend_proc *tp, const struct process *p)
{
	struct trend_group *g = NULL;
	int *fresh = xcalloc(p->nfds + 1, sizeof(int)), *old = xcalloc(p->nfds + 1, sizeof(int));
	size_t i, k, ng = 0, gcap = 0, nfresh = 0, nold = 0;
	struct strbuf sb;

	sb_init(&sb);
	for (i = 0; i < p->nfds; i++) {
		const struct fd_entry *f = &p->fds[i];
		struct trend_key key = key_of(f);
		if (bsearch(&key, tp->first_keys, tp->nfirst, sizeof(key), cmp_key)) {
			old[nold++] = f->ofd;
			continue;
		}
		tp->appeared++;
		fresh[nfresh++] = f->ofd;
		sb.len = 0;
		describe_fd(f, &sb);
		for (k = 0; k < ng && strcmp(g[k].what, sb.buf) != 0; k++)
			;
		if (k == ng) {
			grow_array((void **)&g, &gcap, ng + 1, sizeof(*g));
			g[ng].what = xstrdup(sb.buf);
			g[ng++].count = 0;
		}
		g[k].count++;
	}
	sb_free(&sb);
	qsort(fresh, nfresh, sizeof(int), cmp_int);
	qsort(old, nold, sizeof(int), cmp_int);
	for (i = 0; i < nfresh; i++)
		if (fresh[i] && (i == 0 || fresh[i] != fresh[i - 1]) &&
		    !bsearch(&fresh[i], old, nold, sizeof(int), cmp_int))
			tp->new_ofds++;
	if (ng)
		qsort(g, ng, sizeof(*g), cmp_group);
	for (k = TREND_GROUPS_KEPT; k < ng; k++)
		free(g[k].what);
	tp->groups = g;
	tp->ngroups = ng < TREND_GROUPS_KEPT ? ng : TREND_GROUPS_KEPT;
	free(fresh);
	free(old);
}

static void full_scan(struct trend *t, size_t *cap, const struct model *m, unsigned s, double at)
{
	struct trend_scan *sc = &t->scan[s];
	size_t i, idx = (size_t)s * TREND_STEPS;
	bool last = s + 1 == t->scans;

	sc->at = at;
	sc->unreadable = m->unreadable;
	sc->complete = model_complete(m);
	t->sample_at[idx] = at;
	for (i = 0; i < m->nprocs; i++) {
		const struct process *p = &m->procs[i];
		struct trend_proc *tp;
		if (!tracked(m, p))
			continue;
		sc->processes++;
		sc->fds += p->nfds;
		tp = find_proc(t, p->pid, p->start_time);
		if (!tp)
			tp = add_proc(t, cap, p);
		tp->samples[idx] = (long)p->nfds;
		if (p->have_nofile && !p->nofile.soft_unlimited) {
			tp->have_limit = true;
			tp->limit = p->nofile.soft;
		}
		if (s == 0) {
			tp->in_first = true;
			keep_first_keys(tp, p);
		}
		if (last) {
			tp->in_last = true;
			if (tp->in_first)
				find_appeared(tp, p);
		}
	}
}

/* A readdir of /proc/PID/fd, if pid is still the process that started at start. */
static long count_fds(const char *procroot, int pid, unsigned long long start)
{
	struct pid_dir d;
	struct stat_info si;
	int *nums = NULL;
	ssize_t n = -1;

	if (procfs_pin(procroot, pid, &d) < 0)
		return -1;
	if (procfs_stat(&d, &si) == 0 && si.start_time == start)
		n = procfs_list_fds(&d, &nums);
	free(nums);
	procfs_unpin(&d);
	return n;
}

static void light_sample(struct trend *t, const char *procroot, size_t idx, size_t prev_full, double at)
{
	size_t i;

	t->sample_at[idx] = at;
	for (i = 0; i < t->nprocs; i++) {
		struct trend_proc *tp = &t->procs[i];
		if (tp->samples[prev_full] >= 0)
			tp->samples[idx] = count_fds(procroot, tp->pid, tp->start_time);
	}
}

void trend_judge(struct trend_proc *tp, const double *sample_at, size_t nsamples)
{
	size_t i, first = nsamples, lastk = 0;
	long prev = -1;

	for (i = 0; i < nsamples; i++) {
		if (tp->samples[i] < 0)
			continue;
		if (first == nsamples)
			first = i;
		lastk = i;
		if (prev >= 0) {
			tp->steps++;
			tp->rises += tp->samples[i] > prev;
			tp->falls += tp->samples[i] < prev;
		}
		prev = tp->samples[i];
	}
	tp->status = tp->in_first && tp->in_last ? TREND_RUNNING : tp->in_last ? TREND_STARTED : TREND_ENDED;
	if (first == nsamples)
		return;
	tp->before = tp->samples[first];
	tp->after = tp->samples[lastk];
	tp->seen_seconds = sample_at[lastk] - sample_at[first];
	tp->rate = tp->seen_seconds > 0 ? (double)(tp->after - tp->before) / tp->seen_seconds : 0;
	tp->steady = tp->status == TREND_RUNNING && tp->after - tp->before >= 2 &&
		tp->rises * 2 >= tp->steps && tp->falls * 10 <= tp->steps;
	if (tp->rate > 0 && tp->have_limit)
		tp->seconds_to_limit = (unsigned long long)tp->after >= tp->limit ? 0
			: (double)(tp->limit - (unsigned long long)tp->after) / tp->rate;
}

static int cmp_proc(const void *x, const void *y)
{
	const struct trend_proc *a = x, *b = y;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return (a->start_time > b->start_time) - (a->start_time < b->start_time);
}

int trend_collect(const struct model_options *mo, double interval, unsigned scans,
		  struct trend *t, struct model *last)
{
	size_t cap = 0, i, k;
	double t0 = mono();
	struct model m;
	unsigned s;

	memset(t, 0, sizeof(*t));
	t->interval = interval;
	t->scans = scans;
	t->nsamples = (size_t)TREND_STEPS * (scans - 1) + 1;
	t->sample_at = xcalloc(t->nsamples, sizeof(*t->sample_at));
	t->scan = xcalloc(scans, sizeof(*t->scan));
	for (s = 0; s < scans; s++) {
		if (s > 0) {
			for (k = 1; k < TREND_STEPS; k++) {
				double at = ((double)(s - 1) + (double)k / TREND_STEPS) * interval;
				sleep_until(t0 + at);
				light_sample(t, mo->procroot, (size_t)(s - 1) * TREND_STEPS + k,
					     (size_t)(s - 1) * TREND_STEPS, mono() - t0);
			}
			sleep_until(t0 + s * interval);
		}
		if (model_build(mo, &m) < 0) {
			int saved = errno;
			trend_free(t);
			errno = saved;
			return -1;
		}
		full_scan(t, &cap, &m, s, s ? mono() - t0 - m.scan_seconds : 0);
		if (s + 1 < scans)
			model_free(&m);
	}
	*last = m;
	for (i = 0; i < t->nprocs; i++)
		trend_judge(&t->procs[i], t->sample_at, t->nsamples);
	if (t->nprocs)
		qsort(t->procs, t->nprocs, sizeof(*t->procs), cmp_proc);
	return 0;
}

void trend_free(struct trend *t)
{
	size_t i, k;

	for (i = 0; i < t->nprocs; i++) {
		struct trend_proc *tp = &t->procs[i];
		free(tp->comm);
		free(tp->samples);
		free(tp->first_keys);
		for (k = 0; k < tp->ngroups; k++)
			free(tp->groups[k].what);
		free(tp->groups);
	}
	free(t->procs);
	free(t->sample_at);
	free(t->scan);
	memset(t, 0, sizeof(*t));
}

const struct trend_proc *trend_find(const struct trend *t, const struct process *p)
{
	size_t i;

	for (i = 0; t && i < t->nprocs; i++)
		if (t->procs[i].pid == p->pid && t->procs[i].start_time == p->start_time)
			return &t->procs[i];
	return NULL;
}

bool trend_complete(const struct trend *t)
{
	unsigned s;

	for (s = 0; s < t->scans; s++)
		if (!t->scan[s].complete)
			return false;
	return true;
}
