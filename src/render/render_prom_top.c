/* render_prom_top.c - the per-process part of --prometheus: the fd count and
 * the soft RLIMIT_NOFILE of the N processes holding the most fds (--top N),
 * labeled by pid and command, so a fleet's graphs show who grows.  Only the
 * top N: a series per process of a whole machine would flood the server. */
#include "render/render.h"
#include "base/escape.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static int cmp_most_fds(const void *x, const void *y)
{
	const struct process *a = *(const struct process *const *)x, *b = *(const struct process *const *)y;

	if (a->nfds != b->nfds)
		return a->nfds > b->nfds ? -1 : 1;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

static void sample(FILE *out, const char *name, const struct process *p, struct strbuf *sb,
		   unsigned long long v)
{
	sb->len = 0;
	escape_prom_label(sb, p->comm, strlen(p->comm));
	fprintf(out, "%s{pid=\"%d\",comm=\"%s\"} %llu\n", name, p->pid, sb->buf ? sb->buf : "", v);
}

int render_prometheus_top(const struct model *m, bool selected_only, size_t top, FILE *out)
{
	const struct process **v = xcalloc(m->nprocs + 1, sizeof(*v));
	struct strbuf sb;
	size_t i, n = 0;

	for (i = 0; i < m->nprocs; i++) {
		const struct process *p = &m->procs[i];
		if (!p->gone && !p->err && !p->is_kthread && p->state != 'Z' &&
		    (!selected_only || p->selected))
			v[n++] = p;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_most_fds);
	if (n > top)
		n = top;
	sb_init(&sb);
	fprintf(out, "# HELP fdshare_process_fds Open fds of the processes holding the most (--top).\n"
		"# TYPE fdshare_process_fds gauge\n");
	for (i = 0; i < n; i++)
		sample(out, "fdshare_process_fds", v[i], &sb, v[i]->nfds);
	fprintf(out, "# HELP fdshare_process_fds_limit Soft RLIMIT_NOFILE of the same processes (when finite).\n"
		"# TYPE fdshare_process_fds_limit gauge\n");
	for (i = 0; i < n; i++)
		if (v[i]->have_nofile && !v[i]->nofile.soft_unlimited)
			sample(out, "fdshare_process_fds_limit", v[i], &sb, v[i]->nofile.soft);
	sb_free(&sb);
	free(v);
	fflush(out);
	return ferror(out) ? -1 : 0;
}
