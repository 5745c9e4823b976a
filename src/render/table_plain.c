/* table_plain.c - a plain ASCII libsmartcols table printed in one pass (see
 * table_plain.h). */
#include "render/table_plain.h"
#include "base/util.h"

#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>

/* The column flags this printer lays out as libsmartcols does. */
#define PLAIN_FLAGS (SCOLS_FL_RIGHT | SCOLS_FL_WRAP)

static const char *cell_text(struct libscols_cell *c)
{
	const char *s = c ? scols_cell_get_data(c) : NULL;
	return s ? s : "";
}

bool table_plain_text(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c > 0x7e || (c == '\\' && i + 1 < len && s[i + 1] == 'x'))
			return false;
	}
	return true;
}

static bool plain_text(const char *s)
{
	return table_plain_text(s, strlen(s));
}

bool table_plain_allowed(void)
{
	const char *env = getenv("FDSHARE_TEXT_TABLES");

	return !env || strcmp(env, "libsmartcols") != 0;
}

bool table_plain_fits(struct libscols_table *tb)
{
	const char *colsep = scols_table_get_column_separator(tb);
	const char *linesep = scols_table_get_line_separator(tb);
	struct libscols_iter *it;
	struct libscols_line *ln;
	size_t ncols = scols_table_get_ncols(tb), c;
	bool fits = true;

	if (!ncols || !table_plain_allowed() || scols_table_is_json(tb) || scols_table_is_export(tb) ||
	    scols_table_is_shellvar(tb) || scols_table_is_tree(tb) || scols_table_colors_wanted(tb) ||
	    scols_table_is_header_repeat(tb) || scols_table_is_maxout(tb) || scols_table_is_noencoding(tb) ||
	    (colsep && strcmp(colsep, " ") != 0) || (linesep && strcmp(linesep, "\n") != 0))
		return false;
	for (c = 0; c < ncols; c++) {
		struct libscols_column *cl = scols_table_get_column(tb, c);
		if ((scols_column_get_flags(cl) & ~PLAIN_FLAGS) ||
		    !plain_text(cell_text(scols_column_get_header(cl))))
			return false;
	}
	it = scols_new_iter(SCOLS_ITER_FORWARD);
	if (!it)
		return false;
	while (fits && scols_table_next_line(tb, it, &ln) == 0)
		for (c = 0; fits && c < ncols; c++)
			fits = plain_text(cell_text(scols_line_get_cell(ln, c)));
	scols_free_iter(it);
	return fits;
}

static void put_blanks(FILE *out, size_t n)
{
	static const char blanks[64] = "                                                                ";

	while (n) {
		size_t k = n < sizeof(blanks) ? n : sizeof(blanks);
		fwrite(blanks, 1, k, out);
		n -= k;
	}
}

/* Write text of length len in a field of width, as column c lays it out. */
static void put_cell(FILE *out, const char *text, size_t len, size_t width, bool right, bool last)
{
	size_t pad = width > len ? width - len : 0;

	if (right) {
		/* an empty last cell prints nothing, not even its padding */
		if (!(last && !len))
			put_blanks(out, pad);
		fwrite(text, 1, len, out);
		return;
	}
	fwrite(text, 1, len, out);
	if (!last)
		put_blanks(out, pad);
}

/* A raw cell: libsmartcols' raw output writes a blank and a backslash as
 * \x20 and \x5c, so that blanks only part the cells. */
static void put_raw_cell(FILE *out, const char *text, size_t len)
{
	size_t i, from = 0;

	for (i = 0; i < len; i++)
		if (text[i] == ' ' || text[i] == '\\') {
			fwrite(text + from, 1, i - from, out);
			fputs(text[i] == ' ' ? "\\x20" : "\\x5c", out);
			from = i + 1;
		}
	fwrite(text + from, 1, len - from, out);
}

void table_plain_row(FILE *out, const char *const *text, const size_t *len, const size_t *width,
		     const bool *right, size_t ncols, bool raw)
{
	size_t c;

	for (c = 0; c < ncols; c++) {
		if (c)
			fputc(' ', out);
		if (raw)
			put_raw_cell(out, text[c], len[c]);
		else
			put_cell(out, text[c], len[c], width[c], right[c], c + 1 == ncols);
	}
	fputc('\n', out);
}

/* Cell c of line ln, or of the header when ln is NULL. */
static const char *row_text(struct libscols_table *tb, struct libscols_line *ln, size_t c)
{
	if (!ln)
		return cell_text(scols_column_get_header(scols_table_get_column(tb, c)));
	return cell_text(scols_line_get_cell(ln, c));
}

static void put_row(FILE *out, struct libscols_table *tb, struct libscols_line *ln,
		    const size_t *width, const bool *right, size_t ncols, bool raw,
		    const char **text, size_t *len)
{
	size_t c;

	for (c = 0; c < ncols; c++) {
		text[c] = row_text(tb, ln, c);
		len[c] = strlen(text[c]);
	}
	table_plain_row(out, text, len, width, right, ncols, raw);
}

int table_plain_print(struct libscols_table *tb, FILE *out)
{
	size_t ncols = scols_table_get_ncols(tb), c;
	bool raw = scols_table_is_raw(tb);
	struct libscols_iter *it;
	struct libscols_line *ln;
	size_t *width, *len;
	const char **text;
	bool *right;

	/* libsmartcols prints nothing at all, not even the header, for a
	 * table without lines */
	if (!scols_table_get_nlines(tb))
		return 0;
	it = scols_new_iter(SCOLS_ITER_FORWARD);
	if (!it)
		return -1;
	width = xcalloc(ncols, sizeof(*width));
	len = xcalloc(ncols, sizeof(*len));
	text = xcalloc(ncols, sizeof(*text));
	right = xcalloc(ncols, sizeof(*right));
	/* the widths (the header's counts even when it is not printed), then
	 * the rows: the cells stay in the table, nothing is copied */
	for (c = 0; c < ncols; c++) {
		right[c] = (scols_column_get_flags(scols_table_get_column(tb, c)) & SCOLS_FL_RIGHT) != 0;
		width[c] = strlen(row_text(tb, NULL, c));
	}
	while (scols_table_next_line(tb, it, &ln) == 0)
		for (c = 0; c < ncols; c++) {
			size_t n = strlen(row_text(tb, ln, c));
			if (n > width[c])
				width[c] = n;
		}
	if (!scols_table_is_noheadings(tb))
		put_row(out, tb, NULL, width, right, ncols, raw, text, len);
	scols_reset_iter(it, SCOLS_ITER_FORWARD);
	while (scols_table_next_line(tb, it, &ln) == 0)
		put_row(out, tb, ln, width, right, ncols, raw, text, len);
	scols_free_iter(it);
	free(width);
	free(len);
	free(text);
	free(right);
	return ferror(out) ? -1 : 0;
}
