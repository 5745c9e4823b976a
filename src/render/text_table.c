/* text_table.c - tables of text cells in one arena (see text_table.h). */
#include "render/text_table.h"
#include "render/render.h"
#include "render/table_plain.h"
#include "base/util.h"

#include <libsmartcols.h>
#include <limits.h>
#include <string.h>

struct text_column {
	char *name;
	bool right, wide;
};

/* A cell: where its text is in the arena (NUL-terminated there), its
 * length, its colour (1 + an index into the table's colours; 0: none).
 * 16 bytes: a million-fd overview has over a million cells. */
struct text_cell {
	size_t off;
	unsigned len;
	unsigned color;
};

#define TEXT_COLORS 8   /* distinct colour names a table may use */

struct text_table {
	const struct render_options *o;
	struct text_column *cols;
	size_t ncols, colcap;
	struct text_cell *cells;      /* row after row, ncols each */
	size_t ncells, cellcap;
	struct strbuf arena;
	const char *colors[TEXT_COLORS];   /* the colour names used (static strings) */
	size_t ncolors;
	bool plain;                   /* every cell so far is table_plain_text */
};

struct text_table *text_table_new(const struct render_options *o)
{
	struct text_table *t = xcalloc(1, sizeof(*t));

	t->o = o;
	t->plain = true;
	sb_init(&t->arena);
	return t;
}

void text_table_column(struct text_table *t, const char *name, bool right, bool wide)
{
	grow_array((void **)&t->cols, &t->colcap, t->ncols + 1, sizeof(*t->cols));
	t->cols[t->ncols++] = (struct text_column){ xstrdup(name), right, wide };
	t->plain = t->plain && table_plain_text(name, strlen(name));
}

void text_table_row(struct text_table *t)
{
	/* a row left short gets empty cells, as an unset libsmartcols cell */
	while (t->ncols && t->ncells % t->ncols)
		text_table_cell(t, "", 0, NULL);
}

/* 1 + color's index among t's colours (added when new), 0 for none. */
static unsigned color_index(struct text_table *t, const char *color)
{
	size_t i;

	if (!color)
		return 0;
	for (i = 0; i < t->ncolors; i++)
		if (strcmp(t->colors[i], color) == 0)
			return (unsigned)i + 1;
	if (t->ncolors == TEXT_COLORS)
		return 0;   /* never so: the renderers use two */
	t->colors[t->ncolors++] = color;
	return (unsigned)t->ncolors;
}

void text_table_cell(struct text_table *t, const char *text, size_t len, const char *color)
{
	if (len > UINT_MAX)
		len = UINT_MAX;
	grow_array((void **)&t->cells, &t->cellcap, t->ncells + 1, sizeof(*t->cells));
	t->cells[t->ncells++] = (struct text_cell){ t->arena.len, (unsigned)len, color_index(t, color) };
	sb_add(&t->arena, text, len);
	sb_add(&t->arena, "", 1);   /* each cell NUL-terminated in place */
	t->plain = t->plain && table_plain_text(text, len);
}

size_t text_table_rows(const struct text_table *t)
{
	return t->ncols ? (t->ncells + t->ncols - 1) / t->ncols : 0;
}

void text_table_free(struct text_table *t)
{
	size_t c;

	if (!t)
		return;
	for (c = 0; c < t->ncols; c++)
		free(t->cols[c].name);
	free(t->cols);
	free(t->cells);
	sb_free(&t->arena);
	free(t);
}

static int print_plain(struct text_table *t)
{
	size_t nrows = text_table_rows(t), r, c;
	size_t *width = xcalloc(t->ncols, sizeof(*width)), *len = xcalloc(t->ncols, sizeof(*len));
	const char **text = xcalloc(t->ncols, sizeof(*text));
	bool *right = xcalloc(t->ncols, sizeof(*right));
	FILE *out = t->o->out;

	/* the widths (the header's counts even when it is not printed) */
	for (c = 0; c < t->ncols; c++) {
		right[c] = t->cols[c].right;
		width[c] = strlen(t->cols[c].name);
	}
	for (r = 0; r < t->ncells; r++)
		if (t->cells[r].len > width[r % t->ncols])
			width[r % t->ncols] = t->cells[r].len;
	if (!t->o->noheadings) {
		for (c = 0; c < t->ncols; c++) {
			text[c] = t->cols[c].name;
			len[c] = strlen(text[c]);
		}
		table_plain_row(out, text, len, width, right, t->ncols, t->o->raw);
	}
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const struct text_cell *cell = &t->cells[r * t->ncols + c];
			text[c] = t->arena.buf + cell->off;
			len[c] = cell->len;
		}
		table_plain_row(out, text, len, width, right, t->ncols, t->o->raw);
	}
	free(width);
	free(len);
	free(text);
	free(right);
	return ferror(out) ? -1 : 0;
}

/* The same table built in libsmartcols, printed by render_print_table()
 * (fitted to a terminal, colours, every byte encoded as it encodes it). */
static int print_scols(struct text_table *t)
{
	struct libscols_table *tb = render_table_new(t->o);
	struct libscols_line *ln = NULL;
	size_t c, i;

	if (!tb)
		return -1;
	/* wide columns (TARGET, ENDPOINT, SHARED, HOLDERS) are folded onto
	 * more lines of their cell when a terminal is too narrow
	 * (render_fit_table), so that every fact stays on screen */
	for (c = 0; c < t->ncols; c++)
		scols_table_new_column(tb, t->cols[c].name, 0,
				       t->cols[c].right ? SCOLS_FL_RIGHT : t->cols[c].wide ? SCOLS_FL_WRAP : 0);
	for (i = 0; i < t->ncells; i++) {
		const struct text_cell *cell = &t->cells[i];
		if (i % t->ncols == 0)
			ln = scols_table_new_line(tb, NULL);
		if (!ln)
			break;
		scols_line_set_data(ln, i % t->ncols, t->arena.buf + cell->off);
		if (cell->color && t->o->color)
			scols_cell_set_color(scols_line_get_cell(ln, i % t->ncols), t->colors[cell->color - 1]);
	}
	return render_print_table(tb, t->o);
}

int text_table_print(struct text_table *t)
{
	int r = 0;

	text_table_row(t);   /* the last row whole */
	if (text_table_rows(t)) {
		if (t->plain && !t->o->width && !t->o->color && !render_for_terminal(t->o) && table_plain_allowed())
			r = print_plain(t);
		else
			r = print_scols(t);
	}
	text_table_free(t);
	return r;
}
