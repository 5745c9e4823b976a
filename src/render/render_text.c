/* render_text.c - human output: identity lines, and tables through
 * libsmartcols (alignment, terminal width, -o, --raw, --noheadings, and safe
 * encoding of control characters and invalid UTF-8 in every cell). */
#include "render/render.h"
#include "render/table_plain.h"
#include "render/text_table.h"
#include "render/render_locks.h"
#include "render/render_wrap.h"
#include "base/escape.h"
#include "scan/fd.h"
#include "base/util.h"

#include <errno.h>
#include <unistd.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>

#define UNREADABLE_LISTED 20

enum render_mode render_mode_of(const struct model *m, const struct render_options *o)
{
	if (o->npaths)
		return MODE_PATHS;
	return m->selection ? MODE_SELECTION : MODE_OVERVIEW;
}

bool render_rows_only(const struct render_options *o)
{
	return o->raw || o->noheadings;
}

struct libscols_table *render_table_new(const struct render_options *o)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		return NULL;
	scols_table_set_stream(tb, o->out);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	scols_table_enable_colors(tb, o->color);
	/* rows only: one line per row even on a terminal, nothing folded */
	if (render_rows_only(o))
		scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	return tb;
}

/* render_table_new() forces no terminal layout for rows only, and never
 * forces one: so this is what libsmartcols decides for its tables. */
bool render_for_terminal(const struct render_options *o)
{
	return !render_rows_only(o) && (isatty(STDOUT_FILENO) || isatty(fileno(o->out)));
}

/* Fit the table to the terminal, print it and free it: a table of plain
 * ASCII not fitted to a terminal in one pass (table_plain.h), the others
 * by libsmartcols. */
int render_print_table(struct libscols_table *tb, const struct render_options *o)
{
	int r;

	if (!render_rows_only(o))
		render_fit_table(tb, o->width);
	if (!o->width && !render_for_terminal(o) && table_plain_fits(tb))
		r = table_plain_print(tb, o->out);
	else
		r = scols_print_table(tb);
	scols_unref_table(tb);
	return r < 0 ? -1 : 0;
}

/* Add the text in sb as t's next cell (color: a colour name or NULL), then
 * empty sb.  shown is scratch kept across cells. */
static void add_cell(struct text_table *t, struct strbuf *sb, const char *color, struct strbuf *shown)
{
	/* libsmartcols encodes controls and invalid UTF-8 in a cell, but not
	 * the characters that hide or reorder text (U+202E ...) */
	shown->len = 0;
	if (sb->buf)
		escape_invisible(shown, sb->buf, sb->len);
	text_table_cell(t, shown->buf ? shown->buf : "", shown->len, color);
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

/* The colour of a cell's key marks: red for what is lost or unreadable (a
 * deleted file, an fd's error), yellow for what is unproven ("?"). */
static const char *mark_color(const struct fd_field *col, const struct fd_entry *f,
			      const struct strbuf *cell)
{
	bool target = strcmp(col->column, "TARGET") == 0;

	if ((target || strcmp(col->column, "DELETED") == 0) && f->deleted)
		return "red";
	if ((target || strcmp(col->column, "ERROR") == 0) && f->err)
		return "red";
	if (cell->buf && cell->buf[0] == '?')
		return "yellow";
	return NULL;
}

/* One row of t: f in the -o columns.  cell and shown are scratch. */
static void fd_row(struct text_table *t, const struct model *m, const struct fd_entry *f,
		   const struct render_options *o, struct strbuf *cell, struct strbuf *shown)
{
	size_t c;

	text_table_row(t);
	for (c = 0; c < o->ncolumns; c++) {
		o->columns[c]->text(m, f, cell);
		add_cell(t, cell, o->color ? mark_color(o->columns[c], f, cell) : NULL, shown);
	}
}

static struct text_table *fd_table(const struct render_options *o)
{
	struct text_table *t = text_table_new(o);
	size_t c;

	for (c = 0; c < o->ncolumns; c++)
		text_table_column(t, o->columns[c]->column, o->columns[c]->right, o->columns[c]->wide);
	return t;
}

/* "PID 1234 (comm) ppid 1 state S user root threads 3" and the command line. */
static void identity_line(const struct process *p, const struct render_options *o)
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
	wrap_write(o->out, sb.buf, 0, 4, o->width);
	if (p->cmdline && p->cmdline[0]) {
		sb.len = 0;
		sb_adds(&sb, "    cmd:");
		for (i = 0; p->cmdline[i]; i++) {
			sb_adds(&sb, " ");
			escape_text(&sb, p->cmdline[i], strlen(p->cmdline[i]));
		}
		wrap_write(o->out, sb.buf, 0, 9, o->width);
	}
	sb_free(&sb);
}

/* Whether -p lists f among "Also holding ...": a related fd of a wanted
 * type, and (unless --all-holders) not /dev/null, a terminal and the like. */
static bool related_shown(const struct fd_entry *f, const struct render_options *o)
{
	return f->related && fd_type_matches(f, o->types, o->ntypes) &&
		(o->all_holders || !fd_commonplace(f));
}

static bool fd_shown(const struct fd_entry *f, bool only_related, const struct render_options *o)
{
	return only_related ? related_shown(f, o) : fd_type_matches(f, o->types, o->ntypes);
}

/* Add p's fds to t; returns how many. */
static size_t fd_rows(struct text_table *t, const struct model *m, const struct process *p,
		      bool only_related, const struct render_options *o, struct strbuf *cell)
{
	struct strbuf shown;
	size_t i, n = 0;

	sb_init(&shown);
	for (i = 0; i < p->nfds; i++)
		if (fd_shown(&p->fds[i], only_related, o)) {
			fd_row(t, m, &p->fds[i], o, cell, &shown);
			n++;
		}
	sb_free(&shown);
	return n;
}

static void process_fds(const struct model *m, const struct process *p, bool only_related,
			const struct render_options *o, struct strbuf *cell)
{
	struct text_table *t;

	identity_line(p, o);
	if (p->err) {
		fprintf(o->out, "    %sfds not readable: %s%s%s\n", color_on(o->color, "red"),
			errno_name(p->err), color_off(o->color),
			p->err == EACCES ? " (another user's process: run as root to see them)" : "");
		return;
	}
	if (p->state == 'Z') {
		fputs("    zombie: no fds\n", o->out);
		return;
	}
	t = fd_table(o);
	if (fd_rows(t, m, p, only_related, o, cell))
		text_table_print(t);
	else {
		text_table_free(t);
		fputs(o->ntypes ? "    no open fds of those types\n" : "    no open fds\n", o->out);
	}
}

static bool process_related_shown(const struct process *p, const struct render_options *o)
{
	size_t i;

	if (p->gone || p->selected || !p->related)
		return false;
	for (i = 0; i < p->nfds; i++)
		if (related_shown(&p->fds[i], o))
			return true;
	return false;
}

/* -r / -n: the selected processes' fds as rows of one table, nothing else. */
static int selection_rows(const struct model *m, const struct render_options *o)
{
	struct text_table *t = fd_table(o);
	struct strbuf cell;
	size_t i;

	sb_init(&cell);
	for (i = 0; i < m->nprocs; i++)
		if (!m->procs[i].gone && m->procs[i].selected)
			fd_rows(t, m, &m->procs[i], false, o, &cell);
	sb_free(&cell);
	return text_table_print(t);
}

static int render_selection(const struct model *m, const struct render_options *o)
{
	struct strbuf cell;
	size_t i, n = 0, hidden = 0;

	if (render_rows_only(o))
		return selection_rows(m, o);
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
		if (process_related_shown(p, o)) {
			fputs("\nAlso holding descriptions shared with the processes above:\n", o->out);
			process_fds(m, p, true, o, &cell);
		} else if (!p->gone && !p->selected && p->related &&
			   fd_related_of_types(p, o->types, o->ntypes)) {
			hidden++;
		}
	}
	if (hidden) {
		sb_printf(&cell, "%zu more process%s share%s only /dev/null, a terminal or the like "
			  "with them (--all-holders lists them)", hidden, hidden == 1 ? "" : "es",
			  hidden == 1 ? "s" : "");
		fputc('\n', o->out);
		wrap_write(o->out, cell.buf, 0, 0, o->width);
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
	struct text_table *t;
	struct strbuf cell, shown;

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
	if (!render_rows_only(o))
		fprintf(o->out, "%zu fd%s in %zu open file description%s\n", n, n == 1 ? "" : "s",
			ndesc, ndesc == 1 ? "" : "s");
	sb_init(&cell);
	sb_init(&shown);
	t = n ? fd_table(o) : NULL;
	for (i = 0; t && i < n; i++)
		fd_row(t, m, v[i], o, &cell, &shown);
	if (t)
		text_table_print(t);
	sb_free(&cell);
	sb_free(&shown);
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

static void overview_summary(const struct model *m, const struct render_options *o)
{
	size_t i, live = 0, multi_proc = 0, multi_fd = 0;
	struct strbuf sb;

	for (i = 0; i < m->nprocs; i++)
		live += !m->procs[i].gone;
	for (i = 0; i < m->nofds; i++) {
		if (m->ofds[i].nprocs > 1)
			multi_proc++;
		else if (m->ofds[i].nholders > 1)
			multi_fd++;
	}
	sb_init(&sb);
	sb_printf(&sb, "processes: %zu scanned, %zu not readable, %zu ended during the scan",
		  live, m->unreadable, m->vanished);
	wrap_write(o->out, sb.buf, 0, 4, o->width);
	sb.len = 0;
	sb_printf(&sb, "fds: %zu in %zu open file descriptions (%zu fds not fully readable)",
		  m->nfds, m->nofds, m->fd_errors);
	wrap_write(o->out, sb.buf, 0, 4, o->width);
	sb.len = 0;
	sb_printf(&sb, "shared: %zu descriptions held by several processes, %zu by several fds of one process",
		  multi_proc, multi_fd);
	wrap_write(o->out, sb.buf, 0, 4, o->width);
	sb.len = 0;
	if (m->source && strcmp(m->source, "bpf") == 0)
		sb_printf(&sb, "kcmp: not needed: every description was named by the kernel (BPF "
			  "iterator); scan in %.3f s", m->scan_seconds);
	else
		sb_printf(&sb, "kcmp: %s; %llu calls in %.3f s", kcmp_words(m), m->kcmp_calls,
			  m->scan_seconds);
	wrap_write(o->out, sb.buf, 0, 4, o->width);
	sb_free(&sb);
}

/* One row per description held by several fds, in the -o columns, the
 * first holder standing for it; commonplace ones (/dev/null, a terminal)
 * only with --all-holders, else counted on one line after the table. */
static void shared_table(const struct model *m, const struct render_options *o)
{
	struct text_table *t = fd_table(o);
	struct strbuf cell, shown;
	size_t i, hidden = 0;

	sb_init(&cell);
	sb_init(&shown);
	for (i = 0; i < m->nofds; i++) {
		const struct ofd_group *g = &m->ofds[i];
		if (g->nholders < 2 || !fd_type_matches(g->holders[0], o->types, o->ntypes))
			continue;
		if (!o->all_holders && fd_commonplace(g->holders[0]))
			hidden++;
		else
			fd_row(t, m, g->holders[0], o, &cell, &shown);
	}
	sb_free(&shown);
	text_table_print(t);
	if (hidden && !render_rows_only(o)) {
		sb_printf(&cell, "%zu more description%s of /dev/null, /dev/zero or a terminal "
			  "(--all-holders lists them)", hidden, hidden == 1 ? "" : "s");
		wrap_write(o->out, cell.buf, 0, 4, o->width);
	}
	sb_free(&cell);
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
	if (render_rows_only(o)) {
		shared_table(m, o);
		return 0;
	}
	overview_summary(m, o);
	if (o->findings)
		render_findings_brief(o->findings, o);
	fputs("\nOpen file descriptions held by several fds:\n", o->out);
	shared_table(m, o);
	unreadable_list(m, o->out);
	render_zombies_brief(m, o);
	return 0;
}

int render_text(const struct model *m, const struct render_options *o)
{
	enum render_mode mode = render_mode_of(m, o);

	if (o->findings_only) {
		render_findings_only(o->findings, o);
	} else if (mode == MODE_PATHS) {
		render_path_sections(m, o);
	} else if (mode == MODE_SELECTION) {
		render_selection(m, o);
	} else {
		render_overview(m, o);
	}
	/* the file's or the processes' locks, and who waits: not in rows-only output */
	if (mode != MODE_OVERVIEW && !o->findings_only && !render_rows_only(o))
		render_locks_text(m, o);
	/* the overview has them first; rows-only output has rows only */
	if (o->findings && !o->findings_only && mode != MODE_OVERVIEW && !render_rows_only(o))
		render_findings_text(o->findings, o);
	fflush(o->out);
	return ferror(o->out) ? -1 : 0;
}
