/* unit_wrap.c - wrap_write (paragraphs folded to a width) and
 * render_fit_table (a libsmartcols table fitted to a terminal width). */
#include "check.h"
#include "render/render_wrap.h"
#include "base/util.h"

#include <libsmartcols.h>
#include <stdlib.h>

/* wrap_write's output for these arguments (a static buffer). */
static const char *wrapped(const char *text, size_t first_used, size_t indent, size_t width)
{
	static char out[1024];
	FILE *f = fmemopen(out, sizeof(out), "w");

	if (!f)
		return "(fmemopen failed)";
	wrap_write(f, text, first_used, indent, width);
	fclose(f);
	return out;
}

static void test_wrap_write(void)
{
	CHECK_STR(wrapped("aaa bbb ccc", 0, 2, 0), "aaa bbb ccc\n", "width 0: one line, as is");
	CHECK_STR(wrapped("a  b", 0, 2, 80), "a  b\n", "text that fits keeps its runs of blanks");
	CHECK_STR(wrapped("aaa bbb ccc", 0, 2, 10), "aaa bbb\n  ccc\n", "folds at the last blank that fits");
	CHECK_STR(wrapped("    fds: 1 fd 2, 3 fd 4", 0, 8, 16),
		  "    fds: 1 fd 2,\n        3 fd 4\n", "the leading indent is kept");
	CHECK_STR(wrapped("    fds: 1 fd 2, 3 fd 4", 0, 8, 14), "    fds: 1 fd 2, 3 fd 4\n",
		  "too narrow for the indent and 8 columns: one line");
	CHECK_STR(wrapped("abcdefghij klm", 0, 0, 8), "abcdefgh\nij klm\n", "a word wider than a line is cut");
	CHECK_STR(wrapped("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 0, 0, 8),
		  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\n\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\n",
		  "UTF-8 counts characters, not bytes");
	CHECK_STR(wrapped("code: one two", 8, 4, 17), "code: one\n    two\n",
		  "first_used counts on the first line only");
}

/* Print a table of one narrow and two foldable columns at width; the
 * printed text in out (malloc'd). */
static char *fitted(size_t width, const char *b, const char *c)
{
	struct libscols_table *tb = scols_new_table();
	struct libscols_line *ln;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	scols_table_set_stream(tb, f);
	scols_table_set_termforce(tb, SCOLS_TERMFORCE_ALWAYS);
	scols_table_set_termwidth(tb, width);
	scols_table_new_column(tb, "FD", 0, SCOLS_FL_RIGHT);
	scols_table_new_column(tb, "HOLDERS", 0, SCOLS_FL_WRAP);
	scols_table_new_column(tb, "TARGET", 0, SCOLS_FL_WRAP);
	ln = scols_table_new_line(tb, NULL);
	scols_line_set_data(ln, 0, "3");
	scols_line_set_data(ln, 1, b);
	scols_line_set_data(ln, 2, c);
	render_fit_table(tb, width);
	scols_print_table(tb);
	scols_unref_table(tb);
	fclose(f);
	return out;
}

static size_t widest(const char *s)
{
	size_t w = 0, n = 0;

	for (; *s; s++) {
		if (*s == '\n') {
			n = 0;
			continue;
		}
		if (((unsigned char)*s & 0xC0) != 0x80 && ++n > w)
			w = n;
	}
	return w;
}

/* The non-blank characters of s, in order. */
static char *squeezed(const char *s)
{
	char *o = xmalloc(strlen(s) + 1), *p = o;

	for (; *s; s++)
		if (*s != ' ' && *s != '\n')
			*p++ = *s;
	*p = '\0';
	return o;
}

static void test_fit_table(void)
{
	const char *holders = "1234 (bash) fd 1; 1240 (cat) fd 1; 1300 (sleep) fd 1";
	const char *path = "/var/log/a-rather-long-directory/and-a-file-name.log";
	char *out = fitted(200, holders, path), *sq;

	CHECK(out && strstr(out, "FD HOLDERS"), "a wide terminal prints the table");
	CHECK(out && strstr(out, holders) && strstr(out, path), "200 columns: each cell on one line, whole");
	free(out);
	out = fitted(40, holders, path);
	CHECK(out && widest(out) <= 40, "40 columns: no line wider than 40");
	sq = squeezed(out ? out : "");
	CHECK(strstr(sq, "1234(bash)fd1;") && strstr(sq, "/var/log/"), "40 columns: the pieces are on screen");
	CHECK(out && !strstr(out, holders), "40 columns: the holders are folded");
	CHECK(out && strstr(out, "1234 (bash) fd 1;"), "40 columns: folded between words, not inside one");
	free(sq);
	free(out);
	out = fitted(40, "short", "/a");
	CHECK(out && strstr(out, "short") && strstr(out, "/a") && widest(out) <= 40,
	      "a table that fits is left alone");
	free(out);
}

int main(void)
{
	test_wrap_write();
	test_fit_table();
	return check_done();
}
