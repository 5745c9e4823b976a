/* render_wrap.c - see render_wrap.h. */
#include "render/render_wrap.h"

#include "base/util.h"

#include <libsmartcols.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

size_t render_term_width(int fd)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	char *end;
	long v;

	if (!isatty(fd))
		return 0;
	if (env && *env) {
		v = strtol(env, &end, 10);
		if (!*end && v > 0 && v < 10000)
			return (size_t)v;
	}
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* Columns taken by n bytes of UTF-8 (continuation bytes take none). */
static size_t columns_of(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Bytes of s that fit in cols columns (at least one character). */
static size_t bytes_fitting(const char *s, size_t n, size_t cols)
{
	size_t i = 0, c = 0;

	while (i < n) {
		size_t next = i + 1;
		while (next < n && ((unsigned char)s[next] & 0xC0) == 0x80)
			next++;
		if (c + 1 > cols && i > 0)
			break;
		c++;
		i = next;
	}
	return i;
}

void wrap_write(FILE *out, const char *text, size_t first_used, size_t indent, size_t width)
{
	size_t used = first_used, len, cols;
	const char *p = text;
	int first_word = 1;

	if (!width || indent + 8 > width || first_used + columns_of(text, strlen(text)) <= width) {
		fprintf(out, "%s\n", text);
		return;
	}
	/* leading blanks are the text's own indent */
	while (*p == ' ') {
		fputc(' ', out);
		used++;
		p++;
	}
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		len = strcspn(p, " ");
		cols = columns_of(p, len);
		if (!first_word && used + 1 + cols > width) {
			fprintf(out, "\n%*s", (int)indent, "");
			used = indent;
			first_word = 1;
		}
		if (!first_word) {
			fputc(' ', out);
			used++;
		}
		/* a word wider than a whole line: cut it */
		while (used + cols > width && len) {
			size_t part = bytes_fitting(p, len, width - used);
			fprintf(out, "%.*s\n%*s", (int)part, p, (int)indent, "");
			p += part;
			len -= part;
			cols = columns_of(p, len);
			used = indent;
		}
		fprintf(out, "%.*s", (int)len, p);
		used += cols;
		p += len;
		first_word = 0;
	}
	fputc('\n', out);
}

#define FIT_MIN 8   /* columns a folded column keeps at least */

/* Append text to sb folded at width columns: at the last blank that fits,
 * else after the last '/' or ',', else at width. */
static void fold_cell(struct strbuf *sb, const char *text, size_t width)
{
	const char *p = text;

	while (*p == ' ')
		p++;
	while (columns_of(p, strlen(p)) > width) {
		size_t fit = bytes_fitting(p, strlen(p), width), cut = 0, i;
		for (i = fit; i > 0 && !cut; i--)
			if (p[i] == ' ')
				cut = i;
		if (!cut)
			for (i = fit; i > 1 && !cut; i--)
				if (p[i - 1] == '/' || p[i - 1] == ',')
					cut = i;
		if (!cut)
			cut = fit;
		sb_add(sb, p, cut);
		sb_adds(sb, "\n");
		p += cut;
		while (*p == ' ')
			p++;
	}
	sb_adds(sb, p);
}

/* Columns the tree art takes before a line's cell: two per ancestor. */
static size_t tree_art_width(struct libscols_line *ln)
{
	size_t w = 0;

	while ((ln = scols_line_get_parent(ln)))
		w += 2;
	return w;
}

/* Natural width of each column: its widest cell (with its tree art) or
 * header. */
static void natural_widths(struct libscols_table *tb, size_t ncols, size_t *nat)
{
	struct libscols_iter *itr = scols_new_iter(SCOLS_ITER_FORWARD);
	struct libscols_line *ln;
	const char *d;
	size_t i, w;

	for (i = 0; i < ncols; i++) {
		d = scols_cell_get_data(scols_column_get_header(scols_table_get_column(tb, i)));
		nat[i] = d ? columns_of(d, strlen(d)) : 0;
	}
	while (itr && scols_table_next_line(tb, itr, &ln) == 0)
		for (i = 0; i < ncols; i++) {
			d = scols_cell_get_data(scols_line_get_cell(ln, i));
			w = d ? columns_of(d, strlen(d)) : 0;
			if (scols_column_is_tree(scols_table_get_column(tb, i)))
				w += tree_art_width(ln);
			if (w > nat[i])
				nat[i] = w;
		}
	scols_free_iter(itr);
}

/* Share avail among the foldable columns: the narrow ones keep their
 * natural width, the rest split what is left evenly. */
static void share_widths(size_t ncols, const size_t *nat, const bool *fold, size_t avail, size_t *alloc)
{
	size_t i, left = 0, share;
	bool changed = true;

	for (i = 0; i < ncols; i++) {
		alloc[i] = fold[i] ? 0 : nat[i];
		left += fold[i];
	}
	while (left && changed) {
		changed = false;
		share = avail / left;
		for (i = 0; i < ncols; i++)
			if (fold[i] && !alloc[i] && nat[i] <= share) {
				alloc[i] = nat[i];
				avail -= nat[i];
				left--;
				changed = true;
			}
	}
	for (i = 0; i < ncols && left; i++)
		if (fold[i] && !alloc[i]) {
			share = avail / left;
			alloc[i] = share < FIT_MIN ? FIT_MIN : share;
			avail -= share < avail ? share : avail;
			left--;
		}
}

void render_fit_table(struct libscols_table *tb, size_t width)
{
	size_t ncols = scols_table_get_ncols(tb), i, fixed = 0, total = 0, nfold = 0;
	size_t nat[64], alloc[64];
	bool fold[64];
	struct libscols_iter *itr;
	struct libscols_line *ln;
	struct strbuf sb;

	if (!width || !ncols || ncols > 64 || scols_table_is_raw(tb))
		return;
	natural_widths(tb, ncols, nat);
	for (i = 0; i < ncols; i++) {
		fold[i] = scols_column_is_wrap(scols_table_get_column(tb, i));
		total += nat[i] + (i + 1 < ncols);
		if (fold[i])
			nfold++;
		else
			fixed += nat[i];
		fixed += i + 1 < ncols;   /* the separator */
	}
	/* Too narrow to fold at words (a deep tree): libsmartcols then wraps
	 * the SCOLS_FL_WRAP columns in whatever room is left, at any byte. */
	if (total <= width || !nfold || width < fixed + nfold * FIT_MIN)
		return;
	share_widths(ncols, nat, fold, width - fixed, alloc);
	sb_init(&sb);
	itr = scols_new_iter(SCOLS_ITER_FORWARD);
	while (itr && scols_table_next_line(tb, itr, &ln) == 0)
		for (i = 0; i < ncols; i++) {
			struct libscols_cell *ce = scols_line_get_cell(ln, i);
			const char *d = scols_cell_get_data(ce);
			if (!fold[i] || !d || columns_of(d, strlen(d)) <= alloc[i])
				continue;
			sb.len = 0;
			fold_cell(&sb, d, alloc[i]);
			scols_cell_set_data(ce, sb.buf);
		}
	scols_free_iter(itr);
	sb_free(&sb);
	for (i = 0; i < ncols; i++) {
		struct libscols_column *cl = scols_table_get_column(tb, i);
		if (!fold[i])
			continue;
		/* the newlines are ours; any other control byte is still escaped */
		scols_column_set_safechars(cl, "\n");
		scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize, scols_wrapnl_nextchunk, NULL);
	}
}

const char *color_on(int color, const char *name)
{
	if (!color)
		return "";
	if (strcmp(name, "red") == 0)
		return "\033[1;31m";
	if (strcmp(name, "yellow") == 0)
		return "\033[33m";
	if (strcmp(name, "cyan") == 0)
		return "\033[36m";
	return "\033[1m";
}

const char *color_off(int color)
{
	return color ? "\033[0m" : "";
}
