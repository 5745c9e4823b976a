/* render_tree.c - the process tree (--tree) through libsmartcols' tree
 * support, and the zombie groups with their reasons and hints, in full
 * (after the tree) or as a short section (overview and -p).
 *
 * libsmartcols draws the branches in Unicode when the locale's charset is
 * UTF-8 and in ASCII otherwise or with --ascii. */
#include "render/render.h"
#include "render/render_wrap.h"
#include "base/escape.h"
#include "model/tree.h"
#include "base/util.h"

#include <errno.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>

#define ZOMBIES_LISTED 20        /* children named per group in text */
#define GROUPS_BRIEF 10          /* groups in the short section */

enum { COL_PID, COL_COMMAND, COL_STATE, COL_FDS, COL_THREADS, COL_MARKS };

static void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

static void set_cell(struct libscols_line *ln, size_t col, struct strbuf *sb)
{
	scols_line_set_data(ln, col, sb->buf ? sb->buf : "");
	sb_reset(sb);
}

/* "12 (scenario)" with the name escaped. */
static void pid_comm(struct strbuf *sb, const struct process *p)
{
	sb_printf(sb, "%d (", p->pid);
	escape_text(sb, p->comm, strlen(p->comm));
	sb_adds(sb, ")");
}

static void add_mark(struct strbuf *sb, const char *mark)
{
	if (sb->len)
		sb_adds(sb, ", ");
	sb_adds(sb, mark);
}

static void marks_cell(const struct tree *t, const struct tree_node *nd, struct strbuf *sb)
{
	if (nd->pidns_init)
		add_mark(sb, "pid-ns init");
	if (nd->subreaper == TRI_TRUE)
		add_mark(sb, "subreaper");
	if (nd->zombie)
		add_mark(sb, "zombie");
	if (nd->leader_exited)
		add_mark(sb, "leader exited, threads run");
	if (nd->proc->is_kthread)
		add_mark(sb, "kernel thread");
	if (nd->reparented == TRI_TRUE) {
		add_mark(sb, "");
		sb_printf(sb, "reparented (adopted by %d: %s)", t->nodes[nd->parent].proc->pid,
			  nd->adopter == ADOPTER_PIDNS_INIT ? "pid-ns init" : "subreaper");
	}
	if (nd->zombie_group >= 0) {
		size_t n = t->groups[nd->zombie_group].nchildren;
		add_mark(sb, "");
		sb_printf(sb, "%zu unreaped zombie%s", n, n == 1 ? "" : "s");
	}
}

static void node_line(struct libscols_line *ln, const struct tree *t, const struct tree_node *nd,
		      struct strbuf *sb)
{
	const struct process *p = nd->proc;

	sb_printf(sb, "%d", p->pid);
	set_cell(ln, COL_PID, sb);
	escape_text(sb, p->comm, strlen(p->comm));
	set_cell(ln, COL_COMMAND, sb);
	sb_printf(sb, "%c", p->state);
	set_cell(ln, COL_STATE, sb);
	if (p->is_kthread || p->state == 'Z')
		sb_adds(sb, "-");
	else if (p->err)
		sb_adds(sb, "?");
	else
		sb_printf(sb, "%zu", p->nfds);
	set_cell(ln, COL_FDS, sb);
	sb_printf(sb, "%d", p->threads);
	set_cell(ln, COL_THREADS, sb);
	marks_cell(t, nd, sb);
	set_cell(ln, COL_MARKS, sb);
}

/* Depth first from each root, in pid order; a node outside the view is
 * skipped and its visible descendants hang from its nearest visible
 * ancestor.  An explicit stack: a chain of nested forks may be deep. */
static void add_lines(struct libscols_table *tb, const struct tree *t, const bool *view)
{
	struct item { int node; struct libscols_line *up; } *stack;
	size_t top = 0, i, j;
	struct strbuf sb;

	stack = xcalloc(t->n + 1, sizeof(*stack));
	sb_init(&sb);
	for (i = t->n; i-- > 0;)
		if (t->nodes[i].present && t->nodes[i].parent < 0)
			stack[top++] = (struct item){ (int)i, NULL };
	while (top) {
		struct item it = stack[--top];
		const struct tree_node *nd = &t->nodes[it.node];
		struct libscols_line *up = it.up;
		if (view[it.node]) {
			up = scols_table_new_line(tb, it.up);
			if (up)
				node_line(up, t, nd, &sb);
		}
		for (j = nd->nchildren; j-- > 0;)
			stack[top++] = (struct item){ nd->children[j], up };
	}
	sb_free(&sb);
	free(stack);
}

static struct libscols_table *tree_table(const struct render_options *o)
{
	struct libscols_table *tb = render_table_new(o);

	if (!tb)
		return NULL;
	scols_table_enable_ascii(tb, o->ascii);
	scols_table_new_column(tb, "PID", 0, SCOLS_FL_RIGHT);
	scols_table_new_column(tb, "COMMAND", 0, SCOLS_FL_TREE);
	scols_table_new_column(tb, "STATE", 0, 0);
	scols_table_new_column(tb, "FDS", 0, SCOLS_FL_RIGHT);
	scols_table_new_column(tb, "THREADS", 0, SCOLS_FL_RIGHT);
	scols_table_new_column(tb, "MARKS", 0, SCOLS_FL_WRAP);   /* folded on a narrow terminal */
	return tb;
}

/* ---- zombie groups ---- */

/* Each line of text folded to width, continuation lines two columns
 * deeper than the line's own indent. */
static void wrap_lines(FILE *out, char *text, size_t width)
{
	char *line = text, *nl;

	for (; (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		wrap_write(out, line, 0, strspn(line, " ") + 2, width);
	}
	if (*line)
		wrap_write(out, line, 0, strspn(line, " ") + 2, width);
}

static void group_full(const struct tree *t, const struct zombie_group *g, FILE *out,
		       size_t width, struct strbuf *sb)
{
	const struct process *p = t->nodes[g->parent].proc;
	size_t i;
	int r;

	sb_reset(sb);
	sb_adds(sb, "zombies of ");
	pid_comm(sb, p);
	sb_printf(sb, ", state %c: %zu\n  children (pid age):", p->state, g->nchildren);
	for (i = 0; i < g->nchildren && i < ZOMBIES_LISTED; i++) {
		const struct process *c = t->nodes[g->children[i]].proc;
		sb_printf(sb, "%s %d ", i ? "," : "", c->pid);
		sb_duration(sb, tree_age(t, c));
	}
	if (g->nchildren > ZOMBIES_LISTED)
		sb_printf(sb, ", ... and %zu more (--json lists all)", g->nchildren - ZOMBIES_LISTED);
	sb_printf(sb, "\n  reason: %s\n", zombie_reason_text(g->reason));
	for (r = 0; r < ZR_COUNT; r++)
		if (r != (int)g->reason && (g->reasons & (1u << r)))
			sb_printf(sb, "  also: %s\n", zombie_reason_text((enum zombie_reason)r));
	sb_adds(sb, "  hint: ");
	zombie_hint(t, g, sb);
	wrap_lines(out, sb->buf, width);
}

static bool group_in_view(const struct zombie_group *g, const bool *view)
{
	size_t i;

	if (view[g->parent])
		return true;
	for (i = 0; i < g->nchildren; i++)
		if (view[g->children[i]])
			return true;
	return false;
}

static void zombies_full(const struct tree *t, const bool *view, FILE *out, size_t width)
{
	struct strbuf sb;
	size_t i, shown = 0;

	sb_init(&sb);
	for (i = 0; i < t->ngroups; i++) {
		if (!group_in_view(&t->groups[i], view))
			continue;
		fputc('\n', out);
		group_full(t, &t->groups[i], out, width, &sb);
		shown++;
	}
	if (shown)
		fputs("\nzombie ages count from each child's start: the kernel keeps no exit time\n", out);
	sb_free(&sb);
}

/* Where the subreaper and reparented marks come from. */
static void marks_source(const struct tree *t, FILE *out)
{
	if (t->exact) {
		fputs("\nsubreaper marks: exact, read from the kernel with BPF", out);
		if (t->inexact)
			fprintf(out, " (%zu process%s it did not see: evidence)", t->inexact,
				t->inexact == 1 ? "" : "es");
		fputs(";\nreparented marks: evidence from /proc only (the kernel keeps no birth parent);\n", out);
	} else if (t->exact_err == ENODATA) {
		fputs("\nsubreaper and reparented marks: evidence from /proc only (--source proc);\n", out);
	} else {
		fprintf(out, "\nsubreaper and reparented marks: evidence from /proc only (the BPF part could not run: %s);\n",
			errno_name(t->exact_err));
	}
	fputs("a re-parenting inside one session leaves no evidence and is not marked (see fdshare(1), TREE)\n", out);
}

int render_tree(const struct model *m, const struct render_options *o)
{
	const struct tree *t = m->tree;
	bool *view = tree_view(t, m->selection, o->kernel_threads);
	struct libscols_table *tb = tree_table(o);

	if (tb) {
		add_lines(tb, t, view);
		if (!render_rows_only(o))
			render_fit_table(tb, o->width);
		scols_print_table(tb);
		scols_unref_table(tb);
	}
	zombies_full(t, view, o->out, o->width);
	marks_source(t, o->out);
	free(view);
	fflush(o->out);
	return ferror(o->out) ? -1 : 0;
}

/* ---- the short section ---- */

static bool group_selected(const struct tree *t, const struct zombie_group *g)
{
	size_t i;

	if (t->nodes[g->parent].proc->selected)
		return true;
	for (i = 0; i < g->nchildren; i++)
		if (t->nodes[g->children[i]].proc->selected)
			return true;
	return false;
}

void render_zombies_brief(const struct model *m, const struct render_options *o)
{
	const struct tree *t = m->tree;
	struct strbuf sb;
	size_t i, listed = 0, more = 0;

	sb_init(&sb);
	for (i = 0; t && i < t->ngroups; i++) {
		const struct zombie_group *g = &t->groups[i];
		const struct process *p = t->nodes[g->parent].proc;
		if (m->selection && !group_selected(t, g))
			continue;
		if (listed == GROUPS_BRIEF) {
			more++;
			continue;
		}
		if (!listed++)
			fputc('\n', o->out);
		sb_reset(&sb);
		sb_printf(&sb, "zombies: %zu under ", g->nchildren);
		pid_comm(&sb, p);
		sb_printf(&sb, ": %s (fdshare --tree -p %d explains)", zombie_reason_brief(g->reason), p->pid);
		wrap_write(o->out, sb.buf, 0, 4, o->width);
	}
	if (more)
		fprintf(o->out, "zombies: ... and %zu more groups (fdshare --tree)\n", more);
	sb_free(&sb);
}
