/* findings.c - the rule table, the configuration that tunes it, and the
 * run over the model: every rule not ignored, then severity and scope
 * filters, then the order outputs use (see findings.h).  The rules are in
 * findings_fds.c, findings_exec.c, findings_writes.c, findings_waits.c and
 * findings_tree.c.
 *
 * Every rule states what it proves and which look-alikes it leaves alone:
 * a finding an admin learns to ignore is worse than none. */
#include "findings/findings_rules.h"
#include "scan/holds.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the table ---- */

static const struct rule rules[] = {
	{ "zombie", SEV_WARNING, check_zombie },
	{ "reparented", SEV_INFO, check_reparented },
	{ "exec-leak", SEV_WARNING, check_exec_leak },
	{ "listener-leak", SEV_WARNING, check_listener_leak },
	{ "pipe-eof-blocked", SEV_WARNING, check_pipe_eof_blocked },
	{ "shared-offset-write", SEV_INFO, check_shared_offset_write },
	{ "write-clobber", SEV_WARNING, check_write_clobber },
	{ "deleted-open", SEV_INFO, check_deleted_open },
	{ "fd-limit", SEV_WARNING, check_fd_limit },
	{ "nonblock-shared", SEV_INFO, check_nonblock_shared },
	{ "lock-deadlock", SEV_CRITICAL, check_lock_deadlock },
	{ "lock-wait", SEV_WARNING, check_lock_wait },
	{ "lock-inherited", SEV_WARNING, check_lock_inherited },
	{ "deleted-mapped", SEV_INFO, check_deleted_mapped },
	{ "fd-growth", SEV_WARNING, check_fd_growth },
};

size_t findings_rule_count(void)
{
	return ARRAY_LEN(rules);
}

const char *findings_rule_code(size_t i)
{
	return i < ARRAY_LEN(rules) ? rules[i].code : NULL;
}

enum severity findings_rule_severity(size_t i)
{
	return i < ARRAY_LEN(rules) ? rules[i].severity : SEV_INFO;
}

static size_t rule_index(const char *code)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(rules); i++)
		if (strcmp(rules[i].code, code) == 0)
			return i;
	return ARRAY_LEN(rules);
}

/* ---- configuration ---- */

static const char *const threshold_names[TH_COUNT] = {
	[TH_FD_LIMIT] = "fd-limit", [TH_ZOMBIES] = "zombies", [TH_DELETED_SIZE] = "deleted-size",
};

const char *findings_threshold_name(enum threshold t)
{
	return (unsigned)t < TH_COUNT ? threshold_names[t] : "";
}

void findings_config_init(struct findings_config *c)
{
	memset(c, 0, sizeof(*c));
	c->warn[TH_FD_LIMIT] = 80;
	c->crit[TH_FD_LIMIT] = 95;
	c->warn[TH_ZOMBIES] = 1;
	c->crit[TH_ZOMBIES] = 20;
	c->warn[TH_DELETED_SIZE] = 1024.0 * 1024 * 1024;
	c->crit[TH_DELETED_SIZE] = -1;
	c->min_severity = SEV_INFO;
}

static const char *keep_bad(const char *s)
{
	static char bad[128];

	snprintf(bad, sizeof(bad), "%s", s);
	return bad;
}

/* "95", "95%", "1.5G", "none" -> value (-1 for none); 0 or -1. */
static int threshold_value(const char *s, double *out)
{
	static const char units[] = "KMGT";
	const char *u;
	char *end;
	double v;
	size_t k;

	if (strcmp(s, "none") == 0) {
		*out = -1;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !(v < 1e18))
		return -1;
	if (*end && (u = strchr(units, *end & ~0x20)) != NULL) {
		for (k = (size_t)(u - units) + 1; k > 0; k--)
			v *= 1024;
		end++;
	} else if (*end == '%') {
		end++;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

int findings_set_thresholds(struct findings_config *c, bool crit, const char *list, const char **bad)
{
	char *copy = xstrdup(list), *save = NULL, *tok, *eq;
	double v;
	size_t t;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		eq = strchr(tok, '=');
		for (t = 0; eq && t < TH_COUNT; t++)
			if (strlen(threshold_names[t]) == (size_t)(eq - tok) &&
			    strncmp(tok, threshold_names[t], (size_t)(eq - tok)) == 0)
				break;
		if (!eq || t == TH_COUNT || threshold_value(eq + 1, &v) < 0) {
			*bad = keep_bad(tok);
			free(copy);
			return -1;
		}
		if (crit)
			c->crit[t] = v;
		else
			c->warn[t] = v;
	}
	free(copy);
	return 0;
}

int findings_ignore(struct findings_config *c, const char *list, const char **bad)
{
	char *copy = xstrdup(list), *save = NULL, *tok;
	size_t i;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		i = rule_index(tok);
		if (i == ARRAY_LEN(rules)) {
			*bad = keep_bad(tok);
			free(copy);
			return -1;
		}
		c->ignore |= 1ULL << i;
	}
	free(copy);
	return 0;
}

static const char *const severity_names[SEV_COUNT] = { "info", "warning", "critical" };

const char *severity_name(enum severity s)
{
	return (unsigned)s < SEV_COUNT ? severity_names[s] : "unknown";
}

int severity_parse(const char *s, enum severity *out)
{
	int i;

	for (i = 0; i < SEV_COUNT; i++)
		if (strcasecmp(s, severity_names[i]) == 0) {
			*out = (enum severity)i;
			return 0;
		}
	return -1;
}

/* ---- running the rules ---- */

static bool in_scope(const struct model *m, const struct finding *f, enum findings_scope scope)
{
	const struct process *p;
	const struct fd_entry *e;
	size_t i;

	if (scope == SCOPE_ALL)
		return true;
	for (i = 0; scope == SCOPE_SELECTED && i < f->npids; i++)
		if ((p = model_process(m, f->pids[i])) && p->selected)
			return true;
	for (i = 0; scope == SCOPE_PATHS && i < f->nfds; i++)
		if ((p = model_process(m, f->fds[i].pid)) && (e = fd_numbered(p, f->fds[i].fd)) &&
		    e->path_match)
			return true;
	/* a finding without fds (deleted-mapped) is about a PATH when one of
	 * its processes holds a PATH otherwise (txt, mem) */
	for (i = 0; scope == SCOPE_PATHS && !f->nfds && i < f->npids; i++)
		if ((p = model_process(m, f->pids[i])) && holds_any_match(p))
			return true;
	return false;
}

static void finding_free(struct finding *f)
{
	size_t i;

	for (i = 0; i < f->nev; i++)
		free(f->ev[i].text);
	free(f->ev);
	free(f->pids);
	free(f->fds);
	free(f->message);
	free(f->hint);
}

static int cmp_finding(const void *x, const void *y)
{
	const struct finding *a = x, *b = y;
	size_t ra = rule_index(a->code), rb = rule_index(b->code);

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (a->npids && b->npids && a->pids[0] != b->pids[0])
		return a->pids[0] < b->pids[0] ? -1 : 1;
	if (a->nfds && b->nfds)
		return cmp_fd_ref(&a->fds[0], &b->fds[0]);
	return 0;
}

/* Rules that read only descriptions, fds, processes and the tree, nothing
 * a rule may read on demand (waits, locks), and that take about half of
 * the rules' time: they run on a second thread beside the others. */
static bool runs_beside(size_t i)
{
	return rules[i].check == check_exec_leak || rules[i].check == check_shared_offset_write ||
		rules[i].check == check_write_clobber;
}

struct rule_run {
	const struct model *m;
	const struct findings_config *c;
	struct findings *each;    /* per rule: its findings */
	bool beside;              /* the rules this run takes */
};

static void run_rules(struct rule_run *x)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(rules); i++)
		if (!(x->c->ignore & (1ULL << i)) && runs_beside(i) == x->beside)
			rules[i].check(x->m, x->c, &rules[i], &x->each[i]);
}

static void *run_beside(void *arg)
{
	run_rules(arg);
	return NULL;
}

void findings_compute(const struct model *m, const struct findings_config *c,
		      enum findings_scope scope, struct findings *out)
{
	struct findings each[ARRAY_LEN(rules)];
	struct rule_run here = { m, c, each, false }, beside = { m, c, each, true };
	pthread_t th;
	bool threaded;
	size_t i, n;

	memset(out, 0, sizeof(*out));
	memset(each, 0, sizeof(each));
	threaded = pthread_create(&th, NULL, run_beside, &beside) == 0;
	if (!threaded)
		run_rules(&beside);
	run_rules(&here);
	if (threaded)
		pthread_join(th, NULL);
	/* in the table's order, as one thread would have found them */
	for (i = 0; i < ARRAY_LEN(rules); i++) {
		if (!each[i].n)
			continue;
		out->v = xreallocarray(out->v, out->n + each[i].n, sizeof(*out->v));
		memcpy(out->v + out->n, each[i].v, each[i].n * sizeof(*out->v));
		out->n += each[i].n;
		free(each[i].v);
	}
	for (i = n = 0; i < out->n; i++) {
		if (out->v[i].severity >= c->min_severity && in_scope(m, &out->v[i], scope))
			out->v[n++] = out->v[i];
		else
			finding_free(&out->v[i]);
	}
	out->n = n;
	if (n)
		qsort(out->v, n, sizeof(*out->v), cmp_finding);
}

void findings_free(struct findings *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		finding_free(&fs->v[i]);
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

void findings_tally(const struct findings *fs, size_t counts[SEV_COUNT])
{
	size_t i;

	memset(counts, 0, SEV_COUNT * sizeof(*counts));
	for (i = 0; i < fs->n; i++)
		counts[fs->v[i].severity]++;
}
