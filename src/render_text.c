/* render_text.c - human output: identity lines, and tables through
 * libsmartcols (alignment, terminal width, -o, --raw, --noheadings, and safe
 * encoding of control characters and invalid UTF-8 in every cell). */
#include "render.h"
#include "escape.h"
#include "fd.h"
#include "util.h"

#include <errno.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>

#define UNREADABLE_LISTED 20
#define HOLDERS_LISTED 6

enum render_mode render_mode_of(const struct model *m, const struct render_options *o)
{
	if (o->npaths)
		return MODE_PATHS;
	return m->selection ? MODE_SELECTION : MODE_OVERVIEW;
}

struct libscols_table *render_table_new(const struct render_options *o)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		return NULL;
	scols_table_set_stream(tb, o->out);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	return tb;
}

static void add_column(struct libscols_table *tb, const char *name, bool right, bool wide)
{
	int flags = right ? SCOLS_FL_RIGHT : wide ? SCOLS_FL_TRUNC : 0;
	scols_table_new_column(tb, name, wide ? 0.5 : 0, flags);
}

/* Print the table and free it. */
static int finish_table(struct libscols_table *tb)
{
	int r = scols_print_table(tb);
	scols_unref_table(tb);
	return r < 0 ? -1 : 0;
}

static void set_cell(struct libscols_line *ln, size_t col, struct strbuf *sb)
{
	scols_line_set_data(ln, col, sb->buf ? sb->buf : "");
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

static void fd_row(struct libscols_table *tb, const struct model *m, const struct fd_entry *f,
		   const struct render_options *o, struct strbuf *cell)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	size_t c;

	for (c = 0; c < o->ncolumns; c++) {
		o->columns[c]->text(m, f, cell);
		set_cell(ln, c, cell);
	}
}

static struct libscols_table *fd_table(const struct render_options *o)
{
	struct libscols_table *tb = render_table_new(o);
	size_t c;

	if (!tb)
		return NULL;
	for (c = 0; c < o->ncolumns; c++)
		add_column(tb, o->columns[c]->column, o->columns[c]->right, o->columns[c]->wide);
	return tb;
}

/* "PID 1234 (comm) ppid 1 state S user root threads 3" and the command line. */
static void identity_line(const struct process *p, FILE *out)
{
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	sb_printf(&sb, "PID %d (", p->pid);
	escape_text(&sb, p->comm, strlen(p->comm));
	sb_printf(&sb, ") ppid %d state %c user %s threads %d", p->ppid, p->state,
		  uid_name(p->ruid), p->threads);
	if (p->nspid_count > 1)
		sb_printf(&sb, " nspid %d", p->nspid[p->nspid_count - 1]);
	if (p->cmdline && p->cmdline[0]) {
		sb_adds(&sb, "\n    cmd:");
		for (i = 0; p->cmdline[i]; i++) {
			sb_adds(&sb, " ");
			escape_text(&sb, p->cmdline[i], strlen(p->cmdline[i]));
		}
	}
	fprintf(out, "%s\n", sb.buf);
	sb_free(&sb);
}

static void process_fds(const struct model *m, const struct process *p, bool only_related,
			const struct render_options *o, struct strbuf *cell)
{
	struct libscols_table *tb;
	size_t i, shown = 0;

	identity_line(p, o->out);
	if (p->err) {
		fprintf(o->out, "    fds not readable: %s%s\n", errno_name(p->err),
			p->err == EACCES ? " (another user's process: run as root to see them)" : "");
		return;
	}
	if (p->state == 'Z') {
		fputs("    zombie: no fds\n", o->out);
		return;
	}
	tb = fd_table(o);
	if (!tb)
		return;
	for (i = 0; i < p->nfds; i++) {
		if ((only_related && !p->fds[i].related) ||
		    !fd_type_matches(&p->fds[i], o->types, o->ntypes))
			continue;
		fd_row(tb, m, &p->fds[i], o, cell);
		shown++;
	}
	if (shown)
		finish_table(tb);
	else {
		scols_unref_table(tb);
		fputs(o->ntypes ? "    no open fds of those types\n" : "    no open fds\n", o->out);
	}
}

static int render_selection(const struct model *m, const struct render_options *o)
{
	struct strbuf cell;
	size_t i, n = 0;

	sb_init(&cell);
	for (i = 0; i < m->nprocs; i++) {
		const struct process *p = &m->procs[i];
		if (p->gone || !p->selected)
			continue;
		if (n++)
			fputc('\n', o->out);
		process_fds(m, p, false, o, &cell);
	}
	for (i = 0; i < m->nprocs; i++) {
		const struct process *p = &m->procs[i];
		if (p->gone || p->selected || !p->related || !fd_related_of_types(p, o->types, o->ntypes))
			continue;
		fputs("\nAlso holding descriptions shared with the processes above:\n", o->out);
		process_fds(m, p, true, o, &cell);
	}
	sb_free(&cell);
	render_zombies_brief(m, o);
	return 0;
}

/* ---- PATH mode ---- */

static int cmp_by_ofd(const void *x, const void *y)
{
	const struct fd_entry *a = *(struct fd_entry *const *)x, *b = *(struct fd_entry *const *)y;

	if (a->ofd != b->ofd)
		return a->ofd < b->ofd ? -1 : 1;
	if (a->proc->pid != b->proc->pid)
		return a->proc->pid < b->proc->pid ? -1 : 1;
	return (a->fd > b->fd) - (a->fd < b->fd);
}

static int render_paths(const struct model *m, const struct render_options *o)
{
	const struct fd_entry **v = NULL;
	size_t n = 0, cap = 0, i, j, ndesc = 0;
	struct libscols_table *tb;
	struct strbuf cell;

	for (i = 0; i < m->nprocs; i++)
		for (j = 0; j < m->procs[i].nfds; j++)
			if (!m->procs[i].gone && m->procs[i].fds[j].path_match &&
			    fd_type_matches(&m->procs[i].fds[j], o->types, o->ntypes)) {
				grow_array((void **)&v, &cap, n + 1, sizeof(*v));
				v[n++] = &m->procs[i].fds[j];
			}
	if (n)
		qsort(v, n, sizeof(*v), cmp_by_ofd);
	for (i = 0; i < n; i++)
		ndesc += i == 0 || v[i]->ofd != v[i - 1]->ofd;
	fprintf(o->out, "%zu fd%s in %zu open file description%s\n", n, n == 1 ? "" : "s",
		ndesc, ndesc == 1 ? "" : "s");
	sb_init(&cell);
	tb = n ? fd_table(o) : NULL;
	for (i = 0; tb && i < n; i++)
		fd_row(tb, m, v[i], o, &cell);
	if (tb)
		finish_table(tb);
	sb_free(&cell);
	free(v);
	return 0;
}

/* PATH mode: one section after the other. */
static int render_path_sections(const struct model *m, const struct render_options *o)
{
	render_path_queries(o);
	render_paths(m, o);
	render_path_holds(m, o);
	return 0;
}

/* ---- overview ---- */

static const char *kcmp_words(const struct model *m)
{
	switch (m->kcmp) {
	case KCMP_OK: return "every sharing shown was proven with kcmp(2)";
	case KCMP_PARTIAL_EPERM: return "kcmp(2) was refused for some processes (EPERM): their groups are marked unverified (?)";
	case KCMP_UNAVAILABLE: return "kcmp(2) is not available (ENOSYS): every group is unverified (?)";
	case KCMP_DISABLED: return "kcmp(2) disabled (--no-kcmp): every group is unverified (?)";
	}
	return "";
}

static void overview_summary(const struct model *m, FILE *out)
{
	size_t i, live = 0, multi_proc = 0, multi_fd = 0;

	for (i = 0; i < m->nprocs; i++)
		live += !m->procs[i].gone;
	for (i = 0; i < m->nofds; i++) {
		if (m->ofds[i].nprocs > 1)
			multi_proc++;
		else if (m->ofds[i].nholders > 1)
			multi_fd++;
	}
	fprintf(out, "processes: %zu scanned, %zu not readable, %zu ended during the scan\n",
		live, m->unreadable, m->vanished);
	fprintf(out, "fds: %zu in %zu open file descriptions (%zu fds not fully readable)\n",
		m->nfds, m->nofds, m->fd_errors);
	fprintf(out, "shared: %zu descriptions held by several processes, %zu by several fds of one process\n",
		multi_proc, multi_fd);
	fprintf(out, "kcmp: %s; %llu calls in %.3f s\n", kcmp_words(m), m->kcmp_calls, m->scan_seconds);
}

/* "1234 (bash) fd 0,1; 1240 (cat) fd 1", at most HOLDERS_LISTED processes
 * (a file inherited by hundreds would make one line of kilobytes). */
static void holders_cell(const struct ofd_group *g, struct strbuf *sb)
{
	size_t i;
	int procs = 0;

	for (i = 0; i < g->nholders; i++) {
		const struct fd_entry *f = g->holders[i];
		if (i && f->proc == g->holders[i - 1]->proc) {
			sb_printf(sb, ",%d", f->fd);
			continue;
		}
		if (procs == HOLDERS_LISTED) {
			sb_printf(sb, "; ... %d more processes (-J lists all)", g->nprocs - procs);
			return;
		}
		if (procs++)
			sb_adds(sb, "; ");
		sb_printf(sb, "%d (%s) fd %d", f->proc->pid, f->proc->comm, f->fd);
	}
}

static void shared_table(const struct model *m, const struct render_options *o)
{
	struct libscols_table *tb = render_table_new(o);
	struct strbuf sb;
	size_t i;

	if (!tb)
		return;
	add_column(tb, "OFD", true, false);
	add_column(tb, "TYPE", false, false);
	add_column(tb, "MODE", false, false);
	add_column(tb, "POS", true, false);
	add_column(tb, "VERIFIED", false, false);
	add_column(tb, "PROCS", true, false);
	add_column(tb, "TARGET", false, true);
	add_column(tb, "HOLDERS", false, true);
	sb_init(&sb);
	for (i = 0; i < m->nofds; i++) {
		const struct ofd_group *g = &m->ofds[i];
		const struct fd_entry *f = g->holders[0];
		struct libscols_line *ln;
		if (g->nholders < 2 || !fd_type_matches(f, o->types, o->ntypes))
			continue;
		ln = scols_table_new_line(tb, NULL);
		sb_printf(&sb, "%d", g->id);
		set_cell(ln, 0, &sb);
		scols_line_set_data(ln, 1, fd_type_name(f->type));
		scols_line_set_data(ln, 2, fd_mode_name(f));
		sb_printf(&sb, "%llu", f->info.pos);
		set_cell(ln, 3, &sb);
		sb_adds(&sb, g->verified ? "yes" : "? ");
		if (!g->verified)
			sb_adds(&sb, unverified_reason(g));
		set_cell(ln, 4, &sb);
		sb_printf(&sb, "%d", g->nprocs);
		set_cell(ln, 5, &sb);
		if (f->target)
			sb_add(&sb, f->target, f->target_len);
		set_cell(ln, 6, &sb);
		holders_cell(g, &sb);
		set_cell(ln, 7, &sb);
	}
	sb_free(&sb);
	finish_table(tb);
}

static void unreadable_list(const struct model *m, FILE *out)
{
	struct strbuf sb;
	size_t i, listed = 0;

	if (!m->unreadable)
		return;
	sb_init(&sb);
	fprintf(out, "\nnot readable (their fds are not shown, sharing with them is not known):\n");
	for (i = 0; i < m->nprocs && listed < UNREADABLE_LISTED; i++) {
		const struct process *p = &m->procs[i];
		if (p->gone || !p->err)
			continue;
		sb.len = 0;
		escape_text(&sb, p->comm, strlen(p->comm));
		fprintf(out, "  %d (%s): %s\n", p->pid, sb.buf, errno_name(p->err));
		listed++;
	}
	if (m->unreadable > listed)
		fprintf(out, "  ... and %zu more (see --json)\n", m->unreadable - listed);
	sb_free(&sb);
}

static int render_overview(const struct model *m, const struct render_options *o)
{
	overview_summary(m, o->out);
	fputc('\n', o->out);
	shared_table(m, o);
	unreadable_list(m, o->out);
	render_zombies_brief(m, o);
	return 0;
}

int render_text(const struct model *m, const struct render_options *o)
{
	switch (render_mode_of(m, o)) {
	case MODE_PATHS: render_path_sections(m, o); break;
	case MODE_SELECTION: render_selection(m, o); break;
	case MODE_OVERVIEW: render_overview(m, o); break;
	}
	if (o->findings)
		render_findings_text(o->findings, o);
	fflush(o->out);
	return ferror(o->out) ? -1 : 0;
}
