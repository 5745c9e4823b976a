/* unit_table_plain.c - table_plain_print() prints what scols_print_table()
 * prints to a stream that is not a terminal, byte for byte: random tables
 * of printable ASCII (empty and unset cells, cells with blanks, long cells,
 * left, right and wrap columns, with and without headings, raw or not, no
 * lines at all), each printed both ways into memory and compared; and the
 * cells table_plain_fits() must refuse (controls, bytes above 0x7e, "\x"),
 * the table features it must leave to libsmartcols (JSON, colours). */
#include "check.h"
#include "render/table_plain.h"

#include <libsmartcols.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long rng = 88172645463325252ULL;

static unsigned next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* A random cell: mostly short, sometimes long, sometimes with blanks at
 * either end, sometimes empty or unset (NULL). */
static char *random_text(char *buf, size_t cap)
{
	static const char alphabet[] = "abcXYZ019 /:;()[]{}-_.,~#%&*+=<>?!|'\"`@^$\\";
	size_t n, i;

	switch (next(8)) {
	case 0: return NULL;
	case 1: n = 0; break;
	case 2: n = 40 + next(120); break;
	default: n = 1 + next(12); break;
	}
	if (n >= cap)
		n = cap - 1;
	for (i = 0; i < n; i++) {
		buf[i] = alphabet[next(sizeof(alphabet) - 1)];
		if (buf[i] == '\\' && i + 1 < n)
			buf[++i] = 'y';   /* a backslash, but never "\x" */
	}
	buf[n] = '\0';
	return buf;
}

static struct libscols_table *random_table(size_t *ncols_out, bool *noheadings)
{
	struct libscols_table *tb = scols_new_table();
	size_t ncols = 1 + next(6), nlines = next(4) ? 1 + next(20) : 0, c, i;
	char buf[256];

	*noheadings = next(3) == 0;
	scols_table_enable_noheadings(tb, *noheadings);
	scols_table_enable_raw(tb, next(3) == 0);
	for (c = 0; c < ncols; c++) {
		static const int flags[] = { 0, SCOLS_FL_RIGHT, SCOLS_FL_WRAP, 0 };
		char *h = random_text(buf, 24);
		scols_table_new_column(tb, h && *h ? h : "COL", 0, flags[next(4)]);
	}
	for (i = 0; i < nlines; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		for (c = 0; c < ncols; c++) {
			char *t = random_text(buf, sizeof(buf));
			if (t)
				scols_line_set_data(ln, c, t);
		}
	}
	*ncols_out = ncols;
	return tb;
}

static char *print_with(struct libscols_table *tb, bool plain, size_t *len)
{
	char *text = NULL;
	FILE *mem = open_memstream(&text, len);

	if (plain) {
		table_plain_print(tb, mem);
	} else {
		scols_table_set_stream(tb, mem);
		scols_print_table(tb);
	}
	fclose(mem);
	return text;
}

static bool refuses_cell(const char *cell)
{
	struct libscols_table *tb = scols_new_table();
	struct libscols_line *ln;
	bool fits;

	scols_table_new_column(tb, "A", 0, 0);
	ln = scols_table_new_line(tb, NULL);
	scols_line_set_data(ln, 0, cell);
	fits = table_plain_fits(tb);
	scols_unref_table(tb);
	return !fits;
}

int main(void)
{
	size_t round, same = 0, fitted = 0, rounds = 3000, ncols, la, lb;
	bool noheadings, shown = false;

	setlocale(LC_ALL, "C.UTF-8");
	for (round = 0; round < rounds; round++) {
		struct libscols_table *tb = random_table(&ncols, &noheadings);
		char *a, *b;
		fitted += table_plain_fits(tb);
		a = print_with(tb, false, &la);
		b = print_with(tb, true, &lb);
		if (la == lb && memcmp(a, b, la) == 0)
			same++;
		else if (!shown) {
			shown = true;
			printf("      libsmartcols:\n%s      table_plain:\n%s", a, b);
		}
		free(a);
		free(b);
		scols_unref_table(tb);
	}
	CHECK(fitted == rounds, "every random table of printable ASCII is one table_plain takes");
	CHECK(same == rounds, "3000 random tables (left, right and wrap columns, empty and unset cells, "
	      "long cells, blanks and backslashes, with and without headings, raw or not, no lines) "
	      "print byte for byte as libsmartcols prints them");

	CHECK(refuses_cell("tab\there"), "a control byte is left to libsmartcols (it encodes it)");
	CHECK(refuses_cell("caf\xc3\xa9"), "a byte above 0x7e is left to libsmartcols (its width is the locale's)");
	CHECK(refuses_cell("back\\xslash"), "a backslash before 'x' is left to libsmartcols (it encodes it)");
	CHECK(!refuses_cell("back\\slash and a/path:1"), "a backslash before anything else is plain");
	{
		struct libscols_table *tb = scols_new_table();
		struct libscols_line *ln;
		scols_table_new_column(tb, "A", 0, 0);
		ln = scols_table_new_line(tb, NULL);
		scols_line_set_data(ln, 0, "x");
		CHECK(table_plain_fits(tb), "a plain table fits");
		scols_table_enable_raw(tb, 1);
		CHECK(table_plain_fits(tb), "raw output (-r) is printed too");
		scols_table_enable_raw(tb, 0);
		scols_table_enable_colors(tb, 1);
		CHECK(!table_plain_fits(tb), "colours are left to libsmartcols");
		scols_table_enable_colors(tb, 0);
		scols_table_enable_json(tb, 1);
		CHECK(!table_plain_fits(tb), "JSON output is left to libsmartcols");
		scols_unref_table(tb);
	}
	return check_done();
}
